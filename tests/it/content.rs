//! What content is read and what is left out: skipped files are warned about by name,
//! drafts are built only with `--drafts`, and pages a build stops making are named.

use std::fs;
use std::path::Path;

use super::errors::edit;
use super::{build_ok, fixture, read, stateof, stderr};

/// Runs a build that must succeed and returns its stderr.
fn build_warnings(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let out = stateof(dir, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    stderr(&out)
}

/// A third edition, 2024-fall, on the 2025 snapshot.
fn add_fall_edition(project: &Path, extra_front: &str) {
    let folder = project.join("content/2024-fall");
    fs::create_dir_all(&folder).unwrap();
    fs::write(
        folder.join("index.md"),
        format!(
            "+++\ntitle = \"Fall 2024\"\ndate = \"2024-09-20\"\nsnapshot = \"snapshots/2025.jsonl\"\n\
             {extra_front}+++\n\nFall: {{{{ fig(name=\"models_total\") }}}} models.\n"
        ),
    )
    .unwrap();
}

#[test]
fn skipped_content_is_named_with_what_stateof_expects() {
    let project = fixture("tiny");
    let content = project.path().join("content");
    fs::write(content.join("about.md"), "+++\ntitle = \"About\"\n+++\n").unwrap();
    fs::create_dir_all(content.join("2024-fall")).unwrap();
    fs::write(content.join("2024-fall/_index.md"), "x").unwrap();
    fs::create_dir_all(content.join("2023-fall")).unwrap();
    fs::write(content.join("2023-fall/index.markdown"), "x").unwrap();
    fs::create_dir_all(content.join("drafts")).unwrap();
    fs::write(content.join("2026-spring/notes.markdown"), "x").unwrap();
    fs::write(content.join("2026-spring/chart.png"), "x").unwrap();
    fs::create_dir_all(content.join(".git")).unwrap();
    let warnings = build_warnings(project.path(), &[]);
    for expected in [
        "warning: content/about.md: skipped: stateof reads editions, `content/<edition>/index.md`",
        "warning: content/2024-fall/_index.md: skipped: an edition's page must be named \
         `index.md`; rename it to `content/2024-fall/index.md`",
        "warning: content/2023-fall/index.markdown: skipped: an edition's page must be named",
        "warning: content/drafts: skipped: the folder has no `index.md`, so it is not an edition",
        "warning: content/2026-spring/notes.markdown: skipped: chapters are `.md` files, not \
         `.markdown` ones; rename it to `content/2026-spring/notes.md`",
    ] {
        assert!(
            warnings.contains(expected),
            "{expected}\nnot in:\n{warnings}"
        );
    }
    for quiet in ["warning: content/data", ".git", "chart.png"] {
        assert!(!warnings.contains(quiet), "{quiet} warned:\n{warnings}");
    }
}

#[test]
fn an_edition_that_vanishes_is_named_when_its_pages_are_removed() {
    let project = fixture("tiny");
    add_fall_edition(project.path(), "");
    build_ok(project.path(), &[]);
    let page = project.path().join("output/2024-fall/index.html");
    assert!(page.is_file());
    let folder = project.path().join("content/2024-fall");
    fs::rename(folder.join("index.md"), folder.join("_index.md")).unwrap();
    let warnings = build_warnings(project.path(), &[]);
    assert!(
        warnings.contains("warning: content/2024-fall/_index.md: skipped"),
        "{warnings}"
    );
    assert!(
        warnings.contains(
            "warning: removed 1 page that an earlier build published and this one no longer \
             makes: `output/2024-fall/index.html`"
        ),
        "{warnings}"
    );
    assert!(!page.exists());
    let again = build_warnings(project.path(), &[]);
    assert!(!again.contains("removed"), "{again}");
}

#[test]
fn drafts_are_left_out_unless_asked_for_and_then_marked() {
    let project = fixture("tiny");
    add_fall_edition(project.path(), "draft = true\n");
    edit(
        &project.path().join("content/2026-spring/details.md"),
        "weight = 1",
        "weight = 1\ndraft = true",
    );
    build_ok(project.path(), &[]);
    let site = project.path().join("output");
    assert!(!site.join("2024-fall").exists());
    assert!(!site.join("2026-spring/details").exists());
    for file in [
        "index.html",
        "atom.xml",
        "sitemap.xml",
        "2026-spring/index.html",
    ] {
        let text = read(site.join(file));
        assert!(
            !text.contains("2024-fall") && !text.contains("details/"),
            "a draft shows in {file}"
        );
    }

    build_ok(project.path(), &["--drafts"]);
    let fall = read(site.join("2024-fall/index.html"));
    assert!(
        fall.contains("<aside class=\"draft\" role=\"note\"><strong>Draft.</strong> This edition")
    );
    let details = read(site.join("2026-spring/details/index.html"));
    assert!(
        details.contains("<strong>Draft.</strong> This page"),
        "{details}"
    );
    assert!(!read(site.join("2026-spring/index.html")).contains("class=\"draft\""));
    assert!(read(site.join("index.html")).contains("draft-badge\">Draft</span>"));
    assert!(site.join("2024-fall/figures.json").is_file());
}

#[test]
fn a_published_edition_cannot_compare_to_a_draft() {
    let project = fixture("tiny");
    edit(
        &project.path().join("content/2025-spring/index.md"),
        "date = \"2025-03-20\"",
        "date = \"2025-03-20\"\ndraft = true",
    );
    let out = stateof(project.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(
        message.contains(
            "content/2026-spring/index.md:6: `compare-to` names `2025-spring`, a draft \
             (`draft = true`) that this build leaves out"
        ),
        "{message}"
    );
    build_ok(project.path(), &["--drafts"]);
}

#[test]
fn static_files_are_copied_to_the_site_root_and_favicons_linked() {
    let project = fixture("tiny");
    let dir = project.path().join("static");
    fs::create_dir_all(dir.join(".well-known")).unwrap();
    fs::write(dir.join("CNAME"), "report.example.org\n").unwrap();
    fs::write(dir.join(".well-known/security.txt"), "Contact: x\n").unwrap();
    fs::write(dir.join("favicon.svg"), "<svg/>").unwrap();
    build_ok(project.path(), &[]);
    let site = project.path().join("output");
    assert_eq!(read(site.join("CNAME")), "report.example.org\n");
    assert!(site.join(".well-known/security.txt").is_file());
    let page = read(site.join("2026-spring/index.html"));
    assert!(
        page.contains("<link rel=\"icon\" href=\"/tiny/favicon.svg\" type=\"image/svg+xml\""),
        "{page}"
    );
    assert!(!page.contains("favicon.ico"), "no .ico, no link to one");

    fs::write(dir.join("sitemap.xml"), "<mine/>").unwrap();
    let out = stateof(project.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "`static/sitemap.xml` collides with `sitemap.xml`, which stateof builds itself"
        ),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn links_out_of_the_project_are_skipped_with_a_warning() {
    let elsewhere = tempfile::tempdir().unwrap();
    fs::write(elsewhere.path().join("passwd"), "root:x:0:0").unwrap();
    let project = fixture("tiny");
    std::os::unix::fs::symlink(
        elsewhere.path().join("passwd"),
        project.path().join("theme/passwd.css"),
    )
    .unwrap();
    let warnings = build_warnings(project.path(), &[]);
    assert!(
        warnings.contains("warning: theme/passwd.css: skipped: a symbolic link to `"),
        "{warnings}"
    );
    assert!(!project.path().join("output/theme/passwd.css").exists());
    assert!(project.path().join("output/theme/style.css").is_file());
}
