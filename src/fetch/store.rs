//! The partial folder of a fetch in progress, its resume state, and the finished snapshot.
//!
//! A fetch into `OUT` works in `OUT.partial/`: one uncompressed `<kind>.jsonl` part per
//! kind and `state.json`, which records per kind the next page's URL, the rows and the
//! byte length of the part that are complete. Each page is appended and synced before
//! the state is replaced (write + rename), so the state never counts a line that is not
//! on disk; a page written after the last state update is cut off again (the part is
//! truncated to the recorded length) before anything more is appended. Finishing
//! compresses the parts into `<kind>.jsonl.zst`, writes `manifest.json`, and renames the
//! finished folder to `OUT` in one step: a snapshot is whole or absent.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Kind;
use crate::snapshot::{ManifestFile, MANIFEST};

/// The resume state's file name, in the partial folder.
pub const STATE: &str = "state.json";

/// The finished snapshot's staging folder, inside the partial folder.
const STAGING: &str = "snapshot";

/// The zstd level of the snapshot files: most of level 19's ratio at many times its speed.
const ZSTD_LEVEL: i32 = 10;

/// What a fetch has done so far: everything needed to continue it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    pub endpoint: String,
    /// When the fetch started (RFC 3339, UTC); the snapshot's date is its day.
    pub started_at: String,
    /// `--limit`: at most this many entries per kind.
    pub limit: Option<u64>,
    pub kinds: Vec<KindState>,
}

/// One kind's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindState {
    pub kind: Kind,
    /// The first page's path and query (`/api/models?limit=1000&expand[]=…`).
    pub query: String,
    /// The next page to fetch; `None` once the kind is complete.
    pub next: Option<String>,
    /// Entries (lines) in the part so far.
    pub rows: u64,
    /// Byte length of the part's complete lines.
    pub bytes: u64,
    pub pages: u64,
}

/// The `manifest.json` of a fetched snapshot. `snapshot::Manifest` reads the fields it
/// knows (source, date, synthetic, files) and ignores the rest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FetchManifest {
    pub source: String,
    pub date: String,
    pub synthetic: bool,
    pub endpoint: String,
    /// Kind → the first page's path and query; later pages follow the Hub's cursors.
    pub query: BTreeMap<String, String>,
    pub limit: Option<u64>,
    pub fetched_at: String,
    pub finished_at: String,
    pub tool_version: String,
    pub files: BTreeMap<String, ManifestFile>,
}

/// A fetch in progress: its partial folder and state.
#[derive(Debug)]
pub struct Partial {
    dir: PathBuf,
    out: PathBuf,
    pub state: State,
}

/// The partial folder of a fetch into `out`: `OUT.partial` beside it.
pub fn partial_dir(out: &Path) -> Result<PathBuf> {
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| format!("`{}` cannot be a snapshot folder", out.display()))?;
    Ok(out.with_file_name(format!("{name}.partial")))
}

/// The manifest's `source`, which a report shows as the origin of its data: the public
/// Hub by its name, any other endpoint (a mirror, a test server) by its address.
pub fn source_label(endpoint: &str) -> String {
    if endpoint.trim_end_matches('/') == super::DEFAULT_ENDPOINT {
        "Hugging Face Hub API".to_owned()
    } else {
        format!("Hub API at {}", endpoint.trim_end_matches('/'))
    }
}

/// Starts a new fetch into `out`; neither `out` nor its partial folder may exist.
pub fn create(out: &Path, state: State) -> Result<Partial> {
    refuse_existing(out)?;
    let dir = partial_dir(out)?;
    if dir.exists() {
        bail!(
            "`{}` holds an unfinished fetch: add --resume to continue it, or remove that folder to start over",
            dir.display()
        );
    }
    fs::create_dir_all(&dir).with_context(|| format!("failed to create `{}`", dir.display()))?;
    let partial = Partial {
        dir,
        out: out.to_path_buf(),
        state,
    };
    partial.save()?;
    Ok(partial)
}

/// Continues the unfinished fetch into `out` from its partial folder.
pub fn resume(out: &Path) -> Result<Partial> {
    refuse_existing(out)?;
    let dir = partial_dir(out)?;
    let path = dir.join(STATE);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == io::ErrorKind::NotFound => bail!(
            "there is no unfinished fetch to resume (`{}` does not exist): run without --resume",
            path.display()
        ),
        Err(err) => {
            return Err(err).with_context(|| format!("failed to read `{}`", path.display()))
        }
    };
    let state: State = serde_json::from_str(&text).with_context(|| {
        format!(
            "`{}` is damaged: remove `{}` and fetch again",
            path.display(),
            dir.display()
        )
    })?;
    let partial = Partial {
        dir,
        out: out.to_path_buf(),
        state,
    };
    for kind in &partial.state.kinds {
        let part = partial.part(kind.kind);
        let len = fs::metadata(&part).map_or(0, |m| m.len());
        if len < kind.bytes {
            bail!(
                "`{}` is shorter ({len} bytes) than its state says ({} bytes): remove `{}` and fetch again",
                part.display(),
                kind.bytes,
                partial.dir.display()
            );
        }
    }
    Ok(partial)
}

pub(super) fn refuse_existing(out: &Path) -> Result<()> {
    if out.exists() {
        bail!(
            "`{}` already exists: fetch into a new folder (a snapshot is never overwritten)",
            out.display()
        );
    }
    Ok(())
}

