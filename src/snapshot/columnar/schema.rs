//! Which leaf column of a Parquet file holds each field a snapshot row needs, and how
//! its values are stored there.
//!
//! Column names are the Hub API's (`id`, `author`, `createdAt`, `downloads`, …), as the
//! Hub's own dump (`cfahlgren1/hub-stats`) and the weekly archive name them; see the
//! module docs of `columnar` for the dump's schema. A field may be stored in any of the
//! forms real writers use (pyarrow, DuckDB, polars, pandas): integers of 32 or 64 bits,
//! signed or not, or whole doubles (pandas' nullable integers); `createdAt` as a
//! timestamp of any unit, with or without a time zone, a legacy INT96 or an ISO string;
//! `tags` as a list of strings (three-level or legacy two-level) or as a JSON string.
//! Every other column (`cardData`, `siblings`, `config`, `safetensors`, …) is left
//! alone: never decoded, not even read from disk.

use parquet::basic::{ConvertedType, LogicalType, TimeUnit, Type as Physical};
use parquet::schema::types::{ColumnDescriptor, SchemaDescriptor};

use crate::snapshot::Kind;

/// A field of a snapshot row, by its column name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Id,
    /// Old listings' name for `id`, read when there is no `id` column.
    ModelId,
    Author,
    Downloads,
    DownloadsAllTime,
    Likes,
    CreatedAt,
    Tags,
    PipelineTag,
    LibraryName,
    Sdk,
}

impl Field {
    pub(super) fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::ModelId => "modelId",
            Field::Author => "author",
            Field::Downloads => "downloads",
            Field::DownloadsAllTime => "downloadsAllTime",
            Field::Likes => "likes",
            Field::CreatedAt => "createdAt",
            Field::Tags => "tags",
            Field::PipelineTag => "pipeline_tag",
            Field::LibraryName => "library_name",
            Field::Sdk => "sdk",
        }
    }

    /// The fields rows of `kind` are read from, as the JSON Lines reader reads them
    /// (`row::add`): spaces have no downloads, only models a pipeline tag and library,
    /// only spaces an SDK.
    pub(super) fn of(kind: Kind) -> Vec<Field> {
        let mut fields = vec![Field::Id, Field::Author];
        if kind != Kind::Spaces {
            fields.extend([Field::Downloads, Field::DownloadsAllTime]);
        }
        fields.extend([Field::Likes, Field::CreatedAt, Field::Tags]);
        match kind {
            Kind::Models => fields.extend([Field::ModelId, Field::PipelineTag, Field::LibraryName]),
            Kind::Datasets => {}
            Kind::Spaces => fields.push(Field::Sdk),
        }
        fields
    }

    /// What the field holds, for messages.
    fn expects(self) -> &'static str {
        match self {
            Field::Downloads | Field::DownloadsAllTime | Field::Likes => "whole numbers",
            Field::CreatedAt => "timestamps or ISO 8601 strings",
            Field::Tags => "a list of strings or a JSON string",
            _ => "strings",
        }
    }
}

/// How a column stores its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Storage {
    /// UTF-8 byte arrays.
    Text,
    /// INT32 or INT64; `unsigned` when the logical type says so.
    Integer { unsigned: bool },
    /// DOUBLE or FLOAT holding whole numbers (what pandas writes for an integer
    /// column with missing values).
    Float,
    /// INT64 counting `unit`s since 1970 (in UTC, or in no time zone, read as UTC).
    Timestamp(Unit),
    /// INT32 counting days since 1970.
    Date,
    /// The legacy INT96 timestamp (nanoseconds of the day, Julian day).
    Int96,
    /// A repeated UTF-8 leaf: a list of strings.
    TextList,
}

/// A timestamp's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Millis,
    Micros,
    Nanos,
}

impl Unit {
    pub(super) fn per_second(self) -> i64 {
        match self {
            Unit::Millis => 1_000,
            Unit::Micros => 1_000_000,
            Unit::Nanos => 1_000_000_000,
        }
    }
}

/// A field found in the file.
#[derive(Debug, Clone)]
pub(super) struct Column {
    pub(super) field: Field,
    /// The leaf column's index in the file's schema.
    pub(super) leaf: usize,
    pub(super) storage: Storage,
}

/// The columns of a file that a snapshot of `kind` reads, and the fields it lacks.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    pub(super) columns: Vec<Column>,
    /// Fields with no column: every row lacks them (as a JSON entry without the key).
    pub(super) absent: Vec<Field>,
}

