//! Number formats for prose, tables and chart labels: `1,234,567`, `2.1M`, `49.6%`,
//! `+83%`, `0.87`.

use crate::config::Format;

/// Formats `x` the way `format` says.
pub fn number(x: f64, format: Format) -> String {
    if !x.is_finite() {
        return "n/a".to_owned();
    }
    match format {
        Format::Thousands => thousands(x),
        Format::Compact => compact(x),
        Format::Percent => percent(x),
        Format::Change => change(x),
        Format::Decimal => format!("{x:.2}"),
    }
}

/// `1234567.0` → `1,234,567` (rounded to a whole number).
pub fn thousands(x: f64) -> String {
    let rounded = x.round();
    let digits = format!("{}", rounded.abs() as u128);
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

/// `2_130_000.0` → `2.1M`; `11_000_000.0` → `11M`; `950.0` → `950`.
pub fn compact(x: f64) -> String {
    let abs = x.abs();
    let (scaled, suffix) = match abs {
        a if a >= 1e9 => (x / 1e9, "B"),
        a if a >= 1e6 => (x / 1e6, "M"),
        a if a >= 1e3 => (x / 1e3, "K"),
        _ => return thousands(x),
    };
    // One decimal below 10 (2.1M), none above (11M, 950K); drop a trailing ".0".
    let text = if scaled.abs() < 9.95 {
        format!("{scaled:.1}")
    } else {
        format!("{scaled:.0}")
    };
    let text = text.strip_suffix(".0").unwrap_or(&text);
    format!("{text}{suffix}")
}

/// `0.496` → `49.6%`; whole percents above 10 drop the decimal only when it is zero.
pub fn percent(x: f64) -> String {
    let p = x * 100.0;
    let text = format!("{p:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text);
    format!("{text}%")
}

/// `0.83` → `+83%`, `-0.12` → `−12%`.
pub fn change(x: f64) -> String {
    let p = (x * 100.0).round();
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
    fn change_is_signed() {
        assert_eq!(change(0.83), "+83%");
        assert_eq!(change(-0.12), "\u{2212}12%");
        assert_eq!(number(f64::NAN, Format::Percent), "n/a");
    }
}
