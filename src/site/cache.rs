//! The figure cache: what an edition's data step computed, kept in `.stateof-cache/` at
//! the project root so that a build whose data did not change skips it.
//!
//! An entry is found by a `Key`: the SHA-256 of everything the value was computed from
//! (the caller says what that is) and of the tool itself, so a changed snapshot,
//! figure definition, registry or stateof binary is a different key, never a stale
//! hit. Snapshot checksums are remembered apart, by file size and modification time,
//! so an unchanged snapshot is recognised without reading it again.
//!
//! The cache is only ever an optimisation: an entry that cannot be read, parsed, or
//! that would not give back exactly what was stored is ignored (and rebuilt), and a
//! failed write is not an error. Writes go through a temporary file and a rename, so
//! a reader never sees half an entry, even with builds running side by side. This
//! module knows files and keys; what a value holds is the caller's business.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::snapshot::sha256_hex;

/// The cache folder, at the project root.
pub const DIR: &str = ".stateof-cache";
/// Changed whenever what is cached changes shape, so old entries are not read.
const FORMAT: u32 = 5;
/// How many value entries are kept; the least recently written go first.
const KEEP: usize = 64;
/// A checksum is trusted only for files last modified this long before they were read:
/// a file changed again within the same clock tick would keep its modification time.
const SETTLED: Duration = Duration::from_millis(100);

/// The cache of one project, or a stand-in that never hits and never writes.
#[derive(Debug)]
pub struct Cache {
    dir: Option<PathBuf>,
    index: Index,
}

/// What identifies a cached value: a hex SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key(String);

impl Key {
    /// The key of a value computed from `inputs` by this build of stateof.
    pub fn of(inputs: &impl Serialize) -> Key {
        let inputs = serde_json::to_string(inputs).expect("cache inputs serialize");
        let text = format!("{FORMAT}\n{}\n{inputs}", tool());
        Key(sha256_hex(text.as_bytes()))
    }
}

/// Snapshot file → what it was when last read.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Index {
    snapshots: BTreeMap<String, Seen>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Seen {
    stat: Stat,
    sha256: String,
}

/// The parts of a file's metadata that change when it is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    len: u64,
    /// Nanoseconds since the Unix epoch.
    modified: u64,
    /// Status change time and inode, where the platform has them (0 elsewhere).
    changed: u64,
    inode: u64,
}

const INDEX: &str = "snapshots.json";
const ENTRIES: &str = "figures";

impl Cache {
    /// The cache of the project at `root`, created on first write.
    pub fn open(root: &Path) -> Cache {
        let dir = root.join(DIR);
        let index = read_json(&dir.join(INDEX)).unwrap_or_default();
        Cache {
            dir: Some(dir),
            index,
        }
    }

    /// A cache that never hits and never writes (`--no-cache`).
    pub fn disabled() -> Cache {
        Cache {
            dir: None,
            index: Index::default(),
        }
    }

    /// The SHA-256 of the file at `path` as last read, if it has not changed since.
    pub fn snapshot_sha256(&self, path: &Path) -> Option<String> {
        self.dir.as_ref()?;
        let seen = self.index.snapshots.get(&index_key(path)?)?;
        (stat(path)? == seen.stat).then(|| seen.sha256.clone())
    }

    /// Records that the file at `path`, as read from `read_at` on, has this SHA-256.
    pub fn remember_snapshot(&mut self, path: &Path, sha256: &str, read_at: SystemTime) {
        let Some(dir) = &self.dir else {
            return;
        };
        let (Some(key), Some(stat)) = (index_key(path), stat(path)) else {
            return;
        };
        let settled = UNIX_EPOCH + Duration::from_nanos(stat.modified) + SETTLED <= read_at;
        if !settled {
            self.index.snapshots.remove(&key);
            return;
        }
        let seen = Seen {
            stat,
            sha256: sha256.to_owned(),
        };
        if self.index.snapshots.get(&key) != Some(&seen) {
            self.index.snapshots.insert(key, seen);
            let _ = write_json(&dir.join(INDEX), &self.index);
        }
    }

    /// The value stored under `key`, if there is a readable one.
    pub fn get<T: DeserializeOwned>(&self, key: &Key) -> Option<T> {
        read_json(&self.entry(key)?)
    }

    /// Stores `value` under `key`, unless reading it back would not give it exactly
    /// (a number JSON cannot hold, such as NaN).
    pub fn put<T: Serialize + DeserializeOwned + PartialEq>(&self, key: &Key, value: &T) {
        let Some(path) = self.entry(key) else {
            return;
        };
        let Ok(text) = serde_json::to_string(value) else {
            return;
        };
        if serde_json::from_str::<T>(&text).ok().as_ref() != Some(value) {
            return;
        }
        if write(&path, text.as_bytes()).is_ok() {
            prune(path.parent().expect("entries have a folder"), KEEP);
        }
    }

    fn entry(&self, key: &Key) -> Option<PathBuf> {
        Some(
            self.dir
                .as_ref()?
                .join(ENTRIES)
                .join(format!("{}.json", key.0)),
        )
    }
}

/// This build of stateof: its version, and its executable's size and time, so that a
/// rebuilt binary (whose metrics may have changed) does not read older entries.
fn tool() -> String {
    let exe = std::env::current_exe().ok().and_then(|exe| stat(&exe));
    let (len, modified) = exe.map_or((0, 0), |s| (s.len, s.modified));
    format!("stateof {} {len} {modified}", env!("CARGO_PKG_VERSION"))
}

/// The index's name for a file: its canonical path.
fn index_key(path: &Path) -> Option<String> {
    Some(fs::canonicalize(path).ok()?.to_string_lossy().into_owned())
}

/// The metadata of the file at `path` that changes when it is written.
pub fn stat(path: &Path) -> Option<Stat> {
    let meta = fs::metadata(path).ok()?;
    let nanos = |time: SystemTime| {
        time.duration_since(UNIX_EPOCH)
            .ok()?
            .as_nanos()
            .try_into()
            .ok()
    };
    #[cfg(unix)]
    let (changed, inode) = {
        use std::os::unix::fs::MetadataExt;
        let changed = (meta.ctime() as u64)
            .saturating_mul(1_000_000_000)
            .saturating_add(meta.ctime_nsec() as u64);
        (changed, meta.ino())
    };
    #[cfg(not(unix))]
    let (changed, inode) = (0, 0);
    Some(Stat {
        len: meta.len(),
        modified: nanos(meta.modified().ok()?)?,
        changed,
        inode,
    })
}

fn read_json<T: DeserializeOwned>(path: &Path) -> Option<T> {
    serde_json::from_slice(&fs::read(path).ok()?).ok()
}

fn write_json(path: &Path, value: &impl Serialize) -> anyhow::Result<()> {
    write(path, &serde_json::to_vec(value)?)
}

/// Writes `bytes` to `path` (see `output::replace_file`), making its folder first.
fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    fs::create_dir_all(path.parent().expect("cache files have a folder"))?;
    crate::output::replace_file(path, bytes, false)
}

/// Removes all but the `keep` most recently written entries in `dir`.
fn prune(dir: &Path, keep: usize) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(SystemTime, PathBuf)> = entries
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let path = entry.path();
            let is_entry = path.extension().is_some_and(|e| e == "json");
            is_entry.then_some((entry.metadata().ok()?.modified().ok()?, path))
        })
        .collect();
    if files.len() <= keep {
        return;
    }
    files.sort();
    for (_, path) in &files[..files.len() - keep] {
        let _ = fs::remove_file(path);
    }
}

#[cfg(test)]
#[path = "cache_tests.rs"]
mod tests;
