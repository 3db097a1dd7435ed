//! The data step of a build: each edition's snapshot loaded and its figures computed,
//! or both taken from the cache (`cache`) when nothing they depend on has changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use super::cache::{self, Cache};
use crate::config::{self, Config, FigureDef, Format, Key, Metric, Weight};
use crate::content::Edition;
use crate::dates::Date;
use crate::figures::{Figures, Left};
use crate::metrics::Unmatched;
use crate::registry::{Registry, UNATTRIBUTED};
use crate::snapshot::Kind;
use crate::{metrics, snapshot, suggest};

/// What a build knows about one edition's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditionData {
    pub figures: Figures,
    pub snapshot: SnapshotInfo,
    /// Share of models and of downloads whose author the registry knows.
    pub coverage: Coverage,
    /// Values the figures ask for that no row of the snapshot has (see `check_values`).
    pub unmatched: Vec<Unmatched>,
    /// What the report's exclusions left out of each file, in config order.
    pub excluded: Vec<ExcludedRows>,
}

/// What one of the report's exclusions left out of one file of the snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExcludedRows {
    pub kind: Kind,
    /// The exclusion, as the config's `exclude` lists it.
    pub rule: usize,
    pub rows: u64,
    /// Their downloads in the last 30 days.
    pub downloads: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotInfo {
    /// The snapshot file as given (relative to the project root when it is inside it).
    pub file: String,
    pub sha256: String,
    /// Rows of the file as given (its models, usually).
    pub rows: u64,
    pub date: Option<String>,
    pub source: Option<String>,
    pub synthetic: bool,
    /// Every file read, the one given first.
    pub tables: Vec<TableInfo>,
}

/// One file of a snapshot: its kind, and what reading it found (repeated ids, missing
/// fields, placeholder dates; reported by `quality_warnings` and in the methodology's
/// data-quality table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableInfo {
    pub kind: Kind,
    pub file: String,
    pub sha256: String,
    pub rows: u64,
    pub quality: snapshot::Quality,
}

impl SnapshotInfo {
    /// The file of `kind`, if the snapshot has one.
    pub fn table(&self, kind: Kind) -> Option<&TableInfo> {
        self.tables.iter().find(|t| t.kind == kind)
    }
}

/// Each edition's data as this process last computed or loaded it, under the cache key
/// of its inputs. A preview server keeps one across rebuilds, so an edit to narrative,
/// templates or theme reuses every figure without reading a file, while a changed
/// snapshot, definition or registry (a different key) is computed afresh.
///
/// An entry holds while its snapshot files' sizes, times and inodes are as they were
/// just before they were read, and until the caller says a file changed (`forget`): a
/// preview server hears of every write, even one within the same clock tick as the
/// read, which the file's times alone could miss.
#[derive(Debug, Default)]
pub struct Memo {
    editions: BTreeMap<String, Memoised>,
}

#[derive(Debug)]
struct Memoised {
    /// The snapshot's files (`snapshot::files`), each with its metadata just before it
    /// was read and its SHA-256.
    files: Vec<(PathBuf, cache::Stat, String)>,
    key: cache::Key,
    data: EditionData,
}

impl Memo {
    /// Forgets what was computed from `file`, which has changed.
    pub fn forget(&mut self, file: &Path) {
        let same = |p: &Path| std::path::absolute(p).ok() == std::path::absolute(file).ok();
        (self.editions).retain(|_, m| !m.files.iter().any(|(path, ..)| same(path)));
    }

    /// The SHA-256 of each of `files` as edition `edition` last read them, if every one
    /// is unchanged since.
    fn sha256s(&self, edition: &str, files: &[PathBuf]) -> Option<Vec<String>> {
        let m = self.editions.get(edition)?;
        let unchanged = m.files.len() == files.len()
            && (m.files.iter().zip(files)).all(|((path, stat, _), file)| {
                path == file && cache::stat(file).as_ref() == Some(stat)
            });
        unchanged.then(|| m.files.iter().map(|(.., sha)| sha.clone()).collect())
    }

