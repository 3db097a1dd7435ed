//! Command-line interface: parses arguments into options and runs one command.
//!
//! `main` only calls `run` and prints the error chain; each command here turns its
//! arguments into the options struct of the stage it runs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};

use crate::{fetch, format, output, registry, sample, serve, site};

#[derive(Parser)]
#[command(
    name = "stateof",
    version,
    about = "Static sites for periodic, data-driven ecosystem reports"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the report project into a static site.
    Build(BuildArgs),
    /// Preview the site while you edit: serve it from memory, rebuild on every save,
    /// and update open pages (errors show over the page).
    Serve(ServeArgs),
    /// Generate a synthetic, deterministic Hub snapshot (for demos and benchmarks).
    Sample(SampleArgs),
    /// Fetch a snapshot of the Hub: models, datasets and spaces as the API lists them.
    Fetch(FetchArgs),
}

/// What `build` and `serve` share: which project, which data, how strict.
#[derive(Args)]
struct ProjectArgs {
    /// The report project's folder (holding stateof.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Build an edition from another snapshot file, e.g. 2026-spring=snap/models.jsonl.zst.
    #[arg(long = "snapshot", value_name = "EDITION=PATH", value_parser = parse_snapshot)]
    snapshots: Vec<(String, PathBuf)>,
    /// Build even when a guarded claim ({{ claim(if="…") }}) is false for the data,
    /// warning about it instead of failing.
    #[arg(long)]
    allow_false_claims: bool,
}

impl ProjectArgs {
    /// The build options these arguments give; `--root .` (the default) is left out
    /// of paths, so messages say `content/x.md`.
    fn options(self) -> site::BuildOptions {
        let root = if self.root == Path::new(".") {
            PathBuf::new()
        } else {
            self.root
        };
        site::BuildOptions {
            output: root.join("output"),
            root,
            base_url: None,
            snapshots: self.snapshots.into_iter().collect::<BTreeMap<_, _>>(),
            cache: true,
            allow_false_claims: self.allow_false_claims,
            drafts: false,
        }
    }
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    project: ProjectArgs,
    /// Where to write the site [default: ROOT/output].
    #[arg(long)]
    output: Option<PathBuf>,
    /// The address the site is published at, overriding the config's base-url.
    #[arg(long)]
    base_url: Option<String>,
    /// Print how long each build step took.
    #[arg(long, short)]
    verbose: bool,
    /// Compute every figure from the snapshots, neither reading nor writing the
    /// figure cache (ROOT/.stateof-cache).
    #[arg(long)]
    no_cache: bool,
    /// Build editions and chapters marked `draft = true` too, each marked as a draft.
    #[arg(long)]
    drafts: bool,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    project: ProjectArgs,
    /// The port to listen on (0 takes any free port; the address is printed).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// The address to listen on. Other machines can reach the preview only if this is
    /// not a loopback address.
    #[arg(long, default_value = "127.0.0.1")]
    interface: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
}

#[derive(Args)]
struct SampleArgs {
    /// How many models to generate.
    #[arg(long, default_value_t = 10_000)]
    models: usize,
    /// How many datasets to generate [default: a quarter of the models].
    #[arg(long)]
    datasets: Option<usize>,
    /// How many spaces to generate [default: half the models].
    #[arg(long)]
    spaces: Option<usize>,
    /// The snapshot's date (YYYY-MM-DD); the synthetic world changes with it.
    #[arg(long)]
    date: String,
    /// Seed of the random generator: the same options give the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The snapshot file to write (.jsonl, .jsonl.gz or .jsonl.zst); manifest.json goes beside it.
    #[arg(long)]
    out: PathBuf,
    /// The organisation registry whose organisations author the popular models.
    #[arg(long, default_value = "content/data/organizations.toml")]
    registry: PathBuf,
}

