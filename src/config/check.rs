//! Checks of typed definitions that need no data: plain names, ranges, the values a
//! closed key can take, the figures growth figures and charts name, and whether a
//! chart kind can draw its figure. `load` runs them once and places their errors.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::load::Source;
use super::{names, ChartDef, ChartKind, FigureDef, Filter, Key, Metric};
use crate::metrics::group::UNKNOWN_COUNTRY;
use crate::registry::{OrgKind, UNATTRIBUTED};
use crate::snapshot::Derivative;
use crate::suggest::did_you_mean;

use super::RawTable;

/// Figure and chart names become file names and element ids, so they are kept plain.
pub(super) fn name(name: &str) -> Result<(), String> {
    let plain = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if plain {
        Ok(())
    } else {
        Err(format!(
            "`{name}` cannot be a figure or chart name: use letters, digits, `_` and `-` only"
        ))
    }
}

/// The span of `key`'s value in `table`.
pub(super) fn span_of(table: &RawTable, key: &str) -> Option<Range<usize>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v.span())
}

/// The ranges and values of one figure; an error names the key it is about, by the
/// span of its value in `table`.
pub(super) fn figure(
    def: &FigureDef,
    table: &RawTable,
) -> Result<(), (Option<Range<usize>>, String)> {
    let at = |key: &str, message: String| (span_of(table, key), message);
    of_kind(def).map_err(|(key, m)| at(key, m))?;
    let filter = match &def.metric {
        Metric::Count { filter }
        | Metric::Sum { filter, .. }
        | Metric::ShareBy { filter, .. }
        | Metric::CountByMonth { filter, .. } => filter,
        Metric::Quantile { q, filter, .. } => {
            if !(0.0..=1.0).contains(q) {
                return Err(at("q", format!("q must be between 0 and 1, not {q}")));
            }
            filter
        }
        Metric::ShareBelow {
            threshold, filter, ..
        } => {
            if !threshold.is_finite() {
                return Err(at("threshold", "threshold must be a number".into()));
            }
            filter
        }
        Metric::ShareOf {
            key, value, filter, ..
        } => {
            check_value(*key, value).map_err(|m| at("value", m))?;
            filter
        }
        Metric::TopShare { n, .. } | Metric::Top { n, .. } if *n == 0 => {
            return Err(at("n", "n must be at least 1".into()))
        }
        Metric::Lorenz { points: 0, .. } => {
            return Err(at("points", "a Lorenz curve needs at least 1 point".into()))
        }
        Metric::Sourced { values } => {
            let key = if span_of(table, "values").is_some() {
                "values"
            } else {
                "value"
            };
            super::sourced::check(values).map_err(|m| at(key, m))?;
            &None
        }
        _ => &None,
    };
    check_filter(filter.as_ref()).map_err(|m| at("filter", m))
}

/// Whether every key and field the figure reads is one its kind of repository has
/// (spaces have no downloads, only datasets languages). An error names the key of the
/// definition it is about.
fn of_kind(def: &FigureDef) -> Result<(), (&'static str, String)> {
    let kind = def.of;
    if let Some(field) = def.metric.field() {
        if !kind.has_field(field) {
            let at = match def.metric {
                Metric::Top { .. } => "by",
                Metric::Hhi { .. } | Metric::ShareBy { .. } | Metric::ShareOf { .. } => "weight",
                _ => "field",
            };
            return Err((at, format!("{kind} have no `{}`", field.name())));
        }
    }
    let keys = (def.metric.key().map(|key| (key, "key")).into_iter())
        .chain(def.metric.filter().map(|f| (f.key, "filter")));
    for (key, at) in keys {
        if !key.kinds().contains(&kind) {
            let kinds: Vec<&str> = key.kinds().iter().map(|k| k.name()).collect();
            return Err((
                at,
                format!(
                    "{kind} have no key `{}` (only {} do); set `of` to the kind the figure counts",
                    key.name(),
                    kinds.join(" and ")
                ),
            ));
        }
    }
    Ok(())
}

