//! `stateof check`: a built site passes; a broken link or anchor, an image without a
//! text alternative, malformed XML, a local path or a typed figure fails it, naming
//! the page (or content file) and line.

use std::path::Path;

use super::errors::edit;
use super::{build_ok, fixture, read, stateof, stderr};

fn check(dir: &Path, extra: &[&str]) -> (bool, String) {
    let mut args = vec!["check"];
    args.extend_from_slice(extra);
    let out = stateof(dir, &args);
    (out.status.success(), stderr(&out))
}

#[test]
fn a_built_site_passes() {
    let project = fixture("tiny");
    build_ok(project.path(), &[]);
    let (ok, message) = check(project.path(), &["output"]);
    assert!(ok, "{message}");
    // 6 pages of the report, and each of its 4 charts' embed page.
    assert!(message.contains("checked `output`: 10 pages"), "{message}");
    assert!(message.contains("no problems"), "{message}");
}

#[test]
fn broken_links_anchors_alternatives_and_local_paths_name_the_page() {
    let project = fixture("tiny");
    let dir = project.path();
    build_ok(dir, &[]);
    let page = dir.join("output/2026-spring/index.html");
    let html = read(&page);
    let body_end = html.find("</body>").expect("a page has a body");
    let lines = html[..body_end].matches('\n').count() + 1;
    let broken = "<p><a href=\"/tiny/2026-spring/nope/\">a</a> <a href=\"../2025-spring/#no-such-id\">b</a>\n\
                  <img src=\"charts/by_author.svg\"> <a href=\"/elsewhere/\">c</a>\n<code>/home/ann/snap.jsonl</code></p>\n";
    std::fs::write(
        &page,
        html.replacen("</body>", &format!("{broken}</body>"), 1),
    )
    .unwrap();
    let (ok, message) = check(dir, &[]);
    assert!(!ok, "{message}");
    let at = |n: usize| format!("error: output/2026-spring/index.html:{}: ", lines + n);
    let expected = [
        format!("{}link `/tiny/2026-spring/nope/` resolves to no file of the site (`2026-spring/nope/`)", at(0)),
        format!("{}link `../2025-spring/#no-such-id` points to no element: `2025-spring/index.html` has no id `no-such-id`", at(0)),
        format!("{}image `charts/by_author.svg` has no text alternative", at(1)),
        format!("{}link `/elsewhere/` is outside the base path /tiny/", at(1)),
        format!("{}shows the local file-system path `/home/ann/snap.jsonl`", at(2)),
    ];
    for line in expected {
        assert!(message.contains(&line), "{line}\nnot in:\n{message}");
    }
    assert!(message.ends_with("5 errors\n"), "{message}");
}

#[test]
fn malformed_feeds_and_svgs_fail() {
    let project = fixture("tiny");
    let dir = project.path();
    build_ok(dir, &[]);
    let feed = dir.join("output/atom.xml");
    let text = read(&feed);
    std::fs::write(&feed, &text[..text.len() / 2]).unwrap();
    let (ok, message) = check(dir, &["output"]);
    assert!(!ok);
    assert!(message.contains("error: output/atom.xml:"), "{message}");
    assert!(message.contains("not well-formed XML"), "{message}");
}

#[test]
fn a_missing_social_card_fails_on_every_page_that_names_it() {
    let project = fixture("tiny");
    let dir = project.path();
    build_ok(dir, &[]);
    std::fs::remove_file(dir.join("output/2026-spring/card.png")).unwrap();
    let (ok, message) = check(dir, &["output"]);
    assert!(!ok, "{message}");
    let missing = "link `https://example.github.io/tiny/2026-spring/card.png` resolves to no \
                   file of the site (`2026-spring/card.png`)";
    // The edition and its chapter share the card.
    assert_eq!(message.matches(missing).count(), 2, "{message}");
    for page in ["2026-spring/index.html", "2026-spring/details/index.html"] {
        let at = format!("error: output/{page}:");
        assert!(message.contains(&at), "{page}\n{message}");
    }
}

#[test]
fn an_absolute_snapshot_path_shows_as_its_file_name() {
    let project = fixture("tiny");
    let dir = project.path();
    let elsewhere = tempfile::tempdir().unwrap();
    let snapshot = elsewhere.path().join("2026.jsonl");
    std::fs::copy(dir.join("snapshots/2026.jsonl"), &snapshot).unwrap();
    let given = format!("2026-spring={}", snapshot.display());
    build_ok(dir, &["--snapshot", &given]);
    for page in [
        "output/2026-spring/index.html",
        "output/methodology/index.html",
    ] {
        let html = read(dir.join(page));
        assert!(
            !html.contains(&elsewhere.path().display().to_string()),
            "{page} shows the path"
        );
        assert!(html.contains("<code>2026.jsonl</code>"), "{page}");
    }
    let (ok, message) = check(dir, &[]);
    assert!(ok, "{message}");
}

#[test]
fn a_typed_figure_warns_in_build_and_fails_check() {
    let project = fixture("tiny");
    let dir = project.path();
    build_ok(dir, &[]);
    let json: serde_json::Value =
        serde_json::from_str(&read(dir.join("output/2026-spring/figures.json"))).unwrap();
    let users = json["users"]["value"].as_f64().unwrap();
    assert_eq!(users, 1000.0, "the fixture's sourced figure");
    let index = dir.join("content/2026-spring/index.md");
    edit(
        &index,
        "## Authors",
        "We count 1,000 users, of 2026 and 200 models.\n\n## Authors",
    );
    let out = stateof(dir, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let warning = "content/2026-spring/index.md:13: `1,000` is typed where figure `users` shows \
                   1,000; write {{ fig(name=\"users\") }} instead";
    assert!(
        stderr(&out).contains(&format!("warning: {warning}")),
        "{}",
        stderr(&out)
    );
    let (ok, message) = check(dir, &[]);
    assert!(!ok);
    assert!(message.contains(&format!("error: {warning}")), "{message}");
    assert_eq!(
        message.matches("is typed").count(),
        1,
        "years and plain counts pass: {message}"
    );
}
