//! `stateof fetch`: lists models, datasets and spaces from the Hub API into a snapshot.
//!
//! The only module that touches the network. For each kind it asks
//! `GET {endpoint}/api/{kind}?limit=1000&expand[]=…` and follows the `Link: <…>;
//! rel="next"` cursors to the last page, writing every entry as one JSON line exactly as
//! the API returned it. The result is a folder with `<kind>.jsonl.zst` files and a
//! `manifest.json` (endpoint, query, fetched_at, rows, sha256, tool version) that
//! `snapshot::load` verifies. The folder appears whole or not at all: work happens in
//! `OUT.partial/`, which an interrupted fetch (Ctrl-C, lost network, retries run out)
//! leaves behind for `--resume` to continue from its last complete page (see `store`).
//!
//! The listing is walked in the API's default order (by id), which stays stable while
//! the Hub changes; no `sort` is asked for, because cursors over a changing sort key can
//! skip or repeat entries. `client` owns HTTP and the retry policy, `page` the parsing
//! of one response, `store` the files, `progress` the terminal output. This module only
//! plans the requests and runs the steps in order. It does not read snapshots back
//! (that is `snapshot`).
//!
//! The Hub's daily Parquet dump is fetched by `dump` (`stateof fetch --dump`), one
//! verified, resumable download at a time (`download`); `reference` fetches the files
//! a snapshot names by reference into the data cache, for the build.

mod authors;
mod client;
mod download;
pub mod dump;
mod guard;
mod page;
mod progress;
pub mod reference;
mod store;

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{bail, Context, Result};
use reqwest::Url;

use crate::format::thousands;

use client::Jitter;
pub use client::{Hub, RetryPolicy, Token};
pub use store::{partial_dir, FetchManifest};

/// The public Hub, used when neither `--endpoint` nor `HF_ENDPOINT` names another.
pub const DEFAULT_ENDPOINT: &str = "https://huggingface.co";

/// The Hub a command goes online to: `--endpoint` (`flag`), else `HF_ENDPOINT` (read
/// by `var`, as the Hub's own clients read it), else the public Hub.
pub fn endpoint(flag: Option<String>, var: impl Fn(&str) -> Option<String>) -> String {
    flag.or_else(|| var("HF_ENDPOINT").filter(|e| !e.trim().is_empty()))
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned())
}

/// The largest page the Hub serves.
pub const PAGE_SIZE: u64 = 1000;

/// What to list: the snapshot's kinds of repository.
pub use crate::snapshot::Kind;

/// How the Hub API lists each kind.
impl Kind {
    /// The `expand[]` fields asked for: what the metrics use and what later editions may
    /// want (downloads over all time, gating), without the heavy ones (card data,
    /// file lists, configs). Each kind accepts only its own list; an unknown name is a
    /// 400 from the Hub.
    pub fn expand(self) -> &'static [&'static str] {
        match self {
            Kind::Models => &[
                "author",
                "downloads",
                "downloadsAllTime",
                "likes",
                "trendingScore",
                "createdAt",
                "lastModified",
                "pipeline_tag",
                "library_name",
                "tags",
                "gated",
                "private",
            ],
            Kind::Datasets => &[
                "author",
                "downloads",
                "downloadsAllTime",
                "likes",
                "trendingScore",
                "createdAt",
                "lastModified",
                "tags",
                "gated",
                "private",
            ],
            Kind::Spaces => &[
                "author",
                "likes",
                "trendingScore",
                "createdAt",
                "lastModified",
                "sdk",
                "tags",
                "private",
            ],
        }
    }

    /// The first page's path and query, e.g. `/api/models?limit=1000&expand[]=author&…`.
    pub fn query(self, limit: Option<u64>) -> String {
        let page = limit.map_or(PAGE_SIZE, |l| l.clamp(1, PAGE_SIZE));
        let mut query = format!("/api/{}?limit={page}", self.name());
        for field in self.expand() {
            query.push_str("&expand[]=");
            query.push_str(field);
        }
        query
    }
}

