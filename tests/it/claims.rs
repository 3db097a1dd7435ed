//! Guarded claims: a claim that new data makes false stops the build naming the file,
//! line, condition, values and text, unless `--allow-false-claims` makes it a warning.

use super::errors::{edit, fails_with};
use super::{fixture, read, stateof, stderr};

/// The tiny fixture's 2026 page claims `users > models_total` (1,000 users, 4 models).
const FALSE_CLAIM: &str = "content/2026-spring/index.md:11: claim is false for edition \
     2026-spring: users > models_total (users = 3, models_total = 4): \"More users than models.\"";

fn fewer_users(project: &std::path::Path) {
    edit(&project.join("stateof.toml"), "value = 1_000", "value = 3");
}

#[test]
fn a_claim_made_false_by_the_data_fails_the_build() {
    let message = fails_with(fewer_users);
    assert!(message.contains(FALSE_CLAIM), "{message}");
    assert!(message.contains("--allow-false-claims"), "{message}");
}

#[test]
fn allow_false_claims_turns_it_into_a_warning() {
    let project = fixture("tiny");
    fewer_users(project.path());
    let out = stateof(project.path(), &["build", "--allow-false-claims"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(
        message.contains(&format!("warning: {FALSE_CLAIM}")),
        "{message}"
    );
    let page = read(project.path().join("output/2026-spring/index.html"));
    assert!(page.contains("More users than models."), "the text is kept");
    assert!(!page.contains("claim("), "the shortcode shows nothing");
}

#[test]
fn a_claim_that_holds_builds_quietly() {
    let project = fixture("tiny");
    let out = stateof(project.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("claim"), "{}", stderr(&out));
}
