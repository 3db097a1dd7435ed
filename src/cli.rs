//! Command-line interface: parses arguments into options and runs one command.
//!
//! `main` only calls `run` and prints the error chain; each command here turns its
//! arguments into the options struct of the stage it runs. The commands that go online
//! are in `online`.

mod online;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};

use crate::{check, diff, format, init, output, registry, sample, serve, site, snapshot};
use online::{FetchArgs, RefreshArgs};

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
    /// Fetch a snapshot of the Hub: models, datasets and spaces as the API lists them,
    /// or with --dump as the Hub's daily Parquet dump holds them at one commit.
    Fetch(FetchArgs),
    /// Move the edition in progress (the newest without `published`) to the newest
    /// commit of the Hub's daily dump, by reference: only a manifest is written into the
    /// project, the data goes to the data cache.
    Refresh(RefreshArgs),
    /// Show which figures changed between two figures.json files, two built sites, or
    /// two snapshot files of one project (then also the claims the new data makes
    /// false, and what the build found wrong in the data).
    Diff(DiffArgs),
    /// Validate a built site: links and anchors, text alternatives, feeds, sitemap and
    /// SVGs, no local paths, no number typed where a figure shows it nor written in words
    /// outside a guarded claim. Fails naming the page.
    Check(CheckArgs),
    /// Create a new report project that builds at once.
    #[command(long_about = INIT_HELP)]
    Init(InitArgs),
    /// Start the next season: copy an edition's narrative into a new edition, dated
    /// today and compared to it, with its figures and claims kept.
    #[command(long_about = NEW_HELP)]
    New(NewArgs),
}

/// What `build` and `serve` share: which project, which data, how strict.
#[derive(Args)]
struct ProjectArgs {
    /// The report project's folder (holding stateof.toml) [default: the current folder
    /// or the nearest one above it that holds stateof.toml].
    #[arg(long, default_value = ".", hide_default_value = true)]
    root: PathBuf,
    /// Build an edition from another snapshot file, e.g. 2026-spring=snap/models.jsonl.zst.
    #[arg(long = "snapshot", value_name = "EDITION=PATH", value_parser = parse_snapshot)]
    snapshots: Vec<(String, PathBuf)>,
    /// Build even when a guarded claim ({{ claim(if="…") }}) is false for the data,
    /// warning about it instead of failing.
    #[arg(long)]
    allow_false_claims: bool,
    /// The Hub that snapshots by reference (a folder holding only manifest.json) are
    /// fetched from, into the data cache, on first use [default: $HF_ENDPOINT, else
    /// https://huggingface.co].
    #[arg(long)]
    endpoint: Option<String>,
}

/// The project `--root` names. Without it, the current folder or the nearest one above
/// it with a `stateof.toml`, named relative to the current folder (left out of paths at
/// the project's root, so messages say `content/x.md`, and `../content/x.md` one folder
/// down).
fn find_project(root: PathBuf) -> PathBuf {
    if root == Path::new(".") {
        std::env::current_dir()
            .ok()
            .and_then(|dir| crate::config::find_root(&dir))
            .unwrap_or_default()
    } else {
        root
    }
}

