//! `stateof sample`: a deterministic generator of synthetic Hub snapshots.
//!
//! It writes rows shaped like the Hub API's `/api/models` entries (and, in `hub`,
//! `/api/datasets` and `/api/spaces` entries), every author's
//! account type (`authors.jsonl.zst`, as `stateof fetch` records it: synthetic handles
//! and the registry's independents are users, other registry authors organisations),
//! and a `manifest.json` that lists both and says they are synthetic. The same options give the same bytes: randomness comes
//! from a seeded xoshiro256** in this module, and no hash-map order reaches the output.
//!
//! The rows follow a small "world model" that moves with the snapshot date, so two
//! editions tell the story of the Spring 2026 report: between spring 2025 and spring
//! 2026 downloads shift from US to China-based organisations, independent uploaders
//! and derivatives (fine-tunes, adapters, quantizations, merges) grow, and downloads
//! concentrate in the top 200 models; after spring 2026 the same trends go on, slowing
//! down, so a later edition still tells a story. Concentration is calibrated exactly on all-time
//! downloads, as the report defines it (top-200 share, share under 200 downloads);
//! countries are hit by giving the most-downloaded models to registry organisations,
//! each to the country furthest below its target. Downloads in the last 30 days are a
//! share of the all-time count that shrinks with the model's age, and repositories
//! older than March 2022 carry the Hub's placeholder creation date.
//! The figures are demo data, never measurements of the real Hub.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::registry::{OrgKind, Registry};
use crate::snapshot::{
    sha256_hex, Compression, Derivative, Format, Kind, Manifest, ManifestFile, MANIFEST,
};

use names::{Role, Task};
use rng::Rng;
use world::World;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Number of model rows.
    pub models: usize,
    /// Number of dataset rows (none: no datasets file).
    pub datasets: usize,
    /// Number of space rows (none: no spaces file).
    pub spaces: usize,
    /// The snapshot date, `YYYY-MM-DD`; every model is created before it.
    pub date: String,
    pub seed: u64,
}

impl Options {
    /// The command that regenerates a snapshot with these options.
    pub fn command(&self, out: &Path) -> String {
        format!(
            "stateof sample --models {} --datasets {} --spaces {} --date {} --seed {} --out {}",
            self.models,
            self.datasets,
            self.spaces,
            self.date,
            self.seed,
            out.display()
        )
    }
}

/// The zstd level of written files. With every core compressing, it keeps 60,000
/// models (30 MB of JSON) under 2 s on 2 cores; level 19 took 30 s of CPU for 16% less.
pub const ZSTD_LEVEL: i32 = 9;

/// A step of `write`, as a progress display names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Generate,
    Compress,
    Write,
}

/// The files `write` would replace: `out` and the datasets, spaces, authors and
/// manifest files beside it, those that exist.
pub fn existing(out: &Path) -> Vec<std::path::PathBuf> {
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let extension = &name[extension_at(name)..];
    let kinds = [Kind::Datasets, Kind::Spaces].map(|k| format!("{}{extension}", k.name()));
    let names = [crate::authors::FILE, MANIFEST].map(str::to_owned);
    let beside = (kinds.iter().chain(&names)).map(|name| out.with_file_name(name));
    (std::iter::once(out.to_path_buf()).chain(beside))
        .filter(|path| path.exists())
        .collect()
}

/// Writes a synthetic snapshot to `out` (stored as its extension says: `.jsonl`,
/// `.jsonl.gz`, `.jsonl.zst`, or `.parquet` in the Hub dump's shape), its datasets and
/// spaces beside it (`datasets.jsonl.zst`, … with the same extension), its authors' account types and a `manifest.json`, each
/// through a temporary file renamed into place. Returns the manifest.
pub fn write(options: &Options, registry: &Registry, out: &Path) -> Result<Manifest> {
    write_reporting(options, registry, out, &mut |_| {})
}

