//! One row group's columns, decoded a batch of rows at a time, into snapshot rows.
//!
//! Each column the layout names gets its own reader over the row group; every batch
//! asks each of them for the same number of rows, so memory holds one batch's values
//! whatever the row group's size. A row is put together as the JSON Lines reader puts
//! a line together (`row::Entry`) and appended by the same function (`row::add`), so
//! the two formats cannot drift apart in what they make of a field: a timestamp
//! becomes the ISO string the API would have written, a count is checked as JSON's
//! unsigned integers are, tags go through `row::Tags`.

use std::borrow::Cow;

use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::{ByteArray, DataType, Int96};
use parquet::file::reader::RowGroupReader;

use super::schema::{Column, Field, Layout, Storage};
use crate::snapshot::row::{self, Entry, Str, Tags};
use crate::snapshot::Repos;

/// The values a reader decoded, by physical type.
enum Values {
    Bytes(Vec<ByteArray>),
    Int32(Vec<i32>),
    Int64(Vec<i64>),
    Float(Vec<f32>),
    Double(Vec<f64>),
    Int96(Vec<Int96>),
}

/// One column of the row group: its reader, and the batch it last read.
struct Reader {
    column: Column,
    reader: ColumnReader,
    values: Values,
    def: Vec<i16>,
    rep: Vec<i16>,
    /// The definition level of a present value.
    max_def: i16,
    /// In a list: the level from which a row has an element (present or null).
    element_def: i16,
    /// Where the next row starts in `def`/`rep`, and in `values`.
    level: usize,
    value: usize,
    /// Room for the text of the row's timestamp, which the row borrows.
    stamp: [u8; 24],
}

/// The row group's readers, one per column of the layout.
pub(super) struct RowGroup {
    readers: Vec<Reader>,
}

impl RowGroup {
    /// Opens a reader for every column of `layout` in `group`.
    pub(super) fn open(group: &dyn RowGroupReader, layout: &Layout) -> Result<RowGroup, String> {
        let mut readers = Vec::with_capacity(layout.columns.len());
        for column in &layout.columns {
            let descriptor = group.metadata().column(column.leaf).column_descr_ptr();
            let reader = group
                .get_column_reader(column.leaf)
                .map_err(|err| in_column(column.field, err))?;
            let values = match &reader {
                ColumnReader::ByteArrayColumnReader(_) => Values::Bytes(Vec::new()),
                ColumnReader::Int32ColumnReader(_) => Values::Int32(Vec::new()),
                ColumnReader::Int64ColumnReader(_) => Values::Int64(Vec::new()),
                ColumnReader::FloatColumnReader(_) => Values::Float(Vec::new()),
                ColumnReader::DoubleColumnReader(_) => Values::Double(Vec::new()),
                ColumnReader::Int96ColumnReader(_) => Values::Int96(Vec::new()),
                _ => return Err(in_column(column.field, "a type stateof does not read")),
            };
            readers.push(Reader {
                column: column.clone(),
                reader,
                values,
                def: Vec::new(),
                rep: Vec::new(),
                max_def: descriptor.max_def_level(),
                element_def: descriptor.repeated_ancestor_def_level(),
                level: 0,
                value: 0,
                stamp: [0; 24],
            });
        }
        Ok(RowGroup { readers })
    }

    /// Decodes the next `rows` rows of every column and appends them to `repos`. A
    /// column that ends early is an error: the footer said the group had more rows.
    pub(super) fn read_into(&mut self, rows: usize, repos: &mut Repos) -> Result<(), String> {
        for reader in &mut self.readers {
            let read = reader
                .read(rows)
                .map_err(|err| in_column(reader.column.field, err))?;
            if read != rows {
                return Err(format!(
                    "column `{}` ends {} rows before the row group does (its footer \
                     says {} more): the file is truncated or corrupt",
                    reader.column.field.name(),
                    rows - read,
                    rows
                ));
            }
        }
        for _ in 0..rows {
            let mut entry = Entry::default();
            for reader in &mut self.readers {
                let field = reader.column.field;
                reader
                    .next_into(&mut entry)
                    .map_err(|err| in_column(field, err))?;
            }
            row::add(repos, entry)?;
        }
        Ok(())
    }
}

