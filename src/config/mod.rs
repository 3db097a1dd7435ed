//! The report config (`stateof.toml` at a project's root): site settings, the figures
//! every edition computes, and the charts drawn from them.
//!
//! This module holds the typed config; `load` reads it (apart from disk I/O, `parse`
//! takes text) and `check` checks it, once, with every error at its line of the file.
//! Unknown keys are errors, so a typo in a metric definition never silently falls back
//! to a default. The names of the enums' variants are their serde names (`names`).

mod check;
pub mod exclude;
mod load;
pub mod names;
mod sourced;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::dates::{Date, Month};
use crate::snapshot::Kind;

pub use check::check_value;
pub use exclude::{Exclusion, Match};
pub use load::{find_root, load, parse};

/// The file name of the report config at a project's root.
pub const FILE_NAME: &str = "stateof.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// The config file, as error messages show it (`stateof.toml`).
    #[serde(skip)]
    pub path: PathBuf,
    /// The report's name, shown on every page ("State of Open Source on Hugging Face").
    pub title: String,
    /// One sentence for the home page, feeds and link previews.
    pub description: String,
    /// Where the site is published, e.g. `https://org.github.io/report/`.
    pub base_url: String,
    /// Who publishes the report (feed author, footer).
    #[serde(default)]
    pub author: Option<String>,
    /// The organisation registry, relative to the project root.
    #[serde(default = "default_registry")]
    pub registry: String,
    /// A note shown on every page, e.g. that the demo data is synthetic.
    #[serde(default)]
    pub notice: Option<String>,
    /// Figures computed for every edition, by name.
    #[serde(default, deserialize_with = "load::later")]
    pub figures: BTreeMap<String, FigureDef>,
    /// Charts drawn for every edition, by name.
    #[serde(default, deserialize_with = "load::later")]
    pub charts: BTreeMap<String, ChartDef>,
    /// Repositories and authors left out of every figure, with the reasons.
    #[serde(default, deserialize_with = "load::later")]
    pub exclude: Vec<Exclusion>,
}

/// A definition as written: each key and value with its place in the file.
pub(crate) type RawTable = BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>>;

/// The organisation registry's path when the config names none.
pub fn default_registry() -> String {
    "content/data/organizations.toml".to_owned()
}

/// One named figure: what to compute and how to show it. Serialized (without its
/// line) into the figure cache's key; read by `load`, key by key.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct FigureDef {
    /// A short human label ("Share of downloads in the top 200 models").
    pub label: String,
    /// What the figure counts: models (the default), datasets or spaces.
    pub of: Kind,
    #[serde(flatten)]
    pub metric: Metric,
    /// How a value reads in prose, tables and chart labels; see `FigureDef::format`.
    pub format: Option<Format>,
    /// The line of its `[figures.NAME]` header in the config (0 for a definition made
    /// in code). Left out of the cache key: moving a definition changes no figure.
    #[serde(skip)]
    pub line: usize,
}

impl FigureDef {
    /// The format given in the config, or the one that suits the metric: shares as
    /// percentages, growth as a signed change, indices as decimals, counts in thousands.
    pub fn format(&self) -> Format {
        self.format.unwrap_or(match self.metric {
            Metric::Growth { .. } => Format::Change,
            Metric::TopShare { .. }
            | Metric::ShareBelow { .. }
            | Metric::ShareBy { .. }
            | Metric::ShareOf { .. }
            | Metric::Lorenz { .. } => Format::Percent,
            Metric::Gini { .. } | Metric::Hhi { .. } => Format::Decimal,
            _ => Format::Thousands,
        })
    }
}

