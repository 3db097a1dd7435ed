//! Grouping model rows by a categorical key, and row filters. The shares built on
//! groups are in `share`.
//!
//! Every key has a raw value per row: the author id, the author's ISO country code from
//! the registry (`registry::UNATTRIBUTED` for authors it does not know,
//! `UNKNOWN_COUNTRY` for an organisation without a country), the author's kind from its
//! account type and the registry (`authors::kind`), the pipeline tag, library,
//! license or base model (`NONE` when absent), or the derivative kind. Filters and
//! `share_of` match raw values; series labels show them, except that country codes are
//! shown as English names and kinds and placeholders in words ("Unattributed").
//! `library_name`, typed by uploaders, is grouped regardless of case; a merge is in the
//! group of each of its parents by base model (`Groups::extra`).

use std::collections::HashMap;

use super::country_name;
use super::rows::{Rows, NO_ORG};
use crate::config::{Filter, Key};
use crate::registry::{Org, UNATTRIBUTED};
use crate::snapshot::{Derivative, Repos, Sym};

/// The raw value for an absent tag, library, license or base model.
pub const NONE: &str = "none";
/// The country of a registry organisation that has none.
pub const UNKNOWN_COUNTRY: &str = "unknown";
/// The label of the group that holds everything after the `top` largest (see `share`).
pub const OTHER: &str = "Other";

/// Rows grouped by one key.
#[derive(Debug, Clone, PartialEq)]
pub struct Groups<'a> {
    /// Per row: its group, an index into `values`.
    pub of_row: Vec<u32>,
    /// Per group: the raw key value ("CN", "independent", "text-generation", "none").
    pub values: Vec<&'a str>,
    /// Further groups a row is in, as (row, group): a merge's other parents, by base
    /// model. A share by such a key is a share of links (a model with three parents
    /// counts once for each), not of models.
    pub extra: Vec<(u32, u32)>,
}

/// Groups `rows` by `key`.
pub fn group<'a>(rows: &Rows<'a>, key: Key) -> Groups<'a> {
    let models = rows.repos;
    match key {
        Key::Author => by_string(models, &models.author),
        Key::AuthorCountry => by_org(rows, |org| match org {
            None => UNATTRIBUTED,
            Some(org) => org.country.as_deref().unwrap_or(UNKNOWN_COUNTRY),
        }),
        Key::AuthorKind => by_kind(rows),
        Key::PipelineTag => by_string(models, &models.pipeline_tag),
        Key::LibraryName => fold_case(by_string(models, &models.library_name)),
        Key::License => by_string(models, &models.license),
        Key::BaseModel => with_more(
            by_string(models, &models.base_model),
            models,
            &models.more_bases,
        ),
        Key::TaskCategory => by_string(models, &models.task_category),
        Key::SizeCategory => by_string(models, &models.size_category),
        Key::Language => with_more(
            by_string(models, &models.language),
            models,
            &models.more_languages,
        ),
        Key::Sdk => by_string(models, &models.sdk),
        Key::Derivative => Groups {
            of_row: models.derivative.iter().map(|&d| d as u32).collect(),
            values: Derivative::ALL.iter().map(|d| d.as_str()).collect(),
            extra: Vec::new(),
        },
    }
}

/// `groups` with the further values of rows that have several (a merge's other
/// parents, a dataset's other languages) as `extra` groups.
fn with_more<'a>(mut groups: Groups<'a>, repos: &'a Repos, more: &[(u32, Sym)]) -> Groups<'a> {
    let mut group_of: HashMap<&str, u32> = (groups.values.iter())
        .zip(0u32..)
        .map(|(&v, g)| (v, g))
        .collect();
    for &(row, sym) in more {
        let value = repos.strings.get(sym);
        let group = *group_of.entry(value).or_insert_with(|| {
            groups.values.push(value);
            groups.values.len() as u32 - 1
        });
        groups.extra.push((row, group));
    }
    groups
}

/// Merges groups whose values differ only in case (free text, such as `PyTorch` and
/// `pytorch`), each shown in its most common spelling (by rows; ties to the spelling
/// that sorts first).
fn fold_case(groups: Groups) -> Groups {
    let mut rows = vec![0u64; groups.values.len()];
    for &g in &groups.of_row {
        rows[g as usize] += 1;
    }
    let mut folded: HashMap<String, u32> = HashMap::new(); // lower-case value → new group
    let mut best: Vec<(u64, &str)> = Vec::new(); // per new group: its spelling
    let mut new_of_old = Vec::with_capacity(groups.values.len());
    for (old, &value) in groups.values.iter().enumerate() {
        let new = *folded.entry(value.to_lowercase()).or_insert_with(|| {
            best.push((0, value));
            best.len() as u32 - 1
        });
        let spelling = &mut best[new as usize];
        let candidate = (rows[old], value);
        if candidate.0 > spelling.0 || (candidate.0 == spelling.0 && candidate.1 < spelling.1) {
            *spelling = candidate;
        }
        new_of_old.push(new);
    }
    if best.len() == groups.values.len() {
        return groups;
    }
    Groups {
        of_row: groups
            .of_row
            .iter()
            .map(|&g| new_of_old[g as usize])
            .collect(),
        values: best.into_iter().map(|(_, v)| v).collect(),
        extra: Vec::new(),
    }
}

