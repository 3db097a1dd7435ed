//! The commands that go online: `fetch` (the Hub API's listings, or with `--dump` the
//! Hub's daily Parquet dump), `refresh`, and the fetch of snapshots by reference that
//! `build` and `serve` do before building (a build itself never goes online).
//!
//! `HF_ENDPOINT` and the token (`HF_TOKEN`, else the file `huggingface-cli login`
//! saves) are found here, as the Hub's own clients find them; blank values count as
//! unset.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Result;
use clap::Args;

use crate::fetch::{self, dump, reference};
use crate::{format, refresh, site};

#[derive(Args)]
pub(super) struct FetchArgs {
    /// The snapshot folder to create (it must not exist); work in progress goes to OUT.partial.
    #[arg(long)]
    out: PathBuf,
    /// What to list, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "models,datasets,spaces")]
    kinds: Vec<fetch::Kind>,
    /// At most this many entries of each kind.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    limit: Option<u64>,
    /// The Hub to list [default: $HF_ENDPOINT, else https://huggingface.co]. HF_TOKEN, if
    /// set, is sent to it as a Bearer token.
    #[arg(long)]
    endpoint: Option<String>,
    /// Look up whether each of the N most-downloaded authors is a user or an
    /// organisation (two requests at most per author), into authors.jsonl.zst; 0 skips it.
    #[arg(long, default_value_t = 2000)]
    authors: usize,
    /// Continue an interrupted fetch from OUT.partial (same options as the first run).
    #[arg(long)]
    resume: bool,
    /// Fetch the Hub's daily Parquet dump rather than list the API: KIND.parquet of each
    /// kind from this dataset repository [default: cfahlgren1/hub-stats], at the commit
    /// --revision resolves to, verified against the Hub's sizes and SHA-256s. Rerun to
    /// resume an interrupted download.
    #[arg(long, value_name = "REPO", num_args = 0..=1,
          default_missing_value = dump::DEFAULT_REPO,
          conflicts_with_all = ["limit", "resume", "authors"])]
    dump: Option<String>,
    /// With --dump: the branch, tag or commit to fetch [default: main].
    #[arg(long, requires = "dump")]
    revision: Option<String>,
    /// With --dump: keep the files in the data cache ($STATEOF_DATA_CACHE, else
    /// ~/.cache/stateof) and write only OUT/manifest.json, which names them.
    #[arg(long, requires = "dump")]
    by_reference: bool,
    /// The first retry delay in milliseconds (it doubles, up to 60 s); tests shorten it.
    #[arg(long, hide = true, default_value_t = 1000)]
    retry_base_ms: u64,
}

#[derive(Args)]
pub(super) struct RefreshArgs {
    /// The report project's folder (holding stateof.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The edition to move [default: the newest without `published` in its front matter].
    #[arg(long)]
    edition: Option<String>,
    /// Only print the edition (edition=SLUG) and the kinds its figures count
    /// (kinds=models,…), as a workflow step's outputs; fetch nothing.
    #[arg(long)]
    plan: bool,
    /// The dataset repository of the dump.
    #[arg(long, value_name = "REPO", default_value = dump::DEFAULT_REPO)]
    dump: String,
    /// The revision to move the edition to (its commit is what is recorded).
    #[arg(long, default_value = "main")]
    revision: String,
    /// The Hub [default: $HF_ENDPOINT, else https://huggingface.co].
    #[arg(long)]
    endpoint: Option<String>,
    /// Then remove from the data cache every commit that no snapshot of the project
    /// names (for CI, where the cache is the project's alone).
    #[arg(long)]
    prune_cache: bool,
    /// The first retry delay in milliseconds; tests shorten it.
    #[arg(long, hide = true, default_value_t = 1000)]
    retry_base_ms: u64,
}

/// A client for `--endpoint` (else `HF_ENDPOINT`, else the public Hub) with the token
/// the Hub's clients would find.
fn hub(endpoint: Option<String>, retry_base_ms: u64) -> Result<fetch::Hub> {
    let endpoint = fetch::endpoint(endpoint, |name| std::env::var(name).ok());
    let token = fetch::Token::find(|name| std::env::var(name).ok());
    let retry = fetch::RetryPolicy {
        base: Duration::from_millis(retry_base_ms),
        ..fetch::RetryPolicy::default()
    };
    fetch::Hub::new(&endpoint, token, retry)
}

fn data_cache() -> Result<PathBuf> {
    reference::cache_dir(|name| std::env::var(name).ok())
}

fn on_terminal() -> bool {
    std::io::stderr().is_terminal()
}

