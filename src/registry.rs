//! The organisation registry (`content/data/organizations.toml`): who an author is.
//!
//! Maps a Hub author (user or organisation id) to a display name, a country (ISO 3166
//! alpha-2) and a kind. Authors not in it are "unattributed"; metrics report that
//! share rather than guess.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// The label used for authors the registry does not know.
pub const UNATTRIBUTED: &str = "unattributed";

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    /// Hub author id → organisation.
    #[serde(default, rename = "org")]
    pub orgs: BTreeMap<String, Org>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Org {
    /// Display name ("Alibaba Qwen").
    pub name: String,
    /// ISO 3166-1 alpha-2 code ("CN", "US", "FR"); absent when not publicly known.
    #[serde(default)]
    pub country: Option<String>,
    pub kind: OrgKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    Company,
    Academic,
    Nonprofit,
    Government,
    Independent,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Company => "company",
            OrgKind::Academic => "academic",
            OrgKind::Nonprofit => "nonprofit",
            OrgKind::Government => "government",
            OrgKind::Independent => "independent",
        }
    }
}

impl Registry {
    pub fn get(&self, author: &str) -> Option<&Org> {
        self.orgs.get(author)
    }
}

/// Reads the registry at `path`.
pub fn load(path: &Path) -> Result<Registry> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "failed to read the organisation registry `{}`",
            path.display()
        )
    })?;
    parse(&text).with_context(|| format!("invalid organisation registry `{}`", path.display()))
}

/// Parses registry TOML: one `[org."author-id"]` table per organisation.
pub fn parse(text: &str) -> Result<Registry> {
    let registry: Registry = toml::from_str(text)?;
    for (id, org) in &registry.orgs {
        if let Some(country) = &org.country {
            let valid = country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase());
            anyhow::ensure!(
                valid,
                "organisation `{id}` has country `{country}`; expected an ISO 3166 alpha-2 code such as `US`"
            );
        }
    }
    Ok(registry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_orgs_and_rejects_bad_countries() {
        let reg =
            parse("[org.Qwen]\nname = \"Qwen\"\ncountry = \"CN\"\nkind = \"company\"\n").unwrap();
        assert_eq!(reg.get("Qwen").unwrap().kind, OrgKind::Company);
        assert!(reg.get("nobody").is_none());
        let err =
            parse("[org.x]\nname = \"X\"\ncountry = \"USA\"\nkind = \"company\"\n").unwrap_err();
        assert!(format!("{err:#}").contains("USA"));
        assert!(parse("[org.x]\nname = \"X\"\ncountry = \"US\"\nkind = \"startup\"\n").is_err());
    }
}
