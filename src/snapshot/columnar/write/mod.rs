//! Writing Hub API entries (JSON lines) as a Parquet file in the dump's schema: what
//! `stateof sample --format parquet` writes, and what the tests read back against the
//! JSON Lines reader.
//!
//! The dump's columns keep the API's names and types: strings, 64-bit counts,
//! `createdAt` as a timestamp, `tags` as a list of strings, and nested columns the
//! report never reads (`cardData` as a JSON string, `siblings`, `safetensors`,
//! `config`). `Shape` varies what real writers vary (pyarrow, DuckDB, polars,
//! pandas): timestamp units and time zones, INT96, ISO strings; 32-bit, 64-bit or
//! double counts; lists named `element` or `item`, legacy two-level lists, or tags as a
//! JSON string; row group size, compression, dictionaries and page versions; columns
//! left out. A value a shape cannot hold (a count over 2^31 in 32 bits, a date that is
//! not one) is an error naming the line.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::{WriterProperties, WriterVersion};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use serde_json::Value;

use crate::snapshot::Kind;

mod leaves;
use leaves::write_leaf;

/// How a file stores what varies between writers.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub times: Times,
    pub counts: Counts,
    pub tags: TagsAs,
    pub row_group_rows: usize,
    pub compression: Codec,
    pub dictionary: bool,
    /// Data pages of format version 2 (DuckDB and newer pyarrow write them).
    pub pages_v2: bool,
    /// Nested columns the report never reads, as the dump has them.
    pub extra_columns: bool,
    /// Columns left out, by name (`downloadsAllTime` before 2025, say).
    pub omit: Vec<String>,
}

/// How `createdAt` is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Times {
    /// INT64 timestamps of a unit, adjusted to UTC (a time zone) or not.
    Millis {
        utc: bool,
    },
    Micros {
        utc: bool,
    },
    Nanos {
        utc: bool,
    },
    /// The legacy INT96 (older Spark and pyarrow).
    Int96,
    /// The API's ISO 8601 text, as is.
    Text,
}

/// How the counts (`downloads`, `downloadsAllTime`, `likes`) are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counts {
    Int64,
    Int32,
    /// Doubles, as pandas writes an integer column with missing values.
    Double,
}

/// How `tags` is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagsAs {
    /// `LIST` with a `list` group of `element`s (pyarrow, DuckDB) or `item`s (polars).
    List { item: bool },
    /// The legacy two-level list: a repeated string inside the group.
    TwoLevel,
    /// A JSON string holding the list.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    None,
    Snappy,
    Zstd,
}

impl Default for Shape {
    /// The dump's shape as far as it is known (`docs/hub-stats.md`), as pandas and
    /// pyarrow write it: timestamps without a time zone (nanoseconds, pandas' unit),
    /// 64-bit counts, lists of `element`s, snappy, dictionaries, the nested columns.
    fn default() -> Shape {
        Shape {
            times: Times::Nanos { utc: false },
            counts: Counts::Int64,
            tags: TagsAs::List { item: false },
            row_group_rows: 128 * 1024,
            compression: Codec::Snappy,
            dictionary: true,
            pages_v2: false,
            extra_columns: true,
            omit: Vec::new(),
        }
    }
}

