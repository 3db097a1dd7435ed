//! Computed figures: the values a report shows, each with its provenance.
//!
//! A `Figures` map is what `metrics::compute` returns for one edition and what every
//! later stage (charts, markdown, site, data downloads) reads. It is plain serde data so
//! that it can be cached and written out as `figures.json`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::Format;

/// All figures of one edition, by name.
pub type Figures = BTreeMap<String, Figure>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub label: String,
    pub format: Format,
    pub value: Value,
    pub provenance: Provenance,
    /// For shares by group (`share_by`): every group's share, largest first. The value
    /// shows the top groups and folds the rest into "Other"; a comparison with another
    /// edition reads that edition's share of the same groups here (see
    /// `charts::merge`). Kept in the figure cache; `figures.json` leaves it out, as it
    /// can hold a row per author or base model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Point>,
}

/// What a metric produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// A single number (a count, a share as a fraction, a ratio).
    Number(f64),
    /// Labelled values in display order (shares by group, counts by month, Lorenz points).
    Series(Vec<Point>),
    /// Rows of cells under named columns (a top-n table).
    Table(Table),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub label: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Cell {
    Number(f64),
    Text(String),
}

/// Where a figure comes from: enough for a reader to check or reproduce it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// The metric definition in words ("sum of downloads over all models").
    pub definition: String,
    /// The edition the figure belongs to.
    pub edition: String,
    /// The snapshot's date (`YYYY-MM-DD`), when computed from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_date: Option<String>,
    /// Rows in the snapshot the figure was computed over.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    /// For sourced figures: who published the number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// For sourced figures stated for a day: that day (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_date: Option<String>,
    /// What the report's exclusions left out of the rows the figure counts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<Left>,
}

/// A repository or author the report leaves out of a figure, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Left {
    /// What was left out, in words ("model `acme/ci`", "every repository of `bot`").
    pub what: String,
    pub reason: String,
    /// Rows of the figure's kind it left out.
    pub rows: u64,
}

impl Figure {
    /// The scalar value, if this figure has one.
    pub fn number(&self) -> Option<f64> {
        match self.value {
            Value::Number(x) => Some(x),
            _ => None,
        }
    }

    /// The series, if this figure is one.
    pub fn series(&self) -> Option<&[Point]> {
        match &self.value {
            Value::Series(points) => Some(points),
            _ => None,
        }
    }

    /// True when the value was stated by a source rather than computed.
    pub fn is_sourced(&self) -> bool {
        self.provenance.source.is_some()
    }
}
