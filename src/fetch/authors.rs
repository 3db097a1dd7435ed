//! The account type (user or organisation) of the authors that hold the most downloads.
//!
//! No listing field or `expand[]` value says whether an author is a user or an
//! organisation (`/api/trending` items carry `authorData.type`, but only for trending
//! repositories). So after the listings, the authors are ranked by the downloads of
//! their models and datasets, and the first `--authors N` are looked up one by one:
//! `GET /api/organizations/{name}/overview` answers for organisations, else
//! `GET /api/users/{name}/overview` for users (the endpoints `huggingface_hub`'s
//! `get_organization_overview` and `get_user_overview` call); an author neither
//! answers for (a renamed or deleted account) is recorded with type `null`. Each answer
//! is appended to `authors.jsonl` in the partial folder, so a resumed fetch asks only
//! for the authors it has not recorded. Authors past the first N stay unknown.

use std::collections::{HashMap, HashSet};
use std::fs::{self, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use super::client::{self, Hub, Jitter};
use super::Kind;
use crate::authors::Line;
use crate::snapshot::{sha256_hex, ManifestFile};

/// The part being written in the partial folder.
pub const PART: &str = "authors.jsonl";

/// Looks up the account types of the `top` most-downloaded authors of the listings in
/// `dir` (the parts of `kinds`), appending them to `dir/authors.jsonl`.
pub fn lookup(
    hub: &Hub,
    dir: &Path,
    kinds: &[(Kind, u64)],
    top: usize,
    note: &mut dyn FnMut(&str),
) -> Result<()> {
    let part = dir.join(PART);
    let done = recorded(&part)?;
    let ranked = rank(dir, kinds)?;
    let todo: Vec<&str> = (ranked.iter().take(top))
        .map(String::as_str)
        .filter(|name| !done.contains(*name))
        .collect();
    if todo.is_empty() {
        return Ok(());
    }
    note(&format!(
        "account types: looking up {} of the {} most-downloaded authors",
        todo.len(),
        top.min(ranked.len())
    ));
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&part)
        .with_context(|| format!("failed to open `{}`", part.display()))?;
    let mut jitter = Jitter::from_clock();
    for name in todo {
        let account = account_type(hub, name, &mut jitter, note)?;
        let line = Line {
            name: name.to_owned(),
            account: account.map(str::to_owned),
        };
        let mut text = serde_json::to_string(&line)?;
        text.push('\n');
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_data())
            .with_context(|| format!("failed to write `{}`", part.display()))?;
    }
    Ok(())
}

/// `"org"`, `"user"`, or `None` when the Hub knows neither.
fn account_type(
    hub: &Hub,
    name: &str,
    jitter: &mut Jitter,
    note: &mut dyn FnMut(&str),
) -> Result<Option<&'static str>> {
    let segment = utf8_percent(name);
    for (path, account) in [("organizations", "org"), ("users", "user")] {
        let url = hub.url(&format!("/api/{path}/{segment}/overview"))?;
        if client::exists(hub, &url, jitter, &mut |n| note(&format!("{name}: {n}")))? {
            return Ok(Some(account));
        }
    }
    Ok(None)
}

/// Author names are `[A-Za-z0-9._-]`; anything else is escaped all the same.
fn utf8_percent(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The authors already recorded in `part`; a last line cut short by an interruption is
/// dropped (the file is truncated to its last complete line).
fn recorded(part: &Path) -> Result<HashSet<String>> {
    let Ok(bytes) = fs::read(part) else {
        return Ok(HashSet::new());
    };
    let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    if complete < bytes.len() {
        let file = OpenOptions::new().write(true).open(part)?;
        file.set_len(complete as u64)?;
    }
    let text = String::from_utf8_lossy(&bytes[..complete]);
    (text.lines().enumerate())
        .map(|(i, line)| {
            let line: Line = serde_json::from_str(line)
                .with_context(|| format!("{}:{}: not an author record", part.display(), i + 1))?;
            Ok(line.name)
        })
        .collect()
}

/// The fields ranking needs; everything else in an entry is skipped.
#[derive(Deserialize)]
struct Entry {
    id: Option<String>,
    #[serde(rename = "modelId")]
    model_id: Option<String>,
    author: Option<String>,
    downloads: Option<serde_json::Value>,
}

/// Authors with downloads, most first (ties by name), over the listings in `dir`.
fn rank(dir: &Path, kinds: &[(Kind, u64)]) -> Result<Vec<String>> {
    let mut downloads: HashMap<String, u64> = HashMap::new();
    for &(kind, bytes) in kinds {
        if kind == Kind::Spaces {
            continue;
        }
        let path = dir.join(format!("{}.jsonl", kind.name()));
        let file = fs::File::open(&path)
            .with_context(|| format!("failed to open `{}`", path.display()))?;
        let reader = BufReader::new(std::io::Read::take(file, bytes));
        for line in reader.lines() {
            let line = line.with_context(|| format!("failed to read `{}`", path.display()))?;
            let Ok(entry) = serde_json::from_str::<Entry>(&line) else {
                continue;
            };
            let id = entry.id.or(entry.model_id).unwrap_or_default();
            // As the snapshot reader does: the namespace of the id when no author is
            // given, and none for a legacy id without one (`gpt2`), which names no account.
            let author = entry
                .author
                .unwrap_or_else(|| id.split_once('/').map_or("", |a| a.0).to_owned());
            let n = entry.downloads.and_then(|d| d.as_f64()).unwrap_or(0.0);
            if !author.is_empty() && n > 0.0 {
                *downloads.entry(author).or_default() += n as u64;
            }
        }
    }
    let mut ranked: Vec<(String, u64)> = downloads.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(ranked.into_iter().map(|(name, _)| name).collect())
}

/// Compresses `dir/authors.jsonl`, if the fetch wrote one, into `target`.
pub fn finish(dir: &Path, target: &Path) -> Result<Option<ManifestFile>> {
    let part = dir.join(PART);
    let Ok(bytes) = fs::read(&part) else {
        return Ok(None);
    };
    let rows = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
    let compressed = zstd::encode_all(&bytes[..], 10)
        .with_context(|| format!("failed to compress `{}`", part.display()))?;
    crate::output::replace_file(target, &compressed, true)?;
    Ok(Some(ManifestFile {
        rows,
        sha256: sha256_hex(&compressed),
        size: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_authors_by_downloads_of_models_and_datasets() {
        let dir = tempfile::tempdir().unwrap();
        let models = "{\"id\":\"a/x\",\"author\":\"a\",\"downloads\":5}\n\
                      {\"modelId\":\"gpt2\",\"downloads\":50}\n\
                      {\"id\":\"b/y\",\"downloads\":7}\n\
                      {\"id\":\"z/none\",\"downloads\":0}\n";
        let datasets = "{\"id\":\"a/d\",\"author\":\"a\",\"downloads\":4}\n";
        fs::write(dir.path().join("models.jsonl"), models).unwrap();
        fs::write(dir.path().join("datasets.jsonl"), datasets).unwrap();
        let kinds = [
            (Kind::Models, models.len() as u64),
            (Kind::Datasets, datasets.len() as u64),
        ];
        // `gpt2`, a legacy id without a namespace, names no account to ask about.
        assert_eq!(rank(dir.path(), &kinds).unwrap(), ["a", "b"]);
        assert_eq!(utf8_percent("Qwen"), "Qwen");
        assert_eq!(utf8_percent("a b"), "a%20b");
    }
}
