//! Content discovery: the editions of a report and their chapters.
//!
//! An edition is a folder `content/<slug>/` holding `index.md` (front matter: title,
//! date, summary, snapshot, compare-to) and, optionally, chapter files
//! `content/<slug>/<chapter>.md` shown as pages of their own. `content/data/` holds
//! data files (the organisation registry), not an edition.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::markdown::{self, Document};

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
pub fn load(root: &Path) -> Result<Vec<Edition>> {
    let content = root.join("content");
    let mut editions = Vec::new();
    let entries = std::fs::read_dir(&content)
        .with_context(|| format!("failed to read the content folder `{}`", content.display()))?;
    let mut folders: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir() && path.join("index.md").is_file())
        .collect();
    folders.sort();
    for folder in folders {
        editions.push(load_edition(&folder)?);
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
    Ok(editions)
}

/// Top-level output paths an edition may not take.
const RESERVED: [&str; 6] = ["methodology", "theme", "data", "404", "atom", "sitemap"];

fn load_edition(folder: &Path) -> Result<Edition> {
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
        if path.extension().is_some_and(|e| e == "md") && !path.ends_with("index.md") {
            let chapter = file_stem(&path)?;
            check_slug(&chapter, &path)?;
            let doc = read_document(&path)?;
            for (key, set) in [
                ("snapshot", doc.front.snapshot.is_some()),
                ("compare-to", doc.front.compare_to.is_some()),
            ] {
                if set {
                    bail!(
                        "{}:{}: `{key}` belongs in the edition's index.md; a chapter shares its edition's data",
                        path.display(),
                        line_of_key(&path, key)
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
        let at = || {
            format!(
                "{}:{}",
                doc.path.display(),
                line_of_key(&doc.path, "compare-to")
            )
        };
        let Some(earlier) = editions.iter().find(|e| &e.slug == other) else {
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

/// The 1-based line of `key = …` in the file at `path` (for error messages about a
/// front matter value); line 1 when it cannot be found.
pub fn line_of_key(path: &Path, key: &str) -> usize {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    markdown::key_index(&text, key).map_or(1, |i| i + 1)
}
