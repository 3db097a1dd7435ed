//! `stateof refresh` and the refresh workflow end to end: the `run:` steps of
//! `.github/workflows/refresh.yml`, run by bash as a GitHub runner would, in a copy of
//! a fixture project, against the mock of the Hub's dump (`mock_dump`). The edition in
//! progress is chosen, moved to the dump's newest commit by reference (only a manifest
//! and its `snapshot` line change in the project), left alone when already there, and
//! moved again when the dump moves, its old snapshot folder and cached data removed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::dump::{dump_files, mock, online, C1, C2, REPO};
use super::mock_dump::MockDump;
use super::{read, repo, stderr};

/// The `run:` script of the step named `name` in the workflow text.
fn step_script(workflow: &str, name: &str) -> String {
    let lines: Vec<&str> = workflow.lines().collect();
    let start = (lines.iter())
        .position(|l| l.trim() == format!("- name: {name}"))
        .unwrap_or_else(|| panic!("no step `{name}` in the workflow"));
    let step_indent = lines[start].len() - lines[start].trim_start().len();
    let step = lines[start + 1..].iter().take_while(|l| {
        let indent = l.len() - l.trim_start().len();
        l.trim().is_empty() || indent > step_indent
    });
    let mut script = String::new();
    let mut block: Option<usize> = None;
    for line in step {
        let indent = line.len() - line.trim_start().len();
        match block {
            Some(key) if line.trim().is_empty() || indent > key => {
                script.push_str(line.get(key + 2..).unwrap_or("").trim_end());
                script.push('\n');
            }
            Some(_) => break,
            None => match line.trim().strip_prefix("run:") {
                Some(rest) if rest.trim() == "|" => block = Some(indent),
                Some(rest) => return rest.trim().to_owned(),
                None => {}
            },
        }
    }
    assert!(!script.is_empty(), "step `{name}` has no run script");
    script
}

