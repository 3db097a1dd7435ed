//! Tests of the Parquet reader: property tests that hold it to the JSON Lines reader
//! (the same rows, written both ways, read to identical columns, whatever the shape of
//! the Parquet file and however its work is cut up) and every storage variant real
//! writers use (damaged files are `damage_tests`'). Every Parquet file here is written
//! by the test itself (`write`), so `cargo test` needs no Python.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::{json, Map, Value};

use super::write::{self, Codec, Counts, Shape, TagsAs, Times};
use crate::snapshot::chunks::Plan;
use crate::snapshot::read::load_with;
use crate::snapshot::reference_tests::assert_same_rows;
use crate::snapshot::{Derivative, Flags, Kind, Repos};

/// Text worth storing: plain, JSON-special, control, non-ASCII, beyond the BMP, a
/// byte order mark, a bidi override, markup.
fn text() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        6 => prop::char::range('a', 'z'),
        2 => prop::sample::select(vec!['/', ':', '-', '.', ' ', '<', '&', '\'']),
        1 => prop::sample::select(vec!['"', '\\', '\n', '\t', '\u{1}', '\u{7f}']),
        1 => prop::sample::select(vec!['é', '中', '😀', '\u{feff}', '\u{202e}', '\u{2028}']),
    ];
    prop::collection::vec(c, 1..10).prop_map(|chars| chars.into_iter().collect())
}

/// A tag, often one the reader reduces (licence, base model, dataset facets).
fn tag() -> impl Strategy<Value = String> {
    let prefix = prop::sample::select(vec![
        "",
        "license:",
        "base_model:",
        "base_model:finetune:",
        "base_model:adapter:",
        "base_model:quantized:",
        "base_model:merge:",
        "task_categories:",
        "size_categories:",
        "language:",
        "region:",
    ]);
    (
        prefix,
        prop::sample::select(vec!["a/b", "c/d", "mit", "en", "fr", "x"]),
        text(),
    )
        .prop_map(|(prefix, common, odd)| {
            let odd = odd.len() % 3 == 0;
            format!("{prefix}{}", if odd { "ünïcode/😀" } else { common })
        })
}

/// A time the API could have written, the Hub's placeholder now and then.
fn time() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just("2022-03-02T23:29:04.000Z".to_owned()),
        6 => (1_420_070_400_000i64..1_830_297_600_000).prop_map(|ms| {
            let mut out = [0u8; 24];
            super::decode::iso(ms.div_euclid(1000), ms.rem_euclid(1000), &mut out).to_owned()
        }),
    ]
}

/// One entry of `kind`, as JSON, with `limit` the largest count the shape can hold.
fn entry(kind: Kind, limit: u64) -> impl Strategy<Value = Value> {
    let count = prop::option::weighted(0.8, 0..=limit);
    let tags = prop::option::weighted(0.8, prop::collection::vec(tag(), 0..6));
    let strings = || prop::option::weighted(0.7, text());
    (
        (text(), prop::option::of(text()), any::<bool>()),
        (count.clone(), count.clone(), count),
        (prop::option::weighted(0.9, time()), tags),
        (strings(), strings(), strings()),
    )
        .prop_map(
            move |((name, author, old), (d, dat, likes), (created, tags), (a, b, c))| {
                let mut row = Map::new();
                let id = match &author {
                    Some(author) => format!("{author}/{name}"),
                    None => name,
                };
                // Old listings name a model by `modelId` alone.
                let key = if kind == Kind::Models && old {
                    "modelId"
                } else {
                    "id"
                };
                row.insert(key.into(), json!(id));
                let mut put = |key: &str, value: Option<Value>| {
                    if let Some(value) = value {
                        row.insert(key.into(), value);
                    }
                };
                put("author", author.map(Value::from));
                put("downloads", d.map(Value::from));
                put("downloadsAllTime", dat.map(Value::from));
                put("likes", likes.map(Value::from));
                put("createdAt", created.map(Value::from));
                put("tags", tags.map(Value::from));
                match kind {
                    Kind::Models => {
                        put("pipeline_tag", a.map(Value::from));
                        put("library_name", b.map(Value::from));
                    }
                    Kind::Datasets => {}
                    Kind::Spaces => put("sdk", c.map(Value::from)),
                }
                Value::Object(row)
            },
        )
}

