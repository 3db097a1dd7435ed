//! What the data step found wrong in the data itself, as located errors and
//! warnings: values a figure asks for that no snapshot has (`check_values`), and
//! snapshots that repeat ids or lack fields (`quality_warnings`), and figures a total
//! of 0 leaves undefined (`undefined_warnings`), snapshots taken after their edition's
//! date (`snapshot_dates`), and sourced values for editions the report does not have
//! (`sourced_editions`). The counts come from the data step (`EditionData`); this
//! module only words them.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{anyhow, bail, Result};

use super::data::EditionData;
use crate::config::{Config, Field, Metric};
use crate::content::Edition;
use crate::dates::Date;
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

/// An error for each sourced value that names an edition the report does not have
/// (`dates` holds every edition, drafts included), at its figure's line, with the
/// nearest edition's name.
pub fn sourced_editions(config: &Config, dates: &BTreeMap<String, Date>) -> Result<()> {
    let errors = (config.figures.iter()).flat_map(|(name, def)| {
        let values = match &def.metric {
            Metric::Sourced { values } => values.as_slice(),
            _ => &[],
        };
        (values.iter())
            .filter_map(|v| v.edition.as_deref())
            .filter(|edition| !dates.contains_key(*edition))
            .map(move |edition| {
                Err(anyhow!(
                    "{}:{}: figure `{name}`: a value names edition `{edition}`, which the \
                     report does not have (its editions are the folders of content/){}",
                    config.path.display(),
                    def.line,
                    crate::suggest::did_you_mean(edition, dates.keys())
                ))
            })
    });
    diagnostics::all(errors.collect::<Vec<Result<()>>>())?;
    Ok(())
}

/// One warning per edition whose snapshot (its manifest's date) was taken after the
/// edition's own date.
pub fn snapshot_dates(editions: &[Edition], data: &BTreeMap<String, EditionData>) -> Warnings {
    let mut warnings = Warnings::default();
    for edition in editions {
        let snapshot = &data[&edition.slug].snapshot;
        let Some(taken) = snapshot.date.as_deref().and_then(|d| d.parse().ok()) else {
            continue;
        };
        let front = &edition.index.front;
        let line = front.snapshot.as_ref().map_or(1, |s| s.line);
        let at = (edition.index.path.as_path(), line);
        if let Some(warning) = snapshot_after(at, &edition.slug, front.date, &snapshot.file, taken)
        {
            warnings.push(warning);
        }
    }
    warnings
}

/// The warning for edition `slug` dated `date` (its `index.md` and the line of its
/// `snapshot`, at `at`) whose snapshot `file` was taken on `taken`, if that is after it.
pub fn snapshot_after(
    at: (&Path, usize),
    slug: &str,
    date: Date,
    file: &str,
    taken: Date,
) -> Option<String> {
    (taken > date).then(|| {
        format!(
            "{}:{}: edition `{slug}` is dated {date}, but its snapshot `{file}` was taken on \
             {taken}, after it: an edition cannot show data from after its own date; set its \
             `date` to {taken} or later, or point `snapshot` at data from before {date}",
            at.0.display(),
            at.1
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_taken_after_its_edition_is_named_with_both_dates() {
        let date = |text: &str| text.parse::<Date>().unwrap();
        let at = (Path::new("content/2026-fall/index.md"), 5);
        let file = "snapshots/2026-10-01/models.parquet";
        let same = snapshot_after(
            at,
            "2026-fall",
            date("2026-10-01"),
            file,
            date("2026-10-01"),
        );
        assert_eq!(same, None);
        let message = snapshot_after(
            at,
            "2026-fall",
            date("2026-09-20"),
            file,
            date("2026-10-01"),
        )
        .unwrap();
        assert_eq!(
            message,
            "content/2026-fall/index.md:5: edition `2026-fall` is dated 2026-09-20, but its \
             snapshot `snapshots/2026-10-01/models.parquet` was taken on 2026-10-01, after it: \
             an edition cannot show data from after its own date; set its `date` to 2026-10-01 \
             or later, or point `snapshot` at data from before 2026-09-20"
        );
    }
}
