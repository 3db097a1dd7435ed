//! `stateof refresh`: moves the edition in progress to the newest commit of the Hub's
//! daily dump, by reference, for the refresh workflow.
//!
//! The edition is the newest one (drafts included) whose front matter has no
//! `published` date, or the one named, which must not be published either: a
//! published edition's data is final. Its data becomes a new snapshot folder
//! `snapshots/<date>/` (the commit's day) that holds only a `manifest.json` naming the
//! dataset, the commit, and each file's size, SHA-256 and rows: the files, one per
//! kind the report's figures count (`of`), are fetched and verified into the data
//! cache (`fetch::reference`), never into the project. The edition's `snapshot` line is
//! rewritten to name the folder's first file, and the folder it named before is
//! removed when it held only a manifest by reference that no other edition names.
//! Nothing it writes into the project is larger than a manifest.
//!
//! `plan` decides (no network), `run` does the work; the network stays in `fetch`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::fetch::{dump, reference, Hub};
use crate::markdown::Lined;
use crate::snapshot::{DatasetRef, Kind, Manifest, MANIFEST};
use crate::{config, content};

/// The edition a refresh moves, and what its figures count.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub edition: String,
    /// Its `index.md`.
    pub index: PathBuf,
    /// Its `snapshot` line, if it has one.
    pub snapshot: Option<Lined<String>>,
    /// The kinds the report's figures count, in `Kind` order.
    pub kinds: Vec<Kind>,
}

/// The edition to refresh in the project at `root`: `edition` when given (it must exist
/// and not be published), else the newest edition without `published`; `None` when
/// every edition is published.
pub fn plan(root: &Path, edition: Option<&str>) -> Result<Option<Plan>> {
    let config = config::load(root)?;
    let editions = content::load(root, true)?.editions;
    let chosen = match edition {
        Some(slug) => {
            let Some(found) = editions.iter().find(|e| e.slug == slug) else {
                bail!(
                    "there is no edition `{slug}` to refresh{}",
                    crate::suggest::did_you_mean(slug, editions.iter().map(|e| e.slug.as_str()))
                );
            };
            if let Some(published) = &found.index.front.published {
                bail!(
                    "{}:{}: edition `{slug}` was published on {}: its data is final; refresh \
                     an edition without `published`",
                    found.index.path.display(),
                    published.line,
                    published.value
                );
            }
            found
        }
        None => match editions.iter().find(|e| e.index.front.published.is_none()) {
            Some(found) => found,
            None => return Ok(None),
        },
    };
    let kinds: BTreeSet<Kind> = config.figures.values().map(|f| f.of).collect();
    let kinds = if kinds.is_empty() {
        vec![Kind::Models]
    } else {
        kinds.into_iter().collect()
    };
    Ok(Some(Plan {
        edition: chosen.slug.clone(),
        index: chosen.index.path.clone(),
        snapshot: chosen.index.front.snapshot.clone(),
        kinds,
    }))
}

/// Where the dump is and where its files go.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub root: PathBuf,
    /// The dataset repository, `owner/name`.
    pub repo: String,
    /// The revision to move to (its commit is what the manifest records).
    pub revision: String,
    /// The data cache (`fetch::reference::cache_dir`).
    pub cache: PathBuf,
    pub bar: bool,
    /// Then remove from the cache every commit no snapshot of the project names (for
    /// CI, where the cache belongs to the project).
    pub prune: bool,
}

/// What a refresh did.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The edition's `snapshot` now, relative to the project.
    pub snapshot: String,
    pub dataset: DatasetRef,
    /// False when the edition named this commit already (nothing was written).
    pub changed: bool,
    /// The files downloaded into the cache.
    pub downloaded: Vec<String>,
    /// The snapshot folder removed, no longer named by any edition.
    pub removed: Option<PathBuf>,
    /// The commit folders removed from the cache.
    pub pruned: Vec<PathBuf>,
}

