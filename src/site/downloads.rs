//! Data downloads: each edition's `figures.json` and `figures.csv`, and every chart's
//! SVG and CSV, so a reader can check or reuse any number on the pages. (Chart PNGs
//! are drawn by `images`.) Each `figures.json` entry carries its `id`, the anchor the
//! figure has on the pages (`fig-NAME`).

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Serialize;

use super::charts::Charts;
use super::data::EditionData;
use crate::escape;
use crate::figures::{Cell, Figure, Figures, Value};
use crate::output::Output;

/// Adds the data files of every edition to `output`.
pub fn add_all(
    data: &BTreeMap<String, EditionData>,
    charts: &Charts,
    output: &mut Output,
) -> Result<()> {
    for (slug, edition) in data {
        let json = serde_json::to_string_pretty(&published(&edition.figures))?;
        output.add(format!("{slug}/figures.json"), json + "\n")?;
        output.add(format!("{slug}/figures.csv"), figures_csv(slug, edition))?;
        for (name, figure) in &edition.figures {
            if let Value::Table(table) = &figure.value {
                let mut rows = vec![table.columns.clone()];
                rows.extend(
                    table
                        .rows
                        .iter()
                        .map(|row| row.iter().map(cell_text).collect()),
                );
                output.add(format!("{slug}/tables/{name}.csv"), escape::csv(&rows))?;
            }
        }
        for (name, chart) in &charts[slug] {
            output.add(format!("{slug}/charts/{name}.svg"), chart.svg.clone())?;
            output.add(format!("{slug}/charts/{name}.csv"), chart.csv.clone())?;
        }
    }
    Ok(())
}

/// A `figures.json` entry: the figure with its `id` (its permalink's anchor) first.
#[derive(Serialize)]
struct Published {
    id: String,
    #[serde(flatten)]
    figure: Figure,
}

/// The figures as `figures.json` gives them: each with its `id`, and shares by group
/// without every group's share (`Figure::groups`), which can run to a row per author
/// or base model; the comparison it serves is in each grouped-bar chart's CSV.
fn published(figures: &Figures) -> BTreeMap<&str, Published> {
    (figures.iter())
        .map(|(name, figure)| {
            let mut figure = figure.clone();
            figure.groups = Vec::new();
            let id = crate::markdown::figure_id(name);
            (name.as_str(), Published { id, figure })
        })
        .collect()
}

/// One row per scalar figure and per point of a series; tables have files of their own.
fn figures_csv(slug: &str, edition: &EditionData) -> String {
    let mut rows = vec![[
        "figure",
        "label",
        "point",
        "value",
        "format",
        "definition",
        "edition",
        "snapshot_date",
        "rows",
        "source",
    ]
    .map(str::to_owned)
    .to_vec()];
    for (name, figure) in &edition.figures {
        let prov = &figure.provenance;
        let format = serde_json::to_value(figure.format)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let row = |point: &str, value: f64| {
            vec![
                name.clone(),
                figure.label.clone(),
                point.to_owned(),
                // An undefined value (a share of a total of 0) is an empty cell.
                if value.is_finite() {
                    value.to_string()
                } else {
                    String::new()
                },
                format.clone(),
                prov.definition.clone(),
                slug.to_owned(),
                prov.snapshot_date.clone().unwrap_or_default(),
                prov.rows.map(|r| r.to_string()).unwrap_or_default(),
                prov.source.clone().unwrap_or_default(),
            ]
        };
        match &figure.value {
            Value::Number(x) => rows.push(row("", *x)),
            Value::Series(points) => rows.extend(points.iter().map(|p| row(&p.label, p.value))),
            Value::Table(_) => {}
        }
    }
    escape::csv(&rows)
}

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Number(x) => x.to_string(),
        Cell::Text(text) => text.clone(),
    }
}
