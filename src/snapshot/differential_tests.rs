//! Differential property tests: for generated snapshot files, the fast reader (the
//! byte scanner, its serde fallback, the parallel chunks) and the plain reference
//! reader (`reference_checked`, one `serde_json::Value` per line) give the same
//! columns, or both refuse the file at the same line.
//!
//! The generator writes what a stranger's data or a broken tool could: any field
//! order, unknown, nested and repeated keys, every string escape (surrogate pairs,
//! lone surrogates, `\/`), every number form (`1e3`, `-0`, `1.0`, beyond `u64`,
//! negative), `null` and wrong types, deep nesting, odd whitespace, CRLF, byte order
//! marks, and lines cut or corrupted at a random byte. `cargo test` runs 256 files;
//! `PROPTEST_CASES=100000 cargo test differential` runs longer.

use std::io::{Cursor, Read};
use std::path::Path;

use proptest::prelude::*;
use proptest::sample::Index;

use super::chunks::{self, Plan};
use super::reference_tests::{assert_same_rows, reference_checked};
use super::Kind;

/// Characters worth writing into a string: plain, JSON-special, control, non-ASCII,
/// beyond the BMP (a surrogate pair when escaped), a BOM, a bidi override.
fn character() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => prop::char::range('a', 'z'),
        2 => prop::sample::select(vec!['/', ':', '-', '.', ' ', '<', '>', '&', '\'']),
        1 => prop::sample::select(vec!['"', '\\', '\n', '\t', '\r', '\u{0}', '\u{1f}', '\u{7f}']),
        1 => prop::sample::select(vec!['é', 'ß', '中', '😀', '\u{feff}', '\u{202e}', '\u{2028}']),
    ]
}

/// One character as JSON text, spelled in one of the ways JSON allows, or now and
/// then in one it does not.
fn spell(c: char, how: u8) -> String {
    let unicode = |c: char| {
        let mut units = [0u16; 2];
        c.encode_utf16(&mut units)
            .iter()
            .map(|u| {
                if how.is_multiple_of(2) {
                    format!("\\u{u:04x}")
                } else {
                    format!("\\u{u:04X}")
                }
            })
            .collect::<String>()
    };
    let short = match c {
        '"' => Some("\\\""),
        '\\' => Some("\\\\"),
        '/' => Some("\\/"),
        '\n' => Some("\\n"),
        '\t' => Some("\\t"),
        '\r' => Some("\\r"),
        '\u{8}' => Some("\\b"),
        '\u{c}' => Some("\\f"),
        _ => None,
    };
    let must_escape = c < ' ' || c == '"' || c == '\\';
    match how {
        // Mostly as the Hub writes it: raw where JSON allows.
        0..=11 if !must_escape => c.to_string(),
        0..=13 => short.map_or_else(|| unicode(c), str::to_owned),
        14..=15 => unicode(c),
        // Broken: a lone surrogate, an unknown escape, a raw special character.
        16 => "\\ud800".to_owned(),
        17 => "\\x".to_owned(),
        _ => c.to_string(),
    }
}

/// A JSON string literal whose text starts with `prefix`.
fn string_with(prefix: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec((character(), 0u8..=255), 0..8).prop_map(move |chars| {
        let mut out = String::from("\"");
        for c in prefix.chars() {
            out.push_str(&spell(c, 0));
        }
        for (c, how) in chars {
            // The broken spellings stay rare.
            let how = if how >= 18 { how % 14 } else { how };
            out.push_str(&spell(c, how));
        }
        out.push('"');
        out
    })
}

fn string() -> impl Strategy<Value = String> {
    string_with("")
}

/// Tags as the Hub writes them, and tags the reader reduces.
fn tag() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
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
        "region:us",
    ])
    .prop_flat_map(string_with)
}

/// Every way a count can be written, right and wrong.
fn count() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => any::<u64>().prop_map(|n| n.to_string()),
        8 => (0u64..1000).prop_map(|n| n.to_string()),
        1 => prop::sample::select(vec![
            "0", "-0", "1e3", "1E+2", "1.0", "0.5", "-5", "00", "01", "-", "1.", "1e",
            "18446744073709551615", "18446744073709551616", "123456789012345678901234567890",
            "1e400", "-1e400", "null", "true", "\"5\"", "[]", "{}",
        ])
        .prop_map(str::to_owned),
    ]
}

