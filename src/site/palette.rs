//! The figure palette's data: every figure of the report, with each edition's value
//! as the prose shows it and the shortcodes that show it (a series through the charts
//! that draw it).
//!
//! A preview server lays it out at `/_stateof/figures` so that editors never open
//! `stateof.toml` to find a name; a build computes it for free from what it has.

use std::collections::BTreeMap;

use serde::Serialize;

use super::data::EditionData;
use crate::config::Config;
use crate::content::Edition;
use crate::figures::{Figure, Value};
use crate::format;
use crate::markdown::Shortcode;

/// One figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub name: String,
    pub kind: Kind,
    pub label: String,
    /// The definition in words.
    pub definition: String,
    /// What to paste into the narrative: `fig` for a number, `table` for a table,
    /// `chart` for each chart that draws a series (none when no chart does).
    pub shortcodes: Vec<String>,
    /// The titles of the charts that draw it.
    pub charts: Vec<String>,
    /// Per edition, latest first.
    pub values: Vec<EditionValue>,
}

/// A figure's value in one edition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EditionValue {
    pub edition: String,
    pub title: String,
    /// As the prose shows it ("37%"), or what the value is ("a series of 51 points").
    pub text: String,
    /// Against the edition's `compare-to` edition ("70% → 37%"), with its shortcode.
    pub compared: Option<Compared>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compared {
    /// The title of the edition compared with.
    pub title: String,
    pub text: String,
    pub shortcode: String,
}

/// The palette of a built report, in figure name order.
pub fn rows(
    config: &Config,
    editions: &[Edition],
    data: &BTreeMap<String, EditionData>,
) -> Vec<Row> {
    let row = |(name, def): (&String, &crate::config::FigureDef)| {
        let found = || {
            editions
                .iter()
                .find_map(|e| data[&e.slug].figures.get(name))
        };
        let kind = found().map_or(Kind::Number, |f| Kind::of(&f.value));
        let drawing = || config.charts.iter().filter(|(_, c)| &c.figure == name);
        let shortcodes = match kind {
            Kind::Number => vec![Shortcode::Fig.call(name, None)],
            Kind::Table => vec![Shortcode::Table.call(name, None)],
            Kind::Series => {
                (drawing().map(|(chart, _)| Shortcode::Chart.call(chart, None))).collect()
            }
        };
        Row {
            name: name.clone(),
            kind,
            label: def.label.clone(),
            definition: found().map_or_else(String::new, |f| f.provenance.definition.clone()),
            shortcodes,
            charts: drawing().map(|(_, c)| c.title.clone()).collect(),
            values: (editions.iter())
                .map(|e| edition_value(name, e, editions, data))
                .collect(),
        }
    };
    config.figures.iter().map(row).collect()
}

fn edition_value(
    name: &str,
    edition: &Edition,
    editions: &[Edition],
    data: &BTreeMap<String, EditionData>,
) -> EditionValue {
    let figure = data[&edition.slug].figures.get(name);
    let earlier = edition.index.front.compare_to.as_deref();
    let compared = earlier.and_then(|earlier| {
        let now = figure?.number()?;
        let before = data.get(earlier)?.figures.get(name)?.number()?;
        let format = figure?.format;
        let earlier_edition = editions.iter().find(|e| &e.slug == earlier)?;
        Some(Compared {
            title: earlier_edition.index.front.title.clone(),
            text: format!(
                "{}\u{a0}\u{2192} {}",
                format::number(before, format),
                format::number(now, format)
            ),
            shortcode: Shortcode::Fig.call(name, Some(earlier)),
        })
    });
    EditionValue {
        edition: edition.slug.clone(),
        title: edition.index.front.title.clone(),
        text: figure.map_or_else(|| "no value".to_owned(), value_text),
        compared,
    }
}

/// What a figure's value is, which decides how the narrative shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Number,
    Series,
    Table,
}

impl Kind {
    fn of(value: &Value) -> Kind {
        match value {
            Value::Number(_) => Kind::Number,
            Value::Series(_) => Kind::Series,
            Value::Table(_) => Kind::Table,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Number => "number",
            Kind::Series => "series",
            Kind::Table => "table",
        }
    }
}

fn value_text(figure: &Figure) -> String {
    match &figure.value {
        Value::Number(x) => format::number(*x, figure.format),
        Value::Series(points) => format!("a series of {} points", points.len()),
        Value::Table(table) => format!("a table of {} rows", table.rows.len()),
    }
}
