//! Front matter: the TOML block between `+++` lines at the top of a content file.
//!
//! Splitting and parsing live here, apart from disk I/O; every error names the file and
//! the line in the file (not in the TOML block), so an editor can jump straight to it.

use std::path::Path;

use anyhow::{anyhow, Result};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use super::{Document, FrontMatter, Guard, Lined};
use crate::dates::Date;

/// The front matter as TOML gives it: the values errors point back to keep their
/// place in the block, until `with_lines` turns places into lines of the file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    title: String,
    #[serde(deserialize_with = "date")]
    date: Date,
    #[serde(default)]
    summary: Option<Spanned<String>>,
    #[serde(default)]
    summary_if: Option<Spanned<String>>,
    #[serde(default)]
    snapshot: Option<Spanned<String>>,
    #[serde(default)]
    compare_to: Option<Spanned<String>>,
    #[serde(default)]
    weight: Option<i64>,
    #[serde(default)]
    image: Option<String>,
    #[serde(default)]
    card_figure: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
    #[serde(default, deserialize_with = "published")]
    published: Option<Spanned<Date>>,
}

/// The line that opens and closes the front matter.
const FENCE: &str = "+++";

/// Splits `text` into front matter and body, then parses and checks the front matter.
pub(super) fn parse(path: &Path, text: &str) -> Result<Document> {
    let shown = path.display();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (toml_text, body, body_line) = split(text).map_err(|e| anyhow!("{shown}:1: {e}"))?;
    let raw: Raw = toml::from_str(toml_text).map_err(|e| match e.span() {
        Some(span) => {
            let (line, col) = line_col(toml_text, span.start);
            anyhow!("{shown}:{line}:{col}: {}", one_line(e.message()))
        }
        None => anyhow!("{shown}:1: {}", one_line(e.message())),
    })?;
    Ok(Document {
        path: path.to_owned(),
        front: with_lines(raw, toml_text),
        body: body.to_owned(),
        body_line,
    })
}

/// toml's multi-line messages (`invalid array\nexpected `]``) on one line.
fn one_line(message: &str) -> String {
    let lines: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join(", ")
}

/// `(front matter TOML, body, 1-based line of the body's first line)`.
pub(super) fn split(text: &str) -> Result<(&str, &str, usize), &'static str> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != FENCE {
        return Err(
            "missing front matter: a content file starts with a `+++` line, \
                    then TOML (title = \"…\", date = \"YYYY-MM-DD\"), then a closing `+++` line",
        );
    }
    let mut offset = first.len();
    for (index, line) in lines.enumerate() {
        if line.trim_end() == FENCE {
            let toml_text = &text[first.len()..offset];
            let body = &text[offset + line.len()..];
            // The opening fence is line 1 and this fence is line `index + 2`.
            return Ok((toml_text, body, index + 3));
        }
        offset += line.len();
    }
    Err("unterminated front matter: no closing `+++` line after the opening one")
}

/// 1-based line and column in the file of byte `offset` in the TOML block (which starts
/// on line 2, after the opening fence).
fn line_col(toml_text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(toml_text.len());
    let before = &toml_text[..offset];
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    let line = 2 + before.matches('\n').count();
    (line, before[line_start..].chars().count() + 1)
}

/// The front matter with each place in `toml_text` made a line of the file.
fn with_lines(raw: Raw, toml_text: &str) -> FrontMatter {
    let lined = |value: Spanned<String>| Lined {
        line: line_col(toml_text, value.span().start).0,
        value: value.into_inner(),
    };
    let summary_if = raw.summary_if.map(lined).map(|guard| Guard {
        condition: guard.value,
        line: guard.line,
    });
    FrontMatter {
        title: raw.title,
        date: raw.date,
        summary: raw.summary.map(lined).unwrap_or(Lined {
            value: String::new(),
            line: 1,
        }),
        summary_if,
        snapshot: raw.snapshot.map(lined),
        compare_to: raw.compare_to.map(lined),
        weight: raw.weight,
        image: raw.image,
        card_figure: raw.card_figure.map(lined),
        draft: raw.draft,
        published: raw.published.map(|date| Lined {
            line: line_col(toml_text, date.span().start).0,
            value: date.into_inner(),
        }),
    }
}

/// `published`: a date as `date` reads it, keeping its place for messages.
fn published<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Spanned<Date>>, D::Error> {
    let value = Spanned::<toml::Value>::deserialize(deserializer)?;
    let span = value.span();
    let date = date_of(value.into_inner())?;
    Ok(Some(Spanned::new(span, date)))
}

/// Accepts `date = "2026-03-21"` and the bare TOML date `date = 2026-03-21` alike, as
/// a checked calendar date.
fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
    date_of(toml::Value::deserialize(deserializer)?)
}