/// Moves `plan`'s edition to the commit `options.revision` resolves to.
pub fn run(hub: &Hub, plan: &Plan, options: &Options) -> Result<Outcome> {
    let root = options.root.as_path();
    let revision = dump::resolve(hub, &options.repo, &options.revision)?;
    let names: BTreeSet<String> = plan.kinds.iter().map(|&k| dump::file_name(k)).collect();
    let named =
        |manifest: &Manifest| {
            manifest.dataset.as_ref().is_some_and(|d| {
                d.repo == revision.dataset.repo && d.commit == revision.dataset.commit
            }) && manifest.files.keys().cloned().collect::<BTreeSet<_>>() == names
        };
    let current = plan.snapshot.as_ref().map(|s| root.join(&s.value));
    let mut outcome = Outcome {
        snapshot: plan
            .snapshot
            .as_ref()
            .map(|s| s.value.clone())
            .unwrap_or_default(),
        dataset: revision.dataset.clone(),
        changed: false,
        downloaded: Vec::new(),
        removed: None,
        pruned: Vec::new(),
    };
    if current
        .as_deref()
        .and_then(manifest_beside)
        .is_some_and(|m| named(&m))
    {
        outcome.pruned = prune(root, options)?;
        return Ok(outcome);
    }
    let folder = format!("snapshots/{}", revision.date());
    let first = dump::file_name(plan.kinds[0]);
    outcome.snapshot = format!("{folder}/{first}");
    let out = root.join(&folder);
    if !out.exists() {
        let fetched = dump::fetch_resolved(
            hub,
            &revision,
            &dump::Options {
                repo: options.repo.clone(),
                revision: options.revision.clone(),
                kinds: plan.kinds.clone(),
                out: out.clone(),
                by_reference: Some(options.cache.clone()),
                bar: options.bar,
            },
        )?;
        outcome.downloaded = fetched.downloaded;
    } else if !manifest_beside(&out.join(&first)).is_some_and(|m| named(&m)) {
        bail!(
            "`{}` already exists and holds another snapshot than {} at {}: move it away, \
             or point the edition at it by hand",
            out.display(),
            revision.dataset.repo,
            revision.dataset.commit
        );
    }
    let text = fs::read_to_string(&plan.index)
        .with_context(|| format!("failed to read `{}`", plan.index.display()))?;
    let line = plan.snapshot.as_ref().map(|s| s.line);
    let text = set_snapshot(&text, line, &outcome.snapshot).with_context(|| {
        format!(
            "cannot point `{}` at the new snapshot",
            plan.index.display()
        )
    })?;
    crate::output::replace_file(&plan.index, text.as_bytes(), true)?;
    outcome.changed = true;
    if let Some(old) = current.as_deref().and_then(Path::parent) {
        if old != out && removable(root, old)? {
            fs::remove_dir_all(old)
                .with_context(|| format!("failed to remove `{}`", old.display()))?;
            outcome.removed = Some(old.to_path_buf());
        }
    }
    outcome.pruned = prune(root, options)?;
    Ok(outcome)
}

/// The manifest beside the snapshot file `path`, if it can be read.
fn manifest_beside(path: &Path) -> Option<Manifest> {
    let text = fs::read(path.with_file_name(MANIFEST)).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Whether the snapshot folder `dir` can go: inside the project, holding nothing but a
/// manifest by reference, named by no edition now.
fn removable(root: &Path, dir: &Path) -> Result<bool> {
    // The project's root is `""` when it is the current folder.
    let here = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let inside = match (fs::canonicalize(here), fs::canonicalize(dir)) {
        (Ok(root), Ok(dir)) => dir.starts_with(&root) && dir != root,
        _ => false,
    };
    let only_manifest = fs::read_dir(dir).is_ok_and(|entries| {
        let names: Vec<_> = entries.flatten().map(|e| e.file_name()).collect();
        names == [MANIFEST]
    });
    let by_reference = manifest_beside(&dir.join(MANIFEST)).is_some_and(|m| m.dataset.is_some());
    if !(inside && only_manifest && by_reference) {
        return Ok(false);
    }
    let named = snapshot_files(root)?
        .iter()
        .any(|f| f.parent() == Some(dir));
    Ok(!named)
}

/// The snapshot file of every edition (drafts included), as the project names it.
fn snapshot_files(root: &Path) -> Result<Vec<PathBuf>> {
    let editions = content::load(root, true)?.editions;
    Ok((editions.iter())
        .filter_map(|e| e.index.front.snapshot.as_ref())
        .map(|s| root.join(&s.value))
        .collect())
}

/// With `options.prune`, removes from the cache the commits no edition names.
fn prune(root: &Path, options: &Options) -> Result<Vec<PathBuf>> {
    if !options.prune {
        return Ok(Vec::new());
    }
    let keep: Vec<DatasetRef> = (snapshot_files(root)?.iter())
        .filter_map(|f| manifest_beside(f)?.dataset)
        .collect();
    reference::prune(&options.cache, &keep)
}

/// `text` (a content file) with its front matter's `snapshot` set to `value`: the line
/// `line` rewritten, or, without one, a line added before the closing `+++`.
pub fn set_snapshot(text: &str, line: Option<usize>, value: &str) -> Result<String> {
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let (at, replace) = match line {
        Some(line) => match lines.get(line.wrapping_sub(1)) {
            Some(old) if old.trim_start().starts_with("snapshot") => (line - 1, true),
            Some(_) => bail!("line {line} does not start with `snapshot =`; set it by hand"),
            None => bail!("line {line} (its `snapshot`) is past the end of the file"),
        },
        None => match lines.iter().skip(1).position(|l| l.trim_end() == "+++") {
            Some(fence) => (fence + 1, false),
            None => bail!("no closing `+++` line ends the front matter"),
        },
    };
    let ending = if lines[at].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let setting = format!("snapshot = \"{escaped}\"{ending}");
    let mut out = String::with_capacity(text.len() + setting.len());
    for (i, l) in lines.iter().enumerate() {
        if i == at {
            out.push_str(&setting);
            if replace {
                continue;
            }
        }
        out.push_str(l);
    }
    Ok(out)
}

#[cfg(test)]
#[path = "refresh_tests.rs"]
mod tests;
