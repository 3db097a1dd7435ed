//! Parsing a stream of JSON lines on every core, with the result of a sequential reader.
//!
//! Three stages run at once: a splitter reads the (decompressed) stream into large
//! chunks cut at line ends; workers parse whole chunks, each into columns with an
//! interner of its own; the caller's thread merges the parsed chunks in file order,
//! re-interning each chunk's strings into the snapshot's interner. Since chunk `k`'s
//! strings are merged after those of every earlier chunk, and in the order the chunk
//! first saw them, every symbol gets the number a single pass over the file would have
//! given it: the columns are the same, whatever the chunk size or thread count.
//! Workers also hash each row's id, and once everything is merged, `dedup` drops the
//! rows whose id an earlier row had (the first is kept, as a line-by-line reader
//! keeping the first would).
//!
//! Memory stays bounded: a fixed set of slots (a chunk's text, then its rows)
//! circulates from the splitter to a worker, to the merger and back, so the
//! decompressed text is never held whole, and a line longer than `Plan::max_line` is
//! refused as soon as that much of it is read (a slot grows to hold one whole line).
//! A UTF-8 byte order mark at the very start of the text is skipped, as editors and
//! some exporters write one; anywhere else it is an error on its line. This module knows lines and chunks; what a
//! line holds is `row`'s business, and files, compression and checksums are `read`'s.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::BuildHasher;
use std::io::{self, Read};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::Mutex;
use std::thread;

use anyhow::{bail, Context, Result};
use hashbrown::DefaultHashBuilder;

use super::{row, Kind, Repos, Sym};

/// How the work is cut up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Bytes of text per chunk (a chunk always ends at a line end, so it may be longer
    /// when one line is).
    pub chunk_bytes: usize,
    /// Threads parsing chunks.
    pub workers: usize,
    /// Slots in circulation: the most chunks held at once.
    pub slots: usize,
    /// The longest line read, in bytes: a longer one is an error, found once this
    /// much of it is in memory. At least `chunk_bytes`.
    pub max_line: usize,
    /// Parquet rows decoded per batch (see `columnar`).
    pub batch_rows: usize,
}

/// The longest snapshot line: a Hub entry is a few kilobytes (a model with hundreds
/// of tags, tens), so a line this long is not an entry but a file of another shape
/// (one JSON document, a file without line ends).
pub(crate) const MAX_LINE: usize = 16 << 20;

/// The UTF-8 byte order mark.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

impl Default for Plan {
    /// A worker per core, up to 8 (one merger could not keep up with more), and 4 MB
    /// chunks, two per worker and two more in flight: at most 72 MB of text.
    fn default() -> Self {
        let workers = thread::available_parallelism().map_or(1, |n| n.get().min(8));
        Plan {
            chunk_bytes: 4 << 20,
            workers,
            slots: 2 * workers + 2,
            max_line: MAX_LINE,
            batch_rows: 16 * 1024,
        }
    }
}

/// The memory one chunk goes through, reused from chunk to chunk: its text, then its
/// rows. (Fresh memory for each would cost page faults and table growth every time.)
#[derive(Default)]
struct Slot {
    /// The text; only a prefix of it is the chunk's. Kept initialised, so reuse is free.
    text: Vec<u8>,
    /// The chunk's rows, with an interner of their own.
    rows: Repos,
    /// The hash of each row's id, for finding repeated ids (`dedup`).
    hashes: Vec<u64>,
}

/// A piece of the text, ending at a line end (or at the end of the text).
struct Chunk {
    index: usize,
    slot: Slot,
    /// The chunk is `slot.text[..len]`.
    len: usize,
}

/// A chunk parsed into `slot.rows`: how many lines it had (blank ones included), or
/// its first bad line.
struct Parsed {
    index: usize,
    result: Result<u64, BadLine>,
    slot: Slot,
}

struct BadLine {
    /// 1-based, within the chunk.
    line: u64,
    message: String,
}

