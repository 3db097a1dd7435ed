//! Charts: a chart definition and its figure in, a standalone SVG document out.
//!
//! `render` picks the drawing for the chart's kind (one module per kind), has plotters
//! draw it (see `svg`), then wraps the body in an accessible document: `role="img"`, a
//! `<title>` naming it (`aria-labelledby`) and a generated `<desc>` summarising the data
//! (`aria-describedby`), ids derived from the chart's
//! name (so several charts can share a page), a `viewBox` without a fixed pixel size,
//! and a `<style>` whose `so-*` classes follow the reader's light or dark scheme (see
//! `theme`). This module never writes files and its output depends only on its input.
//!
//! A chart is laid out for one of two widths (`Width`): a 720-unit viewBox for a page
//! column, or a 280-unit one shown at 1:1 or larger on a phone, with the same type sizes. A
//! page inlines both and shows one by a media query, so the narrow render's ids differ.

mod bar;
mod frame;
mod histogram;
pub(crate) mod layout;
mod lorenz;
mod svg;
mod theme;
mod time;

pub use bar::{merge, Row};
pub use frame::framed;

#[cfg(test)]
mod tests;

use anyhow::{Context, Result};

use crate::config::{ChartDef, ChartKind};
use crate::escape;
use crate::figures::{Figure, Point, Value};

/// Everything one chart needs.
pub struct ChartInput<'a> {
    /// The chart's name in the config (used for element ids).
    pub name: &'a str,
    pub def: &'a ChartDef,
    /// The figure drawn, from the edition being built.
    pub figure: &'a Figure,
    /// For grouped bars: the same figure in the compared edition, with that edition's title.
    pub compare: Option<(&'a str, &'a Figure)>,
    /// The title of the edition being built (legend label for grouped bars).
    pub edition: &'a str,
    /// The layout: for a page column, or for a phone.
    pub width: Width,
}

/// The width a chart is laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// A 720-unit viewBox, for a page column.
    Wide,
    /// A 280-unit viewBox, shown at 1:1 or larger on a phone: type as large as the wide
    /// layout's, so fewer ticks, shorter labels, and labels above long-labelled bars.
    Narrow,
}

impl Width {
    /// The viewBox width.
    pub fn units(self) -> f64 {
        match self {
            Width::Wide => theme::WIDTH,
            Width::Narrow => theme::NARROW_WIDTH,
        }
    }
}

/// A chart body before it is wrapped in its document.
struct Drawing {
    /// The viewBox height (the width is the input's `Width`).
    height: f64,
    /// The shapes and text, drawn by plotters when the document is written.
    body: svg::Svg,
    /// A plain-text reading of the data for the `<desc>`.
    summary: String,
}

/// Renders one chart as a standalone SVG document.
pub fn render(input: &ChartInput) -> Result<String> {
    let drawing = draw(input)
        .with_context(|| format!("chart `{}` ({})", input.name, input.def.kind.name()))?;
    document(input, &drawing)
}

/// The chart's body, drawn by its kind's module.
fn draw(input: &ChartInput) -> Result<Drawing> {
    let kind = input.def.kind;
    let points = series(input.figure, &input.def.figure, None)?;
    let format = input.figure.format;
    let width = input.width;
    // A point without a finite value has no place on an axis; bars keep it and say "n/a".
    let finite: Vec<Point>;
    let points = match kind {
        ChartKind::Bar | ChartKind::GroupedBar => points,
        _ => {
            finite = points
                .iter()
                .filter(|p| p.value.is_finite())
                .cloned()
                .collect();
            &finite
        }
    };
    if points.is_empty() {
        return Ok(empty(kind, width));
    }
    Ok(match kind {
        ChartKind::Bar => bar::draw(points, format, width),
        ChartKind::GroupedBar => match input.compare {
            Some((earlier, figure)) => {
                series(figure, &input.def.figure, Some(earlier))?;
                let rows = merge(input.figure, figure);
                bar::draw_grouped(&rows, (input.edition, earlier), format, width)
            }
            None => bar::draw(points, format, width),
        },
        ChartKind::Line => time::draw(points, format, false, width)?,
        ChartKind::Area => time::draw(points, format, true, width)?,
        ChartKind::Histogram => histogram::draw(points, format, width),
        ChartKind::Lorenz => lorenz::draw(points, width)?,
    })
}

