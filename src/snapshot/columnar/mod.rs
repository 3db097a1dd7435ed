//! Parquet snapshot files: `models.parquet`, `datasets.parquet`, `spaces.parquet`, as the
//! Hub's daily metadata dump (`cfahlgren1/hub-stats`) and its weekly archive
//! (`hfmlsoc/hub_weekly_snapshots`) publish them.
//!
//! The dump's columns are the Hub API's fields under the API's names (`docs/hub-stats.md`
//! records what is known of its schema and where that was found), so a Parquet row is
//! read into the same `Repos` row as the JSON entry it came from, by the same function
//! (`row::add`, through `decode`). Only the columns a snapshot's rows need are read
//! (`schema`): the heavy nested ones (`cardData`, `siblings`, `config`, `safetensors`)
//! are never decoded nor read from disk.
//!
//! Row groups are decoded on every core: a worker takes the next row group and decodes
//! it a batch of rows at a time, each batch into a part with an interner of its own;
//! the caller's thread merges the parts in file order (`chunks::append`), so symbols
//! and the first of each repeated id come out exactly as a reader going row by row
//! would give them. Each worker has a few parts of its own in circulation, so memory
//! is bounded by the batches in flight, not by the file's or a row group's size. The
//! file's SHA-256 is computed on a thread of its own meanwhile.
//!
//! A damaged file (truncated, not Parquet, a footer that does not match the data, a
//! column of another type, a page that does not decode) is an error naming the file,
//! and the column and row group where one is at fault. The decoder is not trusted to
//! fail politely on every corrupt input: a panic inside it is caught and reported as
//! such an error too. No figure is computed from a file that did not read whole.

mod decode;
mod schema;
pub mod write;

use std::collections::BTreeMap;
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{self, Read as _};
use std::os::unix::fs::FileExt;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::Arc;
use std::thread;

use anyhow::{bail, Context, Result};
use bytes::Bytes;
use hashbrown::DefaultHashBuilder;
use parquet::file::reader::{ChunkReader, FileReader, Length, SerializedFileReader};
use sha2::{Digest, Sha256};

use super::chunks::{self, Plan};
use super::{Kind, Repos};

/// A Parquet file, read.
pub(super) struct Read {
    /// The rows, with every id kept once (the first).
    pub repos: Repos,
    /// Rows read, repeated ids included.
    pub entries: u64,
    /// A few of the repeated ids.
    pub repeated: Vec<String>,
    pub sha256: String,
    /// The fields the file has no column for.
    pub absent: Vec<&'static str>,
}

/// Reads every row of the Parquet file at `path` into columns of `kind`.
pub(super) fn read(path: &Path, kind: Kind, plan: &Plan) -> Result<Read> {
    let file = File::open(path)
        .with_context(|| format!("failed to open the snapshot `{}`", path.display()))?;
    let hashing = {
        let file = file
            .try_clone()
            .with_context(|| format!("failed to open the snapshot `{}`", path.display()))?;
        thread::spawn(move || sha256_of(file))
    };
    let reader = guarded(|| SerializedFileReader::new(Positional::new(file)?))
        .map_err(|err| not_parquet(path, err))?;
    let metadata = reader.metadata();
    let layout = schema::layout(metadata.file_metadata().schema_descr(), kind)
        .map_err(|err| anyhow::anyhow!("`{}`: {err}", path.display()))?;
    let groups = metadata.num_row_groups();
    let footer_rows: i64 = (0..groups).map(|i| metadata.row_group(i).num_rows()).sum();
    if footer_rows != metadata.file_metadata().num_rows() {
        bail!(
            "`{}`: the footer says {} rows, but its row groups hold {footer_rows}: the file \
             is corrupt",
            path.display(),
            metadata.file_metadata().num_rows()
        );
    }
    let (repos, hashes) =
        decode_all(&reader, &layout, kind, plan).map_err(|(group, message)| {
            anyhow::anyhow!(
                "`{}`: row group {} of {groups}: {message}",
                path.display(),
                group + 1
            )
        })?;
    let sha256 = hashing
        .join()
        .unwrap_or_else(|panic| panic::resume_unwind(panic))
        .with_context(|| format!("failed to read `{}`", path.display()))?;
    let mut repos = repos;
    let entries = repos.len() as u64;
    let repeated = chunks::dedup(&mut repos, &hashes);
    repos.shrink_to_fit();
    let absent = layout.absent.iter().map(|field| field.name()).collect();
    Ok(Read {
        repos,
        entries,
        repeated,
        sha256,
        absent,
    })
}

