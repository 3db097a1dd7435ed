//! The site: every page, chart, data file, feed and asset of a report, built in memory.
//!
//! `build` reads as the list of steps it takes; each step is a function in a submodule
//! over plain data. Nothing here writes the site to disk: the result is an `Output` map
//! that `output::write` puts in place (or a preview server serves). The one file
//! written here is the figure cache (`cache`), an optimisation that can be turned off.

mod assets;
pub mod cache;
mod cards;
mod charts;
mod checks;
mod data;
mod downloads;
mod embeds;
mod images;
mod narrative;
mod pages;
pub mod palette;
mod templates;
mod urls;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};

use crate::diagnostics::Warnings;
use crate::output::Output;
use crate::{config, content, registry};
use cache::Cache;

pub use checks::snapshot_after;
pub use data::{EditionData, Memo, Source};
pub use narrative::{false_claims_for, typed_numbers};
pub use urls::Urls;

/// What `stateof build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The report project's folder (holding `stateof.toml`).
    pub root: PathBuf,
    /// Where the site is written (the build itself never writes; the caller does).
    pub output: PathBuf,
    /// Overrides the config's `base-url`.
    pub base_url: Option<String>,
    /// Edition slug → snapshot file, overriding the edition's front matter.
    pub snapshots: BTreeMap<String, PathBuf>,
    /// Edition slug → where the data of the snapshot its front matter names by
    /// reference is (the data cache): fetched before the build by the command layer
    /// (`fetch::reference`), as a build itself never goes online.
    pub fetched: BTreeMap<String, PathBuf>,
    /// Reuse and store computed figures in `ROOT/.stateof-cache` (see `cache`).
    pub cache: bool,
    /// A false guarded claim is a warning instead of an error
    /// (`stateof build --allow-false-claims`).
    pub allow_false_claims: bool,
    /// Build editions and chapters marked `draft = true` too, marked as drafts
    /// (`stateof build --drafts`; the preview server sets it).
    pub drafts: bool,
}

/// Counts for the summary line a build prints.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub editions: usize,
    pub pages: usize,
    pub charts: usize,
    pub files: usize,
    /// (step name, seconds) in the order run.
    pub steps: Vec<(&'static str, f64)>,
    /// Where each edition's figures came from, in edition order.
    pub figures: data::Sources,
    /// The data files the build depends on (a preview server watches them).
    pub data_files: DataFiles,
    /// What the build found wrong but could still build (printed as `warning: …`).
    pub warnings: Warnings,
    /// The warnings about the data itself (values no snapshot has, repeated ids,
    /// missing fields), also in `warnings`.
    pub data_warnings: Warnings,
    /// One message per false guarded claim (the build failed on them unless
    /// `allow_false_claims`; then they are in `warnings` too).
    pub false_claims: Vec<String>,
}

/// The data files of a build: the registry and every edition's snapshot.
#[derive(Debug, Clone, Default)]
pub struct DataFiles {
    pub registry: PathBuf,
    pub snapshots: Vec<PathBuf>,
}

/// The data files the project names, as far as its config and front matter can be
/// read: what a preview server watches, even while the build fails.
pub fn data_files(options: &BuildOptions) -> DataFiles {
    let root = options.root.as_path();
    let registry = config::load(root).map_or_else(|_| config::default_registry(), |c| c.registry);
    let editions = content::load(root, options.drafts).map_or_else(|_| Vec::new(), |c| c.editions);
    let mut snapshots: Vec<PathBuf> = (editions.iter())
        .filter(|e| !options.snapshots.contains_key(&e.slug))
        .filter_map(|e| e.index.front.snapshot.as_deref().map(|s| root.join(s)))
        .collect();
    snapshots.extend(options.snapshots.values().cloned());
    // Each snapshot's datasets and spaces files too: an edit to one changes figures.
    let snapshots = (snapshots.iter())
        .flat_map(|path| crate::snapshot::files(path))
        .collect();
    DataFiles {
        registry: root.join(registry),
        snapshots,
    }
}

/// Each edition's snapshot file as the project names it (`--snapshot`, else its front
/// matter): what the command layer looks at for snapshots by reference before a build.
pub fn snapshot_paths(options: &BuildOptions) -> Result<BTreeMap<String, PathBuf>> {
    let editions = content::load(&options.root, options.drafts)?.editions;
    data::snapshot_paths(
        &options.root,
        &editions,
        &options.snapshots,
        &BTreeMap::new(),
    )
}

