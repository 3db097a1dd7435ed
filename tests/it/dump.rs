//! `stateof fetch --dump` and snapshots by reference against a mock of the Hub's
//! dataset API and downloads (see `mock_dump`): the revision resolved to its commit,
//! downloads through redirects resumed with ranges after dropped connections, files
//! verified against the listed size and SHA-256 (a bad one is never kept), HTTP errors
//! that name the URL and what to do, the token kept from other origins, and the data of
//! a snapshot by reference fetched into the cache once.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use stateof::fetch::{reference, Hub, RetryPolicy};

use super::fetch::online_command;
use super::mock_dump::{sha256_hex, Fault, MockDump};
use super::{read, stderr};

pub const REPO: &str = "cfahlgren1/hub-stats";
pub const C1: &str = "4c7906281206eb8c8445711afba1c9f53f54e599";
pub const C2: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f9011223344";
const SECRET: &str = "hf_mock_dump_secret_42";

/// A commit's folder in the data cache, or a snapshot of the whole dump.
const CACHED: [&str; 4] = [
    "datasets.parquet",
    "manifest.json",
    "models.parquet",
    "spaces.parquet",
];

/// A Parquet file of `rows` models (`id`, `downloads`), as the parquet crate writes it.
pub fn parquet(rows: usize, seed: i64) -> Vec<u8> {
    use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    let schema = "message schema { REQUIRED BYTE_ARRAY id (UTF8); REQUIRED INT64 downloads; }";
    let schema = Arc::new(parquet::schema::parser::parse_message_type(schema).unwrap());
    let ids: Vec<ByteArray> = (0..rows)
        .map(|i| ByteArray::from(format!("org{}/model-{i}", i % 7).as_str()))
        .collect();
    let downloads: Vec<i64> = (0..rows as i64)
        .map(|i| (i * 7919 + seed) % 100_000)
        .collect();
    let mut bytes = Vec::new();
    let properties = Arc::new(WriterProperties::builder().build());
    let mut writer = SerializedFileWriter::new(&mut bytes, schema, properties).unwrap();
    let mut group = writer.next_row_group().unwrap();
    let mut column = group.next_column().unwrap().unwrap();
    column
        .typed::<ByteArrayType>()
        .write_batch(&ids, None, None)
        .unwrap();
    column.close().unwrap();
    let mut column = group.next_column().unwrap().unwrap();
    column
        .typed::<Int64Type>()
        .write_batch(&downloads, None, None)
        .unwrap();
    column.close().unwrap();
    group.close().unwrap();
    writer.close().unwrap();
    bytes
}

/// The three files of a dump commit, of 3,000, 800 and 1,500 rows (`seed` varies them).
pub fn dump_files(seed: i64) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("models.parquet", parquet(3_000, seed)),
        ("datasets.parquet", parquet(800, seed + 1)),
        ("spaces.parquet", parquet(1_500, seed + 2)),
    ]
}

/// A mock with `main` at commit `C1` of the dump.
pub fn mock() -> MockDump {
    let mock = MockDump::start();
    mock.commit(REPO, "main", C1, "2026-11-30T06:12:41.000Z", &dump_files(0));
    mock
}

/// `stateof ARGS` in `dir` against `mock`, with the data cache in `dir/cache` and
/// `token` as HF_TOKEN.
pub fn online(mock: &MockDump, dir: &Path, args: &[&str], token: Option<&str>) -> Output {
    command(mock, dir, token)
        .args(args)
        .output()
        .expect("run stateof")
}

fn command(mock: &MockDump, dir: &Path, token: Option<&str>) -> Command {
    let mut command = online_command(dir, token);
    command
        .env("HF_ENDPOINT", mock.url())
        .env("HF_HOME", dir.join("hf-home"))
        .env("STATEOF_DATA_CACHE", dir.join("cache"));
    command
}

fn fetch_dump(mock: &MockDump, dir: &Path, args: &[&str], token: Option<&str>) -> Output {
    let mut all = vec!["fetch", "--retry-base-ms", "1", "--dump"];
    all.extend_from_slice(args);
    online(mock, dir, &all, token)
}

