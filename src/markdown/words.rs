//! Numbers written as words in the narrative: "a third", "half", "doubled", "twice",
//! "tenfold". "Models are a third of what the Hub hosts" is a data claim as much as
//! "33%" is, and goes as stale when the data changes; unlike a typed number, it cannot
//! be matched against the figures, so every one is reported (the site warns, and
//! `stateof check` fails), unless it is inside a guarded claim, whose condition keeps
//! it true, or inside a passage marked as not a data claim
//! (`{{ not_data }}second half of the year{{ end }}`).
//!
//! Words are matched whole and regardless of case: fractions (`half`, and `a`, `one`,
//! `two` … `nine` before `third(s)`, `quarter(s)`, `fifth(s)`, `tenth(s)`, with a space
//! or a hyphen: `two-thirds`) and multiples (`twice`, `thrice`, `doubled`, `tripled`,
//! `quadrupled`, `halved`, their `-ing` forms, `twofold` … `tenfold`, `hundredfold`,
//! and `ten-fold`). A word joined by a hyphen to a word that is not part of the phrase
//! (`half-hearted`) is not one. The summary is read unless `summary-if` guards it.

use std::path::Path;

use super::prose::Prose;
use super::Document;

/// A number written in words, outside any guarded claim.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberWord {
    /// 1-based line in the file.
    pub line: usize,
    /// The words as written (`a third`, `Doubled`).
    pub words: String,
}

impl NumberWord {
    /// `PATH:LINE: `a third` is a number written in words; show … instead`.
    pub fn message(&self, path: &Path) -> String {
        format!(
            "{}:{}: `{}` is a number written in words, which no figure keeps true; show the \
             figure it stands for with {{{{ fig(name=\"…\") }}}}, guard the sentence with \
             {{{{ claim(if=\"…\") }}}}…{{{{ end }}}}, or, if it is not a data claim, mark it \
             with {{{{ not_data }}}}…{{{{ end }}}}",
            path.display(),
            self.line,
            self.words
        )
    }
}

/// Single words that are numbers.
const WORDS: [&str; 23] = [
    "half",
    "halved",
    "halving",
    "twice",
    "thrice",
    "doubled",
    "doubling",
    "tripled",
    "tripling",
    "trebled",
    "quadrupled",
    "quadrupling",
    "twofold",
    "threefold",
    "fourfold",
    "fivefold",
    "sixfold",
    "sevenfold",
    "eightfold",
    "ninefold",
    "tenfold",
    "hundredfold",
    "thousandfold",
];

/// Words that count a fraction (`a third`, `two fifths`) or a multiple (`ten-fold`).
const COUNTS: [&str; 12] = [
    "a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "hundred",
];

/// Fractions counted by `COUNTS`.
const FRACTIONS: [&str; 8] = [
    "third", "thirds", "quarter", "quarters", "fifth", "fifths", "tenth", "tenths",
];

/// The numbers written in words in `doc`'s prose, outside guarded claims and passages
/// marked as not data claims. A body whose shortcodes do not parse yields none:
/// rendering reports that error.
pub fn number_words(doc: &Document) -> Vec<NumberWord> {
    let mut found = Vec::new();
    if doc.front.summary_if.is_none() {
        found.extend(
            phrases(&doc.front.summary)
                .into_iter()
                .map(|(_, words)| NumberWord {
                    line: doc.front.summary.line,
                    words,
                }),
        );
    }
    let Some(prose) = Prose::read(&doc.body) else {
        return found;
    };
    for range in &prose.texts {
        for (at, words) in phrases(&prose.source[range.clone()]) {
            let at = range.start + at;
            if !prose.in_claim(at) && !prose.not_data(at) {
                found.push(NumberWord {
                    line: doc.body_line + prose.line(at),
                    words,
                });
            }
        }
    }
    found
}

/// One word of a text: its byte range.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
}

