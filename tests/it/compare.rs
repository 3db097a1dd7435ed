//! Comparisons across editions: a grouped-bar chart reads each group's real share in
//! both editions, and the methodology names each growth figure's own base edition.

use std::fs;
use std::path::Path;

use super::{build_ok, fixture, read};

/// Edits `file` under `root`, replacing `from` (which must be there) by `to`.
fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = read(&path);
    assert!(text.contains(from), "{file} lacks {from:?}");
    fs::write(&path, text.replace(from, to)).unwrap();
}

/// The chart's CSV row for `label`: its value in the earlier edition and in this one.
fn row(csv: &str, label: &str) -> (f64, f64) {
    let line = csv
        .lines()
        .find(|l| l.starts_with(&format!("{label},")))
        .unwrap_or_else(|| panic!("no row {label} in\n{csv}"));
    let cells: Vec<f64> = line
        .split(',')
        .skip(1)
        .map(|c| c.parse().unwrap())
        .collect();
    (cells[0], cells[1])
}

#[test]
fn a_group_outside_the_earlier_top_shows_its_real_share_there() {
    let project = fixture("tiny");
    // One named country per edition: the United States led in 2025 (900 of 1,000
    // downloads), China in 2026 (3,000 of 4,015).
    let share_by_country =
        "metric = \"share_by\"\nkey = \"author.country\"\nweight = \"downloads\"\n";
    let top_one = format!("{share_by_country}top = 1\n");
    edit(project.path(), "stateof.toml", share_by_country, &top_one);
    build_ok(project.path(), &[]);
    let site = project.path().join("output");
    let csv = read(site.join("2026-spring/charts/by_country.csv"));
    assert_eq!(row(&csv, "China"), (0.1, 3000.0 / 4015.0), "{csv}");
    // "Other" is everything but China in both editions: the US in 2025; the US and
    // an unattributed author in 2026.
    assert_eq!(row(&csv, "Other"), (0.9, 1015.0 / 4015.0), "{csv}");
    assert_eq!(csv.lines().count(), 3, "{csv}");
    // The page's data table has the same rows as the chart and its CSV.
    let page = read(site.join("2026-spring/index.html"));
    assert!(
        page.contains("<th scope=\"row\">China</th><td class=\"num\">10%</td>"),
        "{page}"
    );
    assert!(!page.contains("<th scope=\"row\">United States</th>"));
    let svg = read(site.join("2026-spring/charts/by_country.svg"));
    assert!(!svg.contains("\u{2013}</text>"), "{svg}");
    assert!(svg.contains("China 74.7%, up from 10%"), "{svg}");
    // figures.json keeps its shape: the top groups and "Other", not every group.
    let json = read(site.join("2026-spring/figures.json"));
    assert!(!json.contains("\"groups\""), "{json}");
    let figures: serde_json::Value = serde_json::from_str(&json).unwrap();
    let points = figures["by_country"]["value"].as_array().unwrap();
    assert_eq!(points.len(), 2, "{points:?}");
}

#[test]
fn the_methodology_names_each_growth_figure_s_own_base() {
    let project = fixture("tiny");
    let root = project.path();
    let growth = "\n[figures.models_growth]\nlabel = \"Growth in models\"\n\
                  metric = \"growth\"\nfigure = \"models_total\"\nformat = \"change\"\n";
    let toml = read(root.join("stateof.toml")) + growth;
    fs::write(root.join("stateof.toml"), toml).unwrap();
    // A third edition, compared to the second: same snapshot, so no growth.
    let autumn = root.join("content/2026-autumn");
    fs::create_dir_all(&autumn).unwrap();
    fs::write(
        autumn.join("index.md"),
        "+++\ntitle = \"Autumn 2026\"\ndate = \"2026-09-20\"\nsummary = \"Later.\"\n\
         snapshot = \"snapshots/2026.jsonl\"\ncompare-to = \"2026-spring\"\n+++\n\n\
         Growth: {{ fig(name=\"models_growth\") }}.\n",
    )
    .unwrap();
    build_ok(root, &[]);
    let page = read(root.join("output/methodology/index.html"));
    let start = page
        .find("id=\"fig-models_growth\"")
        .expect("growth figure listed");
    let entry = &page[start..start + page[start..].find("</dd>").unwrap()];
    assert!(
        entry.contains("since the earlier edition each edition is compared to"),
        "{entry}"
    );
    assert!(
        entry.contains("Autumn 2026: <strong>+0%</strong> since Spring &lt;2026&gt;"),
        "{entry}"
    );
    assert!(
        entry.contains("Spring &lt;2026&gt;: <strong>+100%</strong> since Spring 2025"),
        "{entry}"
    );
    assert!(
        entry.contains("Spring 2025: no earlier edition to compare with"),
        "{entry}"
    );
}
