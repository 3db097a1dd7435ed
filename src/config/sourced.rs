//! Sourced figures as the config writes them. A sourced figure lists its values, each
//! with the edition it belongs to, named or by the day the source gives it for:
//!
//! ```toml
//! [figures.users_total]
//! label = "Registered users"
//! metric = "sourced"
//! values = [
//!   { edition = "2026-spring", value = 11_000_000, source = "Hugging Face", url = "https://…" },
//!   { date = 2026-09-01, value = 13_000_000, source = "Hugging Face" },
//! ]
//! ```
//!
//! or states one value at its top level (`value`, `source`, `url`), which must then name
//! its `edition` or `date` too: a value that belongs to no edition would be shown by
//! every edition, past and future. `normalise` reads that form into the list before
//! serde types the metric, and `check` checks the list. Which edition a dated value
//! belongs to is decided at build time, when the editions are known (`metrics::sourced`).

use std::collections::BTreeSet;

use toml::Value;

use super::Stated;
use crate::suggest::did_you_mean;

/// The keys of one value.
const KEYS: [&str; 5] = ["edition", "date", "value", "source", "url"];

/// What to write for a value that names neither an edition nor a date.
const BELONGS: &str = "a sourced value must say which edition it belongs to: add \
     `edition = \"EDITION\"` (the edition that quotes it) or `date = YYYY-MM-DD` (the day \
     the source gives it for); without one it would be shown by every edition, past and \
     future. Give one value per edition as `values = [{ edition = \"…\", value = …, \
     source = \"…\" }, …]`";

/// `rest` (a figure's keys but `label`, `format` and `of`) with, when it is a sourced
/// figure, a value stated at the top level moved into `values`, and TOML dates read as
/// text. An error is `(key, message)`, the key of the figure it is about.
pub(super) fn normalise(rest: &mut toml::Table) -> Result<(), (String, String)> {
    if rest.get("metric").and_then(Value::as_str) != Some("sourced") {
        return Ok(());
    }
    let known = || KEYS.iter().copied().chain(["metric", "values"]);
    if let Some(key) = rest.keys().find(|k| !known().any(|n| n == k.as_str())) {
        let message = format!("unknown key `{key}`{}", did_you_mean(key, known()));
        return Err((key.clone(), message));
    }
    let single: toml::Table = (KEYS.iter())
        .filter_map(|key| Some((key.to_string(), rest.remove(*key)?)))
        .collect();
    match (rest.contains_key("values"), single.keys().next()) {
        (true, Some(key)) => {
            let message =
                format!("`{key}` and `values` cannot both be given: list every value in `values`");
            return Err((key.clone(), message));
        }
        (false, Some(_)) => {
            rest.insert("values".into(), Value::Array(vec![Value::Table(single)]));
        }
        (false, None) => {
            let message = "a sourced figure needs a value: `values = [{ edition = \"…\", \
                           value = …, source = \"…\" }]`";
            return Err(("metric".into(), message.into()));
        }
        (true, None) => {}
    }
    if let Some(Value::Array(values)) = rest.get_mut("values") {
        for date in values.iter_mut().filter_map(|v| v.get_mut("date")) {
            if let Value::Datetime(written) = date {
                *date = Value::String(written.to_string());
            }
        }
    }
    Ok(())
}

