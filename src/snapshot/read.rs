//! Reading snapshot files into `Models` columns.

use std::path::Path;

use anyhow::Result;

use super::Snapshot;

/// Reads the snapshot at `path` (`.jsonl`, `.jsonl.gz`, `.jsonl.zst`) and the
/// `manifest.json` beside it, if any.
pub fn load(path: &Path) -> Result<Snapshot> {
    anyhow::bail!(
        "reading snapshots is not implemented yet: {}",
        path.display()
    )
}
