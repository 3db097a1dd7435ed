//! Embed pages: one small standalone page per chart of each edition
//! (`EDITION/charts/NAME/`), made to sit in another site's `<iframe>`: the chart's
//! title and caption, the chart in both layouts, its source line, its downloads and a
//! link back to the page that shows it in full. They are not meant for search
//! (`noindex`, left out of the sitemap). The chart block on the edition page offers
//! the `<iframe>` code (`iframe`), as tall as the page is in the widest frame the
//! code allows (`height`).

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Serialize;

use super::narrative::Narrative;
use super::pages::{self, Context, IconView};
use crate::escape;
use crate::output::Output;

/// The template a project may override; stateof's own is used when it has none.
pub const TEMPLATE: &str = "embed.html";
pub const DEFAULT_TEMPLATE: &str = include_str!("../../templates/embed.html");

#[derive(Serialize)]
struct View<'a> {
    site_title: &'a str,
    edition_title: &'a str,
    /// "State of Open Source, Spring 2026": the link back's text.
    back_text: String,
    /// `/stateof/`, for the theme's stylesheet.
    base_path: &'a str,
    /// Favicons found in `static/`, for `<link rel="icon">`.
    icons: &'a [IconView],
    id: String,
    title: &'a str,
    caption: Option<&'a str>,
    svg: &'a str,
    svg_narrow: &'a str,
    source: &'a str,
    /// The chart on the page that shows it, absolute (`…/2026-spring/#chart-NAME`), or
    /// the edition's page when none does.
    back_url: String,
    csv_url: String,
    svg_url: String,
    png_url: String,
    generator: String,
}

/// Adds every chart's embed page to `output`.
pub fn add_all(ctx: &Context, output: &mut Output) -> Result<()> {
    let icons = pages::icons(ctx);
    for edition in ctx.editions {
        let shown_on = pages_showing(ctx.narrative, &edition.slug);
        for (name, chart) in &ctx.charts[&edition.slug] {
            let Some(def) = ctx.config.charts.get(name) else {
                continue;
            };
            let dir = format!("{}/charts/{name}", edition.slug);
            let back = match shown_on.get(name.as_str()) {
                Some(page) => format!("{}/{page}#chart-{name}", edition.slug),
                None => format!("{}/", edition.slug),
            };
            let view = View {
                site_title: &ctx.config.title,
                edition_title: &edition.index.front.title,
                back_text: back_text(&ctx.config.title, &edition.index.front.title),
                base_path: &ctx.urls.base_path,
                icons: &icons,
                id: format!("chart-{name}"),
                title: &def.title,
                caption: def.caption.as_deref(),
                svg: &chart.svg,
                svg_narrow: &chart.svg_narrow,
                source: &chart.source,
                back_url: ctx.urls.absolute(&back),
                csv_url: ctx.urls.link(&format!("{dir}.csv")),
                svg_url: ctx.urls.link(&format!("{dir}.svg")),
                png_url: ctx.urls.link(&format!("{dir}.png")),
                generator: format!("stateof {}", env!("CARGO_PKG_VERSION")),
            };
            let context = tera::Context::from_serialize(&view)?;
            let html = super::render(ctx.tera, TEMPLATE, &context)?;
            output.add(format!("{dir}/index.html"), html)?;
        }
    }
    Ok(())
}

/// The `<iframe>` code that shows a chart's embed page (at `url`) in another page,
/// named by the chart's title, `height` px tall. Not escaped: the template escapes it.
pub fn iframe(url: &str, title: &str, height: f64) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{}\" \
         style=\"border:0;max-width:{FRAME}px\" loading=\"lazy\"></iframe>",
        escape::markup(url),
        escape::markup(title),
        height.ceil()
    )
}

/// The widest the `<iframe>` gets, in px: the wide layout at a little over 1:1.
const FRAME: u32 = 760;

/// How tall a chart's embed page is in a frame `FRAME` px wide, as the theme sets it
/// (px): its padding and title; its caption, in lines of some 85 characters 25 px
/// tall; the chart's wide layout across the frame less its padding; its line of
/// source and links, in lines of some 100 characters 21 px tall; and a little to
/// spare for fonts that run wide.
pub fn height(svg: &str, caption: Option<&str>, source: &str, back: &str) -> f64 {
    const PADDING: u32 = 16;
    const PADDING_AND_TITLE: f64 = 66.0;
    const SPARE: f64 = 12.0;
    let lines = |text: &str, per_line: usize| text.chars().count().div_ceil(per_line) as f64;
    let scale = f64::from(FRAME - 2 * PADDING) / crate::charts::Width::Wide.units();
    let chart = crate::charts::view_box(svg).map_or(400.0, |(_, h)| h) * scale;
    let meta = format!("{source} {back} · CSV · SVG · PNG");
    let caption = 25.0 * lines(caption.unwrap_or_default(), 85);
    PADDING_AND_TITLE + caption + chart + 21.0 * lines(&meta, 100) + SPARE
}

/// The text of the embed page's link back: "State of Open Source, Spring 2026".
pub fn back_text(site_title: &str, edition_title: &str) -> String {
    format!("{site_title}, {edition_title}")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_grows_with_the_chart_and_its_caption() {
        let svg = |h: f64| format!("<svg viewBox=\"0 0 720 {h}\"></svg>");
        let base = height(&svg(300.0), None, "Source: x.", "Report, Spring");
        let taller = height(&svg(400.0), None, "Source: x.", "Report, Spring");
        assert!((taller - base - 100.0 * 728.0 / 720.0).abs() < 1e-9);
        let captioned = height(&svg(300.0), Some(&"a".repeat(100)), "Source: x.", "R");
        assert_eq!(captioned - base, 50.0);
    }

    #[test]
    fn the_iframe_code_escapes_its_title() {
        let code = iframe("https://x.org/r/e/charts/c/", "A \"title\" <b>", 301.2);
        assert_eq!(
            code,
            "<iframe src=\"https://x.org/r/e/charts/c/\" title=\"A &quot;title&quot; \
             &lt;b&gt;\" width=\"100%\" height=\"302\" style=\"border:0;max-width:760px\" \
             loading=\"lazy\"></iframe>"
        );
    }
}
