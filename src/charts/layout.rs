//! Label layout without a font engine: conservative text widths, truncation with an
//! ellipsis, "nice" axis ticks, and boxes for collision checks.
//!
//! Widths are estimated per character from DejaVu Sans, one of the widest common sans
//! faces, so text laid out here fits at least as well in narrower system fonts.

use crate::config::Format;

/// How much wider DejaVu Sans Bold runs than the regular face `text_width` measures:
/// the factor to multiply a bold size by.
pub const BOLD: f64 = 1.1;

/// The estimated advance width of `text` at `size` px.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * size
}

/// Width of one character in ems (rounded up from DejaVu Sans).
fn char_em(ch: char) -> f64 {
    match ch {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.30,
        ' ' | 'f' | 't' | 'I' | '(' | ')' | '[' | ']' | '-' | '/' => 0.40,
        'r' => 0.43,
        's' | 'z' | 'c' | '"' => 0.56,
        'm' | 'w' => 1.0,
        'M' | 'W' => 1.0,
        '%' => 0.96,
        '0'..='9' | '$' | '#' | '_' | '*' => 0.65,
        '+' | '=' | '<' | '>' | '~' | '\u{2212}' => 0.85,
        '\u{2013}' => 0.52,
        '\u{2014}' | '\u{2026}' | '@' | '&' => 1.0,
        'a'..='z' | '?' => 0.65,
        'D' | 'G' | 'H' | 'N' | 'O' | 'Q' | 'U' => 0.80,
        'A'..='Z' => 0.71,
        c if is_wide(c) => 1.05,
        c if c.is_ascii() => 0.65,
        _ => 0.80,
    }
}

/// East Asian wide characters (CJK, Hangul, kana, full-width forms) and emoji.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

/// `text` itself if it fits in `max` px, else its longest prefix that fits with "…".
pub fn fit(text: &str, size: f64, max: f64) -> String {
    if text_width(text, size) <= max {
        return text.to_owned();
    }
    let ellipsis = text_width("\u{2026}", size);
    let mut width = 0.0;
    let mut end = 0;
    for (i, ch) in text.char_indices() {
        width += char_em(ch) * size;
        if width + ellipsis > max {
            break;
        }
        end = i + ch.len_utf8();
    }
    format!("{}\u{2026}", text[..end].trim_end())
}

/// Evenly spaced round tick values covering `lo..=hi` with about `target` intervals:
/// steps of 1, 2, 2.5 or 5 times a power of ten (no 2.5 between 1 and 10: counts tick
/// in whole numbers). Of the spacings for one interval fewer or more than `target`, the
/// one wasting the least room above and below the data wins. The first and last ticks
/// enclose the data, so they double as the axis domain.
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (0.0, 1.0)
    };
    let (lo, hi) = match hi - lo {
        d if d > f64::EPSILON => (lo, hi),
        _ if hi == 0.0 => (0.0, 1.0),
        _ => (lo.min(0.0), hi.max(0.0)),
    };
    let ticks = |intervals: usize| {
        let raw = (hi - lo) / intervals.max(1) as f64;
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .filter(|m| **m != 2.5 || magnitude != 1.0)
            .map(|m| m * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * magnitude);
        let first = (lo / step + 1e-9).floor() as i64;
        let last = (hi / step - 1e-9).ceil() as i64;
        (first..=last.max(first + 1))
            .map(|i| i as f64 * step)
            .collect::<Vec<f64>>()
    };
    let waste = |t: &Vec<f64>| (t[t.len() - 1] - hi + lo - t[0]) / (hi - lo);
    let target = target.max(2);
    [target, target - 1, target + 1]
        .into_iter()
        .map(ticks)
        // The first of equally good spacings (the target's) wins; rounding keeps float
        // noise from deciding.
        .min_by_key(|t| (waste(t) * 1e6).round() as i64)
        .unwrap_or_default()
}

/// A value as an axis tick or a label on a chart with an axis: compact for counts
/// (`2.1M`), the figure's own format for shares and ratios. `step` is the tick spacing
/// (0 for a lone value); below 1 counts keep up to two decimals.
pub fn short_number(v: f64, step: f64, format: Format) -> String {
    match format {
        Format::Thousands | Format::Compact if step > 0.0 && step < 1.0 => {
            let text = format!("{v:.2}");
            text.trim_end_matches('0').trim_end_matches('.').to_owned()
        }
        Format::Thousands | Format::Compact => crate::format::compact(v),
        other => crate::format::number(v, other),
    }
}

