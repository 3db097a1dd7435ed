//! End-to-end tests of `compute` and `resolve_growth` over figures parsed from config
//! text and a snapshot built by hand.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::fixture::{figure_defs, models, registry, Row};
use super::*;
use crate::config::Format;
use crate::figures::{Cell, Point};
use crate::snapshot::{Derivative, Manifest};

const HEADER: &str = "title = \"t\"\ndescription = \"d\"\nbase-url = \"https://example.org/\"\n";

fn defs(figures: &str) -> BTreeMap<String, FigureDef> {
    figure_defs(&format!("{HEADER}{figures}"))
}

/// Five models, 1000 downloads: qwen 600 + 100 (CN), meta 200 (US), rando 60 and
/// solo 40 (FR). Likes 1, 2, 3, 4, 0.
fn snapshot(with_manifest: bool) -> Snapshot {
    let rows = [
        Row::new("qwen/big", 600).likes(1).created(2024, 1),
        Row::new("qwen/big-gguf", 100)
            .likes(2)
            .created(2024, 3)
            .derived(Derivative::Quantized, "qwen/big"),
        Row::new("meta/mid", 200).likes(3).created(2024, 1),
        Row::new("rando/x", 60).likes(4).created(2023, 12),
        Row::new("solo/y", 40),
    ];
    let manifest = Manifest {
        source: "test".to_owned(),
        date: "2026-03-01".to_owned(),
        synthetic: true,
        dataset: None,
        files: BTreeMap::new(),
    };
    Snapshot::of(models(&rows), with_manifest.then_some(manifest))
}

const FIGURES: &str = r#"
[figures.top200_share]
label = "Top 200 share"
metric = "top_share"
field = "downloads"
n = 200
format = "percent"
[figures.top2_share]
label = "Top 2 share"
metric = "top_share"
field = "downloads"
n = 2
format = "percent"
[figures.cn_share]
label = "China"
metric = "share_of"
key = "author.country"
value = "CN"
weight = "downloads"
[figures.median_downloads]
label = "Median"
metric = "quantile"
field = "downloads"
q = 0.5
[figures.attributed]
label = "Attributed models"
metric = "count"
filter = { key = "author.country", is = ["unattributed"], not = true }
[figures.by_month]
label = "New models"
metric = "count_by_month"
[figures.by_kind]
label = "By kind"
metric = "share_by"
key = "author.kind"
weight = "downloads"
top = 1
[figures.top_liked]
label = "Most liked"
metric = "top"
n = 2
by = "likes"
[figures.gini]
label = "Gini"
metric = "gini"
field = "likes"
format = "decimal"
[figures.users]
label = "Users"
metric = "sourced"
edition = "2026-spring"
value = 5e6
source = "Hugging Face"
url = "https://huggingface.co/"
[figures.cn_growth]
label = "China growth"
metric = "growth"
figure = "cn_share"
format = "change"
"#;

fn points(figure: &Figure) -> Vec<(&str, f64)> {
    let series: &[Point] = figure.series().unwrap();
    series.iter().map(|p| (p.label.as_str(), p.value)).collect()
}

#[test]
fn computes_every_figure_with_provenance() {
    let figures = compute(&defs(FIGURES), &snapshot(true), &registry(), "2026-spring").unwrap();
    let number = |name: &str| figures[name].number().unwrap();
    // Fewer than 200 models: the top 200 hold everything. Top 2: (600 + 200) / 1000.
    assert_eq!(number("top200_share"), 1.0);
    assert_eq!(number("top2_share"), 0.8);
    assert_eq!(number("cn_share"), 0.7);
    // Sorted downloads 40, 60, 100, 200, 600: the middle one.
    assert_eq!(number("median_downloads"), 100.0);
    // rando is not in the registry.
    assert_eq!(number("attributed"), 4.0);
    // Likes 0, 1, 2, 3, 4: Σ i·x = 0+2+6+12+20 = 40; G = 80/50 − 6/5 = 0.4.
    assert!((number("gini") - 0.4).abs() < 1e-12);
    assert_eq!(
        points(&figures["by_month"]),
        [
            ("2023-12", 1.0),
            ("2024-01", 2.0),
            ("2024-02", 0.0),
            ("2024-03", 1.0)
        ]
    );
    // company 900, then unattributed 60 and independent 40 as Other.
    assert_eq!(
        points(&figures["by_kind"]),
        [("Company", 0.9), ("Other", 0.1)]
    );
    let table = figures["top_liked"].value.clone();
    let Value::Table(table) = table else {
        panic!("top is a table")
    };
    assert_eq!(table.rows[0][0], Cell::Text("rando/x".to_owned()));
    assert_eq!(table.rows[1][0], Cell::Text("meta/mid".to_owned()));

    let top = &figures["top200_share"];
    assert_eq!(top.label, "Top 200 share");
    assert_eq!(top.format, Format::Percent);
    assert_eq!(
        top.provenance.definition,
        "Share of all downloads in the last 30 days held by the 200 most-downloaded models"
    );
    assert_eq!(top.provenance.edition, "2026-spring");
    assert_eq!(top.provenance.snapshot_date.as_deref(), Some("2026-03-01"));
    assert_eq!(top.provenance.rows, Some(5));

    // Growth waits for `resolve_growth`, sourced values for `resolve_sourced`.
    assert!(!figures.contains_key("cn_growth"));
    assert!(!figures.contains_key("users"));
    assert_eq!(figures.len(), 9);
}