impl Reader {
    /// Reads the next `rows` rows into the buffers (replacing the last batch); returns
    /// how many rows there were.
    fn read(&mut self, rows: usize) -> parquet::errors::Result<usize> {
        self.def.clear();
        self.rep.clear();
        (self.level, self.value) = (0, 0);
        let (def, rep) = (&mut self.def, &mut self.rep);
        match (&mut self.reader, &mut self.values) {
            (ColumnReader::ByteArrayColumnReader(r), Values::Bytes(v)) => {
                records(r, rows, def, rep, v)
            }
            (ColumnReader::Int32ColumnReader(r), Values::Int32(v)) => records(r, rows, def, rep, v),
            (ColumnReader::Int64ColumnReader(r), Values::Int64(v)) => records(r, rows, def, rep, v),
            (ColumnReader::FloatColumnReader(r), Values::Float(v)) => records(r, rows, def, rep, v),
            (ColumnReader::DoubleColumnReader(r), Values::Double(v)) => {
                records(r, rows, def, rep, v)
            }
            (ColumnReader::Int96ColumnReader(r), Values::Int96(v)) => records(r, rows, def, rep, v),
            _ => unreachable!("`open` pairs each reader with values of its type"),
        }
    }

    /// The index in `values` of the next row's value, or `None` when it is null.
    fn next_scalar(&mut self) -> Option<usize> {
        let present = self.max_def == 0 || self.def[self.level] == self.max_def;
        self.level += 1;
        present.then(|| {
            self.value += 1;
            self.value - 1
        })
    }

    /// Sets the next row's field in `entry`.
    fn next_into<'a>(&'a mut self, entry: &mut Entry<'a>) -> Result<(), String> {
        let field = self.column.field;
        if self.column.storage == Storage::TextList {
            return self.next_list(entry);
        }
        let Some(i) = self.next_scalar() else {
            return Ok(());
        };
        match (&self.values, self.column.storage) {
            (Values::Bytes(v), Storage::Text) => {
                let text = utf8(&v[i])?;
                set_text(entry, field, text)
            }
            (values, Storage::Integer { unsigned }) => {
                let n = count(values, i, unsigned)?;
                set_count(entry, field, n);
                Ok(())
            }
            (values, Storage::Float) => {
                let x = match values {
                    Values::Double(v) => v[i],
                    Values::Float(v) => f64::from(v[i]),
                    _ => unreachable!("a float column has float values"),
                };
                if !(x >= 0.0 && x.fract() == 0.0 && x < 2f64.powi(64)) {
                    return Err(format!("{x} is not a count (a whole number, 0 or more)"));
                }
                set_count(entry, field, x as u64);
                Ok(())
            }
            (Values::Int64(v), Storage::Timestamp(unit)) => {
                let per = unit.per_second();
                let (seconds, part) = (v[i].div_euclid(per), v[i].rem_euclid(per));
                let millis = part / (per / 1000);
                entry.created_at = Some(Str(Cow::Borrowed(iso(seconds, millis, &mut self.stamp))));
                Ok(())
            }
            (Values::Int32(v), Storage::Date) => {
                let seconds = i64::from(v[i]) * 86_400;
                entry.created_at = Some(Str(Cow::Borrowed(iso(seconds, 0, &mut self.stamp))));
                Ok(())
            }
            (Values::Int96(v), Storage::Int96) => {
                let (low, high, julian) = (v[i].data()[0], v[i].data()[1], v[i].data()[2]);
                let nanos = (u64::from(high) << 32 | u64::from(low)) as i64;
                let days = i64::from(julian) - 2_440_588;
                let seconds = days * 86_400 + nanos.div_euclid(1_000_000_000);
                let millis = nanos.rem_euclid(1_000_000_000) / 1_000_000;
                entry.created_at = Some(Str(Cow::Borrowed(iso(seconds, millis, &mut self.stamp))));
                Ok(())
            }
            _ => unreachable!("`schema::storage` pairs each storage with its physical type"),
        }
    }

    /// The next row's list of tags.
    fn next_list<'a>(&'a mut self, entry: &mut Entry<'a>) -> Result<(), String> {
        let Values::Bytes(values) = &self.values else {
            unreachable!("a list of strings has byte-array values")
        };
        let mut tags: Option<Tags<'a>> = None;
        let start = self.level;
        while self.level < self.def.len() && (self.level == start || self.rep[self.level] != 0) {
            let def = self.def[self.level];
            self.level += 1;
            if def < self.element_def {
                continue; // a null or empty list
            }
            if def < self.max_def {
                return Err("a null element in a list of tags".into());
            }
            let tag = utf8(&values[self.value])?;
            self.value += 1;
            tags.get_or_insert_with(Tags::default)
                .add(Cow::Borrowed(tag));
        }
        entry.tags = tags.or(entry.tags.take());
        Ok(())
    }
}

