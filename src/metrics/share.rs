//! Shares over groups: `share_by` (top-k + "Other"), `share_of` (one value) and
//! `hhi_by` (concentration), each a fraction of a total weight (rows, downloads or
//! likes) summed exactly in integers.

use super::group::{display, group, keep, same, Groups, OTHER};
use super::rows::Rows;
use super::stats::{hhi, ratio};
use crate::config::{Filter, Key, Weight};
use crate::figures::Point;
use crate::snapshot::Repos;

/// The weight of row `row`: 1, its downloads or its likes.
fn row_weight(models: &Repos, weight: Weight, row: usize) -> u64 {
    match weight {
        Weight::Count => 1,
        Weight::Downloads => models.downloads[row],
        Weight::DownloadsAllTime => models.downloads_all_time[row],
        Weight::Likes => models.likes[row],
    }
}

/// Each group's total weight over the kept rows; a row in several groups (a merge's
/// parents) adds its weight to each. A row without the weighed field adds nothing.
pub fn totals(models: &Repos, groups: &Groups, weight: Weight, keep: &[bool]) -> Vec<u128> {
    let mut totals = vec![0u128; groups.values.len()];
    for (row, &g) in groups.of_row.iter().enumerate() {
        if keep[row] {
            totals[g as usize] += u128::from(row_weight(models, weight, row));
        }
    }
    for &(row, g) in &groups.extra {
        let row = row as usize;
        if keep[row] {
            totals[g as usize] += u128::from(row_weight(models, weight, row));
        }
    }
    totals
}

/// What `share_by` computes: the shares to show, and every group's share.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareBy {
    /// The `top` largest groups by descending share (ties by label), then "Other" with
    /// the rest (left out when 0).
    pub top: Vec<Point>,
    /// Every group with some weight, in the same order: what a comparison with
    /// another edition reads, since a group outside this edition's top may be inside
    /// that edition's.
    pub groups: Vec<Point>,
}

/// Shares of `weight` by `key` over the rows `filter` keeps, as fractions of the
/// total; groups with no weight are left out.
pub fn share_by(
    rows: &Rows,
    key: Key,
    weight: Weight,
    top: usize,
    filter: Option<&Filter>,
) -> ShareBy {
    let keep = keep(rows, filter);
    let groups = group(rows, key);
    let totals = totals(rows.repos, &groups, weight, &keep);
    let total: u128 = totals.iter().sum();
    let mut order: Vec<(u128, &str)> = totals
        .iter()
        .zip(&groups.values)
        .filter(|(&w, _)| w > 0)
        .map(|(&w, &value)| (w, display(key, value)))
        .collect();
    order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let point = |w: u128, label: &str| Point {
        label: label.to_owned(),
        value: ratio(w, total),
    };
    let all: Vec<Point> = order.iter().map(|&(w, label)| point(w, label)).collect();
    let rest: u128 = order.iter().skip(top).map(|&(w, _)| w).sum();
    let mut shown: Vec<Point> = all.iter().take(top).cloned().collect();
    if rest > 0 {
        shown.push(point(rest, OTHER));
    }
    ShareBy {
        top: shown,
        groups: all,
    }
}

/// The share of `weight` held by rows whose raw `key` value is `value`, over the rows
/// `filter` keeps; undefined (`NaN`) when their total is 0.
pub fn share_of(
    rows: &Rows,
    key: Key,
    value: &str,
    weight: Weight,
    filter: Option<&Filter>,
) -> f64 {
    let keep = keep(rows, filter);
    let groups = group(rows, key);
    let totals = totals(rows.repos, &groups, weight, &keep);
    let held = groups
        .values
        .iter()
        .position(|&v| same(key, value, v))
        .map_or(0, |g| totals[g]);
    ratio(held, totals.iter().sum())
}

