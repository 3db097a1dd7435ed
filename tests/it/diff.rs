//! `stateof diff`: the figures that changed between two figures.json files (text,
//! Markdown, JSON, `--min-change`), and between two snapshot files of one project,
//! where the claims the new data makes false and the data's problems are reported too.

use std::path::Path;

use super::errors::edit;
use super::{build_ok, fixture, read, stateof, stderr};

fn stdout(out: &std::process::Output) -> String {
    assert!(out.status.success(), "diff failed: {}", stderr(out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The tiny fixture's 2026 figures as built, then built again with 2,000 users and a
/// fifth model from the United States; both figures.json files, copied aside.
fn two_figure_files(project: &Path) {
    build_ok(project, &[]);
    std::fs::copy(
        project.join("output/2026-spring/figures.json"),
        project.join("old.json"),
    )
    .unwrap();
    edit(
        &project.join("stateof.toml"),
        "value = 1_000",
        "value = 2_000",
    );
    let snapshot = project.join("snapshots/2026.jsonl");
    let mut text = read(&snapshot);
    text.push_str(
        r#"{"_id":"5","id":"acme/<b>new</b>|x","author":"acme","downloads":4000,"likes":1,"tags":[],"createdAt":"2026-01-01T00:00:00.000Z"}"#,
    );
    text.push('\n');
    std::fs::write(&snapshot, text).unwrap();
    build_ok(project, &[]);
    std::fs::copy(
        project.join("output/2026-spring/figures.json"),
        project.join("new.json"),
    )
    .unwrap();
}

#[test]
fn figure_files_compare_as_text_markdown_and_json() {
    let project = fixture("tiny");
    let dir = project.path();
    two_figure_files(dir);

    let text = stdout(&stateof(dir, &["diff", "old.json", "new.json"]));
    assert!(
        text.starts_with("old.json \u{2192} new.json\n\nEdition 2026-spring: "),
        "{text}"
    );
    let users = text
        .lines()
        .find(|l| l.trim_start().starts_with("users "))
        .expect(&text);
    assert!(
        users.contains("1,000 \u{2192} 2,000") && users.ends_with("+100%"),
        "{users}"
    );
    let models = text
        .lines()
        .find(|l| l.trim_start().starts_with("models_total "))
        .expect(&text);
    assert!(
        models.contains("4 \u{2192} 5") && models.ends_with("+25%"),
        "{models}"
    );
    let top = text
        .lines()
        .find(|l| l.contains("top_models \u{b7} rows"))
        .expect(&text);
    assert!(top.contains("entered: acme/<b>new</b>|x"), "{top}");
    assert!(
        !text.contains("Claims"),
        "figures alone carry no claims: {text}"
    );

    let md = stdout(&stateof(
        dir,
        &["diff", "old.json", "new.json", "--format", "markdown"],
    ));
    assert!(
        md.contains("| Figure | Old | New | Change |\n|---|--:|--:|--:|\n"),
        "{md}"
    );
    assert!(
        md.contains("| Users (`users`) | 1,000 | 2,000 | +100% |\n"),
        "{md}"
    );
    assert!(
        md.contains("| Models (`models_total`) | 4 | 5 | +25% |\n"),
        "{md}"
    );
    // A model id from the data is escaped in the table.
    assert!(
        md.contains("entered: acme/&lt;b&gt;new&lt;/b&gt;\\|x"),
        "{md}"
    );
    assert!(!md.contains("<b>"), "{md}");

    let json = stdout(&stateof(
        dir,
        &["diff", "old.json", "new.json", "--format", "json"],
    ));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rows = json["editions"][0]["rows"].as_array().unwrap();
    let users = rows.iter().find(|r| r["figure"] == "users").unwrap();
    assert_eq!(
        (users["old"].as_f64(), users["new"].as_f64()),
        (Some(1000.0), Some(2000.0))
    );
    assert_eq!(users["change"].as_f64().map(f64::round), Some(100.0));
    let shares = rows
        .iter()
        .filter(|r| r["change_shown"].as_str().unwrap().ends_with(" pp"));
    assert!(shares.count() > 0, "shares change in points: {rows:?}");

    // The US share moves by tens of points, the counts by 25% and 100%.
    let quiet = stdout(&stateof(
        dir,
        &[
            "diff",
            "old.json",
            "new.json",
            "--format",
            "json",
            "--min-change",
            "50",
        ],
    ));
    let quiet: serde_json::Value = serde_json::from_str(&quiet).unwrap();
    let names: Vec<&str> = (quiet["editions"][0]["rows"].as_array().unwrap().iter())
        .map(|r| r["figure"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"users") && !names.contains(&"models_total"),
        "{names:?}"
    );
    assert!(
        names.contains(&"top_models"),
        "a table's new rows are always shown: {names:?}"
    );
    assert!(quiet["editions"][0]["hidden"].as_u64().unwrap() > 0);
}

#[test]
fn snapshot_files_report_false_claims_and_data_notes() {
    let project = fixture("tiny");
    let dir = project.path();
    // 5 users and 4 models: the claim `users > models_total` holds, until a fifth model.
    edit(&dir.join("stateof.toml"), "value = 1_000", "value = 5");
    let mut text = read(dir.join("snapshots/2026.jsonl"));
    text.push_str(concat!(
        r#"{"_id":"5","id":"acme/new-model","author":"acme","downloads":4000,"createdAt":"2026-01-01T00:00:00.000Z"}"#,
        "\n",
        r#"{"_id":"6","id":"acme/new-model","author":"acme","downloads":1,"createdAt":"2026-01-01T00:00:00.000Z"}"#,
        "\n"
    ));
    std::fs::write(dir.join("new.jsonl"), text).unwrap();
    let out = stateof(
        dir,
        &[
            "diff",
            "snapshots/2026.jsonl",
            "new.jsonl",
            "--format",
            "markdown",
        ],
    );
    let md = stdout(&out);
    assert!(
        md.contains("### Edition 2026-spring"),
        "the latest edition by default: {md}"
    );
    assert!(
        md.contains("| Models (`models_total`) | 4 | 5 | +25% |"),
        "{md}"
    );
    assert!(
        md.contains(
            "### Claims the new data makes false\n\n- content/2026-spring/index.md:11: \
                     claim is false for edition 2026-spring: users &gt; models\\_total \
                     (users = 5, models\\_total = 5)"
        ),
        "{md}"
    );
    assert!(
        md.contains("### Data-quality notes\n\n- new.jsonl: snapshot of edition 2026-spring"),
        "{md}"
    );
    assert!(md.contains("1 repeated entry dropped"), "{md}");
    assert!(
        !dir.join(".stateof-cache").exists(),
        "diff leaves no figure cache"
    );

    let json = stdout(&stateof(
        dir,
        &[
            "diff",
            "snapshots/2026.jsonl",
            "new.jsonl",
            "--format",
            "json",
        ],
    ));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["false_claims"][0]["newly_false"], true);

    let same = stdout(&stateof(dir, &["diff", "new.jsonl", "new.jsonl"]));
    assert!(same.contains("(false with the old data too)"), "{same}");
    assert!(
        same.contains("Edition 2026-spring: 0 values changed"),
        "{same}"
    );
}

#[test]
fn mismatched_or_missing_inputs_are_errors() {
    let project = fixture("tiny");
    let dir = project.path();
    build_ok(dir, &[]);
    let out = stateof(dir, &["diff", "output/2026-spring/figures.json", "output"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is a figures.json file and `output` a built site"),
        "{}",
        stderr(&out)
    );
    let out = stateof(dir, &["diff", "output", "nope"]);
    assert!(
        stderr(&out).contains("`nope` does not exist"),
        "{}",
        stderr(&out)
    );
    let out = stateof(
        dir,
        &["diff", "output", "output", "--edition", "2026-sprung"],
    );
    assert!(
        stderr(&out).contains("did you mean `2026-spring`"),
        "{}",
        stderr(&out)
    );
    let sites = stdout(&stateof(dir, &["diff", "output", "output"]));
    assert!(
        sites.contains("Edition 2026-spring: 0 values changed")
            && sites.contains("Edition 2025-spring"),
        "{sites}"
    );
}

#[test]
fn built_sites_compare_every_edition_with_the_projects_claims() {
    let project = fixture("tiny");
    let dir = project.path();
    build_ok(dir, &[]);
    super::copy_tree(&dir.join("output"), &dir.join("old-site"));
    // 3 users, 4 models: `users > models_total` no longer holds.
    edit(&dir.join("stateof.toml"), "value = 1_000", "value = 3");
    build_ok(dir, &["--allow-false-claims"]);
    let text = stdout(&stateof(dir, &["diff", "old-site", "output"]));
    assert!(text.contains("\nEdition 2026-spring: "), "{text}");
    assert!(text.contains("\nEdition 2025-spring: "), "{text}");
    let claim = "\nClaims the new data makes false (1):\n  content/2026-spring/index.md:11: \
                 claim is false for edition 2026-spring: users > models_total (users = 3, \
                 models_total = 4)";
    assert!(text.contains(claim), "{text}");
    let args = ["diff", "old-site", "output", "--edition", "2025-spring"];
    let only_2025 = stdout(&stateof(dir, &args));
    assert!(!only_2025.contains("2026-spring"), "{only_2025}");

    // Elsewhere than the project, the claims cannot be evaluated, and it says so.
    let elsewhere = tempfile::tempdir().unwrap();
    let old = dir.join("old-site").display().to_string();
    let new = dir.join("output").display().to_string();
    let text = stdout(&stateof(elsewhere.path(), &["diff", &old, &new]));
    let remark = "guarded claims not evaluated: no project (stateof.toml) in `.` (pass --root)";
    assert!(text.contains(remark), "{text}");
    let root = dir.display().to_string();
    let text = stdout(&stateof(
        elsewhere.path(),
        &["diff", &old, &new, "--root", &root],
    ));
    assert!(
        text.contains("Claims the new data makes false (1)"),
        "{text}"
    );
}