/// `write`, calling `step` as each step starts.
pub fn write_reporting(
    options: &Options,
    registry: &Registry,
    out: &Path,
    step: &mut dyn FnMut(Step),
) -> Result<Manifest> {
    let format = Format::of(out)?;
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| format!("`{}` has no file name", out.display()))?;
    let extension = &name[extension_at(name)..];
    step(Step::Generate);
    let models = generate(options, registry)?;
    let (datasets, spaces) = generate_hub(options, registry)?;
    let authors = authors_jsonl(
        &[&models, &datasets, &spaces].map(|t| t.as_str()).concat(),
        registry,
    );
    step(Step::Compress);
    let mut files = vec![(name.to_owned(), stored(&models, Kind::Models, format)?)];
    for (kind, text) in [(Kind::Datasets, &datasets), (Kind::Spaces, &spaces)] {
        if !text.is_empty() {
            let file = format!("{}{extension}", kind.name());
            files.push((file, stored(text, kind, format)?));
        }
    }
    let mut files: Vec<(String, Vec<u8>, u64)> = (files.into_iter())
        .map(|(file, (bytes, rows))| (file, bytes, rows))
        .collect();
    files.push((
        crate::authors::FILE.to_owned(),
        zstd_all(authors.as_bytes())?,
        count(&authors),
    ));
    let manifest = Manifest {
        source: format!(
            "synthetic: generated by {}; not measured on the Hub",
            options.command(out)
        ),
        date: options.date.clone(),
        synthetic: true,
        dataset: None,
        files: (files.iter())
            .map(|(file, bytes, rows)| {
                let sha256 = sha256_hex(bytes);
                (
                    file.clone(),
                    ManifestFile {
                        rows: *rows,
                        sha256,
                        size: None,
                    },
                )
            })
            .collect(),
    };
    step(Step::Write);
    let mut manifest_text = serde_json::to_string_pretty(&manifest)?;
    manifest_text.push('\n');
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("failed to create the folder `{}`", dir.display()))?;
    }
    for (file, bytes, _) in &files {
        crate::output::replace_file(&out.with_file_name(file), bytes, false)?;
    }
    let manifest_path = out.with_file_name(MANIFEST);
    crate::output::replace_file(&manifest_path, manifest_text.as_bytes(), false)?;
    Ok(manifest)
}

fn count(text: &str) -> u64 {
    text.lines().count() as u64
}

/// Where the extension of a snapshot file's name starts: `.jsonl…` or `.parquet`.
fn extension_at(name: &str) -> usize {
    (name.find(".jsonl").or_else(|| name.find(".parquet"))).unwrap_or(name.len())
}

/// The entries in `text` (rows of `kind`) stored as `format` says, and their number:
/// JSON Lines compressed or not, or Parquet in the Hub dump's shape.
fn stored(text: &str, kind: Kind, format: Format) -> Result<(Vec<u8>, u64)> {
    match format {
        Format::Jsonl(compression) => Ok((compress(text, compression)?, count(text))),
        Format::Parquet => {
            let mut bytes = Vec::with_capacity(text.len() / 8);
            let shape = crate::snapshot::parquet_write::Shape::default();
            let rows = crate::snapshot::parquet_write::write(text, kind, &shape, &mut bytes)?;
            Ok((bytes, rows))
        }
    }
}

/// `text` as `compression` stores it.
fn compress(text: &str, compression: Compression) -> Result<Vec<u8>> {
    Ok(match compression {
        Compression::None => text.as_bytes().to_vec(),
        Compression::Gzip => {
            use std::io::Write;
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(text.as_bytes())?;
            encoder.finish()?
        }
        Compression::Zstd => zstd_all(text.as_bytes())?,
    })
}

/// `bytes` compressed at `ZSTD_LEVEL` on every core. zstd's multithreaded mode gives
/// the same bytes whatever the number of workers, so the output stays deterministic.
fn zstd_all(bytes: &[u8]) -> Result<Vec<u8>> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    zstd_with(bytes, workers as u32)
}

