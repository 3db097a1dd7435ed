//! The charts step: every chart of every edition drawn to SVG and wrapped in its
//! `<figure>` block (caption, source line, data table, download links, and what a
//! reader needs to cite or embed it: its permalink and the `<iframe>` code of its
//! embed page). The PNG download is drawn by `images`, the embed page by `embeds`.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde::Serialize;

use super::data::EditionData;
use super::Urls;
use crate::charts::{self, ChartInput, Width};
use crate::config::{ChartKind, Config, Field, FigureDef, Key, Metric};
use crate::content::Edition;
use crate::figures::Figure;
use crate::format;
use crate::snapshot::Kind;

/// One drawn chart of one edition.
#[derive(Debug, Clone)]
pub struct Chart {
    /// The wide layout, also offered as a download.
    pub svg: String,
    /// The narrow layout, for phones.
    pub svg_narrow: String,
    /// The chart's title, as its definition gives it.
    pub title: String,
    /// "Source: Hub snapshot of 2026-03-15, 45,000 models." (`source_line`).
    pub source: String,
    /// The report and edition it belongs to (`embeds::back_text`).
    pub credit: String,
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
        let compared = edition.index.front.compare_to.as_deref().and_then(|slug| {
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
            let header = Header {
                rows: config
                    .figures
                    .get(&def.figure)
                    .map_or_else(|| "Label".to_owned(), rows_name),
                measure: &figure.label,
                edition: &edition.index.front.title,
            };
            let shown = table(figure, compare, &header, |x| {
                format::number(x, figure.format)
            });
            let shown = shown_text(shown);
            let csv = crate::escape::csv(&table(figure, compare, &header, |x| x.to_string()));
            let dir = format!("{}/charts/{name}", edition.slug);
            let source = source_line(this, config.figures[&def.figure].of);
            let back = super::embeds::back_text(&config.title, &edition.index.front.title);
            let view = View {
                id: format!("chart-{name}"),
                title: &def.title,
                caption: def.caption.as_deref(),
                svg: &svg,
                svg_narrow: &svg_narrow,
                source: source.clone(),
                columns: &shown[0],
                rows: &shown[1..],
                svg_url: urls.link(&format!("{dir}.svg")),
                csv_url: urls.link(&format!("{dir}.csv")),
                png_url: urls.link(&format!("{dir}.png")),
                embed_code: super::embeds::iframe(
                    &urls.absolute(&format!("{dir}/")),
                    &def.title,
                    super::embeds::height(&svg, def.caption.as_deref(), &source, &back),
                ),
            };
            let context = tera::Context::from_serialize(&view)?;
            let html = super::render(tera, "partials/chart.html", &context)?;
            let chart = Chart {
                svg,
                svg_narrow,
                title: def.title.clone(),
                source,
                credit: back,
                html,
                csv,
            };
            charts.insert(name.clone(), chart);
        }
        all.insert(edition.slug.clone(), charts);
    }
    Ok(all)
}

/// What a chart's data table holds: its rows, its measure, the edition drawn.
struct Header<'a> {
    /// What the first column names ("Country", "Month").
    rows: String,
    /// What the values measure: the figure's label ("Share of downloads").
    measure: &'a str,
    edition: &'a str,
}

/// What one row of a figure's series stands for, as a column header.
fn rows_name(def: &FigureDef) -> String {
    match &def.metric {
        Metric::CountByMonth { .. } => "Month".to_owned(),
        Metric::LogHistogram {
            field: Field::Likes,
        } => "Likes, range".to_owned(),
        Metric::LogHistogram { .. } => "Download range".to_owned(),
        // As the chart's axis reads: "Share of items, smallest first".
        Metric::Lorenz { .. } => format!("Share of {}, smallest first", def.of.name()),
        Metric::ShareBy { key, .. } => key_name(*key).to_owned(),
        _ => "Label".to_owned(),
    }
}

/// A grouping key as a column header.
fn key_name(key: Key) -> &'static str {
    match key {
        Key::Author => "Author",
        Key::AuthorCountry => "Country",
        Key::AuthorKind => "Kind of author",
        Key::PipelineTag => "Task",
        Key::LibraryName => "Library",
        Key::License => "License",
        Key::Derivative => "How derived",
        Key::BaseModel => "Base model",
        Key::TaskCategory => "Task category",
        Key::SizeCategory => "Size category",
        Key::Language => "Language",
        Key::Sdk => "SDK",
    }
}

/// The chart's data as text cells under a header row: what the row is, the compared
/// edition's value when there is one, and this edition's value, each written by `cell`
/// and headed by the measure and its edition; rows as the chart draws them.
fn table(
    figure: &Figure,
    compare: Option<(&str, &Figure)>,
    header: &Header,
    cell: impl Fn(f64) -> String,
) -> Vec<Vec<String>> {
    let now = figure.series().unwrap_or_default();
    let text = |value: Option<f64>| value.map(&cell).unwrap_or_default();
    let column = |edition: &str| format!("{}, {edition}", header.measure);
    match compare {
        Some((earlier, before)) => {
            let mut rows = vec![vec![
                header.rows.clone(),
                column(earlier),
                column(header.edition),
            ]];
            for (label, this, then) in charts::merge(figure, before) {
                rows.push(vec![label.to_owned(), text(then), text(this)]);
            }
            rows
        }
        None => {
            let mut rows = vec![vec![header.rows.clone(), column(header.edition)]];
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

/// "Source: Hub snapshot of 2026-03-15, 45,000 models." (or the datasets or spaces a
/// chart of them counts). The manifest's `source` names the tool or API in full on the
/// methodology page; a chart only says what kind it is.
pub fn source_line(data: &EditionData, of: Kind) -> String {
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
    let rows = snap.table(of).map_or(0, |t| t.rows);
    format!("Source: {kind}{date}, {}.", of.count(rows))
}
