//! What the data step found wrong in the data itself, as located errors and
//! warnings: values a figure asks for that no snapshot has (`check_values`), and
//! snapshots that repeat ids or lack fields (`quality_warnings`), and figures a total
//! of 0 leaves undefined (`undefined_warnings`). The counts come from
//! the data step (`EditionData`); this module only words them.

use std::collections::BTreeMap;

use anyhow::{bail, Result};

use super::data::EditionData;
use crate::config::{Config, Field};
use crate::content::Edition;
use crate::diagnostics::{self, Warnings};
use crate::figures::Value;
use crate::metrics::Unmatched;
use crate::snapshot;

/// Values a figure asks for that some snapshot lacks: an error when no edition's
/// snapshot has the value (a typo, or a value that does not exist), a warning naming
/// the editions that lack it otherwise (a tag can be new). Each says which values exist.
pub fn check_values(
    config: &Config,
    editions: &[Edition],
    data: &BTreeMap<String, EditionData>,
) -> Result<Warnings> {
    let mut lacking: BTreeMap<(&str, &str, &str), (Vec<&str>, &Unmatched)> = BTreeMap::new();
    for edition in editions.iter().rev() {
        for u in &data[&edition.slug].unmatched {
            let key = (u.figure.as_str(), u.key.name(), u.value.as_str());
            lacking
                .entry(key)
                .or_insert((Vec::new(), u))
                .0
                .push(&edition.slug);
        }
    }
    let mut warnings = Warnings::default();
    let errors = lacking.into_values().map(|(slugs, u)| {
        let line = config.figures.get(&u.figure).map_or(1, |def| def.line);
        let head = format!(
            "{}:{line}: figure `{}`: `{}` = \"{}\" matches no model",
            config.path.display(),
            u.figure,
            u.key.name(),
            u.value
        );
        let hint = match &u.nearest {
            Some(nearest) => format!(" (did you mean `{nearest}`?)"),
            None => String::new(),
        };
        if slugs.len() < editions.len() {
            let editions = slugs.join(", ");
            warnings.push(format!(
                "{head} in the snapshot of edition {editions}{hint}"
            ));
            return Ok(());
        }
        let common = u
            .common
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>();
        bail!(
            "{head} in any edition's snapshot{hint}; its most common values are {}",
            common.join(", ")
        )
    });
    diagnostics::all(errors.collect::<Vec<_>>())?;
    Ok(warnings)
}

/// One warning per edition whose snapshot repeats ids or lacks fields, naming the
/// snapshot file and the counts, so that no gap in the data goes unsaid: always for
/// `author`, `createdAt` and `downloads`, and for `downloadsAllTime` and `likes` when a
/// figure reads them (a listing fetched without them is not at fault otherwise).
/// Placeholder dates are normal for the real Hub and are said in the figures'
/// definitions instead.
pub fn quality_warnings(
    config: &Config,
    editions: &[Edition],
    data: &BTreeMap<String, EditionData>,
) -> Warnings {
    let reads =
        |field: Field| (config.figures.values()).any(|def| def.metric.field() == Some(field));
    let reported = |name: &str| match name {
        "downloadsAllTime" => reads(Field::DownloadsAllTime),
        "likes" => reads(Field::Likes),
        _ => true,
    };
    let mut warnings = Warnings::default();
    for edition in editions {
        for table in &data[&edition.slug].snapshot.tables {
            let parts = quality_parts(&table.quality, reported);
            if parts.is_empty() {
                continue;
            }
            warnings.push(format!(
                "{}: snapshot of edition {} ({} entries): {}; figures leave such rows out \
                 (see each figure's definition)",
                table.file,
                edition.slug,
                table.quality.entries,
                parts.join(", ")
            ));
        }
    }
    warnings
}

/// What a data-quality warning says about one file: repeated ids, and the fields some
/// rows lack, of those `reported` says the figures read.
fn quality_parts(q: &snapshot::Quality, reported: impl Fn(&str) -> bool) -> Vec<String> {
    let mut parts = Vec::new();
    if q.duplicates > 0 {
        // Ids from the data reach a terminal: no control characters, none 10 kB long.
        let ids: Vec<String> = (q.duplicate_ids.iter())
            .map(|id| format!("`{}`", crate::format::text(&crate::escape::line(id))))
            .collect();
        parts.push(format!(
            "{} repeated {} dropped, the first entry of each kept (e.g. {})",
            q.duplicates,
            if q.duplicates == 1 {
                "entry"
            } else {
                "entries"
            },
            ids.join(", ")
        ));
    }
    for (field, rows) in q.missing() {
        if reported(field) {
            parts.push(format!("{rows} without `{field}`"));
        }
    }
    parts
}

/// One warning per figure that is undefined in an edition: a share or ratio whose
/// total is 0 (a snapshot whose downloads are all 0, say). Pages show it as "n/a",
/// `figures.json` as `null`; the warning names the figure, so that no one reads the
/// gap as a measured 0.
pub fn undefined_warnings(
    config: &Config,
    editions: &[Edition],
    data: &BTreeMap<String, EditionData>,
) -> Warnings {
    let mut warnings = Warnings::default();
    for edition in editions {
        for (name, figure) in &data[&edition.slug].figures {
            let Value::Number(x) = figure.value else {
                continue;
            };
            if x.is_finite() {
                continue;
            }
            let line = config.figures.get(name).map_or(1, |def| def.line);
            warnings.push(format!(
                "{}:{line}: figure `{name}` is undefined for edition {}: it divides by a \
                 total that is 0 in the edition's snapshot (are all its downloads 0?); \
                 pages show it as \"n/a\"",
                config.path.display(),
                edition.slug
            ));
        }
    }
    warnings
}
