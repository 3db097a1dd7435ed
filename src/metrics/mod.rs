//! Metrics: pure functions from a snapshot (and the organisation registry) to figures.
//!
//! `compute` evaluates every figure the report config declares for one edition, each
//! with its provenance (the definition in words from `describe`, the edition, the
//! snapshot's date and row count); `resolve_growth` then fills growth figures from an
//! earlier edition's figures, and `resolve_sourced` the values the config states for
//! the edition (`sourced`). The numbers come from `stats` (plain functions over a
//! column), `group` (keys and filters), `share` (shares of groups), `months` and `top`;
//! `rows` resolves authors against the registry once for all of them. Nothing here
//! reads files or formats numbers for people.
//!
//! What a figure does with a value the snapshot lacks (`snapshot::Flags`): a figure
//! over a field (sum, quantile, share below, top share, Gini, Lorenz, histogram, top
//! table) leaves out the rows without it, and a share weighted by it counts nothing
//! for them; either way its definition says how many rows that was. A monthly series
//! leaves out rows without `createdAt`, and rows with the Hub's placeholder date
//! (created before March 2022) are in no month, but in running totals from March 2022.

mod describe;
pub mod group;
mod months;
mod rows;
pub mod share;
mod sourced;
pub mod stats;
mod top;
mod unmatched;

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Context, Result};

use crate::config::{Field, FigureDef, Filter, Metric};
use crate::dates::{Date, Month};
use crate::figures::{Figure, Figures, Provenance, Value};
use crate::registry::Registry;
use crate::snapshot::{self, Flags, Repos, Snapshot};

pub use crate::countries::country_name;
pub use describe::{describe, describe_growth};
pub use months::count_by_month;
pub use rows::{tables, Rows};
pub use sourced::{resolve_sourced, stated, Season};
pub use top::top;
pub use unmatched::{unmatched, Unmatched};

/// Computes every figure in `defs` for one edition. Growth figures are left for
/// `resolve_growth`, which needs the earlier edition, and sourced figures for
/// `resolve_sourced`, which needs the dates of the editions.
pub fn compute(
    defs: &BTreeMap<String, FigureDef>,
    snapshot: &Snapshot,
    registry: &Registry,
    edition: &str,
) -> Result<Figures> {
    compute_over(defs, &tables(snapshot, registry), snapshot, edition)
}

/// `compute`, over a snapshot's `tables` already built (shared by the threads of one
/// edition).
pub fn compute_over(
    defs: &BTreeMap<String, FigureDef>,
    tables: &[Rows],
    snapshot: &Snapshot,
    edition: &str,
) -> Result<Figures> {
    let mut figures = Figures::new();
    for (name, def) in defs {
        let rows = || match tables.iter().find(|rows| rows.repos.kind == def.of) {
            Some(rows) => Ok(rows),
            None => Err(anyhow!(
                "figure `{name}` counts {kind}, but snapshot `{}` has no {kind}: its \
                 manifest lists no `{kind}.jsonl*` file beside it (fetch them with \
                 `stateof fetch --kinds {kind}`)",
                snapshot.path.display(),
                kind = def.of,
            )),
        };
        let figure = match &def.metric {
            // Filled in later: growth from the earlier edition, sourced values from the
            // editions' seasons (`resolve_growth`, `resolve_sourced`).
            Metric::Growth { .. } | Metric::Sourced { .. } => continue,
            _ => computed(def, rows()?, snapshot, edition)
                .with_context(|| format!("failed to compute figure `{name}`"))?,
        };
        figures.insert(name.clone(), figure);
    }
    Ok(figures)
}

/// One figure computed from the rows of its kind, with its provenance.
fn computed(def: &FigureDef, rows: &Rows, snapshot: &Snapshot, edition: &str) -> Result<Figure> {
    let repos = rows.repos;
    if let Some(field) = def.metric.field() {
        nobody_has(field, repos, snapshot.table(repos.kind))?;
    }
    let mut provenance = Provenance {
        definition: describe(&def.metric, def.of),
        edition: edition.to_owned(),
        snapshot_date: snapshot.manifest.as_ref().map(|m| m.date.clone()),
        rows: Some(repos.len() as u64),
        source: None,
        source_url: None,
        source_date: None,
        excluded: Vec::new(),
    };
    let (value, groups) = match &def.metric {
        Metric::ShareBy {
            key,
            weight,
            top,
            filter,
        } => {
            let shares = share::share_by(rows, *key, *weight, *top, filter.as_ref());
            (Value::Series(shares.top), shares.groups)
        }
        metric => (value(metric, rows)?, Vec::new()),
    };
    provenance.definition.push_str(&gaps(&def.metric, repos));
    let value = match &def.metric {
        Metric::CountByMonth {
            cumulative: false, ..
        } => match snapshot_month(snapshot)? {
            Some(month) => {
                provenance
                    .definition
                    .push_str("; the snapshot's own month is left out, since it was not over yet");
                before(value, month)
            }
            // Without a date, the newest repository stands for when the snapshot was taken.
            None => match repos.created_month.iter().max().filter(|&&m| m > 0) {
                Some(&last) => {
                    provenance.definition.push_str(
                        "; the newest month in the data is left out, since a snapshot \
                         without a date is taken to be from that month",
                    );
                    before(value, Month::from_index(last))
                }
                None => value,
            },
        },
        _ => value,
    };
    Ok(Figure {
        label: def.label.clone(),
        format: def.format(),
        value,
        provenance,
        groups,
    })
}