impl ProjectArgs {
    /// The build options these arguments give, for the project `find_project` finds.
    fn options(self) -> site::BuildOptions {
        let root = find_project(self.root);
        site::BuildOptions {
            output: root.join("output"),
            root,
            base_url: None,
            snapshots: self.snapshots.into_iter().collect::<BTreeMap<_, _>>(),
            cache: true,
            allow_false_claims: self.allow_false_claims,
            drafts: false,
            fetched: BTreeMap::new(),
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
    /// The snapshot file to write (.jsonl, .jsonl.gz, .jsonl.zst, or .parquet in the Hub
    /// dump's shape); manifest.json goes beside it.
    #[arg(long)]
    out: PathBuf,
    /// The format to write: `jsonl` (as OUT's extension compresses it) or `parquet`
    /// [default: from OUT's extension]. With `parquet`, OUT may be a folder: the files
    /// go in it as models.parquet, datasets.parquet and spaces.parquet.
    #[arg(long, value_enum)]
    format: Option<SampleFormat>,
    /// The organisation registry whose organisations author the popular models.
    #[arg(long, default_value = "content/data/organizations.toml")]
    registry: PathBuf,
    /// Replace an existing snapshot (OUT, and the manifest.json and authors.jsonl.zst beside it).
    #[arg(long)]
    force: bool,
}

/// What `stateof sample` writes.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SampleFormat {
    Jsonl,
    Parquet,
}

#[derive(Args)]
struct DiffArgs {
    /// The old side: a figures.json, a built site's folder, or a snapshot file.
    old: PathBuf,
    /// The new side, of the same kind as OLD.
    new: PathBuf,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// Hide changes smaller than this: in percentage points for shares, in percent of
    /// the old value otherwise (e.g. 0.5).
    #[arg(long, default_value_t = 0.0, value_parser = parse_min_change)]
    min_change: f64,
    /// Only this edition; for snapshot files, the edition they are built as
    /// [default: the latest].
    #[arg(long)]
    edition: Option<String>,
    /// The report project that snapshot files are built with (its folder).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DiffFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Args)]
struct CheckArgs {
    /// The built site to check [default: ROOT/output].
    output: Option<PathBuf>,
    /// The report project the site was built from: its base-url gives the path links
    /// start with, and its content is read for typed numbers.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The address the site was built for, if not the config's (as given to build).
    #[arg(long)]
    base_url: Option<String>,
}

/// Parses the command line and runs the command.
pub fn run() -> Result<()> {
    match Cli::parse().command {
        Command::Build(args) => build(args),
        Command::Serve(args) => serve(args),
        Command::Sample(args) => sample(args),
        Command::Fetch(args) => online::fetch(args),
        Command::Refresh(args) => online::refresh(args),
        Command::Diff(args) => diff(args),
        Command::Check(args) => check(args),
        Command::Init(args) => init(args),
        Command::New(args) => new(args),
    }
}

/// `--root .` (the default) is left out of paths, so messages say `content/x.md`.
fn project_root(root: PathBuf) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::new()
    } else {
        root
    }
}

fn diff(args: DiffArgs) -> Result<()> {
    let report = diff::load(&diff::Inputs {
        old: args.old,
        new: args.new,
        root: project_root(args.root),
        edition: args.edition,
        min_change: args.min_change,
    })?;
    let style = match args.format {
        DiffFormat::Text => diff::Style::Text,
        DiffFormat::Markdown => diff::Style::Markdown,
        DiffFormat::Json => diff::Style::Json,
    };
    print!("{}", diff::render(&report, style));
    Ok(())
}

fn parse_min_change(text: &str) -> Result<f64> {
    match text.trim_end_matches('%').parse::<f64>() {
        Ok(x) if x >= 0.0 && x.is_finite() => Ok(x),
        _ => bail!("expected a number of 0 or more, e.g. 0.5"),
    }
}

fn check(args: CheckArgs) -> Result<()> {
    let root = project_root(args.root);
    let options = check::Options {
        site: args.output.unwrap_or_else(|| root.join("output")),
        root,
        base_url: args.base_url,
    };
    let summary = check::run(&options)?;
    for warning in &summary.warnings {
        eprintln!("warning: {warning}");
    }
    eprintln!("{}", summary.line(&options.site));
    Ok(())
}

