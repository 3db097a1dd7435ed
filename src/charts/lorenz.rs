//! Lorenz curves: the cumulative share of the total held by the smallest share of the
//! population, against the dashed line of equality, on percent axes.
//!
//! Two annotations read the curve out ("Bottom 50% hold 0.3%", "Top 1% hold 62%"); each
//! is placed at the first of several spots around its point where it crosses neither
//! line, nor the other annotation, nor the plot's edge. In the narrow layout, whose
//! plot is taller than wide, each annotation takes two short lines ("Top 1%" over
//! "hold 62%") and "Line of equality" moves up the diagonal until it fits.

use anyhow::{Context, Result};

use crate::figures::Point;
use crate::format;

use super::layout::{text_width, Rect};
use super::svg::{Anchor, Svg, Text};
use super::theme::{Role, LABEL_SIZE, TICK_SIZE};
use super::{Drawing, Width};

const HEIGHT: f64 = 440.0;
const NARROW_HEIGHT: f64 = 380.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 54.0;
const RIGHT: f64 = 20.0;

/// The plot area in viewBox coordinates; shares map onto it linearly.
struct Frame {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Frame {
    fn x(&self, share: f64) -> f64 {
        self.left + (self.right - self.left) * share
    }

    fn y(&self, share: f64) -> f64 {
        self.bottom - (self.bottom - self.top) * share
    }

    fn px(&self, (a, b): (f64, f64)) -> (f64, f64) {
        (self.x(a), self.y(b))
    }

    fn rect(&self) -> Rect {
        Rect {
            x0: self.left,
            y0: self.top,
            x1: self.right,
            y1: self.bottom,
        }
    }
}

/// The curve through `points` (label: population share, value: cumulative share).
pub(super) fn draw(points: &[Point], width: Width) -> Result<Drawing> {
    let curve = parse(points)?;
    let height = match width {
        Width::Wide => HEIGHT,
        Width::Narrow => NARROW_HEIGHT,
    };
    let frame = Frame {
        left: text_width("100%", TICK_SIZE) + 10.0,
        right: width.units() - RIGHT,
        top: TOP,
        bottom: height - BOTTOM,
    };
    let mut out = Svg::new();
    let y_title = axes(&mut out, &frame);

    // The inequality: the area between the line of equality and the curve.
    let px: Vec<(f64, f64)> = curve.iter().map(|p| frame.px(*p)).collect();
    let area: Vec<(f64, f64)> = std::iter::once(frame.px((curve[0].0, curve[0].0)))
        .chain(px.iter().copied())
        .chain([frame.px((1.0, 1.0))])
        .collect();
    out.polygon(Role::Area, &area);
    let diagonal = [frame.px((0.0, 0.0)), frame.px((1.0, 1.0))];
    out.line(Role::Ref, diagonal[0], diagonal[1], 1.5);
    out.polyline(Role::Line, &px, 2.5);
    let equality = equality_label(&mut out, &frame);

    // Annotations keep clear of both lines, the other labels and each other.
    let mut placed = vec![y_title, equality];
    let lines: [&[(f64, f64)]; 2] = [&px, &diagonal];
    let mut sentences = Vec::new();
    for (at, who, held) in readings(&curve) {
        let note = match width {
            Width::Wide => vec![format!("{who} hold {held}")],
            Width::Narrow => vec![who.clone(), format!("hold {held}")],
        };
        let point = (frame.x(at.0), frame.y(at.1));
        let spot = place(point, &note, frame.rect(), &lines, &placed);
        leader(&mut out, point, &spot.bounds);
        out.circle(Role::Bar, point, 4.0);
        for (line, y) in note.iter().zip(&spot.baselines) {
            out.text(&Text::new(spot.x, *y, LABEL_SIZE, spot.anchor, Role::Ink, line).bold());
        }
        placed.push(spot.bounds);
        let who = who.to_lowercase();
        sentences.push(format!("the {who} of items hold {held} of the total"));
    }

    Ok(Drawing {
        height,
        body: out,
        summary: format!(
            "Lorenz curve of {} points: {}.",
            curve.len(),
            sentences.join("; ")
        ),
    })
}

/// (population share, cumulative share) pairs in population order, clamped to 0..1.
fn parse(points: &[Point]) -> Result<Vec<(f64, f64)>> {
    let mut curve = points
        .iter()
        .map(|p| {
            let x = p.label.trim().parse::<f64>().ok().filter(|x| x.is_finite());
            let x = x.with_context(|| {
                format!(
                    "series label `{}` is not a population share (0 to 1)",
                    p.label
                )
            })?;
            Ok((x.clamp(0.0, 1.0), p.value.clamp(0.0, 1.0)))
        })
        .collect::<Result<Vec<(f64, f64)>>>()?;
    curve.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(curve)
}

/// Percent gridlines and ticks on both axes, and the axis titles. Returns the box of
/// the y-axis title, which sits inside the plot.
fn axes(out: &mut Svg, frame: &Frame) -> Rect {
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let label = format::percent(t);
        let (x, y) = frame.px((t, t));
        out.line(Role::Grid, (frame.left, y), (frame.right, y), 1.0);
        out.line(Role::Grid, (x, frame.top), (x, frame.bottom), 1.0);
        let baseline = y + TICK_SIZE * 0.35;
        let tick = Text::new(
            frame.left - 8.0,
            baseline,
            TICK_SIZE,
            Anchor::End,
            Role::Muted,
            &label,
        );
        out.text(&tick);
        // The first tick keeps clear of the y-axis labels; the last is centred on its
        // gridline in the right margin when it fits there, or else ends at it (on a
        // phone's width, ending at it would crowd the tick before).
        let anchor = match t {
            0.0 => Anchor::Start,
            1.0 if text_width(&label, TICK_SIZE) / 2.0 > RIGHT => Anchor::End,
            _ => Anchor::Middle,
        };
        out.text(&Text::new(
            x,
            frame.bottom + 18.0,
            TICK_SIZE,
            anchor,
            Role::Muted,
            &label,
        ));
    }
    let x_title = "Share of items, smallest first \u{2192}";
    let middle = (frame.left + frame.right) / 2.0;
    out.text(&Text::new(
        middle,
        frame.bottom + BOTTOM - 8.0,
        TICK_SIZE,
        Anchor::Middle,
        Role::Muted,
        x_title,
    ));
    let y_title = "\u{2191} Share of the total";
    let (x, y) = (frame.left + 8.0, frame.top + TICK_SIZE + 8.0);
    out.text(&Text::new(
        x,
        y,
        TICK_SIZE,
        Anchor::Start,
        Role::Muted,
        y_title,
    ));
    Rect::of_text(
        x,
        y,
        text_width(y_title, TICK_SIZE),
        TICK_SIZE,
        Anchor::Start,
    )
}