/// The month of the snapshot's manifest date, if it has a manifest.
fn snapshot_month(snapshot: &Snapshot) -> Result<Option<Month>> {
    let Some(manifest) = &snapshot.manifest else {
        return Ok(None);
    };
    let date: Date = manifest.date.parse().with_context(|| {
        format!(
            "the manifest of snapshot `{}` has a bad `date`",
            snapshot.path.display()
        )
    })?;
    Ok(Some(date.month()))
}

/// Drops the points of a monthly series from `month` on: a month the snapshot only saw
/// part of would read as a sudden drop.
fn before(value: Value, month: Month) -> Value {
    let month = month.to_string();
    match value {
        Value::Series(points) => {
            Value::Series(points.into_iter().filter(|p| p.label < month).collect())
        }
        other => other,
    }
}

/// Computes one snapshot metric (anything but growth and sourced figures).
fn value(metric: &Metric, rows: &Rows) -> Result<Value> {
    let repos = rows.repos;
    let number = Value::Number;
    Ok(match metric {
        Metric::Count { filter } => {
            let keep = group::keep(rows, filter.as_ref());
            number(keep.iter().filter(|&&k| k).count() as f64)
        }
        Metric::Sum { field, filter } => {
            let values = kept(rows, *field, filter.as_ref());
            number(stats::sum(&values) as f64)
        }
        Metric::Quantile { field, q, filter } => {
            let mut values = kept(rows, *field, filter.as_ref());
            match stats::quantile(&mut values, *q) {
                Some(x) => number(x),
                None => bail!("no {} to take a quantile of (check the filter)", repos.kind),
            }
        }
        Metric::ShareBelow {
            field,
            threshold,
            filter,
        } => {
            let values = kept(rows, *field, filter.as_ref());
            number(stats::share_below(&values, *threshold))
        }
        Metric::TopShare { field, n } => {
            number(stats::top_share(&mut kept(rows, *field, None), *n))
        }
        Metric::Gini { field } => number(stats::gini(&mut kept(rows, *field, None))),
        Metric::Hhi { key, weight } => number(share::hhi_by(rows, *key, *weight)),
        Metric::Lorenz { field, points } => {
            Value::Series(stats::lorenz(&mut kept(rows, *field, None), *points))
        }
        Metric::ShareOf {
            key,
            value,
            weight,
            filter,
        } => number(share::share_of(rows, *key, value, *weight, filter.as_ref())),
        Metric::CountByMonth {
            filter,
            since,
            cumulative,
        } => {
            let mut keep = group::keep(rows, filter.as_ref());
            if !*cumulative {
                // Created at some time before March 2022: in no month (see `gaps`).
                for (k, flags) in keep.iter_mut().zip(&repos.flags) {
                    *k &= !flags.has(Flags::PLACEHOLDER_DATE);
                }
            }
            Value::Series(count_by_month(
                &repos.created_month,
                &keep,
                *since,
                *cumulative,
            ))
        }
        Metric::LogHistogram { field } => {
            Value::Series(stats::log_histogram(&kept(rows, *field, None)))
        }
        Metric::Top { n, by } => Value::Table(top(repos, *n, *by)),
        Metric::ShareBy { .. } => bail!("shares by group are computed by `computed`"),
        Metric::Growth { .. } | Metric::Sourced { .. } => {
            bail!("growth and sourced figures are not computed from a snapshot")
        }
    })
}

/// The column of `field`.
fn column(models: &Repos, field: Field) -> &[u64] {
    match field {
        Field::Downloads => &models.downloads,
        Field::DownloadsAllTime => &models.downloads_all_time,
        Field::Likes => &models.likes,
    }
}

/// The flag of a row that lacks `field`.
pub fn lacks(field: Field) -> Flags {
    match field {
        Field::Downloads => Flags::NO_DOWNLOADS,
        Field::DownloadsAllTime => Flags::NO_DOWNLOADS_ALL_TIME,
        Field::Likes => Flags::NO_LIKES,
    }
}

/// The number of rows that lack `field`.
fn lacking(models: &Repos, field: Field) -> usize {
    let flag = lacks(field);
    models.flags.iter().filter(|f| f.has(flag)).count()
}

