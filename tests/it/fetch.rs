//! `stateof fetch` against a mock Hub on 127.0.0.1 (see `mock_hub`): every entry lands
//! exactly once and in order through rate limits, server errors, broken connections and
//! bad bodies; 401 stops at once; an interrupted fetch resumes; the token stays out of
//! files and messages; a fetched snapshot builds the demo report.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use super::mock_hub::{self, Fault, MockHub};
use super::{build_ok, read, repo, stderr};

const SECRET: &str = "hf_mock_secret_0123456789";

/// `n` realistic model entries, from the synthetic generator.
fn models(n: usize) -> Vec<String> {
    let registry =
        stateof::registry::load(&repo().join("content/data/organizations.toml")).expect("registry");
    let options = stateof::sample::Options {
        models: n,
        datasets: 0,
        spaces: 0,
        date: "2026-11-15".to_owned(),
        seed: 11,
    };
    let text = stateof::sample::generate(&options, &registry).expect("sample");
    text.lines().map(str::to_owned).collect()
}

/// A mock Hub with `n` models (and a few datasets and spaces) in pages of `page`.
fn hub(n: usize, page: usize) -> MockHub {
    MockHub::start(
        vec![
            ("models", models(n)),
            ("datasets", mock_hub::datasets(130)),
            ("spaces", mock_hub::spaces(75)),
        ],
        page,
    )
}

/// Runs `stateof fetch --endpoint HUB ARGS` in `dir`, with `token` as HF_TOKEN.
fn fetch(hub: &MockHub, dir: &Path, args: &[&str], token: Option<&str>) -> Output {
    let mut command = fetch_command(dir, token);
    command.args(["--endpoint", &hub.url()]).args(args);
    // Account-type lookups are tested on their own; elsewhere they would only add requests.
    if !args.contains(&"--authors") {
        command.args(["--authors", "0"]);
    }
    command.output().expect("run stateof fetch")
}

/// `stateof fetch` in `dir` with short retry delays, no proxy, no HF_ENDPOINT, and
/// `token` as HF_TOKEN.
fn fetch_command(dir: &Path, token: Option<&str>) -> Command {
    let mut command = online_command(dir, token);
    command.args(["fetch", "--retry-base-ms", "1"]);
    command
}

/// `stateof` in `dir` with no proxy, no HF_ENDPOINT, and `token` as HF_TOKEN.
pub fn online_command(dir: &Path, token: Option<&str>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stateof"));
    command.current_dir(dir);
    for var in [
        "HF_TOKEN",
        "HF_ENDPOINT",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
    ] {
        command.env_remove(var).env_remove(var.to_lowercase());
    }
    if let Some(token) = token {
        command.env("HF_TOKEN", token);
    }
    command
}

fn fetch_ok(hub: &MockHub, dir: &Path, args: &[&str], token: Option<&str>) -> String {
    let out = fetch(hub, dir, args, token);
    let message = stderr(&out);
    assert!(out.status.success(), "fetch failed:\n{message}");
    message
}

/// The lines of a `.jsonl.zst` file.
fn lines(path: &Path) -> Vec<String> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = String::from_utf8(zstd::decode_all(file).unwrap()).unwrap();
    text.lines().map(str::to_owned).collect()
}

/// The snapshot in `out` holds every entry of each kind exactly once, in order, as sent.
fn assert_complete(hub: &MockHub, out: &Path, kinds: &[&str]) {
    for kind in kinds {
        let got = lines(&out.join(format!("{kind}.jsonl.zst")));
        let want = hub.entries(kind);
        assert_eq!(got.len(), want.len(), "{kind}: row count");
        assert!(
            got == want,
            "{kind}: the rows differ from the server's entries"
        );
    }
    let partial = stateof::fetch::partial_dir(out).unwrap();
    assert!(!partial.exists(), "the partial folder was left behind");
}

/// Models fetched through `faults` on page 2 (of 6): complete, each entry once.
fn recovers_from(faults: &[Fault]) -> String {
    let hub = hub(600, 100);
    hub.fail("models", 2, faults);
    let tmp = tempfile::tempdir().unwrap();
    let message = fetch_ok(
        &hub,
        tmp.path(),
        &["--kinds", "models", "--out", "snap"],
        None,
    );
    assert_complete(&hub, &tmp.path().join("snap"), &["models"]);
    let page2 = hub
        .requests()
        .iter()
        .filter(|r| r.param("cursor") == Some(&mock_hub::encode_cursor(200)))
        .count();
    assert_eq!(page2, faults.len() + 1, "page 2 requests");
    assert_eq!(hub.requests().len(), 6 + faults.len());
    message
}