/// A `createdAt` value: dates, placeholders, implausible years, not dates.
fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => prop::sample::select(vec![
            "\"2024-02-29T00:00:00Z\"",
            "\"2025-10-01T08:00:00.000Z\"",
            "\"2022-03-02T23:29:04.000Z\"",
            "\"2022-03-02T23:29:22.000Z\"",
            "\"2026-12\"",
            "\"0999-01-01T00:00:00.000Z\"",
            "\"9999-12-31T00:00:00.000Z\"",
            "\"2026-13-01\"",
            "\"\\u0032026-01-01\"",
            "\"yesterday\"",
            "\"\"",
            "null",
            "20240229",
        ])
        .prop_map(str::to_owned),
        1 => string(),
    ]
}

/// Any JSON value, nested up to a few levels, with now and then a very deep one.
fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        string(),
        count(),
        prop::sample::select(vec!["true", "false", "null", "-1.5e-3", "2.5E10"])
            .prop_map(str::to_owned),
    ];
    let nested = leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec((key(), inner), 0..4).prop_map(|members| {
                let members: Vec<String> =
                    members.iter().map(|(k, v)| format!("{k}:{v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    });
    prop_oneof![
        20 => nested,
        1 => (1usize..300).prop_map(|depth| format!("{}1{}", "[".repeat(depth), "]".repeat(depth))),
        1 => (1usize..300).prop_map(|depth| format!("{}{}", "{\"a\":".repeat(depth), "}".repeat(depth)).replace(":}", ":1}")),
    ]
}

/// A key: one the reader needs (sometimes spelled with escapes), or another.
fn key() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "\"id\"",
        "\"modelId\"",
        "\"author\"",
        "\"downloads\"",
        "\"downloadsAllTime\"",
        "\"likes\"",
        "\"createdAt\"",
        "\"pipeline_tag\"",
        "\"library_name\"",
        "\"sdk\"",
        "\"tags\"",
        "\"\\u0069d\"",
        "\"t\\u0061gs\"",
        "\"_id\"",
        "\"private\"",
        "\"cardData\"",
        "\"ID\"",
        "\"\"",
    ])
    .prop_map(str::to_owned)
}

/// The value a key gets: mostly of its field's type, sometimes anything.
fn member() -> impl Strategy<Value = (String, String)> {
    (key(), 0u8..40).prop_flat_map(|(key, odd)| {
        let typed: BoxedStrategy<String> = match key.as_str() {
            _ if odd == 0 => value().boxed(),
            "\"downloads\"" | "\"downloadsAllTime\"" | "\"likes\"" => count().boxed(),
            "\"createdAt\"" => date().boxed(),
            "\"tags\"" | "\"t\\u0061gs\"" => prop_oneof![
                8 => prop::collection::vec(tag(), 0..6).prop_map(|t| format!("[{}]", t.join(","))),
                1 => Just("null".to_owned()),
                1 => Just("[\"license:mit\",null]".to_owned()),
            ]
            .boxed(),
            "\"id\"" | "\"\\u0069d\"" | "\"modelId\"" | "\"author\"" => prop_oneof![
                8 => (string(), string()).prop_map(|(a, b)| {
                    format!("{}/{}", &a[..a.len() - 1], &b[1..])
                }),
                2 => string(),
                1 => Just("null".to_owned()),
            ]
            .boxed(),
            "\"pipeline_tag\"" | "\"library_name\"" | "\"sdk\"" => string().boxed(),
            _ => value().boxed(),
        };
        (Just(key), typed)
    })
}

/// JSON whitespace that stays on one line.
fn space() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["", "", "", " ", "  ", "\t", "\r", " \t "])
}

