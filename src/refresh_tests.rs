use std::fs;

use super::*;

/// A project with three editions: `2025-spring` published, `2026-spring` not, and a
/// draft `2026-autumn` given by `autumn` (its front matter's extra lines), if any.
fn project(figures: &str, autumn: Option<&str>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let config =
        format!("title = \"T\"\ndescription = \"D\"\nbase-url = \"https://x.example/\"\n{figures}");
    fs::write(root.join("stateof.toml"), config).unwrap();
    fs::create_dir_all(root.join("content/data")).unwrap();
    fs::write(root.join("content/data/organizations.toml"), "").unwrap();
    let edition = |slug: &str, date: &str, extra: &str| {
        let dir = root.join("content").join(slug);
        fs::create_dir_all(&dir).unwrap();
        let text = format!("+++\ntitle = \"{slug}\"\ndate = \"{date}\"\n{extra}+++\nBody.\n");
        fs::write(dir.join("index.md"), text).unwrap();
    };
    edition(
        "2025-spring",
        "2025-03-20",
        "snapshot = \"snapshots/a/models.jsonl\"\npublished = 2025-04-01\n",
    );
    edition(
        "2026-spring",
        "2026-03-20",
        "snapshot = \"snapshots/b/models.jsonl\"\n",
    );
    if let Some(extra) = autumn {
        edition("2026-autumn", "2026-09-20", extra);
    }
    tmp
}

const COUNTS: &str = "[figures.m]\nlabel = \"M\"\nmetric = \"count\"\n\n\
                      [figures.s]\nlabel = \"S\"\nmetric = \"count\"\nof = \"spaces\"\n";

#[test]
fn the_newest_unpublished_edition_is_refreshed_with_every_kind_its_figures_count() {
    let tmp = project(COUNTS, None);
    let chosen = plan(tmp.path(), None).unwrap().unwrap();
    assert_eq!(chosen.edition, "2026-spring");
    assert_eq!(chosen.kinds, vec![Kind::Models, Kind::Spaces]);
    assert_eq!(chosen.snapshot.unwrap().line, 4);

    // A newer draft is the edition in progress.
    let tmp = project(COUNTS, Some("draft = true\n"));
    let chosen = plan(tmp.path(), None).unwrap().unwrap();
    assert_eq!(
        (chosen.edition.as_str(), chosen.snapshot),
        ("2026-autumn", None)
    );

    // Once it is published too, the next unpublished one is older.
    let tmp = project(COUNTS, Some("published = 2026-10-01\n"));
    assert_eq!(
        plan(tmp.path(), None).unwrap().unwrap().edition,
        "2026-spring"
    );
}

#[test]
fn a_published_or_unknown_edition_is_refused_and_all_published_is_none() {
    let tmp = project("", None);
    let err = plan(tmp.path(), Some("2025-spring"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("2025-spring/index.md:5: edition `2025-spring` was published on 2025-04-01"),
        "{err}"
    );
    let err = plan(tmp.path(), Some("2026-sprng"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("2026-spring"), "{err}");
    let chosen = plan(tmp.path(), Some("2026-spring")).unwrap().unwrap();
    assert_eq!(chosen.kinds, vec![Kind::Models], "no figures: models");

    let index = tmp.path().join("content/2026-spring/index.md");
    let text = fs::read_to_string(&index).unwrap();
    fs::write(
        &index,
        text.replace("+++\nBody", "published = 2026-04-01\n+++\nBody"),
    )
    .unwrap();
    assert_eq!(plan(tmp.path(), None).unwrap(), None);
}

#[test]
fn the_snapshot_line_is_rewritten_or_added() {
    let text = "+++\r\ntitle = \"T\"\r\nsnapshot = \"old.jsonl\"  # note\r\n+++\r\nBody\r\n";
    assert_eq!(
        set_snapshot(text, Some(3), "snapshots/2026-12-01/models.parquet").unwrap(),
        "+++\r\ntitle = \"T\"\r\nsnapshot = \"snapshots/2026-12-01/models.parquet\"\r\n+++\r\nBody\r\n"
    );
    let text = "+++\ntitle = \"T\"\n+++\nBody with\n+++\n";
    assert_eq!(
        set_snapshot(text, None, "a \"b\".parquet").unwrap(),
        "+++\ntitle = \"T\"\nsnapshot = \"a \\\"b\\\".parquet\"\n+++\nBody with\n+++\n"
    );
    assert!(
        set_snapshot(text, Some(2), "x").is_err(),
        "line 2 is the title"
    );
    assert!(set_snapshot(text, Some(40), "x").is_err());
    assert!(set_snapshot("+++\ntitle = 1\n", None, "x").is_err());
}
