//! Sourced figures: each edition's value, as the report config states it
//! (`config::Stated`).
//!
//! A value belongs to the edition it names (`edition`) or, stated for a day (`date`),
//! to the edition whose season holds that day: after the date of the edition before
//! it, up to its own date. The editions counted are every edition of the report,
//! drafts included, so that building drafts or not never moves a value from one
//! edition to another. Of several dated values in one season the newest is taken, and
//! a value that names the edition wins over a dated one. An edition with no value has
//! no such figure: prose that shows it does not build (`markdown`), and `figures.json`
//! and the methodology page leave it out. Nothing here reads files.

use std::collections::BTreeMap;

use crate::config::{FigureDef, Metric, Stated};
use crate::dates::Date;
use crate::figures::{Figure, Figures, Provenance, Value};

/// The days whose dated values belong to an edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Season {
    /// The date of the edition before it (not included); none for the first edition.
    pub after: Option<Date>,
    /// The edition's own date (included).
    pub until: Date,
}

impl Season {
    /// The season of `edition` among `dates` (every edition's date, by slug); `None`
    /// when `dates` does not know it.
    pub fn of(dates: &BTreeMap<String, Date>, edition: &str) -> Option<Season> {
        let until = *dates.get(edition)?;
        let after = dates.values().filter(|&&d| d < until).max().copied();
        Some(Season { after, until })
    }

    fn holds(&self, date: Date) -> bool {
        self.after.is_none_or(|after| date > after) && date <= self.until
    }
}

/// The value of `values` that belongs to `edition`, whose season is `season`.
pub fn stated<'a>(values: &'a [Stated], edition: &str, season: &Season) -> Option<&'a Stated> {
    let named = values
        .iter()
        .find(|s| s.edition.as_deref() == Some(edition));
    named.or_else(|| {
        (values.iter())
            .filter(|s| s.edition.is_none() && s.date.is_some_and(|d| season.holds(d)))
            .max_by_key(|s| s.date)
    })
}

/// Adds to `figures`, edition `edition`'s, each sourced figure of `defs` that has a
/// value for it, with its source as its provenance.
pub fn resolve_sourced(
    defs: &BTreeMap<String, FigureDef>,
    figures: &mut Figures,
    edition: &str,
    season: &Season,
) {
    for (name, def) in defs {
        let Metric::Sourced { values } = &def.metric else {
            continue;
        };
        let Some(stated) = stated(values, edition, season) else {
            continue;
        };
        let definition = match stated.date {
            Some(date) => format!("As published by {}, as of {date}", stated.source),
            None => format!("As published by {}", stated.source),
        };
        let figure = Figure {
            label: def.label.clone(),
            format: def.format(),
            value: Value::Number(stated.value),
            provenance: Provenance {
                definition,
                edition: edition.to_owned(),
                source: Some(stated.source.clone()),
                source_url: stated.url.clone(),
                source_date: stated.date.map(|d| d.to_string()),
                ..Provenance::default()
            },
            groups: Vec::new(),
        };
        figures.insert(name.clone(), figure);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn value(edition: Option<&str>, day: Option<&str>, value: f64) -> Stated {
        Stated {
            edition: edition.map(str::to_owned),
            date: day.map(date),
            value,
            source: format!("Source {value}"),
            url: None,
        }
    }

    fn dates() -> BTreeMap<String, Date> {
        BTreeMap::from([
            ("2025-spring".to_owned(), date("2025-03-20")),
            ("2025-fall".to_owned(), date("2025-09-20")),
            ("2026-spring".to_owned(), date("2026-03-20")),
        ])
    }

    #[test]
    fn a_season_runs_from_the_edition_before_to_the_editions_own_date() {
        let dates = dates();
        let spring = Season::of(&dates, "2026-spring").unwrap();
        assert_eq!(spring.after, Some(date("2025-09-20")));
        assert!(spring.holds(date("2026-03-20")) && spring.holds(date("2025-09-21")));
        assert!(!spring.holds(date("2025-09-20")) && !spring.holds(date("2026-03-21")));
        let first = Season::of(&dates, "2025-spring").unwrap();
        assert_eq!(first.after, None);
        assert!(first.holds(date("2020-01-01")));
        assert_eq!(Season::of(&dates, "2027-spring"), None);
    }

    #[test]
    fn each_edition_takes_its_own_value_or_none() {
        let dates = dates();
        let values = [
            value(Some("2026-spring"), None, 11.0),
            value(None, Some("2025-06-01"), 7.0),
            value(None, Some("2025-09-01"), 8.0),
            value(None, Some("2026-01-01"), 10.0),
        ];
        let of = |edition: &str| {
            let season = Season::of(&dates, edition).unwrap();
            stated(&values, edition, &season).map(|s| s.value)
        };
        assert_eq!(of("2026-spring"), Some(11.0), "the named value wins");
        assert_eq!(
            of("2025-fall"),
            Some(8.0),
            "the newest dated value of the season"
        );
        assert_eq!(
            of("2025-spring"),
            None,
            "nothing is carried back or forward"
        );
    }

    #[test]
    fn resolved_figures_carry_their_source() {
        let config = crate::config::parse(
            std::path::Path::new("stateof.toml"),
            "title = \"t\"\ndescription = \"d\"\nbase-url = \"https://x.org/\"\n\
             [figures.users]\nlabel = \"Users\"\nmetric = \"sourced\"\nformat = \"compact\"\n\
             values = [{ edition = \"2026-spring\", value = 5e6, source = \"Hub\", url = \"https://hub.org/\" },\n\
             { date = 2025-09-01, value = 4e6, source = \"Blog\" }]\n",
        )
        .unwrap();
        let dates = dates();
        let mut figures = Figures::new();
        for edition in ["2026-spring", "2025-fall", "2025-spring"] {
            let season = Season::of(&dates, edition).unwrap();
            let mut these = Figures::new();
            resolve_sourced(&config.figures, &mut these, edition, &season);
            if let Some(users) = these.remove("users") {
                figures.insert(edition.to_owned(), users);
            }
        }
        let spring = &figures["2026-spring"];
        assert_eq!(spring.number(), Some(5e6));
        assert_eq!(spring.provenance.definition, "As published by Hub");
        assert_eq!(
            spring.provenance.source_url.as_deref(),
            Some("https://hub.org/")
        );
        assert!(spring.is_sourced() && spring.provenance.rows.is_none());
        let fall = &figures["2025-fall"];
        assert_eq!(
            fall.provenance.definition,
            "As published by Blog, as of 2025-09-01"
        );
        assert_eq!(fall.provenance.source_date.as_deref(), Some("2025-09-01"));
        assert_eq!(fall.provenance.edition, "2025-fall");
        assert!(!figures.contains_key("2025-spring"));
    }
}