/// The metric kinds. Each is a small pure function in `metrics`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(tag = "metric", rename_all = "snake_case", deny_unknown_fields)]
pub enum Metric {
    /// Number of rows (after the filter).
    Count {
        #[serde(default)]
        filter: Option<Filter>,
    },
    /// Sum of a numeric field.
    Sum {
        field: Field,
        #[serde(default)]
        filter: Option<Filter>,
    },
    /// The q-quantile of a numeric field, linearly interpolated (numpy's default);
    /// q = 0.5 is the median.
    Quantile {
        field: Field,
        q: f64,
        #[serde(default)]
        filter: Option<Filter>,
    },
    /// Fraction of rows whose field is strictly below `threshold`.
    ShareBelow {
        field: Field,
        threshold: f64,
        #[serde(default)]
        filter: Option<Filter>,
    },
    /// The `n` largest values of a field over its total.
    TopShare { field: Field, n: usize },
    /// Gini coefficient of a field over all rows.
    Gini { field: Field },
    /// Herfindahl–Hirschman index (sum of squared shares, 0–1) of `weight` by `key`.
    Hhi { key: Key, weight: Weight },
    /// Lorenz curve of a field: `points` evenly spaced population shares.
    Lorenz {
        field: Field,
        #[serde(default = "default_lorenz_points")]
        points: usize,
    },
    /// Share of `weight` by `key`: the `top` largest groups, then "Other".
    ShareBy {
        key: Key,
        weight: Weight,
        #[serde(default = "default_top")]
        top: usize,
        #[serde(default)]
        filter: Option<Filter>,
    },
    /// Share of `weight` held by one value of `key` (e.g. author.country = "CN").
    ShareOf {
        key: Key,
        value: String,
        weight: Weight,
        #[serde(default)]
        filter: Option<Filter>,
    },
    /// Rows created per calendar month (from `createdAt`).
    CountByMonth {
        #[serde(default)]
        filter: Option<Filter>,
        /// Only months from this one on (`YYYY-MM`).
        #[serde(default)]
        since: Option<Month>,
        /// Running total instead of per-month counts.
        #[serde(default)]
        cumulative: bool,
    },
    /// Histogram of a field over log10 bins (0, 1–9, 10–99, …).
    LogHistogram { field: Field },
    /// The `n` rows with the largest `by`, as a table.
    Top { n: usize, by: Field },
    /// Change of another scalar figure since the edition's `compare_to` edition,
    /// as a ratio (0.5 = +50%).
    Growth { figure: String },
    /// A figure no snapshot can give, stated by a source. Each value belongs to one
    /// edition, by name or by date (see `metrics::sourced`); `sourced::normalise`
    /// reads the one-value form into this list.
    Sourced { values: Vec<Stated> },
}

/// One value of a sourced figure: the number, who states it, and the edition it
/// belongs to, by name (`edition`) or by the day the source gives it for (`date`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Stated {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    pub value: f64,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

fn default_top() -> usize {
    8
}

fn default_lorenz_points() -> usize {
    100
}

/// Numeric fields of a model row.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Downloads in the last 30 days (the API's `downloads`).
    Downloads,
    /// Downloads since the repository was created (`downloadsAllTime`).
    DownloadsAllTime,
    Likes,
}

/// What a share is weighted by.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Weight {
    Count,
    Downloads,
    DownloadsAllTime,
    Likes,
}

impl Weight {
    /// The field a weight sums, if it is not a count of rows.
    pub fn field(self) -> Option<Field> {
        match self {
            Weight::Count => None,
            Weight::Downloads => Some(Field::Downloads),
            Weight::DownloadsAllTime => Some(Field::DownloadsAllTime),
            Weight::Likes => Some(Field::Likes),
        }
    }
}

/// Categorical keys a row can be grouped by.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    #[serde(rename = "author")]
    Author,
    #[serde(rename = "author.country")]
    AuthorCountry,
    #[serde(rename = "author.kind")]
    AuthorKind,
    #[serde(rename = "pipeline_tag")]
    PipelineTag,
    #[serde(rename = "library_name")]
    LibraryName,
    #[serde(rename = "license")]
    License,
    /// From `base_model:{finetune,adapter,quantized,merge}:*` tags; "original" otherwise.
    #[serde(rename = "derivative")]
    Derivative,
    /// The model a derivative was made from (`base_model:*:X`).
    #[serde(rename = "base_model")]
    BaseModel,
    /// A dataset's first `task_categories:X` tag.
    #[serde(rename = "task_category")]
    TaskCategory,
    /// A dataset's `size_categories:X` tag (`10K<n<100K`).
    #[serde(rename = "size_category")]
    SizeCategory,
    /// A dataset's `language:X` tags: a dataset in several languages is in the group
    /// of each.
    #[serde(rename = "language")]
    Language,
    /// A space's SDK (`gradio`, `streamlit`, `docker`, `static`).
    #[serde(rename = "sdk")]
    Sdk,
}

impl Key {
    /// The kinds of repository whose rows have this key.
    pub fn kinds(self) -> &'static [Kind] {
        match self {
            Key::Author | Key::AuthorCountry | Key::AuthorKind | Key::License => &Kind::ALL,
            Key::PipelineTag | Key::LibraryName | Key::Derivative | Key::BaseModel => {
                &[Kind::Models]
            }
            Key::TaskCategory | Key::SizeCategory | Key::Language => &[Kind::Datasets],
            Key::Sdk => &[Kind::Spaces],
        }
    }
}