#[test]
fn fetch_lists_every_kind_into_a_verified_snapshot() {
    let hub = hub(950, 200);
    hub.fail("models", 4, &[Fault::Status(503)]);
    hub.fail("datasets", 0, &[Fault::RateLimit(0)]);
    hub.fail("spaces", 0, &[Fault::Drop]);
    let tmp = tempfile::tempdir().unwrap();
    let message = fetch_ok(&hub, tmp.path(), &["--out", "snapshots/snap"], Some(SECRET));
    let out = tmp.path().join("snapshots/snap");
    assert_complete(&hub, &out, &["models", "datasets", "spaces"]);
    let mut names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "datasets.jsonl.zst",
            "manifest.json",
            "models.jsonl.zst",
            "spaces.jsonl.zst"
        ]
    );

    // The manifest: what `snapshot::load` checks, plus where the rows came from.
    let snapshot = stateof::snapshot::load(&out.join("models.jsonl.zst")).unwrap();
    assert_eq!(snapshot.main().repos.len(), 950);
    let manifest = snapshot.manifest.expect("manifest");
    // A test server is not the Hugging Face Hub: the label names where the rows came from.
    assert_eq!(manifest.source, format!("Hub API at {}", hub.url()));
    assert!(!manifest.synthetic);
    assert_eq!(manifest.files["spaces.jsonl.zst"].rows, 75);
    let json: serde_json::Value = serde_json::from_str(&read(out.join("manifest.json"))).unwrap();
    assert_eq!(json["endpoint"], hub.url());
    assert!(json["query"]["models"]
        .as_str()
        .unwrap()
        .starts_with("/api/models?limit=1000&expand[]=author&"));
    let fetched_at = json["fetched_at"].as_str().unwrap();
    assert!(fetched_at.ends_with('Z') && fetched_at.starts_with(&manifest.date));
    assert_eq!(
        json["tool_version"],
        concat!("stateof ", env!("CARGO_PKG_VERSION"))
    );

    // Pages: 5 + 1 + 1, and a retry of one page of each, all with the token.
    let requests = hub.requests();
    assert_eq!(requests.len(), 7 + 3);
    let first = &requests[0];
    assert_eq!(first.kind(), Some("models"));
    assert_eq!(first.param("limit"), Some("1000"));
    assert!(
        first.target.contains("expand[]=downloads"),
        "{}",
        first.target
    );
    let bearer = format!("Bearer {SECRET}");
    assert!(requests
        .iter()
        .all(|r| r.authorization.as_deref() == Some(&bearer)));

    // The token appears nowhere else.
    assert!(!message.contains(SECRET), "{message}");
    for entry in walkdir::WalkDir::new(tmp.path()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(
                !bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
                "the token is in {}",
                entry.path().display()
            );
        }
    }
    assert!(
        message.contains("models: 950 entries, 5 pages"),
        "{message}"
    );
}

#[test]
fn rate_limits_wait_as_told() {
    let start = Instant::now();
    let message = recovers_from(&[Fault::RateLimit(0), Fault::RateLimit(1)]);
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was not obeyed"
    );
    assert!(message.contains("HTTP 429"), "{message}");
    assert!(message.contains("retrying in 1.0 s"), "{message}");
}

#[test]
fn server_errors_are_retried() {
    let message = recovers_from(&[Fault::Status(500), Fault::Status(503), Fault::Status(502)]);
    assert!(
        message.contains("HTTP 503 Service Unavailable"),
        "{message}"
    );
    assert!(message.contains("attempt 4 of 6"), "{message}");
}

#[test]
fn broken_connections_are_retried() {
    let message = recovers_from(&[Fault::Drop, Fault::Hangup]);
    assert!(
        message.contains("the connection broke while reading"),
        "{message}"
    );
}

#[test]
fn truncated_and_non_json_bodies_are_retried() {
    let message = recovers_from(&[Fault::Truncated, Fault::NotJson]);
    assert!(message.contains("truncated"), "{message}");
    assert!(message.contains("not a JSON array"), "{message}");
}