/// "Line of equality" just above the diagonal, in the upper-left triangle no Lorenz
/// curve enters: level, ending a little left of the line a quarter of the way up, or
/// further up when the plot is too narrow for it to start inside there. Returns its
/// box, an obstacle for the annotations.
fn equality_label(out: &mut Svg, frame: &Frame) -> Rect {
    let text = "Line of equality";
    let width = text_width(text, TICK_SIZE);
    let at = ((width + 12.0) / (frame.right - frame.left)).max(0.25);
    let (x, y) = (frame.x(at) - 6.0, frame.y(at) - 8.0);
    out.text(&Text::new(x, y, TICK_SIZE, Anchor::End, Role::Muted, text));
    Rect::of_text(x, y, width, TICK_SIZE, Anchor::End)
}

/// What the annotations say: the bottom half's share, and the top 1% (or 10%, when the
/// points are too coarse for 1%): ((population, cumulative share), who, held).
fn readings(curve: &[(f64, f64)]) -> Vec<((f64, f64), String, String)> {
    let fine = curve.windows(2).all(|w| w[1].0 - w[0].0 <= 0.0101);
    let top = if fine { 0.01 } else { 0.1 };
    let mut out = Vec::new();
    if let Some(held) = interpolate(curve, 0.5) {
        out.push(((0.5, held), "Bottom 50%".to_owned(), share(held)));
    }
    if let Some(held) = interpolate(curve, 1.0 - top) {
        let who = format!("Top {}", format::percent(top));
        out.push(((1.0 - top, held), who, share(1.0 - held)));
    }
    out
}

/// A thin line from a point to its label when the label had to move away from it.
fn leader(out: &mut Svg, point: (f64, f64), label: &Rect) {
    let near = (
        point.0.clamp(label.x0, label.x1),
        point.1.clamp(label.y0, label.y1),
    );
    let (dx, dy) = (near.0 - point.0, near.1 - point.1);
    let distance = dx.hypot(dy);
    if distance > 16.0 {
        let from = (point.0 + dx / distance * 6.0, point.1 + dy / distance * 6.0);
        let to = (near.0 - dx / distance * 3.0, near.1 - dy / distance * 3.0);
        out.line(Role::Axis, from, to, 1.0);
    }
}

/// A share as a percent, saying "<0.1%" rather than rounding a small share to 0%.
fn share(v: f64) -> String {
    if v > 0.0 && v < 0.001 {
        "<0.1%".to_owned()
    } else {
        format::percent(v)
    }
}