/// A row predicate: `key` equals one of `is` (or none of them, with `not = true`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    pub key: Key,
    pub is: Vec<String>,
    #[serde(default)]
    pub not: bool,
}

/// How a scalar reads in prose and tables.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// 1,234,567
    #[default]
    Thousands,
    /// 2.1M, 11M, 950K
    Compact,
    /// 49.6% (value is a fraction)
    Percent,
    /// +83% (value is a ratio of change)
    Change,
    /// 0.87 (two decimals)
    Decimal,
}

/// One chart: which figure it draws and how.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ChartDef {
    pub kind: ChartKind,
    /// The figure whose value (a series) the chart draws.
    pub figure: String,
    /// The chart's title, also its accessible name.
    pub title: String,
    /// A one-line reading of the chart, shown as its caption.
    #[serde(default)]
    pub caption: Option<String>,
    /// The line of its `[charts.NAME]` header in the config.
    #[serde(skip)]
    pub line: usize,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ChartKind {
    /// Horizontal bars, one per label, value labels at the bar ends.
    Bar,
    /// Horizontal bars, this edition beside its `compare_to` edition.
    GroupedBar,
    /// A line over time (series labels are `YYYY-MM`).
    Line,
    /// A filled area over time.
    Area,
    /// Vertical bars over log bins.
    Histogram,
    /// Lorenz curve with the line of equality.
    Lorenz,
}

impl Metric {
    /// The metric's name as written in the config (its serde tag).
    pub fn name(&self) -> &'static str {
        let value = serde_json::to_value(self).expect("metrics serialize");
        let tag = value["metric"].as_str().unwrap_or_default();
        names::tags::<Metric>("metric")
            .iter()
            .find(|&&name| name == tag)
            .expect("a metric's tag is one of its names")
    }

    /// The numeric field the metric reads (as its `field`, `by` or `weight`), if any.
    pub fn field(&self) -> Option<Field> {
        match self {
            Metric::Sum { field, .. }
            | Metric::Quantile { field, .. }
            | Metric::ShareBelow { field, .. }
            | Metric::TopShare { field, .. }
            | Metric::Gini { field }
            | Metric::Lorenz { field, .. }
            | Metric::LogHistogram { field }
            | Metric::Top { by: field, .. } => Some(*field),
            Metric::Hhi { weight, .. }
            | Metric::ShareBy { weight, .. }
            | Metric::ShareOf { weight, .. } => weight.field(),
            _ => None,
        }
    }

    /// The key the metric groups by, if any.
    pub fn key(&self) -> Option<Key> {
        match self {
            Metric::ShareBy { key, .. } | Metric::ShareOf { key, .. } | Metric::Hhi { key, .. } => {
                Some(*key)
            }
            _ => None,
        }
    }

    /// The metric's row filter, if it has one.
    pub fn filter(&self) -> Option<&Filter> {
        match self {
            Metric::Count { filter }
            | Metric::Sum { filter, .. }
            | Metric::Quantile { filter, .. }
            | Metric::ShareBelow { filter, .. }
            | Metric::CountByMonth { filter, .. }
            | Metric::ShareBy { filter, .. }
            | Metric::ShareOf { filter, .. } => filter.as_ref(),
            _ => None,
        }
    }

    /// True for metrics whose value is one number.
    pub fn is_scalar(&self) -> bool {
        !matches!(
            self,
            Metric::Lorenz { .. }
                | Metric::ShareBy { .. }
                | Metric::CountByMonth { .. }
                | Metric::LogHistogram { .. }
                | Metric::Top { .. }
        )
    }
}

/// The config names of unit enums: their serde names, by declaration order.
macro_rules! named {
    ($($type:ty),*) => {$(
        impl $type {
            /// The name as written in the config.
            pub fn name(self) -> &'static str {
                names::variants::<$type>()[self as usize]
            }
        }
    )*};
}

named!(Field, Weight, Key, Format, ChartKind);

impl ChartKind {
    /// Whether a chart of this kind can draw the value of `metric`.
    fn draws(self, metric: &Metric) -> bool {
        match self {
            ChartKind::Bar | ChartKind::GroupedBar => {
                matches!(metric, Metric::ShareBy { .. } | Metric::LogHistogram { .. })
            }
            ChartKind::Line | ChartKind::Area => matches!(metric, Metric::CountByMonth { .. }),
            ChartKind::Histogram => matches!(metric, Metric::LogHistogram { .. }),
            ChartKind::Lorenz => matches!(metric, Metric::Lorenz { .. }),
        }
    }
}

#[cfg(test)]
mod tests;
