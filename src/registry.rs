//! The organisation registry (`content/data/organizations.toml`): who an author is.
//!
//! Maps a Hub author (user or organisation id) to a display name, a country (ISO 3166
//! alpha-2) and a kind. Authors not in it are "unattributed"; metrics report that
//! share rather than guess.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{anyhow, Context, Result};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::config::names;
use crate::{countries, suggest};

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
    /// The kind as the registry writes it (its serde name).
    pub fn as_str(self) -> &'static str {
        names::variants::<OrgKind>()[self as usize]
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
    parse(path, &text)
}

/// An organisation as written, with the places of the values checked after reading.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrg {
    name: String,
    #[serde(default)]
    country: Option<Spanned<String>>,
    kind: Spanned<String>,
}

/// Parses registry TOML (one `[org."author-id"]` table per organisation) from the file
/// at `path`, as messages show it. Every bad country or kind is reported, at its line.
pub fn parse(path: &Path, text: &str) -> Result<Registry> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Raw {
        #[serde(default)]
        org: BTreeMap<String, RawOrg>,
    }
    let at = |span: std::ops::Range<usize>, message: String| {
        let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
        anyhow!("{}:{line}: {message}", path.display())
    };
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let message = e.message().lines().next().unwrap_or_default().to_owned();
        at(e.span().unwrap_or(0..0), message)
    })?;
    let orgs = raw.org.into_iter().map(|(id, org)| {
        let kind = names::parse::<OrgKind>(org.kind.get_ref()).ok_or_else(|| {
            let kinds = names::variants::<OrgKind>();
            let found = org.kind.get_ref();
            at(
                org.kind.span(),
                format!(
                    "organisation `{id}`: unknown kind `{found}`{}; expected one of {}",
                    suggest::did_you_mean(found, kinds),
                    kinds.join(", ")
                ),
            )
        })?;
        if let Some(country) = &org.country {
            let code = country.get_ref();
            if !countries::is_code(code) {
                return Err(at(
                    country.span(),
                    format!(
                        "organisation `{id}`: country `{code}` is not an ISO 3166-1 alpha-2 \
                         code{}",
                        countries::did_you_mean(code)
                    ),
                ));
            }
        }
        let org = Org {
            name: org.name,
            country: org.country.map(Spanned::into_inner),
            kind,
        };
        Ok((id, org))
    });
    let orgs = crate::diagnostics::all(orgs)?;
    Ok(Registry {
        orgs: orgs.into_iter().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Registry> {
        super::parse(Path::new("orgs.toml"), text)
    }

    #[test]
    fn parses_orgs_and_rejects_bad_countries() {
        let reg =
            parse("[org.Qwen]\nname = \"Qwen\"\ncountry = \"CN\"\nkind = \"company\"\n").unwrap();
        assert_eq!(reg.get("Qwen").unwrap().kind, OrgKind::Company);
        assert_eq!(OrgKind::Nonprofit.as_str(), "nonprofit");
        assert!(reg.get("nobody").is_none());
        let err =
            parse("[org.x]\nname = \"X\"\ncountry = \"USA\"\nkind = \"company\"\n").unwrap_err();
        assert!(format!("{err:#}").starts_with("orgs.toml:3: organisation `x`: country `USA`"));
        let err =
            parse("[org.x]\nname = \"X\"\ncountry = \"US\"\nkind = \"startup\"\n").unwrap_err();
        assert!(
            format!("{err:#}").starts_with("orgs.toml:4: organisation `x`: unknown kind `startup`")
        );
    }

    #[test]
    fn reports_every_country_that_is_not_an_iso_code() {
        let err = parse(
            "[org.a]\nname = \"A\"\ncountry = \"UK\"\nkind = \"company\"\n\
             [org.b]\nname = \"B\"\ncountry = \"XX\"\nkind = \"company\"\n\
             [org.c]\nname = \"C\"\ncountry = \"GB\"\nkind = \"academic\"\n",
        )
        .unwrap_err();
        let text = format!("{err:#}");
        assert_eq!(
            text,
            "orgs.toml:3: organisation `a`: country `UK` is not an ISO 3166-1 alpha-2 code \
             (did you mean `GB`?)\nerror: orgs.toml:7: organisation `b`: country `XX` is not \
             an ISO 3166-1 alpha-2 code\n2 errors"
        );
    }
}
