//! The report config (`stateof.toml` at a project's root): site settings, the figures
//! every edition computes, and the charts drawn from them.
//!
//! Parsing is apart from disk I/O (`parse` takes text) so it can be tested on strings;
//! `load` adds the file name to every error. Unknown keys are errors, so a typo in a
//! metric definition never silently falls back to a default.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::dates::Month;

/// The file name of the report config at a project's root.
pub const FILE_NAME: &str = "stateof.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
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
    #[serde(default)]
    pub figures: BTreeMap<String, FigureDef>,
    /// Charts drawn for every edition, by name.
    #[serde(default)]
    pub charts: BTreeMap<String, ChartDef>,
}

fn default_registry() -> String {
    "content/data/organizations.toml".to_owned()
}

/// One named figure: what to compute and how to show it.
///
/// Not `deny_unknown_fields`: serde cannot combine it with `flatten`. The flattened
/// `Metric` denies unknown fields itself, so a misspelt key is still an error.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct FigureDef {
    /// A short human label ("Share of downloads in the top 200 models").
    pub label: String,
    #[serde(flatten)]
    pub metric: Metric,
    /// How a value reads in prose, tables and chart labels; see `FigureDef::format`.
    #[serde(default)]
    pub format: Option<Format>,
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
    /// A figure no snapshot can give, stated with its source.
    Sourced {
        value: f64,
        source: String,
        #[serde(default)]
        url: Option<String>,
    },
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
    Downloads,
    Likes,
}

/// What a share is weighted by.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Weight {
    Count,
    Downloads,
    Likes,
}

/// Categorical keys a row can be grouped by.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
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

/// Reads and parses the report config of the project at `root`.
pub fn load(root: &Path) -> Result<Config> {
    let path = root.join(FILE_NAME);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("failed to read the report config `{}`", path.display()))?;
    parse(&text).with_context(|| format!("invalid report config `{}`", path.display()))
}

/// Parses the report config from TOML text and checks what can be checked without
/// data: names, the figures charts and growth figures refer to, and chart kinds.
pub fn parse(text: &str) -> Result<Config> {
    let config: Config = toml::from_str(text)?;
    for name in config.figures.keys().chain(config.charts.keys()) {
        check_name(name)?;
    }
    for (name, figure) in &config.figures {
        if let Metric::Growth { figure: of } = &figure.metric {
            let Some(base) = config.figures.get(of) else {
                bail!(
                    "figure `{name}` measures the growth of unknown figure `{of}`{}",
                    crate::suggest::did_you_mean(of, config.figures.keys())
                );
            };
            if !base.metric.is_scalar() || matches!(base.metric, Metric::Growth { .. }) {
                bail!("figure `{name}` measures the growth of `{of}`, which is not a single computed number");
            }
        }
    }
    for (name, chart) in &config.charts {
        let Some(figure) = config.figures.get(&chart.figure) else {
            bail!(
                "chart `{name}` draws unknown figure `{}`{}",
                chart.figure,
                crate::suggest::did_you_mean(&chart.figure, config.figures.keys())
            );
        };
        if !chart.kind.draws(&figure.metric) {
            bail!(
                "chart `{name}` is a {} chart, which cannot draw figure `{}` (metric `{}`); {}",
                chart.kind.name(),
                chart.figure,
                figure.metric.name(),
                chart.kind.needs()
            );
        }
    }
    Ok(config)
}

/// Figure and chart names become file names and element ids, so they are kept plain.
fn check_name(name: &str) -> Result<()> {
    let plain = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !plain {
        bail!("`{name}` cannot be a figure or chart name: use letters, digits, `_` and `-` only");
    }
    Ok(())
}

