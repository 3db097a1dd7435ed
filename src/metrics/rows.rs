//! The rows metrics read: a snapshot's model columns, plus each row's organisation from
//! the registry (through its aliases) and its author's account type from the snapshot,
//! each resolved once (on first use) however many figures group by it, and shared by
//! the threads that compute them (`tables`).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::authors::{Account, AuthorTypes};
use crate::registry::{Org, Registry};
use crate::snapshot::{Repos, Snapshot};

/// `Rows::org_index` for an author the registry does not know.
pub const NO_ORG: u32 = u32::MAX;

/// Model rows with their authors' registry entries.
#[derive(Debug)]
pub struct Rows<'a> {
    pub repos: &'a Repos,
    /// The registry's organisations, in registry order.
    pub orgs: Vec<&'a Org>,
    registry: &'a Registry,
    authors: &'a AuthorTypes,
    org_of_row: OnceLock<Vec<u32>>,
    account_of_row: OnceLock<Vec<Account>>,
}

/// The account types of a snapshot that records none.
static NO_TYPES: std::sync::LazyLock<AuthorTypes> = std::sync::LazyLock::new(AuthorTypes::default);

impl<'a> Rows<'a> {
    /// Rows whose authors' account types are all unknown.
    pub fn new(repos: &'a Repos, registry: &'a Registry) -> Rows<'a> {
        Rows::with_types(repos, registry, &NO_TYPES)
    }

    pub fn with_types(
        repos: &'a Repos,
        registry: &'a Registry,
        authors: &'a AuthorTypes,
    ) -> Rows<'a> {
        Rows {
            repos,
            orgs: registry.orgs.values().collect(),
            registry,
            authors,
            org_of_row: OnceLock::new(),
            account_of_row: OnceLock::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.repos.len()
    }

    pub fn is_empty(&self) -> bool {
        self.repos.is_empty()
    }

    /// Per row: the index of its author's organisation in `orgs`, or `NO_ORG`.
    pub fn org_index(&self) -> &[u32] {
        self.org_of_row
            .get_or_init(|| resolve(self.repos, self.registry))
    }

    /// Per row: its author's account type on the Hub.
    pub fn account(&self) -> &[Account] {
        self.account_of_row.get_or_init(|| {
            let mut of_sym: Vec<Option<Account>> = vec![None; self.repos.strings.len()];
            (self.repos.author.iter())
                .map(|&sym| {
                    *of_sym[sym.0 as usize]
                        .get_or_insert_with(|| self.authors.get(self.repos.strings.get(sym)))
                })
                .collect()
        })
    }
}

/// The rows of each of a snapshot's tables, in the snapshot's order: built once per
/// edition, so that every figure, on whichever thread, shares each row's resolved
/// organisation and account type rather than resolving its own.
pub fn tables<'a>(snapshot: &'a Snapshot, registry: &'a Registry) -> Vec<Rows<'a>> {
    (snapshot.tables.iter())
        .map(|t| Rows::with_types(&t.repos, registry, &snapshot.authors))
        .collect()
}

/// Looks up every distinct author once, through the registry's aliases. A model
/// without an author (an old id without a namespace, `gpt2`) is attributed through an
/// its id's entry in the registry's `[legacy]` table (`gpt2` → `openai-community`).
fn resolve(models: &Repos, registry: &Registry) -> Vec<u32> {
    let ordinal: HashMap<&str, u32> = registry
        .orgs
        .keys()
        .zip(0u32..)
        .map(|(id, i)| (id.as_str(), i))
        .collect();
    const UNSEEN: u32 = NO_ORG - 1;
    let mut org_of_sym = vec![UNSEEN; models.strings.len()];
    models
        .author
        .iter()
        .zip(&models.id)
        .map(|(&sym, &id)| {
            if sym.is_none() {
                let org = registry.legacy.get(models.strings.get(id));
                return org
                    .and_then(|org| ordinal.get(org.as_str()).copied())
                    .unwrap_or(NO_ORG);
            }
            let slot = &mut org_of_sym[sym.0 as usize];
            if *slot == UNSEEN {
                let author = models.strings.get(sym);
                let author = registry.current(author);
                *slot = ordinal.get(author).copied().unwrap_or(NO_ORG);
            }
            *slot
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixture::{models, registry, Row};

    #[test]
    fn a_legacy_id_without_an_author_is_attributed_through_the_legacy_table() {
        let m = models(&[
            Row::new("gpt2", 9),
            Row::new("bert-base/x", 1),
            Row::new("qwen/z", 1),
        ]);
        let mut r = registry();
        r.legacy.insert("gpt2".to_owned(), "meta".to_owned());
        // A legacy id names models, never an account: an author called `bert-base`
        // stays unattributed however the table reads.
        r.legacy.insert("bert-base".to_owned(), "meta".to_owned());
        let rows = Rows::new(&m, &r);
        let names: Vec<Option<&str>> = (rows.org_index().iter())
            .map(|&i| (i != NO_ORG).then(|| r.orgs.keys().nth(i as usize).unwrap().as_str()))
            .collect();
        assert_eq!(names, [Some("meta"), None, Some("qwen")]);
    }

    #[test]
    fn resolves_each_row_to_its_organisation() {
        let m = models(&[
            Row::new("solo/x", 1),
            Row::new("nobody/y", 1),
            Row::new("qwen/z", 1),
            Row::new("solo/w", 1),
        ]);
        let r = registry();
        let rows = Rows::new(&m, &r);
        let names: Vec<Option<&str>> = rows
            .org_index()
            .iter()
            .map(|&i| (i != NO_ORG).then(|| rows.orgs[i as usize].name.as_str()))
            .collect();
        assert_eq!(names, [Some("Solo"), None, Some("Qwen"), Some("Solo")]);
    }
}
