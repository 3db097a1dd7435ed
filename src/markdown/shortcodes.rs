//! Finding shortcodes in a Markdown body: `{{ fig(name="x", vs="2025-spring") }}`.
//!
//! `scan` replaces every shortcode outside code with a placeholder token (private-use
//! characters around its index) and returns the calls in order, so Markdown can be parsed
//! with the shortcodes out of its way. It does not know what a shortcode means; `embed`
//! does. Code spans and fenced or indented code blocks are found by a first pulldown-cmark
//! pass and left untouched. `\{{` outside code becomes a literal `{{`.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use super::BodyError;

/// Opens a placeholder token; never allowed in a body.
pub(super) const OPEN: char = '\u{E000}';
/// Closes a placeholder token; never allowed in a body.
pub(super) const CLOSE: char = '\u{E001}';

/// One shortcode call, as written.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Call {
    /// `fig`, `chart`, `table`, `claim`, `not_data`, `end` (not checked here). `end`
    /// and `not_data` may be written without parentheses: `{{ end }}`.
    pub name: String,
    /// `key="value"` pairs in the order written.
    pub args: Vec<(String, String)>,
    /// 0-based line within the body.
    pub line: usize,
}

/// A body with its shortcodes replaced by placeholders, and the calls they stand for.
#[derive(Debug)]
pub(super) struct Scanned {
    pub source: String,
    pub calls: Vec<Call>,
}

/// The placeholder token for call number `index`.
pub(super) fn placeholder(index: usize) -> String {
    format!("{OPEN}{index}{CLOSE}")
}

/// Replaces each shortcode in `body` (outside code) by its placeholder.
pub(super) fn scan(body: &str) -> Result<Scanned, BodyError> {
    if let Some(at) = body.find([OPEN, CLOSE]) {
        return Err(BodyError {
            line: line_at(body, at),
            message: "the characters U+E000 and U+E001 are reserved for shortcode placeholders"
                .to_owned(),
        });
    }
    let code = code_ranges(body);
    let mut source = String::with_capacity(body.len());
    let mut calls = Vec::new();
    let mut cursor = 0;
    while let Some(found) = body[cursor..].find("{{") {
        let start = cursor + found;
        if let Some(range) = code.iter().find(|r| r.contains(&start)) {
            source.push_str(&body[cursor..range.end]);
            cursor = range.end;
            continue;
        }
        if body[..start].ends_with('\\') {
            source.push_str(&body[cursor..start - 1]);
            source.push_str("{{");
            cursor = start + 2;
            continue;
        }
        let line = line_at(body, start);
        let line_end = body[start..].find('\n').map_or(body.len(), |n| start + n);
        let Some(close) = body[start + 2..line_end].find("}}") else {
            return Err(BodyError {
                line,
                message: "unterminated `{{`: a shortcode ends with `}}` on the same line \
                          (write `\\{{` for a literal `{{`)"
                    .to_owned(),
            });
        };
        let inner = &body[start + 2..start + 2 + close];
        let (name, args) = parse_call(inner).map_err(|message| BodyError {
            line,
            message: format!("malformed shortcode `{{{{{inner}}}}}`: {message}"),
        })?;
        source.push_str(&body[cursor..start]);
        source.push_str(&placeholder(calls.len()));
        calls.push(Call { name, args, line });
        cursor = start + 2 + close + 2;
    }
    source.push_str(&body[cursor..]);
    Ok(Scanned { source, calls })
}

/// 0-based line of byte `offset` in `text`.
pub(super) fn line_at(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count()
}

/// Byte ranges of code spans and code blocks, where shortcodes are left alone.
fn code_ranges(body: &str) -> Vec<Range<usize>> {
    Parser::new_ext(body, super::html::options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => Some(range),
            _ => None,
        })
        .collect()
}

