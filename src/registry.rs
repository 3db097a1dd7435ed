//! The organisation registry (`content/data/organizations.toml`): who an author is.
//!
//! Maps a Hub author (user or organisation id) to a display name, a country (ISO 3166
//! alpha-2), a kind and the `source` a reader can check them against. `[alias]` maps
//! renamed accounts, and `[legacy]` model ids without a namespace (`gpt2`, which old
//! listings give no author), to the organisation's current id, so an old listing
//! attributes them too; a legacy id applies to models only, never to an account that
//! happens to bear the name. Authors not in it are "unattributed"; metrics report that share rather
//! than guess. Whether an account is a user or an organisation is the Hub's to say
//! (see `authors`), not the registry's.

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
    /// Former author name (a renamed account) → the author id in `orgs` it now is.
    #[serde(default)]
    pub alias: BTreeMap<String, String>,
    /// Legacy model id without a namespace (`gpt2`) → the author id in `orgs` that
    /// holds the model now. Applies to models only, never to an account of that name.
    #[serde(default)]
    pub legacy: BTreeMap<String, String>,
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
    /// Where a reader can check the name, country and kind (a URL).
    pub source: String,
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
    /// The organisation of `author`, directly or through an alias.
    pub fn get(&self, author: &str) -> Option<&Org> {
        self.orgs.get(self.current(author))
    }

    /// The id `author` goes by now: its alias target, or itself.
    pub fn current<'a>(&'a self, author: &'a str) -> &'a str {
        self.alias.get(author).map_or(author, String::as_str)
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
    source: Option<Spanned<String>>,
}

/// Parses registry TOML (one `[org."author-id"]` table per organisation, an `[alias]`
/// table of renamed accounts, `"old-name" = "author-id"`, and a `[legacy]` table of
/// model ids without a namespace, `"gpt2" = "author-id"`) from the file at `path`, as messages
/// show it. Every bad country, kind or source and every alias to an id that is not an
/// organisation of the registry is reported, at its line.
pub fn parse(path: &Path, text: &str) -> Result<Registry> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Raw {
        #[serde(default)]
        org: BTreeMap<String, RawOrg>,
        #[serde(default)]
        alias: BTreeMap<String, Spanned<String>>,
        #[serde(default)]
        legacy: BTreeMap<String, Spanned<String>>,
    }
    let at = |span: std::ops::Range<usize>, message: String| {
        let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
        anyhow!("{}:{line}: {message}", path.display())
    };
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let message = e.message().lines().next().unwrap_or_default().to_owned();
        at(e.span().unwrap_or(0..0), message)
    })?;
    // Both tables map an old name to an organisation of the registry.
    let check = |what: &'static str, old: String, target: Spanned<String>| {
        let span = target.span();
        let target = target.into_inner();
        if what == "alias" && raw.org.contains_key(&old) {
            return Err(at(
                span,
                format!("alias `{old}`: `{old}` is itself an organisation of the registry"),
            ));
        }
        if !raw.org.contains_key(&target) {
            let ids: Vec<&str> = raw.org.keys().map(String::as_str).collect();
            return Err(at(
                span,
                format!(
                    "{what} `{old}`: `{target}` is not an organisation of the registry{}",
                    suggest::did_you_mean(&target, &ids)
                ),
            ));
        }
        Ok((what, old, target))
    };
    let aliases: Vec<Result<(&str, String, String)>> = (raw.alias.into_iter())
        .map(|(old, target)| check("alias", old, target))
        .chain((raw.legacy.into_iter()).map(|(old, target)| check("legacy id", old, target)))
        .collect();
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
        let source = match org.source {
            None => {
                return Err(at(
                    org.kind.span(),
                    format!(
                        "organisation `{id}` has no `source`: give a URL where a reader can \
                         check it (its own site or a public reference)"
                    ),
                ))
            }
            Some(source) if !is_url(source.get_ref()) => {
                return Err(at(
                    source.span(),
                    format!(
                        "organisation `{id}`: source `{}` is not an http(s) URL",
                        source.get_ref()
                    ),
                ))
            }
            Some(source) => source.into_inner(),
        };
        let org = Org {
            name: org.name,
            country: org.country.map(Spanned::into_inner),
            kind,
            source,
        };
        Ok((id, org))
    });
    let entries = (orgs.map(|r| r.map(|(id, org)| (id, Ok(org))))).chain(
        aliases
            .into_iter()
            .map(|r| r.map(|(what, old, id)| (old, Err((what, id))))),
    );
    let mut registry = Registry::default();
    for (id, entry) in crate::diagnostics::all(entries)? {
        match entry {
            Ok(org) => {
                registry.orgs.insert(id, org);
            }
            Err(("alias", target)) => {
                registry.alias.insert(id, target);
            }
            Err((_, target)) => {
                registry.legacy.insert(id, target);
            }
        }
    }
    Ok(registry)
}