fn build(args: BuildArgs) -> Result<()> {
    let start = Instant::now();
    let endpoint = args.project.endpoint.clone();
    let defaults = args.project.options();
    let mut options = site::BuildOptions {
        output: args.output.unwrap_or(defaults.output.clone()),
        base_url: args.base_url,
        cache: !args.no_cache,
        drafts: args.drafts,
        ..defaults
    };
    online::fetch_references(&mut options, endpoint)?;
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

/// Serves drafts too, marked as drafts. The data of snapshots by reference is fetched
/// once, before serving.
fn serve(args: ServeArgs) -> Result<()> {
    let endpoint = args.project.endpoint.clone();
    let mut build = site::BuildOptions {
        drafts: true,
        ..args.project.options()
    };
    online::fetch_references(&mut build, endpoint)?;
    serve::run(serve::Options {
        build,
        interface: args.interface,
        port: args.port,
        open: args.open,
    })
}

fn sample(mut args: SampleArgs) -> Result<()> {
    args.out = sample_out(&args.out, args.format)?;
    let registry = registry::load(&args.registry)?;
    let options = sample::Options {
        models: args.models,
        datasets: args.datasets.unwrap_or(args.models / 4),
        spaces: args.spaces.unwrap_or(args.models / 2),
        date: args.date,
        seed: args.seed,
    };
    refuse_replacing(&args.out, args.force)?;
    let start = Instant::now();
    let bar = std::io::IsTerminal::is_terminal(&std::io::stderr()).then(sample_bar);
    let mut step = |step| {
        if let Some(bar) = &bar {
            bar.set_message(sample_step(step, options.models));
        }
    };
    let written = sample::write_reporting(&options, &registry, &args.out, &mut step);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    written.with_context(|| format!("failed to write the sample `{}`", args.out.display()))?;
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

/// The file `stateof sample` writes: `out`, or `out/models.parquet` for Parquet into a
/// folder. A format that `out`'s extension contradicts is an error.
fn sample_out(out: &Path, format: Option<SampleFormat>) -> Result<PathBuf> {
    let named = snapshot::Format::of(out).ok();
    match (format, named) {
        (Some(SampleFormat::Parquet), None) => Ok(out.join("models.parquet")),
        (Some(SampleFormat::Parquet), Some(snapshot::Format::Jsonl(_)))
        | (Some(SampleFormat::Jsonl), Some(snapshot::Format::Parquet)) => bail!(
            "--format and --out disagree: `{}` names a {} file; name it models.parquet \
             or models.jsonl.zst, or leave --format out",
            out.display(),
            if named == Some(snapshot::Format::Parquet) {
                "Parquet"
            } else {
                "JSON Lines"
            }
        ),
        _ => Ok(out.to_path_buf()),
    }
}

/// Refuses to replace a snapshot unless `force`.
fn refuse_replacing(out: &Path, force: bool) -> Result<()> {
    let existing = sample::existing(out);
    if force || existing.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = existing
        .iter()
        .map(|p| format!("`{}`", p.display()))
        .collect();
    bail!(
        "{} already exist{}: add --force to replace {}, or choose another --out",
        names.join(" and "),
        if names.len() == 1 { "s" } else { "" },
        if names.len() == 1 { "it" } else { "them" }
    )
}

/// A spinner on stderr naming the step `sample` is at.
fn sample_bar() -> indicatif::ProgressBar {
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

fn sample_step(step: sample::Step, models: usize) -> String {
    match step {
        sample::Step::Generate => {
            format!(
                "generating {} synthetic models",
                format::thousands(models as f64)
            )
        }
        sample::Step::Compress => format!("compressing (zstd level {})", sample::ZSTD_LEVEL),
        sample::Step::Write => "writing".to_owned(),
    }
}

fn parse_snapshot(text: &str) -> Result<(String, PathBuf)> {
    match text.split_once('=') {
        Some((edition, path)) if !edition.is_empty() && !path.is_empty() => {
            Ok((edition.to_owned(), PathBuf::from(path)))
        }
        _ => bail!("expected EDITION=PATH, e.g. 2026-spring=snapshots/models.jsonl.zst"),
    }
}

const INIT_HELP: &str = "Create a new report project that builds at once.

DIR must not exist, or be empty (a `.git` folder alone is fine). stateof init writes:

  stateof.toml                      title, base-url, a few figures and charts (line, bar,
                                    histogram, Lorenz curve)
  content/2026-spring/index.md      an example edition: inline figures, charts, a table
                                    and a guarded claim
  content/data/organizations.toml   the organisation registry (author -> country, kind)
  snapshots/2026-spring/            a synthetic snapshot of 5,000 models made by
                                    `stateof sample`, with its manifest.json
  templates/  theme/  static/       page templates, stylesheet and favicons to edit
  README.md                         for the report's editors: writing, refreshing, publishing
  .gitignore                        output/ and .stateof-cache/
  .github/workflows/pages.yml       build and deploy to GitHub Pages on every push to main
  .github/workflows/ci.yml          build and `stateof check` every push and pull request
  .github/workflows/refresh.yml     weekly: move the edition in progress to the newest
                                    daily dump of the Hub, rebuild, and open a pull
                                    request listing every figure that changed
  .github/actions/stateof/          installs stateof in the workflows, compiled once and cached

Then: cd DIR && stateof serve";

#[derive(Args)]
struct InitArgs {
    /// The folder to create the project in.
    dir: PathBuf,
}

fn init(args: InitArgs) -> Result<()> {
    let created = init::create(&args.dir)?;
    eprintln!(
        "created a report project in `{}` ({} files); next:\n  cd {}\n  stateof serve    # preview at http://127.0.0.1:1111/\n  stateof build    # the site in output/\nREADME.md there says how to publish it on GitHub Pages.",
        args.dir.display(),
        created.files.len(),
        args.dir.display(),
    );
    Ok(())
}

const NEW_HELP: &str =
    "Start the next season of a report: copy an edition's narrative into a new edition.

stateof new 2026-fall --from 2026-spring copies content/2026-spring/ (index.md and its
chapters) to content/2026-fall/ and sets, in the copy's front matter:

  date         today (UTC), or --date; it must be after the edition it starts from
  compare-to   the edition it starts from
  snapshot     --snapshot PATH (relative to the project); without it the previous
               edition's is kept, with a warning
  title        --title, if given
  draft        true, with --draft (left out of `stateof build` until removed)
  published    removed

Figures and claims are kept. Comparisons the text made with the previous edition's own
compare-to (vs=\"…\", name@… in claims and summary-if) now compare with the edition
it starts from. It warns when the snapshot is dated after the new edition, and names
the sourced figures the text shows that have no value for the new edition yet (add one
to each figure's `values` in stateof.toml). An existing edition is never overwritten.";

#[derive(Args)]
struct NewArgs {
    /// The new edition's name: its folder under content/, e.g. 2026-fall.
    edition: String,
    /// The edition to start from (its folder name), usually the latest.
    #[arg(long)]
    from: String,
    /// The new edition's date, YYYY-MM-DD [default: today, UTC].
    #[arg(long)]
    date: Option<crate::dates::Date>,
    /// The new edition's snapshot, relative to the project, as its front matter names
    /// it [default: the previous edition's, with a warning].
    #[arg(long)]
    snapshot: Option<String>,
    /// The new edition's title [default: the previous edition's].
    #[arg(long)]
    title: Option<String>,
    /// Mark the new edition as a draft (`draft = true`).
    #[arg(long)]
    draft: bool,
    /// The report project's folder [default: the current folder or the nearest one
    /// above it that holds stateof.toml].
    #[arg(long, default_value = ".", hide_default_value = true)]
    root: PathBuf,
}

fn new(args: NewArgs) -> Result<()> {
    let options = crate::new::Options {
        root: find_project(args.root),
        edition: args.edition,
        from: args.from,
        date: args.date.unwrap_or_else(crate::dates::today),
        snapshot: args.snapshot,
        title: args.title,
        draft: args.draft,
    };
    let created = crate::new::create(&options)?;
    let names: Vec<String> = (created.files.iter())
        .filter_map(|f| Some(f.file_name()?.to_string_lossy().into_owned()))
        .collect();
    eprintln!(
        "created edition `{}` in `{}` from `{}` ({}): dated {}, compared to {}",
        options.edition,
        created.folder.display(),
        options.from,
        names.join(", "),
        options.date,
        options.from
    );
    if let Some((old, moved)) = &created.moved {
        eprintln!(
            "{moved} comparison{} with {old} now compare{} with {} (vs= and @{old} in shortcodes \
             and summary-if)",
            if *moved == 1 { "" } else { "s" },
            if *moved == 1 { "s" } else { "" },
            options.from
        );
    }
    for warning in &created.warnings {
        eprintln!("warning: {warning}");
    }
    eprintln!(
        "next: rewrite its title, summary and text for the new season, and preview it with \
         `stateof serve`"
    );
    Ok(())
}