impl Partial {
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn part(&self, kind: Kind) -> PathBuf {
        self.dir.join(format!("{}.jsonl", kind.name()))
    }

    /// Appends one page of `lines` to kind number `index` and records `next` as the page
    /// to fetch after it. Whatever follows the recorded length of the part (a page
    /// written before an interruption cut off the state update) is dropped first.
    pub fn append(&mut self, index: usize, lines: &[String], next: Option<String>) -> Result<()> {
        let kind = &self.state.kinds[index];
        let path = self.part(kind.kind);
        let mut file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("failed to open `{}`", path.display()))?;
        let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
        for line in lines {
            text.push_str(line);
            text.push('\n');
        }
        let written = file
            .set_len(kind.bytes)
            .and_then(|()| file.seek(SeekFrom::End(0)))
            .and_then(|_| file.write_all(text.as_bytes()))
            .and_then(|()| file.sync_data());
        written.with_context(|| format!("failed to write `{}`", path.display()))?;
        let kind = &mut self.state.kinds[index];
        kind.rows += lines.len() as u64;
        kind.bytes += text.len() as u64;
        kind.pages += 1;
        kind.next = next;
        self.save()
    }

    /// Replaces the state file in one step (write a temporary file, then rename).
    fn save(&self) -> Result<()> {
        let mut text = serde_json::to_string_pretty(&self.state)?;
        text.push('\n');
        crate::output::replace_file(&self.dir.join(STATE), text.as_bytes(), true)
    }

    /// Compresses the parts, writes the manifest and moves the snapshot to `OUT`.
    pub fn finish(self) -> Result<FetchManifest> {
        if let Some(kind) = self.state.kinds.iter().find(|k| k.next.is_some()) {
            bail!("{} is not complete yet", kind.kind.name());
        }
        let staging = self.dir.join(STAGING);
        if staging.exists() {
            fs::remove_dir_all(&staging)
                .with_context(|| format!("failed to clear `{}`", staging.display()))?;
        }
        fs::create_dir(&staging)
            .with_context(|| format!("failed to create `{}`", staging.display()))?;
        let mut files = BTreeMap::new();
        for kind in &self.state.kinds {
            let name = format!("{}.jsonl.zst", kind.kind.name());
            let file = compress(&self.part(kind.kind), kind, &staging.join(&name))?;
            files.insert(name, file);
        }
        let authors = staging.join(crate::authors::FILE);
        if let Some(file) = super::authors::finish(&self.dir, &authors)? {
            files.insert(crate::authors::FILE.to_owned(), file);
        }
        let manifest = FetchManifest {
            source: source_label(&self.state.endpoint),
            date: self.state.started_at.chars().take(10).collect(),
            synthetic: false,
            endpoint: self.state.endpoint.clone(),
            query: self
                .state
                .kinds
                .iter()
                .map(|k| (k.kind.name().to_owned(), k.query.clone()))
                .collect(),
            limit: self.state.limit,
            fetched_at: self.state.started_at.clone(),
            finished_at: rfc3339(SystemTime::now()),
            tool_version: concat!("stateof ", env!("CARGO_PKG_VERSION")).to_owned(),
            files,
        };
        let mut text = serde_json::to_string_pretty(&manifest)?;
        text.push('\n');
        write_synced(&staging.join(MANIFEST), text.as_bytes())?;
        // `rename` would replace an empty folder that appeared meanwhile; refuse that too.
        refuse_existing(&self.out)?;
        fs::rename(&staging, &self.out).with_context(|| {
            format!(
                "failed to move `{}` to `{}`",
                staging.display(),
                self.out.display()
            )
        })?;
        fs::remove_dir_all(&self.dir).with_context(|| {
            format!(
                "the snapshot is complete in `{}`, but removing `{}` failed",
                self.out.display(),
                self.dir.display()
            )
        })?;
        Ok(manifest)
    }
}

/// Compresses the recorded length of `part` into `target`; returns its rows and sha256.
fn compress(part: &Path, kind: &KindState, target: &Path) -> Result<ManifestFile> {
    let context = || {
        format!(
            "failed to compress `{}` into `{}`",
            part.display(),
            target.display()
        )
    };
    let mut input = File::open(part).with_context(context)?.take(kind.bytes);
    let output = File::create(target).with_context(context)?;
    let hashing = HashingWriter {
        inner: output,
        hasher: Sha256::new(),
    };
    let mut encoder = zstd::Encoder::new(hashing, ZSTD_LEVEL).with_context(context)?;
    let mut buffer = vec![0u8; 1 << 20];
    let mut rows = 0u64;
    loop {
        let n = input.read(&mut buffer).with_context(context)?;
        if n == 0 {
            break;
        }
        rows += buffer[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        encoder.write_all(&buffer[..n]).with_context(context)?;
    }
    let hashing = encoder.finish().with_context(context)?;
    hashing.inner.sync_all().with_context(context)?;
    if rows != kind.rows {
        bail!(
            "`{}` holds {rows} lines but the fetch recorded {}: remove its folder and fetch again",
            part.display(),
            kind.rows
        );
    }
    Ok(ManifestFile {
        rows,
        sha256: hex(&hashing.hasher.finalize()),
        size: None,
    })
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file =
        File::create(path).with_context(|| format!("failed to create `{}`", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("failed to write `{}`", path.display()))
}

/// A writer that hashes every byte it passes on.
struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `time` as RFC 3339 in UTC, to the second: `2026-11-22T09:30:00Z`.
pub fn rfc3339(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = crate::dates::civil(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
