//! Snapshots: Hub API model listings on disk, read into compact columns.
//!
//! A snapshot is a `.jsonl`, `.jsonl.gz` or `.jsonl.zst` file with one JSON object per
//! line, exactly as the Hub API returned it, and usually a `manifest.json` beside it
//! (source, date, rows, sha256). Reading keeps only the fields the metrics need, interns
//! repeated strings (authors, tags), ignores unknown fields, and stops at the first
//! malformed line with the file and line number. It keeps each id once, flags what an
//! entry lacks (`Flags`) and counts it (`Quality`), so that nothing missing reads as 0. A file is read once, on every core:
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
    start: u32,
}

impl Slot {
    /// Where the string is in `Arena::text`.
    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// Strings back to back: string `i` is `text[ends[i - 1]..ends[i]]`; `ends[0] = 0`.
/// Offsets are 32-bit (4 bytes a string rather than 8, at millions of ids): an arena
/// holds less than 4 GB of text, which `add` and `append` check.
#[derive(Clone)]
struct Arena {
    text: String,
    ends: Vec<u32>,
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
        &self.text[self.ends[i - 1] as usize..self.ends[i] as usize]
    }

    /// The length of the text, as an offset.
    fn end(&self) -> u32 {
        u32::try_from(self.text.len())
            .expect("a snapshot holds less than 4 GB of each kind of string")
    }

    /// Adds `s`; returns its 1-based number.
    fn add(&mut self, s: &str) -> u32 {
        self.text.push_str(s);
        let end = self.end();
        self.ends.push(end);
        self.last()
    }

    /// Adds every string of `other`; returns how many there were before.
    fn append(&mut self, other: &Arena) -> u32 {
        let before = self.last();
        let shift = self.end();
        self.text.push_str(&other.text);
        // Called for its check, before any offset is shifted: the text fits in 32 bits.
        self.end();
        self.ends
            .extend(other.ends[1..].iter().map(|end| end + shift));
        // And the count of strings still leaves the pushed-symbol bit free.
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
        let same = |slot: &Slot| text.get(slot.range()) == Some(s);
        if let Some(slot) = self.index.find(hash, same) {
            return slot.sym;
        }
        let start = self.interned.end();
        let sym = Sym(self.interned.add(s));
        let slot = Slot {
            sym,
            len: s.len() as u32,
            start,
        };
        let (text, hasher) = (&self.interned.text, &self.hasher);
        self.index
            .insert_unique(hash, slot, |slot| hasher.hash_one(&text[slot.range()]));
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

    /// Gives back the room the strings grew into but do not use.
    pub(crate) fn shrink_to_fit(&mut self) {
        for arena in [&mut self.interned, &mut self.pushed] {
            arena.text.shrink_to_fit();
            arena.ends.shrink_to_fit();
        }
        self.index
            .shrink_to_fit(|slot| self.hasher.hash_one(&self.interned.text[slot.range()]));
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

/// The kinds of repository the Hub lists, each in a file of its own in a snapshot.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Models,
    Datasets,
    Spaces,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Models, Kind::Datasets, Kind::Spaces];

    /// `models`, `datasets` or `spaces`: the API path's last part, the snapshot file's
    /// name and the config's `of`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Models => "models",
            Kind::Datasets => "datasets",
            Kind::Spaces => "spaces",
        }
    }

    /// One repository of the kind, in prose: `model`, `dataset`, `space`.
    pub fn singular(self) -> &'static str {
        match self {
            Kind::Models => "model",
            Kind::Datasets => "dataset",
            Kind::Spaces => "space",
        }
    }

    /// `n` repositories of the kind, in prose ("1 model", "3 spaces").
    pub fn count(self, n: u64) -> String {
        let noun = if n == 1 { self.singular() } else { self.name() };
        format!("{} {noun}", crate::format::thousands(n as f64))
    }

    /// The kind a snapshot file holds, from its name: `datasets.jsonl.zst` holds
    /// datasets, `spaces.jsonl` spaces, any other name models.
    pub fn of_file(path: &std::path::Path) -> Kind {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let stem = name.split('.').next().unwrap_or("");
        Kind::ALL
            .into_iter()
            .find(|kind| kind.name() == stem)
            .unwrap_or(Kind::Models)
    }

    /// Whether entries of this kind carry `field` (spaces have no download counts).
    pub fn has_field(self, field: crate::config::Field) -> bool {
        use crate::config::Field;
        !(self == Kind::Spaces && matches!(field, Field::Downloads | Field::DownloadsAllTime))
    }
}

impl std::str::FromStr for Kind {
    type Err = String;

