//! The charts step: every chart of every edition drawn to SVG and wrapped in its
//! `<figure>` block (caption, source line, data table, download links, and what a
//! reader needs to cite or embed it: its permalink, a PNG, the `<iframe>` code of its
//! embed page).

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde::Serialize;

use super::data::EditionData;
use super::Urls;
use crate::charts::{self, ChartInput, Width};
use crate::config::{ChartKind, Config};
use crate::content::Edition;
use crate::figures::Figure;
use crate::format;

/// One drawn chart of one edition.
#[derive(Debug, Clone)]
pub struct Chart {
    /// The wide layout, also offered as a download.
    pub svg: String,
    /// The narrow layout, for phones.
    pub svg_narrow: String,
    /// The `<figure>` block for the page.
    pub html: String,
    /// The chart's data as CSV, with unrounded values.
    pub csv: String,
}

/// Edition slug → chart name → chart.
pub type Charts = BTreeMap<String, BTreeMap<String, Chart>>;

#[derive(Serialize)]
struct View<'a> {
    id: String,
    title: &'a str,
    caption: Option<&'a str>,
    svg: &'a str,
    svg_narrow: &'a str,
    source: String,
    columns: &'a [String],
    rows: &'a [Vec<String>],
    svg_url: String,
    csv_url: String,
    png_url: String,
    /// The `<iframe>` code of the chart's embed page (`embeds`).
    embed_code: String,
}

/// Draws every chart in the config for every edition whose figures include its figure.
pub fn render_all(
    config: &Config,
    editions: &[Edition],
    data: &BTreeMap<String, EditionData>,
    urls: &Urls,
    tera: &tera::Tera,
) -> Result<Charts> {
    let mut all = Charts::new();
    for edition in editions {
        let this = &data[&edition.slug];
        let compared = edition.index.front.compare_to.as_ref().and_then(|slug| {
            let title = editions
                .iter()
                .find(|e| &e.slug == slug)?
                .index
                .front
                .title
                .as_str();
            Some((title, &data[slug].figures))
        });
        let mut charts = BTreeMap::new();
        for (name, def) in &config.charts {
            let Some(figure) = this.figures.get(&def.figure) else {
                continue;
            };
            let compare = match def.kind {
                ChartKind::GroupedBar => compared
                    .and_then(|(title, figures)| figures.get(&def.figure).map(|f| (title, f))),
                _ => None,
            };
            let draw = |width| {
                let input = ChartInput {
                    name,
                    def,
                    figure,
                    compare,
                    edition: &edition.index.front.title,
                    width,
                };
                charts::render(&input)
                    .with_context(|| format!("chart `{name}` of edition `{}`", edition.slug))
            };
            // Both layouts go into the page; CSS shows the one that fits the screen.
            let svg = draw(Width::Wide)?;
            let svg_narrow = draw(Width::Narrow)?;
            let title = edition.index.front.title.as_str();
            let shown = table(figure, compare, title, |x| format::number(x, figure.format));
            let shown = shown_text(shown);
            let csv = crate::escape::csv(&table(figure, compare, title, |x| x.to_string()));
            let dir = format!("{}/charts/{name}", edition.slug);
            let view = View {
                id: format!("chart-{name}"),
                title: &def.title,
                caption: def.caption.as_deref(),
                svg: &svg,
                svg_narrow: &svg_narrow,
                source: source_line(this),
                columns: &shown[0],
                rows: &shown[1..],
                svg_url: urls.link(&format!("{dir}.svg")),
                csv_url: urls.link(&format!("{dir}.csv")),
                png_url: urls.link(&format!("{dir}.png")),
                embed_code: embed_code(&urls.absolute(&format!("{dir}/")), &def.title, &svg),
            };
            let context = tera::Context::from_serialize(&view)?;
            let html = super::render(tera, "partials/chart.html", &context)?;
            let chart = Chart {
                svg,
                svg_narrow,
                html,
                csv,
            };
            charts.insert(name.clone(), chart);
        }
        all.insert(edition.slug.clone(), charts);
    }
    Ok(all)
}

/// The HTML that embeds the chart's page (at `url`) in another page: an `<iframe>` as
/// tall as the page is at the chart's full width (the chart, its caption, its source
/// line), named by the chart's title. Not escaped: the template escapes it.
fn embed_code(url: &str, title: &str, svg: &str) -> String {
    const AROUND_THE_CHART: f64 = 130.0;
    let height = charts::view_box(svg).map_or(400.0, |(_, h)| h) + AROUND_THE_CHART;
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{}\" \
         style=\"border:0;max-width:760px\" loading=\"lazy\"></iframe>",
        crate::escape::markup(url),
        crate::escape::markup(title),
        height.ceil()
    )
}

/// The chart's data as text cells: label, the compared edition's value when there is
/// one, and this edition's value, each written by `cell`; rows as the chart draws them.
fn table(
    figure: &Figure,
    compare: Option<(&str, &Figure)>,
    title: &str,
    cell: impl Fn(f64) -> String,
) -> Vec<Vec<String>> {
    let now = figure.series().unwrap_or_default();
    let text = |value: Option<f64>| value.map(&cell).unwrap_or_default();
    match compare {
        Some((earlier, before)) => {
            let mut rows = vec![vec![
                figure.label.clone(),
                earlier.to_owned(),
                title.to_owned(),
            ]];
            for (label, this, then) in charts::merge(figure, before) {
                rows.push(vec![label.to_owned(), text(then), text(this)]);
            }
            rows
        }
        None => {
            let mut rows = vec![vec![figure.label.clone(), title.to_owned()]];
            rows.extend(now.iter().map(|p| vec![p.label.clone(), cell(p.value)]));
            rows
        }
    }
}

/// The table as the page shows it: long text from data cut (`format::text`).
fn shown_text(rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    (rows.into_iter())
        .map(|row| {
            row.iter()
                .map(|cell| format::text(cell).into_owned())
                .collect()
        })
        .collect()
}

/// "Source: Hub snapshot of 2026-03-15, 45,000 models." The manifest's `source` names
/// the tool or API in full on the methodology page; a chart only says what kind it is.
pub fn source_line(data: &EditionData) -> String {
    let snap = &data.snapshot;
    let kind = if snap.synthetic {
        "Synthetic Hub snapshot"
    } else {
        "Hub snapshot"
    };
    let date = snap
        .date
        .as_deref()
        .map(|d| format!(" of {d}"))
        .unwrap_or_default();
    format!(
        "Source: {kind}{date}, {} models.",
        format::thousands(snap.rows as f64)
    )
}