#[test]
fn snapshot_date_is_absent_without_a_manifest() {
    let figures = compute(&defs(FIGURES), &snapshot(false), &registry(), "e").unwrap();
    assert_eq!(figures["cn_share"].provenance.snapshot_date, None);
    assert_eq!(figures["cn_share"].provenance.rows, Some(5));
}

#[test]
fn errors_name_the_figure() {
    let empty = defs(
        "[figures.q]\nlabel = \"x\"\nmetric = \"quantile\"\nfield = \"likes\"\nq = 0.5\n\
         filter = { key = \"author.kind\", is = [\"government\"] }\n",
    );
    let err = compute(&empty, &snapshot(true), &registry(), "e").unwrap_err();
    let text = format!("{err:#}");
    assert!(
        text.contains("figure `q`") && text.contains("no models to take a quantile of"),
        "{text}"
    );
}

#[test]
fn growth_compares_with_the_previous_edition() {
    let defs = defs(FIGURES);
    let mut figures = compute(&defs, &snapshot(true), &registry(), "2026-spring").unwrap();
    // Without an earlier edition the growth figure stays out.
    resolve_growth(&defs, &mut figures, "2026-spring", None);
    assert!(!figures.contains_key("cn_growth"));

    let mut earlier = figures.clone();
    earlier.get_mut("cn_share").unwrap().value = Value::Number(0.5);
    resolve_growth(
        &defs,
        &mut figures,
        "2026-spring",
        Some(("2025-autumn", &earlier)),
    );
    let growth = &figures["cn_growth"];
    // 0.7 / 0.5 − 1 = 0.4.
    assert!((growth.number().unwrap() - 0.4).abs() < 1e-12);
    assert_eq!(growth.format, Format::Change);
    assert_eq!(growth.provenance.edition, "2026-spring");
    assert!(growth
        .provenance
        .definition
        .contains("since the 2025-autumn edition"));
    assert!(growth
        .provenance
        .definition
        .contains("\u{201c}China\u{201d}"));

    // An earlier value of 0 gives no finite ratio: left out.
    figures.remove("cn_growth");
    earlier.get_mut("cn_share").unwrap().value = Value::Number(0.0);
    resolve_growth(
        &defs,
        &mut figures,
        "2026-spring",
        Some(("2025-autumn", &earlier)),
    );
    assert!(!figures.contains_key("cn_growth"));
}

#[test]
fn config_parses_figure_definitions() {
    let text = format!("{HEADER}{FIGURES}");
    let figures = crate::config::parse(std::path::Path::new("stateof.toml"), &text)
        .unwrap()
        .figures;
    let computed = compute(&figures, &snapshot(true), &registry(), "e").unwrap();
    assert_eq!(computed["cn_share"].number(), Some(0.7));
}

#[test]
fn monthly_counts_leave_out_the_snapshots_unfinished_month() {
    let defs = defs(
        "[figures.per_month]\nlabel = \"m\"\nmetric = \"count_by_month\"\n\
         [figures.total]\nlabel = \"t\"\nmetric = \"count_by_month\"\ncumulative = true\n",
    );
    let mut snap = snapshot(true);
    snap.manifest.as_mut().unwrap().date = "2024-03-15".to_owned();
    let figures = compute(&defs, &snap, &registry(), "e").unwrap();
    let last = |name: &str| {
        figures[name]
            .series()
            .unwrap()
            .last()
            .unwrap()
            .label
            .clone()
    };
    assert_eq!(last("per_month"), "2024-02", "March 2024 was not over");
    assert_eq!(
        last("total"),
        "2024-03",
        "a running total keeps every model"
    );
    assert!(figures["per_month"]
        .provenance
        .definition
        .contains("left out"));
    // Without a manifest the newest model's month (March 2024) counts as unfinished.
    let without = compute(&defs, &snapshot(false), &registry(), "e").unwrap();
    assert_eq!(
        without["per_month"].series().unwrap().last().unwrap().label,
        "2024-02"
    );
}

