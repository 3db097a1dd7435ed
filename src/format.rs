//! Number formats for prose, tables and chart labels: `1,234,567`, `2.1M`, `49.6%`,
//! `+83%`, `0.87`; and text from data as a page shows it (`text`).

use std::borrow::Cow;

use crate::config::Format;

/// The most characters of one piece of text from data (a model id, an author, a tag) a
/// page shows. The Hub's own names are far shorter (a repository name is at most 96
/// characters), so only hostile or broken data is ever cut.
pub const LONGEST_TEXT: usize = 200;

/// `text` as a page's table shows it: whole, or its first `LONGEST_TEXT` characters and
/// "…" (the CSV and JSON downloads keep it whole). Not escaped.
pub fn text(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(LONGEST_TEXT) {
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
        None => Cow::Borrowed(text),
    }
}

/// Formats `x` the way `format` says.
pub fn number(x: f64, format: Format) -> String {
    if !x.is_finite() {
        return "n/a".to_owned();
    }
    // A value that rounds to zero reads as 0, never as "-0".
    let x = if x == 0.0 { 0.0 } else { x };
    match format {
        Format::Thousands => thousands(x),
        Format::Compact => compact(x),
        Format::Percent => percent(x),
        Format::Change => change(x),
        Format::Decimal => {
            let rounded = (x * 100.0).round() / 100.0;
            if !rounded.is_finite() {
                // Too large to scale: whole, as the value has no fraction anyway.
                return format!("{x:.2}");
            }
            format!("{:.2}", if rounded == 0.0 { 0.0 } else { rounded })
        }
    }
}

/// `1234567.0` → `1,234,567` (rounded to a whole number); "n/a" when not finite.
pub fn thousands(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_owned();
    }
    let rounded = x.round();
    // Every digit of the value, however large (`as u128` would cap it).
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if rounded < 0.0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `2_130_000.0` → `2.1M`; `11_000_000.0` → `11M`; `950.0` → `950`; `999_600.0` → `1M`.
pub fn compact(x: f64) -> String {
    // Largest unit first; one decimal below 10 (2.1M), none above (11M, 950K).
    const UNITS: [(f64, &str); 3] = [(1e9, "B"), (1e6, "M"), (1e3, "K")];
    if !x.is_finite() {
        return "n/a".to_owned();
    }
    let shown = |scaled: f64| {
        if scaled.abs() < 9.95 {
            (scaled * 10.0).round() / 10.0
        } else {
            scaled.round()
        }
    };
    let Some(at) = UNITS.iter().position(|(unit, _)| x.abs() >= *unit) else {
        return thousands(x);
    };
    let (unit, suffix) = UNITS[at];
    let scaled = shown(x / unit);
    // 999.6K rounds to 1000K: say 1M instead.
    if scaled.abs() >= 1000.0 && at > 0 {
        let (unit, suffix) = UNITS[at - 1];
        return format!("{}{suffix}", trim_zero(shown(x / unit)));
    }
    format!("{}{suffix}", trim_zero(scaled))
}

