//! Line and area charts over months (`YYYY-MM` labels): light horizontal gridlines with
//! compact value ticks, year ticks along the bottom (thinned until they cannot touch),
//! and the last value labelled at the line's end instead of a legend.
//!
//! The narrow layout is shorter; its half width thins the month ticks by the same rule
//! (every other year, every fifth, …).

use anyhow::{Context, Result};

use crate::config::Format;
use crate::dates::Month;
use crate::figures::Point;
use crate::format;

use super::layout::{nice_ticks, short_number, text_width};
use super::svg::{Anchor, Svg, Text};
use super::theme::{Role, LABEL_SIZE, TICK_SIZE};
use super::{Drawing, Width};

const HEIGHT: f64 = 360.0;
/// Shorter on a phone, where the chart is half as wide.
const NARROW_HEIGHT: f64 = 280.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 32.0;
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A line (or, `filled`, an area) of the series over its months.
pub(super) fn draw(
    points: &[Point],
    format: Format,
    filled: bool,
    width: Width,
) -> Result<Drawing> {
    let mut data = points
        .iter()
        .map(|p| Ok((month(&p.label)?, p.value)))
        .collect::<Result<Vec<(i64, f64)>>>()?;
    data.sort_by_key(|d| d.0);
    let (first, last) = (data[0], data[data.len() - 1]);

    let lo = data.iter().map(|d| d.1).fold(0.0, f64::min);
    let hi = data.iter().map(|d| d.1).fold(0.0, f64::max);
    let ticks = nice_ticks(lo, hi, 4);
    let step = ticks[1] - ticks[0];
    let tick_labels: Vec<String> = ticks
        .iter()
        .map(|t| short_number(*t, step, format))
        .collect();
    let end_label = short_number(last.1, 0.0, format);

    let widest_tick = tick_labels
        .iter()
        .map(|t| text_width(t, TICK_SIZE))
        .fold(0.0, f64::max);
    // Room for the tick labels, and for half of a first month label centred on the edge.
    let left = (widest_tick + 10.0).max(text_width(&name(first.0), TICK_SIZE) / 2.0 + 4.0);
    let right = width.units()
        - (text_width(&end_label, LABEL_SIZE) * 1.1 + 16.0)
            .max(text_width(&name(last.0), TICK_SIZE) / 2.0 + 4.0);
    let (y_lo, y_hi) = (ticks[0], ticks[ticks.len() - 1]);
    let height = match width {
        Width::Wide => HEIGHT,
        Width::Narrow => NARROW_HEIGHT,
    };
    let bottom = height - BOTTOM;
    let x = |m: i64| {
        if last.0 == first.0 {
            (left + right) / 2.0
        } else {
            left + (right - left) * (m - first.0) as f64 / (last.0 - first.0) as f64
        }
    };
    let y = |v: f64| bottom - (bottom - TOP) * (v - y_lo) / (y_hi - y_lo);

    let mut out = Svg::new();
    for (t, label) in ticks.iter().zip(&tick_labels) {
        let role = if *t == 0.0 { Role::Axis } else { Role::Grid };
        out.line(role, (left, y(*t)), (right, y(*t)), 1.0);
        let baseline = y(*t) + TICK_SIZE * 0.35;
        out.text(&Text::new(
            left - 8.0,
            baseline,
            TICK_SIZE,
            Anchor::End,
            Role::Muted,
            label,
        ));
    }
    for (m, label) in month_ticks(first.0, last.0, left, right) {
        out.line(Role::Axis, (x(m), bottom), (x(m), bottom + 5.0), 1.0);
        out.text(&Text::new(
            x(m),
            bottom + 20.0,
            TICK_SIZE,
            Anchor::Middle,
            Role::Muted,
            &label,
        ));
    }
    let line: Vec<(f64, f64)> = data.iter().map(|&(m, v)| (x(m), y(v))).collect();
    if filled {
        let base = y(0.0_f64.clamp(y_lo, y_hi));
        let mut area = line.clone();
        area.push((x(last.0), base));
        area.push((x(first.0), base));
        out.polygon(Role::Area, &area);
    }
    out.polyline(Role::Line, &line, 2.5);
    let end = line[line.len() - 1];
    out.circle(Role::Bar, end, 4.0);
    let label_y = (end.1 + LABEL_SIZE * 0.35).clamp(LABEL_SIZE, bottom);
    out.text(
        &Text::new(
            end.0 + 9.0,
            label_y,
            LABEL_SIZE,
            Anchor::Start,
            Role::Ink,
            &end_label,
        )
        .bold(),
    );

    let peak = data
        .iter()
        .fold(first, |a, &b| if b.1 > a.1 { b } else { a });
    let noun = if filled { "Area chart" } else { "Line chart" };
    let summary = format!(
        "{noun}, {} months from {} to {}: {} at the start, {} at the end; highest {} in {}.",
        data.len(),
        name(first.0),
        name(last.0),
        format::number(first.1, format),
        format::number(last.1, format),
        format::number(peak.1, format),
        name(peak.0),
    );
    Ok(Drawing {
        height,
        body: out,
        summary,
    })
}

/// `"2024-03"` → months since year 0 (2024 * 12 + 2).
fn month(label: &str) -> Result<i64> {
    let month: Month = label
        .parse()
        .with_context(|| format!("series label `{label}` is not a month (`YYYY-MM`)"))?;
    Ok(i64::from(month.index()))
}

/// "Mar 2024".
fn name(m: i64) -> String {
    format!("{} {}", MONTHS[m.rem_euclid(12) as usize], m.div_euclid(12))
}

/// Tick positions (as months) and labels for an x axis from `left` to `right` px.
/// Spans with two or more Januaries get every `k`th year; shorter spans get every `k`th
/// month ("Jul 2025", "Aug", …, naming the year on the first tick and on January). `k`
/// is the smallest step whose labels keep 16px apart.
fn month_ticks(first: i64, last: i64, left: f64, right: f64) -> Vec<(i64, String)> {
    let px_per_month = if last > first {
        (right - left) / (last - first) as f64
    } else {
        0.0
    };
    let januaries = (first..=last).filter(|m| m.rem_euclid(12) == 0).count();
    let candidates: Vec<Vec<(i64, String)>> = if januaries >= 2 {
        [1, 2, 5, 10, 20, 50, 100]
            .iter()
            .map(|k| {
                (first..=last)
                    .filter(|m| m.rem_euclid(12) == 0 && m.div_euclid(12) % k == 0)
                    .map(|m| (m, m.div_euclid(12).to_string()))
                    .collect()
            })
            .collect()
    } else {
        [1, 2, 3, 6, 12]
            .iter()
            .map(|k| {
                let months = (first..=last).filter(|m| m.rem_euclid(*k) == 0);
                months
                    .enumerate()
                    .map(|(i, m)| {
                        let label = if i == 0 || m.rem_euclid(12) == 0 {
                            name(m)
                        } else {
                            MONTHS[m.rem_euclid(12) as usize].to_owned()
                        };
                        (m, label)
                    })
                    .collect()
            })
            .collect()
    };
    let clear = |ticks: &Vec<(i64, String)>| {
        !ticks.is_empty()
            && ticks.windows(2).all(|w| {
                let need = (text_width(&w[0].1, TICK_SIZE) + text_width(&w[1].1, TICK_SIZE)) / 2.0;
                (w[1].0 - w[0].0) as f64 * px_per_month >= need + 16.0
            })
    };
    candidates
        .into_iter()
        .find(clear)
        .unwrap_or_else(|| vec![(first, name(first))])
}