/// Runs `stateof fetch --dump ARGS` in a new folder; it must succeed.
fn fetched(mock: &MockDump, args: &[&str]) -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    let message = ok(fetch_dump(mock, tmp.path(), args, None));
    (tmp, message)
}

fn ok(out: Output) -> String {
    let message = stderr(&out);
    assert!(out.status.success(), "stateof failed:\n{message}");
    message
}

fn failed(out: Output) -> String {
    let message = stderr(&out);
    assert!(!out.status.success(), "stateof succeeded:\n{message}");
    message
}

fn bytes_of(mock_files: &[(&str, Vec<u8>)], name: &str) -> Vec<u8> {
    mock_files
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap()
        .1
        .clone()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn the_dump_is_fetched_at_the_commit_main_resolves_to() {
    let mock = mock();
    let (tmp, message) = fetched(&mock, &["--out", "snapshots/hub"]);
    let out = tmp.path().join("snapshots/hub");
    assert_eq!(files_in(&out), CACHED);
    let files = dump_files(0);
    for (name, bytes) in &files {
        assert!(
            std::fs::read(out.join(name)).unwrap() == *bytes,
            "{name} differs"
        );
    }
    assert!(!tmp.path().join("snapshots/hub.partial").exists());

    let json: serde_json::Value = serde_json::from_str(&read(out.join("manifest.json"))).unwrap();
    assert_eq!(json["dataset"]["repo"], REPO);
    assert_eq!(json["dataset"]["revision"], "main");
    assert_eq!(json["dataset"]["commit"], C1);
    assert_eq!(json["date"], "2026-11-30", "the commit's day");
    assert_eq!(json["endpoint"], mock.url());
    let models = &json["files"]["models.parquet"];
    assert_eq!(models["rows"], 3_000, "from the Parquet footer");
    assert_eq!(models["size"], bytes_of(&files, "models.parquet").len());
    assert_eq!(
        models["sha256"],
        sha256_hex(&bytes_of(&files, "models.parquet"))
    );
    assert_eq!(json["files"]["spaces.parquet"]["rows"], 1_500);
    let manifest: stateof::snapshot::Manifest = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(manifest.dataset.unwrap().commit, C1);
    assert!(message.contains(C1), "{message}");

    // One revision request, then each file through its resolve URL at the commit (never
    // at `main`), redirected to another path.
    let targets: Vec<String> = mock.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets[0],
        format!("/api/datasets/{REPO}/revision/main?blobs=true")
    );
    for name in ["models.parquet", "datasets.parquet", "spaces.parquet"] {
        assert!(
            targets.contains(&format!("/datasets/{REPO}/resolve/{C1}/{name}")),
            "{targets:?}"
        );
        assert!(
            targets.contains(&format!("/cdn/{C1}/{name}")),
            "{targets:?}"
        );
    }
    assert_eq!(targets.len(), 1 + 3 * 2);
}

#[test]
fn another_repository_and_revision_by_flag() {
    let mock = MockDump::start();
    mock.commit(
        "someone/archive",
        "refs/convert/parquet",
        C2,
        "2026-01-02T00:00:00Z",
        &dump_files(5),
    );
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "someone/archive",
        "--revision",
        "refs/convert/parquet",
        "--kinds",
        "spaces",
        "--out",
        "s",
    ];
    ok(fetch_dump(&mock, tmp.path(), &args, None));
    assert_eq!(
        files_in(&tmp.path().join("s")),
        ["manifest.json", "spaces.parquet"]
    );
    let targets: Vec<String> = mock.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets[0],
        "/api/datasets/someone/archive/revision/refs%2Fconvert%2Fparquet?blobs=true"
    );
    let json: serde_json::Value =
        serde_json::from_str(&read(tmp.path().join("s/manifest.json"))).unwrap();
    assert_eq!(json["dataset"]["revision"], "refs/convert/parquet");
    assert_eq!(json["dataset"]["commit"], C2);
}