/// A snapshot of `rows` without a manifest.
fn snapshot_of(rows: &[Row]) -> Snapshot {
    Snapshot::of(models(rows), None)
}

#[test]
fn a_missing_value_is_left_out_not_counted_as_zero() {
    // Two rows report all-time downloads (10 and 30); one does not.
    let snap = snapshot_of(&[
        Row::new("a/x", 5).all_time(10),
        Row::new("b/y", 1),
        Row::new("c/z", 9).all_time(30),
    ]);
    let figures = compute(
        &defs(
            "[figures.median]\nlabel = \"m\"\nmetric = \"quantile\"\nfield = \"downloads_all_time\"\nq = 0.5\n\
             [figures.below]\nlabel = \"b\"\nmetric = \"share_below\"\nfield = \"downloads_all_time\"\nthreshold = 20\n\
             [figures.total]\nlabel = \"t\"\nmetric = \"sum\"\nfield = \"downloads_all_time\"\n\
             [figures.by_author]\nlabel = \"a\"\nmetric = \"share_by\"\nkey = \"author\"\nweight = \"downloads_all_time\"\n\
             [figures.hist]\nlabel = \"h\"\nmetric = \"log_histogram\"\nfield = \"downloads_all_time\"\n\
             [figures.top]\nlabel = \"t\"\nmetric = \"top\"\nn = 5\nby = \"downloads_all_time\"\n\
             [figures.median30]\nlabel = \"m\"\nmetric = \"quantile\"\nfield = \"downloads\"\nq = 0.5\n",
        ),
        &snap,
        &registry(),
        "e",
    )
    .unwrap();
    assert_eq!(figures["median"].number(), Some(20.0));
    assert_eq!(figures["below"].number(), Some(0.5));
    assert_eq!(figures["total"].number(), Some(40.0));
    assert_eq!(points(&figures["by_author"]), [("c", 0.75), ("a", 0.25)]);
    let hist = points(&figures["hist"]);
    assert_eq!(hist[0], ("0", 0.0), "no row counted in the 0 bin");
    let Value::Table(top) = &figures["top"].value else {
        panic!("a table")
    };
    assert_eq!(top.rows.len(), 2);
    assert_eq!(top.rows[0][2], Cell::Text("None declared".to_owned()));
    let note = "; 1 model without `downloadsAllTime` in the snapshot is left out";
    for name in ["median", "below", "total", "by_author", "hist", "top"] {
        assert!(
            figures[name].provenance.definition.ends_with(note),
            "{name}: {}",
            figures[name].provenance.definition
        );
    }
    assert_eq!(figures["median30"].number(), Some(5.0));
    assert!(!figures["median30"]
        .provenance
        .definition
        .contains("left out"));
}

#[test]
fn the_placeholder_date_is_in_no_month_but_in_the_running_total() {
    let snap = snapshot_of(&[
        Row::new("old/a", 1).placeholder_date(),
        Row::new("old/b", 1).placeholder_date(),
        Row::new("new/c", 1).created(2022, 3),
        Row::new("new/d", 1).created(2022, 5),
    ]);
    let figures = compute(
        &defs(
            "[figures.monthly]\nlabel = \"m\"\nmetric = \"count_by_month\"\n\
             [figures.total]\nlabel = \"t\"\nmetric = \"count_by_month\"\ncumulative = true\n",
        ),
        &snap,
        &registry(),
        "e",
    )
    .unwrap();
    // The newest month is left out without a manifest; March counts only `new/c`.
    assert_eq!(
        points(&figures["monthly"]),
        [("2022-03", 1.0), ("2022-04", 0.0)]
    );
    assert_eq!(
        points(&figures["total"]),
        [("2022-03", 3.0), ("2022-04", 3.0), ("2022-05", 4.0)]
    );
    let monthly = &figures["monthly"].provenance.definition;
    assert!(monthly.contains("2 models carry the Hub's placeholder creation date"));
    assert!(monthly.contains("so no month counts them"), "{monthly}");
    let total = &figures["total"].provenance.definition;
    assert!(total.contains("counted from March 2022 on"), "{total}");
}