/// What to fetch and where to put it.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The snapshot folder to create; it must not exist.
    pub out: PathBuf,
    pub kinds: Vec<Kind>,
    /// At most this many entries per kind.
    pub limit: Option<u64>,
    /// Continue the unfinished fetch in `OUT.partial` instead of starting one.
    pub resume: bool,
    /// Draw a live progress bar (on a terminal) instead of log lines.
    pub bar: bool,
    /// Look up the account type of this many of the most-downloaded authors.
    pub authors: usize,
}

/// What a finished fetch wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub out: PathBuf,
    /// Entries fetched of each kind, in the order fetched.
    pub rows: Vec<(Kind, u64)>,
    pub manifest: FetchManifest,
}

/// Fetches the listings `options` names from `hub` into a new snapshot folder.
pub fn run(hub: &Hub, options: &Options) -> Result<Summary> {
    let mut partial = if options.resume {
        let partial = store::resume(&options.out)?;
        check_same_fetch(&partial.state, hub, options)?;
        partial
    } else {
        store::create(&options.out, plan(hub, options)?)?
    };
    for index in 0..partial.state.kinds.len() {
        list(hub, &mut partial, index, options).with_context(|| {
            let kind = &partial.state.kinds[index];
            format!(
                "fetching {} stopped after {} entries; `{}` keeps them: run the same command with --resume to continue",
                kind.kind.name(),
                thousands(kind.rows as f64),
                partial.dir().display()
            )
        })?;
    }
    if options.authors > 0 {
        let parts: Vec<(Kind, u64)> = (partial.state.kinds.iter())
            .map(|k| (k.kind, k.bytes))
            .collect();
        authors::lookup(hub, partial.dir(), &parts, options.authors, &mut |note| {
            eprintln!("{note}")
        })
        .with_context(|| {
            format!(
                "looking up account types stopped; `{}` keeps the listings and the types found so far: run the same command with --resume to continue",
                partial.dir().display()
            )
        })?;
    }
    let rows = partial
        .state
        .kinds
        .iter()
        .map(|k| (k.kind, k.rows))
        .collect();
    let manifest = partial.finish()?;
    Ok(Summary {
        out: options.out.clone(),
        rows,
        manifest,
    })
}

/// Makes Ctrl-C (SIGINT) say how to continue, then exit with status 130. For the
/// command line only: it sets the process's handler. The partial folder is consistent
/// at every moment (see `store`), so stopping anywhere loses at most the page in
/// flight, which `--resume` asks for again.
pub fn hint_resume_on_interrupt(out: &Path) -> Result<()> {
    let partial = store::partial_dir(out)?;
    ctrlc::set_handler(move || {
        if partial.is_dir() {
            eprintln!(
                "\ninterrupted: `{}` keeps what was fetched: run the same command with \
                 --resume to continue",
                partial.display()
            );
        } else {
            eprintln!("\ninterrupted before anything was fetched");
        }
        std::process::exit(130);
    })
    .context("failed to set up Ctrl-C handling")
}

/// The state a new fetch starts from: each kind's first page.
fn plan(hub: &Hub, options: &Options) -> Result<store::State> {
    check_kinds(&options.kinds)?;
    if options.limit == Some(0) {
        bail!("--limit must be at least 1");
    }
    let kinds = options
        .kinds
        .iter()
        .map(|&kind| {
            let query = kind.query(options.limit);
            let first = hub.url(&query)?;
            Ok(store::KindState {
                kind,
                query,
                next: Some(first.into()),
                rows: 0,
                bytes: 0,
                pages: 0,
            })
        })
        .collect::<Result<_>>()?;
    Ok(store::State {
        endpoint: hub.endpoint().to_owned(),
        started_at: store::rfc3339(SystemTime::now()),
        limit: options.limit,
        kinds,
    })
}

