//! Content discovery: the editions of a report and their chapters.
//!
//! An edition is a folder `content/<slug>/` holding `index.md` (front matter: title,
//! date, summary, snapshot, compare-to) and, optionally, chapter files
//! `content/<slug>/<chapter>.md` shown as pages of their own. `content/data/` holds
//! data files (the organisation registry), not an edition.
//!
//! Nothing is skipped silently: a folder without `index.md` (or with `_index.md` or
//! `index.markdown` instead), a file directly under `content/`, and a subfolder or a
//! Markdown-looking file that is not `.md` among an edition's chapters are each a
//! warning naming it and saying what stateof expects. Hidden entries (`.git`,
//! `.DS_Store`) are ignored. Editions and chapters marked `draft = true` are left out
//! unless drafts are asked for.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::dates::Date;
use crate::diagnostics::Warnings;
use crate::markdown::{self, Document};

/// The folder under `content/` that holds data files, not an edition.
const DATA_FOLDER: &str = "data";

/// Extensions of files that look like narrative but are not read (chapters are `.md`).
const CONTENT_LIKE: [&str; 8] = [
    "markdown", "mdown", "mkd", "mkdn", "mdx", "html", "htm", "txt",
];

/// What `load` found: the editions to build (latest first) and the warnings about what
/// it skipped.
#[derive(Debug, Clone)]
pub struct Content {
    pub editions: Vec<Edition>,
    /// Every edition's date by slug, drafts included even when they are left out: an
    /// edition's season (`metrics::Season`) does not depend on whether drafts are built.
    pub dates: BTreeMap<String, Date>,
    pub warnings: Warnings,
}

/// One edition of the report.
#[derive(Debug, Clone)]
pub struct Edition {
    /// The folder name, used in URLs: `2026-spring`.
    pub slug: String,
    pub index: Document,
    /// Chapter pages in reading order (front matter `weight`, then file name).
    pub chapters: Vec<Chapter>,
}

#[derive(Debug, Clone)]
pub struct Chapter {
    /// The file stem, used in URLs: `geography`.
    pub slug: String,
    pub doc: Document,
}

/// Finds every edition under `root/content`, latest first (by front matter date).
/// Drafts (`draft = true`) are left out unless `drafts` is true.
pub fn load(root: &Path, drafts: bool) -> Result<Content> {
    let content = root.join("content");
    let mut warnings = Warnings::default();
    let mut editions = Vec::new();
    for folder in edition_folders(&content, &mut warnings)? {
        editions.push(load_edition(&folder, &mut warnings)?);
    }
    if editions.is_empty() {
        bail!(
            "no editions found: expected `{}/<edition>/index.md`",
            content.display()
        );
    }
    editions.sort_by(|a, b| {
        (b.index.front.date, b.slug.as_str()).cmp(&(a.index.front.date, a.slug.as_str()))
    });
    check_compare_to(&editions)?;
    let dates = (editions.iter())
        .map(|e| (e.slug.clone(), e.index.front.date))
        .collect();
    if !drafts {
        editions = leave_out_drafts(editions)?;
    }
    Ok(Content {
        editions,
        dates,
        warnings,
    })
}

/// The edition folders under `content` (holding `index.md`), sorted; a warning for
/// every other entry that is not hidden and not the data folder.
fn edition_folders(content: &Path, warnings: &mut Warnings) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(content)
        .with_context(|| format!("failed to read the content folder `{}`", content.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| !is_hidden(path))
        .collect();
    paths.sort();
    let mut folders = Vec::new();
    for path in paths {
        if !path.is_dir() {
            warnings.push(format!(
                "{}: skipped: stateof reads editions, `content/<edition>/index.md`, and \
                 chapters beside them, `content/<edition>/<chapter>.md`; move it into an \
                 edition's folder to make it a chapter",
                path.display()
            ));
        } else if path.join("index.md").is_file() {
            folders.push(path);
        } else if !path.ends_with(DATA_FOLDER) {
            warnings.push(not_an_edition(&path));
        }
    }
    Ok(folders)
}

/// The warning for a folder under `content/` without `index.md`.
fn not_an_edition(folder: &Path) -> String {
    let near_miss = [
        "_index.md",
        "index.markdown",
        "index.mdown",
        "Index.md",
        "INDEX.md",
    ]
    .iter()
    .map(|name| folder.join(name))
    .find(|path| path.is_file());
    match near_miss {
        Some(path) => format!(
            "{}: skipped: an edition's page must be named `index.md`; rename it to `{}`",
            path.display(),
            folder.join("index.md").display()
        ),
        None => format!(
            "{}: skipped: the folder has no `index.md`, so it is not an edition (an edition \
             is `content/<edition>/index.md`; `content/{DATA_FOLDER}/` holds data files)",
            folder.display()
        ),
    }
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name.to_string_lossy().starts_with('.'))
}