/// Reads every line of `reader` into columns. A bad line is an error naming
/// `path:line`; a read error, one naming the line the text stopped at.
/// Returns the columns, with every id kept once (the first), the number of entries
/// read and a few of the repeated ids.
pub(super) fn parse(
    reader: &mut (dyn Read + Send),
    path: &Path,
    kind: Kind,
    plan: &Plan,
) -> Result<(Repos, u64, Vec<String>)> {
    let slots = plan.slots.max(2);
    let (free_tx, free_rx) = mpsc::sync_channel::<Slot>(slots);
    for _ in 0..slots {
        free_tx.send(Slot::default()).expect("the receiver is here");
    }
    // Room for every slot: the splitter never waits to hand a chunk on.
    let (work_tx, work_rx) = mpsc::sync_channel::<Chunk>(slots);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<Parsed>();
    let chunk_bytes = plan.chunk_bytes.max(1);
    let max_line = plan.max_line.max(chunk_bytes);
    let hasher = DefaultHashBuilder::default();

    thread::scope(|scope| {
        let splitter =
            scope.spawn(move || split(reader, (chunk_bytes, max_line), free_rx, work_tx));
        for _ in 0..plan.workers.max(1) {
            let (work_rx, done_tx, hasher) = (&work_rx, done_tx.clone(), &hasher);
            scope.spawn(move || work(work_rx, done_tx, hasher, kind));
        }
        drop(done_tx);
        let merged = merge(done_rx, free_tx, path, kind);
        let split = splitter
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let (mut models, lines, hashes) = merged?;
        match split {
            Ok(()) => {}
            Err(Stop::Read(err)) => {
                return Err(err).with_context(|| {
                    format!(
                        "failed to read `{}` at line {}: the file is truncated or corrupt",
                        path.display(),
                        lines + 1
                    )
                })
            }
            Err(Stop::LongLine) => bail!(
                "{}:{}: a line longer than {}: a snapshot holds one Hub entry per \
                 line, each a few kilobytes; is this file JSON lines (one object per \
                 line), or one JSON document or a file without line ends?",
                path.display(),
                lines + 1,
                size(max_line)
            ),
        }
        let entries = models.len() as u64;
        let repeated = dedup(&mut models, &hashes);
        drop(hashes);
        models.shrink_to_fit();
        Ok((models, entries, repeated))
    })
}

/// `bytes` for people: `16 MB`, or `100 bytes` below a megabyte.
fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{} MB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// Why the splitter stopped before the end of the text.
enum Stop {
    /// The reader failed (a truncated or corrupt compressed file).
    Read(io::Error),
    /// The line after the chunks handed on is longer than `Plan::max_line`.
    LongLine,
}

/// The splitter: fills slots from `reader` and cuts them after their last line end;
/// the rest of the last line starts the next chunk. Stops early, without error, when
/// the merger has stopped (it drops its end of `free`). `limits` is the chunk size and
/// the longest line.
///
/// A slot always starts at a line start, and is cut as soon as it holds a line end; so
/// every line but its first lies within the bytes of its last read (at most
/// `chunk_bytes`), and checking the first line's length checks them all.
fn split(
    reader: &mut (dyn Read + Send),
    (chunk_bytes, max_line): (usize, usize),
    free: Receiver<Slot>,
    work: SyncSender<Chunk>,
) -> Result<(), Stop> {
    let Ok(mut slot) = free.recv() else {
        return Ok(());
    };
    let mut len = 0;
    let mut index = 0;
    // The bytes at the start of the slot known to hold no line end.
    let mut clean = 0;
    loop {
        let filled = fill(reader, &mut slot.text, &mut len, chunk_bytes);
        let first_end = memchr::memchr(b'\n', &slot.text[clean..len]).map(|i| clean + i);
        if first_end.unwrap_or(len) > max_line {
            return Err(Stop::LongLine);
        }
        clean = first_end.map_or(len, |_| 0);
        let at_end = match filled {
            Ok(at_end) => at_end,
            Err(err) => {
                // The complete lines read so far are parsed first, as a reader going
                // line by line would have.
                if let Some(end) = memchr::memrchr(b'\n', &slot.text[..len]) {
                    let chunk = Chunk {
                        index,
                        slot,
                        len: end + 1,
                    };
                    let _ = work.send(chunk);
                }
                return Err(Stop::Read(err));
            }
        };
        if at_end {
            if len > 0 {
                let _ = work.send(Chunk { index, slot, len });
            }
            return Ok(());
        }
        // A line longer than a chunk: keep reading until it ends.
        let Some(end) = memchr::memrchr(b'\n', &slot.text[..len]) else {
            continue;
        };
        let Ok(mut next) = free.recv() else {
            return Ok(());
        };
        let rest = len - (end + 1);
        if next.text.len() < rest + chunk_bytes {
            next.text.resize(rest + chunk_bytes, 0);
        }
        next.text[..rest].copy_from_slice(&slot.text[end + 1..len]);
        let chunk = Chunk {
            index,
            slot,
            len: end + 1,
        };
        if work.send(chunk).is_err() {
            return Ok(());
        }
        index += 1;
        slot = next;
        len = rest;
    }
}

