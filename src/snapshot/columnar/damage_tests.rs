//! Tests of damaged Parquet files: truncated, of another format, with a footer that
//! describes other bytes, a row group that does not decode, columns of the wrong type
//! or values a count cannot be, and every cut and many spoiled bytes of a small file.
//! Each is an error naming the file (and, where one is at fault, the row group and
//! column), never a panic; and the columns stateof does not read are never decoded.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::tests::{jsonl, models};
use super::write::{self, Codec, Shape};
use crate::snapshot::chunks::Plan;
use crate::snapshot::read::load_with;
use crate::snapshot::Kind;

/// The message of loading `path` with its parts joined.
fn error_of(path: &Path) -> String {
    format!("{:#}", load_with(path, &Plan::default()).unwrap_err())
}

fn parquet_of(dir: &Path, rows: &[Value], shape: &Shape) -> (PathBuf, Vec<u8>) {
    let path = dir.join("models.parquet");
    write::write_file(&jsonl(rows, &[]), Kind::Models, shape, &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    (path, bytes)
}

#[test]
fn a_truncated_file_or_another_format_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (path, bytes) = parquet_of(dir.path(), &models(), &Shape::default());
    for len in [0, 4, bytes.len() / 2, bytes.len() - 9, bytes.len() - 1] {
        std::fs::write(&path, &bytes[..len]).unwrap();
        let err = error_of(&path);
        assert!(
            err.contains("models.parquet") && err.contains("not a readable Parquet file"),
            "{len}: {err}"
        );
    }
    let mut wrong_magic = bytes.clone();
    let end = wrong_magic.len();
    wrong_magic[end - 4..].copy_from_slice(b"PAR2");
    std::fs::write(&path, &wrong_magic).unwrap();
    assert!(error_of(&path).contains("not a readable Parquet file"));
    std::fs::write(&path, jsonl(&models(), &[])).unwrap();
    assert!(error_of(&path).contains("not a readable Parquet file"));
}

#[test]
fn a_footer_that_lies_is_an_error_naming_the_row_group() {
    let dir = tempfile::tempdir().unwrap();
    let many: Vec<Value> = (0..200)
        .map(|i| json!({"id": format!("a/m{i}"), "downloads": i}))
        .collect();
    let few: Vec<Value> = many[..20].to_vec();
    let shape = Shape {
        row_group_rows: 50,
        ..Shape::default()
    };
    let (_, big) = parquet_of(dir.path(), &many, &shape);
    let (path, small) = parquet_of(dir.path(), &few, &shape);
    // The small file's data under the large file's footer: offsets and row counts
    // that describe other bytes.
    let footer = |bytes: &[u8]| {
        let n = bytes.len();
        let len = u32::from_le_bytes(bytes[n - 8..n - 4].try_into().unwrap()) as usize;
        n - 8 - len
    };
    let mut lying = small[..footer(&small)].to_vec();
    lying.extend_from_slice(&big[footer(&big)..]);
    std::fs::write(&path, &lying).unwrap();
    let err = error_of(&path);
    assert!(err.contains("models.parquet"), "{err}");
    assert!(
        err.contains("row group") || err.contains("not a readable Parquet file"),
        "{err}"
    );
}

#[test]
fn a_row_group_that_does_not_decode_is_an_error_naming_it_and_its_column() {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<Value> = (0..90)
        .map(|i| json!({"id": format!("a/m{i}"), "downloads": i}))
        .collect();
    let shape = Shape {
        row_group_rows: 30,
        compression: Codec::Snappy,
        dictionary: false,
        extra_columns: false,
        ..Shape::default()
    };
    let (path, mut bytes) = parquet_of(dir.path(), &rows, &shape);
    let reader = parquet::file::serialized_reader::SerializedFileReader::new(
        std::fs::File::open(&path).unwrap(),
    )
    .unwrap();
    use parquet::file::reader::FileReader;
    let group = reader.metadata().row_group(1);
    let leaf = (0..group.num_columns())
        .find(|&i| group.column(i).column_path().string() == "downloads")
        .unwrap();
    let (start, len) = group.column(leaf).byte_range();
    // Garbage over the chunk's pages, its header first.
    for byte in &mut bytes[start as usize..(start + len) as usize] {
        *byte = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let err = error_of(&path);
    assert!(
        err.contains("models.parquet") && err.contains("row group 2 of 3"),
        "{err}"
    );
    assert!(err.contains("column `downloads`"), "{err}");
}

#[test]
fn unread_columns_are_never_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut bytes) = parquet_of(dir.path(), &models(), &Shape::default());
    let reader = parquet::file::serialized_reader::SerializedFileReader::new(
        std::fs::File::open(&path).unwrap(),
    )
    .unwrap();
    use parquet::file::reader::FileReader;
    let group = reader.metadata().row_group(0);
    let mut spoiled = 0;
    for i in 0..group.num_columns() {
        let name = group.column(i).column_path().parts()[0].clone();
        if [
            "cardData",
            "siblings",
            "safetensors",
            "config",
            "trendingScore",
            "_id",
        ]
        .contains(&name.as_str())
        {
            let (start, len) = group.column(i).byte_range();
            bytes[start as usize..(start + len) as usize].fill(0xA5);
            spoiled += 1;
        }
    }
    assert_eq!(spoiled, 6);
    std::fs::write(&path, &bytes).unwrap();
    let snapshot = load_with(&path, &Plan::default()).unwrap();
    assert_eq!(snapshot.main().repos.len(), 3);
}

