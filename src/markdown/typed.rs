//! Numbers typed in the narrative that a figure computes: "37%" written where
//! `{{ fig(name="us_share") }}` shows 37%. Such a number goes stale silently when the
//! data changes, so the site warns about it (and `stateof check` fails on it).
//!
//! Only the prose is read: the summary, and the body's text outside shortcodes, code,
//! raw HTML, link targets and passages marked as not data claims
//! (`{{ not_data }}…{{ end }}`).
//! A number counts when it carries a sign of being a measured value: a percent sign
//! (`37%`), a unit suffix (`2.1M`, `2.1 million`), a thousands separator (`1,234`) or a
//! decimal point (`0.95`). Plain whole numbers (`200 models`, `2026`) are left alone:
//! they are thresholds, years and counts of the text itself far more often than
//! figures. This module finds them; the site decides what they cost.

use std::path::Path;

use super::prose::Prose;
use super::shortcodes::{CLOSE, OPEN};
use super::Document;
use crate::figures::Figures;
use crate::format;

/// A number typed in a document that equals what one or more figures show.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedNumber {
    /// 1-based line in the file.
    pub line: usize,
    /// The number as typed (`37%`, `2.1 million`).
    pub typed: String,
    /// The figures that show it: (name, value as shown).
    pub figures: Vec<(String, String)>,
}

impl TypedNumber {
    /// `PATH:LINE: "37%" is typed where figure `us_share` shows 37%; write … instead`.
    pub fn message(&self, path: &Path) -> String {
        let names: Vec<String> = (self.figures.iter())
            .map(|(name, _)| format!("`{name}`"))
            .collect();
        let shown = &self.figures[0].1;
        let calls: Vec<String> = (self.figures.iter())
            .map(|(name, _)| format!("{{{{ fig(name=\"{name}\") }}}}"))
            .collect();
        format!(
            "{}:{}: `{}` is typed where figure {} shows {shown}; write {} instead, so that \
             the number follows the data",
            path.display(),
            self.line,
            self.typed,
            names.join(" or "),
            calls.join(" or ")
        )
    }
}

/// The numbers typed in `doc`'s prose that equal the shown value of a scalar figure in
/// `figures` (the page's edition), outside passages marked as not data claims. A body
/// whose shortcodes do not parse yields none: rendering reports that error. The
/// summary is read too, at its line in the file.
pub fn typed_numbers(doc: &Document, figures: &Figures) -> Vec<TypedNumber> {
    let shown = shown(figures);
    let mut found: Vec<TypedNumber> = (typed_in(&doc.front.summary, &shown).into_iter())
        .map(|(_, typed)| TypedNumber {
            line: doc.front.summary.line,
            ..typed
        })
        .collect();
    let Some(prose) = Prose::read(&doc.body) else {
        return found;
    };
    for range in &prose.texts {
        for (at, typed) in typed_in(&prose.source[range.clone()], &shown) {
            let at = range.start + at;
            if !prose.not_data(at) {
                found.push(TypedNumber {
                    line: doc.body_line + prose.line(at),
                    ..typed
                });
            }
        }
    }
    found
}

/// Each scalar figure's name and value as shown, without its sign.
fn shown(figures: &Figures) -> Vec<(&str, String)> {
    (figures.iter())
        .filter_map(|(name, f)| Some((name.as_str(), format::number(f.number()?, f.format))))
        .map(|(name, text)| (name, unsigned(&text).to_owned()))
        .filter(|(_, text)| !matches!(text.as_str(), "0" | "0%" | "n/a"))
        .collect()
}

/// The numbers in plain `text` that some figure of `shown` shows, with their byte
/// offsets (the line is left for the caller to fill in).
fn typed_in(text: &str, shown: &[(&str, String)]) -> Vec<(usize, TypedNumber)> {
    (numbers(text).into_iter())
        .filter_map(|(at, token)| {
            let figures: Vec<(String, String)> = (shown.iter())
                .filter(|(_, text)| *text == token.normal)
                .map(|(name, text)| ((*name).to_owned(), text.clone()))
                .collect();
            let typed = TypedNumber {
                line: 0,
                typed: token.typed,
                figures,
            };
            (!typed.figures.is_empty()).then_some((at, typed))
        })
        .collect()
}

