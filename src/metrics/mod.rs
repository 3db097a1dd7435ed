//! Metrics: pure functions from a snapshot (and the organisation registry) to figures.

use std::collections::BTreeMap;

use anyhow::Result;

use crate::config::FigureDef;
use crate::figures::Figures;
use crate::registry::Registry;
use crate::snapshot::Snapshot;

/// Computes every figure in `defs` for one edition. Growth figures are left for
/// `resolve_growth`, which needs the earlier edition.
pub fn compute(
    defs: &BTreeMap<String, FigureDef>,
    snapshot: &Snapshot,
    registry: &Registry,
    edition: &str,
) -> Result<Figures> {
    let _ = (defs, snapshot, registry, edition);
    anyhow::bail!("metrics are not implemented yet")
}