#[test]
fn a_dropped_connection_is_resumed_with_a_range() {
    let mock = mock();
    mock.fail("models.parquet", &[Fault::Drop, Fault::Drop]);
    let (tmp, message) = fetched(&mock, &["--kinds", "models", "--out", "s"]);
    let bytes = bytes_of(&dump_files(0), "models.parquet");
    assert!(std::fs::read(tmp.path().join("s/models.parquet")).unwrap() == bytes);
    let ranges: Vec<Option<String>> = mock.downloads().into_iter().map(|r| r.range).collect();
    // Each drop sends half of what the request asked for.
    let size = bytes.len();
    let first = size - size / 2;
    let rest = size - first;
    let second = first + (rest - rest / 2);
    // The first request asks for the whole file; each retry asks for what is missing,
    // from the byte the connection broke at.
    assert_eq!(
        ranges,
        [
            None,
            Some(format!("bytes={first}-")),
            Some(format!("bytes={second}-"))
        ],
        "{message}"
    );
    assert!(message.contains("the connection broke after"), "{message}");
}

/// Fetches the models of the dump into a folder where an interrupted run left a third
/// of the file; returns the requests for its bytes and what stateof said.
fn resumed(mock: &MockDump) -> (Vec<super::mock_dump::Request>, String) {
    let tmp = tempfile::tempdir().unwrap();
    let bytes = bytes_of(&dump_files(0), "models.parquet");
    let work = tmp.path().join(format!("s.partial/{C1}"));
    std::fs::create_dir_all(&work).unwrap();
    let partial = work.join("models.parquet.partial");
    std::fs::write(partial, &bytes[..bytes.len() / 3]).unwrap();
    let before = mock.downloads().len();
    let args = ["--kinds", "models", "--out", "s"];
    let message = ok(fetch_dump(mock, tmp.path(), &args, None));
    assert!(std::fs::read(tmp.path().join("s/models.parquet")).unwrap() == bytes);
    (mock.downloads().split_off(before), message)
}

#[test]
fn a_rerun_resumes_the_partial_file_and_a_server_ignoring_ranges_starts_over() {
    let mock = mock();
    let third = bytes_of(&dump_files(0), "models.parquet").len() / 3;
    let (downloads, _) = resumed(&mock);
    assert_eq!(downloads.len(), 1);
    assert_eq!(downloads[0].range, Some(format!("bytes={third}-")));

    mock.fail("models.parquet", &[Fault::IgnoreRange]);
    let (downloads, message) = resumed(&mock);
    assert_eq!(
        downloads.len(),
        1,
        "the whole file came in the answer to the range"
    );
    assert!(message.contains("sent the whole file"), "{message}");
}

#[test]
fn leftovers_of_another_commit_are_dropped_and_an_api_fetch_is_not_touched() {
    let mock = mock();
    let tmp = tempfile::tempdir().unwrap();
    let stale = tmp.path().join(format!("s.partial/{C2}"));
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join("models.parquet.partial"), b"old").unwrap();
    let args = ["--kinds", "models", "--out", "s"];
    let message = ok(fetch_dump(&mock, tmp.path(), &args, None));
    assert!(
        message.contains("left by a fetch of another commit"),
        "{message}"
    );
    assert_eq!(
        files_in(&tmp.path().join("s")),
        ["manifest.json", "models.parquet"]
    );
    assert!(!tmp.path().join("s.partial").exists());

    let unfinished = tmp.path().join("t.partial");
    std::fs::create_dir_all(&unfinished).unwrap();
    std::fs::write(unfinished.join("state.json"), b"{}").unwrap();
    let err = failed(fetch_dump(&mock, tmp.path(), &["--out", "t"], None));
    assert!(err.contains("unfinished fetch from the Hub API"), "{err}");
    assert!(unfinished.join("state.json").is_file());
}

/// Nothing in `dir` is a verified copy of the file: no snapshot, no file, no partial.
fn nothing_kept(dir: &Path) {
    let left = files_in(dir);
    assert!(
        left.iter().all(|f| !f.contains("models.parquet")),
        "kept: {left:?}"
    );
    assert!(!dir.join("s").exists());
}

