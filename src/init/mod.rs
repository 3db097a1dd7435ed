//! `stateof init DIR`: scaffolds a new report project that builds at once.
//!
//! The project gets a config with a few figures and charts, one edition whose
//! narrative shows each shortcode, the organisation registry, the templates, theme and
//! static files a build reads (the same files as this repository's own, compiled into
//! the binary so they never drift), a small synthetic snapshot made by `sample` with
//! its manifest, a README for the report's editors, a `.gitignore`, and GitHub
//! workflows that publish, check and refresh the report. `files` lists the text and
//! bytes (a pure function); `create` checks the folder, writes them and generates the
//! snapshot. Building the result is `site`'s job, not this module's.

use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::{registry, sample};

/// The example edition, as a folder under `content/` and `snapshots/`.
pub const EDITION: &str = "2026-spring";

/// The example snapshot: small enough to commit, large enough for every chart.
pub fn sample_options() -> sample::Options {
    sample::Options {
        models: 5_000,
        datasets: 1_250,
        spaces: 2_500,
        date: "2026-03-15".to_owned(),
        seed: 1,
    }
}

/// Where stateof is installed from by the project's workflows and README.
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// Files written with `@NAME@` placeholders filled in (see `fill`).
const TEXT: &[(&str, &str)] = &[
    ("stateof.toml", include_str!("scaffold/stateof.toml")),
    (
        "content/2026-spring/index.md",
        include_str!("scaffold/content/2026-spring/index.md"),
    ),
    ("README.md", include_str!("scaffold/README.md")),
    (".gitignore", include_str!("scaffold/gitignore")),
    (
        ".github/workflows/pages.yml",
        include_str!("scaffold/github/workflows/pages.yml"),
    ),
    (
        ".github/workflows/ci.yml",
        include_str!("scaffold/github/workflows/ci.yml"),
    ),
    (
        ".github/workflows/refresh.yml",
        include_str!("scaffold/github/workflows/refresh.yml"),
    ),
    (
        ".github/actions/stateof/action.yml",
        include_str!("scaffold/github/actions/stateof/action.yml"),
    ),
];

/// This repository's own templates, theme, static files and registry, copied as they are.
const SHARED: &[(&str, &[u8])] = &[
    (
        "content/data/organizations.toml",
        include_bytes!("../../content/data/organizations.toml"),
    ),
    (
        "templates/404.html",
        include_bytes!("../../templates/404.html"),
    ),
    (
        "templates/atom.xml",
        include_bytes!("../../templates/atom.xml"),
    ),
    (
        "templates/base.html",
        include_bytes!("../../templates/base.html"),
    ),
    (
        "templates/card.svg",
        include_bytes!("../../templates/card.svg"),
    ),
    (
        "templates/edition.html",
        include_bytes!("../../templates/edition.html"),
    ),
    (
        "templates/embed.html",
        include_bytes!("../../templates/embed.html"),
    ),
    (
        "templates/home.html",
        include_bytes!("../../templates/home.html"),
    ),
    (
        "templates/methodology.html",
        include_bytes!("../../templates/methodology.html"),
    ),
    (
        "templates/sitemap.xml",
        include_bytes!("../../templates/sitemap.xml"),
    ),
    (
        "templates/partials/chart.html",
        include_bytes!("../../templates/partials/chart.html"),
    ),
    ("theme/style.css", include_bytes!("../../theme/style.css")),
    ("theme/site.js", include_bytes!("../../theme/site.js")),
    (
        "static/favicon.ico",
        include_bytes!("../../static/favicon.ico"),
    ),
    (
        "static/favicon.svg",
        include_bytes!("../../static/favicon.svg"),
    ),
];

/// What `create` made.
#[derive(Debug)]
pub struct Created {
    /// Paths relative to the project folder, `/`-separated, in the order written.
    pub files: Vec<String>,
}