/// Groups rows by the string in `column` (`NONE` for an absent one): one group per
/// distinct symbol, found by symbol alone, without reading or hashing the strings.
fn by_string<'a>(models: &'a Repos, column: &[Sym]) -> Groups<'a> {
    // A column of another kind of repository (empty here): every row lacks the value.
    // The config does not let a figure ask for one.
    let none;
    let column = if column.len() == models.len() {
        column
    } else {
        none = vec![Sym::NONE; models.len()];
        &none
    };
    let mut group_of_sym = vec![u32::MAX; models.strings.len()];
    let mut values = Vec::new();
    let mut none_group = None;
    let of_row = column
        .iter()
        .map(|&sym| {
            let slot = &mut group_of_sym[sym.0 as usize];
            if *slot == u32::MAX {
                let value = models.strings.get(sym);
                // An absent value and a literal "none" are one group.
                let is_none = sym.is_none() || value == NONE;
                *slot = match none_group {
                    Some(group) if is_none => group,
                    _ => {
                        values.push(if is_none { NONE } else { value });
                        let group = (values.len() - 1) as u32;
                        if is_none {
                            none_group = Some(group);
                        }
                        group
                    }
                };
            }
            *slot
        })
        .collect();
    Groups {
        of_row,
        values,
        extra: Vec::new(),
    }
}

/// Groups rows by a property of the author's registry entry (`None` when the registry
/// does not know the author), worked out once per organisation.
fn by_org<'a>(rows: &Rows<'a>, value_of: impl Fn(Option<&'a Org>) -> &'a str) -> Groups<'a> {
    // Slot `orgs.len()` stands for "not in the registry".
    let mut group_of_org = vec![u32::MAX; rows.orgs.len() + 1];
    let mut values: Vec<&'a str> = Vec::new();
    let of_row = rows
        .org_index()
        .iter()
        .map(|&org| {
            let org = if org == NO_ORG {
                rows.orgs.len()
            } else {
                org as usize
            };
            if group_of_org[org] == u32::MAX {
                let value = value_of(rows.orgs.get(org).copied());
                let group = match values.iter().position(|&v| v == value) {
                    Some(group) => group,
                    None => {
                        values.push(value);
                        values.len() - 1
                    }
                };
                group_of_org[org] = group as u32;
            }
            group_of_org[org]
        })
        .collect();
    Groups {
        of_row,
        values,
        extra: Vec::new(),
    }
}

/// Groups rows by their author's kind (`authors::kind`), worked out once per
/// organisation and account type.
fn by_kind<'a>(rows: &Rows<'a>) -> Groups<'a> {
    let mut group_of = vec![[u32::MAX; 3]; rows.orgs.len() + 1];
    let mut values: Vec<&'a str> = Vec::new();
    let of_row = (rows.org_index().iter().zip(rows.account()))
        .map(|(&org, &account)| {
            let org = if org == NO_ORG {
                rows.orgs.len()
            } else {
                org as usize
            };
            let slot = &mut group_of[org][account as usize];
            if *slot == u32::MAX {
                let value = crate::authors::kind(account, rows.orgs.get(org).copied());
                *slot = match values.iter().position(|&v| v == value) {
                    Some(group) => group as u32,
                    None => {
                        values.push(value);
                        (values.len() - 1) as u32
                    }
                };
            }
            *slot
        })
        .collect();
    Groups {
        of_row,
        values,
        extra: Vec::new(),
    }
}

/// How a raw value of `key` reads in a series label or a definition.
pub fn display(key: Key, value: &str) -> &str {
    match (key, value) {
        (_, UNATTRIBUTED) => "Unattributed",
        (Key::AuthorCountry, UNKNOWN_COUNTRY) => "Country not known",
        (Key::AuthorCountry, code) => country_name(code),
        (Key::AuthorKind, kind) => match kind {
            "company" => "Company",
            "academic" => "Academic",
            "nonprofit" => "Non-profit",
            "government" => "Government",
            "independent" => "User accounts",
            crate::authors::ORGANIZATION => "Other organisations",
            crate::authors::UNKNOWN => "Account type not known",
            other => other,
        },
        (Key::Derivative, kind) => match kind {
            "original" => "Original",
            "finetune" => "Fine-tune",
            "adapter" => "Adapter",
            "quantized" => "Quantization",
            "merge" => "Merge",
            other => other,
        },
        (Key::Author, NONE) => "No author recorded",
        (_, NONE) => "None declared",
        (Key::Language, code) => language_name(code),
        (Key::Sdk, sdk) => match sdk {
            "gradio" => "Gradio",
            "streamlit" => "Streamlit",
            "docker" => "Docker",
            "static" => "Static",
            other => other,
        },
        (_, other) => other,
    }
}