/// Parses `name(key="value", …)` with optional whitespace around every token.
fn parse_call(inner: &str) -> Result<(String, Vec<(String, String)>), String> {
    let mut rest = inner.trim_start();
    let name = ident(&mut rest).ok_or("expected a name like `fig(…)`")?;
    rest = rest.trim_start();
    if matches!(name.as_str(), "end" | "not_data") && rest.is_empty() {
        return Ok((name, Vec::new()));
    }
    rest = rest
        .strip_prefix('(')
        .ok_or_else(|| format!("expected `(` after `{name}`"))?;
    let mut args = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix(')') {
            rest = after;
            break;
        }
        let key = ident(&mut rest).ok_or("expected an argument like `name=\"…\"` or `)`")?;
        rest = rest.trim_start();
        rest = rest
            .strip_prefix('=')
            .ok_or_else(|| format!("expected `=` after `{key}`"))?
            .trim_start();
        let quote = rest
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
            .ok_or_else(|| format!("the value of `{key}` must be quoted, e.g. {key}=\"…\""))?;
        let end = rest[1..]
            .find(quote)
            .ok_or_else(|| format!("the value of `{key}` has no closing {quote}"))?;
        args.push((key, rest[1..1 + end].to_owned()));
        rest = rest[end + 2..].trim_start();
        if let Some(after) = rest.strip_prefix(',') {
            rest = after;
        } else if !rest.starts_with(')') {
            return Err("expected `,` or `)` after an argument".to_owned());
        }
    }
    if !rest.trim().is_empty() {
        return Err(format!("unexpected `{}` after `)`", rest.trim()));
    }
    Ok((name, args))
}

/// Takes a leading identifier (`[A-Za-z0-9_-]+`) off `rest`.
fn ident(rest: &mut &str) -> Option<String> {
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    if end == 0 {
        return None;
    }
    let (name, after) = rest.split_at(end);
    *rest = after;
    Some(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parses_calls_with_or_without_spaces() {
        let scanned =
            scan("a {{fig(name=\"x\")}} b\n{{  fig( name = 'y' , vs=\"e\", ) }}").unwrap();
        assert_eq!(
            scanned.source,
            format!("a {} b\n{}", placeholder(0), placeholder(1))
        );
        assert_eq!(scanned.calls[0].args, args(&[("name", "x")]));
        assert_eq!(scanned.calls[1].args, args(&[("name", "y"), ("vs", "e")]));
        assert_eq!(scanned.calls[1].line, 1);
    }

    #[test]
    fn end_needs_no_parentheses() {
        let scanned = scan("{{ claim(if=\"a > b\") }}x{{ end }}{{end()}}").unwrap();
        let names: Vec<&str> = scanned.calls.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["claim", "end", "end"]);
        assert_eq!(scanned.calls[0].args, args(&[("if", "a > b")]));
    }

    #[test]
    fn escaped_braces_become_literal() {
        let scanned = scan(r#"write \{{ fig(name="x") }} to show a figure"#).unwrap();
        assert_eq!(
            scanned.source,
            r#"write {{ fig(name="x") }} to show a figure"#
        );
        assert!(scanned.calls.is_empty());
    }

    #[test]
    fn code_is_left_alone() {
        let body = "`{{ fig(name=\"a\") }}` and\n\n```\n{{ oops\n```\n\n    {{ indented\n\n{{fig(name=\"b\")}}\n";
        let scanned = scan(body).unwrap();
        assert_eq!(scanned.calls.len(), 1);
        assert_eq!(scanned.calls[0].args, args(&[("name", "b")]));
        assert_eq!(scanned.calls[0].line, 8);
        assert!(scanned
            .source
            .starts_with("`{{ fig(name=\"a\") }}` and\n\n```\n{{ oops\n```"));
    }

    #[test]
    fn unterminated_braces_name_their_line() {
        let err = scan("one\ntwo {{ fig(name=\"x\")\n}}").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(
            err.message.starts_with("unterminated `{{`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn malformed_calls_say_what_was_expected() {
        let cases = [
            ("{{ fig }}", "expected `(` after `fig`"),
            ("{{ fig(name=x) }}", "must be quoted"),
            ("{{ fig(name=\"x) }}", "no closing \""),
            ("{{ fig(name=\"x\" vs=\"y\") }}", "expected `,` or `)`"),
            ("{{ fig(name=\"x\") extra }}", "unexpected `extra`"),
            ("{{ (name=\"x\") }}", "expected a name"),
            ("{{ claim }}", "expected `(` after `claim`"),
        ];
        for (body, expected) in cases {
            let err = scan(body).unwrap_err();
            assert!(err.message.contains(expected), "{body}: {}", err.message);
        }
    }

    #[test]
    fn reserved_characters_are_rejected() {
        let err = scan("a\nb \u{E000}").unwrap_err();
        assert_eq!(err.line, 1);
    }
}
