//! Seasons: `stateof new` starts the next edition from the last one, sourced figures
//! hold a value per edition (never carried to another), a snapshot dated after its
//! edition is warned about, and numbers written in words are reported like typed ones.

use std::path::Path;

use serde_json::Value;

use super::errors::edit;
use super::{build_ok, fixture, read, stateof, stderr};

/// `stateof new` in `dir`: its exit status and what it printed.
fn new(dir: &Path, args: &[&str]) -> (bool, String) {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    let out = stateof(dir, &all);
    (out.status.success(), stderr(&out))
}

/// The tiny fixture's one sourced value, which names its edition.
const SINGLE: &str =
    "edition = \"2026-spring\"\nvalue = 1_000\nsource = \"The <Census> & friends\"\n";

fn figures(dir: &Path, edition: &str) -> Value {
    let text = read(dir.join(format!("output/{edition}/figures.json")));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn new_starts_the_next_season_from_the_last_one() {
    let project = fixture("tiny");
    let dir = project.path();
    let (ok, message) = new(
        dir,
        &["2026-fall", "--from", "2026-spring", "--date", "2026-09-01"],
    );
    assert!(ok, "{message}");
    assert!(
        message.contains(
            "created edition `2026-fall` in `content/2026-fall` from `2026-spring` \
                          (index.md, details.md): dated 2026-09-01, compared to 2026-spring"
        ),
        "{message}"
    );
    assert!(
        message.contains("1 comparison with 2025-spring now compares with 2026-spring"),
        "{message}"
    );
    assert!(
        message.contains(
            "warning: content/2026-fall/index.md:5: edition `2026-fall` keeps the \
                          snapshot of `2026-spring` (`snapshots/2026.jsonl`)"
        ),
        "{message}"
    );
    assert!(
        message.contains(
            "warning: stateof.toml: the text of edition `2026-fall` shows the \
                          sourced figure `users`, which has no value for it yet"
        ),
        "{message}"
    );

    let index = read(dir.join("content/2026-fall/index.md"));
    let old = read(dir.join("content/2026-spring/index.md"));
    let expected = old
        .replace("date = \"2026-03-20\"", "date = \"2026-09-01\"")
        .replace(
            "compare-to = \"2025-spring\"",
            "compare-to = \"2026-spring\"",
        )
        .replace("vs=\"2025-spring\"", "vs=\"2026-spring\"");
    assert_eq!(
        index, expected,
        "the copy differs only where the season does"
    );
    let chapter = read(dir.join("content/2026-fall/details.md"));
    assert!(chapter.contains("date = \"2026-09-01\"") && chapter.contains("## More"));

    // The build refuses the sourced figure until the new edition has a value of its own.
    let out = stateof(dir, &["build"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(
            "content/2026-fall/index.md:11: figure `users` has no value for edition \
             `2026-fall` (only for 2026-spring); it is a sourced figure"
        ),
        "{}",
        stderr(&out)
    );
    // A dated value belongs to the season it falls in: after the spring, up to the fall.
    let values = "values = [\n  \
                  { edition = \"2026-spring\", value = 1_000, source = \"The <Census> & friends\" },\n  \
                  { date = 2026-08-15, value = 1_500, source = \"The census, summer\", \
                  url = \"https://census.example/summer\" },\n]\n";
    edit(&dir.join("stateof.toml"), SINGLE, values);
    build_ok(dir, &[]);
    let fall = &figures(dir, "2026-fall")["users"];
    assert_eq!(fall["value"], 1500.0);
    assert_eq!(fall["provenance"]["source_date"], "2026-08-15");
    assert_eq!(figures(dir, "2026-spring")["users"]["value"], 1000.0);
    assert!(
        figures(dir, "2025-spring").get("users").is_none(),
        "no value is carried back to an earlier edition"
    );
    let methodology = read(dir.join("output/methodology/index.html"));
    assert!(
        methodology.contains(
            "<a href=\"https://census.example/summer\">(The census, summer, as of 2026-08-15)</a>"
        ),
        "{methodology}"
    );
    assert!(methodology.contains("Spring 2025: no value stated for this edition"));
}

#[test]
fn new_refuses_what_it_cannot_do_and_says_why() {
    let project = fixture("tiny");
    let dir = project.path();
    let cases: [(&[&str], &str); 6] = [
        (
            &["2025-spring", "--from", "2026-spring"],
            "content/2025-spring` already exists: stateof new never overwrites an edition",
        ),
        (
            &["2026-fall", "--from", "2026-sprng"],
            "there is no edition `2026-sprng` to start from (did you mean `2026-spring`?)",
        ),
        (
            &["2026-fall", "--from", "2026-spring", "--date", "2026-03-01"],
            "the new edition must be dated after `2026-spring` (2026-03-20)",
        ),
        (
            &["2026/fall", "--from", "2026-spring"],
            "`2026/fall` cannot be an edition's name",
        ),
        (
            &[
                "2026-fall",
                "--from",
                "2026-spring",
                "--snapshot",
                "snapshots/none.jsonl",
            ],
            "--snapshot `snapshots/none.jsonl`: there is no such file",
        ),
        (
            &["2026-fall", "--from", "2026-spring", "--date", "2026-02-30"],
            "invalid date `2026-02-30`",
        ),
    ];
    for (args, expected) in cases {
        let (ok, message) = new(dir, args);
        assert!(!ok && message.contains(expected), "{args:?}: {message}");
        assert!(!message.contains("panicked"), "{message}");
    }
    assert!(!dir.join("content/2026-fall").exists());
    let names: Vec<_> = std::fs::read_dir(dir.join("content"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(names.len(), 3, "nothing left behind: {names:?}");
}

#[test]
fn a_snapshot_dated_after_its_edition_is_warned_about() {
    let project = fixture("tiny");
    let dir = project.path();
    let out = stateof(
        dir,
        &[
            "sample",
            "--models",
            "40",
            "--date",
            "2026-12-01",
            "--out",
            "snapshots/late/models.jsonl",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let args = [
        "2026-fall",
        "--from",
        "2026-spring",
        "--date",
        "2026-09-01",
        "--snapshot",
        "snapshots/late/models.jsonl",
        "--draft",
    ];
    let (ok, message) = new(dir, &args);
    assert!(ok, "{message}");
    let warning = "content/2026-fall/index.md:5: edition `2026-fall` is dated 2026-09-01, but its \
                   snapshot `snapshots/late/models.jsonl` was taken on 2026-12-01, after it";
    assert!(
        message.contains(&format!("warning: {warning}")),
        "{message}"
    );
    let values = "values = [{ edition = \"2026-spring\", value = 1_000, source = \"S\" }, \
                  { edition = \"2026-fall\", value = 1_000, source = \"S\" }]\n";
    edit(&dir.join("stateof.toml"), SINGLE, values);
    // A draft: left out of a plain build, warned about when drafts are built.
    let out = stateof(dir, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains(warning), "{}", stderr(&out));
    let out = stateof(dir, &["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("warning: {warning}")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn numbers_in_words_warn_in_build_and_fail_check_unless_marked() {
    let project = fixture("tiny");
    let dir = project.path();
    let index = dir.join("content/2026-spring/index.md");
    edit(
        &index,
        "## Authors",
        "Downloads doubled, and a third go to one model.\n\n## Authors",
    );
    let out = stateof(dir, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let warnings = stderr(&out);
    for words in ["doubled", "a third"] {
        let warning = format!(
            "warning: content/2026-spring/index.md:13: `{words}` is a number written in words"
        );
        assert!(warnings.contains(&warning), "{warnings}");
    }
    let out = stateof(dir, &["check"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("error: content/2026-spring/index.md:13: `doubled` is a number"),
        "{}",
        stderr(&out)
    );

    edit(
        &index,
        "Downloads doubled, and a third",
        "{{ claim(if=\"top2_share > 30%\") }}Downloads doubled{{ end }}, and \
         {{ not_data }}a third{{ end }}",
    );
    let out = stateof(dir, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("written in words"),
        "{}",
        stderr(&out)
    );
    let out = stateof(dir, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(dir.join("output/2026-spring/index.html"));
    assert!(page.contains("Downloads doubled, and a third go to one model."));
}
