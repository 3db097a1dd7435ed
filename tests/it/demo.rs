//! The bundled demo report: it builds, its pages hold what a reader needs, its links
//! resolve, and its headline figures match an independent computation from the
//! snapshot files.

use std::io::{BufRead, BufReader};
use std::path::Path;

use serde_json::Value;

use super::{build_ok, links, read, repo};

/// The demo built into a temporary folder, under `site/`.
pub(crate) fn build_demo() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build_ok(&repo(), &["--output", site.to_str().unwrap()]);
    out
}

#[test]
fn demo_builds_a_complete_site() {
    let out = build_demo();
    let site = out.path().join("site");
    for file in [
        "index.html",
        "404.html",
        "atom.xml",
        "sitemap.xml",
        "methodology/index.html",
        "2026-spring/index.html",
        "2025-spring/index.html",
        "2026-spring/figures.json",
        "2026-spring/figures.csv",
        "2025-spring/figures.json",
        "theme/style.css",
        "favicon.ico",
        "favicon.svg",
    ] {
        assert!(site.join(file).is_file(), "missing {file}");
    }
    let page = read(site.join("2026-spring/index.html"));
    assert!(
        page.contains("Synthetic data."),
        "the page must say the data is synthetic"
    );
    let charts = page.matches("<figure class=\"chart\"").count();
    assert!(
        charts >= 8,
        "the 2026 edition shows {charts} charts, expected at least 8"
    );
    assert!(page.matches("role=\"img\"").count() >= charts);
    assert!(!page.contains("{{"), "a shortcode was left unrendered");
    assert!(page.matches("<data class=\"fig").count() >= 15);
    assert!(
        page.contains(
            "</span>&nbsp;<span aria-hidden=\"true\">→</span>\
             <span class=\"visually-hidden\">to</span> <span class=\"fig-wrap\">"
        ),
        "comparisons with the earlier edition are shown"
    );

    let home = read(site.join("index.html"));
    let spring26 = home.find("Spring 2026").expect("2026 listed");
    let spring25 = home.find("Spring 2025").expect("2025 listed");
    assert!(spring26 < spring25, "latest edition first");

    let feed = read(site.join("atom.xml"));
    assert_eq!(feed.matches("<entry>").count(), 2);
    assert!(
        !feed.contains("&lt;svg"),
        "feed readers get chart images, not inline SVG"
    );
    assert!(feed
        .contains("&lt;img src=&quot;https://stateof-demo.github.io/stateof/2026-spring/charts/"));
    let sitemap = read(site.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://stateof-demo.github.io/stateof/2026-spring/</loc>"));

    // Sourced figures belong to the edition that quotes them: the 2025 edition shows
    // no value from a 2026 source.
    let figures = |edition: &str| -> Value {
        serde_json::from_str(&read(site.join(format!("{edition}/figures.json")))).unwrap()
    };
    for name in ["users_total", "fortune500_share"] {
        assert!(figures("2025-spring").get(name).is_none(), "{name} in 2025");
        let provenance = &figures("2026-spring")[name]["provenance"];
        assert_eq!(provenance["edition"], "2026-spring", "{name}");
        assert!(provenance["source"]
            .as_str()
            .unwrap()
            .contains("Spring 2026"));
    }
    // Nothing typed or written in words where a figure should be, by `stateof check`.
    let out = super::stateof(&repo(), &["check", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", super::stderr(&out));
}

#[test]
fn demo_links_all_resolve() {
    let out = build_demo();
    let broken = links::broken_links(&out.path().join("site"), "/stateof/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// The named figures recomputed here from the raw JSON lines, with plain code that
/// shares nothing with the `snapshot` and `metrics` modules: totals of both download
/// counts, and the concentration figures over all-time downloads (the report's
/// definitions).
#[test]
fn demo_figures_match_an_independent_computation() {
    let out = build_demo();
    for edition in ["2025-spring", "2026-spring"] {
        let snapshot = repo().join(format!("snapshots/{edition}/models.jsonl.zst"));
        let (last_30_days, mut downloads) = read_downloads(&snapshot);
        let figures: Value = serde_json::from_str(&read(
            out.path().join(format!("site/{edition}/figures.json")),
        ))
        .unwrap();
        let value = |name: &str| {
            figures[name]["value"]
                .as_f64()
                .unwrap_or_else(|| panic!("{name}"))
        };

        downloads.sort_unstable();
        let n = downloads.len();
        let total: u64 = downloads.iter().sum();
        let top200: u64 = downloads.iter().rev().take(200).sum();
        let below = downloads.iter().filter(|&&d| d < 200).count();
        let median = if n.is_multiple_of(2) {
            (downloads[n / 2 - 1] + downloads[n / 2]) as f64 / 2.0
        } else {
            downloads[n / 2] as f64
        };
        let weighted: u128 = downloads
            .iter()
            .enumerate()
            .map(|(i, &x)| (i as u128 + 1) * x as u128)
            .sum();
        let gini = 2.0 * weighted as f64 / (n as f64 * total as f64) - (n as f64 + 1.0) / n as f64;

        assert_eq!(value("models_total"), n as f64, "{edition} models_total");
        assert_eq!(
            value("downloads_total"),
            last_30_days.iter().sum::<u64>() as f64,
            "{edition} downloads_total"
        );
        assert_eq!(
            value("downloads_all_time_total"),
            total as f64,
            "{edition} downloads_all_time_total"
        );
        assert_close(
            value("top200_share"),
            top200 as f64 / total as f64,
            "top200_share",
        );
        assert_close(
            value("share_below_200"),
            below as f64 / n as f64,
            "share_below_200",
        );
        assert_eq!(
            value("median_downloads"),
            median,
            "{edition} median_downloads"
        );
        assert_close(value("gini_downloads"), gini, "gini_downloads");
    }
}

fn assert_close(got: f64, want: f64, name: &str) {
    assert!(
        (got - want).abs() <= 1e-12 * want.abs().max(1.0),
        "{name}: got {got}, want {want}"
    );
}

/// Each row's downloads in the last 30 days and all time (every demo row has both).
fn read_downloads(path: &Path) -> (Vec<u64>, Vec<u64>) {
    let file = std::fs::File::open(path).unwrap();
    let reader = BufReader::new(zstd::Decoder::new(file).unwrap());
    reader
        .lines()
        .map(|line| {
            let row: Value = serde_json::from_str(&line.unwrap()).unwrap();
            let count = |key: &str| row[key].as_u64().unwrap_or_else(|| panic!("{key}"));
            (count("downloads"), count("downloadsAllTime"))
        })
        .unzip()
}
