//! Histograms over log bins: vertical bars in the series' order, bin labels under the
//! bars, counts on top of the bars when they fit (otherwise a compact value axis).
//!
//! Bin labels ("1K–9.9K") stay horizontal when each fits its bar's slot, turn upright
//! (reading upward, as plotters turns text only by quarters) when not, and are thinned
//! to every k-th bin when even upright labels would touch. The narrow layout is
//! shorter; its slots are half as wide, so its labels turn upright sooner.

use crate::config::Format;
use crate::figures::Point;
use crate::format;

use super::layout::{fit, nice_ticks, short_number, text_width};
use super::svg::{Anchor, Svg, Text};
use super::theme::{Role, TICK_SIZE};
use super::{list, Drawing, Width};

const TOP: f64 = 24.0;
const PLOT: f64 = 240.0;
/// Shorter on a phone, where the chart is half as wide.
const NARROW_PLOT: f64 = 200.0;
const EDGE: f64 = 4.0;
/// The share of a slot its bar fills.
const BAR_SHARE: f64 = 0.8;
/// The longest a bin label may get.
const MAX_LABEL: f64 = 140.0;
/// The smallest type used, for bin labels that would otherwise have to turn.
const MIN_SIZE: f64 = 12.0;
/// Space between the axis and the bin labels' top.
const LABEL_GAP: f64 = 8.0;

/// How the bin labels sit under the bars.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Labels {
    /// Horizontal, at this font size.
    Level(f64),
    /// Upright, reading upward from the bottom, showing every `n`th label.
    Upright(usize),
}

/// Vertical bars, one per bin.
pub(super) fn draw(points: &[Point], format: Format, width: Width) -> Drawing {
    let n = points.len();
    let w = width.units();
    let labels: Vec<String> = points
        .iter()
        .map(|p| fit(&p.label, TICK_SIZE, MAX_LABEL))
        .collect();
    let widest_label = labels
        .iter()
        .map(|l| text_width(l, TICK_SIZE))
        .fold(0.0, f64::max);
    let counts: Vec<String> = points
        .iter()
        .map(|p| short_number(p.value, 0.0, format))
        .collect();
    let widest_count = counts
        .iter()
        .map(|c| text_width(c, TICK_SIZE))
        .fold(0.0, f64::max);
    let max = points.iter().map(|p| p.value).fold(0.0, f64::max);
    let ticks = nice_ticks(0.0, max, 4);

    // Counts on the bars when each fits over its bar; otherwise an axis on the left.
    let direct = widest_count <= (w - 2.0 * EDGE) / n as f64 * 0.95;
    let axis_width = if direct {
        0.0
    } else {
        let step = ticks[1] - ticks[0];
        ticks
            .iter()
            .map(|t| text_width(&short_number(*t, step, format), TICK_SIZE))
            .fold(0.0, f64::max)
            + 8.0
    };
    let left = EDGE + axis_width;
    let slot = (w - EDGE - left) / n as f64;
    // Level at the usual size, else level at the smallest readable size, else upright.
    let mode = if widest_label <= slot - 6.0 {
        Labels::Level(TICK_SIZE)
    } else if widest_label * MIN_SIZE / TICK_SIZE <= slot - 6.0 {
        Labels::Level(MIN_SIZE)
    } else {
        Labels::Upright((TICK_SIZE * 1.5 / slot).ceil().max(1.0) as usize)
    };
    let bottom_room = match mode {
        Labels::Level(_) => 24.0,
        Labels::Upright(_) => LABEL_GAP + widest_label + 6.0,
    };
    let plot = match width {
        Width::Wide => PLOT,
        Width::Narrow => NARROW_PLOT,
    };
    let base = TOP + plot;
    let y_top = if direct {
        max.max(f64::MIN_POSITIVE)
    } else {
        ticks[ticks.len() - 1]
    };
    let y = |v: f64| base - plot * v.max(0.0) / y_top;

    let mut out = Svg::new();
    if !direct {
        let step = ticks[1] - ticks[0];
        for t in &ticks[1..] {
            out.line(Role::Grid, (left, y(*t)), (w - EDGE, y(*t)), 1.0);
            out.text(&Text::new(
                left - 8.0,
                y(*t) + TICK_SIZE * 0.35,
                TICK_SIZE,
                Anchor::End,
                Role::Muted,
                &short_number(*t, step, format),
            ));
        }
    }
    for (i, (point, count)) in points.iter().zip(&counts).enumerate() {
        let center = left + slot * (i as f64 + 0.5);
        // A non-zero count never vanishes: at least a hairline of bar.
        let top = if point.value > 0.0 {
            y(point.value).min(base - 1.0)
        } else {
            base
        };
        out.rect(
            Role::Bar,
            center - slot * BAR_SHARE / 2.0,
            top,
            slot * BAR_SHARE,
            base - top,
        );
        if direct {
            out.text(&Text::new(
                center,
                top - 6.0,
                TICK_SIZE,
                Anchor::Middle,
                Role::Ink,
                count,
            ));
        }
        let label = &labels[i];
        match mode {
            Labels::Level(size) => out.text(&Text::new(
                center,
                base + 18.0,
                size,
                Anchor::Middle,
                Role::Muted,
                label,
            )),
            // The glyphs straddle the bar's centre: the baseline runs 0.35 of the size
            // right of it, the ascent reaches 0.8 of the size left of the baseline.
            Labels::Upright(every) if i % every == 0 => out.text(
                &Text::new(
                    (center + TICK_SIZE * 0.35)
                        .clamp(EDGE + TICK_SIZE * 0.8, w - EDGE - TICK_SIZE * 0.25),
                    base + LABEL_GAP,
                    TICK_SIZE,
                    Anchor::End,
                    Role::Muted,
                    label,
                )
                .vertical(),
            ),
            Labels::Upright(_) => {}
        }
    }
    out.line(Role::Axis, (left, base), (w - EDGE, base), 1.0);

    let items: Vec<String> = points
        .iter()
        .map(|p| format!("{}: {}", p.label, format::number(p.value, format)))
        .collect();
    Drawing {
        height: base + bottom_room,
        body: out,
        summary: format!("Histogram of {n} bins. {}.", list(&items, 20)),
    }
}