#[test]
fn a_wrong_checksum_is_an_error_and_the_file_is_not_kept() {
    let mock = mock();
    let wrong = "0".repeat(64);
    mock.list_sha256("models.parquet", &wrong);
    let tmp = tempfile::tempdir().unwrap();
    let err = failed(fetch_dump(
        &mock,
        tmp.path(),
        &["--kinds", "models", "--out", "s"],
        None,
    ));
    let url = format!("{}/datasets/{REPO}/resolve/{C1}/models.parquet", mock.url());
    let actual = sha256_hex(&bytes_of(&dump_files(0), "models.parquet"));
    for part in ["`models.parquet`", &url, &wrong, &actual] {
        assert!(err.contains(part), "{part} not in: {err}");
    }
    nothing_kept(tmp.path());

    // Bytes corrupted on the way: the same error, and a rerun gets good ones.
    let mock = MockDump::start();
    mock.commit(REPO, "main", C1, "2026-11-30T06:12:41.000Z", &dump_files(0));
    mock.fail("models.parquet", &[Fault::Corrupt]);
    let tmp = tempfile::tempdir().unwrap();
    let err = failed(fetch_dump(
        &mock,
        tmp.path(),
        &["--kinds", "models", "--out", "s"],
        None,
    ));
    assert!(
        err.contains("has SHA-256") && err.contains("not kept"),
        "{err}"
    );
    nothing_kept(tmp.path());
    ok(fetch_dump(
        &mock,
        tmp.path(),
        &["--kinds", "models", "--out", "s"],
        None,
    ));
}

#[test]
fn a_size_mismatch_is_an_error() {
    let mock = mock();
    let size = bytes_of(&dump_files(0), "models.parquet").len() as u64;
    mock.list_size("models.parquet", size + 10);
    let tmp = tempfile::tempdir().unwrap();
    let err = failed(fetch_dump(
        &mock,
        tmp.path(),
        &["--kinds", "models", "--out", "s"],
        None,
    ));
    let expected = format!("is {size} bytes, but the Hub lists {}", size + 10);
    assert!(
        err.contains(&expected) && err.contains("/resolve/"),
        "{err}"
    );
    nothing_kept(tmp.path());
}

#[test]
fn http_errors_name_the_url_and_what_to_do() {
    let mock = mock();
    mock.require_token(SECRET);
    let tmp = tempfile::tempdir().unwrap();
    let err = failed(fetch_dump(
        &mock,
        tmp.path(),
        &["--out", "s"],
        Some("hf_wrong"),
    ));
    let api = format!(
        "{}/api/datasets/{REPO}/revision/main?blobs=true",
        mock.url()
    );
    assert!(
        err.contains("HTTP 401") && err.contains(&api) && err.contains("HF_TOKEN"),
        "{err}"
    );
    assert!(!err.contains("hf_wrong"), "{err}");

    let err = failed(fetch_dump(
        &mock,
        tmp.path(),
        &["nobody/nothing", "--out", "s"],
        Some(SECRET),
    ));
    assert!(
        err.contains("HTTP 404") && err.contains("/api/datasets/nobody/nothing/"),
        "{err}"
    );
    assert!(err.contains("--endpoint"), "{err}");

    mock.fail("datasets.parquet", &[Fault::Status(404)]);
    let err = failed(fetch_dump(&mock, tmp.path(), &["--out", "s"], Some(SECRET)));
    let url = format!(
        "{}/datasets/{REPO}/resolve/{C1}/datasets.parquet",
        mock.url()
    );
    assert!(err.contains("HTTP 404") && err.contains(&url), "{err}");
    assert!(!tmp.path().join("s").exists());

    let err = failed(fetch_dump(
        &mock,
        tmp.path(),
        &["--kinds", "models", "--limit", "3", "--out", "s"],
        None,
    ));
    assert!(err.contains("--limit"), "{err}");
}

#[test]
fn the_token_goes_to_the_hub_and_not_to_the_cdn_on_another_origin() {
    let mock = mock();
    mock.require_token(SECRET);
    mock.cross_origin();
    let tmp = tempfile::tempdir().unwrap();
    let message = ok(fetch_dump(
        &mock,
        tmp.path(),
        &["--kinds", "models", "--out", "s"],
        Some(SECRET),
    ));
    let requests = mock.requests();
    let bearer = format!("Bearer {SECRET}");
    let (cdn, hub): (Vec<_>, Vec<_>) = requests.iter().partition(|r| r.port == mock.cdn_port());
    assert_eq!((hub.len(), cdn.len()), (2, 1));
    assert!(hub
        .iter()
        .all(|r| r.authorization.as_deref() == Some(&bearer)));
    assert!(cdn.iter().all(|r| r.authorization.is_none()), "{cdn:?}");
    assert!(!message.contains(SECRET));
    for file in files_in(tmp.path()) {
        let bytes = std::fs::read(tmp.path().join(&file)).unwrap();
        assert!(
            !bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
            "{file}"
        );
    }
}

