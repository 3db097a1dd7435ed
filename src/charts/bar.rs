//! Horizontal bar charts: one bar per label, or (grouped) the compared edition's bar
//! above this edition's, with category labels on the left and values at the bar ends.
//!
//! No value axis: every bar carries its value. The label column is as wide as the
//! longest label needs, up to 40% of the width; longer labels are cut with an ellipsis.

use crate::config::Format;
use crate::figures::Point;
use crate::format;

use super::layout::{fit, text_width};
use super::svg::{Anchor, Svg, Text};
use super::theme::{Role, LABEL_SIZE, TICK_SIZE, WIDTH};
use super::{list, Drawing};

/// Gap between the label column and the bars, and between a bar and its value.
const GAP: f64 = 10.0;
/// Room kept free at the right edge.
const EDGE: f64 = 4.0;
/// The widest the label column may get, as a share of the width.
const MAX_LABEL_SHARE: f64 = 0.4;

/// The horizontal geometry shared by plain and grouped bars.
struct Columns {
    /// Where the label column ends (labels are right-aligned here).
    label_end: f64,
    label_width: f64,
    /// Where bars start.
    x0: f64,
    /// Pixels per unit of value.
    scale: f64,
}

fn columns(labels: &[&str], values: &[String], max: f64) -> Columns {
    let widest_label = labels
        .iter()
        .map(|l| text_width(l, LABEL_SIZE))
        .fold(0.0, f64::max);
    let label_width = widest_label.min(WIDTH * MAX_LABEL_SHARE).ceil();
    let widest_value = values
        .iter()
        .map(|v| text_width(v, LABEL_SIZE))
        .fold(0.0, f64::max);
    let label_end = EDGE + label_width;
    let x0 = label_end + GAP;
    let room = (WIDTH - EDGE - widest_value - GAP - x0).max(1.0);
    let scale = if max > 0.0 { room / max } else { 0.0 };
    Columns {
        label_end,
        label_width,
        x0,
        scale,
    }
}

/// The remainder group `share_by` appends ("Other") is drawn in grey, so the eye goes
/// to the named groups; only as the last bar, so a category that happens to be called
/// "other" (a license, say) keeps its colour.
fn bar_role(points: &[Point], i: usize) -> Role {
    if i + 1 == points.len() && points[i].label == crate::metrics::group::OTHER {
        Role::Other
    } else {
        Role::Bar
    }
}

/// One bar per point, in the given order.
pub(super) fn draw(points: &[Point], format: Format) -> Drawing {
    const ROW: f64 = 30.0;
    const BAR: f64 = 20.0;
    const TOP: f64 = 6.0;

    let labels: Vec<&str> = points.iter().map(|p| p.label.as_str()).collect();
    let values: Vec<String> = points
        .iter()
        .map(|p| format::number(p.value, format))
        .collect();
    let max = points.iter().map(|p| p.value).fold(0.0, f64::max);
    let cols = columns(&labels, &values, max);
    let height = TOP * 2.0 + ROW * points.len() as f64;

    let mut out = Svg::new();
    for (i, (point, value)) in points.iter().zip(&values).enumerate() {
        let top = TOP + ROW * i as f64;
        let middle = top + ROW / 2.0;
        let width = point.value.max(0.0) * cols.scale;
        out.rect(bar_role(points, i), cols.x0, middle - BAR / 2.0, width, BAR);
        let label = fit(&point.label, LABEL_SIZE, cols.label_width);
        let baseline = middle + LABEL_SIZE * 0.35;
        out.text(&Text::new(
            cols.label_end,
            baseline,
            LABEL_SIZE,
            Anchor::End,
            Role::Ink,
            &label,
        ));
        out.text(&Text::new(
            cols.x0 + width + GAP * 0.6,
            baseline,
            LABEL_SIZE,
            Anchor::Start,
            Role::Ink,
            value,
        ));
    }
    out.line(Role::Axis, (cols.x0, TOP), (cols.x0, height - TOP), 1.0);

    let items: Vec<String> = points
        .iter()
        .zip(&values)
        .map(|(p, v)| format!("{} {v}", p.label))
        .collect();
    Drawing {
        height,
        body: out,
        summary: format!("Bar chart. {}.", list(&items, 20)),
    }
}