/// The number of rows a Parquet file's footer gives: what a manifest records.
pub fn rows(path: &Path) -> Result<u64> {
    let file = File::open(path).with_context(|| format!("failed to open `{}`", path.display()))?;
    let reader = guarded(|| SerializedFileReader::new(Positional::new(file)?))
        .map_err(|err| not_parquet(path, err))?;
    let rows = reader.metadata().file_metadata().num_rows();
    u64::try_from(rows)
        .map_err(|_| anyhow::anyhow!("`{}`: the footer says {rows} rows", path.display()))
}

fn not_parquet(path: &Path, err: String) -> anyhow::Error {
    anyhow::anyhow!(
        "`{}` is not a readable Parquet file ({err}): is it truncated, or not Parquet at all?",
        path.display()
    )
}

/// A part of a row group, decoded: the rows and the hash of each row's id.
struct Part {
    rows: Repos,
    hashes: Vec<u64>,
    /// The worker whose part this is, to give it back to.
    owner: usize,
}

/// A decoded part, on its way to the merger.
struct Done {
    group: usize,
    batch: usize,
    last: bool,
    result: Result<(), String>,
    part: Part,
}

/// Parts each worker has in circulation: one being filled, one being merged.
const PARTS_PER_WORKER: usize = 2;

/// Decodes every row group on `plan.workers` threads and merges the parts in order.
/// An error names the row group (0-based) it happened in.
fn decode_all<R: ChunkReader + 'static>(
    reader: &SerializedFileReader<R>,
    layout: &schema::Layout,
    kind: Kind,
    plan: &Plan,
) -> Result<(Repos, Vec<u64>), (usize, String)> {
    let groups = reader.metadata().num_row_groups();
    let workers = plan.workers.clamp(1, groups.max(1));
    let next_group = AtomicUsize::new(0);
    let hasher = DefaultHashBuilder::default();
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    let mut free_txs = Vec::new();
    let mut free_rxs = Vec::new();
    for owner in 0..workers {
        let (tx, rx) = mpsc::sync_channel::<Part>(PARTS_PER_WORKER);
        for _ in 0..PARTS_PER_WORKER {
            let part = Part {
                rows: Repos::default(),
                hashes: Vec::new(),
                owner,
            };
            tx.send(part).expect("the receiver is here");
        }
        free_txs.push(tx);
        free_rxs.push(rx);
    }
    thread::scope(|scope| {
        for free in free_rxs {
            let (done, next_group, hasher) = (done_tx.clone(), &next_group, &hasher);
            scope.spawn(move || {
                work(
                    reader,
                    (layout, kind, plan),
                    (next_group, free, done),
                    hasher,
                )
            });
        }
        drop(done_tx);
        // The merger owns the way back: once it stops, early or not, a worker
        // waiting for a part of its own stops too.
        merge(done_rx, free_txs, kind)
    })
}

