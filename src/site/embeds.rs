//! Embed pages: one small standalone page per chart of each edition
//! (`EDITION/charts/NAME/`), made to sit in another site's `<iframe>`: the chart's
//! title and caption, the chart in both layouts, its source line, and a link back to
//! the page that shows it in full. They are not meant for search (`noindex`, left out
//! of the sitemap). The chart block on the edition page offers the `<iframe>` code.

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Serialize;

use super::charts::{source_line, Charts};
use super::data::EditionData;
use super::narrative::Narrative;
use super::Urls;
use crate::config::Config;
use crate::content::Edition;
use crate::output::Output;

/// The template a project may override; stateof's own is used when it has none.
pub const TEMPLATE: &str = "embed.html";
pub const DEFAULT_TEMPLATE: &str = include_str!("../../templates/embed.html");

/// Everything the embeds step reads.
pub struct Inputs<'a> {
    pub config: &'a Config,
    pub editions: &'a [Edition],
    pub data: &'a BTreeMap<String, EditionData>,
    pub charts: &'a Charts,
    pub narrative: &'a Narrative<'a>,
    pub urls: &'a Urls,
    pub tera: &'a tera::Tera,
}

#[derive(Serialize)]
struct View<'a> {
    site_title: &'a str,
    edition_title: &'a str,
    title: &'a str,
    caption: Option<&'a str>,
    svg: &'a str,
    svg_narrow: &'a str,
    source: String,
    /// The chart on the page that shows it, absolute (`…/2026-spring/#chart-NAME`), or
    /// the edition's page when none does.
    back_url: String,
    png_url: String,
    svg_url: String,
    csv_url: String,
    generator: String,
}

/// Adds every chart's embed page to `output`.
pub fn add_all(inputs: &Inputs, output: &mut Output) -> Result<()> {
    for edition in inputs.editions {
        let shown_on = pages_showing(inputs.narrative, &edition.slug);
        for (name, chart) in &inputs.charts[&edition.slug] {
            let Some(def) = inputs.config.charts.get(name) else {
                continue;
            };
            let dir = format!("{}/charts/{name}", edition.slug);
            let back = match shown_on.get(name.as_str()) {
                Some(page) => format!("{}/{page}#chart-{name}", edition.slug),
                None => format!("{}/", edition.slug),
            };
            let view = View {
                site_title: &inputs.config.title,
                edition_title: &edition.index.front.title,
                title: &def.title,
                caption: def.caption.as_deref(),
                svg: &chart.svg,
                svg_narrow: &chart.svg_narrow,
                source: source_line(&inputs.data[&edition.slug]),
                back_url: inputs.urls.absolute(&back),
                png_url: inputs.urls.link(&format!("{dir}.png")),
                svg_url: inputs.urls.link(&format!("{dir}.svg")),
                csv_url: inputs.urls.link(&format!("{dir}.csv")),
                generator: format!("stateof {}", env!("CARGO_PKG_VERSION")),
            };
            let context = tera::Context::from_serialize(&view)?;
            let html = super::render(inputs.tera, TEMPLATE, &context)?;
            output.add(format!("{dir}/index.html"), html)?;
        }
    }
    Ok(())
}

/// Chart name → the folder, below the edition's, of the page that shows it (`` for
/// the edition's index, `geography/` for a chapter).
fn pages_showing<'n>(narrative: &'n Narrative, slug: &str) -> BTreeMap<&'n str, String> {
    let mut shown = BTreeMap::new();
    for doc in narrative.get(slug).into_iter().flatten() {
        for name in &doc.rendered.charts_used {
            shown
                .entry(name.as_str())
                .or_insert_with(|| doc.sub.clone());
        }
    }
    shown
}