#[test]
fn a_page_that_stays_bad_fails_with_its_url() {
    let hub = hub(300, 100);
    hub.fail("models", 1, &[Fault::NotJson; 6]);
    let tmp = tempfile::tempdir().unwrap();
    let out = fetch(
        &hub,
        tmp.path(),
        &["--kinds", "models", "--out", "snap"],
        None,
    );
    let message = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{message}");
    assert!(
        message.contains("gave up on http://127.0.0.1:"),
        "{message}"
    );
    let cursor = format!("cursor={}", mock_hub::encode_cursor(100));
    assert!(message.contains(&cursor), "{message}");
    assert!(message.contains("after 6 attempts"), "{message}");
    assert!(message.contains("--resume"), "{message}");
    assert!(!message.contains("panicked"), "{message}");
    assert!(!tmp.path().join("snap").exists());
    assert_eq!(hub.requests().len(), 7, "1 good page + 6 attempts");
}

#[test]
fn unauthorized_stops_at_once_without_a_snapshot() {
    let hub = hub(300, 100);
    hub.fail("models", 1, &[Fault::Status(401)]);
    let tmp = tempfile::tempdir().unwrap();
    let out = fetch(&hub, tmp.path(), &["--out", "snap"], Some(SECRET));
    let message = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{message}");
    assert!(
        message.contains("the Hub refused the request (HTTP 401) for http://127.0.0.1:"),
        "{message}"
    );
    assert!(
        message.contains("set HF_TOKEN to a valid token"),
        "{message}"
    );
    assert!(!message.contains(SECRET), "{message}");
    assert!(!tmp.path().join("snap").exists());
    assert!(tmp.path().join("snap.partial").exists());
    assert_eq!(hub.requests().len(), 2, "no retry after 401");
}

#[test]
fn an_interrupted_fetch_resumes_with_every_entry_once() {
    let hub = hub(700, 100);
    hub.break_from("models", 3);
    let tmp = tempfile::tempdir().unwrap();
    let args = ["--kinds", "models,spaces", "--out", "snap"];
    let out = fetch(&hub, tmp.path(), &args, None);
    let message = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{message}");
    assert!(
        message.contains("fetching models stopped after 300 entries"),
        "{message}"
    );
    assert!(message.contains("--resume"), "{message}");
    let partial = tmp.path().join("snap.partial");
    assert!(partial.join("state.json").is_file());
    assert!(!tmp.path().join("snap").exists());

    // Without --resume the unfinished fetch is not clobbered.
    let again = fetch(&hub, tmp.path(), &args, None);
    assert!(
        stderr(&again).contains("add --resume to continue"),
        "{}",
        stderr(&again)
    );

    // A resumed fetch must be the same fetch.
    let other = fetch(&hub, tmp.path(), &["--out", "snap", "--resume"], None);
    let message = stderr(&other);
    assert!(
        message.contains("--kinds models,spaces: resume it with the same options"),
        "{message}"
    );

    // An interruption between writing page 3 and recording it leaves extra lines.
    let part = partial.join("models.jsonl");
    let mut text = read(&part);
    text.push_str(&hub.entries("models")[300..350].join("\n"));
    std::fs::write(&part, text).unwrap();

    hub.heal();
    let before = hub.requests().len();
    fetch_ok(&hub, tmp.path(), &[&args[..], &["--resume"]].concat(), None);
    assert_complete(&hub, &tmp.path().join("snap"), &["models", "spaces"]);
    let resumed = &hub.requests()[before..];
    assert_eq!(resumed.len(), 4 + 1, "models pages 3 to 6, then spaces");
    let cursor = mock_hub::encode_cursor(300);
    assert_eq!(resumed[0].param("cursor"), Some(cursor.as_str()));
}

/// Ctrl-C while the fetch waits for a slow Hub: the hint to resume, a non-zero exit,
/// and a resumed fetch that completes.
#[test]
fn ctrl_c_prints_the_resume_hint() {
    let hub = hub(300, 100);
    // The second page is rate-limited for a minute: the fetch waits there.
    hub.fail("models", 1, &[Fault::RateLimit(60)]);
    let tmp = tempfile::tempdir().unwrap();
    let args = ["--kinds", "models", "--out", "snap", "--authors", "0"];
    let mut command = fetch_command(tmp.path(), None);
    command.args(["--endpoint", &hub.url()]).args(args);
    let child = command
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run stateof fetch");
    let start = Instant::now();
    while hub.requests().len() < 2 {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no second request"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let message = stderr(&out);
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "it waited out the minute"
    );
    assert_eq!(out.status.code(), Some(130), "{message}");
    assert!(
        message.contains("interrupted: `snap.partial` keeps what was fetched"),
        "{message}"
    );
    assert!(message.contains("--resume"), "{message}");
    assert!(!message.contains("panicked"), "{message}");

    fetch_ok(&hub, tmp.path(), &[&args[..], &["--resume"]].concat(), None);
    assert_complete(&hub, &tmp.path().join("snap"), &["models"]);
}