/// A leaf column and where its values come from.
#[derive(Debug, Clone, Copy)]
enum Leaf {
    Text(&'static str),
    Count(&'static str),
    Time(&'static str),
    Score,
    Tags,
    CardData,
    Sibling,
    SafetensorsTotal,
    ConfigModelType,
}

/// Writes the entries in `text` (one JSON object per line; blank lines skipped) to
/// `path` as rows of `kind`. Returns the number of rows.
pub fn write_file(text: &str, kind: Kind, shape: &Shape, path: &Path) -> Result<u64> {
    let file =
        File::create(path).with_context(|| format!("failed to create `{}`", path.display()))?;
    write(text, kind, shape, std::io::BufWriter::new(file))
        .with_context(|| format!("failed to write `{}`", path.display()))
}

/// Writes the entries in `text` to `out` as a Parquet file of rows of `kind`, a row
/// group at a time (only one row group's entries are parsed at once). Returns the
/// number of rows.
pub fn write(text: &str, kind: Kind, shape: &Shape, out: impl Write + Send) -> Result<u64> {
    let (message, leaves) = schema(kind, shape, text.contains("\"modelId\""));
    let schema = Arc::new(parse_message_type(&message).context("the Parquet schema")?);
    let per_group = shape.row_group_rows.max(1);
    let props = WriterProperties::builder()
        .set_compression(match shape.compression {
            Codec::None => Compression::UNCOMPRESSED,
            Codec::Snappy => Compression::SNAPPY,
            Codec::Zstd => Compression::ZSTD(ZstdLevel::try_new(3)?),
        })
        .set_dictionary_enabled(shape.dictionary)
        .set_writer_version(if shape.pages_v2 {
            WriterVersion::PARQUET_2_0
        } else {
            WriterVersion::PARQUET_1_0
        })
        .set_max_row_group_row_count(Some(per_group))
        .build();
    let mut writer = SerializedFileWriter::new(out, schema, Arc::new(props))?;
    let mut lines = (text.lines().enumerate()).filter(|(_, line)| !line.trim().is_empty());
    let mut rows = Vec::with_capacity(per_group.min(1 << 16));
    let mut written = 0;
    loop {
        rows.clear();
        let mut first_line = 0;
        for (i, line) in lines.by_ref().take(per_group) {
            if rows.is_empty() {
                first_line = i;
            }
            let row: Value = serde_json::from_str(line)
                .with_context(|| format!("line {}: not a JSON entry", i + 1))?;
            rows.push(row);
        }
        if rows.is_empty() {
            break;
        }
        let mut row_group = writer.next_row_group()?;
        let mut leaf = 0;
        while let Some(mut column) = row_group.next_column()? {
            write_leaf(&mut column, leaves[leaf], shape, &rows, first_line)?;
            column.close()?;
            leaf += 1;
        }
        row_group.close()?;
        written += rows.len() as u64;
    }
    writer.close()?;
    Ok(written)
}

/// The file's schema (as Parquet's message syntax) and its leaves in order;
/// `model_ids` adds the old listings' `modelId` column.
fn schema(kind: Kind, shape: &Shape, model_ids: bool) -> (String, Vec<Leaf>) {
    let mut fields: Vec<(String, Leaf)> = Vec::new();
    let text = |name: &'static str| {
        (
            format!("optional binary {name} (STRING);"),
            Leaf::Text(name),
        )
    };
    fields.push(text("_id"));
    fields.push(text("id"));
    if kind == Kind::Models && model_ids {
        fields.push(text("modelId"));
    }
    fields.push(text("author"));
    let time = match shape.times {
        Times::Millis { utc } => format!("optional int64 createdAt (TIMESTAMP(MILLIS,{utc}));"),
        Times::Micros { utc } => format!("optional int64 createdAt (TIMESTAMP(MICROS,{utc}));"),
        Times::Nanos { utc } => format!("optional int64 createdAt (TIMESTAMP(NANOS,{utc}));"),
        Times::Int96 => "optional int96 createdAt;".into(),
        Times::Text => "optional binary createdAt (STRING);".into(),
    };
    fields.push((time, Leaf::Time("createdAt")));
    let count = |name: &'static str| {
        let declared = match shape.counts {
            Counts::Int64 => format!("optional int64 {name};"),
            Counts::Int32 => format!("optional int32 {name};"),
            Counts::Double => format!("optional double {name};"),
        };
        (declared, Leaf::Count(name))
    };
    if kind != Kind::Spaces {
        fields.push(count("downloads"));
        fields.push(count("downloadsAllTime"));
    }
    fields.push(count("likes"));
    fields.push(("optional double trendingScore;".into(), Leaf::Score));
    match kind {
        Kind::Models => {
            fields.push(text("pipeline_tag"));
            fields.push(text("library_name"));
        }
        Kind::Datasets => {}
        Kind::Spaces => fields.push(text("sdk")),
    }
    let tags = match shape.tags {
        TagsAs::List { item } => {
            let name = if item { "item" } else { "element" };
            format!(
                "optional group tags (LIST) {{ repeated group list {{ optional binary {name} (STRING); }} }}"
            )
        }
        TagsAs::TwoLevel => {
            "optional group tags (LIST) { repeated binary array (STRING); }".to_owned()
        }
        TagsAs::Json => "optional binary tags (JSON);".to_owned(),
    };
    fields.push((tags, Leaf::Tags));
    if shape.extra_columns {
        fields.push(("optional binary cardData (JSON);".into(), Leaf::CardData));
        fields.push((
            "optional group siblings (LIST) { repeated group list { optional group element { \
             optional binary rfilename (STRING); } } }"
                .into(),
            Leaf::Sibling,
        ));
        if kind == Kind::Models {
            fields.push((
                "optional group safetensors { optional int64 total; }".into(),
                Leaf::SafetensorsTotal,
            ));
            fields.push((
                "optional group config { optional binary model_type (STRING); }".into(),
                Leaf::ConfigModelType,
            ));
        }
    }
    let named = |declared: &str, name: &str| declared.split_whitespace().nth(2) == Some(name);
    fields.retain(|(declared, _)| !shape.omit.iter().any(|name| named(declared, name)));
    let body: Vec<&str> = fields
        .iter()
        .map(|(declared, _)| declared.as_str())
        .collect();
    let message = format!("message hub {{ {} }}", body.join(" "));
    (message, fields.into_iter().map(|(_, leaf)| leaf).collect())
}
