//! `stateof fetch --dump`: a pinned commit of the Hub's daily metadata dump, the
//! dataset `cfahlgren1/hub-stats` (`models.parquet`, `datasets.parquet`,
//! `spaces.parquet`), or any dataset repository laid out like it.
//!
//! Two kinds of request, both to the endpoint (`--endpoint`, `HF_ENDPOINT`):
//!
//! 1. The revision, resolved to its commit with the files' sizes and checksums:
//!    `GET {endpoint}/api/datasets/{repo}/revision/{revision}?blobs=true` (the revision
//!    percent-encoded, `refs%2Fconvert%2Fparquet`), which answers JSON whose fields read
//!    here are `sha` (the 40-hex commit), `lastModified` (the commit's time, RFC 3339;
//!    its day is the snapshot's date) and `siblings`, each
//!    `{"rfilename": "models.parquet", "size": N, "lfs": {"sha256": "<64 hex>", "size": N}}`
//!    (`lfs` is what `blobs=true` adds; a file without it cannot be verified and is
//!    refused). Other fields are ignored.
//! 2. Each file, at the commit (never at a moving branch):
//!    `GET {endpoint}/datasets/{repo}/resolve/{commit}/{file}`, which the Hub redirects
//!    to its CDN; `download` resumes and verifies it.
//!
//! `run` writes a folder that appears whole or not at all: the files (or, by
//! reference, none of them) and a `manifest.json` naming the repository, the revision
//! asked for and the commit, and each file's size, SHA-256 and rows (read from the
//! Parquet footer). The work happens in `OUT.partial/<commit>/`, which a rerun resumes;
//! by reference, the files go to the data cache (`reference`) and `OUT` holds only the
//! manifest.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{bail, Context, Result};
use reqwest::Url;
use serde::{Deserialize, Serialize};

use super::client::{self, Failure, Hub, Jitter};
use super::download::{self, Expected};
use super::store::rfc3339;
use super::{reference, Kind};
use crate::snapshot::{DatasetRef, ManifestFile, MANIFEST};

/// The Hub's daily metadata dump.
pub const DEFAULT_REPO: &str = "cfahlgren1/hub-stats";

/// A dataset revision as the Hub resolved it.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub dataset: DatasetRef,
    /// `lastModified`: when the commit was made, if the Hub said.
    pub last_modified: Option<String>,
    /// Every file at the commit; `None` for one listed without size and SHA-256.
    pub files: BTreeMap<String, Option<Expected>>,
}

impl Revision {
    /// The size and SHA-256 of `name`; an error naming what the commit holds instead.
    pub fn expected(&self, name: &str) -> Result<&Expected> {
        match self.files.get(name) {
            Some(Some(expected)) => Ok(expected),
            Some(None) => bail!(
                "the Hub lists `{name}` in {} at {} without its size and SHA-256 (it is not \
                 stored with LFS), so a download could not be verified",
                self.dataset.repo,
                self.dataset.commit
            ),
            None => {
                let names: Vec<&str> = self.files.keys().map(String::as_str).collect();
                bail!(
                    "{} has no `{name}` at commit {} (it holds {}): choose --kinds among \
                     the files it has, or another --revision",
                    self.dataset.repo,
                    self.dataset.commit,
                    if names.is_empty() {
                        "no files".to_owned()
                    } else {
                        names.join(", ")
                    }
                )
            }
        }
    }

    /// The snapshot's date: the commit's day, else today's (UTC).
    pub fn date(&self) -> String {
        let day = (self.last_modified.as_deref())
            .and_then(|t| t.get(..10))
            .filter(|d| d.parse::<crate::dates::Date>().is_ok());
        match day {
            Some(day) => day.to_owned(),
            None => rfc3339(SystemTime::now())[..10].to_owned(),
        }
    }
}

/// The answer of the revision API, as far as it is read.
#[derive(Deserialize)]
struct RevisionJson {
    sha: String,
    #[serde(rename = "lastModified", default)]
    last_modified: Option<String>,
    #[serde(default)]
    siblings: Vec<Sibling>,
}

#[derive(Deserialize)]
struct Sibling {
    rfilename: String,
    #[serde(default)]
    lfs: Option<Lfs>,
}

#[derive(Deserialize)]
struct Lfs {
    sha256: String,
    size: u64,
}

