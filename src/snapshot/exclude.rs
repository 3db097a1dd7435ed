//! Leaving out what the report config's `[[exclude]]` names: each table's rows whose
//! id or author an exclusion matches are dropped before any figure is computed, and
//! counted, so that the figures can say what they leave out and why.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{Repos, Snapshot, Sym};
use crate::config::{Exclusion, Match};

/// What one exclusion left out of one file of a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excluded {
    /// Which exclusion (an index into the config's `exclude`).
    pub rule: usize,
    pub rows: u64,
    /// Their downloads in the last 30 days.
    pub downloads: u64,
}

/// Drops the rows `rules` match from every table of `snapshot`; returns, per table (in
/// `snapshot.tables` order), what each rule that matched anything left out.
pub fn exclude(snapshot: &mut Snapshot, rules: &[Exclusion]) -> Vec<Vec<Excluded>> {
    (snapshot.tables.iter_mut())
        .map(|table| {
            let excluded = exclude_rows(&mut table.repos, rules);
            table.quality.excluded = excluded.iter().map(|e| e.rows).sum();
            excluded
        })
        .collect()
}

/// Drops from `repos` the rows `rules` match; what each rule left out, in rule order.
fn exclude_rows(repos: &mut Repos, rules: &[Exclusion]) -> Vec<Excluded> {
    let kind = repos.kind;
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_author: HashMap<&str, usize> = HashMap::new();
    for (i, rule) in rules.iter().enumerate() {
        match &rule.matches {
            Match::Id { kind: k, id } if *k == kind => {
                by_id.insert(id, i);
            }
            Match::Id { .. } => {}
            Match::Author(author) => {
                by_author.insert(author, i);
            }
        }
    }
    if by_id.is_empty() && by_author.is_empty() {
        return Vec::new();
    }
    // Authors are interned: each distinct one is looked up once.
    let mut rule_of_author: HashMap<Sym, Option<usize>> = HashMap::new();
    let strings = &repos.strings;
    let rule_of = |row: usize, rule_of_author: &mut HashMap<Sym, Option<usize>>| {
        let author = repos.author[row];
        let by_author = *rule_of_author
            .entry(author)
            .or_insert_with(|| by_author.get(strings.get(author)).copied());
        by_author.or_else(|| by_id.get(strings.get(repos.id[row])).copied())
    };
    let mut counts: Vec<Excluded> = (0..rules.len())
        .map(|rule| Excluded {
            rule,
            rows: 0,
            downloads: 0,
        })
        .collect();
    let keep: Vec<bool> = (0..repos.len())
        .map(|row| match rule_of(row, &mut rule_of_author) {
            Some(rule) => {
                counts[rule].rows += 1;
                // Spaces have no downloads: nothing to add.
                counts[rule].downloads += repos.downloads.get(row).copied().unwrap_or(0);
                false
            }
            None => true,
        })
        .collect();
    if counts.iter().any(|c| c.rows > 0) {
        repos.retain(&keep);
    }
    counts.retain(|c| c.rows > 0);
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{Kind, Table};

    fn rule(matches: Match) -> Exclusion {
        Exclusion {
            matches,
            reason: "CI pulls".into(),
            line: 1,
        }
    }

    #[test]
    fn rows_matched_by_id_or_author_are_dropped_and_counted() {
        let mut repos = Repos::default();
        for (id, author, downloads) in [
            ("acme/ci", "acme", 900),
            ("acme/real", "acme", 5),
            ("bot/a", "bot", 7),
            ("bot/b", "bot", 8),
            ("x/y", "x", 1),
        ] {
            let (id, author) = (repos.strings.push(id), repos.strings.intern(author));
            repos.id.push(id);
            repos.author.push(author);
            repos.downloads.push(downloads);
            for column in [&mut repos.downloads_all_time, &mut repos.likes] {
                column.push(0);
            }
            repos.created_month.push(0);
            repos.flags.push(Default::default());
            repos.license.push(Sym::NONE);
        }
        let rules = [
            rule(Match::Id {
                kind: Kind::Models,
                id: "acme/ci".into(),
            }),
            // Another kind's id leaves the model of that name alone.
            rule(Match::Id {
                kind: Kind::Datasets,
                id: "x/y".into(),
            }),
            rule(Match::Author("bot".into())),
        ];
        let mut snapshot = Snapshot::of(repos, None);
        let excluded = exclude(&mut snapshot, &rules);
        let table: &Table = snapshot.main();
        let ids: Vec<&str> = (table.repos.id.iter())
            .map(|&s| table.repos.strings.get(s))
            .collect();
        assert_eq!(ids, ["acme/real", "x/y"]);
        assert_eq!(
            excluded[0],
            [
                Excluded {
                    rule: 0,
                    rows: 1,
                    downloads: 900
                },
                Excluded {
                    rule: 2,
                    rows: 2,
                    downloads: 15
                }
            ]
        );
        assert_eq!(table.quality.excluded, 3);
    }
}