#[test]
fn wrong_types_and_values_are_errors_naming_the_column() {
    let dir = tempfile::tempdir().unwrap();
    // Counts as text: refused by the schema, before any row is read.
    let path = dir.path().join("models.parquet");
    let text_counts = r#"{"id":"a/b","downloads":"many"}"#;
    let err = write::write_file(text_counts, Kind::Models, &Shape::default(), &path).unwrap_err();
    assert!(format!("{err:#}").contains("not a count"), "{err:#}");
    write_raw(
        &path,
        "message m { required binary id (STRING); optional binary downloads (STRING); }",
    );
    let err = error_of(&path);
    assert!(err.contains("column `downloads` holds BYTE_ARRAY"), "{err}");
    assert!(err.contains("whole numbers"), "{err}");
    write_raw(
        &path,
        "message m { required binary id (STRING); optional group likes { optional int64 n; } }",
    );
    assert!(error_of(&path).contains("column `likes` holds a group holding INT64"));
    write_raw(&path, "message m { optional binary author (STRING); }");
    assert!(error_of(&path).contains("no column `id` (nor `modelId`)"));
    // A negative count, and a double that is not a whole number.
    for (declared, value) in [("int64", "-5"), ("double", "2.5")] {
        let message =
            format!("message m {{ required binary id (STRING); optional {declared} likes; }}");
        write_row(&path, &message, value);
        let err = error_of(&path);
        assert!(
            err.contains("row group 1 of 1: column `likes`") && err.contains("not a count"),
            "{err}"
        );
    }
    // A null element in a list of tags, which a JSON listing cannot hold either.
    let rows = [json!({"id": "a/b", "tags": ["x", null]})];
    write::write_file(&jsonl(&rows, &[]), Kind::Models, &Shape::default(), &path).unwrap();
    assert!(error_of(&path).contains("column `tags`: a null element"));
}

/// Writes an empty file with the schema `message`.
fn write_raw(path: &Path, message: &str) {
    let schema = std::sync::Arc::new(parquet::schema::parser::parse_message_type(message).unwrap());
    let file = std::fs::File::create(path).unwrap();
    let mut writer =
        parquet::file::writer::SerializedFileWriter::new(file, schema, Default::default()).unwrap();
    let mut group = writer.next_row_group().unwrap();
    while let Some(column) = group.next_column().unwrap() {
        column.close().unwrap();
    }
    group.close().unwrap();
    writer.close().unwrap();
}

/// Writes one row: id `a/b` and `likes` = `value` in the type `message` declares.
fn write_row(path: &Path, message: &str, value: &str) {
    use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
    let schema = std::sync::Arc::new(parquet::schema::parser::parse_message_type(message).unwrap());
    let file = std::fs::File::create(path).unwrap();
    let mut writer =
        parquet::file::writer::SerializedFileWriter::new(file, schema, Default::default()).unwrap();
    let mut group = writer.next_row_group().unwrap();
    let mut column = group.next_column().unwrap().unwrap();
    column
        .typed::<ByteArrayType>()
        .write_batch(&[ByteArray::from("a/b")], None, None)
        .unwrap();
    column.close().unwrap();
    let mut column = group.next_column().unwrap().unwrap();
    if message.contains("double") {
        column
            .typed::<DoubleType>()
            .write_batch(&[value.parse().unwrap()], Some(&[1]), None)
            .unwrap();
    } else {
        column
            .typed::<Int64Type>()
            .write_batch(&[value.parse().unwrap()], Some(&[1]), None)
            .unwrap();
    }
    column.close().unwrap();
    group.close().unwrap();
    writer.close().unwrap();
}

#[test]
fn no_damage_to_the_bytes_panics() {
    let dir = tempfile::tempdir().unwrap();
    let shape = Shape {
        row_group_rows: 2,
        ..Shape::default()
    };
    let (path, bytes) = parquet_of(dir.path(), &models(), &shape);
    // Every cut, and a spoiled byte at every 7th offset: an error or a reading, never
    // a panic out of `load`.
    let mut errors = 0;
    for len in 0..bytes.len() {
        std::fs::write(&path, &bytes[..len]).unwrap();
        errors += usize::from(load_with(&path, &Plan::default()).is_err());
    }
    assert_eq!(errors, bytes.len());
    for at in (0..bytes.len()).step_by(7) {
        let mut spoiled = bytes.clone();
        spoiled[at] ^= 0x5A;
        std::fs::write(&path, &spoiled).unwrap();
        if let Err(err) = load_with(&path, &Plan::default()) {
            assert!(format!("{err:#}").contains("models.parquet"), "{err:#}");
        }
    }
}