/// Finds the columns of `kind`'s fields in `schema`. A field stored as something it
/// cannot be read from (a nested group where a number belongs, text where a count
/// belongs) is an error naming the column and what it holds.
pub(super) fn layout(schema: &SchemaDescriptor, kind: Kind) -> Result<Layout, String> {
    let mut columns = Vec::new();
    let mut absent = Vec::new();
    for field in Field::of(kind) {
        let leaves: Vec<usize> = (0..schema.num_columns())
            .filter(|&i| schema.get_column_root(i).name() == field.name())
            .collect();
        let Some(&leaf) = leaves.first() else {
            absent.push(field);
            continue;
        };
        let column = schema.column(leaf);
        let storage = storage(field, &column)
            .filter(|_| leaves.len() == 1)
            .ok_or_else(|| {
                format!(
                    "column `{}` holds {}, where stateof reads {}",
                    field.name(),
                    describe(schema, &leaves),
                    field.expects()
                )
            })?;
        columns.push(Column {
            field,
            leaf,
            storage,
        });
    }
    // `modelId` only stands in for a missing `id`, row by row (`row::add`).
    absent.retain(|&f| f != Field::ModelId);
    if !columns
        .iter()
        .any(|c| matches!(c.field, Field::Id | Field::ModelId))
    {
        return Err(if kind == Kind::Models {
            "no column `id` (nor `modelId`): every row needs the repository's id".into()
        } else {
            "no column `id`: every row needs the repository's id".into()
        });
    }
    Ok(Layout { columns, absent })
}

/// How `column` stores `field`, when stateof can read it from there.
fn storage(field: Field, column: &ColumnDescriptor) -> Option<Storage> {
    let physical = column.physical_type();
    let logical = column.logical_type_ref();
    let converted = column.converted_type();
    let repeated = column.max_rep_level() > 0;
    // Inside a group: a list's items, or a struct's field (which is not the field).
    let nested = column.path().parts().len() > 1;
    let text = physical == Physical::BYTE_ARRAY
        && !matches!(logical, Some(LogicalType::Decimal { .. }))
        && converted != ConvertedType::DECIMAL;
    match field {
        Field::Tags if repeated && column.max_rep_level() == 1 && text => Some(Storage::TextList),
        _ if repeated || nested => None,
        Field::Downloads | Field::DownloadsAllTime | Field::Likes => match physical {
            Physical::INT32 | Physical::INT64 if !is_time(logical, converted) => {
                let unsigned =
                    matches!(
                        logical,
                        Some(LogicalType::Integer(parquet::basic::IntType {
                            is_signed: false,
                            ..
                        }))
                    ) || matches!(converted, ConvertedType::UINT_32 | ConvertedType::UINT_64);
                Some(Storage::Integer { unsigned })
            }
            Physical::DOUBLE | Physical::FLOAT => Some(Storage::Float),
            _ => None,
        },
        Field::CreatedAt => match (physical, logical, converted) {
            (_, _, _) if text => Some(Storage::Text),
            (Physical::INT96, _, _) => Some(Storage::Int96),
            (Physical::INT64, Some(LogicalType::Timestamp(t)), _) => {
                Some(Storage::Timestamp(match t.unit {
                    TimeUnit::MILLIS => Unit::Millis,
                    TimeUnit::MICROS => Unit::Micros,
                    TimeUnit::NANOS => Unit::Nanos,
                }))
            }
            (Physical::INT64, _, ConvertedType::TIMESTAMP_MILLIS) => {
                Some(Storage::Timestamp(Unit::Millis))
            }
            (Physical::INT64, _, ConvertedType::TIMESTAMP_MICROS) => {
                Some(Storage::Timestamp(Unit::Micros))
            }
            (Physical::INT32, Some(LogicalType::Date), _)
            | (Physical::INT32, _, ConvertedType::DATE) => Some(Storage::Date),
            _ => None,
        },
        _ if text => Some(Storage::Text),
        _ => None,
    }
}

fn is_time(logical: Option<&LogicalType>, converted: ConvertedType) -> bool {
    matches!(
        logical,
        Some(LogicalType::Timestamp(_) | LogicalType::Date | LogicalType::Time(_))
    ) || matches!(
        converted,
        ConvertedType::TIMESTAMP_MILLIS
            | ConvertedType::TIMESTAMP_MICROS
            | ConvertedType::DATE
            | ConvertedType::TIME_MILLIS
            | ConvertedType::TIME_MICROS
    )
}

/// What the leaves under one top-level column hold, for messages: `INT64`, `a list of
/// INT64`, `a group of 3 columns`.
fn describe(schema: &SchemaDescriptor, leaves: &[usize]) -> String {
    if leaves.len() > 1 {
        return format!("a group of {} columns", leaves.len());
    }
    let column = schema.column(leaves[0]);
    let mut what = column.physical_type().to_string();
    if let Some(logical) = column.logical_type_ref() {
        what = format!("{what} ({logical:?})");
    } else if column.converted_type() != ConvertedType::NONE {
        what = format!("{what} ({})", column.converted_type());
    }
    match column.max_rep_level() {
        0 if column.path().parts().len() > 1 => format!("a group holding {what}"),
        0 => what,
        1 => format!("a list of {what}"),
        _ => format!("nested lists of {what}"),
    }
}
