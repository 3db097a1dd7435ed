//! The table of bad inputs (`tests/data/bad_inputs.toml`): each case edits a fresh
//! copy of the tiny fixture, builds, and must fail with exit code 1, no panic, the
//! previous output untouched, and the messages the table gives. Every failing case is
//! reported at once.

use std::path::Path;

use serde::Deserialize;

use super::{build_ok, fixture, read, repo, stateof, stderr};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    edit: Vec<Edit>,
    #[serde(default)]
    args: Vec<String>,
    expect: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    file: String,
    find: Option<String>,
    replace: Option<String>,
    append: Option<String>,
    text: Option<String>,
}

impl Edit {
    fn apply(&self, project: &Path) -> Result<(), String> {
        let path = project.join(&self.file);
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        let new = match (&self.find, &self.replace, &self.append, &self.text) {
            (Some(find), Some(replace), None, None) if old.contains(find.as_str()) => {
                old.replacen(find.as_str(), replace, 1)
            }
            (Some(find), Some(_), None, None) => {
                return Err(format!("`{find}` is not in {}", self.file))
            }
            (None, None, Some(append), None) => old + append,
            (None, None, None, Some(text)) => text.clone(),
            _ => {
                return Err(
                    "an edit is {file, find, replace}, {file, append} or {file, text}".into(),
                )
            }
        };
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", self.file))?;
        }
        std::fs::write(&path, new).map_err(|e| format!("{}: {e}", self.file))
    }
}

/// What is wrong with one case's outcome, if anything.
fn check(case: &Case) -> Result<(), String> {
    let project = fixture("tiny");
    build_ok(project.path(), &[]);
    let page = project.path().join("output/2026-spring/index.html");
    let before = read(&page);
    for edit in &case.edit {
        edit.apply(project.path())?;
    }
    let mut args = vec!["build"];
    args.extend(case.args.iter().map(String::as_str));
    let out = stateof(project.path(), &args);
    let message = stderr(&out);
    if out.status.code() != Some(1) {
        return Err(format!(
            "exit code {:?}, not 1:\n{message}",
            out.status.code()
        ));
    }
    if message.contains("panicked") {
        return Err(format!("it panicked:\n{message}"));
    }
    if read(&page) != before {
        return Err("the previous output was changed".into());
    }
    let missing: Vec<&String> = case
        .expect
        .iter()
        .filter(|e| !message.contains(e.as_str()))
        .collect();
    if !missing.is_empty() {
        return Err(format!("missing {missing:?} in:\n{message}"));
    }
    Ok(())
}

#[test]
fn every_bad_input_gets_its_message() {
    let text = read(repo().join("tests/data/bad_inputs.toml"));
    let table: Table = toml::from_str(&text).expect("tests/data/bad_inputs.toml parses");
    assert!(table.case.len() >= 20, "the table lost cases");
    let failures: Vec<String> = (table.case.iter())
        .filter_map(|case| {
            check(case)
                .err()
                .map(|why| format!("- {}: {why}", case.name))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} bad inputs are not handled as the table says:\n{}",
        failures.len(),
        table.case.len(),
        failures.join("\n")
    );
}