/// The snapshot's file of `kind`: `models.parquet`.
pub fn file_name(kind: Kind) -> String {
    format!("{}.parquet", kind.name())
}

/// Resolves `revision` of the dataset `repo` to its commit and files.
pub fn resolve(hub: &Hub, repo: &str, revision: &str) -> Result<Revision> {
    check_repo(repo)?;
    let url = hub.url(&format!(
        "/api/datasets/{repo}/revision/{}?blobs=true",
        encode(revision)
    ))?;
    let body = client::retrying(
        hub,
        &url,
        &mut Jitter::from_clock(),
        &mut |n| eprintln!("{n}"),
        |hub, url| {
            let response =
                client::send_with(hub, url, Default::default(), false)?.expect("404 is an error");
            let body = response.bytes().map_err(|err| Failure::Retry {
                reason: format!(
                    "the connection broke while reading the answer: {}",
                    client::chain(&err.without_url())
                ),
                wait: None,
            })?;
            serde_json::from_slice::<RevisionJson>(&body).map_err(|err| Failure::Retry {
                reason: format!("the Hub's answer is not the revision's JSON: {err}"),
                wait: None,
            })
        },
    )
    .with_context(|| {
        format!(
            "cannot resolve revision `{revision}` of the dataset `{repo}` at {}: check the \
             dataset's name and the revision; --endpoint (or HF_ENDPOINT) names another \
             Hub, and a private or gated dataset needs HF_TOKEN",
            hub.endpoint()
        )
    })?;
    revision_of(repo, revision, body, &url)
}

/// Checks what the Hub said and keeps what a download needs.
fn revision_of(repo: &str, revision: &str, json: RevisionJson, url: &Url) -> Result<Revision> {
    if !is_commit(&json.sha) {
        bail!("{url} gave `{}` as the commit, not 40 hex digits", json.sha);
    }
    let mut files = BTreeMap::new();
    for sibling in json.siblings {
        let expected = match sibling.lfs {
            Some(lfs) if is_hex(&lfs.sha256, 64) => Some(Expected {
                size: lfs.size,
                sha256: lfs.sha256.to_ascii_lowercase(),
            }),
            Some(lfs) => bail!(
                "{url} gives `{}` as the SHA-256 of `{}`, not 64 hex digits",
                lfs.sha256,
                sibling.rfilename
            ),
            None => None,
        };
        files.insert(sibling.rfilename, expected);
    }
    Ok(Revision {
        dataset: DatasetRef {
            repo: repo.to_owned(),
            revision: revision.to_owned(),
            commit: json.sha.to_ascii_lowercase(),
        },
        last_modified: json.last_modified,
        files,
    })
}

/// Makes `dir/name` the verified file `expected` describes: kept when it is already
/// there with the right size, else downloaded (resuming `name.partial`). Returns
/// whether it was downloaded.
pub fn ensure_file(
    hub: &Hub,
    dataset: &DatasetRef,
    dir: &Path,
    name: &str,
    expected: &Expected,
    bar: bool,
) -> Result<bool> {
    let target = dir.join(name);
    if fs::metadata(&target).is_ok_and(|m| m.len() == expected.size) {
        return Ok(false);
    }
    fs::create_dir_all(dir).with_context(|| format!("failed to create `{}`", dir.display()))?;
    if target.exists() {
        fs::remove_file(&target)
            .with_context(|| format!("failed to remove the damaged `{}`", target.display()))?;
    }
    let url = resolve_url(hub, dataset, name)?;
    download::download(hub, &url, &target, expected, bar)?;
    Ok(true)
}

/// `{endpoint}/datasets/{repo}/resolve/{commit}/{name}`.
pub fn resolve_url(hub: &Hub, dataset: &DatasetRef, name: &str) -> Result<Url> {
    hub.url(&format!(
        "/datasets/{}/resolve/{}/{}",
        dataset.repo,
        dataset.commit,
        encode(name)
    ))
}

/// What to fetch and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The dataset repository, `owner/name`.
    pub repo: String,
    pub revision: String,
    pub kinds: Vec<Kind>,
    /// The snapshot folder to create; it must not exist.
    pub out: PathBuf,
    /// Keep the files in this data cache and write only the manifest into `out`.
    pub by_reference: Option<PathBuf>,
    /// Draw live progress lines (on a terminal) instead of log lines.
    pub bar: bool,
}