/// One object, its members apart by generated whitespace. Most have an id.
fn object() -> impl Strategy<Value = String> {
    let id = prop_oneof![
        8 => (string(), string()).prop_map(|(a, b)| ("\"id\"".to_owned(), format!("{}/{}", &a[..a.len() - 1], &b[1..]))),
        1 => string().prop_map(|id| ("\"modelId\"".to_owned(), id)),
        1 => member(),
    ];
    let members = (
        id,
        prop::collection::vec(member(), 0..8),
        prop::bool::weighted(0.1),
    )
        .prop_flat_map(|(id, mut members, repeats)| {
            members.push(id);
            if !repeats {
                let mut seen = std::collections::HashSet::new();
                let name = |key: &str| key.replace("\\u0069", "i").replace("\\u0061", "a");
                members.retain(|(key, _)| seen.insert(name(key)));
            }
            Just(members).prop_shuffle()
        });
    (
        members,
        prop::collection::vec((space(), space()), 9),
        space(),
        space(),
    )
        .prop_map(|(members, spaces, before, after)| {
            let members = members
                .into_iter()
                .zip(spaces)
                .map(|(m, (s1, s2))| (m, s1, s2));
            let members: Vec<String> = members
                .map(|((k, v), s1, s2)| format!("{s1}{k}{s2}:{s1}{v}{s2}"))
                .collect();
            format!("{before}{{{}}}{after}", members.join(","))
        })
}

/// How a line is spoiled, if at all: cut short, or a byte put in or taken out.
#[derive(Debug, Clone)]
enum Spoil {
    None,
    Cut(Index),
    Insert(Index, u8),
    Remove(Index),
}

fn spoil() -> impl Strategy<Value = Spoil> {
    prop_oneof![
        40 => Just(Spoil::None),
        1 => any::<Index>().prop_map(Spoil::Cut),
        1 => (any::<Index>(), prop::sample::select(vec![b',', b'}', b']', b'"', b'\\', b'[', 0xff, 0, b' ', 0x0c]))
            .prop_map(|(at, b)| Spoil::Insert(at, b)),
        1 => any::<Index>().prop_map(Spoil::Remove),
    ]
}

/// A line of the file: an entry, something other than an object, or a blank.
fn line() -> impl Strategy<Value = Vec<u8>> {
    let text = prop_oneof![
        40 => object(),
        1 => prop::sample::select(vec![
            "", " ", "\t\r", "\u{c}", "[]", "[\"a/b\"]", "null", "5", "\"x\"", "{}", "{\"id\":\"a/b\"}x",
            "{\"id\":\"a/b\",}", "\u{feff}{\"id\":\"bom/line\"}",
        ])
        .prop_map(str::to_owned),
    ];
    (text, spoil()).prop_map(|(text, spoil)| {
        let mut bytes = text.into_bytes();
        match spoil {
            Spoil::None => {}
            Spoil::Cut(at) if !bytes.is_empty() => bytes.truncate(at.index(bytes.len())),
            Spoil::Insert(at, b) => bytes.insert(at.index(bytes.len() + 1), b),
            Spoil::Remove(at) if !bytes.is_empty() => {
                bytes.remove(at.index(bytes.len()));
            }
            _ => {}
        }
        bytes
    })
}

/// A file: a few lines, LF or CRLF apart, maybe a byte order mark first, maybe a line
/// end last.
fn file() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec((line(), any::<bool>()), 1..5),
        prop::bool::weighted(0.3),
        any::<bool>(),
    )
        .prop_map(|(lines, bom, last_end)| {
            let mut out = Vec::new();
            if bom {
                out.extend_from_slice(chunks::BOM);
            }
            for (i, (line, crlf)) in lines.iter().enumerate() {
                out.extend_from_slice(line);
                if i + 1 < lines.len() || last_end {
                    out.extend_from_slice(if *crlf { b"\r\n" } else { b"\n" });
                }
            }
            out
        })
}

fn plan() -> impl Strategy<Value = Plan> {
    (1usize..200, 1usize..4, 2usize..5).prop_map(|(chunk_bytes, workers, slots)| Plan {
        chunk_bytes,
        workers,
        slots,
        max_line: chunks::MAX_LINE,
        batch_rows: 16 * 1024,
    })
}

fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(Kind::ALL.to_vec())
}

/// The line number a fast reader's error names (`t.jsonl:LINE: …`).
fn line_of(message: &str) -> Option<u64> {
    message
        .strip_prefix("t.jsonl:")?
        .split(':')
        .next()?
        .parse()
        .ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_fast_reader_agrees_with_the_reference(bytes in file(), kind in kind(), plan in plan()) {
        let fast = chunks::parse(&mut Cursor::new(&bytes), Path::new("t.jsonl"), kind, &plan);
        let slow = reference_checked(&bytes, kind);
        let shown = String::from_utf8_lossy(&bytes);
        match (fast, slow) {
            (Ok((fast, _, _)), Ok(slow)) => assert_same_rows(&fast, &slow),
            (Err(err), Err(line)) => {
                let message = format!("{err:#}");
                prop_assert_eq!(line_of(&message), Some(line), "{}\n{}", message, shown);
                prop_assert!(!message.contains("panicked"));
            }
            (Ok(_), Err(line)) => prop_assert!(false, "only the reference refuses line {}:\n{}", line, shown),
            (Err(err), Ok(_)) => prop_assert!(false, "only the fast reader refuses: {:#}\n{}", err, shown),
        }
    }
}