/// The curve's height at population share `at`, if the points reach that far.
fn interpolate(curve: &[(f64, f64)], at: f64) -> Option<f64> {
    curve
        .windows(2)
        .find(|w| w[0].0 <= at && at <= w[1].0)
        .map(|w| {
            let span = w[1].0 - w[0].0;
            if span <= 0.0 {
                w[0].1
            } else {
                w[0].1 + (w[1].1 - w[0].1) * (at - w[0].0) / span
            }
        })
}

/// Where an annotation goes: its lines' anchor `x` and baselines, and its box.
struct Spot {
    x: f64,
    baselines: Vec<f64>,
    anchor: Anchor,
    bounds: Rect,
}

/// How an annotation of several lines sits on a spot's baseline: growing up from it
/// (spots above the point), centred on it (beside), or growing down (below).
#[derive(Clone, Copy)]
enum Grow {
    Up,
    Centred,
    Down,
}

/// Where the `note` (its lines) for `point` goes: the first candidate spot (left,
/// above-left, above, right, below-right, below, then higher above-left; for a note of
/// several lines, then above with the point under its right or left end; then higher
/// above, up to 118 units, and a little to the right; then further up and to the left,
/// beyond the line of equality, up to 270 units) whose box
/// stays in the plot and clear of the `lines` and the labels already `placed`; the
/// first spot if none is clear.
fn place(
    point: (f64, f64),
    note: &[String],
    plot: Rect,
    lines: &[&[(f64, f64)]],
    placed: &[Rect],
) -> Spot {
    const LEADING: f64 = LABEL_SIZE * 1.25;
    // Bold runs about a tenth wider than the regular widths `text_width` knows.
    let width = note
        .iter()
        .map(|l| text_width(l, LABEL_SIZE) * 1.1)
        .fold(0.0, f64::max);
    let extra = LEADING * note.len().saturating_sub(1) as f64;
    let (px, py) = point;
    let lift = LABEL_SIZE * 0.35;
    let mut candidates = vec![
        (px - 10.0, py + lift, Anchor::End, Grow::Centred),
        (px - 6.0, py - 10.0, Anchor::End, Grow::Up),
        (px, py - 12.0, Anchor::Middle, Grow::Up),
        (px + 10.0, py + lift, Anchor::Start, Grow::Centred),
        (px + 6.0, py + LABEL_SIZE + 8.0, Anchor::Start, Grow::Down),
        (px, py + LABEL_SIZE + 10.0, Anchor::Middle, Grow::Down),
        (px - 6.0, py - 28.0, Anchor::End, Grow::Up),
        (px - 6.0, py - 46.0, Anchor::End, Grow::Up),
    ];
    if note.len() > 1 {
        candidates.push((px + 10.0, py - 12.0, Anchor::End, Grow::Up));
        candidates.push((px - 10.0, py - 12.0, Anchor::Start, Grow::Up));
    }
    // Higher above, between the line of equality and a curve that rises just right of
    // the point (a narrow plot's room), joined to the point by the leader.
    for dy in [28.0, 46.0, 64.0, 82.0, 100.0, 118.0] {
        for dx in [0.0, 12.0, 24.0, 36.0] {
            candidates.push((px + dx, py - dy, Anchor::Middle, Grow::Up));
        }
    }
    // Failing that, up and to the left, above the line of equality.
    for step in 4..16 {
        candidates.push((px - 6.0, py - 18.0 * f64::from(step), Anchor::End, Grow::Up));
    }
    let spot = |&(x, y, anchor, grow): &(f64, f64, Anchor, Grow)| {
        let first = match grow {
            Grow::Up => y - extra,
            Grow::Centred => y - extra / 2.0,
            Grow::Down => y,
        };
        let top = Rect::of_text(x, first, width, LABEL_SIZE, anchor);
        let bounds = Rect {
            y1: top.y1 + extra,
            ..top
        };
        let baselines = (0..note.len())
            .map(|i| first + LEADING * i as f64)
            .collect();
        Spot {
            x,
            baselines,
            anchor,
            bounds,
        }
    };
    let clear = |spot: &Spot| {
        let padded = spot.bounds.grow(3.0);
        spot.bounds.inside(&plot)
            && lines.iter().all(|line| !padded.crosses(line))
            && placed.iter().all(|r| !r.grow(4.0).overlaps(&spot.bounds))
    };
    candidates
        .iter()
        .map(spot)
        .find(clear)
        .unwrap_or_else(|| spot(&candidates[0]))
}