/// The `manifest.json` of a snapshot fetched from a dataset. `snapshot::Manifest` reads
/// the fields it knows (source, date, synthetic, dataset, files) and ignores the rest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DumpManifest {
    pub source: String,
    pub date: String,
    pub synthetic: bool,
    pub dataset: DatasetRef,
    pub endpoint: String,
    pub fetched_at: String,
    pub tool_version: String,
    pub files: BTreeMap<String, ManifestFile>,
}

/// What a finished fetch wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub out: PathBuf,
    /// Where the files are: `out`, or the data cache's folder of the commit.
    pub data: PathBuf,
    /// The files downloaded by this run (the others were there already).
    pub downloaded: Vec<String>,
    pub manifest: DumpManifest,
}

/// Resolves the revision `options` names, then fetches it (`fetch_resolved`).
pub fn run(hub: &Hub, options: &Options) -> Result<Summary> {
    super::check_kinds(&options.kinds)?;
    super::store::refuse_existing(&options.out)?;
    let revision = resolve(hub, &options.repo, &options.revision)?;
    fetch_resolved(hub, &revision, options)
}

/// Fetches the files of `options.kinds` at `revision` and writes the snapshot folder.
pub fn fetch_resolved(hub: &Hub, revision: &Revision, options: &Options) -> Result<Summary> {
    super::check_kinds(&options.kinds)?;
    super::store::refuse_existing(&options.out)?;
    let dataset = &revision.dataset;
    let wanted: Vec<(String, &Expected)> = (options.kinds.iter())
        .map(|&kind| Ok((file_name(kind), revision.expected(&file_name(kind))?)))
        .collect::<Result<_>>()?;
    let partial = super::partial_dir(&options.out)?;
    let work = work_dir(&partial, &dataset.commit)?;
    let data = match &options.by_reference {
        Some(cache) => reference::commit_dir(cache, dataset),
        None => work.clone(),
    };
    let mut downloaded = Vec::new();
    let mut files = BTreeMap::new();
    for (name, expected) in wanted {
        if ensure_file(hub, dataset, &data, &name, expected, options.bar)? {
            downloaded.push(name.clone());
        }
        let file = ManifestFile {
            rows: crate::snapshot::parquet_rows(&data.join(&name))?,
            sha256: expected.sha256.clone(),
            size: Some(expected.size),
        };
        files.insert(name, file);
    }
    let manifest = DumpManifest {
        source: format!(
            "{} (the Hub's dataset), commit {}",
            dataset.repo,
            &dataset.commit[..12]
        ),
        date: revision.date(),
        synthetic: false,
        dataset: dataset.clone(),
        endpoint: hub.endpoint().to_owned(),
        fetched_at: rfc3339(SystemTime::now()),
        tool_version: concat!("stateof ", env!("CARGO_PKG_VERSION")).to_owned(),
        files,
    };
    let mut text = serde_json::to_string_pretty(&manifest)?;
    text.push('\n');
    if options.by_reference.is_some() {
        // The cache's copy, read by the build beside the files.
        crate::output::replace_file(&data.join(MANIFEST), text.as_bytes(), true)?;
        fs::create_dir_all(&work)
            .with_context(|| format!("failed to create `{}`", work.display()))?;
    }
    crate::output::replace_file(&work.join(MANIFEST), text.as_bytes(), true)?;
    super::store::refuse_existing(&options.out)?;
    fs::rename(&work, &options.out).with_context(|| {
        format!(
            "failed to move `{}` to `{}`",
            work.display(),
            options.out.display()
        )
    })?;
    fs::remove_dir_all(&partial).with_context(|| {
        format!(
            "the snapshot is complete in `{}`, but removing `{}` failed",
            options.out.display(),
            partial.display()
        )
    })?;
    let data = if options.by_reference.is_some() {
        data
    } else {
        options.out.clone()
    };
    Ok(Summary {
        out: options.out.clone(),
        data,
        downloaded,
        manifest,
    })
}