/// What a build keeps for the next one in the same process (a preview server's
/// rebuilds): the figure cache with its index in memory, the last figures, and the
/// last PNGs.
#[derive(Debug)]
pub struct Reuse {
    cache: Cache,
    memo: Memo,
    images: images::Drawn,
}

impl Reuse {
    /// The cache of the project `options` build (or none, with `cache: false`).
    pub fn new(options: &BuildOptions) -> Reuse {
        let cache = if options.cache {
            Cache::open(&options.root)
        } else {
            Cache::disabled()
        };
        Reuse {
            cache,
            memo: Memo::default(),
            images: images::Drawn::default(),
        }
    }
}

impl Reuse {
    /// Forgets figures computed from `file`, which has changed.
    pub fn forget(&mut self, file: &Path) {
        self.memo.forget(file);
    }
}

/// A built site and what was learnt building it.
#[derive(Debug)]
pub struct Built {
    pub output: Output,
    pub summary: Summary,
    /// Every figure of every edition, for a preview server's figure palette.
    pub palette: Vec<palette::Row>,
}

/// Builds the whole site of the project at `options.root`.
pub fn build(options: &BuildOptions) -> Result<Built> {
    build_again(options, &mut Reuse::new(options))
}

/// Builds the whole site, reusing what `reuse` kept from an earlier build of the same
/// project, and keeping in it what this one computed.
pub fn build_again(options: &BuildOptions, reuse: &mut Reuse) -> Result<Built> {
    let mut timer = Steps::start();
    let root = options.root.as_path();
    let config = config::load(root)?;
    let registry = registry::load(&root.join(&config.registry))?;
    let mut warnings = Warnings::default();
    let content = content::load(root, options.drafts)?;
    warnings.extend(content.warnings);
    let editions = content.editions;
    let dates = content.dates;
    checks::sourced_editions(&config, &dates)?;
    timer.step("read project");

    let urls = Urls::new(options.base_url.as_deref().unwrap_or(&config.base_url))?;
    let paths = data::snapshot_paths(root, &editions, &options.snapshots, &options.fetched)?;
    let inputs = data::Inputs {
        root,
        config: &config,
        registry: &registry,
        paths: &paths,
        fetched: &options.fetched,
        dates: &dates,
    };
    let (data, sources) = data::compute(&inputs, &editions, &mut reuse.cache, &mut reuse.memo)?;
    let mut data_warnings = checks::check_values(&config, &editions, &data)?;
    data_warnings.extend(checks::quality_warnings(&config, &editions, &data));
    data_warnings.extend(checks::undefined_warnings(&config, &editions, &data));
    data_warnings.extend(checks::snapshot_dates(&editions, &data));
    warnings.extend(data_warnings.clone());
    timer.step("compute figures");

    let statics = assets::read_static(root, &mut warnings)?;
    let static_files: Vec<&str> = statics.iter().map(|(path, _)| path.as_str()).collect();
    let tera = load_templates(root)?;
    let charts = charts::render_all(&config, &editions, &data, &urls, &tera)?;
    timer.step("draw charts");

    let definitions = urls.link("methodology/");
    let narrative = narrative::render_all(&editions, &data, &charts, &definitions)?;
    let false_claims = narrative::false_claims(&narrative);
    check_claims(
        false_claims.clone(),
        options.allow_false_claims,
        &mut warnings,
    )?;
    let figures = (data.iter()).map(|(slug, d)| (slug.clone(), d.figures.clone()));
    for message in narrative::typed_numbers(&editions, &figures.collect()) {
        warnings.push(message);
    }
    timer.step("render narrative");

    let cards = cards::render_all(&cards::Inputs {
        title: &config.title,
        editions: &editions,
        data: &data,
        narrative: &narrative,
        urls: &urls,
        tera: &tera,
    })?;
    let mut output = Output::default();
    let layout = pages::Context {
        config: &config,
        registry: &registry,
        editions: &editions,
        data: &data,
        charts: &charts,
        cards: &cards,
        narrative: &narrative,
        urls: &urls,
        tera: &tera,
        static_files: &static_files,
    };
    let pages = pages::render_all(&layout, &mut output)?;
    embeds::add_all(&layout, &mut output)?;
    timer.step("lay out pages");

    images::add_all(&cards, &charts, &mut reuse.images, &mut output)?;
    timer.step("draw images");

    downloads::add_all(&data, &charts, &mut output)?;
    assets::add_theme(root, &mut output, &mut warnings)?;
    assets::add_static(root, statics, &mut output)?;
    timer.step("data and assets");

    let summary = Summary {
        editions: editions.len(),
        pages,
        charts: charts.values().map(BTreeMap::len).sum(),
        files: output.files.len(),
        steps: timer.steps,
        figures: sources,
        data_files: DataFiles {
            registry: root.join(&config.registry),
            snapshots: paths.into_values().collect(),
        },
        warnings,
        data_warnings,
        false_claims,
    };
    let palette = palette::rows(&config, &editions, &data);
    Ok(Built {
        output,
        summary,
        palette,
    })
}