    fn from_str(text: &str) -> Result<Kind, String> {
        Kind::ALL
            .into_iter()
            .find(|kind| kind.name() == text.trim())
            .ok_or_else(|| format!("unknown kind `{text}`: expected models, datasets or spaces"))
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.name())
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

/// What a row lacks, or holds only as a placeholder: one bit each (`Repos::flags`).
///
/// An absent number is stored as 0 in its column and flagged here, so that a metric
/// can leave the row out rather than count a 0 the Hub never said (see `metrics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Flags(pub u8);

impl Flags {
    /// No `author`, and an id without a namespace to take it from (`gpt2`).
    pub const NO_AUTHOR: Flags = Flags(1);
    /// No `createdAt`.
    pub const NO_CREATED_AT: Flags = Flags(1 << 1);
    /// `createdAt` is in the Hub's migration minute (`is_placeholder`): the repository
    /// was created at some time before March 2022.
    pub const PLACEHOLDER_DATE: Flags = Flags(1 << 2);
    pub const NO_DOWNLOADS: Flags = Flags(1 << 3);
    pub const NO_DOWNLOADS_ALL_TIME: Flags = Flags(1 << 4);
    pub const NO_LIKES: Flags = Flags(1 << 5);

    /// True when every bit of `other` is set.
    pub fn has(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    pub(crate) fn set(&mut self, other: Flags, on: bool) {
        if on {
            self.0 |= other.0;
        }
    }
}

impl std::ops::BitOr for Flags {
    type Output = Flags;

