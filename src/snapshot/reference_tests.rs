//! The snapshot reader held to a reference: a deliberately plain reader (one line at a
//! time, each parsed to a `serde_json::Value`, every string interned) must give the
//! same columns, value by value, and the same demo figures, to the last digit, as the
//! parallel reader cutting the file into many small chunks.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::chunks::Plan;
use super::read::load_with;
use super::{load, Derivative, Flags, Kind, Repos, Snapshot, Sym};
use crate::registry::Registry;
use crate::{config, metrics, registry, sample};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn demo_registry() -> Registry {
    registry::load(&repo().join("content/data/organizations.toml")).unwrap()
}

/// A synthetic snapshot, with lines the fast path leaves to serde_json mixed in.
fn sample_text(models: usize) -> String {
    let options = sample::Options {
        models,
        datasets: 0,
        spaces: 0,
        date: "2026-03-15".into(),
        seed: 11,
    };
    let generated = sample::generate(&options, &demo_registry()).unwrap();
    let odd = [
        r#"{"id":"esc\/aped/m\u00e9","author":"esc\/aped","downloads":5,"tags":["license:m\u0069t"]}"#,
        "",
        "   \t",
        "{\"id\":\"tab/sep\",\t\"downloads\":3,\"likes\":null}\r",
        r#"{"id":"nested/x","cardData":{"a":[1,{"b":"\"q\""}],"c":-1.5e3},"createdAt":"2024-02-29T00:00:00Z","tags":null}"#,
        r#"{"id":"gpt2","downloads":0,"author":null,"pipeline_tag":null,"library_name":"transformers"}"#,
    ];
    let mut text = String::new();
    for (i, line) in generated.lines().enumerate() {
        text.push_str(line);
        text.push('\n');
        if i % 397 == 5 {
            text.push_str(odd[i % odd.len()]);
            text.push('\n');
        }
    }
    text
}

/// The reference reader, for a file of models.
fn reference(text: &str) -> Repos {
    reference_of(text, Kind::Models)
}

/// The reference reader, for a file it must accept.
fn reference_of(text: &str, kind: Kind) -> Repos {
    reference_checked(text.as_bytes(), kind).unwrap_or_else(|line| panic!("line {line}"))
}

/// The fields the reader uses, each as a `Value`; every other field is only checked
/// by serde_json for its grammar, as a reader that ignores it would. A field given
/// twice is an error.
struct Fields(serde_json::Map<String, Value>);

const NEEDED: [&str; 11] = [
    "id",
    "modelId",
    "author",
    "downloads",
    "downloadsAllTime",
    "likes",
    "createdAt",
    "pipeline_tag",
    "library_name",
    "sdk",
    "tags",
];