    /// Keeps `data`, computed by `edition` from `files` (path, its metadata before
    /// the read, its SHA-256), under `key`.
    fn keep(
        &mut self,
        edition: &str,
        files: Vec<(PathBuf, cache::Stat, String)>,
        key: cache::Key,
        data: &EditionData,
    ) {
        let memoised = Memoised {
            files,
            key,
            data: data.clone(),
        };
        self.editions.insert(edition.to_owned(), memoised);
    }
}

/// Where a build took an edition's figures from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Kept in memory from the previous build of this process.
    Memory,
    /// Read from the figure cache on disk.
    Cache,
    /// Computed from the snapshot.
    Snapshot,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub models: f64,
    pub downloads: f64,
}

/// Each edition's snapshot file: the `--snapshot` override, else the local copy of the
/// data its front matter names by reference (`fetched`), else its front matter.
pub fn snapshot_paths(
    root: &Path,
    editions: &[Edition],
    overrides: &BTreeMap<String, PathBuf>,
    fetched: &BTreeMap<String, PathBuf>,
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
        let named = overrides.get(&edition.slug).or(fetched.get(&edition.slug));
        let path = match (named, edition.index.front.snapshot.as_deref()) {
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

/// Where each edition's figures came from, in edition order.
pub type Sources = Vec<(String, Source)>;

/// What the data step of a build reads besides the editions.
pub struct Inputs<'a> {
    pub root: &'a Path,
    pub config: &'a Config,
    pub registry: &'a Registry,
    pub paths: &'a BTreeMap<String, PathBuf>,
    /// The editions whose data was fetched by reference (`BuildOptions::fetched`).
    pub fetched: &'a BTreeMap<String, PathBuf>,
    /// Every edition's date, drafts included (`Content::dates`): the seasons that
    /// dated sourced values belong to.
    pub dates: &'a BTreeMap<String, Date>,
}

/// Each edition's data, from memory, the cache or its snapshot, then its sourced values
/// and growth between editions (always resolved again: it is cheap, and depends on
/// other editions). Returns the data and where each edition's figures came from.
pub fn compute(
    inputs: &Inputs,
    editions: &[Edition],
    cache: &mut Cache,
    memo: &mut Memo,
) -> Result<(BTreeMap<String, EditionData>, Sources)> {
    let mut data = BTreeMap::new();
    let mut sources = Vec::new();
    for edition in editions {
        let (this, source) = edition_data(inputs, edition, cache, memo)?;
        data.insert(edition.slug.clone(), this);
        sources.push((edition.slug.clone(), source));
    }
    memo.editions.retain(|slug, _| data.contains_key(slug));
    let config = inputs.config;
    for edition in editions {
        let this = data.get_mut(&edition.slug).expect("computed above");
        let season = metrics::Season::of(inputs.dates, &edition.slug).unwrap_or(metrics::Season {
            after: None,
            until: edition.index.front.date,
        });
        metrics::resolve_sourced(&config.figures, &mut this.figures, &edition.slug, &season);
    }
    // Oldest first, so that an edition's growth figures see its predecessor complete.
    for edition in editions.iter().rev() {
        let previous = edition
            .index
            .front
            .compare_to
            .as_deref()
            .map(|slug| (slug.as_str(), data[slug].figures.clone()));
        let this = data.get_mut(&edition.slug).expect("computed above");
        let previous = previous.as_ref().map(|(slug, figures)| (*slug, figures));
        metrics::resolve_growth(&config.figures, &mut this.figures, &edition.slug, previous);
    }
    Ok((data, sources))
}

/// What an edition's data is computed from, hashed into its cache key.
#[derive(Serialize)]
struct KeyInputs<'a> {
    edition: &'a str,
    file: &'a str,
    /// The SHA-256 of each of the snapshot's files, the one given first.
    snapshot_sha256: &'a [String],
    /// The manifest beside the snapshot (its date and source show in the figures).
    manifest_sha256: Option<String>,
    figures: &'a BTreeMap<String, FigureDef>,
    exclude: &'a [config::Exclusion],
    registry: &'a Registry,
}

