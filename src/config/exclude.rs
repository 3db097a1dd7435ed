//! `[[exclude]]` in the report config: repositories or authors an editor leaves out of
//! every figure (a model pulled by a CI pipeline, a telemetry bot), each with the
//! reason, which the methodology page and `figures.json` publish. Read from the
//! spanned TOML, so that every error names its line.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use toml::{Spanned, Value};

use super::load::Source;
use super::RawTable;
use crate::snapshot::Kind;
use crate::suggest::did_you_mean;

/// One exclusion: what it matches, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    pub matches: Match,
    /// Why, in a sentence readers will see.
    pub reason: String,
    /// The line of its `[[exclude]]` header in the config. Left out of the cache key.
    #[serde(skip)]
    pub line: usize,
}

/// What an exclusion leaves out.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    /// One repository of one kind, by its id (`acme/ci-smoke-test`).
    Id { kind: Kind, id: String },
    /// Every repository, of every kind, an author publishes.
    Author(String),
}

impl std::fmt::Display for Match {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Match::Id { kind, id } => write!(f, "{} `{id}`", kind.singular()),
            Match::Author(author) => write!(f, "every repository of `{author}`"),
        }
    }
}

const KEYS: [&str; 4] = ["id", "author", "of", "reason"];

/// Every `[[exclude]]` table, typed and checked; errors at their lines.
pub(super) fn parse(
    src: &Source,
    tables: &[Spanned<RawTable>],
) -> (Vec<Exclusion>, Vec<(usize, anyhow::Error)>) {
    let mut exclusions = Vec::new();
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    for table in tables {
        let line = src.line(table.span().start);
        match one(table.get_ref(), line) {
            Ok(exclusion) if !seen.insert(exclusion.matches.clone()) => errors
                .push(src.error_at_line(line, format!("excludes {} twice", exclusion.matches))),
            Ok(exclusion) => exclusions.push(exclusion),
            Err((span, message)) => {
                let line = span.map_or(line, |s| src.line(s.start));
                errors.push(src.error_at_line(line, format!("[[exclude]]: {message}")));
            }
        }
    }
    (exclusions, errors)
}

type Failure = (Option<std::ops::Range<usize>>, String);

fn one(table: &RawTable, line: usize) -> Result<Exclusion, Failure> {
    let get = |key: &str| {
        table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v)
    };
    for key in table.keys() {
        if !KEYS.contains(&key.get_ref().as_str()) {
            let hint = did_you_mean(key.get_ref(), KEYS);
            let message = format!("unknown key `{}`{hint}", key.get_ref());
            return Err((Some(key.span()), message));
        }
    }
    let text = |key: &str| -> Result<Option<String>, Failure> {
        match get(key) {
            None => Ok(None),
            Some(value) => match value.get_ref() {
                Value::String(s) if !s.trim().is_empty() => Ok(Some(s.trim().to_owned())),
                _ => Err((
                    Some(value.span()),
                    format!("`{key}` must be a non-empty string"),
                )),
            },
        }
    };
    let reason = text("reason")?.ok_or_else(|| {
        (
            None,
            "missing key `reason`: say why it is left out (readers see it)".to_owned(),
        )
    })?;
    let kind = match text("of")? {
        None => None,
        Some(of) => Some(
            of.parse::<Kind>()
                .map_err(|m| (get("of").map(|v| v.span()), m))?,
        ),
    };
    let matches = match (text("id")?, text("author")?) {
        (Some(id), None) => Match::Id {
            kind: kind.unwrap_or_default(),
            id,
        },
        (None, Some(author)) if kind.is_none() => Match::Author(author),
        (None, Some(_)) => {
            let message = "`of` goes with `id`: an author is left out of every kind".to_owned();
            return Err((get("of").map(|v| v.span()), message));
        }
        _ => return Err((None, "give exactly one of `id` and `author`".to_owned())),
    };
    Ok(Exclusion {
        matches,
        reason,
        line,
    })
}