/// A worker: decodes row groups until none are left, or the merger has stopped.
fn work<R: ChunkReader + 'static>(
    reader: &SerializedFileReader<R>,
    (layout, kind, plan): (&schema::Layout, Kind, &Plan),
    (next_group, free, done): (&AtomicUsize, Receiver<Part>, Sender<Done>),
    hasher: &DefaultHashBuilder,
) {
    let groups = reader.metadata().num_row_groups();
    loop {
        let group = next_group.fetch_add(1, Ordering::Relaxed);
        if group >= groups {
            return;
        }
        let rows = reader.metadata().row_group(group).num_rows().max(0) as usize;
        let mut opened = None;
        let per_batch = plan.batch_rows.max(1);
        let batches = rows.div_ceil(per_batch).max(1);
        for batch in 0..batches {
            let Ok(mut part) = free.recv() else {
                return;
            };
            part.rows.clear();
            part.rows.kind = kind;
            part.hashes.clear();
            let take = (rows - batch * per_batch).min(per_batch);
            let result = guarded(|| {
                if opened.is_none() {
                    let group_reader = reader.get_row_group(group).map_err(|e| e.to_string())?;
                    opened = Some(decode::RowGroup::open(group_reader.as_ref(), layout)?);
                }
                let row_group = opened.as_mut().expect("opened above");
                row_group.read_into(take, &mut part.rows)
            });
            part.hashes.extend(
                (part.rows.id.iter()).map(|&id| hasher.hash_one(part.rows.strings.get(id))),
            );
            let failed = result.is_err();
            let last = batch + 1 == batches || failed;
            if done
                .send(Done {
                    group,
                    batch,
                    last,
                    result,
                    part,
                })
                .is_err()
                || failed
            {
                return;
            }
        }
    }
}

/// The merger: appends the parts in file order (row group, then batch), and gives each
/// part back to its worker once it is in.
fn merge(
    done: Receiver<Done>,
    free: Vec<SyncSender<Part>>,
    kind: Kind,
) -> Result<(Repos, Vec<u64>), (usize, String)> {
    let mut repos = Repos {
        kind,
        ..Repos::default()
    };
    let mut hashes = Vec::new();
    let mut waiting = BTreeMap::new();
    let mut next = (0, 0);
    let mut remap = Vec::new();
    for part in done {
        waiting.insert((part.group, part.batch), part);
        while let Some(part) = waiting.remove(&next) {
            part.result.map_err(|message| (part.group, message))?;
            chunks::append(&mut repos, &part.part.rows, &mut remap);
            hashes.extend_from_slice(&part.part.hashes);
            next = if part.last {
                (next.0 + 1, 0)
            } else {
                (next.0, next.1 + 1)
            };
            // Fails only when the worker has finished: the part is not needed.
            let _ = free[part.part.owner].send(part.part);
        }
    }
    Ok((repos, hashes))
}

/// Runs `f`, turning a panic inside the Parquet decoder into an error: the crate is
/// not guaranteed to fail without one on every corrupt input.
fn guarded<T, E: ToString>(f: impl FnOnce() -> Result<T, E>) -> Result<T, String> {
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result.map_err(|err| err.to_string()),
        Err(panic) => {
            let what = (panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".into());
            Err(format!(
                "the Parquet decoder failed on corrupt data ({what})"
            ))
        }
    }
}

/// The lower-case hex SHA-256 of everything `file` holds.
fn sha256_of(mut file: File) -> io::Result<String> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buffer[..n]),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(super::read::hex(&hasher.finalize()))
}

/// A file read at explicit offsets (`pread`), so that every column's reader, on every
/// thread, reads its own part of the file without a shared cursor. (The crate's own
/// reader over `File` clones the descriptor, whose cursor the clones share.)
struct Positional {
    file: Arc<File>,
    len: u64,
}

impl Positional {
    fn new(file: File) -> parquet::errors::Result<Positional> {
        let len = file.metadata()?.len();
        Ok(Positional {
            file: Arc::new(file),
            len,
        })
    }
}

impl Length for Positional {
    fn len(&self) -> u64 {
        self.len
    }
}

impl ChunkReader for Positional {
    type T = io::BufReader<At>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        Ok(io::BufReader::with_capacity(
            64 << 10,
            At {
                file: Arc::clone(&self.file),
                offset: start,
            },
        ))
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        let end = start.checked_add(length as u64);
        if end.is_none_or(|end| end > self.len) {
            return Err(parquet::errors::ParquetError::EOF(format!(
                "{length} bytes at offset {start} lie past the end of the file ({} bytes)",
                self.len
            )));
        }
        let mut buffer = vec![0; length];
        self.file.read_exact_at(&mut buffer, start)?;
        Ok(buffer.into())
    }
}

/// A reader of `file` from `offset` on.
struct At {
    file: Arc<File>,
    offset: u64,
}

impl io::Read for At {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read_at(buf, self.offset)?;
        self.offset += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod damage_tests;
#[cfg(test)]
mod tests;