    fn bitor(self, other: Flags) -> Flags {
        Flags(self.0 | other.0)
    }
}

/// The `createdAt` values the Hub gave the repositories it migrated on 2022-03-02, as
/// listings show them: models `…04.000Z` or `…05.000Z`, datasets `…22.000Z` (e.g.
/// `rajpurkar/squad`). Such a repository was created before March 2022, at a time the
/// listing does not tell.
pub const PLACEHOLDER_DATES: [&str; 3] = [
    "2022-03-02T23:29:04.000Z",
    "2022-03-02T23:29:05.000Z",
    "2022-03-02T23:29:22.000Z",
];

/// The minute of the migration: every placeholder date falls in it, and so is taken
/// for one whatever its seconds (a kind or a listing not seen yet may carry others).
pub const PLACEHOLDER_MINUTE: &str = "2022-03-02T23:29:";

/// True when `created_at` is the Hub's placeholder for "created before March 2022".
pub fn is_placeholder(created_at: &str) -> bool {
    created_at.starts_with(PLACEHOLDER_MINUTE)
}

/// Repository rows as columns, one kind to a table: row `i` of every vector describes
/// the same repository. The columns every kind has are always filled; those of one
/// kind (a model's pipeline tag, a dataset's languages, a space's SDK) only in a table
/// of that kind, and empty in the others.
#[derive(Debug, Clone, Default)]
pub struct Repos {
    /// What the rows are.
    pub kind: Kind,
    /// Repository id, `author/name`: `id`, or `modelId` when an entry has no `id`
    /// (old listings). Unique: a repeated id is kept once (see `Quality::duplicates`).
    pub id: Vec<Sym>,
    /// `author`; when absent, the namespace of the id (`Sym::NONE` and
    /// `Flags::NO_AUTHOR` for an id without one, such as `gpt2`).
    pub author: Vec<Sym>,
    /// `downloads` (the API's rolling 30-day count); 0 and `Flags::NO_DOWNLOADS` when
    /// absent. Empty for spaces, which have no downloads (`Kind::has_field`: a figure
    /// cannot read them, which the config checks at load).
    pub downloads: Vec<u64>,
    /// `downloadsAllTime` (every download since the repository was created); 0 and
    /// `Flags::NO_DOWNLOADS_ALL_TIME` when absent. Empty for spaces.
    pub downloads_all_time: Vec<u64>,
    pub likes: Vec<u64>,
    /// `createdAt` as months since year 0 (`year * 12 + month - 1`); 0 when absent.
    /// The Hub's placeholder date is kept as March 2022, flagged `PLACEHOLDER_DATE`.
    pub created_month: Vec<u32>,
    /// What each row lacks (`Flags`).
    pub flags: Vec<Flags>,
    /// From the `license:X` tag.
    pub license: Vec<Sym>,
    /// Models: `pipeline_tag`.
    pub pipeline_tag: Vec<Sym>,
    /// Models: `library_name`.
    pub library_name: Vec<Sym>,
    /// Models, from `base_model:<kind>:` tags.
    pub derivative: Vec<Derivative>,
    /// Models, from `base_model:<kind>:X` (or `base_model:X`) tags: the first base
    /// model named.
    pub base_model: Vec<Sym>,
    /// Models: the further parents of rows with several (a merge's
    /// `base_model:merge:B`, …), as (row, base model), in row order: with
    /// `base_model`, every parent once.
    pub more_bases: Vec<(u32, Sym)>,
    /// Datasets: the first `task_categories:X` tag.
    pub task_category: Vec<Sym>,
    /// Datasets: the `size_categories:X` tag (`10K<n<100K`).
    pub size_category: Vec<Sym>,
    /// Datasets: the first `language:X` tag.
    pub language: Vec<Sym>,
    /// Datasets: further languages of rows with several, as (row, language), in row
    /// order: with `language`, every language once.
    pub more_languages: Vec<(u32, Sym)>,
    /// Spaces: `sdk` (`gradio`, `streamlit`, `docker`, `static`).
    pub sdk: Vec<Sym>,
    pub strings: Strings,
}

impl Repos {
    pub fn len(&self) -> usize {
        self.id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// The columns of symbols, one per row (for `clear` and `retain`).
    fn sym_columns(&mut self) -> [&mut Vec<Sym>; 10] {
        [
            &mut self.id,
            &mut self.author,
            &mut self.license,
            &mut self.pipeline_tag,
            &mut self.library_name,
            &mut self.base_model,
            &mut self.task_category,
            &mut self.size_category,
            &mut self.language,
            &mut self.sdk,
        ]
    }

    /// Gives back the room the columns and strings grew into but do not use: a
    /// column that doubled to fit its last rows holds up to twice what it needs.
    pub(crate) fn shrink_to_fit(&mut self) {
        for column in self.sym_columns() {
            column.shrink_to_fit();
        }
        for column in [
            &mut self.downloads,
            &mut self.downloads_all_time,
            &mut self.likes,
        ] {
            column.shrink_to_fit();
        }
        self.created_month.shrink_to_fit();
        self.flags.shrink_to_fit();
        self.derivative.shrink_to_fit();
        self.more_bases.shrink_to_fit();
        self.more_languages.shrink_to_fit();
        self.strings.shrink_to_fit();
    }

    /// Removes every row and string, keeping the memory for the next ones.
    pub(crate) fn clear(&mut self) {
        for column in self.sym_columns() {
            column.clear();
        }
        for column in [
            &mut self.downloads,
            &mut self.downloads_all_time,
            &mut self.likes,
        ] {
            column.clear();
        }
        self.created_month.clear();
        self.flags.clear();
        self.derivative.clear();
        self.more_bases.clear();
        self.more_languages.clear();
        self.strings.clear();
    }

    /// Keeps only the rows `keep` marks (the strings stay). Columns of another kind
    /// (empty) stay empty.
    pub(crate) fn retain(&mut self, keep: &[bool]) {
        fn column<T: Copy>(values: &mut Vec<T>, keep: &[bool]) {
            let mut row = 0;
            values.retain(|_| {
                row += 1;
                keep[row - 1]
            });
        }
        for c in self.sym_columns() {
            column(c, keep);
        }
        for c in [
            &mut self.downloads,
            &mut self.downloads_all_time,
            &mut self.likes,
        ] {
            column(c, keep);
        }
        column(&mut self.created_month, keep);
        column(&mut self.flags, keep);
        column(&mut self.derivative, keep);
        // Rows move up by the number of dropped rows before them.
        let mut new_row = Vec::with_capacity(keep.len());
        let mut next = 0u32;
        for &k in keep {
            new_row.push(next);
            next += u32::from(k);
        }
        for pairs in [&mut self.more_bases, &mut self.more_languages] {
            pairs.retain(|&(row, _)| keep[row as usize]);
            for (row, _) in pairs.iter_mut() {
                *row = new_row[*row as usize];
            }
        }
    }
}

/// What reading a snapshot found about its data: rows, repeated ids dropped, and how
/// many rows lack each field. Reported as build warnings and kept with the figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quality {
    /// Entries read (before duplicates were dropped).
    pub entries: u64,
    /// Entries dropped because an earlier entry had the same id.
    pub duplicates: u64,
    /// A few of the repeated ids, for the message.
    pub duplicate_ids: Vec<String>,
    /// Rows with the Hub's placeholder creation date (created before March 2022).
    pub placeholder_dates: u64,
    /// Rows without an author (no `author` and no namespace in the id).
    pub no_author: u64,
    pub no_created_at: u64,
    pub no_downloads: u64,
    pub no_downloads_all_time: u64,
    pub no_likes: u64,
    /// Rows left out by the report's exclusions (`[[exclude]]`), after reading.
    #[serde(default)]
    pub excluded: u64,
}

impl Quality {
    /// Counts the flags of `models`.
    pub(crate) fn count(models: &Repos, entries: u64, duplicate_ids: Vec<String>) -> Quality {
        // Rows by their whole flag byte first: one count per row, then per bit.
        let mut by_byte = [0u64; 256];
        for flags in &models.flags {
            by_byte[flags.0 as usize] += 1;
        }
        let mut counts = [0u64; 8];
        for (byte, &rows) in by_byte.iter().enumerate() {
            for (bit, count) in counts.iter_mut().enumerate() {
                *count += rows * (byte as u64 >> bit & 1);
            }
        }
        let count_of = |flag: Flags| counts[flag.0.trailing_zeros() as usize];
        Quality {
            entries,
            duplicates: entries - models.len() as u64,
            duplicate_ids,
            placeholder_dates: count_of(Flags::PLACEHOLDER_DATE),
            no_author: count_of(Flags::NO_AUTHOR),
            no_created_at: count_of(Flags::NO_CREATED_AT),
            no_downloads: count_of(Flags::NO_DOWNLOADS),
            no_downloads_all_time: count_of(Flags::NO_DOWNLOADS_ALL_TIME),
            no_likes: count_of(Flags::NO_LIKES),
            excluded: 0,
        }
    }