impl<'de> serde::Deserialize<'de> for Fields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Fields;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Fields, A::Error> {
                let mut fields = serde_json::Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    if !NEEDED.contains(&key.as_str()) {
                        map.next_value::<serde::de::IgnoredAny>()?;
                        continue;
                    }
                    let value: Value = map.next_value()?;
                    if fields.insert(key, value).is_some() {
                        return Err(serde::de::Error::custom("duplicate field"));
                    }
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// Whether every needed field holds its type: strings, counts (`u64`), a list of
/// strings, or null.
fn well_typed(row: &serde_json::Map<String, Value>) -> bool {
    row.iter().all(|(key, value)| match (key.as_str(), value) {
        (_, Value::Null) => true,
        ("downloads" | "downloadsAllTime" | "likes", value) => value.as_u64().is_some(),
        ("tags", Value::Array(tags)) => tags.iter().all(Value::is_string),
        ("tags", _) => false,
        (_, value) => value.is_string(),
    })
}

/// A `createdAt` as months since year 0, if it is a date `YYYY-MM…` in 1990..=2200.
fn month(date: &str) -> Option<u32> {
    let (year, rest) = (date.get(..4)?, date.get(4..)?);
    let month = rest.strip_prefix('-')?.get(..2)?;
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(year) || !digits(month) {
        return None;
    }
    let (year, month): (u32, u32) = (year.parse().ok()?, month.parse().ok()?);
    ((1990..=2200).contains(&year) && (1..=12).contains(&month)).then(|| year * 12 + month - 1)
}

/// The reference reader: the columns of `bytes`, or the first bad line (1-based).
/// A byte order mark is skipped at the start of the file only; blank lines (spaces,
/// tabs, CR) are skipped.
pub(super) fn reference_checked(bytes: &[u8], kind: Kind) -> Result<Repos, u64> {
    let mut m = Repos {
        kind,
        ..Repos::default()
    };
    let mut seen = std::collections::HashSet::new();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    for (line, number) in bytes.split(|&b| b == b'\n').zip(1u64..) {
        if line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
            continue;
        }
        let Ok(Fields(row)) = serde_json::from_slice::<Fields>(line) else {
            return Err(number);
        };
        if !well_typed(&row) {
            return Err(number);
        }
        let text = |key: &str| row.get(key).and_then(Value::as_str).unwrap_or("");
        let count = |key: &str| row.get(key).and_then(Value::as_u64);
        let id = match row.get("id").and_then(Value::as_str) {
            Some(id) => id,
            None if kind == Kind::Models => match row.get("modelId").and_then(Value::as_str) {
                Some(id) => id,
                None => return Err(number),
            },
            None => return Err(number),
        };
        let created = row.get("createdAt").and_then(Value::as_str);
        let month = match created {
            None => 0,
            Some(date) => month(date).ok_or(number)?,
        };
        let created = created.unwrap_or("");
        if !seen.insert(id.to_owned()) {
            continue;
        }
        let author = match row.get("author").and_then(Value::as_str) {
            Some(author) => author,
            None => id.split_once('/').map_or("", |(a, _)| a),
        };
        let tags: Vec<&str> = match row.get("tags") {
            Some(Value::Array(tags)) => tags.iter().map(|t| t.as_str().unwrap()).collect(),
            _ => Vec::new(),
        };
        let license = tags.iter().find_map(|t| t.strip_prefix("license:"));
        let kinds = [
            ("finetune", Derivative::Finetune),
            ("adapter", Derivative::Adapter),
            ("quantized", Derivative::Quantized),
            ("merge", Derivative::Merge),
        ];
        let with_kind: Vec<(Derivative, &str)> = tags
            .iter()
            .filter_map(|t| {
                let rest = t.strip_prefix("base_model:")?;
                let (kind, base) = rest.split_once(':')?;
                let (_, derivative) = kinds.iter().find(|(name, _)| *name == kind)?;
                Some((*derivative, base))
            })
            .collect();
        let plain = tags.iter().find_map(|t| t.strip_prefix("base_model:"));
        let (derivative, bases) = match with_kind.first() {
            Some(&(derivative, _)) => {
                let mut bases: Vec<&str> = Vec::new();
                for &(kind, base) in &with_kind {
                    if kind == derivative && !bases.contains(&base) {
                        bases.push(base);
                    }
                }
                (derivative, bases)
            }
            None => (Derivative::Original, vec![plain.unwrap_or("")]),
        };
        let mut flags = Flags::default();
        flags.set(Flags::NO_AUTHOR, author.is_empty());
        flags.set(
            Flags::NO_CREATED_AT,
            row.get("createdAt").is_none_or(Value::is_null),
        );
        flags.set(
            Flags::PLACEHOLDER_DATE,
            created.starts_with("2022-03-02T23:29:"),
        );
        let downloads = kind != Kind::Spaces;
        flags.set(
            Flags::NO_DOWNLOADS,
            downloads && count("downloads").is_none(),
        );
        flags.set(
            Flags::NO_DOWNLOADS_ALL_TIME,
            downloads && count("downloadsAllTime").is_none(),
        );
        flags.set(Flags::NO_LIKES, count("likes").is_none());
        let row_index = m.id.len() as u32;
        let s = &mut m.strings;
        let author = s.intern(author);
        let id = s.intern(id);
        let license = s.intern(license.unwrap_or(""));
        m.author.push(author);
        m.id.push(id);
        m.license.push(license);
        let prefixed = |prefix: &str| -> Vec<&str> {
            let mut values: Vec<&str> = Vec::new();
            for value in tags.iter().filter_map(|t| t.strip_prefix(prefix)) {
                if !values.contains(&value) {
                    values.push(value);
                }
            }
            values
        };
        match kind {
            Kind::Models => {
                let task = s.intern(text("pipeline_tag"));
                let library = s.intern(text("library_name"));
                let base = s.intern(bases[0]);
                for more in &bases[1..] {
                    let sym = s.intern(more);
                    m.more_bases.push((row_index, sym));
                }
                m.pipeline_tag.push(task);
                m.library_name.push(library);
                m.base_model.push(base);
                m.derivative.push(derivative);
            }
            Kind::Datasets => {
                let first = |prefix| prefix_first(&prefixed(prefix));
                let task = s.intern(first("task_categories:"));
                let size = s.intern(first("size_categories:"));
                let languages = prefixed("language:");
                let language = s.intern(prefix_first(&languages));
                for more in languages.iter().skip(1) {
                    let sym = s.intern(more);
                    m.more_languages.push((row_index, sym));
                }
                m.task_category.push(task);
                m.size_category.push(size);
                m.language.push(language);
            }
            Kind::Spaces => {
                let sdk = s.intern(text("sdk"));
                m.sdk.push(sdk);
            }
        }
        if downloads {
            m.downloads.push(count("downloads").unwrap_or(0));
            m.downloads_all_time
                .push(count("downloadsAllTime").unwrap_or(0));
        }
        m.likes.push(count("likes").unwrap_or(0));
        m.created_month.push(month);
        m.flags.push(flags);
    }
    Ok(m)
}