/// `OUT.partial/<commit>/`, where a fetch into `OUT` downloads; what an earlier run
/// left there for another commit is removed (it can no longer be resumed).
fn work_dir(partial: &Path, commit: &str) -> Result<PathBuf> {
    if partial.join(super::store::STATE).exists() {
        bail!(
            "`{}` holds an unfinished fetch from the Hub API: finish it with --resume (without \
             --dump), or remove that folder",
            partial.display()
        );
    }
    if let Ok(entries) = fs::read_dir(partial) {
        for entry in entries.flatten() {
            if entry.file_name() != commit {
                let path = entry.path();
                eprintln!(
                    "note: removing `{}`, left by a fetch of another commit",
                    path.display()
                );
                let removed = if path.is_dir() {
                    fs::remove_dir_all(&path)
                } else {
                    fs::remove_file(&path)
                };
                removed.with_context(|| format!("failed to remove `{}`", path.display()))?;
            }
        }
    }
    Ok(partial.join(commit))
}

/// A dataset repository's name: `owner/name`, each part letters, digits, `-`, `_` and
/// `.`, not starting with `.` (it becomes two folders of the data cache).
pub fn check_repo(repo: &str) -> Result<()> {
    let part = |p: &str| {
        !p.is_empty()
            && !p.starts_with('.')
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    match repo.split_once('/') {
        Some((owner, name)) if part(owner) && part(name) => Ok(()),
        _ => {
            bail!("`{repo}` is not a dataset repository: expected owner/name, e.g. {DEFAULT_REPO}")
        }
    }
}

/// Whether `text` is a full git commit id (40 hex digits).
pub fn is_commit(text: &str) -> bool {
    is_hex(text, 40)
}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Percent-encodes every byte but the unreserved ones (RFC 3986), as the Hub's
/// clients encode a revision: `refs/convert/parquet` → `refs%2Fconvert%2Fparquet`.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Url {
        Url::parse("http://hub/api/datasets/a/b/revision/main?blobs=true").unwrap()
    }

    #[test]
    fn the_revision_answer_gives_commit_date_and_checksums() {
        let json: RevisionJson = serde_json::from_str(&format!(
            r#"{{"id":"a/b","sha":"{}","lastModified":"2026-11-30T06:12:00.000Z","private":false,
               "siblings":[{{"rfilename":"README.md","size":12}},
                           {{"rfilename":"models.parquet","size":9,"blobId":"x",
                             "lfs":{{"sha256":"{}","size":9,"pointerSize":134}}}}]}}"#,
            "A".repeat(40),
            "B".repeat(64)
        ))
        .unwrap();
        let revision = revision_of("a/b", "main", json, &url()).unwrap();
        assert_eq!(revision.dataset.commit, "a".repeat(40));
        assert_eq!(revision.date(), "2026-11-30");
        let expected = revision.expected("models.parquet").unwrap();
        assert_eq!(
            (expected.size, expected.sha256.as_str()),
            (9, "b".repeat(64).as_str())
        );
        let unverifiable = revision.expected("README.md").unwrap_err().to_string();
        assert!(
            unverifiable.contains("without its size and SHA-256"),
            "{unverifiable}"
        );
        let missing = revision.expected("spaces.parquet").unwrap_err().to_string();
        assert!(
            missing.contains("holds README.md, models.parquet"),
            "{missing}"
        );
    }

    #[test]
    fn bad_commits_and_checksums_are_refused() {
        let json = |sha: &str, sha256: &str| -> RevisionJson {
            serde_json::from_str(&format!(
                r#"{{"sha":"{sha}","siblings":[{{"rfilename":"m.parquet","lfs":{{"sha256":"{sha256}","size":1}}}}]}}"#
            ))
            .unwrap()
        };
        let err = revision_of("a/b", "main", json("main", &"0".repeat(64)), &url()).unwrap_err();
        assert!(err.to_string().contains("not 40 hex digits"), "{err}");
        let err = revision_of("a/b", "main", json(&"0".repeat(40), "zz"), &url()).unwrap_err();
        assert!(err.to_string().contains("not 64 hex digits"), "{err}");
    }

    #[test]
    fn repositories_are_owner_and_name() {
        for good in ["cfahlgren1/hub-stats", "a.b/c_d-e"] {
            assert!(check_repo(good).is_ok(), "{good}");
        }
        for bad in ["hub-stats", "a/b/c", "../x", "a/..", "a/", "a/b c", ".x/y"] {
            assert!(check_repo(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn revisions_are_encoded_as_one_path_segment() {
        assert_eq!(encode("refs/convert/parquet"), "refs%2Fconvert%2Fparquet");
        assert_eq!(encode("main"), "main");
        assert_eq!(encode("v1.0 beta"), "v1.0%20beta");
    }
}