/// `2.0` → `2`, `2.1` → `2.1` (one decimal at most).
fn trim_zero(x: f64) -> String {
    let text = format!("{x:.1}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_owned)
}

/// `0.496` → `49.6%`; whole percents above 10 drop the decimal only when it is zero.
/// "n/a" for a value too large to scale (or not finite).
pub fn percent(x: f64) -> String {
    let p = (x * 1000.0).round() / 10.0;
    if !p.is_finite() {
        return "n/a".to_owned();
    }
    let p = if p == 0.0 { 0.0 } else { p };
    format!("{}%", trim_zero(p))
}

/// `0.83` → `+83%`, `-0.12` → `−12%`; "n/a" for a value too large to scale.
pub fn change(x: f64) -> String {
    let p = (x * 100.0).round();
    if !p.is_finite() {
        return "n/a".to_owned();
    }
    let p = if p == 0.0 { 0.0 } else { p };
    if p >= 0.0 {
        format!("+{p:.0}%")
    } else {
        format!("\u{2212}{:.0}%", -p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(1000.0), "1,000");
        assert_eq!(thousands(1234567.4), "1,234,567");
        assert_eq!(thousands(-1234.0), "-1,234");
    }

    #[test]
    fn compact_picks_a_suffix() {
        assert_eq!(compact(950.0), "950");
        assert_eq!(compact(2_130_000.0), "2.1M");
        assert_eq!(compact(11_000_000.0), "11M");
        assert_eq!(compact(2_000_000.0), "2M");
        assert_eq!(compact(9_980.0), "10K");
        assert_eq!(compact(3_400_000_000.0), "3.4B");
    }

    #[test]
    fn percent_keeps_one_decimal() {
        assert_eq!(percent(0.496), "49.6%");
        assert_eq!(percent(0.37), "37%");
        assert_eq!(percent(0.0004), "0%");
    }

    #[test]
    fn rounding_never_shows_minus_zero_or_1000k() {
        assert_eq!(compact(999_500.0), "1M");
        assert_eq!(compact(999_999_999.0), "1B");
        assert_eq!(compact(999.0), "999");
        assert_eq!(compact(-2_500_000.0), "-2.5M");
        assert_eq!(change(-0.004), "+0%");
        assert_eq!(percent(-0.0001), "0%");
        assert_eq!(number(-0.001, Format::Decimal), "0.00");
        assert_eq!(number(-0.0, Format::Thousands), "0");
    }

    #[test]
    fn change_is_signed() {
        assert_eq!(change(0.83), "+83%");
        assert_eq!(change(-0.12), "\u{2212}12%");
        assert_eq!(number(f64::NAN, Format::Percent), "n/a");
    }

    mod properties {
        //! No value prints as `NaN`, `inf`, a negative zero or `1000K`, in any format.
        //! `PROPTEST_CASES=100000 cargo test properties` runs longer.

        use proptest::prelude::*;

        use super::*;

        const FORMATS: [Format; 5] = [
            Format::Thousands,
            Format::Compact,
            Format::Percent,
            Format::Change,
            Format::Decimal,
        ];

        /// Any f64, with the edges (around 0, around each unit) drawn often.
        fn value() -> impl Strategy<Value = f64> {
            prop_oneof![
                prop::num::f64::ANY,
                (-2e9..2e9f64),
                (-1.0..1.0f64),
                prop::sample::select(vec![
                    -0.0,
                    0.0,
                    999.5,
                    999_949.0,
                    999_950.0,
                    999_999.0,
                    -999_950.0,
                    9.95e5,
                    9.9995e8,
                    1e300,
                    -1e300,
                    f64::MAX,
                    f64::MIN,
                    -0.0004,
                    -0.00049,
                    0.99995,
                    -0.004999,
                    f64::MIN_POSITIVE,
                    -f64::MIN_POSITIVE,
                ]),
            ]
        }

        fn sane(text: &str) -> Result<(), TestCaseError> {
            for bad in ["NaN", "inf", "1000K", "1000M", "1000B"] {
                prop_assert!(!text.contains(bad), "{text}");
            }
            let unsigned = text.trim_start_matches(['-', '+', '\u{2212}']);
            let zero = unsigned
                .trim_end_matches('%')
                .trim_matches(|c| c == '0' || c == '.');
            if zero.is_empty() {
                prop_assert!(
                    !text.starts_with(['-', '\u{2212}']),
                    "a negative zero: {text}"
                );
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn no_format_prints_nan_inf_minus_zero_or_1000k(x in value()) {
                for format in FORMATS {
                    sane(&number(x, format))?;
                }
                sane(&thousands(x))?;
                sane(&compact(x))?;
                sane(&percent(x))?;
                sane(&change(x))?;
                if !x.is_finite() {
                    prop_assert_eq!(number(x, Format::Percent), "n/a");
                }
            }
        }
    }

    #[test]
    fn long_text_is_cut_at_a_character() {
        assert_eq!(text("org/model"), "org/model");
        let exact = "é".repeat(LONGEST_TEXT);
        assert_eq!(text(&exact), exact);
        let long = "é".repeat(LONGEST_TEXT + 1);
        let cut = text(&long);
        assert_eq!(cut.chars().count(), LONGEST_TEXT + 1);
        assert!(cut.ends_with("é…"), "{cut}");
    }
}