/// At least one kind, none twice.
fn check_kinds(kinds: &[Kind]) -> Result<()> {
    if kinds.is_empty() {
        bail!("no kinds to fetch: name at least one of models, datasets, spaces");
    }
    for (i, kind) in kinds.iter().enumerate() {
        if kinds[..i].contains(kind) {
            bail!("{} is listed twice in the kinds to fetch", kind.name());
        }
    }
    Ok(())
}

/// A resumed fetch must be the one that was started: same endpoint, kinds and limit.
fn check_same_fetch(state: &store::State, hub: &Hub, options: &Options) -> Result<()> {
    let kinds: Vec<Kind> = state.kinds.iter().map(|k| k.kind).collect();
    if state.endpoint != hub.endpoint() || kinds != options.kinds || state.limit != options.limit {
        let names: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
        let limit = state
            .limit
            .map(|l| format!(" --limit {l}"))
            .unwrap_or_default();
        bail!(
            "the unfinished fetch was started with --endpoint {} --kinds {}{limit}: resume it with the same options, or remove its folder to start over",
            state.endpoint,
            names.join(",")
        );
    }
    Ok(())
}

/// Follows kind number `index`'s cursors from its next page to the last (or to the
/// limit), appending each page to the partial folder.
fn list(hub: &Hub, partial: &mut store::Partial, index: usize, options: &Options) -> Result<()> {
    let kind = &partial.state.kinds[index];
    let mut meter = progress::Meter::start(kind.kind.name(), kind.rows, kind.pages, options.bar);
    let mut jitter = Jitter::from_clock();
    let mut guard = guard::Guard::default();
    while let Some(next) = partial.state.kinds[index].next.clone() {
        let url = Url::parse(&next).with_context(|| format!("invalid next-page URL `{next}`"))?;
        guard.follow(url.as_str(), partial.state.kinds[index].pages)?;
        let page = client::get_page(hub, &url, &mut jitter, &mut |note| meter.note(note))?;
        let mut entries = page.entries;
        let mut next = page.next.map(String::from);
        guard.page(url.as_str(), &entries)?;
        let rows = partial.state.kinds[index].rows;
        if let Some(limit) = options.limit {
            let room = limit.saturating_sub(rows);
            if entries.len() as u64 >= room {
                entries.truncate(room as usize);
                next = None;
            }
        }
        partial.append(index, &entries, next)?;
        let kind = &partial.state.kinds[index];
        meter.page(kind.rows, kind.pages);
    }
    meter.finish();
    if guard.repeated > 0 {
        eprintln!(
            "note: {} {} listed on more than one page (the listing changed while it was \
             read); they are kept as listed, and the snapshot reader counts each once",
            thousands(guard.repeated as f64),
            partial.state.kinds[index].kind.name()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_ask_for_full_pages_and_the_expanded_fields() {
        assert_eq!(
            Kind::Spaces.query(None),
            "/api/spaces?limit=1000&expand[]=author&expand[]=likes&expand[]=trendingScore&expand[]=createdAt&expand[]=lastModified&expand[]=sdk&expand[]=tags&expand[]=private"
        );
        assert!(Kind::Models
            .query(Some(250))
            .starts_with("/api/models?limit=250&"));
        assert!(Kind::Models
            .query(Some(5000))
            .starts_with("/api/models?limit=1000&"));
        for field in [
            "downloads",
            "pipeline_tag",
            "library_name",
            "tags",
            "createdAt",
        ] {
            assert!(Kind::Models.expand().contains(&field), "{field}");
        }
    }

    #[test]
    fn kinds_parse_from_their_names() {
        assert_eq!("datasets".parse::<Kind>(), Ok(Kind::Datasets));
        let err = "model".parse::<Kind>().unwrap_err();
        assert!(err.contains("models, datasets or spaces"), "{err}");
    }
}
