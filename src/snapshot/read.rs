//! Reading snapshot files into `Repos` columns, a table per kind.
//!
//! The file is read once: a hashing reader under the decompressor computes the SHA-256
//! of the stored bytes while the text streams, in chunks, to parsers on every core
//! (`chunks`). The `manifest.json` beside the file, when it lists the file, is checked
//! against what was read.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use super::chunks::{self, Plan};
use super::columnar;
use super::{Kind, Manifest, Quality, Snapshot, Table};

/// The manifest's file name, in the snapshot's folder.
pub const MANIFEST: &str = "manifest.json";

/// How a snapshot file is stored, from its name: JSON Lines (compressed or not) or
/// Parquet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl(Compression),
    Parquet,
}

/// The file name endings of snapshot files, in the order siblings are looked for.
pub const EXTENSIONS: [&str; 4] = ["jsonl", "jsonl.gz", "jsonl.zst", "parquet"];

impl Format {
    /// `.jsonl`, `.jsonl.gz`, `.jsonl.zst` or `.parquet`; anything else is an error
    /// naming the file.
    pub fn of(path: &Path) -> Result<Format> {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with(".jsonl") {
            Ok(Format::Jsonl(Compression::None))
        } else if name.ends_with(".jsonl.gz") {
            Ok(Format::Jsonl(Compression::Gzip))
        } else if name.ends_with(".jsonl.zst") {
            Ok(Format::Jsonl(Compression::Zstd))
        } else if name.ends_with(".parquet") {
            Ok(Format::Parquet)
        } else {
            bail!(
                "`{}` is not a snapshot file: expected a name ending in .jsonl, .jsonl.gz, \
                 .jsonl.zst or .parquet",
                path.display()
            )
        }
    }
}

/// How a JSON Lines snapshot file is compressed, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    /// `.jsonl`, `.jsonl.gz` or `.jsonl.zst`; anything else (Parquet included) is an
    /// error naming the file.
    pub fn of(path: &Path) -> Result<Compression> {
        match Format::of(path) {
            Ok(Format::Jsonl(compression)) => Ok(compression),
            _ => bail!(
                "`{}` is not a JSON Lines file: expected a name ending in .jsonl, .jsonl.gz \
                 or .jsonl.zst",
                path.display()
            ),
        }
    }
}

/// Reads the snapshot at `path` (`.jsonl`, `.jsonl.gz`, `.jsonl.zst`, `.parquet`), the
/// `manifest.json` beside it, if any, and the files of other kinds it lists
/// (`datasets.jsonl.zst`, …).
pub fn load(path: &Path) -> Result<Snapshot> {
    load_with(path, &Plan::default())
}

/// `load`, with the work cut up as `plan` says (tests force many small chunks).
pub(crate) fn load_with(path: &Path, plan: &Plan) -> Result<Snapshot> {
    let manifest = read_manifest(path)?;
    let kind = Kind::of_file(path);
    let table = read_table(path, kind, manifest.as_ref(), plan)?;
    if table.quality.entries == 0 {
        let holds = match Format::of(path)? {
            Format::Parquet => "one repository per row",
            Format::Jsonl(_) => "one JSON object per line",
        };
        bail!(
            "`{}` holds no entries: a snapshot lists {holds} (was the fetch cut short, or \
             the file emptied?)",
            path.display()
        );
    }
    let mut tables = vec![table];
    if let Some((_, listed)) = &manifest {
        for (other, file) in siblings(path, listed) {
            if other != kind {
                // May be empty, as the manifest says (a kind the Hub listed none of).
                tables.push(read_table(&file, other, manifest.as_ref(), plan)?);
            }
        }
    }
    let manifest = manifest.map(|(_, manifest)| manifest);
    let authors = crate::authors::load(path, manifest.as_ref())?;
    Ok(Snapshot {
        path: path.to_path_buf(),
        manifest,
        tables,
        authors,
    })
}

/// Every file a snapshot named by `path` is read from: `path`, then the files of
/// other kinds its manifest lists (nothing more when the manifest cannot be read:
/// `load` reports that).
pub fn files(path: &Path) -> Vec<PathBuf> {
    let mut files = vec![path.to_path_buf()];
    if let Ok(Some((_, manifest))) = read_manifest(path) {
        let kind = Kind::of_file(path);
        files.extend(
            (siblings(path, &manifest).into_iter())
                .filter(|&(other, _)| other != kind)
                .map(|(_, file)| file),
        );
    }
    files
}

/// The files of each kind that `manifest` lists in `path`'s folder, in `Kind` order:
/// `datasets.jsonl`, `.jsonl.gz`, `.jsonl.zst` or `.parquet` for datasets, and so on.
pub fn siblings(path: &Path, manifest: &Manifest) -> Vec<(Kind, PathBuf)> {
    Kind::ALL
        .into_iter()
        .filter_map(|kind| {
            let name = EXTENSIONS
                .iter()
                .map(|ext| format!("{}.{ext}", kind.name()))
                .find(|name| manifest.files.contains_key(name))?;
            Some((kind, path.with_file_name(name)))
        })
        .collect()
}