/// The editions and chapters not marked `draft = true`; an error if a published edition
/// compares to a draft, which would then be missing.
fn leave_out_drafts(editions: Vec<Edition>) -> Result<Vec<Edition>> {
    for edition in editions.iter().filter(|e| !e.index.front.draft) {
        let doc = &edition.index;
        let Some(other) = &doc.front.compare_to else {
            continue;
        };
        if editions
            .iter()
            .any(|e| e.slug == other.value && e.index.front.draft)
        {
            bail!(
                "{}:{}: `compare-to` names `{other}`, a draft (`draft = true`) that this build \
                 leaves out; publish it, compare to another edition, or build with --drafts",
                doc.path.display(),
                other.line
            );
        }
    }
    let published: Vec<Edition> = editions
        .into_iter()
        .filter(|e| !e.index.front.draft)
        .map(|mut e| {
            e.chapters.retain(|c| !c.doc.front.draft);
            e
        })
        .collect();
    if published.is_empty() {
        bail!("every edition is a draft (`draft = true`), so there is nothing to build; build with --drafts to see them");
    }
    Ok(published)
}

/// Top-level output paths an edition may not take.
const RESERVED: [&str; 6] = ["methodology", "theme", "data", "404", "atom", "sitemap"];

fn load_edition(folder: &Path, warnings: &mut Warnings) -> Result<Edition> {
    let slug = file_stem(folder)?;
    check_slug(&slug, folder)?;
    if RESERVED.contains(&slug.as_str()) {
        bail!(
            "`{}`: `{slug}` cannot name an edition, the site uses that path for itself",
            folder.display()
        );
    }
    let index = read_document(&folder.join("index.md"))?;
    let mut chapters = Vec::new();
    for entry in walkdir::WalkDir::new(folder)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
    {
        let path = entry
            .with_context(|| format!("failed to read `{}`", folder.display()))?
            .into_path();
        if is_hidden(&path) || path.ends_with("index.md") {
            continue;
        }
        if path.is_dir() {
            warnings.push(format!(
                "{}: skipped: chapters are `.md` files directly in the edition's folder; \
                 stateof does not read subfolders",
                path.display()
            ));
            continue;
        }
        if let Some(ext) = path
            .extension()
            .filter(|e| CONTENT_LIKE.contains(&e.to_string_lossy().as_ref()))
        {
            warnings.push(format!(
                "{}: skipped: chapters are `.md` files, not `.{}` ones; rename it to `{}` to \
                 make it a chapter",
                path.display(),
                ext.to_string_lossy(),
                path.with_extension("md").display()
            ));
            continue;
        }
        if path.extension().is_some_and(|e| e == "md") {
            let chapter = file_stem(&path)?;
            check_slug(&chapter, &path)?;
            let doc = read_document(&path)?;
            for (key, value, shares) in [
                ("snapshot", line_of(&doc.front.snapshot), "data"),
                ("compare-to", line_of(&doc.front.compare_to), "data"),
                (
                    "card-figure",
                    line_of(&doc.front.card_figure),
                    "social card",
                ),
                ("published", line_of(&doc.front.published), "publication"),
            ] {
                if let Some(line) = value {
                    bail!(
                        "{}:{line}: `{key}` belongs in the edition's index.md; a chapter shares its edition's {shares}",
                        path.display(),
                    );
                }
            }
            chapters.push(Chapter { slug: chapter, doc });
        }
    }
    chapters.sort_by_key(|c| c.doc.front.weight.unwrap_or(i64::MAX));
    Ok(Edition {
        slug,
        index,
        chapters,
    })
}

fn read_document(path: &Path) -> Result<Document> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("failed to read `{}`", path.display()))?;
    markdown::parse_document(path, &text)
}

fn file_stem(path: &Path) -> Result<String> {
    path.file_stem()
        .and_then(|s| s.to_str())
        .map(str::to_owned)
        .with_context(|| format!("`{}` has no usable name", path.display()))
}

/// Slugs become URL path segments: lowercase letters, digits and dashes only.
fn check_slug(slug: &str, path: &Path) -> Result<()> {
    let ok = !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !ok {
        bail!(
            "`{}`: the name `{slug}` is used in URLs, so it may hold only lowercase letters, \
             digits and dashes",
            path.display()
        );
    }
    Ok(())
}

fn check_compare_to(editions: &[Edition]) -> Result<()> {
    for edition in editions {
        let Some(other) = &edition.index.front.compare_to else {
            continue;
        };
        let doc = &edition.index;
        let at = || format!("{}:{}", doc.path.display(), other.line);
        let Some(earlier) = editions.iter().find(|e| e.slug == other.value) else {
            bail!(
                "{}: `compare-to` names unknown edition `{other}`{}",
                at(),
                crate::suggest::did_you_mean(other, editions.iter().map(|e| e.slug.as_str()))
            );
        };
        if earlier.index.front.date >= doc.front.date {
            bail!(
                "{}: `compare-to` must name an earlier edition, but `{other}` is dated {} and \
                 this edition {}",
                at(),
                earlier.index.front.date,
                doc.front.date
            );
        }
    }
    Ok(())
}

/// The line a front matter value was written on, if it was.
fn line_of<T>(value: &Option<markdown::Lined<T>>) -> Option<usize> {
    value.as_ref().map(|v| v.line)
}
