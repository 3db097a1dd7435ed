//! Integration tests: whole builds of fixture projects and of the bundled demo, run
//! through the `stateof` binary as a user would.

mod bad_inputs;
mod broken;
mod check;
mod claims;
mod compare;
mod content;
mod demo;
mod diff;
mod dump;
mod errors;
mod fetch;
mod hostile;
mod init;
mod links;
mod mock_dump;
mod mock_hub;
mod refresh;
mod seasons;
mod serve;
mod share;
mod tiny;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where the demo project lives).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary copy of `tests/fixtures/<name>`, with the repository's templates and
/// theme where the fixture has none of its own.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo().join("tests/fixtures").join(name), tmp.path());
    for shared in ["templates", "theme"] {
        if !tmp.path().join(shared).exists() {
            copy_tree(&repo().join(shared), &tmp.path().join(shared));
        }
    }
    tmp
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `stateof` with `args` in `dir`.
pub fn stateof(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stateof"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run stateof")
}

/// Runs `stateof build` in `dir` and fails the test with its stderr if it fails.
pub fn build_ok(dir: &Path, extra: &[&str]) {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let out = stateof(dir, &args);
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