#[test]
fn limit_caps_each_kind() {
    let hub = hub(600, 100);
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "--kinds",
        "spaces,models",
        "--limit",
        "250",
        "--out",
        "snap",
    ];
    fetch_ok(&hub, tmp.path(), &args, None);
    let out = tmp.path().join("snap");
    assert_eq!(
        lines(&out.join("models.jsonl.zst")),
        hub.entries("models")[..250]
    );
    assert_eq!(
        lines(&out.join("spaces.jsonl.zst")),
        hub.entries("spaces")[..]
    );
    let requests = hub.requests();
    assert_eq!(requests[0].kind(), Some("spaces"));
    assert_eq!(requests[0].param("limit"), Some("250"));
    assert_eq!(requests.len(), 1 + 3, "spaces in one page, models in three");
}

#[test]
fn the_token_is_not_sent_to_another_origin() {
    let hub = MockHub::start_with_link_host(vec![("models", models(300))], 100, "localhost");
    let tmp = tempfile::tempdir().unwrap();
    fetch_ok(
        &hub,
        tmp.path(),
        &["--kinds", "models", "--out", "snap"],
        Some(SECRET),
    );
    assert_complete(&hub, &tmp.path().join("snap"), &["models"]);
    let auth: Vec<_> = hub
        .requests()
        .into_iter()
        .map(|r| r.authorization)
        .collect();
    assert_eq!(auth, [Some(format!("Bearer {SECRET}")), None, None]);
}

#[test]
fn hf_endpoint_names_the_hub_and_a_blank_token_is_no_token() {
    let hub = hub(150, 100);
    let tmp = tempfile::tempdir().unwrap();
    let out = fetch_command(tmp.path(), Some(" "))
        .args(["--kinds", "datasets", "--out", "snap"])
        .env("HF_ENDPOINT", hub.url())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_complete(&hub, &tmp.path().join("snap"), &["datasets"]);
    assert!(hub.requests().iter().all(|r| r.authorization.is_none()));
}

#[test]
fn existing_snapshots_are_never_overwritten() {
    let hub = hub(100, 100);
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("snap")).unwrap();
    let out = fetch(&hub, tmp.path(), &["--out", "snap"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert!(hub.requests().is_empty());
}

#[test]
fn fetched_models_build_the_demo_report() {
    let hub = hub(3000, 1000);
    hub.fail("models", 0, &[Fault::RateLimit(0), Fault::Status(500)]);
    hub.fail("models", 1, &[Fault::Drop, Fault::Truncated]);
    hub.fail("models", 2, &[Fault::NotJson, Fault::Hangup]);
    let tmp = tempfile::tempdir().unwrap();
    let args = ["--kinds", "models,datasets,spaces", "--out", "snap"];
    fetch_ok(&hub, tmp.path(), &args, None);
    assert_complete(
        &hub,
        &tmp.path().join("snap"),
        &["models", "datasets", "spaces"],
    );
    let snapshot = tmp.path().join("snap/models.jsonl.zst");
    let site = tmp.path().join("site");
    build_ok(
        &repo(),
        &[
            "--output",
            site.to_str().unwrap(),
            "--snapshot",
            &format!("2026-spring={}", snapshot.display()),
            // The mock Hub's 3,000 models make the demo's guarded claims false.
            "--allow-false-claims",
        ],
    );
    let page = read(site.join("2026-spring/index.html"));
    assert!(
        page.contains("3,000"),
        "the page should count the fetched models"
    );
    // The datasets and spaces fetched beside them are counted too.
    let figures = read(site.join("2026-spring/figures.json"));
    let figures: serde_json::Value = serde_json::from_str(&figures).unwrap();
    let value = |name: &str| figures[name]["value"].as_f64();
    assert_eq!(value("datasets_total"), Some(130.0));
    assert_eq!(value("spaces_total"), Some(75.0));
}

/// Entries of `author` with `downloads` each, `n` of them.
fn entries_by(author: &str, downloads: u64, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            format!(
                "{{\"id\":\"{author}/m{i}\",\"author\":\"{author}\",\"downloads\":{downloads}}}"
            )
        })
        .collect()
}