/// One row per label: the earlier edition's bar above this edition's. Labels found in
/// only one edition show "–" for the other; labels only in the earlier edition come
/// after this edition's, but before a trailing "Other".
pub(super) fn draw_grouped(
    (edition, now): (&str, &[Point]),
    (earlier, before): (&str, &[Point]),
    format: Format,
) -> Drawing {
    const ROW: f64 = 46.0;
    const BAR: f64 = 15.0;
    const INNER: f64 = 2.0;
    const LEGEND: f64 = 30.0;
    const MISSING: &str = "\u{2013}";

    let rows = merge(now, before);
    let labels: Vec<&str> = rows.iter().map(|r| r.0).collect();
    let text = |v: Option<f64>| v.map_or(MISSING.to_owned(), |v| format::number(v, format));
    let values: Vec<String> = rows
        .iter()
        .flat_map(|&(_, a, b)| [text(a), text(b)])
        .collect();
    let max = rows
        .iter()
        .flat_map(|&(_, a, b)| [a.unwrap_or(0.0), b.unwrap_or(0.0)])
        .fold(0.0, f64::max);
    let cols = columns(&labels, &values, max);
    let height = LEGEND + ROW * rows.len() as f64 + 6.0;

    let mut out = Svg::new();
    legend(&mut out, cols.x0, earlier, edition);
    for (i, &(label, now_value, before_value)) in rows.iter().enumerate() {
        let middle = LEGEND + ROW * i as f64 + ROW / 2.0;
        let bars = [
            (
                before_value,
                middle - INNER / 2.0 - BAR,
                Role::Prev,
                Role::Muted,
            ),
            (now_value, middle + INNER / 2.0, Role::Bar, Role::Ink),
        ];
        for (value, y, role, text_role) in bars {
            let width = value.unwrap_or(0.0).max(0.0) * cols.scale;
            out.rect(role, cols.x0, y, width, BAR);
            out.text(&Text::new(
                cols.x0 + width + GAP * 0.6,
                y + BAR / 2.0 + TICK_SIZE * 0.35,
                TICK_SIZE,
                Anchor::Start,
                text_role,
                &text(value),
            ));
        }
        out.text(&Text::new(
            cols.label_end,
            middle + LABEL_SIZE * 0.35,
            LABEL_SIZE,
            Anchor::End,
            Role::Ink,
            &fit(label, LABEL_SIZE, cols.label_width),
        ));
    }
    out.line(Role::Axis, (cols.x0, LEGEND), (cols.x0, height - 6.0), 1.0);

    let items: Vec<String> = rows
        .iter()
        .map(|&(label, now, before)| compared(label, now, before, earlier, format))
        .collect();
    Drawing {
        height,
        body: out,
        summary: format!(
            "Bar chart comparing {earlier} with {edition}. {}.",
            list(&items, 20)
        ),
    }
}

/// One row read out: "China 41%, up from 20%", "France 6%, not listed in Spring 2025".
fn compared(
    label: &str,
    now: Option<f64>,
    before: Option<f64>,
    earlier: &str,
    format: Format,
) -> String {
    let text = |v: f64| format::number(v, format);
    match (now, before) {
        (Some(a), Some(b)) => {
            let trend = match (text(a), text(b)) {
                (x, y) if x == y => "unchanged from",
                _ if a > b => "up from",
                _ => "down from",
            };
            format!("{label} {}, {trend} {}", text(a), text(b))
        }
        (Some(a), None) => format!("{label} {}, not listed in {earlier}", text(a)),
        (None, Some(b)) => format!("{label} not listed, {} in {earlier}", text(b)),
        (None, None) => format!("{label} not listed"),
    }
}

/// Swatches naming the two editions, earlier first, along the top edge: from the bars'
/// start `x0` when both names fit there, else from the left edge; a name that still does
/// not fit is cut, the shorter name kept whole when it can be.
fn legend(out: &mut Svg, x0: f64, earlier: &str, edition: &str) {
    const SWATCH: f64 = 12.0;
    // Swatch, its gap to the name, and the gap before the next item.
    const OVERHEAD: f64 = SWATCH + 6.0 + 2.0 * GAP;
    let baseline = 18.0;
    let widths = [earlier, edition].map(|n| text_width(n, TICK_SIZE));
    let need = widths[0] + widths[1] + 2.0 * OVERHEAD;
    let mut x = if x0 + need <= WIDTH - EDGE { x0 } else { EDGE };
    let room = WIDTH - EDGE - x - 2.0 * OVERHEAD;
    let shorter = widths[0].min(widths[1]).min(room / 2.0);
    for (name, role) in [(earlier, Role::Prev), (edition, Role::Bar)] {
        let name = fit(name, TICK_SIZE, room - shorter);
        out.rect(role, x, baseline - SWATCH + 1.0, SWATCH, SWATCH);
        out.text(&Text::new(
            x + SWATCH + 6.0,
            baseline,
            TICK_SIZE,
            Anchor::Start,
            Role::Muted,
            &name,
        ));
        x += OVERHEAD + text_width(&name, TICK_SIZE);
    }
}

/// (label, this edition's value, earlier edition's value) in display order.
fn merge<'a>(now: &'a [Point], before: &'a [Point]) -> Vec<(&'a str, Option<f64>, Option<f64>)> {
    let find =
        |points: &[Point], label: &str| points.iter().find(|p| p.label == label).map(|p| p.value);
    let mut rows: Vec<_> = now
        .iter()
        .map(|p| (p.label.as_str(), Some(p.value), find(before, &p.label)))
        .collect();
    let trailing_other = rows
        .last()
        .is_some_and(|r| r.0 == crate::metrics::group::OTHER);
    let at = if trailing_other {
        rows.len() - 1
    } else {
        rows.len()
    };
    let only_before: Vec<_> = before
        .iter()
        .filter(|p| find(now, &p.label).is_none())
        .map(|p| (p.label.as_str(), None, Some(p.value)))
        .collect();
    rows.splice(at..at, only_before);
    rows
}