/// What is wrong with a sourced figure's `values`, if anything.
pub(super) fn check(values: &[Stated]) -> Result<(), String> {
    if values.is_empty() {
        return Err("`values` is empty: give the value of at least one edition".into());
    }
    let mut editions = BTreeSet::new();
    let mut dates = BTreeSet::new();
    for stated in values {
        if !stated.value.is_finite() {
            return Err("value must be a number".into());
        }
        if let Some(url) = &stated.url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(format!(
                    "url `{url}` is not an http(s) address; give the page that states the value"
                ));
            }
        }
        match (&stated.edition, &stated.date) {
            (Some(_), Some(_)) => {
                return Err(
                    "a value belongs to an edition or to a date, not both: keep \
                            `edition` or `date`"
                        .into(),
                )
            }
            (None, None) => return Err(BELONGS.into()),
            (Some(edition), None) if !editions.insert(edition) => {
                return Err(format!("two values for edition `{edition}`: keep one"))
            }
            (None, Some(date)) if !dates.insert(date) => {
                return Err(format!("two values dated {date}: keep one"))
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalised(text: &str) -> Result<toml::Table, (String, String)> {
        let mut table: toml::Table = toml::from_str(text).unwrap();
        normalise(&mut table).map(|()| table)
    }

    #[test]
    fn one_value_at_the_top_level_becomes_a_list() {
        let table =
            normalised("metric = \"sourced\"\nvalue = 3\nsource = \"S\"\ndate = 2026-03-01\n")
                .unwrap();
        let expected: toml::Table = toml::from_str(
            "metric = \"sourced\"\nvalues = [{ value = 3, source = \"S\", date = \"2026-03-01\" }]",
        )
        .unwrap();
        assert_eq!(table, expected);
        let list =
            "metric = \"sourced\"\nvalues = [{ edition = \"e\", value = 1, source = \"S\" }]";
        assert_eq!(normalised(list).unwrap(), toml::from_str(list).unwrap());
        let other = "metric = \"count\"\nvalue = 3\n";
        assert_eq!(normalised(other).unwrap(), toml::from_str(other).unwrap());
    }

    #[test]
    fn mixed_forms_unknown_keys_and_no_value_are_errors_at_their_key() {
        let both = "metric = \"sourced\"\nvalue = 3\nvalues = []\n";
        let (key, message) = normalised(both).unwrap_err();
        assert_eq!(key, "value");
        assert!(message.contains("cannot both be given"), "{message}");
        let (key, message) = normalised("metric = \"sourced\"\nsorce = \"S\"\n").unwrap_err();
        assert_eq!(
            (key.as_str(), message.as_str()),
            ("sorce", "unknown key `sorce` (did you mean `source`?)")
        );
        let (key, message) = normalised("metric = \"sourced\"\n").unwrap_err();
        assert_eq!(key, "metric");
        assert!(message.contains("needs a value"), "{message}");
    }

    fn stated(edition: Option<&str>, date: Option<&str>) -> Stated {
        Stated {
            edition: edition.map(str::to_owned),
            date: date.map(|d| d.parse().unwrap()),
            value: 1.0,
            source: "S".into(),
            url: None,
        }
    }

    #[test]
    fn each_value_belongs_to_one_edition_or_date() {
        assert!(check(&[stated(Some("a"), None), stated(None, Some("2026-01-01"))]).is_ok());
        let none = check(&[stated(None, None)]).unwrap_err();
        assert!(none.contains("add `edition = \"EDITION\"`"), "{none}");
        assert!(none.contains("past and future"), "{none}");
        let both = check(&[stated(Some("a"), Some("2026-01-01"))]).unwrap_err();
        assert!(both.contains("not both"), "{both}");
        let twice = check(&[stated(Some("a"), None), stated(Some("a"), None)]).unwrap_err();
        assert_eq!(twice, "two values for edition `a`: keep one");
        let dated = [
            stated(None, Some("2026-01-01")),
            stated(None, Some("2026-01-01")),
        ];
        assert_eq!(
            check(&dated).unwrap_err(),
            "two values dated 2026-01-01: keep one"
        );
        assert!(check(&[]).unwrap_err().contains("is empty"));
        let mut bad = stated(Some("a"), None);
        bad.url = Some("javascript:alert(1)".into());
        assert!(check(&[bad])
            .unwrap_err()
            .contains("not an http(s) address"));
        let mut nan = stated(Some("a"), None);
        nan.value = f64::NAN;
        assert_eq!(check(&[nan]).unwrap_err(), "value must be a number");
    }
}
