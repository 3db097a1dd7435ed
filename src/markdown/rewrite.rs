//! Rewriting a content file in place for the commands that edit one (`stateof new`):
//! front matter keys set, added or removed, and the editions that shortcodes compare
//! with moved, every other byte kept as written (comments, order, line ends).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use anyhow::{anyhow, Result};
use toml::Spanned;

use super::front;

/// A change to one top-level key of the front matter: its new value as TOML
/// (`quoted("2026-09-01")`, `true`), or `None` to remove it.
pub type Change<'a> = (&'a str, Option<String>);

/// `text` as a TOML basic string (`"…"`, with `\`, `"` and control characters
/// escaped).
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` (a content file) with `changes` made to its front matter: a key that is there
/// has its value replaced (or its lines removed), one that is not is added before the
/// closing `+++` line, in the order given.
pub fn edit_front(text: &str, changes: &[Change]) -> Result<String> {
    let bom = if text.starts_with('\u{feff}') {
        "\u{feff}"
    } else {
        ""
    };
    let text = &text[bom.len()..];
    let (toml_text, ..) = front::split(text).map_err(|e| anyhow!(e))?;
    let start = text.split_inclusive('\n').next().map_or(0, str::len);
    let keys: BTreeMap<Spanned<String>, Spanned<toml::Value>> =
        toml::from_str(toml_text).map_err(|e| anyhow!("{}", e.message()))?;
    let ending = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut added = String::new();
    for (key, value) in changes {
        let found = keys.iter().find(|(k, _)| k.get_ref() == key);
        match (found, value) {
            (Some((_, old)), Some(value)) => edits.push((old.span(), value.clone())),
            (Some((k, old)), None) => {
                let from = toml_text[..k.span().start].rfind('\n').map_or(0, |n| n + 1);
                let to = (toml_text[old.span().end..].find('\n'))
                    .map_or(toml_text.len(), |n| old.span().end + n + 1);
                edits.push((from..to, String::new()));
            }
            (None, Some(value)) => added.push_str(&format!("{key} = {value}{ending}")),
            (None, None) => {}
        }
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut toml_new = toml_text.to_owned();
    for (range, replacement) in edits {
        toml_new.replace_range(range, &replacement);
    }
    if !toml_new.is_empty() && !toml_new.ends_with('\n') {
        toml_new.push_str(ending);
    }
    toml_new.push_str(&added);
    Ok(format!(
        "{bom}{}{toml_new}{}",
        &text[..start],
        &text[start + toml_text.len()..]
    ))
}

/// The shortcode calls in `body`, as byte ranges of what lies between `{{` and `}}` on
/// one line (`\{{` is a literal `{{`, not a call).
fn calls(body: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = body[from..].find("{{").map(|n| from + n) {
        from = at + 2;
        if body[..at].ends_with('\\') {
            continue;
        }
        let line_end = body[from..].find('\n').map_or(body.len(), |n| from + n);
        if let Some(close) = body[from..line_end].find("}}") {
            found.push(from..from + close);
            from += close + 2;
        }
    }
    found
}

/// `condition` with each figure of edition `from` (`name@from`) read from edition `to`
/// instead, and how many it moved.
pub fn move_references(condition: &str, from: &str, to: &str) -> (String, usize) {
    let needle = format!("@{from}");
    let mut out = String::with_capacity(condition.len());
    let mut moved = 0;
    let mut rest = condition;
    while let Some(at) = rest.find(&needle) {
        let after = &rest[at + needle.len()..];
        let whole = !after.starts_with(|c: char| c.is_ascii_alphanumeric() || "-_".contains(c));
        out.push_str(&rest[..at]);
        if whole {
            out.push('@');
            out.push_str(to);
            moved += 1;
        } else {
            out.push_str(&needle);
        }
        rest = after;
    }
    out.push_str(rest);
    (out, moved)
}

/// `body` with every comparison with edition `from` in its shortcodes (`vs="from"`,
/// `name@from` in a claim's condition) made with edition `to`, and how many it moved.
pub fn move_comparisons(body: &str, from: &str, to: &str) -> (String, usize) {
    let mut out = String::with_capacity(body.len());
    let mut moved = 0;
    let mut copied = 0;
    for call in calls(body) {
        out.push_str(&body[copied..call.start]);
        let (mut inner, n) = move_references(&body[call.clone()], from, to);
        moved += n;
        for quote in ['"', '\''] {
            let old = format!("vs={quote}{from}{quote}");
            moved += inner.matches(&old).count();
            inner = inner.replace(&old, &format!("vs={quote}{to}{quote}"));
        }
        out.push_str(&inner);
        copied = call.end;
    }
    out.push_str(&body[copied..]);
    (out, moved)
}

/// Every name in `body`'s shortcodes: the figures they show or compare among them.
pub fn names_in_shortcodes(body: &str) -> BTreeSet<String> {
    calls(body)
        .into_iter()
        .flat_map(|call| names_in(&body[call]))
        .collect()
}

/// Every name in `text` (a shortcode's arguments, a claim's condition): the runs of
/// letters, digits, `_` and `-`.
pub fn names_in(text: &str) -> BTreeSet<String> {
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    (text.split(|c| !plain(c)))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "+++\ntitle = \"Spring 2026\" # the season\ndate = \"2026-03-20\"\n\
                        summary = \"\"\"Two\nlines.\"\"\"\npublished = 2026-04-01\n+++\nBody.\n";

    #[test]
    fn keys_are_replaced_removed_or_added_and_the_rest_kept() {
        let changes = [
            ("date", Some(quoted("2026-09-01"))),
            ("summary", None),
            ("published", None),
            ("compare-to", Some(quoted("2026-spring"))),
            ("draft", Some("true".into())),
        ];
        let edited = edit_front(TEXT, &changes).unwrap();
        assert_eq!(
            edited,
            "+++\ntitle = \"Spring 2026\" # the season\ndate = \"2026-09-01\"\n\
             compare-to = \"2026-spring\"\ndraft = true\n+++\nBody.\n"
        );
        let crlf = TEXT.replace('\n', "\r\n");
        let edited = edit_front(&format!("\u{feff}{crlf}"), &changes[..1]).unwrap();
        assert_eq!(
            edited,
            format!("\u{feff}{}", crlf.replace("2026-03-20", "2026-09-01"))
        );
        let edited = edit_front(TEXT, &[("snapshot", Some(quoted("a \"b\".jsonl")))]).unwrap();
        assert!(
            edited.contains("published = 2026-04-01\nsnapshot = "),
            "{edited}"
        );
        let doc = front::parse(std::path::Path::new("a.md"), &edited).unwrap();
        assert_eq!(doc.front.snapshot.unwrap().value, "a \"b\".jsonl");
        assert!(edit_front("no front matter", &changes).is_err());
        let odd = "a \"b\" \\ c\n\u{7}";
        let parsed: toml::Table = toml::from_str(&format!("x = {}", quoted(odd))).unwrap();
        assert_eq!(parsed["x"].as_str(), Some(odd));
    }

    #[test]
    fn comparisons_move_inside_shortcodes_only() {
        let body = "From {{ fig(name=\"a\", vs=\"2025-spring\") }} and {{ fig(name='b', vs='2025-spring') }}.\n\
                    {{ claim(if=\"a@2025-spring < a and b@2025-spring-x > 1\") }}Since 2025-spring.{{ end }}\n\
                    \\{{ vs=\"2025-spring\" }} stays.\n";
        let (moved, n) = move_comparisons(body, "2025-spring", "2026-spring");
        assert_eq!(n, 3);
        assert_eq!(
            moved,
            "From {{ fig(name=\"a\", vs=\"2026-spring\") }} and {{ fig(name='b', vs='2026-spring') }}.\n\
             {{ claim(if=\"a@2026-spring < a and b@2025-spring-x > 1\") }}Since 2025-spring.{{ end }}\n\
             \\{{ vs=\"2025-spring\" }} stays.\n"
        );
        assert_eq!(
            move_references("x@e > y@e2", "e", "f"),
            ("x@f > y@e2".to_owned(), 1)
        );
    }

    #[test]
    fn names_in_shortcodes_are_found_outside_prose() {
        let body = "Users: {{ fig(name=\"users\", vs=\"e\") }} people.\n\
                    {{ claim(if=\"users > models_total and x@e >= 40%\") }}y{{ end }}\n";
        let names = names_in_shortcodes(body);
        for name in ["users", "models_total", "x", "e"] {
            assert!(names.contains(name), "{name}: {names:?}");
        }
        assert!(!names.contains("people") && !names.contains("Users"));
    }
}
