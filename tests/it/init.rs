//! `stateof init`: the scaffolded project builds at once, and init never overwrites.

use crate::{build_ok, read, stateof, stderr};

#[test]
fn a_new_project_builds_at_once_with_every_kind_of_shortcode() {
    let tmp = tempfile::tempdir().unwrap();
    let out = stateof(tmp.path(), &["init", "my-report"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let project = tmp.path().join("my-report");
    for path in [
        "README.md",
        ".gitignore",
        ".github/workflows/pages.yml",
        ".github/workflows/refresh.yml",
        ".github/workflows/ci.yml",
        "snapshots/2026-spring/authors.jsonl.zst",
    ] {
        assert!(project.join(path).is_file(), "{path} missing");
    }
    let manifest = read(project.join("snapshots/2026-spring/manifest.json"));
    assert!(
        manifest.contains("--out snapshots/2026-spring/models.jsonl.zst`"),
        "{manifest}"
    );
    let config = read(project.join("stateof.toml"));
    assert!(config.contains("https://your-org.github.io/my-report/"));

    build_ok(&project, &[]);
    let page = read(project.join("output/2026-spring/index.html"));
    // An inline figure, a chart, a table and the guarded claim's text, all rendered.
    assert!(page.contains(r#"value="5000""#), "models_total");
    assert!(page.contains("New models per month"), "chart");
    assert!(page.contains("<table"), "table");
    assert!(
        page.contains("A few models take a large part of all"),
        "claim"
    );
    assert!(!page.contains("{{"), "an unrendered shortcode");
    assert!(page.contains("Synthetic data."), "the synthetic-data note");
    assert!(project.join("output/methodology/index.html").is_file());
    // Its own card template draws the cards; its chart partial offers the embed page.
    assert!(project.join("templates/card.svg").is_file());
    for file in ["card.png", "2026-spring/card.png"] {
        assert!(project.join("output").join(file).is_file(), "{file}");
    }
    assert!(
        page.contains("/my-report/2026-spring/card.png\""),
        "og:image"
    );
    assert!(
        page.contains("charts/models_per_month/&quot;"),
        "embed code"
    );
    assert!(project
        .join("output/2026-spring/charts/models_per_month/index.html")
        .is_file());

    // From a folder inside the project, build finds it as git finds a repository.
    std::fs::remove_dir_all(project.join("output")).unwrap();
    build_ok(&project.join("content/2026-spring"), &[]);
    assert!(project.join("output/2026-spring/index.html").is_file());
    assert!(!project.join("content/2026-spring/output").exists());
}

#[test]
fn build_outside_a_project_says_to_use_root() {
    let tmp = tempfile::tempdir().unwrap();
    let out = stateof(tmp.path(), &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("--root DIR") && err.contains("stateof init"),
        "{err}"
    );
}

#[test]
fn init_refuses_a_folder_with_files_and_leaves_them_alone() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("stateof.toml"), "mine").unwrap();
    let out = stateof(tmp.path(), &["init", "."]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("is not empty"), "{}", stderr(&out));
    assert_eq!(read(tmp.path().join("stateof.toml")), "mine");
    assert!(!tmp.path().join("content").exists());
}

#[test]
fn init_help_lists_what_it_creates() {
    let tmp = tempfile::tempdir().unwrap();
    let out = stateof(tmp.path(), &["init", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    for item in [
        "stateof.toml",
        "refresh.yml",
        "pages.yml",
        "snapshots/",
        "README.md",
    ] {
        assert!(help.contains(item), "{item} not in:\n{help}");
    }
}

#[test]
fn sample_replaces_a_snapshot_only_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let registry = crate::repo().join("content/data/organizations.toml");
    let registry = registry.to_str().unwrap();
    let args = [
        "sample",
        "--models",
        "50",
        "--date",
        "2026-03-15",
        "--out",
        "s/m.jsonl.zst",
        "--registry",
        registry,
    ];
    let first = stateof(tmp.path(), &args);
    assert!(first.status.success(), "{}", stderr(&first));
    let manifest = read(tmp.path().join("s/manifest.json"));

    let again = stateof(tmp.path(), &[&args[..], &["--seed", "2"]].concat());
    assert!(!again.status.success());
    assert!(stderr(&again).contains("add --force"), "{}", stderr(&again));
    assert_eq!(read(tmp.path().join("s/manifest.json")), manifest);

    let forced = stateof(
        tmp.path(),
        &[&args[..], &["--seed", "2", "--force"]].concat(),
    );
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_ne!(read(tmp.path().join("s/manifest.json")), manifest);
}

/// The install step of a new project's `.github/actions/stateof/action.yml`: the
/// block under its `run: |`.
fn install_script(action: &str) -> String {
    let start = action.find("run: |\n").expect("an install step") + "run: |\n".len();
    let block: Vec<&str> = (action[start..].lines())
        .take_while(|line| line.starts_with("        ") || line.trim().is_empty())
        .map(|line| line.get(8..).unwrap_or(""))
        .collect();
    block.join("\n")
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

#[test]
fn the_workflows_install_only_a_released_stateof() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(stateof(tmp.path(), &["init", "r"]).status.success());
    let action = read(tmp.path().join("r/.github/actions/stateof/action.yml"));
    let script = install_script(&action);
    // A repository to install from, and a `cargo` that only says how it was called.
    let upstream = tmp.path().join("upstream");
    std::fs::create_dir(&upstream).unwrap();
    git(&upstream, &["init", "-q"]);
    git(
        &upstream,
        &["commit", "-q", "--allow-empty", "-m", "stateof"],
    );
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let cargo = bin.join("cargo");
    std::fs::write(&cargo, "#!/bin/sh\necho \"cargo $*\"\n").unwrap();
    let mut permissions = std::fs::metadata(&cargo).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&cargo, permissions).unwrap();
    let run = || {
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        std::process::Command::new("bash")
            .args(["-c", &script])
            .env("PATH", path)
            .env("REPOSITORY", &upstream)
            .env("VERSION", "0.1.0")
            .output()
            .expect("bash runs")
    };
    let missing = run();
    let said = String::from_utf8_lossy(&missing.stdout);
    assert_eq!(missing.status.code(), Some(1), "{said}");
    assert!(
        said.contains("::error title=stateof 0.1.0 is not released::"),
        "{said}"
    );
    assert!(said.contains("has no tag v0.1.0"), "{said}");
    assert!(!said.contains("cargo install"), "{said}");

    git(&upstream, &["tag", "v0.1.0"]);
    let released = run();
    let said = String::from_utf8_lossy(&released.stdout);
    assert!(released.status.success(), "{said}");
    let expected = format!(
        "cargo install --locked --git {} --tag v0.1.0 stateof",
        upstream.display()
    );
    assert_eq!(said.trim(), expected);
}
