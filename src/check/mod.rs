//! `stateof check [OUTPUT]`: validates a built site as a reader and a feed reader would
//! meet it, and fails naming the page and line of each problem.
//!
//! It checks that internal links and `#anchors` resolve under the base path (a page's
//! link preview image, `og:image`, too, which must be an absolute URL) and that images
//! and inline charts have text alternatives (`pages`), that feeds, the sitemap
//! and SVG files are well-formed XML, that no file shows a local file-system path, and,
//! when the project is at hand, that no number is typed in the narrative where a figure
//! shows it (the figures are read from the site's own `figures.json`) and none is
//! written in words outside a guarded claim ("a third", "doubled"). It reads the
//! site and writes nothing.

mod html;
mod pages;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};

use crate::figures::Figures;
use crate::{config, content, diagnostics, site};

/// What `stateof check` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The built site's folder.
    pub site: PathBuf,
    /// The project it was built from (for its base URL and content), if there is one.
    pub root: PathBuf,
    /// The address the site was built for, overriding the config's `base-url`.
    pub base_url: Option<String>,
}

/// What was checked, for the line `check` prints when all is well.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub pages: usize,
    pub links: usize,
    pub alternatives: usize,
    pub xml: usize,
    pub files: usize,
    /// Content documents read for typed numbers.
    pub documents: usize,
    /// What could not be checked.
    pub warnings: Vec<String>,
}

impl Summary {
    pub fn line(&self, site: &Path) -> String {
        format!(
            "checked `{}`: {} pages, {} links, {} images and charts, {} feeds, sitemaps \
             and SVGs, {} files for local paths, {} documents for typed numbers: no problems",
            site.display(),
            self.pages,
            self.links,
            self.alternatives,
            self.xml,
            self.files,
            self.documents
        )
    }
}

/// Checks the site at `options.site`; every problem found is in the error.
pub fn run(options: &Options) -> Result<Summary> {
    let dir = options.site.as_path();
    if !dir.is_dir() {
        bail!(
            "`{}` is not a folder: build the site first (stateof build), or name its folder",
            dir.display()
        );
    }
    let project = options.root.join(config::FILE_NAME).is_file();
    let config = project.then(|| config::load(&options.root)).transpose()?;
    let base_url = (options.base_url.clone())
        .or_else(|| config.as_ref().map(|c| c.base_url.clone()))
        .unwrap_or_else(|| "/".to_owned());
    let urls = site::Urls::new(&base_url)?;
    let files = list(dir)?;
    let mut summary = Summary::default();
    let mut problems: Vec<anyhow::Error> = Vec::new();
    let mut at = |file: &str, message: String| {
        problems.push(anyhow!("{}:{message}", dir.join(file).display()));
    };

    let texts: BTreeMap<&String, String> = (files.iter())
        .filter_map(|f| Some((f, std::fs::read_to_string(dir.join(f)).ok()?)))
        .collect();
    let pages: BTreeMap<String, pages::Page> = (texts.iter())
        .filter(|(f, _)| f.ends_with(".html"))
        .map(|(f, text)| ((*f).clone(), pages::read(text)))
        .collect();
    let site = pages::Site {
        files: &files,
        pages: &pages,
        base_path: &urls.base_path,
        base_url: &urls.base_url,
    };
    for (path, page) in &pages {
        let (found, counted) = pages::problems(path, page, &site);
        summary.pages += 1;
        summary.links += counted.links;
        summary.alternatives += counted.alternatives;
        for problem in found {
            at(path, problem);
        }
    }
    let local = local_paths(options);
    for (file, text) in &texts {
        summary.files += 1;
        if file.ends_with(".xml") || file.ends_with(".svg") {
            summary.xml += 1;
            if let Err(err) = roxmltree::Document::parse(text) {
                let pos = err.pos();
                at(
                    file,
                    format!("{}:{}: not well-formed XML: {err}", pos.row, pos.col),
                );
            }
        }
        for (line, path) in local_path_in(text, &local) {
            at(
                file,
                format!(
                    "{line}: shows the local file-system path `{path}` (pages should name \
                     files relative to the project)"
                ),
            );
        }
    }
    if project {
        for message in typed_numbers(options, &mut summary)? {
            problems.push(anyhow!("{message}"));
        }
    } else {
        summary.warnings.push(format!(
            "no project at `{}` (no {}): typed numbers not checked; pass --root",
            options.root.display(),
            config::FILE_NAME
        ));
    }
    diagnostics::all(problems.into_iter().map(Err::<(), _>))?;
    Ok(summary)
}