/// An axis-aligned box in viewBox coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    /// The box a one-line text occupies, from its anchor point on the baseline.
    pub fn of_text(x: f64, y: f64, width: f64, size: f64, anchor: super::svg::Anchor) -> Rect {
        use super::svg::Anchor;
        let x0 = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - width / 2.0,
            Anchor::End => x - width,
        };
        Rect {
            x0,
            y0: y - size * 0.8,
            x1: x0 + width,
            y1: y + size * 0.25,
        }
    }

    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    pub fn contains(&self, p: (f64, f64)) -> bool {
        p.0 >= self.x0 && p.0 <= self.x1 && p.1 >= self.y0 && p.1 <= self.y1
    }

    pub fn inside(&self, outer: &Rect) -> bool {
        self.x0 >= outer.x0 && self.x1 <= outer.x1 && self.y0 >= outer.y0 && self.y1 <= outer.y1
    }

    /// True when the polyline through `points` passes through this box (checked every
    /// couple of pixels along each segment).
    pub fn crosses(&self, points: &[(f64, f64)]) -> bool {
        points.windows(2).any(|seg| {
            let (a, b) = (seg[0], seg[1]);
            let steps = ((b.0 - a.0).hypot(b.1 - a.1) / 2.0).ceil().max(1.0) as usize;
            (0..=steps).any(|i| {
                let t = i as f64 / steps as f64;
                self.contains((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t))
            })
        })
    }

    pub fn grow(&self, by: f64) -> Rect {
        Rect {
            x0: self.x0 - by,
            y0: self.y0 - by,
            x1: self.x1 + by,
            y1: self.y1 + by,
        }
    }
}

/// `text` broken between words into at most `lines` lines of at most `max` px at
/// `size`; text left over is cut after the last word that fits with "…", and a word
/// too long for a line is cut where it must be.
pub fn wrap(text: &str, size: f64, max: f64, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = match current.is_empty() {
            true => word.to_owned(),
            false => format!("{current} {word}"),
        };
        if current.is_empty() || text_width(&candidate, size) <= max {
            current = candidate;
            continue;
        }
        if out.len() + 1 == lines {
            // The last line, and more words to come: it ends in "…".
            out.push(ellipsis(&current, size, max));
            return out.iter().map(|l| fit(l, size, max)).collect();
        }
        out.push(std::mem::replace(&mut current, word.to_owned()));
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.iter().map(|l| fit(l, size, max)).collect()
}

/// `line` followed by "…" (for the punctuation it ends in), words dropped from its
/// end until that fits in `max` px.
fn ellipsis(line: &str, size: f64, max: f64) -> String {
    let cut = |words: &[&str]| {
        let text = words.join(" ");
        format!("{}\u{2026}", text.trim_end_matches([',', ';', ':', '.']))
    };
    let mut words: Vec<&str> = line.split(' ').collect();
    while words.len() > 1 && text_width(&cut(&words), size) > max {
        words.pop();
    }
    cut(&words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_between_words_within_the_width() {
        let text = "Share of downloads going to models by organisations based in China";
        let lines = wrap(text, 32.0, 500.0, 3);
        assert!(lines.len() >= 2, "{lines:?}");
        for l in &lines {
            assert!(text_width(l, 32.0) <= 500.0, "{l}");
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn wrap_cuts_what_does_not_fit_in_the_lines() {
        let text = "word ".repeat(100);
        let lines = wrap(&text, 32.0, 300.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('\u{2026}'), "{lines:?}");
        let long = "x".repeat(200);
        let lines = wrap(&long, 32.0, 300.0, 2);
        assert_eq!(lines.len(), 1);
        assert!(text_width(&lines[0], 32.0) <= 300.0);
        assert!(wrap("", 32.0, 300.0, 2).is_empty());
    }

    #[test]
    fn a_cut_line_ends_after_a_whole_word() {
        let lines = wrap("alpha beta gamma delta epsilon zeta", 32.0, 300.0, 1);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].ends_with("a\u{2026}"), "{lines:?}");
        assert!(text_width(&lines[0], 32.0) <= 300.0, "{lines:?}");
        assert_eq!(ellipsis("one, two,", 32.0, 1000.0), "one, two\u{2026}");
    }

    #[test]
    fn fit_truncates_with_an_ellipsis() {
        assert_eq!(fit("China", 14.0, 200.0), "China");
        let short = fit("meta-llama/Llama-3.1-8B-Instruct", 14.0, 120.0);
        assert!(short.ends_with('\u{2026}'), "{short}");
        assert!(text_width(&short, 14.0) <= 120.0);
        assert_eq!(fit("abc", 14.0, 1.0), "\u{2026}");
    }

    #[test]
    fn nice_ticks_enclose_the_data() {
        assert_eq!(
            nice_ticks(0.0, 2_000_000.0, 4),
            vec![0.0, 5e5, 1e6, 1.5e6, 2e6]
        );
        assert_eq!(nice_ticks(0.0, 0.93, 4), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(nice_ticks(0.0, 0.0, 4), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(nice_ticks(0.0, 7.0, 4), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(nice_ticks(0.0, 42_000.0, 4).last(), Some(&50_000.0));
        assert_eq!(nice_ticks(-3.0, 3.0, 4), vec![-4.0, -2.0, 0.0, 2.0, 4.0]);
    }

    #[test]
    fn wide_scripts_measure_wider() {
        assert!(text_width("通义千问", 14.0) > text_width("abcd", 14.0));
    }
}