#[test]
fn by_reference_the_snapshot_holds_only_its_manifest() {
    let mock = mock();
    let (tmp, message) = fetched(&mock, &["--by-reference", "--out", "snapshots/hub"]);
    let out = tmp.path().join("snapshots/hub");
    assert_eq!(files_in(&out), ["manifest.json"]);
    let cached = tmp.path().join("cache").join(REPO).join(C1);
    assert_eq!(files_in(&cached), CACHED);
    assert_eq!(
        read(cached.join("manifest.json")),
        read(out.join("manifest.json"))
    );
    assert!(message.contains(&cached.display().to_string()), "{message}");
}

/// A project folder whose `snapshots/hub/` holds only a manifest by reference to `C1`.
fn project_by_reference(mock: &MockDump) -> tempfile::TempDir {
    let (tmp, _) = fetched(mock, &["--by-reference", "--out", "snapshots/hub"]);
    std::fs::remove_dir_all(tmp.path().join("cache")).unwrap();
    tmp
}

#[test]
fn the_data_of_a_reference_is_fetched_once_into_the_cache() {
    let mock = mock();
    let tmp = project_by_reference(&mock);
    let named = tmp.path().join("snapshots/hub/models.parquet");
    let reference = reference::named_by(&named).unwrap().expect("a reference");
    assert_eq!(reference.dataset.commit, C1);
    let hub = Hub::new(&mock.url(), None, RetryPolicy::default()).unwrap();
    let cache = tmp.path().join("cache");
    let before = mock.requests().len();
    let paths =
        reference::fetch_all(&hub, &cache, std::slice::from_ref(&reference), false).unwrap();
    let cached: PathBuf = cache.join(REPO).join(C1);
    assert_eq!(paths, [cached.join("models.parquet")]);
    assert_eq!(files_in(&cached), CACHED);
    assert_eq!(
        mock.requests().len() - before,
        3 * 2,
        "three files, each redirected"
    );
    let again = reference::fetch_all(&hub, &cache, &[reference], false).unwrap();
    assert_eq!(again, paths);
    assert_eq!(
        mock.requests().len() - before,
        3 * 2,
        "the second time, no request"
    );
}

#[test]
fn a_build_fetches_references_first_and_then_reuses_the_cache() {
    let mock = mock();
    let tmp = project_by_reference(&mock);
    // A project whose edition names the dump's models by reference.
    super::copy_tree(&super::repo().join("tests/fixtures/tiny"), tmp.path());
    for shared in ["templates", "theme"] {
        super::copy_tree(&super::repo().join(shared), &tmp.path().join(shared));
    }
    let index = tmp.path().join("content/2026-spring/index.md");
    let text = read(&index).replace("snapshots/2026.jsonl", "snapshots/hub/models.parquet");
    std::fs::write(&index, text).unwrap();
    let before = mock.requests().len();
    // The fixture's prose holds a claim the dump's numbers make false.
    let build = ["build", "--allow-false-claims"];
    let first = online(&mock, tmp.path(), &build, None);
    let message = stderr(&first);
    assert!(message.contains("by reference: downloading"), "{message}");
    let cached = tmp.path().join("cache").join(REPO).join(C1);
    assert!(cached.join("spaces.parquet").is_file(), "{message}");
    assert_eq!(mock.requests().len() - before, 6, "{message}");
    // The build read the dump's rows from the cache.
    assert!(first.status.success(), "{message}");
    let figures = read(tmp.path().join("output/2026-spring/figures.json"));
    let figures: serde_json::Value = serde_json::from_str(&figures).unwrap();
    assert_eq!(figures["models_total"]["value"], 3_000.0);
    let second = online(&mock, tmp.path(), &build, None);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(mock.requests().len() - before, 6, "{}", stderr(&second));
}