/// False claims stop the build, every one named, unless they are allowed: then each is
/// a warning.
fn check_claims(false_claims: Vec<String>, allow: bool, warnings: &mut Warnings) -> Result<()> {
    if allow {
        for message in false_claims {
            warnings.push(message);
        }
        return Ok(());
    }
    let hint = "(rewrite the text or its condition, or build with --allow-false-claims \
                to publish it anyway)";
    crate::diagnostics::all(
        false_claims
            .into_iter()
            .map(|message| Err::<(), _>(anyhow::anyhow!("{message} {hint}"))),
    )?;
    Ok(())
}

/// `f` over `items` on every core: the items are dealt out in runs of consecutive
/// items, one run per thread, and `f` gets each run with the index of its first item
/// (so a run can keep state from item to item). Results come back in item order.
fn in_runs<T: Sync, R: Send>(items: &[T], f: impl Fn(usize, &[T]) -> Vec<R> + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let run_len = items.len().div_ceil(threads).max(8);
    if items.len() <= run_len {
        return f(0, items);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = (items.chunks(run_len).enumerate())
            .map(|(i, run)| {
                let f = &f;
                scope.spawn(move || f(i * run_len, run))
            })
            .collect();
        (handles.into_iter())
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// Loads every template under `root/templates`; a syntax error names the file and line.
pub fn load_templates(root: &Path) -> Result<tera::Tera> {
    let dir = root.join("templates");
    if !dir.is_dir() {
        anyhow::bail!(
            "the project has no `{}` folder; a report needs its templates (copy them from \
             the stateof repository to start)",
            dir.display()
        );
    }
    let glob = format!("{}/**/*", dir.display());
    let mut tera = tera::Tera::new(&glob)
        .map_err(|err| anyhow::anyhow!("{}", tera_chain(&err)))
        .with_context(|| format!("failed to load the templates in `{}`", dir.display()))?;
    tera.autoescape_on(vec![".html", ".xml", ".svg"]);
    // Tera's default also escapes `/`, which makes every URL in the output unreadable.
    tera.set_escape_fn(crate::escape::markup);
    tera.register_filter("code_spans", code_spans);
    // Templates added since a project copied its own fall back to stateof's.
    let defaults = [
        (cards::TEMPLATE, cards::DEFAULT_TEMPLATE),
        (embeds::TEMPLATE, embeds::DEFAULT_TEMPLATE),
    ];
    for (name, text) in defaults {
        if !tera.get_template_names().any(|n| n == name) {
            tera.add_raw_template(name, text)
                .map_err(|err| anyhow::anyhow!("{}", tera_chain(&err)))
                .with_context(|| format!("failed to load stateof's own `{name}` template"))?;
        }
    }
    Ok(tera)
}

/// The `code_spans` filter: text with `` `code` `` spans, as escaped HTML (mark it
/// `safe`).
fn code_spans(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = tera::try_get_value!("code_spans", "value", String, value);
    Ok(tera::Value::String(crate::escape::code_spans(&text)))
}

/// Renders one template; the error names it and carries Tera's whole message, or, for
/// an unknown variable, its line in the template and the nearest name in `context`.
fn render(tera: &tera::Tera, template: &str, context: &tera::Context) -> Result<String> {
    tera.render(template, context).map_err(|err| {
        let chain = tera_chain(&err);
        match templates::unknown_variable(tera, template, context, &chain) {
            Some(located) => anyhow::anyhow!("{located}"),
            None => anyhow::anyhow!("{chain}")
                .context(format!("failed to render template `templates/{template}`")),
        }
    })
}

/// Tera's messages are spread over an error chain; this joins them on one line.
fn tera_chain(err: &tera::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

/// Wall-clock time per named step.
struct Steps {
    last: Instant,
    steps: Vec<(&'static str, f64)>,
}

impl Steps {
    fn start() -> Steps {
        Steps {
            last: Instant::now(),
            steps: Vec::new(),
        }
    }

    fn step(&mut self, name: &'static str) {
        let now = Instant::now();
        self.steps.push((name, (now - self.last).as_secs_f64()));
        self.last = now;
    }
}
