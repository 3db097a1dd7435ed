//! Escaping: how text is written into each kind of file the site publishes, one
//! function per context. Model ids, authors, tags and registry names come from data
//! anyone can upload, so every page, chart, feed and download goes through here;
//! nothing else in the crate escapes text.
//!
//! | context | function | what it does |
//! | --- | --- | --- |
//! | HTML and XML text and double-quoted attribute values (pages, Atom, sitemap, SVG `<title>`/`<desc>`; Tera's autoescape) | [`markup`] | `& < > " '` as references; drops what the text may not hold |
//! | text marking code with backticks, for HTML (a snapshot's `source`; the `code_spans` template filter) | [`code_spans`] | [`markup`], then each `` `span` `` in `<code>` |
//! | a URL from data in an attribute (a registry entry's `source`) | [`url`], then [`markup`] | percent-encodes what a URL may not hold |
//! | a label drawn on one line (SVG chart text, whose XML escaping plotters does) | [`line`] | drops what the text may not hold; tabs and line breaks become spaces |
//! | CSV downloads | [`csv`] | RFC 4180 quoting; a cell a spreadsheet would run as a formula starts with `'` |
//! | Markdown (`stateof diff --format markdown`, for a pull request) | [`markdown`], [`markdown_code`] | Markdown punctuation backslash-escaped, HTML characters as references, one line |
//! | JSON downloads | `serde_json` | lossless: JSON escapes every control character itself |
//!
//! What no text may hold ([`dropped`]): control characters other than tab and line
//! breaks (XML 1.0 forbids most of them, and they can hide text), the noncharacters
//! (U+FFFE, U+FFFF, U+FDD0–U+FDEF and the like), and the bidirectional embedding,
//! override and isolate controls (U+202A–U+202E, U+2066–U+2069), which would reorder
//! the text around a name that holds one. Right-to-left names still read right to
//! left: the Unicode bidirectional algorithm orders them without these controls.

/// Whether `c` is left out of everything the site writes except JSON (see the module
/// docs).
pub fn dropped(c: char) -> bool {
    let code = c as u32;
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || (0xFDD0..=0xFDEF).contains(&code)
        || code & 0xFFFE == 0xFFFE
        || (0x202A..=0x202E).contains(&code)
        || (0x2066..=0x2069).contains(&code)
}

/// Text for HTML or XML content and double-quoted attribute values: `&`, `<`, `>`, `"`
/// and `'` become references, and [`dropped`] characters are left out. The same rules
/// hold in both languages, so pages, feeds, the sitemap and SVG share this one
/// function.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if dropped(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Plain text that marks code the Markdown way (`` `stateof sample` ``), for HTML:
/// escaped as [`markup`], each backticked span in `<code>`, an unpaired backtick kept.
pub fn code_spans(text: &str) -> String {
    let mut parts: Vec<&str> = text.split('`').collect();
    let unpaired = if parts.len().is_multiple_of(2) {
        parts.pop()
    } else {
        None
    };
    let mut out = String::with_capacity(text.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        match i % 2 {
            0 => out.push_str(&markup(part)),
            _ => out.push_str(&format!("<code>{}</code>", markup(part))),
        }
    }
    if let Some(rest) = unpaired {
        out.push('`');
        out.push_str(&markup(rest));
    }
    out
}

