//! Bad input stops the build with a message naming the file and line, a non-zero exit
//! code, and the previous output left exactly as it was.

use std::path::Path;

use super::{build_ok, fixture, read, stateof, stderr};

/// Builds the tiny fixture once, breaks it with `damage`, builds again and returns the
/// error message, after checking that the failed build left the first site untouched.
pub(super) fn fails_with(damage: impl FnOnce(&Path)) -> String {
    let project = fixture("tiny");
    build_ok(project.path(), &[]);
    let page = project.path().join("output/2026-spring/index.html");
    let before = read(&page);
    damage(project.path());
    let out = stateof(project.path(), &["build"]);
    assert!(!out.status.success(), "the build should have failed");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(read(&page), before, "the previous output was changed");
    let message = stderr(&out);
    assert!(!message.contains("panicked"), "{message}");
    message
}

pub(super) fn edit(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn unknown_figure_names_file_line_and_nearest_name() {
    let msg = fails_with(|p| {
        edit(
            &p.join("content/2026-spring/index.md"),
            "fig(name=\"top2_share\")",
            "fig(name=\"top_2share\")",
        )
    });
    assert!(msg.contains("content/2026-spring/index.md:10"), "{msg}");
    assert!(
        msg.contains("top_2share") && msg.contains("top2_share"),
        "{msg}"
    );
}

#[test]
fn unknown_chart_is_an_error() {
    let msg = fails_with(|p| {
        edit(
            &p.join("content/2026-spring/index.md"),
            "chart(name=\"by_author\")",
            "chart(name=\"by_autor\")",
        )
    });
    assert!(msg.contains("index.md:15"), "{msg}");
    assert!(msg.contains("by_author"), "{msg}");
}

#[test]
fn unknown_comparison_edition_is_an_error() {
    let msg = fails_with(|p| {
        edit(
            &p.join("content/2026-spring/index.md"),
            "vs=\"2025-spring\"",
            "vs=\"2025-sprung\"",
        )
    });
    assert!(msg.contains("index.md:10"), "{msg}");
    assert!(msg.contains("2025-spring"), "{msg}");
}

#[test]
fn malformed_front_matter_names_the_line() {
    let msg = fails_with(|p| {
        edit(
            &p.join("content/2026-spring/index.md"),
            "date = \"2026-03-20\"",
            "date = 2026-03-20x",
        )
    });
    assert!(msg.contains("content/2026-spring/index.md:3"), "{msg}");
}

#[test]
fn broken_template_names_the_template() {
    let msg = fails_with(|p| {
        edit(
            &p.join("templates/home.html"),
            "{% for edition in editions %}",
            "{% for edition in %}",
        )
    });
    assert!(msg.contains("home.html"), "{msg}");
}

#[test]
fn malformed_snapshot_line_names_file_and_line() {
    let msg = fails_with(|p| {
        let path = p.join("snapshots/2026.jsonl");
        let text = read(&path);
        std::fs::write(
            &path,
            text.replacen("\"downloads\":10,", "\"downloads\":10,,", 1),
        )
        .unwrap();
    });
    assert!(msg.contains("2026.jsonl:3"), "{msg}");
}

#[test]
fn truncated_compressed_snapshot_is_an_error() {
    let msg = fails_with(|p| {
        let text = read(p.join("snapshots/2026.jsonl"));
        let packed = zstd::encode_all(text.as_bytes(), 3).unwrap();
        std::fs::write(
            p.join("snapshots/2026.jsonl.zst"),
            &packed[..packed.len() / 2],
        )
        .unwrap();
        edit(
            &p.join("content/2026-spring/index.md"),
            "snapshots/2026.jsonl",
            "snapshots/2026.jsonl.zst",
        );
    });
    assert!(msg.contains("2026.jsonl.zst"), "{msg}");
}

#[test]
fn unknown_snapshot_override_suggests_an_edition() {
    let project = fixture("tiny");
    let out = stateof(
        project.path(),
        &["build", "--snapshot", "2026-sprin=snapshots/2026.jsonl"],
    );
    assert!(!out.status.success());
    let msg = stderr(&out);
    assert!(
        msg.contains("2026-sprin") && msg.contains("did you mean `2026-spring`"),
        "{msg}"
    );
    assert!(
        !project.path().join("output").exists(),
        "nothing written on failure"
    );
}

#[test]
fn chart_of_unknown_figure_is_a_config_error() {
    let msg = fails_with(|p| {
        edit(
            &p.join("stateof.toml"),
            "figure = \"by_author\"",
            "figure = \"by_auther\"",
        )
    });
    assert!(
        msg.contains("stateof.toml:55: chart `by_author`: draws unknown figure `by_auther` (did you mean `by_author`?)"),
        "{msg}"
    );
}

#[test]
fn every_config_error_is_reported_with_its_line() {
    let msg = fails_with(|p| {
        let config = p.join("stateof.toml");
        edit(&config, "label = \"Models\"", "lable = \"Models\"");
        edit(&config, "format = \"percent\"", "format = \"percnt\"");
        edit(&config, "kind = \"bar\"", "kind = \"bars\"");
    });
    for expected in [
        "stateof.toml:6: figure `models_total`: unknown key `lable` (did you mean `label`?)",
        "stateof.toml:14: figure `top2_share`: `format`: unknown value `percnt` (did you mean `percent`?)",
        "stateof.toml:54: chart `by_author`: `kind`: unknown value `bars` (did you mean `bar`?)",
        "3 errors",
    ] {
        assert!(msg.contains(expected), "{expected} not in {msg}");
    }
}

#[test]
fn compare_to_must_name_an_earlier_edition() {
    let msg = fails_with(|p| {
        edit(
            &p.join("content/2026-spring/index.md"),
            "compare-to = \"2025-spring\"",
            "compare-to = \"2026-spring\"",
        )
    });
    assert!(
        msg.contains("index.md:6") && msg.contains("earlier edition"),
        "{msg}"
    );
}

#[test]
fn chapters_cannot_name_their_own_snapshot() {
    let msg = fails_with(|p| {
        edit(
            &p.join("content/2026-spring/details.md"),
            "weight = 1",
            "weight = 1\nsnapshot = \"snapshots/2025.jsonl\"",
        )
    });
    assert!(
        msg.contains("details.md:6") && msg.contains("`snapshot`"),
        "{msg}"
    );
}

#[test]
fn editions_cannot_take_the_sites_own_paths() {
    let msg = fails_with(|p| {
        std::fs::rename(p.join("content/2025-spring"), p.join("content/methodology")).unwrap();
        edit(
            &p.join("content/2026-spring/index.md"),
            "compare-to = \"2025-spring\"",
            "compare-to = \"methodology\"",
        )
    });
    assert!(msg.contains("cannot name an edition"), "{msg}");
}

#[test]
fn a_chart_appears_once_per_page() {
    let msg = fails_with(|p| {
        edit(
            &p.join("content/2026-spring/index.md"),
            "## Countries",
            "{{ chart(name=\"by_author\") }}\n\n## Countries",
        )
    });
    assert!(
        msg.contains("index.md:17") && msg.contains("already shown"),
        "{msg}"
    );
}

#[test]
fn a_missing_override_snapshot_blames_the_option() {
    let project = fixture("tiny");
    let out = stateof(
        project.path(),
        &["build", "--snapshot", "2026-spring=nowhere.jsonl"],
    );
    assert!(!out.status.success());
    let msg = stderr(&out);
    assert!(
        msg.contains("with --snapshot") && msg.contains("nowhere.jsonl"),
        "{msg}"
    );
    assert!(!msg.contains("index.md:5"), "{msg}");
}

#[test]
fn registry_countries_must_be_iso_codes() {
    let msg = fails_with(|p| {
        let registry = p.join("content/data/organizations.toml");
        edit(&registry, "country = \"US\"", "country = \"UK\"");
        edit(&registry, "country = \"CN\"", "country = \"XX\"");
    });
    assert!(
        msg.contains(
            "content/data/organizations.toml:3: organisation `acme`: country `UK` is not an ISO \
             3166-1 alpha-2 code (did you mean `GB`?)"
        ) && msg.contains("content/data/organizations.toml:9: organisation")
            && msg.contains("country `XX`"),
        "{msg}"
    );
}

#[test]
fn unknown_template_variable_names_its_line_and_the_nearest_name() {
    let msg = fails_with(|p| {
        edit(
            &p.join("templates/edition.html"),
            "<h1>{{ page.title }}</h1>",
            "<h1>{{ page.titel }}</h1>",
        )
    });
    assert!(
        msg.contains(
            "templates/edition.html:6: variable `page.titel` not found (did you mean `page.title`?)"
        ),
        "{msg}"
    );
}

#[test]
fn a_value_no_snapshot_has_is_an_error_naming_the_values_that_exist() {
    let msg = fails_with(|p| {
        let config = p.join("stateof.toml");
        edit(
            &config,
            "key = \"author.country\"\nvalue = \"US\"",
            "key = \"author\"\nvalue = \"acmee\"",
        );
    });
    assert!(
        msg.contains(
            "stateof.toml:16: figure `us_share`: `author` = \"acmee\" matches no model in any \
             edition's snapshot (did you mean `acme`?); its most common values are `acme`"
        ),
        "{msg}"
    );
}

#[test]
fn a_value_some_snapshots_lack_is_a_warning_naming_them() {
    let project = super::fixture("tiny");
    edit(
        &project.path().join("stateof.toml"),
        "key = \"author.country\"\nvalue = \"US\"",
        "key = \"author\"\nvalue = \"someone\"",
    );
    let out = stateof(project.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let msg = stderr(&out);
    assert!(
        msg.contains(
            "warning: stateof.toml:16: figure `us_share`: `author` = \"someone\" matches no model \
             in the snapshot of edition 2025-spring"
        ),
        "{msg}"
    );
}

#[test]
fn every_broken_page_is_reported_at_once() {
    let msg = fails_with(|p| {
        edit(
            &p.join("content/2026-spring/index.md"),
            "fig(name=\"top2_share\")",
            "fig(name=\"top_2share\")",
        );
        edit(
            &p.join("content/2026-spring/details.md"),
            "fig(name=\"models_total\")",
            "fig(name=\"model_total\")",
        );
    });
    assert!(msg.contains("content/2026-spring/index.md:10"), "{msg}");
    assert!(msg.contains("content/2026-spring/details.md:10"), "{msg}");
    assert!(msg.contains("\n2 errors"), "{msg}");
}