/// Reads until `buffer[..len]` holds at least `chunk_bytes` more than a line's worth, or
/// the text ends (then returns true).
fn fill(
    reader: &mut (dyn Read + Send),
    buffer: &mut Vec<u8>,
    len: &mut usize,
    chunk_bytes: usize,
) -> io::Result<bool> {
    let target = if *len >= chunk_bytes {
        *len + chunk_bytes
    } else {
        chunk_bytes
    };
    if buffer.len() < target {
        buffer.resize(target, 0);
    }
    while *len < target {
        match reader.read(&mut buffer[*len..target]) {
            Ok(0) => return Ok(true),
            Ok(n) => *len += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(false)
}

/// A worker: parses chunks until there are none left or no one wants the results.
fn work(
    chunks: &Mutex<Receiver<Chunk>>,
    done: Sender<Parsed>,
    hasher: &DefaultHashBuilder,
    kind: Kind,
) {
    loop {
        let next = match chunks.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(mut chunk) = next else {
            return;
        };
        let Slot { text, rows, hashes } = &mut chunk.slot;
        rows.clear();
        rows.kind = kind;
        let mut text = &text[..chunk.len];
        if chunk.index == 0 {
            text = text.strip_prefix(BOM).unwrap_or(text);
        }
        let result = parse_chunk(text, rows);
        hashes.clear();
        hashes.extend(
            rows.id
                .iter()
                .map(|&id| hasher.hash_one(rows.strings.get(id))),
        );
        let parsed = Parsed {
            index: chunk.index,
            result,
            slot: chunk.slot,
        };
        if done.send(parsed).is_err() {
            return;
        }
    }
}

/// Parses the lines of one chunk into `rows`; blank lines (JSON whitespace only) are
/// skipped. Returns how many lines there were.
fn parse_chunk(text: &[u8], rows: &mut Repos) -> Result<u64, BadLine> {
    let mut lines = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let (line, after) = match memchr::memchr(b'\n', rest) {
            Some(end) => (&rest[..end], &rest[end + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        lines += 1;
        rest = after;
        if line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
            continue;
        }
        if let Err(message) = row::push(rows, line) {
            return Err(BadLine {
                line: lines,
                message,
            });
        }
    }
    Ok(lines)
}

/// The merger: appends parsed chunks to the snapshot's columns in file order, and
/// returns each slot to the splitter once its chunk is in. Returns the columns and
/// the number of lines read and the hash of each row's id.
fn merge(
    done: Receiver<Parsed>,
    free: SyncSender<Slot>,
    path: &Path,
    kind: Kind,
) -> Result<(Repos, u64, Vec<u64>)> {
    let mut models = Repos {
        kind,
        ..Repos::default()
    };
    let mut hashes = Vec::new();
    let mut lines = 0;
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    let mut remap = Vec::new();
    for parsed in done {
        waiting.insert(parsed.index, parsed);
        while let Some(parsed) = waiting.remove(&next) {
            match parsed.result {
                Ok(count) => {
                    append(&mut models, &parsed.slot.rows, &mut remap);
                    hashes.extend_from_slice(&parsed.slot.hashes);
                    lines += count;
                }
                Err(bad) => bail!("{}:{}: {}", path.display(), lines + bad.line, bad.message),
            }
            // Fails only when the splitter has finished: the slot is not needed.
            let _ = free.send(parsed.slot);
            next += 1;
        }
    }
    Ok((models, lines, hashes))
}

/// How many repeated ids a snapshot's warning names.
const REPEATS_NAMED: usize = 5;

/// Drops every row whose id an earlier row has; returns the first few such ids.
///
/// Ids are all but always unique, so the search goes by the ids' hashes: cut into
/// 256 parts by their top bits and each part sorted (on every core), which stays in
/// cache, where one table of every hash would not. Only rows whose hash repeats have their ids compared.
pub(super) fn dedup(models: &mut Repos, hashes: &[u64]) -> Vec<String> {
    // Room for a part a little larger than the average, so that few grow.
    let room = hashes.len() / 256 + hashes.len() / 2048 + 16;
    let mut parts: Vec<Vec<u64>> = (0..256).map(|_| Vec::with_capacity(room)).collect();
    for &h in hashes {
        parts[(h >> 56) as usize].push(h);
    }
    // The parts sorted on every core: this runs after the last chunk, while nothing
    // else does.
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = parts.len().div_ceil(threads);
    let repeated: HashSet<u64> = thread::scope(|scope| {
        let sorting: Vec<_> = parts
            .chunks_mut(per_thread)
            .map(|mine| {
                scope.spawn(move || {
                    let mut repeated = Vec::new();
                    for part in mine {
                        part.sort_unstable();
                        repeated.extend(part.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]));
                    }
                    repeated
                })
            })
            .collect();
        sorting
            .into_iter()
            .flat_map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    drop(parts);
    if repeated.is_empty() {
        return Vec::new();
    }
    let mut first_of: HashMap<&str, usize> = HashMap::new();
    let mut keep = vec![true; models.len()];
    let mut named = Vec::new();
    for (row, h) in hashes.iter().enumerate() {
        if !repeated.contains(h) {
            continue;
        }
        let id = models.strings.get(models.id[row]);
        if first_of.insert(id, row).is_some() {
            keep[row] = false;
            if named.len() < REPEATS_NAMED && !named.iter().any(|n| n == id) {
                named.push(id.to_owned());
            }
        }
    }
    models.retain(&keep);
    named
}

/// Appends `part`'s rows to `models`. Its strings are re-interned in the order of
/// their symbols in `part`, which is the order `row::push` first met them, so symbols
/// are numbered as if every row had been pushed to `models` directly. `to` is scratch
/// space: `part`'s symbols → `models`'.
pub(super) fn append(models: &mut Repos, part: &Repos, to: &mut Vec<Sym>) {
    let (into, from) = (&mut models.strings, &part.strings);
    to.clear();
    to.extend((0..from.len()).map(|i| into.intern(from.get(Sym(i as u32)))));
    let map = |column: &[Sym], into: &mut Vec<Sym>| {
        into.extend(column.iter().map(|sym| to[sym.0 as usize]));
    };
    map(&part.author, &mut models.author);
    map(&part.license, &mut models.license);
    map(&part.pipeline_tag, &mut models.pipeline_tag);
    map(&part.library_name, &mut models.library_name);
    map(&part.base_model, &mut models.base_model);
    map(&part.task_category, &mut models.task_category);
    map(&part.size_category, &mut models.size_category);
    map(&part.language, &mut models.language);
    map(&part.sdk, &mut models.sdk);
    let first_row = models.id.len() as u32;
    let shift = |pairs: &[(u32, Sym)], into: &mut Vec<(u32, Sym)>| {
        into.extend(
            pairs
                .iter()
                .map(|&(row, sym)| (first_row + row, to[sym.0 as usize])),
        );
    };
    shift(&part.more_bases, &mut models.more_bases);
    shift(&part.more_languages, &mut models.more_languages);
    let moved = into.push_all(from);
    models.id.extend(part.id.iter().map(|&sym| moved(sym)));
    models.downloads.extend_from_slice(&part.downloads);
    models
        .downloads_all_time
        .extend_from_slice(&part.downloads_all_time);
    models.likes.extend_from_slice(&part.likes);
    models.created_month.extend_from_slice(&part.created_month);
    models.flags.extend_from_slice(&part.flags);
    models.derivative.extend_from_slice(&part.derivative);
}
