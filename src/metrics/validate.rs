//! Checks of figure definitions that need no data: ranges, month formats and the values
//! a key can take. Run once before any snapshot is read, so a typo in the report config
//! is reported as such, not as a failure to compute an edition.

use std::collections::BTreeMap;

use anyhow::{ensure, Context, Result};

use super::group::check_value;
use crate::config::{FigureDef, Filter, Metric};

/// Checks every figure definition; the error names the figure.
pub fn validate(defs: &BTreeMap<String, FigureDef>) -> Result<()> {
    for (name, def) in defs {
        check(&def.metric).with_context(|| format!("figure `{name}`"))?;
    }
    Ok(())
}

fn check(metric: &Metric) -> Result<()> {
    match metric {
        Metric::Count { filter } | Metric::Sum { filter, .. } => check_filter(filter.as_ref()),
        Metric::Quantile { q, filter, .. } => {
            ensure!(
                (0.0..=1.0).contains(q),
                "q must be between 0 and 1, not {q}"
            );
            check_filter(filter.as_ref())
        }
        Metric::ShareBelow {
            threshold, filter, ..
        } => {
            ensure!(threshold.is_finite(), "threshold must be a number");
            check_filter(filter.as_ref())
        }
        Metric::TopShare { n, .. } | Metric::Top { n, .. } => {
            ensure!(*n > 0, "n must be at least 1");
            Ok(())
        }
        Metric::Lorenz { points, .. } => {
            ensure!(*points > 0, "a Lorenz curve needs at least 1 point");
            Ok(())
        }
        Metric::ShareBy { filter, .. } => check_filter(filter.as_ref()),
        Metric::ShareOf {
            key, value, filter, ..
        } => {
            check_value(*key, value)?;
            check_filter(filter.as_ref())
        }
        Metric::CountByMonth { filter, .. } => check_filter(filter.as_ref()),
        Metric::Sourced { value, .. } => {
            ensure!(value.is_finite(), "value must be a number");
            Ok(())
        }
        Metric::Gini { .. } | Metric::Hhi { .. } | Metric::LogHistogram { .. } => Ok(()),
        Metric::Growth { .. } => Ok(()),
    }
}

fn check_filter(filter: Option<&Filter>) -> Result<()> {
    for value in filter.map_or(&[][..], |f| f.is.as_slice()) {
        check_value(filter.expect("values come from a filter").key, value)
            .context("in the filter")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixture::figure_defs;

    fn error(toml: &str) -> String {
        format!("{:#}", validate(&figure_defs(toml)).unwrap_err())
    }

    #[test]
    fn reports_the_figure_and_the_problem() {
        let msg = error(
            "[figures.med]\nlabel = \"m\"\nmetric = \"quantile\"\nfield = \"downloads\"\nq = 1.5\n",
        );
        assert!(
            msg.contains("figure `med`") && msg.contains("q must be between 0 and 1"),
            "{msg}"
        );
        let msg = error(
            "[figures.us]\nlabel = \"u\"\nmetric = \"share_of\"\nkey = \"author.country\"\nvalue = \"usa\"\nweight = \"count\"\n",
        );
        assert!(msg.contains("figure `us`") && msg.contains("usa"), "{msg}");
        let msg = error(
            "[figures.c]\nlabel = \"c\"\nmetric = \"count\"\nfilter = { key = \"derivative\", is = [\"merged\"] }\n",
        );
        assert!(msg.contains("merged") && msg.contains("filter"), "{msg}");
    }

    #[test]
    fn the_demo_config_is_valid() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/stateof.toml")).unwrap();
        validate(&crate::config::parse(&text).unwrap().figures).unwrap();
    }
}
