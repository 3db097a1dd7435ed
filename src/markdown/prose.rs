//! The prose that the checks on numbers read (`typed`, `words`): a body's text outside
//! shortcodes, code, raw HTML and link targets, and where in it the guarded claims
//! (`{{ claim(if="…") }}…{{ end }}`) and the passages marked as not data claims
//! (`{{ not_data }}…{{ end }}`) lie. It reads; what a number found there costs is the
//! checks' call.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::claim;
use super::embed::Shortcode;
use super::shortcodes::{self, placeholder};

/// A body with its shortcodes replaced by placeholders, and what in it is prose.
pub(super) struct Prose {
    /// The body, each shortcode a placeholder (`shortcodes::scan`).
    pub source: String,
    /// The byte ranges of `source` that are prose text, in order.
    pub texts: Vec<Range<usize>>,
    /// The byte ranges of `source` inside a guarded claim.
    claims: Vec<Range<usize>>,
    /// The byte ranges of `source` marked as not a data claim.
    not_data: Vec<Range<usize>>,
}

impl Prose {
    /// The prose of `body`; `None` when its shortcodes or passages do not parse (the
    /// render reports that error).
    pub fn read(body: &str) -> Option<Prose> {
        let scanned = shortcodes::scan(body).ok()?;
        let spans = claim::spans(&scanned.calls).ok()?;
        let source = scanned.source;
        let (mut claims, mut not_data) = (Vec::new(), Vec::new());
        for (open, close) in spans {
            let start = source.find(&placeholder(open))?;
            let range = start..start + source[start..].find(&placeholder(close))?;
            match Shortcode::of(&scanned.calls[open]) {
                Some(Shortcode::NotData) => not_data.push(range),
                _ => claims.push(range),
            }
        }
        let mut texts = Vec::new();
        let mut in_code = false;
        for (event, range) in Parser::new_ext(&source, super::html::options()).into_offset_iter() {
            match event {
                Event::Start(Tag::CodeBlock(_)) => in_code = true,
                Event::End(TagEnd::CodeBlock) => in_code = false,
                // Code blocks hold their code as text events.
                Event::Text(_) if !in_code => texts.push(range),
                _ => {}
            }
        }
        Some(Prose {
            source,
            texts,
            claims,
            not_data,
        })
    }

    /// The 0-based line of the body at byte `at` of `source`.
    pub fn line(&self, at: usize) -> usize {
        shortcodes::line_at(&self.source, at)
    }

    /// Whether byte `at` of `source` is inside a guarded claim.
    pub fn in_claim(&self, at: usize) -> bool {
        self.claims.iter().any(|r| r.contains(&at))
    }

    /// Whether byte `at` of `source` is inside a passage marked as not a data claim.
    pub fn not_data(&self, at: usize) -> bool {
        self.not_data.iter().any(|r| r.contains(&at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_text_claims_and_passages_marked_as_not_data() {
        let body = "Intro `code` {{ fig(name=\"a\") }}.\n\n\
                    {{ claim(if=\"a > 1\") }}Guarded{{ end }} and {{ not_data }}aside{{ end }}.\n\n\
                    ```\nblock\n```\n";
        let prose = Prose::read(body).unwrap();
        let texts: Vec<&str> = prose
            .texts
            .iter()
            .map(|r| &prose.source[r.clone()])
            .collect();
        assert!(
            texts
                .iter()
                .all(|t| !t.contains("code") && !t.contains("block")),
            "{texts:?}"
        );
        let at = |word: &str| prose.source.find(word).unwrap();
        assert!(prose.in_claim(at("Guarded")) && !prose.not_data(at("Guarded")));
        assert!(prose.not_data(at("aside")) && !prose.in_claim(at("aside")));
        assert!(!prose.in_claim(at(" and ")) && !prose.not_data(at("Intro")));
        assert_eq!(prose.line(at("Guarded")), 2);
        assert!(Prose::read("{{ not_data }}open").is_none());
    }
}
