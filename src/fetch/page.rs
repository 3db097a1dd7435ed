//! One page of a Hub listing: its body as raw entries, and the `Link` header's next URL.
//!
//! Entries are kept as the exact text the Hub sent (a `RawValue` each), so a snapshot
//! line is byte for byte the API's entry. Only an entry that spans lines (a
//! pretty-printed body) is compacted, by dropping the whitespace outside its strings.
//! Nothing here touches the network; `client` calls these on what it received.

use serde_json::value::RawValue;

/// The entries of a listing page, each as one line of JSON text (no newline).
///
/// A body that is not a JSON array of objects (a truncated page, an HTML error page)
/// is an error, so the caller can retry the page.
pub fn entries(body: &[u8]) -> Result<Vec<String>, String> {
    let raw: Vec<&RawValue> = serde_json::from_slice(body).map_err(|err| {
        if body.is_empty() {
            "the body is empty".to_owned()
        } else if err.is_eof() {
            format!("the body is truncated ({err})")
        } else {
            format!("the body is not a JSON array of entries ({err})")
        }
    })?;
    raw.iter()
        .enumerate()
        .map(|(i, entry)| {
            let text = entry.get();
            if !text.starts_with('{') {
                return Err(format!(
                    "entry {} of the page is not a JSON object: {}",
                    i + 1,
                    excerpt(text)
                ));
            }
            Ok(if text.contains(['\n', '\r']) {
                compact(text)
            } else {
                text.to_owned()
            })
        })
        .collect()
}

/// `json` without the whitespace outside its strings: the same value on one line, its
/// keys, numbers and strings written exactly as they were.
fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for ch in json.chars() {
        if in_string {
            out.push(ch);
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == '"' {
                in_string = false;
            }
        } else if ch == '"' {
            in_string = true;
            out.push(ch);
        } else if !matches!(ch, ' ' | '\t' | '\n' | '\r') {
            out.push(ch);
        }
    }
    out
}

/// The first 80 characters of `text`, for messages.
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// The target of the first `rel="next"` link among `Link` header values
/// (`<https://…?cursor=…>; rel="next"`), as written (it may be relative).
pub fn next_link<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<String> {
    values
        .into_iter()
        .flat_map(links)
        .find(|(_, rels)| {
            rels.split_ascii_whitespace()
                .any(|rel| rel.eq_ignore_ascii_case("next"))
        })
        .map(|(target, _)| target)
}

/// The links in one `Link` header value (RFC 8288), as (target, rel) pairs. Parsing
/// stops at the first malformed link.
fn links(value: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        let Some(after) = rest.strip_prefix('<') else {
            return found;
        };
        let Some(end) = after.find('>') else {
            return found;
        };
        let target = after[..end].trim().to_owned();
        rest = &after[end + 1..];
        let mut rel = String::new();
        // Parameters: `; name=value` or `; name="quoted value"`, until the next `,`.
        loop {
            rest = rest.trim_start();
            let Some(after) = rest.strip_prefix(';') else {
                break;
            };
            let after = after.trim_start();
            let name_end = after.find(['=', ';', ',']).unwrap_or(after.len());
            let name = after[..name_end].trim();
            rest = &after[name_end..];
            let mut param = String::new();
            if let Some(after) = rest.strip_prefix('=') {
                let after = after.trim_start();
                if let Some(quoted) = after.strip_prefix('"') {
                    let end = quoted.find('"').unwrap_or(quoted.len());
                    param = quoted[..end].to_owned();
                    rest = quoted.get(end + 1..).unwrap_or("");
                } else {
                    let end = after.find([';', ',']).unwrap_or(after.len());
                    param = after[..end].trim().to_owned();
                    rest = &after[end..];
                }
            }
            if name.eq_ignore_ascii_case("rel") && rel.is_empty() {
                rel = param;
            }
        }
        found.push((target, rel));
        if !rest.starts_with(',') {
            return found;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_keep_the_exact_text() {
        let body = br#"[{"id":"a/b","downloads":1.50,"tags":["x"]} , {"_id":"1","id":"c/d","x":"\u00e9"}]"#;
        assert_eq!(
            entries(body).unwrap(),
            [
                r#"{"id":"a/b","downloads":1.50,"tags":["x"]}"#,
                r#"{"_id":"1","id":"c/d","x":"\u00e9"}"#
            ]
        );
        assert_eq!(entries(b"[]").unwrap(), Vec::<String>::new());
        assert_eq!(
            entries(b"\n[\n{\"id\":\"a\"}\n]\n").unwrap(),
            [r#"{"id":"a"}"#]
        );
    }

    #[test]
    fn pretty_entries_are_compacted_without_touching_strings() {
        let body = b"[\n  {\n    \"id\": \"a b/c\",\n    \"tags\": [\"x y\", \"q\\\"uo te\"],\n    \"n\": 1.0e3\n  }\n]";
        assert_eq!(
            entries(body).unwrap(),
            [r#"{"id":"a b/c","tags":["x y","q\"uo te"],"n":1.0e3}"#]
        );
    }

    #[test]
    fn bad_bodies_are_errors() {
        let truncated = entries(br#"[{"id":"a"},{"id":"b","tags":["#).unwrap_err();
        assert!(truncated.contains("truncated"), "{truncated}");
        let html = entries(b"<html><body>502 Bad Gateway</body></html>").unwrap_err();
        assert!(html.contains("not a JSON array"), "{html}");
        assert!(entries(br#"{"error":"x"}"#).is_err());
        assert!(entries(b"").unwrap_err().contains("empty"));
        let scalar = entries(br#"[{"id":"a"}, 3]"#).unwrap_err();
        assert!(scalar.contains("entry 2"), "{scalar}");
        assert!(entries(br#"[{"id":"a"}] trailing"#).is_err());
    }

    #[test]
    fn next_link_finds_rel_next() {
        let hub = r#"<https://huggingface.co/api/models?cursor=eyJ9&limit=1000&expand%5B%5D=author>; rel="next""#;
        assert_eq!(
            next_link([hub]).as_deref(),
            Some("https://huggingface.co/api/models?cursor=eyJ9&limit=1000&expand%5B%5D=author")
        );
        let several =
            r#"<https://x/p?c=1>; rel="prev", <https://x/p?c=3>; title="a; b, c"; rel=next"#;
        assert_eq!(next_link([several]).as_deref(), Some("https://x/p?c=3"));
        assert_eq!(
            next_link([
                r#"<https://x/1>; rel="prev""#,
                r#"</p?c=2>; rel="last NEXT""#
            ])
            .as_deref(),
            Some("/p?c=2")
        );
        assert_eq!(next_link([r#"<https://x/1>; rel="prev""#]), None);
        assert_eq!(next_link(["garbage"]), None);
        assert_eq!(next_link(Vec::<&str>::new()), None);
    }
}