/// Runs a workflow step's script with bash as a runner does (`bash -e`), in `project`,
/// with stateof on the PATH, `env`, and GITHUB_OUTPUT; returns the outputs it wrote.
fn run_step(
    mock: &MockDump,
    project: &Path,
    name: &str,
    env: &[(&str, &str)],
) -> BTreeMap<String, String> {
    let workflow = read(repo().join(".github/workflows/refresh.yml"));
    let script = step_script(&workflow, name);
    let runner = project.parent().unwrap();
    let output_file = runner.join("github-output");
    std::fs::write(&output_file, "").unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_stateof")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("bash");
    command
        .args(["-e", "-c", &script])
        .current_dir(project)
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &output_file)
        .env("RUNNER_TEMP", runner.join("temp"))
        .env("HF_ENDPOINT", mock.url())
        .env("HF_HOME", runner.join("hf-home"))
        .env("STATEOF_DATA_CACHE", runner.join("cache"))
        .env_remove("HF_TOKEN");
    for (key, value) in env {
        command.env(key, value);
    }
    let out = command.output().expect("run bash");
    assert!(
        out.status.success(),
        "step `{name}` failed:\n{}",
        stderr(&out)
    );
    read(&output_file)
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// Every file under `dir` (but the build's output and figure cache) and its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| !matches!(e.file_name().to_str(), Some("output" | ".stateof-cache")))
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (path, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The files added, changed or removed between two trees.
fn changed(before: &BTreeMap<PathBuf, Vec<u8>>, after: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<String> {
    let mut paths: Vec<String> = (before.keys().chain(after.keys()))
        .filter(|p| before.get(*p) != after.get(*p))
        .map(|p| p.display().to_string())
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// The tiny fixture as a project whose first edition is published.
fn project() -> (tempfile::TempDir, PathBuf) {
    let runner = tempfile::tempdir().unwrap();
    let project = runner.path().join("project");
    super::copy_tree(&repo().join("tests/fixtures/tiny"), &project);
    for shared in ["templates", "theme"] {
        super::copy_tree(&repo().join(shared), &project.join(shared));
    }
    let index = project.join("content/2025-spring/index.md");
    let text = read(&index).replace("+++\n\n", "published = 2025-04-01\n+++\n\n");
    std::fs::write(&index, text).unwrap();
    (runner, project)
}

#[test]
fn the_refresh_workflow_moves_the_edition_in_progress_by_reference() {
    let mock = mock();
    let (runner, project) = project();
    let cache = runner.path().join("cache");
    let plan = run_step(&mock, &project, "Choose the edition", &[("EDITION", "")]);
    assert_eq!(plan["edition"], "2026-spring");
    assert_eq!(plan["kinds"], "models");

    run_step(&mock, &project, "Build the report as it is", &[]);
    assert!(runner
        .path()
        .join("temp/before/2026-spring/figures.json")
        .is_file());

    let before = tree(&project);
    let edition = [("EDITION", "2026-spring")];
    let moved = run_step(
        &mock,
        &project,
        "Move the edition to the newest dump",
        &edition,
    );
    assert_eq!(moved["changed"], "true");
    assert_eq!(moved["commit"], C1);
    assert_eq!(moved["snapshot"], "snapshots/2026-11-30/models.parquet");
    let after = tree(&project);
    // What the pull request commits: the edition's snapshot line and a manifest.
    assert_eq!(
        changed(&before, &after),
        [
            "content/2026-spring/index.md",
            "snapshots/2026-11-30/manifest.json"
        ]
    );
    let index = read(project.join("content/2026-spring/index.md"));
    assert!(
        index.contains("\nsnapshot = \"snapshots/2026-11-30/models.parquet\"\n"),
        "{index}"
    );
    let manifest = &after[Path::new("snapshots/2026-11-30/manifest.json")];
    assert!(manifest.len() < 4096, "{} bytes", manifest.len());
    let cached = cache.join(REPO).join(C1);
    let models = dump_files(0).remove(0).1;
    assert!(std::fs::read(cached.join("models.parquet")).unwrap() == models);
    assert!(
        !cached.join("datasets.parquet").exists(),
        "only the kinds the figures count"
    );

    // The rebuild reads the dump's Parquet from the cache, and the pull request's
    // description lists what moved.
    run_step(&mock, &project, "Rebuild and list what changed", &[]);
    let figures: serde_json::Value =
        serde_json::from_str(&read(project.join("output/2026-spring/figures.json"))).unwrap();
    assert_eq!(figures["models_total"]["value"], 3_000.0, "{figures}");
    let changes = read(runner.path().join("temp/changes.md"));
    assert!(
        changes.contains("models_total") || changes.contains("Models"),
        "{changes}"
    );
    assert!(changes.contains("3,000"), "{changes}");

    // Run again on the same commit: nothing changes, nothing is downloaded.
    let downloads = mock.downloads().len();
    let again = run_step(
        &mock,
        &project,
        "Move the edition to the newest dump",
        &edition,
    );
    assert_eq!(again["changed"], "false");
    assert_eq!(changed(&after, &tree(&project)), Vec::<String>::new());
    assert_eq!(mock.downloads().len(), downloads);

    // The dump moves on: the edition follows, the folder and data it read go.
    mock.commit(REPO, "main", C2, "2026-12-07T06:00:00.000Z", &dump_files(9));
    let next = run_step(
        &mock,
        &project,
        "Move the edition to the newest dump",
        &edition,
    );
    assert_eq!(
        (next["changed"].as_str(), next["commit"].as_str()),
        ("true", C2)
    );
    assert_eq!(
        changed(&after, &tree(&project)),
        [
            "content/2026-spring/index.md",
            "snapshots/2026-11-30/manifest.json",
            "snapshots/2026-12-07/manifest.json"
        ]
    );
    assert!(!project.join("snapshots/2026-11-30").exists());
    assert!(
        !cached.exists(),
        "--prune-cache drops the commit no edition names"
    );
    assert!(cache.join(REPO).join(C2).join("models.parquet").is_file());
    // The synthetic snapshots the other editions read are left as they are.
    assert!(project.join("snapshots/2025.jsonl").is_file());
}

#[test]
fn refresh_refuses_published_editions_and_says_when_there_is_nothing_to_do() {
    let mock = mock();
    let (_runner, project) = project();
    let out = online(
        &mock,
        &project,
        &["refresh", "--edition", "2025-spring"],
        None,
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("was published on 2025-04-01"),
        "{}",
        stderr(&out)
    );

    let index = project.join("content/2026-spring/index.md");
    let text = read(&index).replace("compare-to", "published = 2026-04-01\ncompare-to");
    std::fs::write(&index, text).unwrap();
    let out = online(&mock, &project, &["refresh", "--plan"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "edition=\n");
    assert!(
        stderr(&out).contains("nothing to refresh"),
        "{}",
        stderr(&out)
    );
    assert!(mock.requests().is_empty());
}
