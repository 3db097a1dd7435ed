//! Guarded claims: `{{ claim(if="cn_share > us_share") }}…{{ end }}`, a passage of the
//! narrative that is true only while its condition on the figures holds.
//!
//! Owns pairing `claim` with `end`, the claimed text, and evaluating the condition
//! (written in the language of `condition`) against the figures; values are compared
//! raw, never rounded as shown. This module does not decide what a false claim does
//! to a build (the site does) and renders nothing.

use std::path::Path;

use super::condition::{parse, Reference};
use super::embed::{lookup, scalar, Embed, Shortcode};
use super::shortcodes::{placeholder, Call};
use super::{BodyError, Context};
use crate::format;

/// One guarded passage of a rendered document, with its condition evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// 1-based line of the `claim` shortcode in the file.
    pub line: usize,
    /// The edition the claim was evaluated for (the page's edition).
    pub edition: String,
    /// The condition as written.
    pub condition: String,
    /// The guarded text as plain text (figures as the prose shows them), whitespace
    /// collapsed.
    pub text: String,
    /// Whether the condition holds for this edition's figures.
    pub holds: bool,
    /// Each figure reference the condition reads, as written (`us_share`,
    /// `us_share@2025-spring`), with its value as the prose shows it, in order.
    pub values: Vec<(String, String)>,
}

impl Claim {
    /// The claim's opening words, for messages: up to about 40 characters, cut at a word.
    pub fn excerpt(&self) -> String {
        const MAX: usize = 40;
        if self.text.chars().count() <= MAX {
            return self.text.clone();
        }
        let cut: String = self.text.chars().take(MAX).collect();
        let words = cut.rfind(' ').map_or(cut.as_str(), |at| &cut[..at]);
        format!("{}…", words.trim_end_matches([',', ';', ':']))
    }

    /// `PATH:LINE: claim is false for edition E: COND (a = 1%, b = 2%): "Start…"`.
    pub fn false_message(&self, path: &Path) -> String {
        let values: Vec<String> = (self.values.iter())
            .map(|(name, value)| format!("{name} = {value}"))
            .collect();
        format!(
            "{}:{}: claim is false for edition {}: {} ({}): \"{}\"",
            path.display(),
            self.line,
            self.edition,
            self.condition,
            values.join(", "),
            self.excerpt()
        )
    }
}

/// Pairs each `claim` (and `not_data`) call with its `end`: `(opening index, end
/// index)` into `calls`. Passages do not nest; an unpaired one is an error at its line.
pub(super) fn spans(calls: &[Call]) -> Result<Vec<(usize, usize)>, BodyError> {
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    let what = |index: usize| match Shortcode::of(&calls[index]) {
        Some(Shortcode::NotData) => "`not_data` passage",
        _ => "claim",
    };
    for (index, call) in calls.iter().enumerate() {
        let opens = matches!(
            Shortcode::of(call),
            Some(Shortcode::Claim | Shortcode::NotData)
        );
        match (opens, Shortcode::of(call), open) {
            (true, _, Some(first)) => {
                return Err(BodyError {
                    line: calls[first].line,
                    message: format!(
                        "this {} has no `{{{{ end }}}}` before the next {} starts; claims and \
                         `not_data` passages do not nest",
                        what(first),
                        what(index)
                    ),
                })
            }
            (true, _, None) => open = Some(index),
            (false, Some(Shortcode::End), Some(first)) => {
                spans.push((first, index));
                open = None;
            }
            (false, Some(Shortcode::End), None) => {
                return Err(BodyError {
                    line: call.line,
                    message: "`{{ end }}` without a claim: it closes a \
                              `{{ claim(if=\"…\") }}` or a `{{ not_data }}`"
                        .to_owned(),
                })
            }
            _ => {}
        }
    }
    match open {
        Some(first) => Err(BodyError {
            line: calls[first].line,
            message: format!(
                "this {} has no `{{{{ end }}}}`: write `{{{{ end }}}}` where it ends",
                what(first)
            ),
        }),
        None => Ok(spans),
    }
}

/// Evaluates the claim between calls `open` and `close` of a scanned body; `line` is
/// its 1-based line in the file.
pub(super) fn evaluate(
    (open, close): (usize, usize),
    calls: &[Call],
    source: &str,
    embeds: &[Embed],
    ctx: &Context,
    line: usize,
) -> Result<Claim, String> {
    let condition = calls[open]
        .args
        .iter()
        .find(|(key, _)| key == "if")
        .map_or("", |(_, value)| value.as_str());
    let (holds, values) = assess(condition, ctx)?;
    Ok(Claim {
        line,
        edition: ctx.edition.to_owned(),
        condition: condition.to_owned(),
        text: plain_text(source, embeds, open, close),
        holds,
        values,
    })
}

/// The source between the placeholders `open` and `close`, with the placeholders in
/// between replaced by their plain text and whitespace collapsed.
fn plain_text(source: &str, embeds: &[Embed], open: usize, close: usize) -> String {
    let start_token = placeholder(open);
    let start = source
        .find(&start_token)
        .map_or(0, |at| at + start_token.len());
    let end = source[start..]
        .find(&placeholder(close))
        .map_or(source.len(), |at| start + at);
    let mut text = source[start..end].to_owned();
    for (index, embed) in embeds.iter().enumerate().take(close).skip(open + 1) {
        text = text.replace(&placeholder(index), &embed.text);
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Evaluates `condition` against `ctx`: whether it holds, and the values it read.
pub(super) fn assess(
    condition: &str,
    ctx: &Context,
) -> Result<(bool, Vec<(String, String)>), String> {
    let expr =
        parse(condition).map_err(|e| format!("in the claim's condition `{condition}`: {e}"))?;
    let mut values = Vec::new();
    let mut raw = Vec::new();
    for reference in expr.references() {
        let edition = reference.edition.as_deref().unwrap_or(ctx.edition);
        super::embed::check_edition(ctx, edition)?;
        let figure = lookup(ctx, edition, &reference.name)?;
        let x = scalar(&reference.name, figure)?;
        let shown = reference.to_string();
        if !x.is_finite() {
            return Err(format!(
                "the claim `{condition}` cannot be checked: `{shown}` is undefined for edition \
                 {edition} (a share of a total that is 0); guard the claim with another figure \
                 or remove it"
            ));
        }
        if !values.iter().any(|(name, _)| *name == shown) {
            values.push((shown, format::number(x, figure.format)));
        }
        raw.push((reference.clone(), x));
    }
    let value = |r: &Reference| {
        raw.iter()
            .find(|(known, _)| known == r)
            .map_or(f64::NAN, |(_, x)| *x)
    };
    Ok((expr.evaluate(&value), values))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(text: &str) -> Claim {
        Claim {
            line: 57,
            edition: "2026-spring".into(),
            condition: "cn_share > us_share".into(),
            text: text.into(),
            holds: false,
            values: vec![
                ("cn_share".into(), "35%".into()),
                ("us_share".into(), "41%".into()),
            ],
        }
    }

    #[test]
    fn false_claims_name_file_line_condition_values_and_text() {
        let c = claim("For the first time, more downloads go to models from China.");
        assert_eq!(
            c.false_message(Path::new("content/2026-spring/index.md")),
            "content/2026-spring/index.md:57: claim is false for edition 2026-spring: \
             cn_share > us_share (cn_share = 35%, us_share = 41%): \
             \"For the first time, more downloads go…\""
        );
        assert_eq!(claim("Short.").excerpt(), "Short.");
    }
}