#[test]
fn account_types_of_the_top_authors_are_recorded_and_resume() {
    let mut models = Vec::new();
    models.extend(entries_by("BigOrg", 1000, 3));
    models.extend(entries_by("solo", 500, 2));
    models.extend(entries_by("gone", 300, 1));
    models.extend(entries_by("tail", 1, 1));
    models.push("{\"id\":\"gpt2\",\"modelId\":\"gpt2\",\"downloads\":2000}".to_owned());
    let hub = MockHub::start(vec![("models", models)], 100);
    hub.accounts(&[("BigOrg", "org"), ("solo", "user"), ("tail", "user")]);
    // `solo` fails for good the first time: the fetch stops, keeping what it found.
    hub.fail_account("solo", &[Fault::Status(503); 6]);
    let tmp = tempfile::tempdir().unwrap();
    let args = ["--kinds", "models", "--authors", "3", "--out", "snap"];
    let out = fetch(&hub, tmp.path(), &args, None);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--resume"), "{}", stderr(&out));

    let resumed = [
        "--kinds",
        "models",
        "--authors",
        "3",
        "--out",
        "snap",
        "--resume",
    ];
    fetch_ok(&hub, tmp.path(), &resumed, None);
    let out = tmp.path().join("snap");
    let recorded = lines(&out.join("authors.jsonl.zst"));
    // Ranked by downloads: BigOrg, solo, gone (`gpt2`, an id without a namespace,
    // names no account and is not asked about); `tail` is past the first three and
    // stays unknown.
    assert_eq!(
        recorded,
        [
            r#"{"name":"BigOrg","type":"org"}"#,
            r#"{"name":"solo","type":"user"}"#,
            r#"{"name":"gone","type":null}"#,
        ]
    );
    // Each author was asked about once, whatever the interruption: an organisation
    // needs one request, the others two, `solo` six more before it failed.
    let overviews: Vec<String> = (hub.requests().into_iter())
        .map(|r| r.target)
        .filter(|t| t.ends_with("/overview"))
        .collect();
    assert_eq!(
        overviews.iter().filter(|t| t.contains("/BigOrg/")).count(),
        1
    );
    assert_eq!(overviews.iter().filter(|t| t.contains("/gpt2/")).count(), 0);
    assert!(overviews.contains(&"/api/organizations/BigOrg/overview".to_owned()));
    assert!(overviews.contains(&"/api/users/solo/overview".to_owned()));
    assert!(!overviews.iter().any(|t| t.contains("/tail/")));

    let snapshot = stateof::snapshot::load(&out.join("models.jsonl.zst")).unwrap();
    let manifest = snapshot.manifest.as_ref().unwrap();
    assert_eq!(manifest.files["authors.jsonl.zst"].rows, 3);
    use stateof::authors::Account;
    assert_eq!(snapshot.authors.get("BigOrg"), Account::Org);
    assert_eq!(snapshot.authors.get("solo"), Account::User);
    assert_eq!(snapshot.authors.get("gone"), Account::Unknown);
    assert_eq!(snapshot.authors.get("tail"), Account::Unknown);
}

#[test]
fn cursors_that_lead_back_stop_the_fetch_with_a_resume_hint() {
    for (fresh, expected) in [
        (false, "handed out the cursor of a page already listed"),
        (true, "listed only entries already listed"),
    ] {
        let hub = hub(50, 10);
        // Page 3 links back to page 1: with the same cursor, or forever with new ones.
        hub.rewind("models", 3, 1, fresh);
        let tmp = tempfile::tempdir().unwrap();
        let out = fetch(
            &hub,
            tmp.path(),
            &["--out", "snap", "--kinds", "models"],
            None,
        );
        assert_eq!(out.status.code(), Some(1));
        let message = String::from_utf8_lossy(&out.stderr);
        assert!(message.contains(expected), "{message}");
        assert!(message.contains("--resume"), "{message}");
        assert!(
            !tmp.path().join("snap").exists(),
            "no snapshot from a looping listing"
        );
        let pages = hub
            .requests()
            .iter()
            .filter(|r| r.kind() == Some("models"))
            .count();
        assert!(pages < 12, "stopped early: {pages} pages asked for");
    }
}
