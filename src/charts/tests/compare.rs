//! Comparisons across editions (`merge`): shares by group read every group's share in
//! both editions, so a group outside one edition's top still shows its real share
//! there, and "Other" folds the same groups in both.

use super::*;

fn rows(now: &Figure, before: &Figure) -> Vec<(String, f64, f64)> {
    merge(now, before)
        .into_iter()
        .map(|(label, a, b)| (label.to_owned(), a.unwrap(), b.unwrap()))
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

/// Every row's values in both editions add up to the whole.
fn assert_sums_to_one(rows: &[(String, f64, f64)]) {
    let (now, before) = rows.iter().fold((0.0, 0.0), |(a, b), r| (a + r.1, b + r.2));
    assert!(close(now, 1.0) && close(before, 1.0), "{rows:?}");
}

#[test]
fn a_group_in_one_top_only_shows_its_real_share_in_the_other() {
    let (now, before) = (countries_shares(), countries_shares_before());
    let forward = rows(&now, &before);
    let labels: Vec<&str> = forward.iter().map(|r| r.0.as_str()).collect();
    // This edition's groups, in its order, then "Other"; Israel, in the earlier top
    // only, is folded into "Other" in both editions.
    assert_eq!(labels, ["China", "United States", "Japan", "Other"]);
    assert!(close(forward[0].2, 0.20) && close(forward[1].2, 0.70));
    // Japan had no downloads then: 0, not missing.
    assert_eq!((forward[2].1, forward[2].2), (0.07, 0.0));
    // "Other" is France, Germany and Israel in both editions.
    assert!(close(forward[3].1, 0.06 + 0.05 + 0.04), "{forward:?}");
    assert!(close(forward[3].2, 0.05 + 0.03 + 0.02), "{forward:?}");
    assert_sums_to_one(&forward);

    // The other way round, Israel is named and Japan folded into "Other".
    let backward = rows(&before, &now);
    let israel = backward.iter().find(|r| r.0 == "Israel").unwrap();
    assert_eq!((israel.1, israel.2), (0.05, 0.04));
    let other = backward.last().unwrap();
    assert_eq!(other.0, "Other");
    assert!(close(other.1, 0.03 + 0.02), "{backward:?}");
    assert!(close(other.2, 0.07 + 0.06 + 0.05), "{backward:?}");
    assert_sums_to_one(&backward);
}

#[test]
fn other_appears_when_only_the_earlier_edition_has_more_groups() {
    // This edition names every group it has; the earlier one had a third.
    let now = shares(&[("Fine-tune", 0.6), ("Original", 0.4)], 5);
    let before = shares(&[("Original", 0.5), ("Fine-tune", 0.3), ("Merge", 0.2)], 5);
    let merged = rows(&now, &before);
    assert_eq!(merged.last().unwrap(), &("Other".to_owned(), 0.0, 0.2));
    assert_sums_to_one(&merged);
    // Nothing left over in either edition: no "Other" row at all.
    let merged = rows(&now, &now);
    assert!(merged.iter().all(|r| r.0 != "Other"), "{merged:?}");
}

#[test]
fn series_without_groups_are_matched_by_label() {
    // Figures cached before groups were kept, or series of another metric.
    let (now, before) = (countries(), countries_before());
    let merged = merge(&now, &before);
    let labels: Vec<&str> = merged.iter().map(|r| r.0).collect();
    assert_eq!(
        labels,
        ["China", "United States", "France", "Israel", "Other"]
    );
    assert_eq!(merged[2], ("France", Some(0.06), None));
    assert_eq!(merged[3], ("Israel", None, Some(0.02)));
}

#[test]
fn the_chart_reads_out_real_shares_and_no_dash() {
    let (now, before) = (countries_shares(), countries_shares_before());
    for width in WIDTHS {
        let svg = draw_at(width, "c", ChartKind::GroupedBar, &now, Some(&before)).unwrap();
        assert!(!svg.contains(">\u{2013}</text>"), "{svg}");
        assert!(svg.contains("Japan 7%, none in Spring 2025"), "{svg}");
        assert!(svg.contains("Other 15%, up from 10%"), "{svg}");
        assert!(!svg.contains("Israel"), "{svg}");
    }
}
