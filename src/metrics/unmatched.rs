//! Values a figure asks for that no row has: the `value` of a `share_of`, or a value in
//! a filter's `is`, for keys whose values come from the data (authors, tags, libraries,
//! licenses, base models, countries). Such a value reads as a silent 0% or an empty
//! chart; the site step reports it, as an error when no edition has it and a warning
//! naming the editions that lack it otherwise. Closed keys (derivative, author.kind)
//! are checked against their fixed values when the config is loaded.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::group::{group, same};
use super::rows::Rows;
use crate::config::{FigureDef, Key, Metric};
use crate::suggest;

/// How many of the most frequent values an `Unmatched` lists.
const COMMON: usize = 8;

/// A value of `key` that figure `figure` asks for and no row of a snapshot has.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Unmatched {
    pub figure: String,
    pub key: Key,
    pub value: String,
    /// The value of the snapshot nearest to `value`, when one is close.
    pub nearest: Option<String>,
    /// The snapshot's most frequent values of `key` (by rows), most frequent first.
    pub common: Vec<String>,
}

/// Every value in `defs`' `share_of` values and filters that no row of `rows` has,
/// among the figures that count the kind of repository `rows` are.
pub fn unmatched(defs: &BTreeMap<String, FigureDef>, rows: &Rows) -> Vec<Unmatched> {
    let mut by_key: BTreeMap<Key, Vec<(u64, &str)>> = BTreeMap::new();
    let mut found = Vec::new();
    for (name, def) in defs.iter().filter(|(_, def)| def.of == rows.repos.kind) {
        for (key, value) in asked(&def.metric) {
            if matches!(key, Key::Derivative | Key::AuthorKind) {
                continue;
            }
            let counts = by_key.entry(key).or_insert_with(|| counts(rows, key));
            if counts.iter().any(|&(_, v)| same(key, value, v)) {
                continue;
            }
            found.push(Unmatched {
                figure: name.clone(),
                key,
                value: value.to_owned(),
                nearest: suggest::nearest(value, counts.iter().map(|(_, v)| *v)).map(str::to_owned),
                common: counts
                    .iter()
                    .take(COMMON)
                    .map(|(_, v)| (*v).to_owned())
                    .collect(),
            });
        }
    }
    found
}

/// The (key, value) pairs a metric matches rows against.
fn asked(metric: &Metric) -> Vec<(Key, &str)> {
    let (share_of, filter) = match metric {
        Metric::ShareOf {
            key, value, filter, ..
        } => (Some((*key, value.as_str())), filter),
        Metric::Count { filter }
        | Metric::Sum { filter, .. }
        | Metric::Quantile { filter, .. }
        | Metric::ShareBelow { filter, .. }
        | Metric::ShareBy { filter, .. }
        | Metric::CountByMonth { filter, .. } => (None, filter),
        _ => (None, &None),
    };
    let filtered = filter
        .iter()
        .flat_map(|f| f.is.iter().map(|v| (f.key, v.as_str())));
    share_of.into_iter().chain(filtered).collect()
}

/// The values of `key` with their row counts, most frequent first (ties by value).
fn counts<'a>(rows: &Rows<'a>, key: Key) -> Vec<(u64, &'a str)> {
    let groups = group(rows, key);
    let mut counts = vec![0u64; groups.values.len()];
    for &g in &groups.of_row {
        counts[g as usize] += 1;
    }
    let mut counted: Vec<(u64, &str)> = counts
        .into_iter()
        .zip(groups.values)
        .filter(|&(n, _)| n > 0)
        .collect();
    counted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    counted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixture::{figure_defs, registry, sample};

    #[test]
    fn finds_values_no_row_has_with_the_nearest_and_common_ones() {
        let (m, r) = (sample(), registry());
        let rows = Rows::new(&m, &r);
        let defs = figure_defs(
            "[figures.cn]\nlabel = \"c\"\nmetric = \"share_of\"\nkey = \"author.country\"\n\
             value = \"CN\"\nweight = \"count\"\n\
             [figures.lib]\nlabel = \"l\"\nmetric = \"count\"\n\
             filter = { key = \"author.country\", is = [\"US\", \"DE\"] }\n\
             [figures.gov]\nlabel = \"g\"\nmetric = \"count\"\n\
             filter = { key = \"author.kind\", is = [\"government\"] }\n",
        );
        let found = unmatched(&defs, &rows);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].figure.as_str(), found[0].value.as_str()),
            ("lib", "DE")
        );
        assert_eq!(found[0].common[0], "CN");
        assert!(found[0].common.contains(&"FR".to_owned()));
    }
}
