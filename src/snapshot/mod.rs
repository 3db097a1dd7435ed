//! Snapshots: Hub API model listings on disk, read into compact columns.
//!
//! A snapshot is a `.jsonl`, `.jsonl.gz` or `.jsonl.zst` file with one JSON object per
//! line, exactly as the Hub API returned it, and usually a `manifest.json` beside it
//! (source, date, rows, sha256). Reading keeps only the fields the metrics need, interns
//! repeated strings (authors, tags), ignores unknown fields, and stops at the first
//! malformed line with the file and line number. This module owns the data types; it
//! does not compute anything from them (that is `metrics`).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// An interned string: an index into `Strings`. `Sym::NONE` stands for an absent value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Sym(pub u32);

impl Sym {
    pub const NONE: Sym = Sym(0);

    pub fn is_none(self) -> bool {
        self == Sym::NONE
    }
}

/// An interner: each distinct string stored once. Index 0 is the empty string (`Sym::NONE`).
#[derive(Debug, Clone)]
pub struct Strings {
    names: Vec<Box<str>>,
    index: HashMap<Box<str>, Sym>,
}

impl Default for Strings {
    fn default() -> Self {
        Strings {
            names: vec!["".into()],
            index: HashMap::new(),
        }
    }
}

impl Strings {
    /// The symbol for `s`, adding it if new. The empty string is `Sym::NONE`.
    pub fn intern(&mut self, s: &str) -> Sym {
        if s.is_empty() {
            return Sym::NONE;
        }
        if let Some(&sym) = self.index.get(s) {
            return sym;
        }
        let sym = Sym(self.names.len() as u32);
        self.names.push(s.into());
        self.index.insert(s.into(), sym);
        sym
    }

    /// The string behind `sym` (`""` for `Sym::NONE`).
    pub fn get(&self, sym: Sym) -> &str {
        &self.names[sym.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.len() == 1
    }
}

/// What kind of derivative a model is, from its `base_model:<kind>:<model>` tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Derivative {
    /// No `base_model:<kind>:` tag.
    #[default]
    Original,
    Finetune,
    Adapter,
    Quantized,
    Merge,
}

impl Derivative {
    pub fn as_str(self) -> &'static str {
        match self {
            Derivative::Original => "original",
            Derivative::Finetune => "finetune",
            Derivative::Adapter => "adapter",
            Derivative::Quantized => "quantized",
            Derivative::Merge => "merge",
        }
    }
}

/// Model rows as columns: row `i` of every vector describes the same model.
#[derive(Debug, Clone, Default)]
pub struct Models {
    /// Repository id, `author/name`.
    pub id: Vec<Sym>,
    /// `author`, or the part of the id before `/` when the field is absent.
    pub author: Vec<Sym>,
    /// `downloads` (the API's rolling 30-day count).
    pub downloads: Vec<u64>,
    pub likes: Vec<u64>,
    /// `createdAt` as months since year 0 (`year * 12 + month - 1`); 0 when absent.
    pub created_month: Vec<u32>,
    pub pipeline_tag: Vec<Sym>,
    pub library_name: Vec<Sym>,
    /// From the `license:X` tag.
    pub license: Vec<Sym>,
    pub derivative: Vec<Derivative>,
    /// From `base_model:<kind>:X` (or `base_model:X`) tags: the first base model named.
    pub base_model: Vec<Sym>,
    pub strings: Strings,
}

impl Models {
    pub fn len(&self) -> usize {
        self.downloads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.downloads.is_empty()
    }
}

/// The `manifest.json` in a snapshot's folder: where the rows came from, and each
/// file's row count and checksum. Fields other than these (endpoint, query, tool
/// version, …) are kept for people and ignored here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Where the rows came from ("Hugging Face Hub API", "stateof sample (synthetic)").
    pub source: String,
    /// The snapshot's date, `YYYY-MM-DD`.
    pub date: String,
    /// True for generated demo data; pages say so.
    #[serde(default)]
    pub synthetic: bool,
    /// File name (e.g. `models.jsonl.zst`) → what it holds.
    pub files: BTreeMap<String, ManifestFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub rows: u64,
    /// Hex SHA-256 of the file's bytes as stored (compressed or not).
    pub sha256: String,
}

/// A loaded snapshot.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub path: PathBuf,
    pub manifest: Option<Manifest>,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub models: Models,
}
mod read;
mod row;
pub use read::{load, sha256_hex, Compression, MANIFEST};
