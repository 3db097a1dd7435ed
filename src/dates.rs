//! Calendar months and dates, as the report uses them: a `Month` (`YYYY-MM`) for
//! monthly series and `since`, a `Date` (`YYYY-MM-DD`) for an edition's front matter
//! and a snapshot's day.
//!
//! Both parse from and display as their text form, serialize as that text (so pages,
//! templates and `figures.json` show it unchanged) and order by time. This module owns
//! the calendar checks; it knows nothing of where a month or a date is written.

use std::fmt;
use std::str::FromStr;

use anyhow::{bail, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar month, stored as `year * 12 + month - 1` (the numbering of
/// `Repos::created_month`), so that consecutive months are consecutive numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(u32);

impl Month {
    /// The month numbered `year * 12 + month - 1`.
    pub fn from_index(index: u32) -> Month {
        Month(index)
    }

    /// `year * 12 + month - 1`.
    pub fn index(self) -> u32 {
        self.0
    }

    pub fn year(self) -> u32 {
        self.0 / 12
    }

    /// 1 for January … 12 for December.
    pub fn number(self) -> u32 {
        self.0 % 12 + 1
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.number())
    }
}

impl FromStr for Month {
    type Err = anyhow::Error;

    /// Parses `YYYY-MM`, e.g. `2024-01`.
    fn from_str(text: &str) -> Result<Month> {
        match digits(text, &[4, 2]).as_deref() {
            Some(&[year, month]) if (1..=12).contains(&month) => Ok(Month(year * 12 + month - 1)),
            _ => bail!("`{text}` is not a month; expected `YYYY-MM`, e.g. `2024-01`"),
        }
    }
}

/// A checked calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u32,
    month: u32,
    day: u32,
}

impl Date {
    /// The month the date falls in.
    pub fn month(self) -> Month {
        Month(self.year * 12 + self.month - 1)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = anyhow::Error;

    /// Parses `YYYY-MM-DD`, checked against the calendar (no 30 February).
    fn from_str(text: &str) -> Result<Date> {
        if let Some(&[year, month, day]) = digits(text, &[4, 2, 2]).as_deref() {
            if (1..=days_in(year, month)).contains(&day) {
                return Ok(Date { year, month, day });
            }
        }
        bail!("invalid date `{text}`: expected a calendar date as YYYY-MM-DD, e.g. 2026-03-21")
    }
}

/// The numbers of `text` split at `-`, when each part has exactly its width in ASCII
/// digits.
fn digits(text: &str, widths: &[usize]) -> Option<Vec<u32>> {
    let parts: Vec<&str> = text.split('-').collect();
    if parts.len() != widths.len() {
        return None;
    }
    parts
        .iter()
        .zip(widths)
        .map(|(part, &width)| {
            let ok = part.len() == width && part.bytes().all(|b| b.is_ascii_digit());
            ok.then(|| part.parse().ok()).flatten()
        })
        .collect()
}

/// Days in `month` of `year` (0 for a month that does not exist).
fn days_in(year: u32, month: u32) -> u32 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

/// Serializes as the text form and deserializes from it, with the parse error as the
/// message.
macro_rules! text_serde {
    ($type:ty) => {
        impl Serialize for $type {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse()
                    .map_err(|e| serde::de::Error::custom(format!("{e:#}")))
            }
        }
    };
}

text_serde!(Month);
text_serde!(Date);

/// Today's date in UTC, by the system clock.
pub fn today() -> Date {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    let days = since.map_or(0, |d| d.as_secs() / 86_400) as i64;
    let (year, month, day) = civil(days);
    Date {
        year: year as u32,
        month,
        day,
    }
}

/// Days from 1970-01-01 to `date` (negative before it): the inverse of `civil`.
pub fn days(date: Date) -> i64 {
    let (month, day) = (i64::from(date.month), i64::from(date.day));
    let year = i64::from(date.year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar date `days` days after 1970-01-01 (before it when negative), as
/// (year, month, day): the proleptic Gregorian calendar, by Howard Hinnant's
/// `civil_from_days`.
pub fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_civil_dates_are_inverses() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(-1), (1969, 12, 31));
        assert_eq!(civil(19_782), (2024, 2, 29));
        assert_eq!(days("2022-03-02".parse().unwrap()), 19_053);
        // Every day of 1999-2101 (leap days and century years included) both ways,
        // one day after another.
        let mut day = days("1999-01-01".parse().unwrap());
        let mut previous: Option<Date> = None;
        while day < days("2101-01-01".parse().unwrap()) {
            let (y, m, d) = civil(day);
            let date: Date = format!("{y:04}-{m:02}-{d:02}").parse().unwrap();
            assert_eq!(days(date), day);
            assert!(previous.is_none_or(|p| p < date));
            previous = Some(date);
            day += 1;
        }
    }

    #[test]
    fn months_parse_display_and_count() {
        let month: Month = "2024-12".parse().unwrap();
        assert_eq!(month.index(), 2024 * 12 + 11);
        assert_eq!((month.year(), month.number()), (2024, 12));
        assert_eq!(month.to_string(), "2024-12");
        assert_eq!(Month::from_index(2025 * 12).to_string(), "2025-01");
        assert!(month < "2025-01".parse().unwrap());
        for bad in [
            "2024-13",
            "2024-00",
            "2024-1",
            "24-01",
            "2024/01",
            "2024-01-01",
            "soon",
        ] {
            let err = bad.parse::<Month>().unwrap_err();
            assert!(format!("{err:#}").contains(&format!("`{bad}`")), "{bad}");
        }
    }

    #[test]
    fn dates_are_checked_against_the_calendar() {
        for good in ["2026-03-21", "2024-02-29", "2000-02-29", "1999-12-31"] {
            assert_eq!(good.parse::<Date>().unwrap().to_string(), good);
        }
        for bad in [
            "2026-3-21",
            "2026/03/21",
            "2026-13-01",
            "2026-00-10",
            "2025-02-29",
            "1900-02-29",
            "2026-04-31",
            "2026-03-00",
            "２０２６-03-21",
            "2026-03-21T10:00:00",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_order_by_time_and_know_their_month() {
        let a: Date = "2025-12-31".parse().unwrap();
        let b: Date = "2026-01-01".parse().unwrap();
        assert!(a < b);
        assert_eq!(b.month().to_string(), "2026-01");
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"2025-12-31\"");
        let back: Date = serde_json::from_str("\"2025-12-31\"").unwrap();
        assert_eq!(back, a);
    }
}
