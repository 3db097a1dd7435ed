//! Snapshots: Hub API model listings on disk, read into compact columns.
//!
//! A snapshot is a `.jsonl`, `.jsonl.gz` or `.jsonl.zst` file with one JSON object per
//! line, exactly as the Hub API returned it, and usually a `manifest.json` beside it
//! (source, date, rows, sha256). Reading keeps only the fields the metrics need, interns
//! repeated strings (authors, tags), ignores unknown fields, and stops at the first
//! malformed line with the file and line number. A file is read once, on every core:
//! `read` opens, decompresses and checks it, `chunks` parses it in parallel with the
//! result of a line-by-line reader, `row` and `scan` read one line. This module owns
//! the data types; it does not compute anything from them (that is `metrics`).

use std::collections::BTreeMap;
use std::fmt;
use std::hash::BuildHasher;
use std::path::PathBuf;

use hashbrown::{DefaultHashBuilder, HashTable};
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

/// An interner: each distinct string stored once. `Sym::NONE` is the empty string.
///
/// `intern` finds a string already stored and gives it the same symbol; `push` stores a
/// string without looking for it, for values that are unique per row anyway (model ids),
/// where a lookup would only cost time. So within a column filled by `intern`, equal
/// strings have equal symbols; a pushed string may share its text with another symbol.
/// Pushed strings live apart from interned ones, which keeps the interned ones (the
/// ones looked up) close together in memory.
#[derive(Clone)]
pub struct Strings {
    interned: Arena,
    pushed: Arena,
    /// Interned symbols, found by their string's hash.
    index: HashTable<Slot>,
    hasher: DefaultHashBuilder,
}

/// An interned string in the index: where its text is, so that a lookup reads the
/// text without first reading `Arena::ends`.
#[derive(Clone, Copy)]
struct Slot {
    sym: Sym,
    len: u32,
    start: usize,
}

/// Strings back to back: string `i` is `text[ends[i - 1]..ends[i]]`; `ends[0] = 0`.
#[derive(Clone)]
struct Arena {
    text: String,
    ends: Vec<usize>,
}

impl Arena {
    fn new() -> Arena {
        Arena {
            text: String::new(),
            ends: vec![0],
        }
    }

    fn clear(&mut self) {
        self.text.clear();
        self.ends.truncate(1);
    }

    /// String `i`, 1-based.
    fn get(&self, i: usize) -> &str {
        &self.text[self.ends[i - 1]..self.ends[i]]
    }

    /// Adds `s`; returns its 1-based number.
    fn add(&mut self, s: &str) -> u32 {
        self.text.push_str(s);
        self.ends.push(self.text.len());
        self.last()
    }

    /// Adds every string of `other`; returns how many there were before.
    fn append(&mut self, other: &Arena) -> u32 {
        let before = self.last();
        let shift = self.text.len();
        self.text.push_str(&other.text);
        self.ends
            .extend(other.ends[1..].iter().map(|end| end + shift));
        self.last();
        before
    }

    /// The number of the last string.
    fn last(&self) -> u32 {
        u32::try_from(self.ends.len() - 1)
            .ok()
            .filter(|&i| i & PUSHED == 0)
            .expect("a snapshot holds fewer than 2^31 strings")
    }
}

/// The bit that marks a pushed symbol.
const PUSHED: u32 = 1 << 31;

impl Default for Strings {
    fn default() -> Self {
        Strings {
            interned: Arena::new(),
            pushed: Arena::new(),
            index: HashTable::new(),
            hasher: DefaultHashBuilder::default(),
        }
    }
}

impl fmt::Debug for Strings {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_struct("Strings")
            .field("interned", &(self.interned.ends.len() - 1))
            .field("pushed", &(self.pushed.ends.len() - 1))
            .finish()
    }
}

impl Strings {
    /// The symbol for `s`, adding it if new. The empty string is `Sym::NONE`.
    pub fn intern(&mut self, s: &str) -> Sym {
        if s.is_empty() {
            return Sym::NONE;
        }
        let hash = self.hasher.hash_one(s);
        let text = &self.interned.text;
        let same = |slot: &Slot| text.get(slot.start..slot.start + slot.len as usize) == Some(s);
        if let Some(slot) = self.index.find(hash, same) {
            return slot.sym;
        }
        let start = self.interned.text.len();
        let sym = Sym(self.interned.add(s));
        let slot = Slot {
            sym,
            len: s.len() as u32,
            start,
        };
        let (text, hasher) = (&self.interned.text, &self.hasher);
        self.index.insert_unique(hash, slot, |slot| {
            hasher.hash_one(&text[slot.start..slot.start + slot.len as usize])
        });
        sym
    }

    /// Stores `s` as a new symbol without looking for it (see the type's notes).
    pub fn push(&mut self, s: &str) -> Sym {
        if s.is_empty() {
            return Sym::NONE;
        }
        Sym(self.pushed.add(s) | PUSHED)
    }

    /// Pushes every string pushed to `from`, in order, and returns the map from their
    /// symbols there to their symbols here.
    pub(crate) fn push_all(&mut self, from: &Strings) -> impl Fn(Sym) -> Sym {
        let offset = self.pushed.append(&from.pushed);
        move |sym| {
            if sym.is_none() {
                sym
            } else {
                Sym(sym.0 + offset)
            }
        }
    }

    /// Forgets every string, keeping the memory for the next ones.
    pub(crate) fn clear(&mut self) {
        self.interned.clear();
        self.pushed.clear();
        self.index.clear();
    }

    /// The string behind `sym` (`""` for `Sym::NONE`).
    pub fn get(&self, sym: Sym) -> &str {
        match sym.0 {
            0 => "",
            i if i & PUSHED != 0 => self.pushed.get((i & !PUSHED) as usize),
            i => self.interned.get(i as usize),
        }
    }

    /// How many interned symbols there are, `Sym::NONE` included: every interned
    /// symbol is below it, so a vector this long can be indexed by them. Pushed
    /// symbols are not counted, and cannot index such a vector.
    pub fn len(&self) -> usize {
        self.interned.ends.len()
    }

    /// True when nothing but `Sym::NONE` was interned.
    pub fn is_empty(&self) -> bool {
        self.len() == 1
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
    /// Every kind, in declaration order (the order of `Derivative as u32`).
    pub const ALL: [Derivative; 5] = [
        Derivative::Original,
        Derivative::Finetune,
        Derivative::Adapter,
        Derivative::Quantized,
        Derivative::Merge,
    ];

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

    /// Removes every row and string, keeping the memory for the next ones.
    pub(crate) fn clear(&mut self) {
        let Models {
            id,
            author,
            downloads,
            likes,
            created_month,
            pipeline_tag,
            library_name,
            license,
            derivative,
            base_model,
            strings,
        } = self;
        for column in [id, author, pipeline_tag, library_name, license, base_model] {
            column.clear();
        }
        downloads.clear();
        likes.clear();
        created_month.clear();
        derivative.clear();
        strings.clear();
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
    /// Authors' account types, from the `authors.jsonl*` the manifest lists (see
    /// `crate::authors`); empty when it lists none.
    pub authors: crate::authors::AuthorTypes,
}
mod chunks;
mod read;
mod row;
mod scan;
pub use read::{load, sha256_hex, Compression, MANIFEST};

#[cfg(test)]
mod reference_tests;