fn prefix_first<'a>(values: &[&'a str]) -> &'a str {
    values.first().copied().unwrap_or("")
}

pub(super) fn assert_same_rows(fast: &Repos, slow: &Repos) {
    assert_eq!(fast.len(), slow.len());
    let text = |m: &Repos, column: &[Sym], row: usize| m.strings.get(column[row]).to_owned();
    for row in 0..slow.len() {
        for (name, a, b) in [
            ("id", &fast.id, &slow.id),
            ("author", &fast.author, &slow.author),
            ("pipeline_tag", &fast.pipeline_tag, &slow.pipeline_tag),
            ("library_name", &fast.library_name, &slow.library_name),
            ("license", &fast.license, &slow.license),
            ("base_model", &fast.base_model, &slow.base_model),
            ("task_category", &fast.task_category, &slow.task_category),
            ("size_category", &fast.size_category, &slow.size_category),
            ("language", &fast.language, &slow.language),
            ("sdk", &fast.sdk, &slow.sdk),
        ] {
            assert_eq!(a.len(), b.len(), "{name}");
            if a.is_empty() {
                continue;
            }
            assert_eq!(
                text(fast, a, row),
                text(slow, b, row),
                "{name} of row {row}"
            );
        }
    }
    assert_eq!(fast.downloads, slow.downloads);
    assert_eq!(fast.downloads_all_time, slow.downloads_all_time);
    assert_eq!(fast.flags, slow.flags);
    let pairs = |m: &Repos, pairs: &[(u32, Sym)]| -> Vec<(u32, String)> {
        let text = |&(row, sym): &(u32, Sym)| (row, m.strings.get(sym).to_owned());
        pairs.iter().map(text).collect()
    };
    assert_eq!(pairs(fast, &fast.more_bases), pairs(slow, &slow.more_bases));
    assert_eq!(
        pairs(fast, &fast.more_languages),
        pairs(slow, &slow.more_languages)
    );
    assert_eq!(fast.kind, slow.kind);
    assert_eq!(fast.likes, slow.likes);
    assert_eq!(fast.created_month, slow.created_month);
    assert_eq!(fast.derivative, slow.derivative);
    // Grouping goes by symbol: in the interned columns, one string must be one symbol.
    let mut sym_of: HashMap<&str, Sym> = HashMap::new();
    for column in [
        &fast.author,
        &fast.pipeline_tag,
        &fast.library_name,
        &fast.license,
        &fast.base_model,
        &fast.task_category,
        &fast.size_category,
        &fast.language,
        &fast.sdk,
    ] {
        for &sym in column.iter() {
            let previous = sym_of.insert(fast.strings.get(sym), sym);
            assert!(
                previous.is_none_or(|p| p == sym),
                "{}",
                fast.strings.get(sym)
            );
        }
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Cuts that force many chunks, lines longer than a chunk, and more workers than cores.
fn small_plans() -> [Plan; 3] {
    [
        Plan {
            chunk_bytes: 64,
            workers: 3,
            slots: 2,
            max_line: super::chunks::MAX_LINE,
            batch_rows: 16 * 1024,
        },
        Plan {
            chunk_bytes: 4096,
            workers: 2,
            slots: 5,
            max_line: super::chunks::MAX_LINE,
            batch_rows: 16 * 1024,
        },
        Plan {
            chunk_bytes: 100_000,
            workers: 1,
            slots: 3,
            max_line: super::chunks::MAX_LINE,
            batch_rows: 16 * 1024,
        },
    ]
}

#[test]
fn the_parallel_reader_gives_the_reference_rows_and_figures() {
    let text = sample_text(4000);
    let slow = reference(&text);
    let dir = tempfile::tempdir().unwrap();
    let zst = write(
        dir.path(),
        "models.jsonl.zst",
        &zstd::encode_all(text.as_bytes(), 1).unwrap(),
    );
    let plain = write(dir.path(), "models.jsonl", text.as_bytes());

    let mut config = config::load(repo()).unwrap();
    // The demo's model figures: this snapshot has only models.
    config.figures.retain(|_, def| def.of == Kind::Models);
    let registry = demo_registry();
    let reference = Snapshot::of(slow, None);
    let expected = metrics::compute(&config.figures, &reference, &registry, "2026-spring").unwrap();
    let expected = serde_json::to_string(&expected).unwrap();

    let whole = load(&plain).unwrap();
    for plan in small_plans() {
        for path in [&zst, &plain] {
            let fast = load_with(path, &plan).unwrap();
            assert_same_rows(&fast.main().repos, &reference.main().repos);
            // However it is cut, the same symbols.
            assert_eq!(
                fast.main().repos.author,
                whole.main().repos.author,
                "{plan:?}"
            );
            assert_eq!(
                fast.main().repos.base_model,
                whole.main().repos.base_model,
                "{plan:?}"
            );
            assert_eq!(fast.main().repos.id, whole.main().repos.id, "{plan:?}");
            let figures =
                metrics::compute(&config.figures, &fast, &registry, "2026-spring").unwrap();
            assert_eq!(
                serde_json::to_string(&figures).unwrap(),
                expected,
                "{plan:?}"
            );
        }
    }
}

#[test]
fn errors_name_the_right_line_however_the_file_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    let mut text: String = (1..=3000)
        .map(|i| format!("{{\"id\":\"user{i}/model\",\"downloads\":{i}}}\n"))
        .collect();
    text.insert_str(
        text.match_indices('\n').nth(2344).unwrap().0 + 1,
        "{\"id\":\"bad/line\",\"likes\":-1}\n",
    );
    let path = write(dir.path(), "bad.jsonl", text.as_bytes());
    for plan in small_plans() {
        let err = format!("{:#}", load_with(&path, &plan).unwrap_err());
        assert!(
            err.starts_with(&format!("{}:2346: column ", path.display())),
            "{plan:?}: {err}"
        );
    }

    let mut encoder = zstd::Encoder::new(Vec::new(), 1).unwrap();
    encoder.write_all(text.as_bytes()).unwrap();
    let bytes = encoder.finish().unwrap();
    let cut = write(dir.path(), "cut.jsonl.zst", &bytes[..bytes.len() / 2]);
    for plan in small_plans() {
        let err = format!("{:#}", load_with(&cut, &plan).unwrap_err());
        assert!(
            err.contains("truncated or corrupt") || err.contains(":2346:"),
            "{plan:?}: {err}"
        );
    }
}

/// The fixture of every real listing shape (see its README).
fn real_shapes() -> PathBuf {
    repo().join("tests/fixtures/real-shapes/models.jsonl")
}

#[test]
fn every_real_shape_reads_as_the_reference_reads_it() {
    let path = real_shapes();
    let text = std::fs::read_to_string(&path).unwrap();
    let slow = reference(&text);
    for plan in small_plans() {
        let fast = load_with(&path, &plan).unwrap();
        assert_same_rows(&fast.main().repos, &slow);
    }
    let snap = load(&path).unwrap();
    let m = &snap.main().repos;
    let ids: Vec<&str> = m.id.iter().map(|&s| m.strings.get(s)).collect();
    let row = |id: &str| ids.iter().position(|&i| i == id).unwrap();
    // `id` wins over `modelId`; `modelId` stands in when there is no `id`.
    assert!(ids.contains(&"google-bert/bert-base-uncased"));
    assert!(!ids.contains(&"bert-base-uncased"));
    assert!(ids.contains(&"gpt2") && ids.contains(&"esc/aped-old"));
    // Repeated ids: the first entry is kept.
    assert_eq!(ids.len(), 19);
    assert_eq!(m.downloads[row("lab/torch-model")], 700);
    assert_eq!(m.downloads[row("openai-community/gpt2")], 11_532_004);
    // Authors: given, or the id's namespace, or none.
    let author = |id: &str| m.strings.get(m.author[row(id)]);
    assert_eq!(author("Helsinki-NLP/opus-mt-en-de"), "Helsinki-NLP");
    assert_eq!(author("gpt2"), "");
    assert!(m.flags[row("gpt2")].has(Flags::NO_AUTHOR | Flags::NO_CREATED_AT));
    assert!(m.flags[row("roberta-base")].has(Flags::NO_DOWNLOADS | Flags::NO_LIKES));
    // The placeholder date, both spellings.
    for id in ["openai-community/gpt2", "google-bert/bert-base-uncased"] {
        assert!(m.flags[row(id)].has(Flags::PLACEHOLDER_DATE), "{id}");
        assert_eq!(m.created_month[row(id)], 2022 * 12 + 2);
    }
    assert_eq!(
        m.downloads_all_time[row("google-bert/bert-base-uncased")],
        2_400_000_000
    );
    // Every parent of a merge, each once.
    let parents = |id: &str| -> Vec<&str> {
        let r = row(id) as u32;
        let first = m.strings.get(m.base_model[r as usize]);
        let more = m.more_bases.iter().filter(|&&(row, _)| row == r);
        std::iter::once(first)
            .chain(more.map(|&(_, s)| m.strings.get(s)))
            .collect()
    };
    assert_eq!(
        parents("someone/Big-Merge-3x"),
        [
            "Qwen/Qwen2.5-7B-Instruct",
            "meta-llama/Llama-3.1-8B-Instruct",
            "mistralai/Mistral-7B-Instruct-v0.3"
        ]
    );
    assert_eq!(
        parents("other/Two-Merge"),
        [
            "Qwen/Qwen2.5-7B-Instruct",
            "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"
        ]
    );

    let q = &snap.main().quality;
    assert_eq!((q.entries, q.duplicates), (21, 2));
    assert_eq!(
        q.duplicate_ids,
        ["lab/torch-model", "openai-community/gpt2"]
    );
    assert_eq!(q.placeholder_dates, 2);
    assert_eq!(
        q.missing(),
        [
            ("author", 2),
            ("createdAt", 4),
            ("downloads", 1),
            ("downloadsAllTime", 4),
            ("likes", 2)
        ]
    );
}

#[test]
fn real_dataset_and_space_shapes_read_as_the_reference_reads_them() {
    for (name, kind) in [
        ("datasets.jsonl", Kind::Datasets),
        ("spaces.jsonl", Kind::Spaces),
    ] {
        let path = repo().join("tests/fixtures/real-shapes").join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let slow = reference_of(&text, kind);
        for plan in small_plans() {
            let fast = load_with(&path, &plan).unwrap();
            assert_eq!(fast.main().kind(), kind, "{name}");
            assert_same_rows(&fast.main().repos, &slow);
        }
    }

    let datasets = load(&repo().join("tests/fixtures/real-shapes/datasets.jsonl")).unwrap();
    let d = &datasets.main().repos;
    let get = |sym: Sym| d.strings.get(sym);
    assert_eq!(d.len(), 5, "the repeated id is kept once");
    assert_eq!(get(d.task_category[0]), "question-answering");
    assert_eq!(get(d.size_category[0]), "10K<n<100K");
    // The datasets' placeholder date (…22.000Z) means "created before March 2022".
    assert!(d.flags[0].has(Flags::PLACEHOLDER_DATE));
    assert!(d.flags[2].has(Flags::PLACEHOLDER_DATE | Flags::NO_AUTHOR));
    // Every language once, the first in `language`, the others after it.
    assert_eq!(get(d.language[1]), "fr");
    let more: Vec<&str> = (d.more_languages.iter())
        .filter(|&&(row, _)| row == 1)
        .map(|&(_, sym)| get(sym))
        .collect();
    assert_eq!(more, ["de", "zh"]);
    assert!(d.pipeline_tag.is_empty() && d.sdk.is_empty());

    let spaces = load(&repo().join("tests/fixtures/real-shapes/spaces.jsonl")).unwrap();
    let s = &spaces.main().repos;
    let sdks: Vec<&str> = s.sdk.iter().map(|&sym| s.strings.get(sym)).collect();
    assert_eq!(sdks, ["docker", "gradio", "", "streamlit", "static"]);
    // Spaces have no downloads: their absence is not a gap in the data.
    assert_eq!(spaces.main().quality.no_downloads, 0);
    assert_eq!(spaces.main().quality.no_likes, 1);
    assert!(s.flags[4].has(Flags::NO_CREATED_AT));
}
