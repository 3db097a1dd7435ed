use super::*;

fn state(kinds: &[Kind]) -> State {
    State {
        endpoint: "http://127.0.0.1:1".to_owned(),
        started_at: "2026-11-22T09:30:00Z".to_owned(),
        limit: None,
        kinds: kinds
            .iter()
            .map(|&kind| KindState {
                kind,
                query: kind.query(None),
                next: Some(format!("http://127.0.0.1:1{}", kind.query(None))),
                rows: 0,
                bytes: 0,
                pages: 0,
            })
            .collect(),
    }
}

fn lines(ids: std::ops::Range<u32>) -> Vec<String> {
    ids.map(|i| format!(r#"{{"id":"org/model-{i}","downloads":{i}}}"#))
        .collect()
}

#[test]
fn a_finished_fetch_is_a_snapshot_that_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("snap");
    let mut partial = create(&out, state(&[Kind::Models, Kind::Spaces])).unwrap();
    assert!(tmp.path().join("snap.partial").join(STATE).is_file());
    partial
        .append(0, &lines(0..3), Some("http://127.0.0.1:1/next".into()))
        .unwrap();
    partial.append(0, &lines(3..5), None).unwrap();
    partial.append(1, &[], None).unwrap();
    let manifest = partial.finish().unwrap();
    assert!(!tmp.path().join("snap.partial").exists());
    let mut names: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["manifest.json", "models.jsonl.zst", "spaces.jsonl.zst"]
    );
    assert_eq!(manifest.date, "2026-11-22");
    assert_eq!(manifest.files["models.jsonl.zst"].rows, 5);
    assert_eq!(manifest.files["spaces.jsonl.zst"].rows, 0);
    let snapshot = crate::snapshot::load(&out.join("models.jsonl.zst")).unwrap();
    assert_eq!(snapshot.main().repos.len(), 5);
    let loaded = snapshot.manifest.unwrap();
    assert_eq!(loaded.source, "Hub API at http://127.0.0.1:1");
    assert!(!loaded.synthetic);
    let text = zstd::decode_all(File::open(out.join("models.jsonl.zst")).unwrap()).unwrap();
    assert_eq!(
        String::from_utf8(text).unwrap(),
        lines(0..5).join("\n") + "\n"
    );
}

#[test]
fn a_page_written_after_the_last_state_update_is_dropped_on_resume() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("snap");
    let mut partial = create(&out, state(&[Kind::Models])).unwrap();
    partial
        .append(0, &lines(0..2), Some("http://127.0.0.1:1/p2".into()))
        .unwrap();
    // An interruption after the next page reached the part but before the state did.
    let part = tmp.path().join("snap.partial/models.jsonl");
    let mut file = OpenOptions::new().append(true).open(&part).unwrap();
    file.write_all(lines(2..4).join("\n").as_bytes()).unwrap();
    drop(partial);

    let mut partial = resume(&out).unwrap();
    assert_eq!(partial.state.kinds[0].rows, 2);
    assert_eq!(
        partial.state.kinds[0].next.as_deref(),
        Some("http://127.0.0.1:1/p2")
    );
    partial.append(0, &lines(2..4), None).unwrap();
    partial.finish().unwrap();
    let text = zstd::decode_all(File::open(out.join("models.jsonl.zst")).unwrap()).unwrap();
    assert_eq!(
        String::from_utf8(text).unwrap(),
        lines(0..4).join("\n") + "\n"
    );
}

#[test]
fn existing_folders_are_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("snap");
    fs::create_dir(&out).unwrap();
    let err = create(&out, state(&[Kind::Models]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("already exists"), "{err}");
    fs::remove_dir(&out).unwrap();

    let err = resume(&out).unwrap_err().to_string();
    assert!(err.contains("no unfinished fetch"), "{err}");
    create(&out, state(&[Kind::Models])).unwrap();
    let err = create(&out, state(&[Kind::Models]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("--resume"), "{err}");
}

#[test]
fn an_incomplete_fetch_cannot_finish() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("snap");
    let mut partial = create(&out, state(&[Kind::Models, Kind::Spaces])).unwrap();
    partial.append(0, &lines(0..3), None).unwrap();
    let err = partial.finish().unwrap_err().to_string();
    assert!(err.contains("spaces is not complete"), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_part_shorter_than_its_state_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("snap");
    let mut partial = create(&out, state(&[Kind::Models])).unwrap();
    partial
        .append(0, &lines(0..2), Some("http://x/2".into()))
        .unwrap();
    let part = tmp.path().join("snap.partial/models.jsonl");
    OpenOptions::new()
        .write(true)
        .open(&part)
        .unwrap()
        .set_len(5)
        .unwrap();
    let err = resume(&out).unwrap_err().to_string();
    assert!(err.contains("shorter"), "{err}");
}

#[test]
fn times_are_rfc3339_utc() {
    use std::time::Duration;
    let at = |secs| rfc3339(UNIX_EPOCH + Duration::from_secs(secs));
    assert_eq!(at(0), "1970-01-01T00:00:00Z");
    assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
    assert_eq!(at(1_795_339_845), "2026-11-22T09:30:45Z");
    assert_eq!(at(4_107_542_399), "2100-02-28T23:59:59Z");
}

#[test]
fn the_source_names_the_endpoint_unless_it_is_the_public_hub() {
    assert_eq!(
        source_label("https://huggingface.co"),
        "Hugging Face Hub API"
    );
    assert_eq!(
        source_label("https://huggingface.co/"),
        "Hugging Face Hub API"
    );
    assert_eq!(
        source_label("https://hf-mirror.example/"),
        "Hub API at https://hf-mirror.example"
    );
    assert_eq!(
        source_label("http://127.0.0.1:8080"),
        "Hub API at http://127.0.0.1:8080"
    );
}