/// Reads `rows` whole rows from `reader`, appending levels and values.
fn records<T: DataType>(
    reader: &mut ColumnReaderImpl<T>,
    rows: usize,
    def: &mut Vec<i16>,
    rep: &mut Vec<i16>,
    values: &mut Vec<T::T>,
) -> parquet::errors::Result<usize> {
    values.clear();
    let mut read = 0;
    while read < rows {
        let (records, _, _) = reader.read_records(rows - read, Some(def), Some(rep), values)?;
        if records == 0 {
            break;
        }
        read += records;
    }
    Ok(read)
}

fn set_text<'a>(entry: &mut Entry<'a>, field: Field, text: &'a str) -> Result<(), String> {
    let value = Some(Str(Cow::Borrowed(text)));
    match field {
        Field::Id => entry.id = value,
        Field::ModelId => entry.model_id = value,
        Field::Author => entry.author = value,
        Field::CreatedAt => entry.created_at = value,
        Field::PipelineTag => entry.pipeline_tag = value,
        Field::LibraryName => entry.library_name = value,
        Field::Sdk => entry.sdk = value,
        Field::Tags => {
            // Tags kept as a JSON string (`["a", "b"]`), as some exports write them.
            let tags: Option<Tags> = serde_json::from_str(text)
                .map_err(|err| format!("`{}` is not a JSON list of strings ({err})", clip(text)))?;
            entry.tags = tags;
        }
        Field::Downloads | Field::DownloadsAllTime | Field::Likes => {
            unreachable!("counts are not text")
        }
    }
    Ok(())
}

fn set_count(entry: &mut Entry, field: Field, n: u64) {
    match field {
        Field::Downloads => entry.downloads = Some(n),
        Field::DownloadsAllTime => entry.downloads_all_time = Some(n),
        Field::Likes => entry.likes = Some(n),
        _ => unreachable!("only counts are numbers"),
    }
}

/// An integer value as a count: never negative.
fn count(values: &Values, i: usize, unsigned: bool) -> Result<u64, String> {
    let n = match values {
        Values::Int32(v) if unsigned => return Ok(u64::from(v[i] as u32)),
        Values::Int64(v) if unsigned => return Ok(v[i] as u64),
        Values::Int32(v) => i64::from(v[i]),
        Values::Int64(v) => v[i],
        _ => unreachable!("an integer column has integer values"),
    };
    u64::try_from(n).map_err(|_| format!("{n} is not a count (a whole number, 0 or more)"))
}

fn utf8(value: &ByteArray) -> Result<&str, String> {
    std::str::from_utf8(value.data())
        .map_err(|err| format!("a value that is not UTF-8 text ({err})"))
}

/// `text`, cut to a length a message can show.
fn clip(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// `seconds` since 1970 (and `millis`) as the API writes a time,
/// `2024-05-01T12:30:00.000Z`, in `out`.
pub(super) fn iso(seconds: i64, millis: i64, out: &mut [u8; 24]) -> &str {
    let (days, second) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = crate::dates::civil(days);
    // A year outside 0..=9999 is written as 0000 or 9999: `row::add` refuses both, as
    // no repository on the Hub was created then.
    let year = year.clamp(0, 9999) as u64;
    let parts = [
        (year, 4, 0),
        (u64::from(month), 2, 5),
        (u64::from(day), 2, 8),
        (second as u64 / 3600, 2, 11),
        (second as u64 / 60 % 60, 2, 14),
        (second as u64 % 60, 2, 17),
        (millis as u64, 3, 20),
    ];
    out.copy_from_slice(b"0000-00-00T00:00:00.000Z");
    for (mut n, width, at) in parts {
        for k in (at..at + width).rev() {
            out[k] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    }
    std::str::from_utf8(out).expect("digits and ASCII punctuation")
}

/// `message` about `field`'s column.
fn in_column(field: Field, message: impl std::fmt::Display) -> String {
    format!("column `{}`: {message}", field.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_the_api_writes_them() {
        let mut out = [0u8; 24];
        assert_eq!(iso(0, 0, &mut out), "1970-01-01T00:00:00.000Z");
        // 2022-03-02T23:29:04.000Z, the Hub's placeholder.
        assert_eq!(iso(1_646_263_744, 0, &mut out), "2022-03-02T23:29:04.000Z");
        assert_eq!(
            iso(1_709_251_199, 999, &mut out),
            "2024-02-29T23:59:59.999Z"
        );
        assert_eq!(iso(-1, 0, &mut out), "1969-12-31T23:59:59.000Z");
    }
}