/// One edition's data before growth: from memory or the cache when its inputs are
/// unchanged, else computed from its snapshot and stored in both.
fn edition_data(
    inputs: &Inputs,
    edition: &Edition,
    cache: &mut Cache,
    memo: &mut Memo,
) -> Result<(EditionData, Source)> {
    let Inputs {
        root,
        config,
        registry,
        ..
    } = *inputs;
    let path = inputs.paths[&edition.slug].as_path();
    let file = display_path(root, path);
    let manifest = std::fs::read(path.with_file_name(snapshot::MANIFEST));
    let key = |sha256s: &[String]| {
        cache::Key::of(&KeyInputs {
            edition: &edition.slug,
            file: &file,
            snapshot_sha256: sha256s,
            manifest_sha256: manifest.as_ref().ok().map(|m| snapshot::sha256_hex(m)),
            figures: &config.figures,
            exclude: &config.exclude,
            registry,
        })
    };
    let files = snapshot::files(path);
    // Taken before anything is read: a write after it shows as a different stat.
    let stats: Option<Vec<cache::Stat>> = files.iter().map(|f| cache::stat(f)).collect();
    if let Some(sha256s) = memo.sha256s(&edition.slug, &files) {
        let m = &memo.editions[&edition.slug];
        if m.key == key(&sha256s) {
            return Ok((m.data.clone(), Source::Memory));
        }
    }
    let remembered: Option<Vec<String>> = files.iter().map(|f| cache.snapshot_sha256(f)).collect();
    if let (Some(sha256s), Some(stats)) = (remembered, stats.clone()) {
        let key = key(&sha256s);
        if let Some(data) = cache.get::<EditionData>(&key) {
            memo.keep(&edition.slug, read(&files, stats, sha256s), key, &data);
            return Ok((data, Source::Cache));
        }
    }

    let read_at = SystemTime::now();
    let mut snap = load(inputs, edition, path)?;
    let sha256s: Vec<String> = snap.tables.iter().map(|t| t.sha256.clone()).collect();
    for table in &snap.tables {
        cache.remember_snapshot(&table.path, &table.sha256, read_at);
    }
    let per_table = snapshot::exclude(&mut snap, &config.exclude);
    let excluded = excluded_rows(&snap, per_table);
    let tables = metrics::tables(&snap, registry);
    let (mut figures, coverage) =
        figures_and_coverage(&config.figures, &tables, &snap, &edition.slug)?;
    note_exclusions(&mut figures, config, &excluded);
    let unmatched = (tables.iter())
        .flat_map(|rows| metrics::unmatched(&config.figures, rows))
        .collect();
    drop(tables);
    let data = EditionData {
        figures,
        snapshot: snapshot_info(root, &snap),
        coverage,
        unmatched,
        excluded,
    };
    let key = key(&sha256s);
    cache.put(&key, &data);
    let same_files = snap
        .tables
        .iter()
        .map(|t| t.path.clone())
        .eq(files.iter().cloned());
    if let (Some(stats), true) = (stats, same_files) {
        memo.keep(&edition.slug, read(&files, stats, sha256s), key, &data);
    }
    Ok((data, Source::Snapshot))
}

/// What `snapshot::exclude` left out, file by file, as pages and the cache keep it.
fn excluded_rows(
    snap: &snapshot::Snapshot,
    per_table: Vec<Vec<snapshot::Excluded>>,
) -> Vec<ExcludedRows> {
    (snap.tables.iter().zip(per_table))
        .flat_map(|(table, excluded)| {
            excluded.into_iter().map(|e| ExcludedRows {
                kind: table.kind(),
                rule: e.rule,
                rows: e.rows,
                downloads: e.downloads,
            })
        })
        .collect()
}

