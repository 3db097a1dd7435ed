//! Tests of the cache on its own, then through whole builds of a small project: a hit
//! reuses what was stored, and a change to anything the figures depend on is a miss.

use std::time::{Duration, SystemTime};

use super::*;
use crate::site::{build, BuildOptions};

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Value {
    name: String,
    x: f64,
}

fn value(x: f64) -> Value {
    Value {
        name: "v".into(),
        x,
    }
}

#[test]
fn a_stored_value_comes_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path());
    let key = Key::of(&("inputs", 1));
    assert_eq!(key, Key::of(&("inputs", 1)));
    assert_ne!(key, Key::of(&("inputs", 2)));
    assert_eq!(cache.get::<Value>(&key), None);
    for x in [0.1 + 0.2, 1e-300, 5e-324, f64::MAX, -0.0, 2.0 / 3.0] {
        cache.put(&key, &value(x));
        let back: Value = cache.get(&key).unwrap();
        assert_eq!(back.x.to_bits(), x.to_bits(), "{x}");
    }
}

#[test]
fn unreadable_or_inexact_entries_are_misses() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path());
    let key = Key::of(&"corrupt");
    cache.put(&key, &value(1.0));
    let path = cache.entry(&key).unwrap();
    for garbage in [&b"{\"name\": \"v\", \"x\""[..], b"", b"\xff\xfe", b"[1, 2]"] {
        fs::write(&path, garbage).unwrap();
        assert_eq!(cache.get::<Value>(&key), None);
    }
    // JSON has no NaN: such a value is not stored rather than read back wrong.
    let nan = Key::of(&"nan");
    cache.put(&nan, &value(f64::NAN));
    assert!(cache.get::<Value>(&nan).is_none());
}

#[test]
fn a_disabled_cache_neither_hits_nor_writes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.jsonl");
    fs::write(&file, "{}\n").unwrap();
    let mut cache = Cache::disabled();
    cache.put(&Key::of(&1), &value(1.0));
    cache.remember_snapshot(&file, "00", later());
    assert_eq!(cache.get::<Value>(&Key::of(&1)), None);
    assert_eq!(cache.snapshot_sha256(&file), None);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

fn later() -> SystemTime {
    SystemTime::now() + Duration::from_secs(60)
}

#[test]
fn snapshot_checksums_are_trusted_until_the_file_changes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.jsonl");
    fs::write(&file, "{\"id\":\"a/b\"}\n").unwrap();

    // Read while it may still be changing: not remembered.
    let mut cache = Cache::open(dir.path());
    cache.remember_snapshot(&file, "aa", SystemTime::now() - Duration::from_secs(60));
    assert_eq!(cache.snapshot_sha256(&file), None);

    cache.remember_snapshot(&file, "aa", later());
    assert_eq!(cache.snapshot_sha256(&file).as_deref(), Some("aa"));
    // Another build sees it too.
    assert_eq!(
        Cache::open(dir.path()).snapshot_sha256(&file).as_deref(),
        Some("aa")
    );

    // (Of another length: written within the same clock tick, the same length and
    // time would look unchanged, which is why `remember_snapshot` wants settled files.)
    fs::write(&file, "{\"id\":\"a/cd\"}\n").unwrap();
    assert_eq!(cache.snapshot_sha256(&file), None);
    fs::write(dir.path().join(DIR).join(INDEX), "not json").unwrap();
    assert_eq!(Cache::open(dir.path()).snapshot_sha256(&file), None);
}

#[test]
fn only_the_most_recent_entries_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path());
    for i in 0..KEEP + 5 {
        cache.put(&Key::of(&i), &value(i as f64));
    }
    let entries = dir.path().join(DIR).join(ENTRIES);
    assert_eq!(fs::read_dir(entries).unwrap().count(), KEEP);
}

/// A copy of the `tiny` test project whose files look long settled.
fn project() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let sources = [
        (repo.join("tests/fixtures/tiny"), tmp.path().to_path_buf()),
        (repo.join("templates"), tmp.path().join("templates")),
        (repo.join("theme"), tmp.path().join("theme")),
    ];
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for (from, to) in sources {
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let target = to.join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                fs::create_dir_all(&target).unwrap();
            } else {
                fs::copy(entry.path(), &target).unwrap();
                let file = fs::File::options().write(true).open(&target).unwrap();
                file.set_modified(an_hour_ago).unwrap();
            }
        }
    }
    tmp
}

/// The figures of edition `2026-spring` of a build of `root`, as published.
fn figures(root: &Path, cache: bool) -> serde_json::Value {
    let options = BuildOptions {
        root: root.to_path_buf(),
        cache,
        ..BuildOptions::default()
    };
    let output = build(&options).unwrap().output;
    serde_json::from_slice(output.get("2026-spring/figures.json").unwrap()).unwrap()
}

/// Sets `models_total` to 999 in every cached entry, to see whether a build uses them.
fn tamper(root: &Path) {
    let entries = root.join(DIR).join(ENTRIES);
    for entry in fs::read_dir(entries).unwrap() {
        let path = entry.unwrap().path();
        let mut data: serde_json::Value =
            serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        data["figures"]["models_total"]["value"] = 999.0.into();
        fs::write(&path, serde_json::to_vec(&data).unwrap()).unwrap();
    }
}

fn models_total(figures: &serde_json::Value) -> f64 {
    figures["models_total"]["value"].as_f64().unwrap()
}

#[test]
fn builds_reuse_figures_until_what_they_depend_on_changes() {
    let project = project();
    let root = project.path();
    let cold = figures(root, true);
    assert_eq!(figures(root, false), cold);
    assert_eq!(figures(root, true), cold);
    let rows = models_total(&cold);

    tamper(root);
    assert_eq!(models_total(&figures(root, true)), 999.0, "a hit");
    assert_eq!(models_total(&figures(root, false)), rows, "--no-cache");

    // A changed figure definition.
    let config = root.join("stateof.toml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, text.replace("n = 2\n", "n = 3\n")).unwrap();
    let changed = figures(root, true);
    assert_eq!(models_total(&changed), rows);
    assert_ne!(changed["top2_share"], cold["top2_share"]);

    // A changed registry.
    tamper(root);
    let registry = root.join("content/data/organizations.toml");
    let text = fs::read_to_string(&registry).unwrap();
    fs::write(
        &registry,
        text.replace("country = \"CN\"", "country = \"US\""),
    )
    .unwrap();
    let changed = figures(root, true);
    assert_eq!(models_total(&changed), rows);
    assert_ne!(changed["us_share"], cold["us_share"]);

    // A changed snapshot.
    tamper(root);
    let snapshot = root.join("snapshots/2026.jsonl");
    let mut text = fs::read_to_string(&snapshot).unwrap();
    text.push_str("{\"id\":\"new/model\",\"downloads\":1}\n");
    fs::write(&snapshot, text).unwrap();
    assert_eq!(models_total(&figures(root, true)), rows + 1.0);

    // Corrupt entries are rebuilt.
    for entry in fs::read_dir(root.join(DIR).join(ENTRIES)).unwrap() {
        fs::write(entry.unwrap().path(), "{").unwrap();
    }
    assert_eq!(models_total(&figures(root, true)), rows + 1.0);
}
