//! Tests of `compare` and `render` over hand-built figures: changes in points and
//! percent, `--min-change`, long series, tables, and escaping in Markdown.

use super::*;
use crate::figures::{Point, Provenance, Table};

fn figure(format: Format, value: Value) -> Figure {
    Figure {
        label: "A <label> | x".to_owned(),
        format,
        value,
        provenance: Provenance {
            definition: String::new(),
            edition: "e".to_owned(),
            ..Provenance::default()
        },
        groups: Vec::new(),
    }
}

fn series(points: &[(&str, f64)]) -> Value {
    Value::Series(
        (points.iter())
            .map(|(label, value)| Point {
                label: (*label).to_owned(),
                value: *value,
            })
            .collect(),
    )
}

fn sides() -> (Figures, Figures) {
    let old = Figures::from([
        (
            "models".into(),
            figure(Format::Compact, Value::Number(45_000.0)),
        ),
        (
            "share".into(),
            figure(Format::Percent, Value::Number(0.398)),
        ),
        (
            "same".into(),
            figure(Format::Compact, Value::Number(45_010.0)),
        ),
        ("gone".into(), figure(Format::Thousands, Value::Number(3.0))),
        (
            "by_country".into(),
            figure(Format::Percent, series(&[("China", 0.40), ("US", 0.37)])),
        ),
        (
            "top".into(),
            figure(
                Format::Thousands,
                Value::Table(Table {
                    columns: vec!["model".into()],
                    rows: vec![
                        vec![Cell::Text("a/x".into())],
                        vec![Cell::Text("b|y".into())],
                    ],
                }),
            ),
        ),
    ]);
    let mut new = old.clone();
    new.remove("gone");
    new.insert(
        "models".into(),
        figure(Format::Compact, Value::Number(50_000.0)),
    );
    new.insert(
        "share".into(),
        figure(Format::Percent, Value::Number(0.415)),
    );
    new.insert(
        "same".into(),
        figure(Format::Compact, Value::Number(45_020.0)),
    );
    new.insert("added".into(), figure(Format::Percent, Value::Number(0.5)));
    new.insert(
        "by_country".into(),
        figure(
            Format::Percent,
            series(&[("China", 0.402), ("US", 0.35), ("FR", 0.01)]),
        ),
    );
    new.insert(
        "top".into(),
        figure(
            Format::Thousands,
            Value::Table(Table {
                columns: vec!["model".into()],
                rows: vec![
                    vec![Cell::Text("c/z".into())],
                    vec![Cell::Text("a/x".into())],
                ],
            }),
        ),
    );
    (old, new)
}

fn shown(diff: &EditionDiff) -> Vec<(String, String, String, String)> {
    (diff.rows.iter())
        .map(|r| {
            let name = match &r.point {
                Some(p) => format!("{}:{p}", r.figure),
                None => r.figure.clone(),
            };
            (
                name,
                r.old_shown.clone(),
                r.new_shown.clone(),
                r.change_shown.clone(),
            )
        })
        .collect()
}

fn row(name: &str, old: &str, new: &str, change: &str) -> (String, String, String, String) {
    (name.into(), old.into(), new.into(), change.into())
}

#[test]
fn changes_are_listed_with_points_for_shares_and_percent_otherwise() {
    let (old, new) = sides();
    let diff = compare("e", &old, &new, 0.0);
    assert_eq!(
        shown(&diff),
        [
            row("added", "", "50%", "new"),
            row("by_country:China", "40%", "40.2%", "+0.2 pp"),
            row("by_country:US", "37%", "35%", "\u{2212}2.0 pp"),
            row("by_country:FR", "", "1%", "new"),
            row("gone", "3", "", "removed"),
            row("models", "45K", "50K", "+11%"),
            row("share", "39.8%", "41.5%", "+1.7 pp"),
            row("top:rows", "2 rows", "2 rows", "entered: c/z; left: b|y"),
        ]
    );
    assert_eq!(diff.unchanged, 1, "`same` shows 45K on both sides");
    assert_eq!(diff.hidden, 0);
}

#[test]
fn min_change_hides_small_changes_but_never_additions() {
    let (old, new) = sides();
    let diff = compare("e", &old, &new, 1.8);
    let names: Vec<String> = shown(&diff).into_iter().map(|r| r.0).collect();
    assert_eq!(
        names,
        [
            "added",
            "by_country:US",
            "by_country:FR",
            "gone",
            "models",
            "top:rows"
        ]
    );
    assert_eq!(diff.hidden, 2, "China +0.2 pp and share +1.7 pp");
}

#[test]
fn a_long_series_keeps_its_largest_changes_in_order() {
    let points: Vec<(String, f64)> = (0..30).map(|i| (format!("m{i:02}"), i as f64)).collect();
    let as_series = |bump: f64| {
        let refs: Vec<(&str, f64)> = points
            .iter()
            .map(|(l, v)| (l.as_str(), v * bump + 100.0))
            .collect();
        figure(Format::Thousands, series(&refs))
    };
    let old = Figures::from([("s".to_owned(), as_series(1.0))]);
    let new = Figures::from([("s".to_owned(), as_series(2.0))]);
    let diff = compare("e", &old, &new, 0.0);
    let kept: Vec<&str> = diff
        .rows
        .iter()
        .filter_map(|r| r.point.as_deref())
        .collect();
    assert_eq!(
        kept,
        ["m20", "m21", "m22", "m23", "m24", "m25", "m26", "m27", "m28", "m29"]
    );
    assert_eq!(diff.hidden, 19, "m01 to m19 (m00 is unchanged)");
    assert_eq!(diff.unchanged, 1);
}

#[test]
fn markdown_escapes_what_comes_from_data() {
    let (old, new) = sides();
    let report = Report {
        old: "old.json".into(),
        new: "new`.json".into(),
        editions: vec![compare("e", &old, &new, 0.0)],
        false_claims: vec![FalseClaim {
            message: "a.md:3: claim is false: x < y (x = 1%): \"*bold*\"".into(),
            newly_false: true,
        }],
        ..Report::default()
    };
    let md = render(&report, Style::Markdown);
    assert!(
        md.contains("| Figure | Old | New | Change |\n|---|--:|--:|--:|\n"),
        "{md}"
    );
    assert!(
        md.contains("| A &lt;label&gt; \\| x (`models`) | 45K | 50K | +11% |"),
        "{md}"
    );
    assert!(md.contains("entered: c/z; left: b\\|y |"), "{md}");
    assert!(md.contains("`new'.json`"), "{md}");
    assert!(md.contains("### Claims the new data makes false\n\n- a.md:3: claim is false: x &lt; y (x = 1%): \"\\*bold\\*\""), "{md}");
    let json: serde_json::Value = serde_json::from_str(&render(&report, Style::Json)).unwrap();
    assert_eq!(json["editions"][0]["rows"][5]["figure"], "models");
    assert_eq!(
        json["editions"][0]["rows"][5]["change"]
            .as_f64()
            .unwrap()
            .round(),
        11.0
    );
    let text = render(&report, Style::Text);
    assert!(
        text.contains("\nEdition e: 8 values changed, 1 unchanged\n"),
        "{text}"
    );
    assert!(
        text.contains("\n  models                 45K \u{2192} 50K     +11%\n"),
        "{text}"
    );
    assert!(
        text.contains("\n  added                    \u{2014} \u{2192} 50%     new\n"),
        "{text}"
    );
}
