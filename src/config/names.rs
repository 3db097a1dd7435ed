//! The names the config reads for each variant of its enums, taken from their serde
//! derives: the derive is the one list of names, and messages, suggestions and
//! `fig(format=…)` read it from there rather than keep a copy that could drift.
//!
//! serde hands the list of expected names to `Error::unknown_variant` when it meets a
//! name it does not know; `variants` and `tags` ask it to read an impossible name and
//! keep that list.

use std::fmt;

use serde::de::value::{MapDeserializer, StrDeserializer};
use serde::de::{self, DeserializeOwned};

/// A name no variant has.
const NO_NAME: &str = "\u{0}";

/// The error of a probe: the names serde expected, when it said.
#[derive(Debug)]
struct Expected(Option<&'static [&'static str]>);

impl de::Error for Expected {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Expected(None)
    }

    fn unknown_variant(_: &str, expected: &'static [&'static str]) -> Self {
        Expected(Some(expected))
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "expected one of {:?}", self.0.unwrap_or_default())
    }
}

impl std::error::Error for Expected {}

/// The names of the variants of the unit-only enum `T`, in declaration order (so
/// `variants::<T>()[value as usize]` is the name of `value`).
pub fn variants<T: DeserializeOwned>() -> &'static [&'static str] {
    let probe = StrDeserializer::<Expected>::new(NO_NAME);
    expected(T::deserialize(probe).err())
}

/// The names of the variants of `T`, an enum tagged by the field `tag`.
pub fn tags<T: DeserializeOwned>(tag: &'static str) -> &'static [&'static str] {
    let probe = MapDeserializer::<_, Expected>::new(std::iter::once((tag, NO_NAME)));
    expected(T::deserialize(probe).err())
}

fn expected(err: Option<Expected>) -> &'static [&'static str] {
    match err {
        Some(Expected(Some(names))) => names,
        _ => &[],
    }
}

/// The variant of the unit-only enum `T` named `name`.
pub fn parse<T: DeserializeOwned>(name: &str) -> Option<T> {
    T::deserialize(StrDeserializer::<de::value::Error>::new(name)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ChartKind, Field, Format, Key, Metric, Weight};

    #[test]
    fn reads_names_from_the_derives() {
        assert_eq!(
            variants::<Format>(),
            ["thousands", "compact", "percent", "change", "decimal"]
        );
        assert_eq!(variants::<Key>()[1], "author.country");
        assert_eq!(variants::<ChartKind>()[1], "grouped-bar");
        assert_eq!(
            variants::<Field>(),
            ["downloads", "downloads_all_time", "likes"]
        );
        assert_eq!(variants::<Weight>()[0], "count");
        let metrics = tags::<Metric>("metric");
        assert_eq!((metrics[0], metrics.len()), ("count", 15));
        assert!(metrics.contains(&"count_by_month"));
    }

    #[test]
    fn names_and_variants_round_trip() {
        for &name in variants::<Format>() {
            assert_eq!(parse::<Format>(name).unwrap().name(), name);
        }
        for &name in variants::<Key>() {
            assert_eq!(parse::<Key>(name).unwrap().name(), name);
        }
        for &name in variants::<ChartKind>() {
            assert_eq!(parse::<ChartKind>(name).unwrap().name(), name);
        }
        assert_eq!(parse::<Format>("percnt"), None);
    }
}