/// The values of `field` in the rows `filter` keeps, as a copy the caller owns. Rows
/// that lack the field are left out: a value the Hub did not give is not a 0 (it
/// would lower a median, raise a Gini, fill the histogram's 0 bin).
fn kept(rows: &Rows, field: Field, filter: Option<&Filter>) -> Vec<u64> {
    let models = rows.repos;
    let column = column(models, field);
    let flag = lacks(field);
    if filter.is_none() && lacking(models, field) == 0 {
        return column.to_vec();
    }
    let keep = group::keep(rows, filter);
    column
        .iter()
        .zip(&keep)
        .zip(&models.flags)
        .filter(|&((_, &k), f)| k && !f.has(flag))
        .map(|((&x, _), _)| x)
        .collect()
}

/// What a figure's definition adds about the rows it could not count: rows without
/// the field it reads, and rows without a real creation date in a monthly series.
/// Empty when every row has what the figure reads.
fn gaps(metric: &Metric, repos: &Repos) -> String {
    let kind = repos.kind;
    let mut text = String::new();
    if let Some(field) = metric.field() {
        let n = lacking(repos, field) as u64;
        if n > 0 {
            text.push_str(&format!(
                "; {} without `{}` in the snapshot {} left out",
                kind.count(n),
                snapshot_name(field),
                if n == 1 { "is" } else { "are" },
            ));
        }
    }
    if let Metric::CountByMonth { cumulative, .. } = metric {
        let count = |flag| repos.flags.iter().filter(|f: &&Flags| f.has(flag)).count() as u64;
        let (undated, placeholder) = (count(Flags::NO_CREATED_AT), count(Flags::PLACEHOLDER_DATE));
        if placeholder > 0 {
            text.push_str(&format!(
                "; {} carry the Hub's placeholder creation date (2022-03-02, when it \
                 migrated every older repository): they were created before March 2022, {}",
                kind.count(placeholder),
                if *cumulative {
                    "and are counted from March 2022 on"
                } else {
                    "so no month counts them"
                }
            ));
        }
        if undated > 0 {
            text.push_str(&format!(
                "; {} without a creation date are not counted",
                kind.count(undated)
            ));
        }
    }
    text
}

/// The snapshot's name for `field`.
/// Fails when no row has `field`: a figure over it would be made of nothing (a
/// quantile of no values, a share of a total of 0). Says which file lacks it, how many
/// rows, and where to get it.
fn nobody_has(field: Field, repos: &Repos, table: Option<&snapshot::Table>) -> Result<()> {
    let rows = repos.len();
    if rows == 0 || lacking(repos, field) < rows {
        return Ok(());
    }
    let name = snapshot_name(field);
    let file = table.map_or_else(
        || "the snapshot".to_owned(),
        |t| format!("`{}`", t.path.display()),
    );
    let dump = "the Hub's Parquet dump (`stateof fetch --dump`) has `downloadsAllTime` for \
                models and datasets from 2025-02-26 on";
    let source = if table.is_some_and(|t| t.absent.contains(&name)) {
        format!("{file} has no column `{name}`")
    } else {
        format!(
            "none of the {} in {file} has `{name}`",
            repos.kind.count(rows as u64)
        )
    };
    let how = match field {
        Field::DownloadsAllTime => format!(
            "the Hub API gives it only when asked (`expand[]=downloadsAllTime`, which \
             `stateof fetch` asks for), and {dump}"
        ),
        _ => format!(
            "the Hub API gives it only when asked (`expand[]={name}`, which `stateof \
             fetch` asks for)"
        ),
    };
    bail!("the figure reads `{name}`, but {source}: {how}")
}

fn snapshot_name(field: Field) -> &'static str {
    match field {
        Field::Downloads => "downloads",
        Field::DownloadsAllTime => "downloadsAllTime",
        Field::Likes => "likes",
    }
}

/// Fills the growth figures in `defs` as `this / previous − 1` of the scalar figure
/// each names, where `previous` is the earlier edition's name and figures. A growth
/// figure is left out when there is no earlier edition, the earlier edition lacks the
/// figure, or its value is 0 (no finite ratio); the markdown stage reports it as
/// unavailable.
pub fn resolve_growth(
    defs: &BTreeMap<String, FigureDef>,
    figures: &mut Figures,
    edition: &str,
    previous: Option<(&str, &Figures)>,
) {
    for (name, def) in defs {
        let Metric::Growth { figure: of } = &def.metric else {
            continue;
        };
        // The config checked at load that `of` is a scalar figure.
        let Some((current, now)) = figures.get(of).and_then(|f| Some((f, f.number()?))) else {
            continue;
        };
        let Some((previous_edition, earlier)) = previous else {
            continue;
        };
        let Some(then) = earlier.get(of).and_then(|f| f.number()) else {
            continue;
        };
        if then == 0.0 {
            continue;
        }
        let figure = Figure {
            label: def.label.clone(),
            format: def.format(),
            value: Value::Number(now / then - 1.0),
            provenance: Provenance {
                definition: describe_growth(&current.label, Some(previous_edition)),
                edition: edition.to_owned(),
                snapshot_date: current.provenance.snapshot_date.clone(),
                rows: None,
                source: None,
                source_url: None,
                source_date: None,
                excluded: Vec::new(),
            },
            groups: Vec::new(),
        };
        figures.insert(name.clone(), figure);
    }
}
