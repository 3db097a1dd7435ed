//! The charts' test data: small fixed series, and realistic ones (long country names
//! and model ids, four years of months, ten log bins, a steep Lorenz curve).

use crate::config::{ChartDef, ChartKind, Format};
use crate::figures::{Figure, Point, Provenance, Value};

pub(super) fn figure(points: &[(&str, f64)], format: Format) -> Figure {
    let points = points
        .iter()
        .map(|(label, value)| Point {
            label: (*label).to_owned(),
            value: *value,
        })
        .collect();
    Figure {
        label: "A figure".to_owned(),
        format,
        value: Value::Series(points),
        provenance: Provenance {
            definition: "test data".to_owned(),
            edition: "2026-spring".to_owned(),
            ..Provenance::default()
        },
        groups: Vec::new(),
    }
}

pub(super) fn def(kind: ChartKind, title: &str) -> ChartDef {
    ChartDef {
        kind,
        figure: "fig".to_owned(),
        title: title.to_owned(),
        caption: None,
        line: 0,
    }
}

pub(super) fn countries() -> Figure {
    let shares = [
        ("China", 0.41),
        ("United States", 0.37),
        ("France", 0.06),
        ("Other", 0.16),
    ];
    figure(&shares, Format::Percent)
}

pub(super) fn countries_before() -> Figure {
    let shares = [("United States", 0.70), ("China", 0.2), ("Israel", 0.02)];
    figure(&shares, Format::Percent)
}

pub(super) fn months(n: usize, start_year: i32) -> Figure {
    let labels: Vec<String> = (0..n)
        .map(|i| format!("{}-{:02}", start_year + (i / 12) as i32, i % 12 + 1))
        .collect();
    let points: Vec<(&str, f64)> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), (1000.0 * 1.12f64.powi(i as i32)).round()))
        .collect();
    figure(&points, Format::Thousands)
}

pub(super) fn histogram() -> Figure {
    let bins = [
        ("0", 9800.0),
        ("1\u{2013}9", 11200.0),
        ("10\u{2013}99", 9100.0),
        ("100\u{2013}999", 5600.0),
        ("1K\u{2013}9.9K", 2900.0),
        ("10K\u{2013}99K", 1100.0),
        ("100K\u{2013}999K", 260.0),
        ("1M+", 38.0),
    ];
    figure(&bins, Format::Thousands)
}

/// Realistic shares: long country names, an "Other" remainder.
pub(super) fn long_countries() -> Figure {
    let shares = [
        ("United States", 0.312),
        ("China", 0.248),
        ("United Arab Emirates", 0.071),
        ("United Kingdom", 0.064),
        ("Korea, Republic of", 0.05),
        ("Germany", 0.048),
        ("France", 0.041),
        ("Other", 0.166),
    ];
    figure(&shares, Format::Percent)
}

pub(super) fn long_countries_before() -> Figure {
    let shares = [
        ("United States", 0.401),
        ("China", 0.162),
        ("United Kingdom", 0.071),
        ("Germany", 0.055),
        ("France", 0.048),
        ("Netherlands", 0.03),
        ("Other", 0.233),
    ];
    figure(&shares, Format::Percent)
}

/// Counts by base model, named by long repository ids.
pub(super) fn base_models() -> Figure {
    let counts = [
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-70B", 18_230.0),
        ("meta-llama/Llama-3.1-8B-Instruct", 15_440.0),
        ("Qwen/Qwen2.5-7B-Instruct", 12_100.0),
        ("mistralai/Mistral-7B-Instruct-v0.3", 9_040.0),
        ("google/gemma-2-9b-it", 6_110.0),
    ];
    figure(&counts, Format::Thousands)
}

/// Ten log bins of downloads per model, up to 100M+.
pub(super) fn log_bins() -> Figure {
    let bins = [
        ("0", 412_000.0),
        ("1\u{2013}9", 388_000.0),
        ("10\u{2013}99", 301_000.0),
        ("100\u{2013}999", 154_000.0),
        ("1K\u{2013}9.9K", 61_200.0),
        ("10K\u{2013}99K", 14_900.0),
        ("100K\u{2013}999K", 3_100.0),
        ("1M\u{2013}9.9M", 520.0),
        ("10M\u{2013}99M", 61.0),
        ("100M+", 7.0),
    ];
    figure(&bins, Format::Thousands)
}

/// A Lorenz curve at every percentile where the top 1% hold 64% and the bottom half
/// about 0.3%.
pub(super) fn steep_lorenz() -> Figure {
    let labels: Vec<String> = (0..=100).map(|i| format!("{}", i as f64 / 100.0)).collect();
    let points: Vec<(&str, f64)> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let held = if i == 100 {
                1.0
            } else {
                0.36 * (i as f64 / 99.0).powi(7)
            };
            (l.as_str(), held)
        })
        .collect();
    figure(&points, Format::Percent)
}

pub(super) fn lorenz() -> Figure {
    let labels: Vec<String> = (0..=20).map(|i| format!("{}", i as f64 / 20.0)).collect();
    let points: Vec<(&str, f64)> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), (i as f64 / 20.0).powi(6)))
        .collect();
    figure(&points, Format::Percent)
}

/// A share by group as `share_by` gives it: the `top` largest groups then "Other",
/// with every group's share kept beside them.
pub(super) fn shares(groups: &[(&str, f64)], top: usize) -> Figure {
    let rest: f64 = groups.iter().skip(top).map(|g| g.1).sum();
    let mut shown: Vec<(&str, f64)> = groups.iter().take(top).copied().collect();
    if rest > 0.0 {
        shown.push(("Other", rest));
    }
    let mut fig = figure(&shown, Format::Percent);
    fig.groups = figure(groups, Format::Percent).series().unwrap().to_vec();
    fig
}

/// Shares by country in spring 2026: Japan is in the top three, Israel is not.
pub(super) fn countries_shares() -> Figure {
    let groups = [
        ("China", 0.41),
        ("United States", 0.37),
        ("Japan", 0.07),
        ("France", 0.06),
        ("Germany", 0.05),
        ("Israel", 0.04),
    ];
    shares(&groups, 3)
}

/// Shares by country in spring 2025: Israel is in the top three, Japan had nothing.
pub(super) fn countries_shares_before() -> Figure {
    let groups = [
        ("United States", 0.70),
        ("China", 0.20),
        ("Israel", 0.05),
        ("France", 0.03),
        ("Germany", 0.02),
    ];
    shares(&groups, 3)
}