/// The English name of a dataset's `language:` code (ISO 639-1, as the Hub's tags
/// give it) for the most common languages; any other code as it is.
fn language_name(code: &str) -> &str {
    const NAMES: &[(&str, &str)] = &[
        ("ar", "Arabic"),
        ("bn", "Bengali"),
        ("ca", "Catalan"),
        ("cs", "Czech"),
        ("da", "Danish"),
        ("de", "German"),
        ("el", "Greek"),
        ("en", "English"),
        ("es", "Spanish"),
        ("fa", "Persian"),
        ("fi", "Finnish"),
        ("fr", "French"),
        ("he", "Hebrew"),
        ("hi", "Hindi"),
        ("hu", "Hungarian"),
        ("id", "Indonesian"),
        ("it", "Italian"),
        ("ja", "Japanese"),
        ("ko", "Korean"),
        ("nl", "Dutch"),
        ("no", "Norwegian"),
        ("pl", "Polish"),
        ("pt", "Portuguese"),
        ("ro", "Romanian"),
        ("ru", "Russian"),
        ("sv", "Swedish"),
        ("sw", "Swahili"),
        ("ta", "Tamil"),
        ("th", "Thai"),
        ("tr", "Turkish"),
        ("uk", "Ukrainian"),
        ("ur", "Urdu"),
        ("vi", "Vietnamese"),
        ("zh", "Chinese"),
    ];
    NAMES
        .binary_search_by(|(c, _)| (*c).cmp(code))
        .map_or(code, |i| NAMES[i].1)
}

/// True when `asked` (from the config) names the raw value `value` of `key`: exactly,
/// or regardless of case for free text (`library_name`).
pub fn same(key: Key, asked: &str, value: &str) -> bool {
    match key {
        Key::LibraryName => asked == value || asked.to_lowercase() == value.to_lowercase(),
        _ => asked == value,
    }
}

/// Which rows `filter` keeps (all of them without a filter). A row in several groups
/// (a merge, by base model) matches when any of them does. Free-text keys
/// (`library_name`) match regardless of case.
pub fn keep(rows: &Rows, filter: Option<&Filter>) -> Vec<bool> {
    let Some(filter) = filter else {
        return vec![true; rows.len()];
    };
    let groups = group(rows, filter.key);
    let matches: Vec<bool> = groups
        .values
        .iter()
        .map(|value| filter.is.iter().any(|v| same(filter.key, v, value)))
        .collect();
    let mut any: Vec<bool> = groups.of_row.iter().map(|&g| matches[g as usize]).collect();
    for &(row, g) in &groups.extra {
        any[row as usize] |= matches[g as usize];
    }
    any.into_iter().map(|m| m != filter.not).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixture::{filter, registry, sample};

    #[test]
    fn languages_and_sdks_read_as_words() {
        assert_eq!(display(Key::Language, "zh"), "Chinese");
        assert_eq!(display(Key::Language, "en"), "English");
        // A code the table lacks stays as it is.
        assert_eq!(display(Key::Language, "tlh"), "tlh");
        assert_eq!(display(Key::Language, NONE), "None declared");
        assert_eq!(display(Key::Sdk, "docker"), "Docker");
    }

    #[test]
    fn groups_by_registry_country_with_sentinels() {
        let (m, r) = (sample(), registry());
        let rows = Rows::new(&m, &r);
        let groups = group(&rows, Key::AuthorCountry);
        let raw: Vec<&str> = groups
            .of_row
            .iter()
            .map(|&g| groups.values[g as usize])
            .collect();
        assert_eq!(raw, ["CN", "CN", "US", "unknown", "unattributed", "FR"]);
        let kinds = group(&rows, Key::AuthorKind);
        assert_eq!(
            kinds.values,
            ["company", "academic", "unknown", "independent"]
        );
        let bases = group(&rows, Key::BaseModel);
        assert_eq!(bases.values, ["none", "qwen/a", "meta/c"]);
    }

    #[test]
    fn filters_keep_rows_by_raw_value() {
        let (m, r) = (sample(), registry());
        let rows = Rows::new(&m, &r);
        let companies = filter(Key::AuthorKind, &["company"], false);
        assert_eq!(
            keep(&rows, Some(&companies)),
            [true, true, true, false, false, false]
        );
        let attributed = filter(Key::AuthorCountry, &["unattributed"], true);
        assert_eq!(
            keep(&rows, Some(&attributed)),
            [true, true, true, true, false, true]
        );
        let originals = filter(Key::Derivative, &["original"], false);
        assert_eq!(
            keep(&rows, Some(&originals)),
            [true, false, true, true, true, false]
        );
        assert_eq!(keep(&rows, None), [true; 6]);
    }

    #[test]
    fn a_filter_of_a_value_no_row_has_keeps_nothing() {
        let (m, r) = (sample(), registry());
        let rows = Rows::new(&m, &r);
        let government = filter(Key::AuthorKind, &["government"], false);
        assert_eq!(keep(&rows, Some(&government)), [false; 6]);
    }
}