/// The scaffold's files for a project in a folder named `name`: path (relative,
/// `/`-separated) and contents. The snapshot is not among them (see `create`).
pub fn files(name: &str) -> Vec<(String, Vec<u8>)> {
    let text = TEXT
        .iter()
        .map(|(path, text)| (path.to_string(), fill(text, name).into_bytes()));
    let shared = SHARED
        .iter()
        .map(|(path, bytes)| (path.to_string(), bytes.to_vec()));
    text.chain(shared).collect()
}

/// Replaces the scaffold's placeholders: the base URL (a GitHub project site named
/// like the folder), the example edition, and the stateof version and repository
/// the workflows install.
fn fill(text: &str, name: &str) -> String {
    text.replace("@BASE_URL@", &base_url(name))
        .replace("@EDITION@", EDITION)
        .replace("@STATEOF_VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@STATEOF_REPOSITORY@", REPOSITORY)
}

/// `https://your-org.github.io/NAME/`, as GitHub Pages serves a repository named like
/// the folder; `report` when the folder's name cannot be a repository's.
pub fn base_url(name: &str) -> String {
    let valid = !name.is_empty()
        && !name.starts_with('.')
        && (name.chars()).all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    let repo = if valid { name } else { "report" };
    format!("https://your-org.github.io/{repo}/")
}

/// Creates the project in `dir`, which must not exist or be empty (a `.git` folder
/// alone is allowed, for a freshly cloned repository), and generates its snapshot.
pub fn create(dir: &Path) -> Result<Created> {
    refuse_non_empty(dir)?;
    let name = project_name(dir)?;
    let mut written = Vec::new();
    for (path, bytes) in files(&name) {
        write(&dir.join(&path), &bytes)?;
        written.push(path);
    }
    let snapshot = format!("snapshots/{EDITION}/models.jsonl.zst");
    let registry = registry::load(&dir.join(crate::config::default_registry()))?;
    let options = sample_options();
    sample::write(&options, &registry, &dir.join(&snapshot))
        .with_context(|| format!("failed to generate the example snapshot `{snapshot}`"))?;
    relative_source(dir, &options, &snapshot)?;
    for name in [crate::authors::FILE, crate::snapshot::MANIFEST] {
        written.push(format!("snapshots/{EDITION}/{name}"));
    }
    written.push(snapshot);
    Ok(Created { files: written })
}

/// Makes the manifest's `source` name the command that regenerates the snapshot from
/// the project's root (`--out snapshots/…`), not from wherever `init` ran.
fn relative_source(dir: &Path, options: &sample::Options, snapshot: &str) -> Result<()> {
    let path = dir.join(format!("snapshots/{EDITION}/{}", crate::snapshot::MANIFEST));
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("failed to read `{}`", path.display()))?;
    let mut manifest: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("`{}` is not JSON", path.display()))?;
    let source = format!(
        "synthetic: generated by `{}`, not measured on the Hub",
        options.command(Path::new(snapshot))
    );
    manifest["source"] = serde_json::Value::String(source);
    let mut text = serde_json::to_string_pretty(&manifest)?;
    text.push('\n');
    write(&path, text.as_bytes())
}

/// The folder's own name (of its absolute path, so that `.` has one too).
fn project_name(dir: &Path) -> Result<String> {
    let absolute = std::path::absolute(dir)
        .with_context(|| format!("failed to resolve `{}`", dir.display()))?;
    let name = absolute.file_name().and_then(|n| n.to_str()).unwrap_or("");
    Ok(name.to_owned())
}

fn refuse_non_empty(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        bail!(
            "`{}` is a file; name a new or empty folder for the project",
            dir.display()
        );
    }
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("failed to read the folder `{}`", dir.display()))?;
    let mut names: Vec<String> = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("failed to read `{}`", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != ".git" {
            names.push(name);
        }
    }
    names.sort();
    if let Some(first) = names.first() {
        bail!(
            "`{}` is not empty (it holds `{first}`{}); stateof init only creates a project \
             in a new or empty folder, so that it never overwrites a file",
            dir.display(),
            match names.len() {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            }
        );
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("failed to create the folder `{}`", parent.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("failed to write `{}`", path.display()))
}

#[cfg(test)]
mod tests;
