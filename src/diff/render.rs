//! A diff report in words: aligned text for a terminal, Markdown for a pull request
//! (everything taken from data escaped), JSON for scripts. Pure: a `Report` in, a
//! string out.

use super::{EditionDiff, Report, Row};
use crate::escape;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Text,
    Markdown,
    Json,
}

/// The report in `style`, ending with a newline.
pub fn render(report: &Report, style: Style) -> String {
    match style {
        Style::Text => text(report),
        Style::Markdown => markdown(report),
        Style::Json => serde_json::to_string_pretty(report).expect("plain data serializes") + "\n",
    }
}

/// `figure`, or `figure · point`.
fn name(row: &Row) -> String {
    match &row.point {
        Some(point) => format!("{} \u{b7} {point}", row.figure),
        None => row.figure.clone(),
    }
}

/// `12 values changed, 20 unchanged, 3 hidden (below --min-change or beyond 10 points
/// of a series)`.
fn counts(diff: &EditionDiff) -> String {
    let mut text = format!(
        "{} changed, {} unchanged",
        plural(diff.rows.len(), "value"),
        diff.unchanged
    );
    if diff.hidden > 0 {
        text.push_str(&format!(
            ", {} hidden (below --min-change, or beyond the {} largest changes of a series)",
            diff.hidden,
            super::MAX_POINTS
        ));
    }
    text
}

/// Text for a terminal: on one line, without control characters (an escape sequence
/// in a model id).
fn plain(text: &str) -> String {
    escape::line(text)
}

/// An absent value as a dash.
fn dash(shown: &str) -> String {
    match shown {
        "" => "\u{2014}".to_owned(),
        _ => shown.to_owned(),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn text(report: &Report) -> String {
    let mut out = format!("{} \u{2192} {}\n", report.old, report.new);
    for diff in &report.editions {
        out.push_str(&format!("\nEdition {}: {}\n", diff.edition, counts(diff)));
        let rows: Vec<[String; 4]> = (diff.rows.iter())
            .map(|r| {
                [
                    name(r),
                    dash(&r.old_shown),
                    dash(&r.new_shown),
                    r.change_shown.clone(),
                ]
                .map(|cell| plain(&cell))
            })
            .collect();
        let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
        let (w0, w1, w2) = (width(0), width(1), width(2));
        for [name, old, new, change] in &rows {
            let line = format!("  {name:<w0$}  {old:>w1$} \u{2192} {new:<w2$}  {change}");
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    let mut section = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            out.push_str(&format!("\n{title} ({}):\n", lines.len()));
            for line in lines {
                out.push_str(&format!("  {}\n", plain(&line)));
            }
        }
    };
    section("Claims the new data makes false", claim_lines(report));
    section("Data-quality notes", report.data_notes.clone());
    section("Also", report.remarks.clone());
    out
}

fn claim_lines(report: &Report) -> Vec<String> {
    (report.false_claims.iter())
        .map(|c| match c.newly_false {
            true => c.message.clone(),
            false => format!("{} (false with the old data too)", c.message),
        })
        .collect()
}

fn markdown(report: &Report) -> String {
    let mut out = format!(
        "Figures of `{}` \u{2192} `{}`\n",
        escape::markdown_code(&report.old),
        escape::markdown_code(&report.new)
    );
    for diff in &report.editions {
        out.push_str(&format!(
            "\n### Edition {}\n\n{}.\n",
            escape::markdown(&diff.edition),
            counts(diff)
        ));
        if diff.rows.is_empty() {
            continue;
        }
        out.push_str("\n| Figure | Old | New | Change |\n|---|--:|--:|--:|\n");
        for row in &diff.rows {
            let mut figure = format!(
                "{} (`{}`)",
                escape::markdown(&row.label),
                escape::markdown_code(&row.figure)
            );
            if let Some(point) = &row.point {
                figure.push_str(&format!(": {}", escape::markdown(point)));
            }
            out.push_str(&format!(
                "| {figure} | {} | {} | {} |\n",
                escape::markdown(&dash(&row.old_shown)),
                escape::markdown(&dash(&row.new_shown)),
                escape::markdown(&row.change_shown)
            ));
        }
    }
    let mut section = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            out.push_str(&format!("\n### {title}\n\n"));
            for line in lines {
                out.push_str(&format!("- {}\n", escape::markdown(&line)));
            }
        }
    };
    section("Claims the new data makes false", claim_lines(report));
    section("Data-quality notes", report.data_notes.clone());
    section("Also", report.remarks.clone());
    out
}