fn zstd_with(bytes: &[u8], workers: u32) -> Result<Vec<u8>> {
    use std::io::Write;
    let mut encoder = zstd::Encoder::new(Vec::with_capacity(bytes.len() / 8), ZSTD_LEVEL)?;
    encoder.multithread(workers)?;
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

/// The account type of every author of the rows in `text`, as `authors.jsonl` lines in
/// name order: registry organisations are `org`, the registry's independents and
/// synthetic handles `user`.
pub fn authors_jsonl(text: &str, registry: &Registry) -> String {
    let authors: std::collections::BTreeSet<&str> = text
        .lines()
        .filter_map(|line| {
            let rest = &line[line.find("\"author\":\"")? + 10..];
            Some(&rest[..rest.find('"')?])
        })
        .collect();
    let lines: Vec<crate::authors::Line> = (authors.into_iter())
        .map(|name| {
            let org = registry
                .get(name)
                .filter(|o| o.kind != OrgKind::Independent);
            crate::authors::Line {
                name: name.to_owned(),
                account: Some(if org.is_some() { "org" } else { "user" }.to_owned()),
            }
        })
        .collect();
    crate::authors::to_jsonl(&lines)
}

/// The snapshot's JSON lines (one per model, each ending in `\n`), most downloaded first.
pub fn generate(options: &Options, registry: &Registry) -> Result<String> {
    if options.models == 0 {
        bail!("`--models` must be at least 1");
    }
    let date = world::parse_date(&options.date)?;
    let world = World::at(date);
    let mut rng = Rng::new(options.seed);
    let orgs = world::orgs(registry, &world);
    let users = names::Handles::new(options.models / 6 + 1, registry, &mut rng);
    let downloads = world.downloads(options.models, &mut rng);
    let owners = world.owners(&downloads, &orgs, &users, &mut rng);
    let models = Planner::new(&world, &orgs, &users).plan(&downloads, &owners, &mut rng);
    let mut out = String::with_capacity(options.models * 420);
    for model in &models {
        names::write_row(&mut out, model, world.date, &mut rng);
    }
    Ok(out)
}

/// The snapshot's datasets and spaces as JSON lines (each empty when `options` asks
/// for none), from a random stream of their own: adding them changes no model.
pub fn generate_hub(options: &Options, registry: &Registry) -> Result<(String, String)> {
    let date = world::parse_date(&options.date)?;
    let world = World::at(date);
    let mut rng = Rng::new(options.seed ^ 0x6875_625f_7265_706f);
    let orgs = world::orgs(registry, &world);
    let users = names::Handles::new(options.models / 6 + 1, registry, &mut rng);
    let authors = hub::Authors {
        orgs: &orgs,
        users: &users,
        user_share: 0.6,
    };
    let datasets = hub::datasets(options.datasets, &world, &authors, &mut rng);
    let spaces = hub::spaces(options.spaces, &world, &authors, &mut rng);
    Ok((datasets, spaces))
}

const DAY: i64 = 86_400;
const YEAR: f64 = 365.25 * DAY as f64;

/// Who publishes a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// An organisation, by index into `world::orgs`.
    Org(usize),
    /// A synthetic handle not in the registry, by index into the handle pool.
    User(usize),
}

/// An organisation of the registry as the generator sees it at the snapshot date.
#[derive(Debug, Clone)]
struct Org {
    author: String,
    country: Option<String>,
    kind: OrgKind,
    role: Role,
    weight: f64,
    /// Families available at the date: name, first month (as a Unix time), task, license.
    families: Vec<(String, i64, Task, &'static str)>,
    /// When it uploads: from, until (Unix times).
    active: (i64, i64),
}

/// One generated model, before it is written as JSON.
#[derive(Debug, Clone)]
struct Model {
    id: String,
    author: String,
    /// All-time downloads (the calibrated figure); `names::write_row` derives the
    /// last 30 days from them and the model's age.
    downloads: u64,
    created: i64,
    task: Task,
    license: Option<&'static str>,
    /// Set for derivatives: the kind and the base model's id.
    base: Option<(Derivative, String)>,
    /// A library other than the task's (peft adapters, GGUF and MLX quantizations).
    library: Option<Option<&'static str>>,
}

/// A derivative about to be made: its kind, base, name and library override.
struct Derived<'b> {
    kind: Derivative,
    base: &'b Model,
    name: String,
    library: Option<Option<&'static str>>,
}