/// The numbers written in words in plain `text`, with their byte offsets.
fn phrases(text: &str) -> Vec<(usize, String)> {
    let words = split(text);
    let lower = |w: &Word| text[w.start..w.end].to_lowercase();
    // Whether a hyphen joins `text` at byte `at` (going `forward` or back) to a letter.
    let joined = |at: usize, forward: bool| {
        let mut chars: Box<dyn Iterator<Item = char>> = if forward {
            Box::new(text[at..].chars())
        } else {
            Box::new(text[..at].chars().rev())
        };
        chars.next() == Some('-') && chars.next().is_some_and(char::is_alphabetic)
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (first, word) = (words[i], lower(&words[i]));
        let next = words.get(i + 1).filter(|n| {
            let gap = &text[first.end..n.start];
            gap == "-" || (!gap.is_empty() && gap.chars().all(char::is_whitespace))
        });
        let pair = next.and_then(|n| {
            let second = lower(n);
            let fraction = FRACTIONS.contains(&second.as_str());
            let fold = second == "fold" && &text[first.end..n.start] == "-" && word != "a";
            (COUNTS.contains(&word.as_str()) && (fraction || fold)).then_some(*n)
        });
        let phrase = match pair {
            Some(last) if !joined(first.start, false) && !joined(last.end, true) => {
                i += 1;
                Some(first.start..last.end)
            }
            None if WORDS.contains(&word.as_str())
                && !joined(first.start, false)
                && !joined(first.end, true) =>
            {
                Some(first.start..first.end)
            }
            _ => None,
        };
        if let Some(range) = phrase {
            let words: Vec<&str> = text[range.clone()].split_whitespace().collect();
            found.push((range.start, words.join(" ")));
        }
        i += 1;
    }
    found
}

/// The words of `text`: runs of letters.
fn split(text: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_alphabetic(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                words.push(Word {
                    start: from,
                    end: at,
                });
                start = None;
            }
            _ => {}
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        phrases(text).into_iter().map(|(_, w)| w).collect()
    }

    #[test]
    fn fractions_and_multiples_are_found_whole_and_in_any_case() {
        assert_eq!(
            found(
                "Models are a third of it; Half the rest. Downloads doubled, twice over, TENFOLD."
            ),
            ["a third", "Half", "doubled", "twice", "TENFOLD"]
        );
        assert_eq!(
            found("two-thirds, three quarters, a\nquarter, one fifth, ten-fold, halved"),
            [
                "two-thirds",
                "three quarters",
                "a quarter",
                "one fifth",
                "ten-fold",
                "halved"
            ]
        );
    }

    #[test]
    fn other_words_and_compounds_are_not_numbers() {
        let text = "on behalf of the third edition, a half-hearted double-check, the first \
                    quarter, thirdly, a fold, one-and-a-half-times, doubles, a-third-party";
        assert_eq!(found(text), Vec::<String>::new());
    }

    #[test]
    fn the_offsets_point_at_the_phrase() {
        let text = "Über \u{2014} a third";
        let (at, words) = &phrases(text)[0];
        assert_eq!((&text[*at..], words.as_str()), ("a third", "a third"));
    }

    fn doc(front: &str, body: &str) -> Document {
        let text = format!("+++\ntitle = \"t\"\ndate = \"2026-01-01\"\n{front}+++\n{body}");
        super::super::parse_document(Path::new("content/e/index.md"), &text).unwrap()
    }

    #[test]
    fn claims_not_data_passages_and_guarded_summaries_are_left_alone() {
        let body = "Models are a third of it.\n\n\
                    {{ claim(if=\"a > b\") }}Half of it{{ end }}, {{ not_data }}half a year{{ end }}.\n\n\
                    `twice` in code, and\n\n```\ntwice\n```\n\nDoubled {{ fig(name=\"x\") }}.\n";
        let summary = "summary = \"Downloads doubled.\"\n";
        let words = number_words(&doc(summary, body));
        let lines: Vec<(usize, &str)> = words.iter().map(|w| (w.line, w.words.as_str())).collect();
        assert_eq!(lines, [(4, "doubled"), (6, "a third"), (16, "Doubled")]);
        let guarded = format!("{summary}summary-if = \"a > b\"\n");
        assert_eq!(number_words(&doc(&guarded, body)).len(), 2);
    }

    #[test]
    fn messages_name_the_file_line_words_and_the_ways_out() {
        let word = NumberWord {
            line: 108,
            words: "a third".into(),
        };
        let message = word.message(Path::new("content/2026-spring/index.md"));
        assert!(
            message.starts_with(
                "content/2026-spring/index.md:108: `a third` is a number written in words"
            ),
            "{message}"
        );
        for way in [
            "{{ fig(name=\"…\") }}",
            "{{ claim(if=\"…\") }}",
            "{{ not_data }}",
        ] {
            assert!(message.contains(way), "{message}");
        }
    }
}
