//! Horizontal bar charts: one bar per label, or (grouped) the compared edition's bar
//! above this edition's, with category labels on the left and values at the bar ends.
//!
//! No value axis: every bar carries its value. The label column is as wide as the
//! longest label needs, up to 40% of the width; longer labels are cut with an ellipsis
//! in the wide layout. The narrow layout has no room to cut them so short: when one
//! label is too long for the column, every label goes above its bar, across the width.

use crate::config::Format;
use crate::figures::{Figure, Point};
use crate::format;
use crate::metrics::group::OTHER;

use super::layout::{fit, text_width};
use super::svg::{Anchor, Svg, Text};
use super::theme::{Role, LABEL_SIZE, TICK_SIZE};
use super::{list, Drawing, Width};

/// Gap between the label column and the bars, and between a bar and its value.
const GAP: f64 = 10.0;
/// Room kept free at the right edge.
const EDGE: f64 = 4.0;
/// The widest the label column may get, as a share of the width.
const MAX_LABEL_SHARE: f64 = 0.4;
/// The side of a legend swatch.
const SWATCH: f64 = 12.0;

/// In the narrow layout, labels above the bars sit this far down their row (baseline)
/// and the bars start this far down.
const ABOVE_BASELINE: f64 = LABEL_SIZE;
const ABOVE_BAR: f64 = LABEL_SIZE + 7.0;
/// The space between a bar and the next row's label above its bar.
const ABOVE_GAP: f64 = 12.0;

/// The horizontal geometry shared by plain and grouped bars.
struct Columns {
    layout: Width,
    /// Labels go above their bars (narrow layout, long labels) rather than beside them.
    above: bool,
    /// Where the label column ends (labels are right-aligned here); with labels above,
    /// where they start.
    label_end: f64,
    label_width: f64,
    /// Where bars start.
    x0: f64,
    /// Pixels per unit of value.
    scale: f64,
}

impl Columns {
    /// A category label, cut to its room and placed on `baseline`: right-aligned in
    /// the label column, or from the left edge when labels go above the bars.
    fn label(&self, out: &mut Svg, label: &str, baseline: f64) {
        let anchor = if self.above {
            Anchor::Start
        } else {
            Anchor::End
        };
        let label = fit(label, LABEL_SIZE, self.label_width);
        let text = Text::new(
            self.label_end,
            baseline,
            LABEL_SIZE,
            anchor,
            Role::Ink,
            &label,
        );
        out.text(&text);
    }
}