/// Turns owners and downloads into named, dated models: originals first, so that
/// derivatives can name a base model that is in the snapshot.
struct Planner<'a> {
    world: &'a World,
    orgs: &'a [Org],
    users: &'a names::Handles,
    ids: HashSet<String>,
}

impl<'a> Planner<'a> {
    fn new(world: &'a World, orgs: &'a [Org], users: &'a names::Handles) -> Self {
        Planner {
            world,
            orgs,
            users,
            ids: HashSet::new(),
        }
    }

    fn plan(mut self, downloads: &[u64], owners: &[Owner], rng: &mut Rng) -> Vec<Model> {
        let kinds: Vec<Derivative> = owners
            .iter()
            .map(|&owner| self.derivative_kind(owner, rng))
            .collect();
        let mut models: Vec<Option<Model>> = vec![None; downloads.len()];
        let mut own: Vec<Vec<usize>> = vec![Vec::new(); self.orgs.len()];
        for i in 0..downloads.len() {
            if kinds[i] == Derivative::Original {
                models[i] = Some(self.original(owners[i], downloads[i], rng));
                if let Owner::Org(o) = owners[i] {
                    own[o].push(i);
                }
            }
        }
        let weights: Vec<f64> = owners
            .iter()
            .map(|&owner| match owner {
                Owner::Org(o) => self.orgs[o].weight,
                Owner::User(_) => 1.0,
            })
            .collect();
        let bases = names::Bases::new(&models, &weights);
        for i in 0..downloads.len() {
            if models[i].is_some() {
                continue;
            }
            // Time first, so that uploads grow smoothly; then a base made before it,
            // trying another base when the name is taken.
            let owner = owners[i];
            let (from, until) = self.active(owner);
            let time = self.world.created(from, until, rng);
            let mut made = None;
            for attempt in 0..4 {
                let base = match owner {
                    Owner::Org(o) if self.orgs[o].role == Role::Maker => {
                        names::pick_before(&own[o], time, &models, rng)
                    }
                    _ => bases.pick(kinds[i], self.is_uploader(owner), time, &models, rng),
                };
                let Some(base) = base.and_then(|b| models[b].as_ref()) else {
                    break;
                };
                if base.created >= until - DAY {
                    break;
                }
                let maker = !self.is_uploader(owner) && matches!(owner, Owner::Org(_));
                let (name, library) = names::derivative_name(kinds[i], base, maker, rng);
                let id = format!("{}/{name}", self.author(owner));
                if attempt < 3 && self.ids.contains(&id) {
                    continue;
                }
                let time = if base.created < time - DAY {
                    time
                } else {
                    self.world.created(base.created + DAY, until, rng)
                };
                let derivative = Derived {
                    kind: kinds[i],
                    base,
                    name,
                    library,
                };
                made = Some(self.derivative(owner, derivative, downloads[i], time, rng));
                break;
            }
            models[i] = Some(made.unwrap_or_else(|| self.original(owner, downloads[i], rng)));
        }
        models.into_iter().flatten().collect()
    }