fn shape() -> impl Strategy<Value = Shape> {
    let times = prop::sample::select(vec![
        Times::Millis { utc: true },
        Times::Micros { utc: true },
        Times::Micros { utc: false },
        Times::Nanos { utc: true },
        Times::Nanos { utc: false },
        Times::Int96,
        Times::Text,
    ]);
    let counts = prop::sample::select(vec![Counts::Int64, Counts::Int32, Counts::Double]);
    let tags = prop::sample::select(vec![
        TagsAs::List { item: false },
        TagsAs::List { item: true },
        TagsAs::TwoLevel,
        TagsAs::Json,
    ]);
    let codec = prop::sample::select(vec![Codec::None, Codec::Snappy, Codec::Zstd]);
    let omit = prop::sample::subsequence(
        vec![
            "author",
            "downloadsAllTime",
            "likes",
            "pipeline_tag",
            "createdAt",
        ],
        0..3,
    );
    (
        (times, counts, tags),
        (
            1usize..40,
            codec,
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        ),
        omit,
    )
        .prop_map(
            |((times, counts, tags), (rows, compression, dictionary, pages_v2, extra), omit)| {
                Shape {
                    times,
                    counts,
                    tags,
                    row_group_rows: rows,
                    compression,
                    dictionary,
                    pages_v2,
                    extra_columns: extra,
                    omit: omit.into_iter().map(str::to_owned).collect(),
                }
            },
        )
}

/// The largest count a shape stores exactly.
fn limit(counts: Counts) -> u64 {
    match counts {
        Counts::Int64 => i64::MAX as u64,
        Counts::Int32 => i32::MAX as u64,
        Counts::Double => 1 << 53,
    }
}

fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(Kind::ALL.to_vec())
}

/// A snapshot of `kind` in `shape`, with its entries: the shape first, since it bounds
/// the counts.
fn case() -> impl Strategy<Value = (Kind, Shape, Vec<Value>)> {
    (kind(), shape()).prop_flat_map(|(kind, shape)| {
        let rows = prop::collection::vec(entry(kind, limit(shape.counts)), 1..60);
        (Just(kind), Just(shape), rows)
    })
}

fn plan() -> impl Strategy<Value = Plan> {
    (1usize..4, 1usize..25).prop_map(|(workers, batch_rows)| Plan {
        workers,
        batch_rows,
        ..Plan::default()
    })
}

/// `rows` as JSON lines, without the columns the shape leaves out (a file without a
/// column is a listing without the field).
pub(super) fn jsonl(rows: &[Value], omit: &[String]) -> String {
    let mut text = String::new();
    for row in rows {
        let mut row = row.clone();
        for key in omit {
            row.as_object_mut().unwrap().remove(key);
        }
        text.push_str(&row.to_string());
        text.push('\n');
    }
    text
}