#[test]
fn a_merge_credits_every_parent() {
    let snap = snapshot_of(&[
        Row::new("m/three", 1).merge(&["p/a", "p/b", "p/c"]),
        Row::new("m/two", 1).merge(&["p/a", "p/d"]),
        Row::new("f/one", 1).derived(Derivative::Finetune, "p/b"),
        Row::new("p/a", 1),
    ]);
    let figures = compute(
        &defs(
            "[figures.bases]\nlabel = \"b\"\nmetric = \"share_by\"\nkey = \"base_model\"\nweight = \"count\"\n\
             filter = { key = \"derivative\", is = [\"original\"], not = true }\n\
             [figures.on_d]\nlabel = \"d\"\nmetric = \"count\"\nfilter = { key = \"base_model\", is = [\"p/d\"] }\n",
        ),
        &snap,
        &registry(),
        "e",
    )
    .unwrap();
    // Six links from three derivatives: a 2, b 2, c 1, d 1.
    assert_eq!(
        points(&figures["bases"]),
        [
            ("p/a", 2.0 / 6.0),
            ("p/b", 2.0 / 6.0),
            ("p/c", 1.0 / 6.0),
            ("p/d", 1.0 / 6.0)
        ]
    );
    assert_eq!(figures["on_d"].number(), Some(1.0));
}

#[test]
fn free_text_libraries_group_regardless_of_case() {
    let snap = crate::snapshot::load(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real-shapes/models.jsonl"),
    )
    .unwrap();
    let figures = compute(
        &defs(
            "[figures.libraries]\nlabel = \"l\"\nmetric = \"share_by\"\nkey = \"library_name\"\nweight = \"count\"\ntop = 10\n\
             [figures.nemo]\nlabel = \"n\"\nmetric = \"count\"\nfilter = { key = \"library_name\", is = [\"NEMO\"] }\n\
             [figures.torch]\nlabel = \"t\"\nmetric = \"share_of\"\nkey = \"library_name\"\nvalue = \"pytorch\"\nweight = \"count\"\n",
        ),
        &snap,
        &registry(),
        "e",
    )
    .unwrap();
    let libraries = points(&figures["libraries"]);
    let labels: Vec<&str> = libraries.iter().map(|p| p.0).collect();
    assert_eq!(
        labels,
        ["transformers", "None declared", "PyTorch", "gguf", "nemo"]
    );
    assert_eq!(libraries[2].1, 3.0 / 19.0);
    assert_eq!(figures["nemo"].number(), Some(3.0));
    assert_eq!(figures["torch"].number(), Some(3.0 / 19.0));
    let registry = registry();
    let rows = Rows::new(&snap.main().repos, &registry);
    assert!(unmatched(&defs("[figures.t]\nlabel = \"t\"\nmetric = \"count\"\nfilter = { key = \"library_name\", is = [\"pytorch\"] }\n"), &rows).is_empty());
}

#[test]
fn a_figure_over_a_field_no_row_has_says_which_file_lacks_it_and_where_to_get_it() {
    let mut snap = snapshot_of(&[Row::new("a/x", 5), Row::new("b/y", 1)]);
    let defs = defs(
        "[figures.median]\nlabel = \"m\"\nmetric = \"quantile\"\nfield = \"downloads_all_time\"\nq = 0.5\n",
    );
    let err = format!("{:#}", compute(&defs, &snap, &registry(), "e").unwrap_err());
    assert!(err.contains("figure `median`"), "{err}");
    assert!(
        err.contains("none of the 2 models in `models.jsonl` has `downloadsAllTime`"),
        "{err}"
    );
    assert!(err.contains("expand[]=downloadsAllTime") && err.contains("stateof fetch --dump"));
    // A Parquet file without the column says so.
    snap.tables[0].absent = vec!["downloadsAllTime"];
    let err = format!("{:#}", compute(&defs, &snap, &registry(), "e").unwrap_err());
    assert!(
        err.contains("`models.jsonl` has no column `downloadsAllTime`"),
        "{err}"
    );
    // One row with the field is enough: the others are left out, as the definition says.
    let snap = snapshot_of(&[Row::new("a/x", 5).all_time(3), Row::new("b/y", 1)]);
    assert!(compute(&defs, &snap, &registry(), "e").is_ok());
}