fn check_filter(filter: Option<&Filter>) -> Result<(), String> {
    let Some(filter) = filter else {
        return Ok(());
    };
    for value in &filter.is {
        check_value(filter.key, value).map_err(|m| format!("in the filter: {m}"))?;
    }
    Ok(())
}

/// Rejects values a closed key can never take (a country that is not an ISO code, an
/// unknown kind), so a typo in a filter or `share_of` is an error rather than a silent
/// 0. Open keys (author, tags, libraries) are checked against the data instead.
pub fn check_value(key: Key, value: &str) -> Result<(), String> {
    let placeholders = [UNATTRIBUTED, UNKNOWN_COUNTRY];
    let (valid, hint, expected) = match key {
        Key::AuthorCountry => (
            crate::countries::is_code(value) || placeholders.contains(&value),
            crate::countries::did_you_mean(value),
            "an ISO 3166-1 alpha-2 code such as `CN`, `unknown` or `unattributed`".to_owned(),
        ),
        Key::AuthorKind => {
            let mut kinds = names::variants::<OrgKind>().to_vec();
            kinds.extend([crate::authors::ORGANIZATION, crate::authors::UNKNOWN]);
            let valid = kinds.contains(&value);
            let hint = if value == UNATTRIBUTED {
                " (authors the registry does not list are `unattributed` in `author.country`; \
                 `author.kind` says `unknown` only when neither the Hub nor the registry knows)"
                    .to_owned()
            } else {
                did_you_mean(value, &kinds)
            };
            (valid, hint, kinds.join(", "))
        }
        Key::Derivative => {
            let kinds: Vec<&str> = Derivative::ALL.iter().map(|d| d.as_str()).collect();
            let valid = kinds.contains(&value);
            (valid, did_you_mean(value, &kinds), kinds.join(", "))
        }
        _ => return Ok(()),
    };
    if valid {
        return Ok(());
    }
    Err(format!(
        "`{value}` is not a value of key `{}`{hint}; expected {expected}",
        key.name()
    ))
}

/// Growth figures must name a figure that is one computed number.
pub(super) fn growth(
    src: &Source,
    figures: &BTreeMap<String, FigureDef>,
    declared: &BTreeSet<&str>,
) -> Vec<(usize, anyhow::Error)> {
    let mut errors = Vec::new();
    for (name, figure) in figures {
        let Metric::Growth { figure: of } = &figure.metric else {
            continue;
        };
        let message = match figures.get(of) {
            Some(base)
                if base.metric.is_scalar() && !matches!(base.metric, Metric::Growth { .. }) =>
            {
                continue
            }
            Some(_) => {
                format!("measures the growth of `{of}`, which is not a single computed number")
            }
            None if declared.contains(of.as_str()) => continue,
            None => format!(
                "measures the growth of unknown figure `{of}`{}",
                did_you_mean(of, declared.iter())
            ),
        };
        let line = figure.line;
        errors.push(src.error_at_line(line, format!("figure `{name}`: {message}")));
    }
    errors
}

/// Whether a chart of `def`'s kind can draw `figure`.
pub(super) fn drawable(def: &ChartDef, figure: &FigureDef) -> Result<(), String> {
    if def.kind.draws(&figure.metric) {
        return Ok(());
    }
    Err(format!(
        "a {} chart cannot draw figure `{}` (metric `{}`); {}",
        def.kind.name(),
        def.figure,
        figure.metric.name(),
        needs(def.kind)
    ))
}

fn needs(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Bar | ChartKind::GroupedBar => "bars draw `share_by` or `log_histogram` figures",
        ChartKind::Line | ChartKind::Area => "time series draw `count_by_month` figures",
        ChartKind::Histogram => "histograms draw `log_histogram` figures",
        ChartKind::Lorenz => "Lorenz curves draw `lorenz` figures",
    }
}
