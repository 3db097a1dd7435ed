//! Account types: whether a Hub author is a user or an organisation, as the Hub records it.
//!
//! The listings do not say (no `expand[]` field carries it), so `stateof fetch` looks the
//! most-downloaded authors up one by one and writes `authors.jsonl.zst` beside the
//! listings, one `{"name": …, "type": "user" | "org" | null}` per line, listed in
//! `manifest.json`. This module reads that file (checked against the manifest, like a
//! listing) and says what an author's kind is: a user account is `independent`
//! whatever the registry says; an organisation takes the registry's kind, or
//! `organization` when the registry does not know it; an author whose type was not
//! recorded takes the registry's kind, or `unknown`. It does not fetch anything.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::registry::{Org, OrgKind};
use crate::snapshot::{sha256_hex, Compression, Manifest};

/// The file `stateof fetch` and `stateof sample` write beside the listings.
pub const FILE: &str = "authors.jsonl.zst";
/// The kind of an organisation account the registry does not classify.
pub const ORGANIZATION: &str = "organization";
/// The kind of an author neither the Hub's record nor the registry knows.
pub const UNKNOWN: &str = "unknown";

/// An author's account type on the Hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Account {
    /// Not recorded: not looked up, or the Hub knows no such account any more.
    #[default]
    Unknown,
    User,
    Org,
}

/// One line of `authors.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub name: String,
    /// `"user"`, `"org"`, or null when the Hub answered neither.
    #[serde(rename = "type")]
    pub account: Option<String>,
}

/// Author name → account type, for the authors the snapshot recorded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuthorTypes {
    types: HashMap<String, Account>,
}

impl AuthorTypes {
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, Account)>) -> AuthorTypes {
        let types = pairs.into_iter().map(|(n, a)| (n.to_owned(), a)).collect();
        AuthorTypes { types }
    }

    pub fn get(&self, author: &str) -> Account {
        self.types.get(author).copied().unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        self.types.len()
    }

    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }
}

/// The kind `author.kind` gives an author with this account type and registry entry.
pub fn kind(account: Account, org: Option<&Org>) -> &str {
    match (account, org) {
        (Account::User, _) => OrgKind::Independent.as_str(),
        (Account::Org, Some(org)) if org.kind != OrgKind::Independent => org.kind.as_str(),
        (Account::Org, _) => ORGANIZATION,
        (Account::Unknown, Some(org)) => org.kind.as_str(),
        (Account::Unknown, None) => UNKNOWN,
    }
}

/// The account types of the snapshot `listing` belongs to: its manifest's `authors.jsonl*`
/// file, checked against the manifest's rows and SHA-256. Without a manifest, or one
/// that lists no such file, every author is `Unknown`.
pub fn load(listing: &Path, manifest: Option<&Manifest>) -> Result<AuthorTypes> {
    let Some((name, expected)) =
        manifest.and_then(|m| m.files.iter().find(|(n, _)| n.starts_with("authors.jsonl")))
    else {
        return Ok(AuthorTypes::default());
    };
    let path = listing.with_file_name(name);
    let bytes =
        std::fs::read(&path).with_context(|| format!("failed to read `{}`", path.display()))?;
    let sha256 = sha256_hex(&bytes);
    if !expected.sha256.eq_ignore_ascii_case(&sha256) {
        bail!(
            "`{}` has sha256 {sha256} but the manifest says {}; the file or the manifest has changed since the snapshot was taken",
            path.display(),
            expected.sha256
        );
    }
    let mut text = String::new();
    match Compression::of(&path)? {
        Compression::None => text = String::from_utf8(bytes).context("not UTF-8")?,
        Compression::Gzip => {
            flate2::read::MultiGzDecoder::new(&bytes[..]).read_to_string(&mut text)?;
        }
        Compression::Zstd => {
            zstd::Decoder::new(&bytes[..])?.read_to_string(&mut text)?;
        }
    }
    let types = parse(&path, &text)?;
    // Lines, as the manifest counts them: a name given twice is still a line.
    let lines = text.lines().count() as u64;
    if lines != expected.rows {
        bail!(
            "`{}` has {lines} rows but the manifest says {}",
            path.display(),
            expected.rows
        );
    }
    Ok(types)
}

/// Reads `authors.jsonl` text; a bad line is an error naming `path` and the line.
pub fn parse(path: &Path, text: &str) -> Result<AuthorTypes> {
    let mut types = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: Line = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not an author record", path.display(), i + 1))?;
        let account = match entry.account.as_deref() {
            Some("user") => Account::User,
            Some("org") => Account::Org,
            _ => Account::Unknown,
        };
        types.insert(entry.name, account);
    }
    Ok(AuthorTypes { types })
}

/// `lines` as `authors.jsonl` text, one record per line.
pub fn to_jsonl(lines: &[Line]) -> String {
    let mut text = String::new();
    for line in lines {
        text.push_str(&serde_json::to_string(line).expect("a record serializes"));
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(kind: OrgKind) -> Org {
        Org {
            name: "X".into(),
            country: None,
            kind,
            source: "https://x.example".into(),
        }
    }

    #[test]
    fn a_user_account_is_independent_and_an_organisation_takes_the_registry_kind() {
        let company = org(OrgKind::Company);
        let solo = org(OrgKind::Independent);
        assert_eq!(kind(Account::User, Some(&company)), "independent");
        assert_eq!(kind(Account::User, None), "independent");
        assert_eq!(kind(Account::Org, Some(&company)), "company");
        assert_eq!(kind(Account::Org, Some(&solo)), ORGANIZATION);
        assert_eq!(kind(Account::Org, None), ORGANIZATION);
        assert_eq!(kind(Account::Unknown, Some(&solo)), "independent");
        assert_eq!(kind(Account::Unknown, Some(&company)), "company");
        assert_eq!(kind(Account::Unknown, None), UNKNOWN);
    }

    #[test]
    fn parses_lines_and_names_a_bad_one() {
        let text = to_jsonl(&[
            Line {
                name: "Qwen".into(),
                account: Some("org".into()),
            },
            Line {
                name: "bartowski".into(),
                account: Some("user".into()),
            },
            Line {
                name: "gone".into(),
                account: None,
            },
        ]);
        let types = parse(Path::new("authors.jsonl"), &text).unwrap();
        assert_eq!(types.get("Qwen"), Account::Org);
        assert_eq!(types.get("bartowski"), Account::User);
        assert_eq!(types.get("gone"), Account::Unknown);
        assert_eq!(types.get("never-looked-up"), Account::Unknown);
        let err = parse(Path::new("authors.jsonl"), "{\"name\":\"a\"}\nnope\n").unwrap_err();
        assert!(
            format!("{err:#}").starts_with("authors.jsonl:2: "),
            "{err:#}"
        );
    }
}