    /// The fields some rows lack, as (field, rows), in a fixed order.
    pub fn missing(&self) -> Vec<(&'static str, u64)> {
        [
            ("author", self.no_author),
            ("createdAt", self.no_created_at),
            ("downloads", self.no_downloads),
            ("downloadsAllTime", self.no_downloads_all_time),
            ("likes", self.no_likes),
        ]
        .into_iter()
        .filter(|&(_, n)| n > 0)
        .collect()
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
    /// The Hub dataset and commit the files come from (`stateof fetch --dump`). A
    /// snapshot folder holding only its manifest names its data by this reference;
    /// `fetch::reference` fetches the files into a cache outside the project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<DatasetRef>,
    /// File name (e.g. `models.jsonl.zst`) → what it holds.
    pub files: BTreeMap<String, ManifestFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub rows: u64,
    /// Hex SHA-256 of the file's bytes as stored (compressed or not).
    pub sha256: String,
    /// The file's length in bytes, where recorded (files fetched from a dataset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

/// A commit of a Hub dataset repository, as a manifest records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetRef {
    /// `owner/name`, e.g. `cfahlgren1/hub-stats`.
    pub repo: String,
    /// The revision as asked for (`main`, a tag, a commit).
    pub revision: String,
    /// The 40-hex commit it resolved to: the data itself.
    pub commit: String,
}

/// A loaded snapshot: the file it was named by, and the files of the other kinds that
/// its manifest lists beside it.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The file the snapshot was named by (its models, usually).
    pub path: PathBuf,
    pub manifest: Option<Manifest>,
    /// One table per file read: the named file's first, then the other kinds the
    /// manifest lists, in `Kind` order. At most one per kind.
    pub tables: Vec<Table>,
    /// Authors' account types, from the `authors.jsonl*` the manifest lists (see
    /// `crate::authors`); empty when it lists none.
    pub authors: crate::authors::AuthorTypes,
}

/// One file of a snapshot, read.
#[derive(Debug, Clone)]
pub struct Table {
    pub path: PathBuf,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub repos: Repos,
    /// What reading found about the data (duplicates, missing fields).
    pub quality: Quality,
    /// The fields the file has no column for (a Parquet file without
    /// `downloadsAllTime`, say): every row lacks them. Empty for JSON Lines, where
    /// each row says what it has.
    pub absent: Vec<&'static str>,
}

impl Table {
    pub fn kind(&self) -> Kind {
        self.repos.kind
    }
}

impl Snapshot {
    /// The table of `kind`, if the snapshot has one.
    pub fn table(&self, kind: Kind) -> Option<&Table> {
        self.tables.iter().find(|t| t.kind() == kind)
    }

    /// The table of the file the snapshot was named by.
    pub fn main(&self) -> &Table {
        &self.tables[0]
    }

    /// The model table (models are what a snapshot is named by, unless it is named
    /// by a file of another kind).
    pub fn models(&self) -> Option<&Repos> {
        self.table(Kind::Models).map(|t| &t.repos)
    }

    /// A snapshot of `repos` alone, with no manifest and no author types (for tests).
    #[cfg(test)]
    pub(crate) fn of(repos: Repos, manifest: Option<Manifest>) -> Snapshot {
        let path = PathBuf::from(format!("{}.jsonl", repos.kind));
        Snapshot {
            manifest,
            tables: vec![Table {
                path: path.clone(),
                sha256: String::new(),
                quality: Quality::default(),
                absent: Vec::new(),
                repos,
            }],
            path,
            authors: Default::default(),
        }
    }
}

mod chunks;
mod columnar;
mod exclude;
mod read;
mod row;
mod scan;
pub use columnar::rows as parquet_rows;
pub use columnar::write as parquet_write;
pub use exclude::{exclude, Excluded};
pub use read::{files, load, sha256_hex, siblings, Compression, Format, MANIFEST};

#[cfg(test)]
mod differential_tests;
#[cfg(test)]
mod reference_tests;
