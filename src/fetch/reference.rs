//! Snapshots by reference: a snapshot folder in the project holds only its
//! `manifest.json`, which names a dataset commit (`dataset`) and each file's size and
//! SHA-256; the files themselves live in a data cache outside the project.
//!
//! The cache is `$STATEOF_DATA_CACHE`, else `$XDG_CACHE_HOME/stateof`, else
//! `~/.cache/stateof`, laid out `<owner>/<name>/<commit>/<file>` with a copy of the
//! manifest beside the files, so that the snapshot reader finds and checks them as in
//! any snapshot folder. `named_by` tells whether a snapshot file the project names is
//! such a reference (the file is absent, the manifest beside it names a dataset and
//! lists the file); `fetch_all` makes every file of each reference present and
//! verified in the cache (downloading only what is missing, so a second build makes no
//! request) and returns where each named file is. `prune` empties the cache of commits
//! a project no longer names. Reading the files is `snapshot`'s job.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use super::download::Expected;
use super::dump::{self, check_repo, is_commit};
use super::Hub;
use crate::snapshot::{DatasetRef, Manifest, MANIFEST};

/// The variable that names the data cache.
pub const CACHE_VAR: &str = "STATEOF_DATA_CACHE";

/// The data cache, with `var` reading the environment: `STATEOF_DATA_CACHE`, else
/// `$XDG_CACHE_HOME/stateof`, else `$HOME/.cache/stateof`.
pub fn cache_dir(var: impl Fn(&str) -> Option<String>) -> Result<PathBuf> {
    let set = |name: &str| {
        var(name)
            .filter(|v| !v.trim().is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = set(CACHE_VAR) {
        return Ok(dir);
    }
    if let Some(dir) = set("XDG_CACHE_HOME") {
        return Ok(dir.join("stateof"));
    }
    match set("HOME") {
        Some(home) => Ok(home.join(".cache").join("stateof")),
        None => bail!("no folder for the data cache: set {CACHE_VAR} (or HOME)"),
    }
}

/// The cache's folder of one commit: `<cache>/<owner>/<name>/<commit>`.
pub fn commit_dir(cache: &Path, dataset: &DatasetRef) -> PathBuf {
    cache.join(&dataset.repo).join(&dataset.commit)
}

/// A snapshot file named by reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The file as the project names it (`snapshots/2026-12-01/models.parquet`).
    pub path: PathBuf,
    pub dataset: DatasetRef,
    pub manifest: Manifest,
    /// The manifest's bytes, copied into the cache as they are.
    pub text: Vec<u8>,
}

impl Reference {
    /// The file's name (`models.parquet`).
    fn name(&self) -> &str {
        self.path.file_name().and_then(|n| n.to_str()).unwrap_or("")
    }
}

/// The reference `path` is named by; `None` when the file is there, or when no
/// manifest beside it names a dataset (the build reads it, or reports it missing, as
/// any snapshot).
pub fn named_by(path: &Path) -> Result<Option<Reference>> {
    if path.exists() {
        return Ok(None);
    }
    let manifest_path = path.with_file_name(MANIFEST);
    let Ok(text) = fs::read(&manifest_path) else {
        return Ok(None);
    };
    let invalid = || format!("invalid snapshot manifest `{}`", manifest_path.display());
    let manifest: Manifest = serde_json::from_slice(&text).with_context(invalid)?;
    let Some(dataset) = manifest.dataset.clone() else {
        return Ok(None);
    };
    check_repo(&dataset.repo).with_context(invalid)?;
    if !is_commit(&dataset.commit) {
        bail!(
            "{}: `dataset.commit` must be a 40-hex commit, not `{}`",
            invalid(),
            dataset.commit
        );
    }
    let reference = Reference {
        path: path.to_path_buf(),
        dataset,
        manifest,
        text,
    };
    if !reference.manifest.files.contains_key(reference.name()) {
        bail!(
            "`{}` is not there, and `{}` (which names the dataset {}) does not list it: \
             name one of the files it lists, or fetch the snapshot again",
            path.display(),
            manifest_path.display(),
            reference.dataset.repo
        );
    }
    for (name, file) in &reference.manifest.files {
        let plain = !name.starts_with('.')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !plain || file.size.is_none() {
            bail!(
                "{}: the file `{name}` needs a plain name and its `size` to be fetched by \
                 reference (stateof fetch --dump writes both)",
                invalid()
            );
        }
    }
    Ok(Some(reference))
}

/// Makes every file of each reference present and verified in the cache, and returns,
/// for each in order, where its named file is. Two references to one commit must
/// carry the same manifest (the cache holds one copy of it).
pub fn fetch_all(
    hub: &Hub,
    cache: &Path,
    references: &[Reference],
    bar: bool,
) -> Result<Vec<PathBuf>> {
    let mut seen: BTreeMap<PathBuf, &Reference> = BTreeMap::new();
    for reference in references {
        let dir = commit_dir(cache, &reference.dataset);
        if let Some(other) = seen.get(&dir).filter(|o| o.text != reference.text) {
            bail!(
                "the manifests beside `{}` and `{}` name the same commit of {} but differ: \
                 point both editions at one snapshot folder",
                other.path.display(),
                reference.path.display(),
                reference.dataset.repo
            );
        }
        seen.insert(dir, reference);
    }
    references
        .iter()
        .map(|reference| fetch(hub, cache, reference, bar))
        .collect()
}

/// Makes the files of `reference` present and verified in the cache, saying on
/// stderr what it downloads.
fn fetch(hub: &Hub, cache: &Path, reference: &Reference, bar: bool) -> Result<PathBuf> {
    let dir = commit_dir(cache, &reference.dataset);
    let manifest = reference.path.with_file_name(MANIFEST);
    let missing: Vec<&str> = (reference.manifest.files.iter())
        .filter(|(name, file)| fs::metadata(dir.join(name)).map(|m| m.len()).ok() != file.size)
        .map(|(name, _)| name.as_str())
        .collect();
    if !missing.is_empty() {
        eprintln!(
            "`{}` names {} at commit {} by reference: downloading {} into `{}`",
            manifest.display(),
            reference.dataset.repo,
            reference.dataset.commit,
            missing.join(", "),
            dir.display()
        );
    }
    for (name, file) in &reference.manifest.files {
        let expected = Expected {
            size: file.size.unwrap_or_default(),
            sha256: file.sha256.to_ascii_lowercase(),
        };
        dump::ensure_file(hub, &reference.dataset, &dir, name, &expected, bar).with_context(
            || {
                format!(
                    "cannot fetch the data `{}` names by reference from {} (--endpoint or \
                 HF_ENDPOINT names another Hub; a private or gated dataset needs HF_TOKEN)",
                    manifest.display(),
                    hub.endpoint()
                )
            },
        )?;
    }
    let copy = dir.join(MANIFEST);
    if fs::read(&copy).ok().as_deref() != Some(&reference.text[..]) {
        crate::output::replace_file(&copy, &reference.text, true)?;
    }
    Ok(dir.join(reference.name()))
}

/// Removes from the cache every commit folder not in `keep`, and the repository
/// folders left empty; returns the folders removed. Only `<owner>/<name>/<commit>`
/// folders are touched.
pub fn prune(cache: &Path, keep: &[DatasetRef]) -> Result<Vec<PathBuf>> {
    let kept: Vec<PathBuf> = keep.iter().map(|d| commit_dir(cache, d)).collect();
    let mut removed = Vec::new();
    for owner in subfolders(cache) {
        for repo in subfolders(&owner) {
            for commit in subfolders(&repo) {
                let name = commit.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if is_commit(name) && !kept.contains(&commit) {
                    fs::remove_dir_all(&commit)
                        .with_context(|| format!("failed to remove `{}`", commit.display()))?;
                    removed.push(commit);
                }
            }
            // Left alone unless empty.
            let _ = fs::remove_dir(&repo);
        }
        let _ = fs::remove_dir(&owner);
    }
    Ok(removed)
}

fn subfolders(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = (entries.flatten())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_cache_is_found_as_documented() {
        let all = [
            ("STATEOF_DATA_CACHE", "/data"),
            ("XDG_CACHE_HOME", "/xdg"),
            ("HOME", "/home/u"),
        ];
        assert_eq!(cache_dir(env(&all)).unwrap(), Path::new("/data"));
        assert_eq!(
            cache_dir(env(&all[1..])).unwrap(),
            Path::new("/xdg/stateof")
        );
        assert_eq!(
            cache_dir(env(&all[2..])).unwrap(),
            Path::new("/home/u/.cache/stateof")
        );
        let blank = [("STATEOF_DATA_CACHE", " "), ("HOME", "/h")];
        assert_eq!(
            cache_dir(env(&blank)).unwrap(),
            Path::new("/h/.cache/stateof")
        );
        let err = cache_dir(env(&[])).unwrap_err().to_string();
        assert!(err.contains("STATEOF_DATA_CACHE"), "{err}");
    }

    fn manifest(dataset: &str, files: &str) -> String {
        format!(r#"{{"source":"s","date":"2026-12-01","dataset":{dataset},"files":{{{files}}}}}"#)
    }

    const DATASET: &str =
        r#"{"repo":"a/b","revision":"main","commit":"0123456789012345678901234567890123456789"}"#;
    const FILE: &str = r#""models.parquet":{"rows":3,"sha256":"ab","size":10}"#;

    #[test]
    fn only_an_absent_file_whose_manifest_names_a_dataset_is_a_reference() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("models.parquet");
        assert_eq!(named_by(&file).unwrap(), None, "no manifest");
        fs::write(tmp.path().join(MANIFEST), manifest("null", FILE)).unwrap();
        assert_eq!(named_by(&file).unwrap(), None, "no dataset");
        fs::write(tmp.path().join(MANIFEST), manifest(DATASET, FILE)).unwrap();
        let reference = named_by(&file).unwrap().unwrap();
        assert_eq!(reference.dataset.repo, "a/b");
        fs::write(&file, b"here").unwrap();
        assert_eq!(named_by(&file).unwrap(), None, "the file is there");
    }

    #[test]
    fn a_reference_must_list_the_file_with_a_size_and_a_safe_name() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("models.parquet");
        let err = |manifest_text: String| {
            fs::write(tmp.path().join(MANIFEST), manifest_text).unwrap();
            format!("{:#}", named_by(&file).unwrap_err())
        };
        let e = err(manifest(
            DATASET,
            r#""datasets.parquet":{"rows":1,"sha256":"ab","size":1}"#,
        ));
        assert!(e.contains("does not list it"), "{e}");
        let e = err(manifest(
            DATASET,
            r#""models.parquet":{"rows":1,"sha256":"ab"}"#,
        ));
        assert!(e.contains("its `size`"), "{e}");
        let e = err(manifest(
            DATASET,
            &format!(r#"{FILE},"../x":{{"rows":1,"sha256":"ab","size":1}}"#),
        ));
        assert!(e.contains("`../x`"), "{e}");
        let e = err(manifest(&DATASET.replace("a/b", "../b"), FILE));
        assert!(e.contains("owner/name"), "{e}");
        let e = err(manifest(&DATASET.replace("0123456789", "main567890"), FILE));
        assert!(e.contains("40-hex commit"), "{e}");
    }

    #[test]
    fn prune_keeps_the_commits_named_and_other_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dataset = |commit: char| DatasetRef {
            repo: "a/b".into(),
            revision: "main".into(),
            commit: commit.to_string().repeat(40),
        };
        for commit in ['1', '2'] {
            let dir = commit_dir(tmp.path(), &dataset(commit));
            fs::create_dir_all(&dir).unwrap();
            fs::write(dir.join("models.parquet"), b"x").unwrap();
        }
        fs::create_dir_all(tmp.path().join("a/b/notes")).unwrap();
        let removed = prune(tmp.path(), &[dataset('2')]).unwrap();
        assert_eq!(removed, vec![commit_dir(tmp.path(), &dataset('1'))]);
        assert!(commit_dir(tmp.path(), &dataset('2'))
            .join("models.parquet")
            .is_file());
        assert!(tmp.path().join("a/b/notes").is_dir());
        prune(tmp.path(), &[]).unwrap();
        assert!(!tmp.path().join("a/b").join("2".repeat(40)).exists());
    }
}