/// Adds to each computed figure's provenance what the exclusions left out of the rows
/// of its kind, with the reasons (so `figures.json` records them).
fn note_exclusions(figures: &mut Figures, config: &Config, excluded: &[ExcludedRows]) {
    for (name, def) in &config.figures {
        let Some(figure) = figures.get_mut(name) else {
            continue;
        };
        if figure.provenance.rows.is_none() {
            continue; // sourced or growth: not computed from rows
        }
        figure.provenance.excluded = (excluded.iter())
            .filter(|e| e.kind == def.of)
            .map(|e| {
                let rule = &config.exclude[e.rule];
                Left {
                    what: rule.matches.to_string(),
                    reason: rule.reason.clone(),
                    rows: e.rows,
                }
            })
            .collect();
    }
}

/// Each file with its metadata before the read and its SHA-256, for `Memo::keep`.
fn read(
    files: &[PathBuf],
    stats: Vec<cache::Stat>,
    sha256s: Vec<String>,
) -> Vec<(PathBuf, cache::Stat, String)> {
    (files.iter().cloned().zip(stats).zip(sha256s))
        .map(|((path, stat), sha)| (path, stat, sha))
        .collect()
}

/// Reads the snapshot of `edition`; an error names the front matter line that gave it.
fn load(inputs: &Inputs, edition: &Edition, path: &Path) -> Result<snapshot::Snapshot> {
    let from_front_matter = (edition.index.front.snapshot.as_deref()).map(|f| inputs.root.join(f));
    let fetched = inputs.fetched.get(&edition.slug).is_some_and(|f| f == path);
    snapshot::load(path).with_context(|| {
        if from_front_matter.as_deref() == Some(path) || fetched {
            let copy = if fetched {
                format!(" (its data, fetched by reference, is `{}`)", path.display())
            } else {
                String::new()
            };
            format!(
                "{}:{}: cannot read the snapshot of edition `{}`{copy}",
                edition.index.path.display(),
                (edition.index.front.snapshot.as_ref()).map_or(1, |s| s.line),
                edition.slug
            )
        } else {
            format!(
                "cannot read the snapshot given for edition `{}` with --snapshot",
                edition.slug
            )
        }
    })
}

/// What pages show about the snapshot and each of its files.
fn snapshot_info(root: &Path, snap: &snapshot::Snapshot) -> SnapshotInfo {
    let manifest = snap.manifest.as_ref();
    let main = snap.main();
    SnapshotInfo {
        file: display_path(root, &main.path),
        sha256: main.sha256.clone(),
        rows: main.repos.len() as u64,
        date: manifest.map(|m| m.date.clone()),
        source: manifest.map(|m| m.source.clone()),
        synthetic: manifest.is_some_and(|m| m.synthetic),
        tables: (snap.tables.iter())
            .map(|t| TableInfo {
                kind: t.kind(),
                file: display_path(root, &t.path),
                sha256: t.sha256.clone(),
                rows: t.repos.len() as u64,
                quality: t.quality.clone(),
            })
            .collect(),
    }
}

/// The figures of `defs` and the registry's coverage, on every core: the definitions
/// are dealt out to threads in name order, and the coverage computed meanwhile, all
/// over the same `tables` (each row's organisation resolved once, by whichever thread
/// asks first). The result does not depend on how they were dealt: each figure is
/// computed alone.
fn figures_and_coverage(
    defs: &BTreeMap<String, FigureDef>,
    tables: &[metrics::Rows],
    snap: &snapshot::Snapshot,
    edition: &str,
) -> Result<(Figures, Coverage)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let count = threads.clamp(1, defs.len().max(1));
    let mut hands = vec![BTreeMap::new(); count];
    for (i, (name, def)) in defs.iter().enumerate() {
        hands[i % count].insert(name.clone(), def.clone());
    }
    let (parts, coverage) = std::thread::scope(|scope| {
        let threads: Vec<_> = hands
            .iter()
            .map(|hand| scope.spawn(|| metrics::compute_over(hand, tables, snap, edition)))
            .collect();
        let coverage = coverage(tables, snap, edition);
        let parts: Vec<Result<Figures>> = threads
            .into_iter()
            .map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect();
        (parts, coverage)
    });
    let mut figures = Figures::new();
    for part in parts {
        match part {
            Ok(part) => figures.extend(part),
            // Computed again in one pass, to report the first failing figure by name,
            // as a single pass would.
            Err(_) => {
                return Ok((
                    metrics::compute_over(defs, tables, snap, edition)?,
                    coverage?,
                ))
            }
        }
    }
    Ok((figures, coverage?))
}