/// Whether `text` looks like an http(s) URL a reader can open.
fn is_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.contains(char::is_whitespace))
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
            parse("[org.Qwen]\nname = \"Qwen\"\ncountry = \"CN\"\nkind = \"company\"\nsource = \"https://x.example\"\n").unwrap();
        assert_eq!(reg.get("Qwen").unwrap().kind, OrgKind::Company);
        assert_eq!(OrgKind::Nonprofit.as_str(), "nonprofit");
        assert!(reg.get("nobody").is_none());
        let err =
            parse("[org.x]\nname = \"X\"\ncountry = \"USA\"\nkind = \"company\"\nsource = \"https://x.example\"\n").unwrap_err();
        assert!(format!("{err:#}").starts_with("orgs.toml:3: organisation `x`: country `USA`"));
        let err =
            parse("[org.x]\nname = \"X\"\ncountry = \"US\"\nkind = \"startup\"\nsource = \"https://x.example\"\n").unwrap_err();
        assert!(
            format!("{err:#}").starts_with("orgs.toml:4: organisation `x`: unknown kind `startup`")
        );
    }

    #[test]
    fn reports_every_country_that_is_not_an_iso_code() {
        let err = parse(
            "[org.a]\nname = \"A\"\ncountry = \"UK\"\nkind = \"company\"\n\
             [org.b]\nname = \"B\"\ncountry = \"XX\"\nkind = \"company\"\n\
             [org.c]\nname = \"C\"\ncountry = \"GB\"\nkind = \"academic\"\nsource = \"https://c.example\"\n",
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

    const OPENAI: &str = "[org.openai-community]\nname = \"OpenAI\"\ncountry = \"US\"\n\
                          kind = \"company\"\nsource = \"https://en.wikipedia.org/wiki/OpenAI\"\n\
                          [org.CohereLabs]\nname = \"Cohere Labs\"\nkind = \"nonprofit\"\n\
                          source = \"https://cohere.com/research\"\n";

    #[test]
    fn every_entry_needs_a_source_a_reader_can_open() {
        let err = parse("[org.a]\nname = \"A\"\nkind = \"company\"\n").unwrap_err();
        assert!(
            format!("{err:#}").starts_with("orgs.toml:3: organisation `a` has no `source`"),
            "{err:#}"
        );
        let err = parse("[org.a]\nname = \"A\"\nkind = \"company\"\nsource = \"their site\"\n")
            .unwrap_err();
        assert!(
            format!("{err:#}").starts_with(
                "orgs.toml:4: organisation `a`: source `their site` is not an http(s) URL"
            ),
            "{err:#}"
        );
        let reg = parse(OPENAI).unwrap();
        assert_eq!(
            reg.get("openai-community").unwrap().source,
            "https://en.wikipedia.org/wiki/OpenAI"
        );
    }

    #[test]
    fn aliases_attribute_renamed_authors_and_legacy_ids_models_only() {
        let text = format!(
            "{OPENAI}[alias]\n\"CohereForAI\" = \"CohereLabs\"\n[legacy]\n\"gpt2\" = \"openai-community\"\n"
        );
        let reg = parse(&text).unwrap();
        assert_eq!(reg.get("CohereForAI").unwrap().name, "Cohere Labs");
        assert_eq!(reg.legacy["gpt2"], "openai-community");
        assert!(reg.get("gpt2").is_none(), "a legacy id is no account");
        assert_eq!(reg.current("gpt2"), "gpt2");

        let text = format!(
            "{OPENAI}[alias]\n\"CohereLabs\" = \"x\"\n[legacy]\n\"gpt2\" = \"openai-comunity\"\n"
        );
        let err = format!("{:#}", parse(&text).unwrap_err());
        for expected in [
            "alias `CohereLabs`: `CohereLabs` is itself an organisation of the registry",
            "legacy id `gpt2`: `openai-comunity` is not an organisation of the registry \
             (did you mean `openai-community`?)",
        ] {
            assert!(err.contains(expected), "{expected} not in {err}");
        }
    }
}