/// A number found in prose: as typed, and in the form `format::number` writes it.
#[derive(Debug, PartialEq)]
struct Token {
    typed: String,
    normal: String,
}

/// `text` without a leading sign (`+83%` and `−12%` are typed as `83%`, `12%`).
fn unsigned(text: &str) -> &str {
    text.trim_start_matches(['+', '-', '\u{2212}'])
}

/// The numbers in `text` that look measured (see the module docs), with their byte
/// offsets.
fn numbers(text: &str) -> Vec<(usize, Token)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let starts = bytes[at].is_ascii_digit() && !glued_before(&text[..at]);
        if !starts {
            at += 1;
            continue;
        }
        let (len, token) = number_at(&text[at..]);
        if let Some(token) = token {
            found.push((at, token));
        }
        at += len.max(1);
    }
    found
}

/// Whether a number starting after `before` is part of a word, a longer number, a
/// version or a placeholder (`v2`, `1.2.3`, `%20`).
fn glued_before(before: &str) -> bool {
    before.chars().next_back().is_some_and(|c| {
        c.is_alphanumeric() || matches!(c, '.' | ',' | '%' | '_' | '/' | '#' | OPEN | CLOSE)
    })
}

/// The number at the start of `text`: how many bytes it spans, and the token when it
/// looks measured.
fn number_at(text: &str) -> (usize, Option<Token>) {
    let digits = |from: usize| {
        text[from..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(text.len(), |n| from + n)
    };
    let mut end = digits(0);
    let mut marked = false;
    // Thousands groups: `,` then exactly three digits.
    while text[end..].starts_with(',') && digits(end + 1) == end + 4 {
        end += 4;
        marked = true;
    }
    if text[end..].starts_with('.') && digits(end + 1) > end + 1 {
        end = digits(end + 1);
        marked = true;
    }
    let number = &text[..end];
    let rest = &text[end..];
    // `1.2.3` (a version) or `3x`, `4090Ti`: not a measured value.
    let glued_after = |rest: &str| {
        let mut chars = rest.chars();
        match chars.next() {
            Some('.') => chars.next().is_some_and(|c| c.is_ascii_digit()),
            Some(c) => c.is_alphanumeric() || c == '_',
            None => false,
        }
    };
    let suffix = unit(rest);
    match suffix {
        Some((len, unit)) if !glued_after(&rest[len..]) => {
            let token = Token {
                typed: text[..end + len].to_owned(),
                normal: format!("{number}{unit}"),
            };
            (end + len, Some(token))
        }
        _ if marked && !glued_after(rest) => {
            let token = Token {
                typed: number.to_owned(),
                normal: number.to_owned(),
            };
            (end, Some(token))
        }
        _ => (end, None),
    }
}

/// A unit right after a number: `%`, `K`, `M`, `B`, or a word for one after a space.
/// Returns its length in `rest` and the suffix `format` writes for it.
fn unit(rest: &str) -> Option<(usize, &'static str)> {
    const SYMBOLS: [(&str, &str); 4] = [("%", "%"), ("K", "K"), ("M", "M"), ("B", "B")];
    const WORDS: [(&str, &str); 3] = [("thousand", "K"), ("million", "M"), ("billion", "B")];
    if let Some((written, unit)) = SYMBOLS.iter().find(|(w, _)| rest.starts_with(w)) {
        return Some((written.len(), unit));
    }
    let space = rest
        .chars()
        .next()
        .filter(|c| matches!(c, ' ' | '\u{a0}'))?;
    let after = &rest[space.len_utf8()..];
    (WORDS.iter())
        .find(|(written, _)| after.starts_with(written))
        .map(|(written, unit)| (space.len_utf8() + written.len(), *unit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Format;
    use crate::figures::{Figure, Provenance, Value};

    fn figure(value: f64, format: Format) -> Figure {
        Figure {
            label: String::new(),
            format,
            value: Value::Number(value),
            provenance: Provenance {
                definition: String::new(),
                edition: "e".to_owned(),
                ..Provenance::default()
            },
            groups: Vec::new(),
        }
    }

    fn doc(body: &str) -> Document {
        let text = format!("+++\ntitle = \"t\"\ndate = \"2026-01-01\"\n+++\n{body}");
        super::super::parse_document(Path::new("content/e/index.md"), &text).unwrap()
    }

    fn figures() -> Figures {
        Figures::from([
            ("us_share".to_owned(), figure(0.3702, Format::Percent)),
            ("downloads".to_owned(), figure(2_130_000.0, Format::Compact)),
            ("gini".to_owned(), figure(0.952, Format::Decimal)),
            ("growth".to_owned(), figure(0.83, Format::Change)),
            ("rows".to_owned(), figure(45_000.0, Format::Thousands)),
            ("median".to_owned(), figure(199.5, Format::Thousands)),
        ])
    }

    fn found(body: &str) -> Vec<(usize, String, Vec<String>)> {
        (typed_numbers(&doc(body), &figures()).into_iter())
            .map(|t| {
                (
                    t.line,
                    t.typed,
                    t.figures.into_iter().map(|f| f.0).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn finds_numbers_a_figure_shows() {
        let body = "Intro.\n\nThe US holds 37% of downloads, 2.1M in all, Gini 0.95;\n\
                    growth was +83% over 45,000 rows, and 2.1 million again.\n";
        let found = found(body);
        let typed: Vec<&str> = found.iter().map(|f| f.1.as_str()).collect();
        assert_eq!(
            typed,
            ["37%", "2.1M", "0.95", "83%", "45,000", "2.1 million"]
        );
        assert_eq!(found[0].0, 7, "line in the file (front matter is 4 lines)");
        assert_eq!(found[0].2, ["us_share"]);
        assert_eq!(found[3].2, ["growth"]);
        assert_eq!(found[4].0, 8);
    }

    #[test]
    fn leaves_shortcodes_code_links_and_plain_numbers_alone() {
        let body = "{{ fig(name=\"us_share\") }} and {{ claim(if=\"us_share > 37%\") }}x{{ end }}\n\
                    `37%` in code, [a link](https://x.org/37%25) and <span title=\"37%\">y</span>\n\n\
                    ```\n2.1M\n```\n\n\
                    The 200 models of 2026, version 0.95.1, 38%, 2.1MB, v0.95, 370%.\n\n\
                    {{ not_data }}A survey of ours found 37%{{ end }}, not a figure.\n";
        assert_eq!(found(body), []);
        let body = "{{ claim(if=\"us_share > 1%\") }}Still 37%{{ end }}.\n";
        assert_eq!(
            found(body).len(),
            1,
            "a claim guards its words, not its typed numbers"
        );
    }

    #[test]
    fn the_summary_is_read_at_its_line() {
        let text = "+++\ntitle = \"t\"\ndate = \"2026-01-01\"\n\n\
                    summary = \"Growth of 83% and 1,234 more.\"\n+++\nBody.\n";
        let doc = super::super::parse_document(Path::new("a.md"), text).unwrap();
        let typed = typed_numbers(&doc, &figures());
        assert_eq!(typed.len(), 1);
        assert_eq!((typed[0].line, typed[0].typed.as_str()), (5, "83%"));
    }

    #[test]
    fn messages_name_the_file_line_and_shortcode() {
        let typed = typed_numbers(&doc("It is 37%.\n"), &figures());
        let message = typed[0].message(Path::new("content/e/index.md"));
        assert_eq!(
            message,
            "content/e/index.md:5: `37%` is typed where figure `us_share` shows 37%; \
             write {{ fig(name=\"us_share\") }} instead, so that the number follows the data"
        );
    }
}