/// The Herfindahl–Hirschman index of `weight` by `key` over all rows.
pub fn hhi_by(rows: &Rows, key: Key, weight: Weight) -> f64 {
    let groups = group(rows, key);
    let keep = vec![true; rows.len()];
    hhi(&totals(rows.repos, &groups, weight, &keep))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixture::{filter, registry, sample};

    fn pairs(points: &[Point]) -> Vec<(&str, f64)> {
        points.iter().map(|p| (p.label.as_str(), p.value)).collect()
    }

    #[test]
    fn share_by_keeps_the_top_and_folds_the_rest_into_other() {
        let (m, r) = (sample(), registry());
        let rows = Rows::new(&m, &r);
        let shares = share_by(&rows, Key::AuthorCountry, Weight::Downloads, 2, None);
        let points = shares.top;
        assert_eq!(
            pairs(&points),
            [("China", 0.7), ("United States", 0.2), ("Other", 0.1)]
        );
        let total: f64 = points.iter().map(|p| p.value).sum();
        assert!((total - 1.0).abs() < 1e-12);
        // Every group is kept beside the top, in the same order: the three folded
        // into "Other" hold its 0.1 between them.
        assert_eq!(pairs(&shares.groups[..2]), pairs(&points[..2]));
        assert_eq!(shares.groups.len(), 5);
        let folded: f64 = shares.groups[2..].iter().map(|p| p.value).sum();
        assert!((folded - 0.1).abs() < 1e-12);
        // By count: ties at 1/6 ordered by label; nothing left for "Other".
        let points = share_by(&rows, Key::AuthorCountry, Weight::Count, 8, None).top;
        let labels: Vec<&str> = points.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "China",
                "Country not known",
                "France",
                "Unattributed",
                "United States"
            ]
        );
        assert_eq!(points[0].value, 2.0 / 6.0);
        // Missing tags group as "None declared"; likes are all 0, so no groups at all.
        let tasks = share_by(&rows, Key::PipelineTag, Weight::Count, 1, None).top;
        assert_eq!(
            pairs(&tasks),
            [("None declared", 4.0 / 6.0), ("Other", 2.0 / 6.0)]
        );
        assert_eq!(
            share_by(&rows, Key::Author, Weight::Likes, 3, None),
            ShareBy {
                top: vec![],
                groups: vec![]
            }
        );
    }

    #[test]
    fn share_of_matches_raw_values_within_the_filter() {
        let (m, r) = (sample(), registry());
        let rows = Rows::new(&m, &r);
        let of =
            |key, value: &str, weight, f: Option<&Filter>| share_of(&rows, key, value, weight, f);
        assert_eq!(of(Key::AuthorCountry, "CN", Weight::Downloads, None), 0.7);
        assert_eq!(
            of(Key::AuthorKind, "independent", Weight::Downloads, None),
            0.01
        );
        assert_eq!(
            of(Key::AuthorKind, "unknown", Weight::Downloads, None),
            0.04
        );
        assert_eq!(
            of(Key::Derivative, "quantized", Weight::Count, None),
            1.0 / 6.0
        );
        // Text generation: CN 600 of 800. Everything else: CN 100 of 200.
        let textgen = filter(Key::PipelineTag, &["text-generation"], false);
        assert_eq!(
            of(Key::AuthorCountry, "CN", Weight::Downloads, Some(&textgen)),
            0.75
        );
        let rest = filter(Key::PipelineTag, &["text-generation"], true);
        assert_eq!(
            of(Key::AuthorCountry, "CN", Weight::Downloads, Some(&rest)),
            0.5
        );
        // Two values: US and FR hold 210 of 1000; a value never seen holds 0.
        let west = filter(Key::AuthorCountry, &["US", "FR"], false);
        assert_eq!(
            of(Key::AuthorCountry, "CN", Weight::Downloads, Some(&west)),
            0.0
        );
        assert_eq!(of(Key::License, "apache-2.0", Weight::Downloads, None), 0.6);
    }

    #[test]
    fn hhi_by_sums_squared_group_shares() {
        // 0.7² + 0.2² + 0.05² + 0.04² + 0.01² = 0.49 + 0.04 + 0.0025 + 0.0016 + 0.0001.
        let (m, r) = (sample(), registry());
        let rows = Rows::new(&m, &r);
        let h = hhi_by(&rows, Key::AuthorCountry, Weight::Downloads);
        assert!((h - 0.5342).abs() < 1e-12);
        // Rows by author: qwen 2, four others 1 each: (2/6)² + 4·(1/6)² = 8/36.
        let h = hhi_by(&rows, Key::Author, Weight::Count);
        assert!((h - 8.0 / 36.0).abs() < 1e-12);
    }
}
