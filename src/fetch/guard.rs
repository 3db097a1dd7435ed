//! What keeps a listing from running forever or counting an entry twice: the cursors
//! already followed, and the ids already listed (as 64-bit hashes: 16 MB for two
//! million entries), in this run of the fetch.
//!
//! A server that hands out a cursor already followed would list the same pages again
//! and again: that stops the fetch. One that keeps handing out new cursors to pages of
//! entries already listed is stopped after `STALE_PAGES` such pages. Entries listed on
//! two pages (the listing changed while it was read) are kept as the API returned them
//! and counted here; the snapshot reader keeps the first of each.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use anyhow::{bail, Result};
use serde::Deserialize;

/// Pages in a row with nothing new before the fetch stops.
pub const STALE_PAGES: u32 = 3;

/// One kind's listing so far in this run.
#[derive(Debug, Default)]
pub struct Guard {
    followed: HashSet<String>,
    ids: HashSet<u64>,
    stale: u32,
    /// Entries whose id an earlier page already listed.
    pub repeated: u64,
}

/// The id of an entry: `id`, or `modelId` in old listings.
#[derive(Deserialize)]
struct Id<'a> {
    #[serde(borrow, default)]
    id: Option<&'a str>,
    #[serde(borrow, default, rename = "modelId")]
    model_id: Option<&'a str>,
}

impl Guard {
    /// Notes that the page at `url` is being fetched; an error if it was already.
    pub fn follow(&mut self, url: &str, pages: u64) -> Result<()> {
        if !self.followed.insert(url.to_owned()) {
            bail!(
                "after {pages} pages the Hub handed out the cursor of a page already listed \
                 ({url}): following it would list the same pages forever, so the fetch stops"
            );
        }
        Ok(())
    }

    /// Counts the entries of a page (JSON objects as text) already listed; an error
    /// when `STALE_PAGES` pages in a row brought nothing new.
    pub fn page(&mut self, url: &str, entries: &[String]) -> Result<()> {
        let mut fresh = 0;
        for entry in entries {
            // An entry without a readable id cannot be matched; it counts as new.
            let id = serde_json::from_str::<Id>(entry)
                .ok()
                .and_then(|e| e.id.or(e.model_id));
            match id {
                Some(id) if !self.ids.insert(hash(id)) => self.repeated += 1,
                _ => fresh += 1,
            }
        }
        self.stale = if fresh == 0 { self.stale + 1 } else { 0 };
        if self.stale >= STALE_PAGES {
            bail!(
                "the last {STALE_PAGES} pages, up to {url}, listed only entries already \
                 listed: the Hub's cursors lead nowhere new, so the fetch stops"
            );
        }
        Ok(())
    }
}

fn hash(id: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(ids: &[&str]) -> Vec<String> {
        ids.iter()
            .map(|id| format!("{{\"id\":\"{id}\",\"x\":1}}"))
            .collect()
    }

    #[test]
    fn a_cursor_followed_twice_stops_the_fetch() {
        let mut guard = Guard::default();
        guard.follow("https://hub/api/models?cursor=a", 0).unwrap();
        guard.follow("https://hub/api/models?cursor=b", 1).unwrap();
        let err = guard
            .follow("https://hub/api/models?cursor=a", 2)
            .unwrap_err();
        assert!(err.to_string().contains("after 2 pages"), "{err}");
    }

    #[test]
    fn repeated_entries_are_counted_and_stale_pages_stop_it() {
        let mut guard = Guard::default();
        guard.page("p1", &page(&["a", "b"])).unwrap();
        guard.page("p2", &page(&["b", "c"])).unwrap();
        assert_eq!(guard.repeated, 1);
        let old = ["{\"modelId\":\"a\"}".to_owned()];
        guard.page("p3", &old).unwrap();
        guard.page("p4", &page(&["c"])).unwrap();
        let err = guard.page("p5", &page(&["a", "b"])).unwrap_err();
        assert!(err.to_string().contains("up to p5"), "{err}");
        assert_eq!(guard.repeated, 5);
        let mut fresh = Guard::default();
        fresh.page("p1", &["not json".to_owned()]).unwrap();
        fresh.page("p2", &["not json".to_owned()]).unwrap();
        assert_eq!(fresh.repeated, 0, "entries without an id are never repeats");
    }
}