/// The registry's coverage (models and downloads whose author, or the organisation it
/// is an alias of, the registry lists), computed with the same metrics as any figure.
fn coverage(
    tables: &[metrics::Rows],
    snap: &snapshot::Snapshot,
    edition: &str,
) -> Result<Coverage> {
    let unattributed = |weight| FigureDef {
        label: String::new(),
        of: Kind::Models,
        metric: Metric::ShareOf {
            key: Key::AuthorCountry,
            value: UNATTRIBUTED.to_owned(),
            weight,
            filter: None,
        },
        format: Some(Format::Percent),
        line: 0,
    };
    let defs = BTreeMap::from([
        ("models".to_owned(), unattributed(Weight::Count)),
        ("downloads".to_owned(), unattributed(Weight::Downloads)),
    ]);
    let figures = metrics::compute_over(&defs, tables, snap, edition)?;
    // With nothing to attribute, coverage is undefined (shown as n/a), not 100%.
    let share = |name: &str, total: u64| match total {
        0 => f64::NAN,
        _ => 1.0 - figures[name].number().unwrap_or(1.0),
    };
    let Some(models) = snap.table(Kind::Models).map(|t| &t.repos) else {
        return Ok(Coverage {
            models: f64::NAN,
            downloads: f64::NAN,
        });
    };
    Ok(Coverage {
        models: share("models", models.len() as u64),
        downloads: share("downloads", models.downloads.iter().sum()),
    })
}

/// The path relative to the project root when inside it, else the file name alone:
/// pages never show where the build ran (an absolute `--snapshot /home/…/x.jsonl`
/// shows as `x.jsonl`).
fn display_path(root: &Path, path: &Path) -> String {
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let inside = match (std::path::absolute(root), std::path::absolute(path)) {
        (Ok(root), Ok(path)) => normal(&path)
            .strip_prefix(normal(&root))
            .ok()
            .map(Path::to_path_buf),
        _ => None,
    };
    let shown = match inside {
        Some(relative) => relative,
        None => PathBuf::from(path.file_name().unwrap_or(path.as_os_str())),
    };
    shown.to_string_lossy().replace('\\', "/")
}

/// `path` with `.` and `..` components worked out in the text (not on disk).
fn normal(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_paths_are_never_absolute() {
        let cwd = std::env::current_dir().unwrap();
        let inside = cwd.join("snapshots/x/models.jsonl.zst");
        assert_eq!(
            display_path(Path::new(""), &inside),
            "snapshots/x/models.jsonl.zst"
        );
        let relative = Path::new("snapshots/./x/../x/models.jsonl");
        assert_eq!(
            display_path(Path::new(""), relative),
            "snapshots/x/models.jsonl"
        );
        let project = Path::new("proj");
        assert_eq!(
            display_path(project, Path::new("proj/s/m.jsonl")),
            "s/m.jsonl"
        );
        let outside = Path::new("/elsewhere/deep/m.jsonl.zst");
        assert_eq!(display_path(project, outside), "m.jsonl.zst");
        assert_eq!(
            display_path(Path::new(""), Path::new("../up/m.jsonl")),
            "m.jsonl"
        );
    }
}