/// Reads one file of `kind`, checked against the manifest when it lists the file.
fn read_table(
    path: &Path,
    kind: Kind,
    manifest: Option<&(PathBuf, Manifest)>,
    plan: &Plan,
) -> Result<Table> {
    let compression = match Format::of(path)? {
        Format::Jsonl(compression) => compression,
        Format::Parquet => {
            let read = columnar::read(path, kind, plan)?;
            let rows = (read.repos, read.entries, read.repeated);
            let mut table = table(path, rows, read.sha256, manifest)?;
            table.absent = read.absent;
            return Ok(table);
        }
    };
    let file = File::open(path)
        .with_context(|| format!("failed to open the snapshot `{}`", path.display()))?;
    let mut hashing = HashingReader {
        inner: file,
        hasher: Sha256::new(),
    };
    let (repos, entries, repeated) = match compression {
        Compression::None => chunks::parse(&mut hashing, path, kind, plan)?,
        Compression::Gzip => {
            let mut decoder = flate2::read::MultiGzDecoder::new(&mut hashing);
            chunks::parse(&mut decoder, path, kind, plan)?
        }
        Compression::Zstd => {
            let mut decoder = zstd::Decoder::new(&mut hashing)
                .with_context(|| format!("failed to start reading `{}`", path.display()))?;
            chunks::parse(&mut decoder, path, kind, plan)?
        }
    };
    // The decoders may stop before the end of the file; the checksum covers all of it.
    io::copy(&mut hashing, &mut io::sink())
        .with_context(|| format!("failed to read `{}`", path.display()))?;
    let sha256 = hex(&hashing.hasher.finalize());
    table(path, (repos, entries, repeated), sha256, manifest)
}

/// The table of a file read, checked against the manifest when it lists the file.
fn table(
    path: &Path,
    (repos, entries, repeated): (super::Repos, u64, Vec<String>),
    sha256: String,
    manifest: Option<&(PathBuf, Manifest)>,
) -> Result<Table> {
    if let Some((manifest_path, manifest)) = manifest {
        check(path, manifest_path, manifest, entries, &sha256)?;
    }
    let quality = Quality::count(&repos, entries, repeated);
    Ok(Table {
        path: path.to_path_buf(),
        sha256,
        repos,
        quality,
        absent: Vec::new(),
    })
}

/// The manifest beside `path`, if there is one. One that does not list the file is an
/// error: the file would go unchecked, or the manifest belongs to another snapshot.
fn read_manifest(path: &Path) -> Result<Option<(PathBuf, Manifest)>> {
    let manifest_path = path.with_file_name(MANIFEST);
    let text = match std::fs::read_to_string(&manifest_path) {
        Ok(text) => text,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => {
            return Err(err).with_context(|| {
                format!("failed to read the manifest `{}`", manifest_path.display())
            })
        }
    };
    let manifest: Manifest = serde_json::from_str(&text)
        .with_context(|| format!("invalid snapshot manifest `{}`", manifest_path.display()))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if !manifest.files.contains_key(name) {
        let listed: Vec<&str> = manifest.files.keys().map(String::as_str).collect();
        bail!(
            "`{}` does not list `{name}` (it lists {}): the file cannot be checked against \
             it; add the file's rows and sha256 to it, or move the file to a folder of its own",
            manifest_path.display(),
            if listed.is_empty() {
                "no files".to_owned()
            } else {
                listed.join(", ")
            }
        );
    }
    Ok(Some((manifest_path, manifest)))
}

/// Fails when the rows or checksum read differ from what the manifest records.
fn check(
    path: &Path,
    manifest_path: &Path,
    manifest: &Manifest,
    rows: u64,
    sha256: &str,
) -> Result<()> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let Some(expected) = manifest.files.get(name) else {
        return Ok(());
    };
    if expected.rows != rows {
        bail!(
            "snapshot `{}` has {rows} rows but `{}` says {}; the file or the manifest has changed since the snapshot was taken",
            path.display(),
            manifest_path.display(),
            expected.rows
        );
    }
    if !expected.sha256.eq_ignore_ascii_case(sha256) {
        bail!(
            "snapshot `{}` has sha256 {sha256} but `{}` says {}; the file or the manifest has changed since the snapshot was taken",
            path.display(),
            manifest_path.display(),
            expected.sha256
        );
    }
    Ok(())
}

/// A reader that hashes every byte it passes on.
struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Lower-case hex SHA-256 of `bytes`, as manifests record it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of `bytes`.
pub(super) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

#[cfg(test)]
#[path = "read_tests.rs"]
mod tests;