/// Every file under `dir`, relative to it with `/` separators.
fn list(dir: &Path) -> Result<BTreeSet<String>> {
    let mut files = BTreeSet::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.with_context(|| format!("failed to read `{}`", dir.display()))?;
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            files.insert(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(files)
}

/// The folders of this machine whose paths must not show on a page: the project, the
/// site, the working directory, the home and temporary folders.
fn local_paths(options: &Options) -> Vec<String> {
    let mut dirs: Vec<PathBuf> = [options.root.as_path(), options.site.as_path()]
        .iter()
        .filter_map(|p| {
            std::path::absolute(if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            })
            .ok()
        })
        .collect();
    dirs.extend(std::env::current_dir().ok());
    dirs.extend(std::env::var_os("HOME").map(PathBuf::from));
    dirs.push(std::env::temp_dir());
    let mut texts: Vec<String> = (dirs.iter())
        .map(|d| d.to_string_lossy().trim_end_matches(['/', '\\']).to_owned())
        .filter(|d| d.len() > 4)
        .collect();
    texts.sort_by_key(|t| std::cmp::Reverse(t.len()));
    texts.dedup();
    texts
}

/// Where `text` shows a local path: one of `dirs`, or a path under a folder that
/// holds users' files (`/home/…/`, `/Users/…/`, `/tmp/…`, `C:\…`) after a space, quote
/// or bracket. Each as (1-based line, the path up to the next space or quote).
fn local_path_in(text: &str, dirs: &[String]) -> Vec<(usize, String)> {
    const USUAL: [&str; 6] = [
        "/home/",
        "/Users/",
        "/root/",
        "/tmp/",
        "/var/folders/",
        "/private/var/",
    ];
    let boundary = |at: usize| {
        text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || "\"'`(>=[".contains(c))
    };
    let mut found = BTreeMap::new();
    // A whole path, not a piece of a name: `/root` in `me/roots` is not the folder.
    let ends_path = |at: usize| {
        text[at..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || "-_.".contains(c)))
    };
    let starts_path = |at: usize| {
        text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || "-_./".contains(c)))
    };
    for dir in dirs {
        for (at, _) in text.match_indices(dir.as_str()) {
            if starts_path(at) && ends_path(at + dir.len()) {
                found.insert(at, ());
            }
        }
    }
    for prefix in USUAL {
        for (at, _) in text.match_indices(prefix) {
            let next = text[at + prefix.len()..].chars().next();
            if boundary(at) && next.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '_') {
                found.insert(at, ());
            }
        }
    }
    for (at, _) in text.match_indices(":\\") {
        let drive = at.checked_sub(1).and_then(|d| text[d..at].chars().next());
        if drive.is_some_and(|c| c.is_ascii_alphabetic()) && boundary(at - 1) {
            found.insert(at - 1, ());
        }
    }
    (found.into_keys())
        .map(|at| {
            let end = text[at..]
                .find(|c: char| c.is_whitespace() || "\"'<`),;".contains(c))
                .map_or(text.len(), |n| at + n);
            (
                1 + text[..at].matches('\n').count(),
                text[at..end].to_owned(),
            )
        })
        .collect()
}

/// One message per number typed in the project's narrative where a figure shows it,
/// the figures read from the site's `EDITION/figures.json`, and per number written
/// in words outside a guarded claim.
fn typed_numbers(options: &Options, summary: &mut Summary) -> Result<Vec<String>> {
    let editions = content::load(&options.root, true)?.editions;
    let mut figures = BTreeMap::new();
    for edition in &editions {
        let file = options.site.join(&edition.slug).join("figures.json");
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        let parsed: Figures = serde_json::from_slice(&bytes)
            .with_context(|| format!("`{}` is not a figures.json as built", file.display()))?;
        summary.documents += 1 + edition.chapters.len();
        figures.insert(edition.slug.clone(), parsed);
    }
    Ok(site::typed_numbers(&editions, &figures))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_are_found_after_a_boundary() {
        let dirs = vec!["/srv/build/project".to_owned(), "/root".to_owned()];
        let text = "<code>/srv/build/project/snap.jsonl</code>\n<a href=\"/home/\">home</a> \
                    <p>see /home/ann/x.jsonl and C:\\Users\\ann\\x</p>\n\
                    https://example.org/tmp/x and /tmp/y.jsonl, me/roots, x/root/y, /srv/build/projects\n\
                    at /root";
        assert_eq!(
            local_path_in(text, &dirs),
            [
                (1, "/srv/build/project/snap.jsonl".to_owned()),
                (2, "/home/ann/x.jsonl".to_owned()),
                (2, "C:\\Users\\ann\\x".to_owned()),
                (3, "/tmp/y.jsonl".to_owned()),
                (4, "/root".to_owned()),
            ]
        );
    }
}
