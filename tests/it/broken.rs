//! Broken data that still builds: what a reader sees when a figure cannot be
//! measured, and shortcodes where they cannot go.

use super::{fixture, read, stateof, stderr};

/// A snapshot whose downloads are all 0: every share of downloads is undefined. The
/// build says which figures, pages show "n/a" (never `NaN` or a measured-looking
/// 0%), the data downloads leave the value empty.
#[test]
fn a_snapshot_without_downloads_gives_undefined_figures_not_nan() {
    let project = fixture("tiny");
    let snapshot = project.path().join("snapshots/2026.jsonl");
    let text = read(&snapshot);
    let zeroed: String = text
        .lines()
        .map(|line| {
            let mut row: serde_json::Value = serde_json::from_str(line).unwrap();
            row["downloads"] = 0.into();
            format!("{row}\n")
        })
        .collect();
    assert_ne!(zeroed, text);
    std::fs::write(&snapshot, zeroed).unwrap();

    let out = stateof(project.path(), &["build"]);
    let message = stderr(&out);
    assert!(out.status.success(), "{message}");
    for name in ["top2_share", "us_share"] {
        assert!(
            message.contains(&format!(
                "figure `{name}` is undefined for edition 2026-spring"
            )),
            "{name}: {message}"
        );
    }
    assert!(
        !message.contains("`top2_share` is undefined for edition 2025-spring"),
        "{message}"
    );
    let page = read(project.path().join("output/2026-spring/index.html"));
    let prose = &page[page.find("The tiny hub lists").expect("the prose")..];
    let prose = &prose[..prose.find("</p>").unwrap()];
    assert!(prose.contains(">n/a</data>"), "{prose}");
    assert!(!prose.contains(">0%<"), "{prose}");
    for output in [
        "2026-spring/index.html",
        "2026-spring/figures.csv",
        "2026-spring/figures.json",
        "methodology/index.html",
    ] {
        let body = read(project.path().join("output").join(output));
        assert!(!body.contains("NaN"), "{output}");
        assert!(!body.contains("inf%"), "{output}");
    }
    let json = read(project.path().join("output/2026-spring/figures.json"));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        json.to_string().contains("null"),
        "undefined is null in JSON"
    );
}

/// A claim about an undefined figure cannot be checked: a located error, not a
/// silently true or false claim.
#[test]
fn a_claim_about_an_undefined_figure_is_refused() {
    let project = fixture("tiny");
    let snapshot = project.path().join("snapshots/2026.jsonl");
    let zeroed = read(&snapshot).replace("\"downloads\":", "\"downloads\":0,\"x\":");
    std::fs::write(&snapshot, zeroed).unwrap();
    let page = project.path().join("content/2026-spring/index.md");
    let text = read(&page).replace(
        "## Authors",
        "{{ claim(if=\"not (top2_share > 50%)\") }}Downloads are spread out.{{ end }}\n\n## Authors",
    );
    std::fs::write(&page, text).unwrap();
    let out = stateof(project.path(), &["build"]);
    let message = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{message}");
    assert!(
        message.contains("content/2026-spring/index.md:13:")
            && message.contains("`top2_share` is undefined for edition 2026-spring"),
        "{message}"
    );
}