pub(super) fn fetch(args: FetchArgs) -> Result<()> {
    let start = Instant::now();
    let hub = hub(args.endpoint.clone(), args.retry_base_ms)?;
    if let Some(repo) = args.dump.clone() {
        return fetch_dump(&hub, repo, args, start);
    }
    let options = fetch::Options {
        out: args.out,
        kinds: args.kinds,
        limit: args.limit,
        resume: args.resume,
        bar: on_terminal(),
        authors: args.authors,
    };
    fetch::hint_resume_on_interrupt(&options.out)?;
    let summary = fetch::run(&hub, &options)?;
    let rows: Vec<String> = (summary.rows.iter())
        .map(|&(kind, rows)| format!("{} {}", format::thousands(rows as f64), kind.name()))
        .collect();
    eprintln!(
        "fetched {} from {} into `{}` ({:.1} s)",
        rows.join(", "),
        summary.manifest.endpoint,
        summary.out.display(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

fn fetch_dump(hub: &fetch::Hub, repo: String, args: FetchArgs, start: Instant) -> Result<()> {
    let options = dump::Options {
        repo,
        revision: args.revision.unwrap_or_else(|| "main".to_owned()),
        kinds: args.kinds,
        out: args.out,
        by_reference: if args.by_reference {
            Some(data_cache()?)
        } else {
            None
        },
        bar: on_terminal(),
    };
    let summary = dump::run(hub, &options)?;
    let dataset = &summary.manifest.dataset;
    let rows: Vec<String> = (summary.manifest.files.iter())
        .map(|(name, file)| format!("{name} ({} rows)", format::thousands(file.rows as f64)))
        .collect();
    let kept = if options.by_reference.is_some() {
        format!(
            "; the files are in `{}`, `{}` names them",
            summary.data.display(),
            summary.out.join(crate::snapshot::MANIFEST).display()
        )
    } else {
        String::new()
    };
    eprintln!(
        "fetched {} of {} at commit {} into `{}`{kept} ({} downloaded, {:.1} s)",
        rows.join(", "),
        dataset.repo,
        dataset.commit,
        summary.out.display(),
        summary.downloaded.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Prints `name=value` lines on stdout, as a GitHub Actions step writes its outputs.
fn outputs(pairs: &[(&str, &str)]) {
    for (name, value) in pairs {
        println!("{name}={value}");
    }
}

pub(super) fn refresh(args: RefreshArgs) -> Result<()> {
    let root = super::project_root(args.root);
    let Some(plan) = refresh::plan(&root, args.edition.as_deref())? else {
        eprintln!(
            "every edition is published (`published` in its front matter): nothing to \
             refresh; start a new edition to refresh its data"
        );
        outputs(&[("edition", "")]);
        return Ok(());
    };
    let kinds: Vec<&str> = plan.kinds.iter().map(|k| k.name()).collect();
    if args.plan {
        outputs(&[("edition", &plan.edition), ("kinds", &kinds.join(","))]);
        return Ok(());
    }
    let hub = hub(args.endpoint, args.retry_base_ms)?;
    let options = refresh::Options {
        root,
        repo: args.dump,
        revision: args.revision,
        cache: data_cache()?,
        bar: on_terminal(),
        prune: args.prune_cache,
    };
    let outcome = refresh::run(&hub, &plan, &options)?;
    let commit = &outcome.dataset.commit;
    if outcome.changed {
        eprintln!(
            "edition `{}` now reads `{}`: {} at commit {commit} ({})",
            plan.edition,
            outcome.snapshot,
            outcome.dataset.repo,
            kinds.join(", ")
        );
    } else {
        eprintln!(
            "edition `{}` already reads {} at commit {commit}: nothing changed",
            plan.edition, outcome.dataset.repo
        );
    }
    for removed in outcome.removed.iter().chain(&outcome.pruned) {
        eprintln!(
            "removed `{}`, which no edition names any more",
            removed.display()
        );
    }
    let changed = if outcome.changed { "true" } else { "false" };
    outputs(&[
        ("edition", &plan.edition),
        ("snapshot", &outcome.snapshot),
        ("commit", commit),
        ("changed", changed),
    ]);
    Ok(())
}

/// Before a build: fetches the data of every snapshot the project names by reference
/// into the data cache (files already there are reused without a request) and has the
/// build read them from there.
pub(super) fn fetch_references(
    options: &mut site::BuildOptions,
    endpoint: Option<String>,
) -> Result<()> {
    // A project that cannot be read is the build's to report, in its own words.
    let Ok(paths) = site::snapshot_paths(options) else {
        return Ok(());
    };
    let mut editions = Vec::new();
    let mut references = Vec::new();
    for (edition, path) in paths {
        if let Some(found) = reference::named_by(&path)? {
            editions.push(edition);
            references.push(found);
        }
    }
    if references.is_empty() {
        return Ok(());
    }
    let hub = hub(endpoint, 1000)?;
    let local = reference::fetch_all(&hub, &data_cache()?, &references, on_terminal())?;
    options.fetched.extend(editions.into_iter().zip(local));
    Ok(())
}