fn date_of<E: serde::de::Error>(value: toml::Value) -> Result<Date, E> {
    let text = match value {
        toml::Value::String(text) => text,
        toml::Value::Datetime(date) => date.to_string(),
        other => {
            return Err(E::custom(format!(
                "expected a date like \"2026-03-21\", found a {}",
                other.type_str()
            )))
        }
    };
    text.parse().map_err(|e| E::custom(format!("{e:#}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(Path::new("content/x/index.md"), text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn parses_front_matter_and_finds_the_body() {
        let text = "+++\ntitle = \"Spring\"\ndate = \"2026-03-21\"\nsnapshot = \"snapshots/a\"\n\
                    compare-to = \"2025-spring\"\nweight = 2\n+++\n# Hello\n";
        let doc = parse(Path::new("a.md"), text).unwrap();
        assert_eq!(doc.front.title, "Spring");
        assert_eq!(
            (doc.front.summary.as_str(), doc.front.summary.line),
            ("", 1)
        );
        let lined = |value: &str, line| {
            Some(Lined {
                value: value.to_owned(),
                line,
            })
        };
        assert_eq!(doc.front.snapshot, lined("snapshots/a", 4));
        assert_eq!(doc.front.compare_to, lined("2025-spring", 5));
        assert_eq!(doc.front.weight, Some(2));
        assert_eq!(doc.body, "# Hello\n");
        assert_eq!(doc.body_line, 8);
        assert_eq!(text.lines().nth(doc.body_line - 1), Some("# Hello"));
    }

    #[test]
    fn accepts_crlf_a_bom_and_bare_toml_dates() {
        let text = "\u{feff}+++\r\ntitle = \"T\"\r\ndate = 2026-03-21\r\n+++\r\nbody";
        let doc = parse(Path::new("a.md"), text).unwrap();
        assert_eq!(doc.front.date.to_string(), "2026-03-21");
        assert_eq!(doc.body, "body");
        assert_eq!(doc.body_line, 5);
    }

    #[test]
    fn missing_or_unterminated_front_matter_is_line_1() {
        let e = err("# No front matter\n");
        assert!(
            e.starts_with("content/x/index.md:1: missing front matter"),
            "{e}"
        );
        let e = err("+++\ntitle = \"T\"\n");
        assert!(
            e.starts_with("content/x/index.md:1: unterminated front matter"),
            "{e}"
        );
        assert!(err("").contains(":1: missing front matter"));
    }

    #[test]
    fn toml_errors_point_at_the_line_in_the_file() {
        let e = err("+++\ntitle = \"T\"\ndate = \"2026-03-21\"\nsumary = \"oops\"\n+++\n");
        assert!(
            e.starts_with("content/x/index.md:4:1: unknown field `sumary`"),
            "{e}"
        );
        let e = err("+++\ntitle = \"T\"\ndate = \"2026-03-21\"\nweight = \"two\"\n+++\n");
        assert!(
            e.starts_with("content/x/index.md:4:10: invalid type"),
            "{e}"
        );
        let e = err("+++\ntitle = \"T\"\n\ndate = [\n+++\n");
        assert_eq!(e, "content/x/index.md:4:9: unclosed array, expected `]`");
        let e = err("+++\ntitle = \"T\"\ndate = \"2026-03-21\"\nsummary = \"unclosed\n+++\n");
        assert!(e.starts_with("content/x/index.md:4:"), "{e}");
    }

    #[test]
    fn published_is_a_date_with_its_line() {
        let text = "+++\ntitle = \"T\"\ndate = \"2026-03-21\"\n\npublished = 2026-06-01\n+++\n";
        let doc = parse(Path::new("a.md"), text).unwrap();
        let published = doc.front.published.unwrap();
        assert_eq!(
            (published.value.to_string(), published.line),
            ("2026-06-01".into(), 5)
        );
        let e = err("+++\ntitle = \"T\"\ndate = \"2026-03-21\"\npublished = \"soon\"\n+++\n");
        assert!(
            e.starts_with("content/x/index.md:4:13: invalid date `soon`"),
            "{e}"
        );
        let e = err("+++\ntitle = \"T\"\ndate = \"2026-03-21\"\npublished = true\n+++\n");
        assert!(e.contains("expected a date"), "{e}");
    }

    #[test]
    fn missing_fields_are_named() {
        let e = err("+++\ntitle = \"T\"\n+++\n");
        assert!(e.contains("missing field `date`"), "{e}");
    }

    #[test]
    fn bad_dates_point_at_the_date_key() {
        let e = err("+++\ntitle = \"T\"\n\n  date = \"2026-02-30\"\n+++\n");
        assert!(
            e.starts_with("content/x/index.md:4:10: invalid date `2026-02-30`"),
            "{e}"
        );
        let e = err("+++\ntitle = \"T\"\ndate = 2026-03-21T10:00:00\n+++\n");
        assert!(e.starts_with("content/x/index.md:3:8: invalid date"), "{e}");
        let e = err("+++\ntitle = \"T\"\ndate = 5\n+++\n");
        assert!(
            e.starts_with("content/x/index.md:3:8: expected a date"),
            "{e}"
        );
    }
}