/// Writes `rows` both ways in `dir` (a folder per format, no manifest), returns the
/// paths of the JSON Lines and the Parquet file.
fn both(dir: &Path, kind: Kind, shape: &Shape, rows: &[Value]) -> (PathBuf, PathBuf) {
    let text = jsonl(rows, &shape.omit);
    for sub in ["jsonl", "parquet"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let json = dir.join("jsonl").join(format!("{kind}.jsonl"));
    std::fs::write(&json, &text).unwrap();
    let parquet = dir.join("parquet").join(format!("{kind}.parquet"));
    write::write_file(&text, kind, shape, &parquet).unwrap();
    (json, parquet)
}

/// Asserts that two readings are the same columns, symbol for symbol.
fn assert_identical(parquet: &Repos, json: &Repos) {
    assert_same_rows(parquet, json);
    assert_eq!(parquet.id.len(), json.id.len());
    for (a, b) in [
        (&parquet.author, &json.author),
        (&parquet.license, &json.license),
        (&parquet.pipeline_tag, &json.pipeline_tag),
        (&parquet.library_name, &json.library_name),
        (&parquet.base_model, &json.base_model),
        (&parquet.language, &json.language),
        (&parquet.sdk, &json.sdk),
    ] {
        assert_eq!(a, b, "symbols");
    }
    assert_eq!(parquet.more_bases, json.more_bases);
    assert_eq!(parquet.more_languages, json.more_languages);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn parquet_reads_to_the_columns_json_lines_reads_to(
        (kind, shape, rows) in case(),
        plan in plan(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (json, parquet) = both(dir.path(), kind, &shape, &rows);
        let from_json = load_with(&json, &Plan::default()).unwrap();
        let from_parquet = load_with(&parquet, &plan).unwrap();
        assert_identical(&from_parquet.main().repos, &from_json.main().repos);
        prop_assert_eq!(&from_parquet.main().quality, &from_json.main().quality);
    }
}

/// A few models covering each reduced tag, written in `shape`.
pub(super) fn models() -> Vec<Value> {
    vec![
        json!({"id": "Qwen/Qwen2.5-7B", "author": "Qwen", "downloads": 5_000_000_000u64,
               "downloadsAllTime": 9_000_000_000u64, "likes": 12,
               "createdAt": "2024-09-18T10:00:00.000Z", "pipeline_tag": "text-generation",
               "library_name": "transformers", "tags": ["license:apache-2.0", "region:us"]}),
        json!({"id": "someone/q-GGUF", "createdAt": "2022-03-02T23:29:04.000Z",
               "tags": ["base_model:quantized:Qwen/Qwen2.5-7B"], "downloads": 3}),
        json!({"modelId": "gpt2", "tags": [], "likes": 0}),
        json!({"id": "Qwen/Qwen2.5-7B", "downloads": 1}),
    ]
}

fn read_parquet(shape: &Shape, rows: &[Value]) -> Repos {
    let dir = tempfile::tempdir().unwrap();
    let (json, parquet) = both(dir.path(), Kind::Models, shape, rows);
    let from_json = load_with(&json, &Plan::default()).unwrap();
    let snapshot = load_with(&parquet, &Plan::default()).unwrap();
    assert_identical(&snapshot.main().repos, &from_json.main().repos);
    snapshot.tables.into_iter().next().unwrap().repos
}

#[test]
fn every_storage_variant_reads_the_same_rows() {
    let shapes = [
        Shape::default(),
        Shape {
            times: Times::Millis { utc: false },
            ..Shape::default()
        },
        Shape {
            times: Times::Nanos { utc: true },
            counts: Counts::Double,
            ..Shape::default()
        },
        Shape {
            times: Times::Int96,
            tags: TagsAs::Json,
            ..Shape::default()
        },
        Shape {
            times: Times::Text,
            tags: TagsAs::TwoLevel,
            pages_v2: true,
            ..Shape::default()
        },
        Shape {
            tags: TagsAs::List { item: true },
            compression: Codec::Zstd,
            dictionary: false,
            ..Shape::default()
        },
        Shape {
            row_group_rows: 1,
            extra_columns: false,
            ..Shape::default()
        },
    ];
    for shape in shapes {
        let repos = read_parquet(&shape, &models());
        // The repeated id is kept once, the first.
        assert_eq!(repos.len(), 3, "{shape:?}");
        let s = &repos.strings;
        assert_eq!(repos.downloads[0], 5_000_000_000, "{shape:?}");
        assert_eq!(s.get(repos.license[0]), "apache-2.0");
        assert_eq!(repos.derivative[1], Derivative::Quantized);
        assert!(repos.flags[1].has(Flags::PLACEHOLDER_DATE), "{shape:?}");
        assert_eq!(repos.created_month[0], 2024 * 12 + 8, "{shape:?}");
        assert_eq!(s.get(repos.id[2]), "gpt2");
        assert!(repos.flags[2].has(Flags::NO_AUTHOR | Flags::NO_DOWNLOADS | Flags::NO_CREATED_AT));
    }
}

#[test]
fn a_missing_column_is_a_field_every_row_lacks() {
    let shape = Shape {
        omit: vec!["downloadsAllTime".into(), "author".into()],
        ..Shape::default()
    };
    let repos = read_parquet(&shape, &models());
    assert!(repos
        .flags
        .iter()
        .all(|f| f.has(Flags::NO_DOWNLOADS_ALL_TIME)));
    // The author comes from the id's namespace, as for a listing without `author`.
    assert_eq!(repos.strings.get(repos.author[1]), "someone");
}