#[derive(Args)]
struct FetchArgs {
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
    /// The first retry delay in milliseconds (it doubles, up to 60 s); tests shorten it.
    #[arg(long, hide = true, default_value_t = 1000)]
    retry_base_ms: u64,
}

/// Parses the command line and runs the command.
pub fn run() -> Result<()> {
    match Cli::parse().command {
        Command::Build(args) => build(args),
        Command::Serve(args) => serve(args),
        Command::Sample(args) => sample(args),
        Command::Fetch(args) => fetch(args),
    }
}

fn build(args: BuildArgs) -> Result<()> {
    let start = Instant::now();
    let defaults = args.project.options();
    let options = site::BuildOptions {
        output: args.output.unwrap_or(defaults.output.clone()),
        base_url: args.base_url,
        cache: !args.no_cache,
        drafts: args.drafts,
        ..defaults
    };
    let site::Built {
        output: site,
        summary,
        ..
    } = site::build(&options)?;
    let written = output::write(&site, &options.output)?;
    let removed = written.removed_pages_warning(&options.output);
    for warning in summary.warnings.as_slice().iter().chain(&removed) {
        eprintln!("warning: {warning}");
    }
    if args.verbose {
        for (step, seconds) in &summary.steps {
            eprintln!("  {step:<18} {:>8.1} ms", seconds * 1000.0);
        }
    }
    eprintln!(
        "built {} editions: {} pages, {} charts, {} files in `{}` ({:.2} s)",
        summary.editions,
        summary.pages,
        summary.charts,
        summary.files,
        options.output.display(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Serves drafts too, marked as drafts.
fn serve(args: ServeArgs) -> Result<()> {
    serve::run(serve::Options {
        build: site::BuildOptions {
            drafts: true,
            ..args.project.options()
        },
        interface: args.interface,
        port: args.port,
        open: args.open,
    })
}

fn sample(args: SampleArgs) -> Result<()> {
    let registry = registry::load(&args.registry)?;
    let options = sample::Options {
        models: args.models,
        datasets: args.datasets.unwrap_or(args.models / 4),
        spaces: args.spaces.unwrap_or(args.models / 2),
        date: args.date,
        seed: args.seed,
    };
    let start = Instant::now();
    sample::write(&options, &registry, &args.out)
        .with_context(|| format!("failed to write the sample `{}`", args.out.display()))?;
    eprintln!(
        "wrote {} synthetic models, {} datasets and {} spaces to `{}` ({:.2} s)",
        options.models,
        options.datasets,
        options.spaces,
        args.out.display(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

fn parse_snapshot(text: &str) -> Result<(String, PathBuf)> {
    match text.split_once('=') {
        Some((edition, path)) if !edition.is_empty() && !path.is_empty() => {
            Ok((edition.to_owned(), PathBuf::from(path)))
        }
        _ => bail!("expected EDITION=PATH, e.g. 2026-spring=snapshots/models.jsonl.zst"),
    }
}

/// `HF_ENDPOINT` and the token (`HF_TOKEN`, else the file `huggingface-cli login`
/// saves) are found here, as the Hub's own clients find them; blank values count as
/// unset.
fn fetch(args: FetchArgs) -> Result<()> {
    let start = Instant::now();
    let endpoint = args
        .endpoint
        .or_else(|| {
            std::env::var("HF_ENDPOINT")
                .ok()
                .filter(|e| !e.trim().is_empty())
        })
        .unwrap_or_else(|| fetch::DEFAULT_ENDPOINT.to_owned());
    let token = fetch::Token::find(|name| std::env::var(name).ok());
    let retry = fetch::RetryPolicy {
        base: std::time::Duration::from_millis(args.retry_base_ms),
        ..fetch::RetryPolicy::default()
    };
    let hub = fetch::Hub::new(&endpoint, token, retry)?;
    let options = fetch::Options {
        out: args.out,
        kinds: args.kinds,
        limit: args.limit,
        resume: args.resume,
        bar: std::io::IsTerminal::is_terminal(&std::io::stderr()),
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