impl Metric {
    /// The metric's name as written in the config.
    pub fn name(&self) -> &'static str {
        match self {
            Metric::Count { .. } => "count",
            Metric::Sum { .. } => "sum",
            Metric::Quantile { .. } => "quantile",
            Metric::ShareBelow { .. } => "share_below",
            Metric::TopShare { .. } => "top_share",
            Metric::Gini { .. } => "gini",
            Metric::Hhi { .. } => "hhi",
            Metric::Lorenz { .. } => "lorenz",
            Metric::ShareBy { .. } => "share_by",
            Metric::ShareOf { .. } => "share_of",
            Metric::CountByMonth { .. } => "count_by_month",
            Metric::LogHistogram { .. } => "log_histogram",
            Metric::Top { .. } => "top",
            Metric::Growth { .. } => "growth",
            Metric::Sourced { .. } => "sourced",
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

impl ChartKind {
    /// The kind's name as written in the config.
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Bar => "bar",
            ChartKind::GroupedBar => "grouped-bar",
            ChartKind::Line => "line",
            ChartKind::Area => "area",
            ChartKind::Histogram => "histogram",
            ChartKind::Lorenz => "lorenz",
        }
    }

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

    fn needs(self) -> &'static str {
        match self {
            ChartKind::Bar | ChartKind::GroupedBar => {
                "bars draw `share_by` or `log_histogram` figures"
            }
            ChartKind::Line | ChartKind::Area => "time series draw `count_by_month` figures",
            ChartKind::Histogram => "histograms draw `log_histogram` figures",
            ChartKind::Lorenz => "Lorenz curves draw `lorenz` figures",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "title = \"t\"\ndescription = \"d\"\nbase-url = \"https://x.org/\"\n";

    fn error(body: &str) -> String {
        format!("{:#}", parse(&format!("{HEAD}{body}")).unwrap_err())
    }

    #[test]
    fn unknown_metric_fields_are_errors() {
        let msg = error("[figures.a]\nlabel = \"a\"\nmetric = \"count\"\nfliter = 1\n");
        assert!(msg.contains("fliter"), "{msg}");
    }

    #[test]
    fn since_is_a_month() {
        let msg =
            error("[figures.m]\nlabel = \"m\"\nmetric = \"count_by_month\"\nsince = \"2024-1\"\n");
        assert!(msg.contains("`2024-1` is not a month"), "{msg}");
    }

    #[test]
    fn names_must_be_plain() {
        let msg = error("[figures.\"../x\"]\nlabel = \"a\"\nmetric = \"count\"\n");
        assert!(msg.contains("cannot be a figure or chart name"), "{msg}");
    }

    #[test]
    fn chart_kind_must_suit_the_metric() {
        let msg = error(
            "[figures.a]\nlabel = \"a\"\nmetric = \"share_by\"\nkey = \"author\"\nweight = \"count\"\n\
             [charts.c]\nkind = \"line\"\nfigure = \"a\"\ntitle = \"t\"\n",
        );
        assert!(
            msg.contains("chart `c` is a line chart") && msg.contains("count_by_month"),
            "{msg}"
        );
    }

    #[test]
    fn growth_needs_a_scalar_base() {
        let msg = error(
            "[figures.a]\nlabel = \"a\"\nmetric = \"count_by_month\"\n\
             [figures.g]\nlabel = \"g\"\nmetric = \"growth\"\nfigure = \"a\"\n",
        );
        assert!(msg.contains("not a single computed number"), "{msg}");
    }

    #[test]
    fn formats_default_by_metric() {
        let config = parse(&format!(
            "{HEAD}[figures.g]\nlabel = \"g\"\nmetric = \"growth\"\nfigure = \"n\"\n\
             [figures.n]\nlabel = \"n\"\nmetric = \"count\"\n\
             [figures.s]\nlabel = \"s\"\nmetric = \"top_share\"\nfield = \"downloads\"\nn = 2\n\
             [figures.c]\nlabel = \"c\"\nmetric = \"count\"\nformat = \"compact\"\n"
        ))
        .unwrap();
        assert_eq!(config.figures["g"].format(), Format::Change);
        assert_eq!(config.figures["n"].format(), Format::Thousands);
        assert_eq!(config.figures["s"].format(), Format::Percent);
        assert_eq!(config.figures["c"].format(), Format::Compact);
    }
}