/// The figure's series, or an error naming what the figure is instead.
fn series<'a>(figure: &'a Figure, name: &str, edition: Option<&str>) -> Result<&'a [Point]> {
    let what = match &figure.value {
        Value::Series(points) => return Ok(points),
        Value::Number(_) => "a number",
        Value::Table(_) => "a table",
    };
    let of = edition.map_or(String::new(), |e| format!(" of edition `{e}`"));
    anyhow::bail!("figure `{name}`{of} is {what}, but a chart draws a series")
}

/// A chart with no data says so rather than drawing empty axes.
fn empty(kind: ChartKind, width: Width) -> Drawing {
    let mut out = svg::Svg::new();
    out.text(&svg::Text::new(
        width.units() / 2.0,
        44.0,
        theme::LABEL_SIZE,
        svg::Anchor::Middle,
        theme::Role::Muted,
        "No data",
    ));
    Drawing {
        height: 72.0,
        body: out,
        summary: format!("{} with no data.", kind_noun(kind)),
    }
}

fn kind_noun(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Bar | ChartKind::GroupedBar => "Bar chart",
        ChartKind::Line => "Line chart",
        ChartKind::Area => "Area chart",
        ChartKind::Histogram => "Histogram",
        ChartKind::Lorenz => "Lorenz curve",
    }
}

/// A chart's SVG as a renderer without CSS variables draws it (resvg, for the PNG
/// downloads): its style block with literal light-scheme colours and a filled canvas.
pub fn literal(svg: &str) -> String {
    svg.replacen(&theme::style(), &theme::literal_style(), 1)
}

/// The width and height of a chart's `viewBox` (as `render` writes it), in chart units.
pub fn view_box(svg: &str) -> Option<(f64, f64)> {
    let start = svg.find("viewBox=\"")? + "viewBox=\"".len();
    let value = &svg[start..start + svg[start..].find('"')?];
    let numbers: Vec<f64> = (value.split_whitespace())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match numbers[..] {
        [_, _, w, h] => Some((w, h)),
        _ => None,
    }
}

/// Wraps a drawing in the root `<svg>` with its accessible name, description and style.
fn document(input: &ChartInput, drawing: &Drawing) -> Result<String> {
    let id = match input.width {
        Width::Wide => id_base(input.name),
        Width::Narrow => format!("{}-narrow", id_base(input.name)),
    };
    let (width, height) = (input.width.units(), drawing.height.ceil());
    let body = drawing.body.render(width, height)?;
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"so-chart so-chart-{kind}\" \
         viewBox=\"0 0 {w} {h}\" width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" \
         role=\"img\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\" \
         font-family=\"{font}\">\n\
         <title id=\"{id}-title\">{title}</title>\n\
         <desc id=\"{id}-desc\">{desc}</desc>\n\
         <style>{style}</style>\n\
         {body}</svg>\n",
        kind = input.def.kind.name(),
        w = svg::num(width),
        h = svg::num(height),
        font = theme::FONT_STACK,
        title = escape::markup(&input.def.title),
        desc = escape::markup(&drawing.summary),
        style = theme::style(),
    ))
}

/// `so-` plus the chart's name reduced to id-safe characters; when that reduction
/// changed the name, a hash of the original keeps ids of distinct names distinct.
fn id_base(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if safe == name && !name.is_empty() {
        format!("so-{safe}")
    } else {
        // FNV-1a: stable across builds and platforms, unlike std's hasher.
        let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        format!("so-{safe}-{:08x}", hash as u32)
    }
}

/// "A; B; C; and 4 more": at most `max` items read out in full. Semicolons, because
/// the items hold numbers with thousands separators ("finetune 301,245").
fn list(items: &[String], max: usize) -> String {
    if items.len() <= max {
        items.join("; ")
    } else {
        let shown = items[..max].join("; ");
        format!("{shown}; and {} more", items.len() - max)
    }
}
