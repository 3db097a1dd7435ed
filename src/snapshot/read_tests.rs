//! Tests of `snapshot::load` over small files written to a temporary folder.

use std::collections::BTreeMap;
use std::io::Write;

use super::*;
use crate::snapshot::{Derivative, ManifestFile};

const ROWS: &str = concat!(
    r#"{"_id":"1","id":"Qwen/Qwen2.5-7B","author":"Qwen","downloads":123,"likes":4,"trendingScore":0,"private":false,"tags":["transformers","license:apache-2.0","region:us"],"pipeline_tag":"text-generation","library_name":"transformers","createdAt":"2025-03-04T12:00:00.000Z","modelId":"Qwen/Qwen2.5-7B","newField":{"nested":[1,{"x":null}]}}"#,
    "\n\n",
    r#"{"id":"someone/q-GGUF","tags":["gguf","base_model:Qwen/Qwen2.5-7B","base_model:quantized:Qwen/Qwen2.5-7B"],"createdAt":"2026-01-02T00:00:00.000Z"}"#,
    "\r\n   \n",
    r#"{"id":"gpt2","downloads":7}"#,
);

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn manifest_for(name: &str, rows: u64, sha256: &str) -> String {
    let manifest = Manifest {
        source: "test".into(),
        date: "2026-03-15".into(),
        synthetic: true,
        dataset: None,
        files: BTreeMap::from([(
            name.to_owned(),
            ManifestFile {
                rows,
                sha256: sha256.into(),
                size: None,
            },
        )]),
    };
    serde_json::to_string(&manifest).unwrap()
}

fn error(path: &Path) -> String {
    format!("{:#}", load(path).unwrap_err())
}

#[test]
fn every_compression_reads_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("models.jsonl", ROWS.as_bytes().to_vec()),
        ("models.jsonl.gz", gzip(ROWS.as_bytes())),
        ("models.jsonl.zst", zstd(ROWS.as_bytes())),
    ];
    for (name, bytes) in files {
        let path = write(dir.path(), name, &bytes);
        let snapshot = load(&path).unwrap();
        let m = &snapshot.main().repos;
        assert_eq!(m.len(), 3, "{name}");
        assert_eq!(m.downloads, [123, 0, 7], "{name}");
        assert_eq!(m.strings.get(m.author[1]), "someone");
        assert_eq!(m.derivative[1], Derivative::Quantized);
        assert_eq!(m.strings.get(m.base_model[1]), "Qwen/Qwen2.5-7B");
        assert_eq!(m.strings.get(m.license[0]), "apache-2.0");
        assert_eq!(m.created_month[1], 2026 * 12);
        assert_eq!(snapshot.main().sha256, sha256_hex(&bytes), "{name}");
        assert!(snapshot.manifest.is_none());
    }
}

#[test]
fn concatenated_gzip_members_are_all_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = gzip(b"{\"id\":\"a/1\"}\n");
    bytes.extend(gzip(b"{\"id\":\"a/2\"}\n"));
    let path = write(dir.path(), "two.jsonl.gz", &bytes);
    assert_eq!(load(&path).unwrap().main().repos.len(), 2);
}

#[test]
fn a_bad_line_is_named_by_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{ROWS}\n{{\"id\":\"x/y\",\"likes\":-3}}\n");
    for (name, bytes) in [
        ("bad.jsonl", text.as_bytes().to_vec()),
        ("bad.jsonl.zst", zstd(text.as_bytes())),
    ] {
        let path = write(dir.path(), name, &bytes);
        let err = error(&path);
        let expected = format!("{}:6: column ", path.display());
        assert!(err.starts_with(&expected), "{err}");
        assert!(err.contains("invalid value: integer `-3`"), "{err}");
    }
    let path = write(dir.path(), "cut.jsonl", b"{\"id\":\"a/b\"}\n{\"id\":\"a/");
    assert!(error(&path).starts_with(&format!("{}:2: ", path.display())));
}

#[test]
fn truncated_compressed_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let many: String = (0..2000)
        .map(|i| {
            format!(
                "{{\"id\":\"user{i}/model-{}\",\"downloads\":{i}}}\n",
                i * 7919
            )
        })
        .collect();
    for (name, bytes) in [
        ("cut.jsonl.zst", zstd(many.as_bytes())),
        ("cut.jsonl.gz", gzip(many.as_bytes())),
    ] {
        for keep in [bytes.len() - 1, bytes.len() / 2, 10] {
            let path = write(dir.path(), name, &bytes[..keep]);
            let err = error(&path);
            assert!(err.contains(&path.display().to_string()), "{err}");
            assert!(
                err.contains("truncated or corrupt"),
                "{name} cut at {keep}: {err}"
            );
        }
    }
    let mut bytes = zstd(many.as_bytes());
    bytes.extend_from_slice(b"garbage after the frame");
    let path = write(dir.path(), "tail.jsonl.zst", &bytes);
    assert!(error(&path).contains("truncated or corrupt"));
}

#[test]
fn a_matching_manifest_is_kept_and_a_mismatch_names_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = zstd(ROWS.as_bytes());
    let path = write(dir.path(), "models.jsonl.zst", &bytes);
    let sha = sha256_hex(&bytes);

    write(
        dir.path(),
        MANIFEST,
        manifest_for("models.jsonl.zst", 3, &sha).as_bytes(),
    );
    let manifest = load(&path).unwrap().manifest.unwrap();
    assert_eq!(manifest.files["models.jsonl.zst"].rows, 3);
    assert!(manifest.synthetic);

    let manifest_path = dir.path().join(MANIFEST);
    write(
        dir.path(),
        MANIFEST,
        manifest_for("models.jsonl.zst", 4, &sha).as_bytes(),
    );
    let err = error(&path);
    assert!(
        err.contains("has 3 rows") && err.contains("says 4"),
        "{err}"
    );
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(err.contains(&manifest_path.display().to_string()), "{err}");

    write(
        dir.path(),
        MANIFEST,
        manifest_for("models.jsonl.zst", 3, "00ff").as_bytes(),
    );
    let err = error(&path);
    assert!(err.contains(&sha) && err.contains("00ff"), "{err}");

    write(
        dir.path(),
        MANIFEST,
        manifest_for("other.jsonl", 9, "00").as_bytes(),
    );
    // A manifest that does not list the file would leave it unchecked.
    let err = error(&path);
    assert!(
        err.contains("does not list `models.jsonl.zst`") && err.contains("other.jsonl"),
        "{err}"
    );

    write(dir.path(), MANIFEST, b"{\"source\": \"x\", \"files\": ");
    let err = error(&path);
    assert!(err.contains(&manifest_path.display().to_string()), "{err}");
}

#[test]
fn unknown_extensions_and_missing_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "models.json", b"[]");
    assert!(error(&path).contains("expected a name ending in .jsonl"));
    let missing = dir.path().join("absent.jsonl");
    let err = error(&missing);
    assert!(err.contains("absent.jsonl"), "{err}");
}
