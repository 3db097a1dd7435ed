//! The data step of a build: each edition's snapshot loaded and its figures computed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::config::{Config, FigureDef, Format, Key, Metric, Weight};
use crate::content::{line_of_key, Edition};
use crate::figures::Figures;
use crate::registry::{Registry, UNATTRIBUTED};
use crate::{metrics, snapshot, suggest};

/// What a build knows about one edition's data.
#[derive(Debug, Clone, Serialize)]
pub struct EditionData {
    pub figures: Figures,
    pub snapshot: SnapshotInfo,
    /// Share of models and of downloads whose author the registry knows.
    pub coverage: Coverage,
}

#[derive(Debug, Clone, Serialize)]
pub struct SnapshotInfo {
    /// The snapshot file as given (relative to the project root when it is inside it).
    pub file: String,
    pub sha256: String,
    pub rows: u64,
    pub date: Option<String>,
    pub source: Option<String>,
    pub synthetic: bool,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Coverage {
    pub models: f64,
    pub downloads: f64,
}

/// Each edition's snapshot file: the `--snapshot` override, else its front matter.
pub fn snapshot_paths(
    root: &Path,
    editions: &[Edition],
    overrides: &BTreeMap<String, PathBuf>,
) -> Result<BTreeMap<String, PathBuf>> {
    for name in overrides.keys() {
        if !editions.iter().any(|e| &e.slug == name) {
            bail!(
                "--snapshot names unknown edition `{name}`{}",
                suggest::did_you_mean(name, editions.iter().map(|e| e.slug.as_str()))
            );
        }
    }
    let mut paths = BTreeMap::new();
    for edition in editions {
        let path = match (overrides.get(&edition.slug), &edition.index.front.snapshot) {
            (Some(path), _) => path.clone(),
            (None, Some(file)) => root.join(file),
            (None, None) => bail!(
                "{}:1: edition `{}` names no `snapshot` in its front matter (or pass \
                 --snapshot {}=PATH)",
                edition.index.path.display(),
                edition.slug,
                edition.slug
            ),
        };
        paths.insert(edition.slug.clone(), path);
    }
    Ok(paths)
}

/// Loads every edition's snapshot and computes its figures, then growth between editions.
pub fn compute(
    root: &Path,
    config: &Config,
    registry: &Registry,
    editions: &[Edition],
    paths: &BTreeMap<String, PathBuf>,
) -> Result<BTreeMap<String, EditionData>> {
    let mut data = BTreeMap::new();
    for edition in editions {
        let path = &paths[&edition.slug];
        let snap = snapshot::load(path).with_context(|| {
            format!(
                "{}:{}: cannot read the snapshot of edition `{}`",
                edition.index.path.display(),
                line_of_key(&edition.index.path, "snapshot"),
                edition.slug
            )
        })?;
        let figures = metrics::compute(&config.figures, &snap, registry, &edition.slug)?;
        let coverage = coverage(&snap, registry, &edition.slug)?;
        let manifest = snap.manifest.as_ref();
        let info = SnapshotInfo {
            file: display_path(root, path),
            sha256: snap.sha256.clone(),
            rows: snap.models.len() as u64,
            date: manifest.map(|m| m.date.clone()),
            source: manifest.map(|m| m.source.clone()),
            synthetic: manifest.is_some_and(|m| m.synthetic),
        };
        data.insert(
            edition.slug.clone(),
            EditionData {
                figures,
                snapshot: info,
                coverage,
            },
        );
    }
    // Oldest first, so that an edition's growth figures see its predecessor complete.
    for edition in editions.iter().rev() {
        let previous = edition
            .index
            .front
            .compare_to
            .as_ref()
            .map(|slug| (slug.as_str(), data[slug].figures.clone()));
        let this = data.get_mut(&edition.slug).expect("computed above");
        let previous = previous.as_ref().map(|(slug, figures)| (*slug, figures));
        metrics::resolve_growth(&config.figures, &mut this.figures, &edition.slug, previous)?;
    }
    Ok(data)
}

/// The registry's coverage, computed with the same metrics as any figure.
fn coverage(snap: &snapshot::Snapshot, registry: &Registry, edition: &str) -> Result<Coverage> {
    let unattributed = |weight| FigureDef {
        label: String::new(),
        metric: Metric::ShareOf {
            key: Key::AuthorKind,
            value: UNATTRIBUTED.to_owned(),
            weight,
            filter: None,
        },
        format: Some(Format::Percent),
    };
    let defs = BTreeMap::from([
        ("models".to_owned(), unattributed(Weight::Count)),
        ("downloads".to_owned(), unattributed(Weight::Downloads)),
    ]);
    let figures = metrics::compute(&defs, snap, registry, edition)?;
    let share = |name: &str| 1.0 - figures[name].number().unwrap_or(1.0);
    Ok(Coverage {
        models: share("models"),
        downloads: share("downloads"),
    })
}

/// The path relative to the project root when inside it, so pages do not depend on
/// where the build ran.
fn display_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