fn columns(labels: &[&str], values: &[String], max: f64, width: Width) -> Columns {
    let w = width.units();
    let widest_label = labels
        .iter()
        .map(|l| text_width(l, LABEL_SIZE))
        .fold(0.0, f64::max);
    let column = w * MAX_LABEL_SHARE;
    let above = width == Width::Narrow && widest_label > column;
    let widest_value = values
        .iter()
        .map(|v| text_width(v, LABEL_SIZE))
        .fold(0.0, f64::max);
    let (label_end, label_width, x0) = if above {
        (EDGE, w - 2.0 * EDGE, EDGE)
    } else {
        let label_width = widest_label.min(column).ceil();
        (EDGE + label_width, label_width, EDGE + label_width + GAP)
    };
    let room = (w - EDGE - widest_value - GAP - x0).max(1.0);
    let scale = if max > 0.0 { room / max } else { 0.0 };
    Columns {
        layout: width,
        above,
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
    if i + 1 == points.len() && points[i].label == OTHER {
        Role::Other
    } else {
        Role::Bar
    }
}

/// Value labels that read alike down a chart: when any percent shows a decimal, whole
/// percents show one too ("7.0%" beside "5.8%", not "7%"). Prose keeps "37%".
fn alike(values: Vec<String>, format: Format) -> Vec<String> {
    if format != Format::Percent || !values.iter().any(|v| v.contains('.')) {
        return values;
    }
    (values.into_iter())
        .map(|v| match v.strip_suffix('%') {
            Some(n) if n.bytes().all(|b| b.is_ascii_digit()) => format!("{n}.0%"),
            _ => v,
        })
        .collect()
}

/// One bar per point, in the given order.
pub(super) fn draw(points: &[Point], format: Format, width: Width) -> Drawing {
    const BAR: f64 = 20.0;
    const TOP: f64 = 6.0;

    let labels: Vec<&str> = points.iter().map(|p| p.label.as_str()).collect();
    let values: Vec<String> = points
        .iter()
        .map(|p| format::number(p.value, format))
        .collect();
    let values = alike(values, format);
    let max = points.iter().map(|p| p.value).fold(0.0, f64::max);
    let cols = columns(&labels, &values, max, width);
    // A row: the bar with its label beside it, or the label and the bar below it, and
    // the space after the bar (no need for it after the last bar).
    let (row, bar_top, after) = if cols.above {
        (ABOVE_BAR + BAR + ABOVE_GAP, ABOVE_BAR, ABOVE_GAP)
    } else {
        (30.0, 5.0, 0.0)
    };
    let height = TOP * 2.0 + row * points.len() as f64 - after;

    let mut out = Svg::new();
    for (i, (point, value)) in points.iter().zip(&values).enumerate() {
        let top = TOP + row * i as f64;
        let middle = top + bar_top + BAR / 2.0;
        let width = point.value.max(0.0) * cols.scale;
        out.rect(bar_role(points, i), cols.x0, middle - BAR / 2.0, width, BAR);
        let baseline = middle + LABEL_SIZE * 0.35;
        let label_baseline = if cols.above {
            top + ABOVE_BASELINE
        } else {
            baseline
        };
        cols.label(&mut out, &point.label, label_baseline);
        out.text(&Text::new(
            cols.x0 + width + GAP * 0.6,
            baseline,
            LABEL_SIZE,
            Anchor::Start,
            Role::Ink,
            value,
        ));
    }
    // With labels above the bars, the bars' common start is axis enough.
    if !cols.above {
        out.line(Role::Axis, (cols.x0, TOP), (cols.x0, height - TOP), 1.0);
    }

    let items: Vec<String> = points
        .iter()
        .zip(&values)
        .map(|(p, v)| format!("{} {v}", format::text(&p.label)))
        .collect();
    Drawing {
        height,
        body: out,
        summary: format!("Bar chart. {}.", list(&items, 20)),
    }
}

/// One row per label (`merge`): the earlier edition's bar above this edition's. A
/// value missing in one edition (a series other than shares by group) shows "–".
pub(super) fn draw_grouped(
    rows: &[Row],
    (edition, earlier): (&str, &str),
    format: Format,
    width: Width,
) -> Drawing {
    const BAR: f64 = 15.0;
    const INNER: f64 = 2.0;
    const MISSING: &str = "\u{2013}";

    let labels: Vec<&str> = rows.iter().map(|r| r.0).collect();
    let text = |v: Option<f64>| v.map_or(MISSING.to_owned(), |v| format::number(v, format));
    let values: Vec<String> = rows
        .iter()
        .flat_map(|&(_, a, b)| [text(a), text(b)])
        .collect();
    let values = alike(values, format);
    let max = rows
        .iter()
        .flat_map(|&(_, a, b)| [a.unwrap_or(0.0), b.unwrap_or(0.0)])
        .fold(0.0, f64::max);
    let cols = columns(&labels, &values, max, width);
    // A row: the pair of bars with the label beside them, or the label and the bars
    // below it; `middle` is the line between the bars.
    let (row, middle, after) = if cols.above {
        let row = ABOVE_BAR + 2.0 * BAR + INNER + ABOVE_GAP;
        (row, ABOVE_BAR + BAR + INNER / 2.0, ABOVE_GAP)
    } else {
        (46.0, 23.0, 0.0)
    };

    let mut out = Svg::new();
    let legend_height = legend(&mut out, &cols, earlier, edition);
    let height = legend_height + row * rows.len() as f64 + 6.0 - after;
    for (i, &(label, now_value, before_value)) in rows.iter().enumerate() {
        let top = legend_height + row * i as f64;
        let middle = top + middle;
        let bars = [
            (
                before_value,
                &values[2 * i + 1],
                middle - INNER / 2.0 - BAR,
                Role::Prev,
                Role::Muted,
            ),
            (
                now_value,
                &values[2 * i],
                middle + INNER / 2.0,
                Role::Bar,
                Role::Ink,
            ),
        ];
        for (value, shown, y, role, text_role) in bars {
            let width = value.unwrap_or(0.0).max(0.0) * cols.scale;
            out.rect(role, cols.x0, y, width, BAR);
            out.text(&Text::new(
                cols.x0 + width + GAP * 0.6,
                y + BAR / 2.0 + TICK_SIZE * 0.35,
                TICK_SIZE,
                Anchor::Start,
                text_role,
                shown,
            ));
        }
        let baseline = if cols.above {
            top + ABOVE_BASELINE
        } else {
            middle + LABEL_SIZE * 0.35
        };
        cols.label(&mut out, label, baseline);
    }
    if !cols.above {
        let bottom = height - 6.0;
        out.line(Role::Axis, (cols.x0, legend_height), (cols.x0, bottom), 1.0);
    }

    let items: Vec<String> = rows
        .iter()
        .map(|&(label, now, before)| compared(&format::text(label), now, before, earlier, format))
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

/// One row read out: "China 41%, up from 20%", "Japan 7%, none in Spring 2025",
/// "France 6%, not listed in Spring 2025" (a series without every group's share).
fn compared(
    label: &str,
    now: Option<f64>,
    before: Option<f64>,
    earlier: &str,
    format: Format,
) -> String {
    let text = |v: f64| format::number(v, format);
    match (now, before) {
        (Some(a), Some(b)) if b == 0.0 && a != 0.0 => {
            format!("{label} {}, none in {earlier}", text(a))
        }
        (Some(a), Some(b)) if a == 0.0 && b != 0.0 => {
            format!("{label} none, {} in {earlier}", text(b))
        }
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
/// start when both names fit there, else from the left edge. In the wide layout a name
/// that still does not fit is cut, the shorter name kept whole when it can be; in the
/// narrow layout each name gets a line of its own instead, cut only if it does not fit
/// the width alone. Returns the legend's height.
fn legend(out: &mut Svg, cols: &Columns, earlier: &str, edition: &str) -> f64 {
    // Swatch, its gap to the name, and the gap before the next item.
    const OVERHEAD: f64 = SWATCH + 6.0 + 2.0 * GAP;
    const LINE: f64 = 20.0;
    let baseline = 18.0;
    let width = cols.layout.units();
    let widths = [earlier, edition].map(|n| text_width(n, TICK_SIZE));
    let need = widths[0] + widths[1] + 2.0 * OVERHEAD;
    let mut x = if cols.x0 + need <= width - EDGE {
        cols.x0
    } else {
        EDGE
    };
    let stacked = cols.layout == Width::Narrow && x + need > width - EDGE;
    let items = [(earlier, Role::Prev), (edition, Role::Bar)];
    if stacked {
        let room = width - 2.0 * EDGE - SWATCH - 6.0;
        for (i, (name, role)) in items.into_iter().enumerate() {
            let baseline = baseline + LINE * i as f64;
            swatch(out, role, x, baseline, &fit(name, TICK_SIZE, room));
        }
        return 30.0 + LINE;
    }
    let room = width - EDGE - x - 2.0 * OVERHEAD;
    let shorter = widths[0].min(widths[1]).min(room / 2.0);
    for (name, role) in items {
        let name = fit(name, TICK_SIZE, room - shorter);
        swatch(out, role, x, baseline, &name);
        x += OVERHEAD + text_width(&name, TICK_SIZE);
    }
    30.0
}

/// One legend item: a swatch in `role` at `x` and the name after it.
fn swatch(out: &mut Svg, role: Role, x: f64, baseline: f64, name: &str) {
    out.rect(role, x, baseline - SWATCH + 1.0, SWATCH, SWATCH);
    out.text(&Text::new(
        x + SWATCH + 6.0,
        baseline,
        TICK_SIZE,
        Anchor::Start,
        Role::Muted,
        name,
    ));
}

/// One row of a comparison: a label, this edition's value, the earlier edition's.
pub type Row<'a> = (&'a str, Option<f64>, Option<f64>);

/// The rows a grouped-bar chart draws, and the page's data table shows (so table and
/// chart always agree): the groups `now` shows, each with its share in both editions.
///
/// Shares by group carry every group's share (`Figure::groups`), so a group in this
/// edition's top but outside the earlier edition's still gets its real share there
/// (0 when it had none), and "Other" stands for the same groups in both editions:
/// everything this edition does not name. Other series are matched by label:
/// `merge_labels`.
pub fn merge<'a>(now: &'a Figure, before: &'a Figure) -> Vec<Row<'a>> {
    let points = now.series().unwrap_or_default();
    let earlier = before.series().unwrap_or_default();
    if now.groups.is_empty() || before.groups.is_empty() {
        return merge_labels(points, earlier);
    }
    // The groups `now` names lead its groups, in the same order; "Other" follows.
    let named = points
        .iter()
        .zip(&now.groups)
        .take_while(|(p, g)| p.label == g.label)
        .count();
    let share_then = |label: &str| -> f64 {
        (before.groups.iter())
            .filter(|g| g.label == label)
            .map(|g| g.value)
            .sum()
    };
    let mut rows: Vec<Row> = points[..named]
        .iter()
        .map(|p| (p.label.as_str(), Some(p.value), Some(share_then(&p.label))))
        .collect();
    let other_now: f64 = points[named..].iter().map(|p| p.value).sum();
    let other_then: f64 = (before.groups.iter())
        .filter(|g| !points[..named].iter().any(|p| p.label == g.label))
        .map(|g| g.value)
        .sum();
    if other_now > 0.0 || other_then > 0.0 {
        rows.push((OTHER, Some(other_now), Some(other_then)));
    }
    rows
}

/// Rows matched by label: this edition's labels, then those only the earlier edition
/// has (before a trailing "Other"), a missing value being `None`.
fn merge_labels<'a>(now: &'a [Point], before: &'a [Point]) -> Vec<Row<'a>> {
    let find =
        |points: &[Point], label: &str| points.iter().find(|p| p.label == label).map(|p| p.value);
    let mut rows: Vec<_> = now
        .iter()
        .map(|p| (p.label.as_str(), Some(p.value), find(before, &p.label)))
        .collect();
    let trailing_other = rows.last().is_some_and(|r| r.0 == OTHER);
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