/// A URL with every character a URL may not hold as it is (controls, space, `"`, `<`,
/// `>`, `` ` ``, `{`, `}`, `|`, `\`, `^`, and what [`dropped`] leaves out elsewhere)
/// percent-encoded as UTF-8, so a link from the data is a valid URL. `%` is left as
/// it is (the URL may be encoded already). Not escaped for markup: [`markup`] that too.
pub fn url(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let raw = !(c.is_ascii_control() || dropped(c) || " \"<>`{}|\\^".contains(c));
        if raw {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// Text for a label drawn on one line: [`dropped`] characters left out, tabs and line
/// breaks turned into spaces. Not escaped: whoever writes it into markup escapes it.
pub fn line(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if dropped(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Text for a Markdown table cell or list item: Markdown punctuation backslash-escaped
/// (so no emphasis, link, image or cell break), `&`, `<` and `>` as references (so no
/// HTML), line breaks as spaces, [`dropped`] characters left out.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in line(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Text inside a Markdown code span in a table: nothing can be escaped there, so a
/// backtick becomes `'` and a pipe `/`; as [`line`] otherwise.
pub fn markdown_code(text: &str) -> String {
    (line(text).chars())
        .map(|c| match c {
            '`' => '\'',
            '|' => '/',
            c => c,
        })
        .collect()
}

/// RFC 4180 CSV, lines ending in CRLF.
///
/// A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is one a
/// spreadsheet may run as a formula, so it is written with a leading `'` (OWASP's
/// advice), except a plain decimal number (`-0.25`, `12`: an optional minus, digits, an
/// optional fraction), which is how the site writes its own values and which a
/// spreadsheet reads as a number, never as a formula. A cell holding a comma, a quote, a
/// line break, a semicolon or a tab is quoted, so a spreadsheet that splits on `;` or
/// tabs cannot start a new cell, and a formula with it, inside one. [`dropped`]
/// characters are left out.
pub fn csv(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for row in rows {
        for (i, field) in row.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&csv_cell(field));
        }
        out.push_str("\r\n");
    }
    out
}

/// One CSV cell, guarded and quoted as [`csv`] says.
fn csv_cell(field: &str) -> String {
    let mut text: String = field.chars().filter(|&c| !dropped(c)).collect();
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_decimal(&text) {
        text.insert(0, '\'');
    }
    if text.contains([',', '"', '\n', '\r', ';', '\t']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// `-12.5`, `3`, `0.25`: an optional minus, digits, and an optional fraction.
fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && all_digits(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_escapes_quotes_and_brackets() {
        assert_eq!(
            markup(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(markup("]]>"), "]]&gt;");
    }

    #[test]
    fn markup_drops_what_html_and_xml_forbid() {
        assert_eq!(
            markup("a\u{1}b\u{8}c\u{7f}d\u{85}e\u{fffe}f\u{1FFFF}<&>\"'\tg\nh"),
            "abcdef&lt;&amp;&gt;&quot;&#39;\tg\nh"
        );
    }

    #[test]
    fn bidi_overrides_and_isolates_are_dropped_but_rtl_text_is_kept() {
        let hostile =
            "a\u{202E}gnp.exe\u{202C}b\u{2066}c\u{2069}\u{202A}\u{202B}\u{202D}\u{2067}\u{2068}";
        assert_eq!(markup(hostile), "agnp.exebc");
        assert_eq!(line(hostile), "agnp.exebc");
        // Hebrew, and the left-to-right and right-to-left marks, stay.
        assert_eq!(markup("שלום\u{200E}x\u{200F}"), "שלום\u{200E}x\u{200F}");
    }

    #[test]
    fn code_spans_are_code_and_the_rest_is_escaped() {
        assert_eq!(
            code_spans("made by `stateof sample --out a<b>`, not <i>measured</i>"),
            "made by <code>stateof sample --out a&lt;b&gt;</code>, not &lt;i&gt;measured&lt;/i&gt;"
        );
        assert_eq!(code_spans("one ` alone"), "one ` alone");
        assert_eq!(code_spans("`a` and `b"), "<code>a</code> and `b");
    }

    #[test]
    fn url_encodes_what_a_url_cannot_hold() {
        assert_eq!(
            url("https://x.example/?q=\"><script>&a=b c%20\u{202E}é"),
            "https://x.example/?q=%22%3E%3Cscript%3E&a=b%20c%20%E2%80%AEé"
        );
        assert_eq!(
            url("https://x.example/a_b-c.d~e?f=g#h"),
            "https://x.example/a_b-c.d~e?f=g#h"
        );
    }

    #[test]
    fn line_makes_one_line() {
        assert_eq!(line("a\tb\nc\r\u{0}\u{FFFF}<"), "a b c <");
    }

    #[test]
    fn csv_quotes_and_guards_formulas() {
        let rows = vec![vec![
            "a,b".to_owned(),
            "say \"hi\"".to_owned(),
            "=HYPERLINK(\"x\")".to_owned(),
            "-0.5".to_owned(),
            "plain".to_owned(),
        ]];
        assert_eq!(
            csv(&rows),
            "\"a,b\",\"say \"\"hi\"\"\",\"'=HYPERLINK(\"\"x\"\")\",-0.5,plain\r\n"
        );
    }

    #[test]
    fn csv_guards_every_formula_start_but_not_numbers() {
        let cell = |s: &str| {
            csv(&[vec![s.to_owned()]])
                .trim_end_matches("\r\n")
                .to_owned()
        };
        assert_eq!(cell("+1+cmd|' /C calc'!A0"), "'+1+cmd|' /C calc'!A0");
        assert_eq!(cell("-2+3+cmd"), "'-2+3+cmd");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\t=1"), "\"'\t=1\"");
        assert_eq!(cell("\r=1"), "\"'\r=1\"");
        assert_eq!(cell("-"), "'-");
        assert_eq!(cell("-1e5"), "'-1e5");
        assert_eq!(cell("-inf"), "'-inf");
        assert_eq!(cell("-12"), "-12");
        assert_eq!(cell("-12.25"), "-12.25");
        assert_eq!(cell("0.5"), "0.5");
        assert_eq!(cell("a;=1"), "\"a;=1\"");
        assert_eq!(cell("x\u{0}\u{202E}y"), "xy");
    }

    #[test]
    fn decimals_are_strict() {
        for yes in ["0", "-0", "12", "-12.5", "3.14159"] {
            assert!(is_decimal(yes), "{yes}");
        }
        for no in ["", "-", ".5", "5.", "1e5", "+1", "--1", "1.2.3", "NaN"] {
            assert!(!is_decimal(no), "{no}");
        }
    }
}