    fn derivative_kind(&self, owner: Owner, rng: &mut Rng) -> Derivative {
        use Derivative::*;
        let (p, kinds): (f64, &[(Derivative, f64)]) = match owner {
            Owner::Org(o) => match self.orgs[o].role {
                Role::Maker => (0.2, &[(Finetune, 1.0)]),
                Role::Quantizer => (1.0, &[(Quantized, 0.9), (Finetune, 0.1)]),
                Role::Tuner => (1.0, &[(Finetune, 0.6), (Merge, 0.3), (Quantized, 0.1)]),
            },
            Owner::User(_) => (
                self.world.user_derivatives,
                &[
                    (Finetune, 0.55),
                    (Adapter, 0.25),
                    (Quantized, 0.12),
                    (Merge, 0.08),
                ],
            ),
        };
        if rng.chance(p) {
            kinds[rng.weighted(kinds.iter().map(|k| k.1))].0
        } else {
            Original
        }
    }

    fn author(&self, owner: Owner) -> &str {
        match owner {
            Owner::Org(o) => &self.orgs[o].author,
            Owner::User(u) => &self.users.names[u],
        }
    }

    /// When `owner` uploads: from, until (Unix times).
    fn active(&self, owner: Owner) -> (i64, i64) {
        match owner {
            Owner::Org(o) => (self.orgs[o].active.0, self.orgs[o].active.1),
            Owner::User(_) => (world::START, self.world.date),
        }
    }

    fn is_uploader(&self, owner: Owner) -> bool {
        matches!(owner, Owner::Org(o) if self.orgs[o].role != Role::Maker)
    }

    /// A unique id `author/name`; a name already taken gets the month it was made
    /// (`-2409`, as labs name re-releases), then `-v2`, `-v3`…
    fn unique_id(&mut self, author: &str, name: &str, created: i64) -> String {
        let mut id = format!("{author}/{name}");
        if self.ids.contains(&id) {
            let stamp = world::timestamp(created);
            id = format!("{author}/{name}-{}{}", &stamp[2..4], &stamp[5..7]);
        }
        let stem = id.clone();
        let mut n = 2;
        while self.ids.contains(&id) {
            id = format!("{stem}-v{n}");
            n += 1;
        }
        self.ids.insert(id.clone());
        id
    }

    fn original(&mut self, owner: Owner, downloads: u64, rng: &mut Rng) -> Model {
        let (from, until) = self.active(owner);
        let mut created = self.world.created(from, until, rng);
        let (name, task, license) = match owner {
            Owner::Org(o) if !self.orgs[o].families.is_empty() => {
                let families = &self.orgs[o].families;
                let mut open: Vec<usize> = (0..families.len())
                    .filter(|&f| families[f].1 <= created)
                    .collect();
                if open.is_empty() {
                    let first = (0..families.len())
                        .min_by_key(|&f| families[f].1)
                        .unwrap_or(0);
                    created = self.world.created(families[first].1, until, rng);
                    open.push(first);
                }
                // Labs mostly publish their latest family: each half-year older
                // halves the chance.
                let recency = |f: &usize| (2.0 * (families[*f].1 - created) as f64 / YEAR).exp2();
                let pick = open[rng.weighted(open.iter().map(recency))];
                let (family, _, task, license) = &families[pick];
                let name = names::family_model(family, *task, rng);
                (name, *task, Some(*license))
            }
            _ => {
                let (name, task) = names::user_original(rng);
                (name, task, names::user_license(rng))
            }
        };
        let author = self.author(owner).to_owned();
        Model {
            id: self.unique_id(&author, &name, created),
            author,
            downloads,
            created,
            task,
            license,
            base: None,
            library: None,
        }
    }

    fn derivative(
        &mut self,
        owner: Owner,
        derived: Derived,
        downloads: u64,
        created: i64,
        rng: &mut Rng,
    ) -> Model {
        let Derived {
            kind,
            base,
            name,
            library,
        } = derived;
        let license = if rng.chance(0.85) {
            base.license
        } else {
            names::user_license(rng)
        };
        let author = self.author(owner).to_owned();
        Model {
            id: self.unique_id(&author, &name, created),
            author,
            downloads,
            created,
            task: base.task,
            license,
            base: Some((kind, base.id.clone())),
            library,
        }
    }
}

mod hub;
mod names;
mod rng;
mod world;

#[cfg(test)]
mod tests;