/// A line longer than the limit is refused at its number, having read no more than
/// the limit and a chunk of it, even when it never ends.
#[test]
fn an_endless_line_is_refused_with_bounded_memory() {
    struct Endless {
        read: usize,
    }
    impl std::io::Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            buf.fill(b'a');
            self.read += buf.len();
            Ok(buf.len())
        }
    }
    let plan = Plan::default();
    let head = b"{\"id\":\"a/b\"}\n{\"id\":\"c/d\"}\n";
    let mut reader = Cursor::new(&head[..]).chain(Endless { read: 0 });
    let err = chunks::parse(&mut reader, Path::new("t.jsonl"), Kind::Models, &plan).unwrap_err();
    let message = format!("{err:#}");
    assert!(
        message.starts_with("t.jsonl:3: a line longer than 16 MB"),
        "{message}"
    );
    let (_, endless) = reader.into_inner();
    assert!(
        endless.read <= plan.max_line + plan.chunk_bytes,
        "{}",
        endless.read
    );

    // A line of 100 MB, then more: the same, and no further.
    let hundred = std::io::repeat(b' ').take(100 << 20);
    let mut reader = Cursor::new(&b"{\"id\":\"a/b\",\"x\":\""[..]).chain(hundred);
    let err = chunks::parse(&mut reader, Path::new("t.jsonl"), Kind::Models, &plan).unwrap_err();
    assert!(format!("{err:#}").starts_with("t.jsonl:1: a line longer than 16 MB"));
}

/// Lines up to the limit are read, wherever the chunks are cut; one byte more is not.
#[test]
fn the_line_limit_is_exact() {
    for chunk_bytes in [1, 7, 64] {
        let plan = Plan {
            chunk_bytes,
            workers: 2,
            slots: 3,
            max_line: 100,
            batch_rows: 16 * 1024,
        };
        let line = |len: usize| {
            let pad = len - "{\"id\":\"a/b\",\"x\":\"\"}".len();
            format!("{{\"id\":\"a/b\",\"x\":\"{}\"}}", "p".repeat(pad))
        };
        let parse = |text: String| {
            chunks::parse(
                &mut Cursor::new(text),
                Path::new("t.jsonl"),
                Kind::Models,
                &plan,
            )
        };
        let ok = format!("{{\"id\":\"z/y\"}}\n{}\n{{\"id\":\"x/w\"}}", line(100));
        assert_eq!(parse(ok).unwrap().0.len(), 3, "{chunk_bytes}");
        for text in [
            format!("{{\"id\":\"z/y\"}}\n{}\n{{\"id\":\"x/w\"}}", line(101)),
            format!("{{\"id\":\"z/y\"}}\n{}", line(101)),
        ] {
            let err = format!("{:#}", parse(text).unwrap_err());
            assert!(
                err.starts_with("t.jsonl:2: a line longer than 100 bytes"),
                "{chunk_bytes}: {err}"
            );
        }
    }
}

/// The byte order mark: skipped at the start of the file, an error on a later line.
#[test]
fn a_byte_order_mark_is_read_only_at_the_start() {
    let read = |text: &[u8]| {
        chunks::parse(
            &mut Cursor::new(text),
            Path::new("t.jsonl"),
            Kind::Models,
            &Plan::default(),
        )
    };
    let (rows, _, _) = read(b"\xEF\xBB\xBF{\"id\":\"a/b\"}\n{\"id\":\"c/d\"}\n").unwrap();
    assert_eq!(rows.len(), 2);
    let err = format!(
        "{:#}",
        read(b"{\"id\":\"a/b\"}\n\xEF\xBB\xBF{\"id\":\"c/d\"}\n").unwrap_err()
    );
    assert!(
        err.starts_with("t.jsonl:2: column 1: a byte order mark"),
        "{err}"
    );
}
