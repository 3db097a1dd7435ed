//! `stateof new EDITION --from PREVIOUS`: starts the next season of a report.
//!
//! The previous edition's `index.md` and chapters are copied into `content/EDITION/`
//! with their front matter set for the new season: `date` (today, or the one given),
//! `compare-to` the previous edition, `snapshot` the one given (else the previous
//! edition's, with a warning), `title` when given, `draft = true` when asked, and no
//! `published`. Figures and claims are kept. The comparisons the text made with the
//! previous edition's own `compare-to` (`vs="…"`, `name@…` in claims and
//! `summary-if`) now compare with the previous edition, so that "rose", "fell" and "for
//! the first time" are checked against the last season rather than the one before.
//!
//! What the new edition still needs is said as warnings: a snapshot dated after the
//! edition, the previous edition's snapshot kept, and the sourced figures the text
//! shows that have no value for the new edition (the build refuses those). An existing
//! edition is never overwritten; the new folder is written beside the others and
//! renamed into place, whole or not at all. Nothing here goes online.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::config::{self, Metric};
use crate::content::{self, Edition};
use crate::dates::Date;
use crate::markdown::rewrite::{self, quoted, Change};
use crate::markdown::{self, Document};
use crate::metrics::{stated, Season};
use crate::snapshot::{Manifest, MANIFEST};

/// What `stateof new` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The report project's folder.
    pub root: PathBuf,
    /// The new edition's slug: its folder under `content/`.
    pub edition: String,
    /// The edition it starts from.
    pub from: String,
    pub date: Date,
    /// The new edition's snapshot, relative to the project, if given.
    pub snapshot: Option<String>,
    pub title: Option<String>,
    /// Mark the new edition `draft = true`.
    pub draft: bool,
}

/// What `create` did.
#[derive(Debug, Clone, PartialEq)]
pub struct Created {
    /// The new edition's folder.
    pub folder: PathBuf,
    /// The files written, the index first.
    pub files: Vec<PathBuf>,
    /// The edition whose comparisons were moved to `from`, and how many moved.
    pub moved: Option<(String, usize)>,
    pub warnings: Vec<String>,
}

/// Creates edition `options.edition` from `options.from` in the project at `root`.
pub fn create(options: &Options) -> Result<Created> {
    let root = options.root.as_path();
    check_slug(&options.edition)?;
    let loaded = content::load(root, true)?;
    let Some(previous) = loaded.editions.iter().find(|e| e.slug == options.from) else {
        bail!(
            "there is no edition `{}` to start from{}",
            options.from,
            crate::suggest::did_you_mean(&options.from, loaded.dates.keys())
        );
    };
    let folder = root.join("content").join(&options.edition);
    if folder.exists() {
        bail!(
            "`{}` already exists: stateof new never overwrites an edition; choose another \
             name, or move that folder away",
            folder.display()
        );
    }
    let before = previous.index.front.date;
    if options.date <= before {
        bail!(
            "the new edition must be dated after `{}` ({before}), which it compares to; \
             pass a later --date than {}",
            options.from,
            options.date
        );
    }
    if let Some(snapshot) = &options.snapshot {
        check_snapshot(root, snapshot)?;
    }
    let old = previous
        .index
        .front
        .compare_to
        .as_ref()
        .map(|c| c.value.clone());
    let mut moved = 0;
    let mut files = Vec::new();
    for (doc, is_index) in docs(previous) {
        let text = fs::read_to_string(&doc.path)
            .with_context(|| format!("failed to read `{}`", doc.path.display()))?;
        let name = doc.path.file_name().expect("a content file has a name");
        let path = folder.join(name);
        let (text, n) = season(&text, doc, is_index, old.as_deref(), options)
            .with_context(|| format!("cannot copy `{}`", doc.path.display()))?;
        moved += n;
        let parsed = markdown::parse_document(&path, &text)
            .with_context(|| format!("the copy of `{}` does not read back", doc.path.display()))?;
        files.push((path, text, parsed));
    }
    let mut warnings = snapshot_warnings(options, previous, &files[0].2);
    warnings.extend(sourced_warning(root, options, &loaded.dates, &files)?);
    write(root, &folder, &files)?;
    Ok(Created {
        folder,
        files: files.into_iter().map(|(path, ..)| path).collect(),
        moved: old.map(|slug| (slug, moved)),
        warnings,
    })
}

/// An edition's slug names a folder and appears in URLs: letters, digits, `-` and `_`.
fn check_slug(slug: &str) -> Result<()> {
    let plain = !slug.is_empty()
        && !slug.starts_with('-')
        && (slug.bytes()).all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !plain || slug == "data" {
        bail!(
            "`{slug}` cannot be an edition's name: use letters, digits, `-` and `_` (e.g. \
             2026-fall), and not `data`, which holds the registry"
        );
    }
    Ok(())
}

/// The index, then the chapters, of `edition`; true for the index.
fn docs(edition: &Edition) -> Vec<(&Document, bool)> {
    std::iter::once((&edition.index, true))
        .chain(edition.chapters.iter().map(|c| (&c.doc, false)))
        .collect()
}

/// A snapshot named for the new edition must be there: the file, or the manifest
/// beside it of a snapshot by reference.
fn check_snapshot(root: &Path, snapshot: &str) -> Result<()> {
    let path = root.join(snapshot);
    if path.is_file() || path.with_file_name(MANIFEST).is_file() {
        return Ok(());
    }
    bail!(
        "--snapshot `{snapshot}`: there is no such file, nor a {MANIFEST} beside it (a \
         snapshot by reference); give the path relative to the project, as the front \
         matter names it"
    )
}

/// `text` (the content file `doc`) set for the new season; how many comparisons it
/// moved from edition `old` to the previous edition.
fn season(
    text: &str,
    doc: &Document,
    is_index: bool,
    old: Option<&str>,
    options: &Options,
) -> Result<(String, usize)> {
    let mut changes: Vec<Change> = vec![("date", Some(quoted(&options.date.to_string())))];
    if is_index {
        changes.push(("compare-to", Some(quoted(&options.from))));
        changes.push(("published", None));
        if let Some(snapshot) = &options.snapshot {
            changes.push(("snapshot", Some(quoted(snapshot))));
        }
        if let Some(title) = &options.title {
            changes.push(("title", Some(quoted(title))));
        }
        if options.draft {
            changes.push(("draft", Some("true".to_owned())));
        }
    }
    let mut moved = 0;
    if let (Some(old), Some(guard)) = (old, &doc.front.summary_if) {
        let (condition, n) = rewrite::move_references(&guard.condition, old, &options.from);
        if n > 0 {
            moved += n;
            changes.push(("summary-if", Some(quoted(&condition))));
        }
    }
    let front = &text[..text.len() - doc.body.len()];
    let mut edited = rewrite::edit_front(front, &changes)?;
    match old {
        Some(old) => {
            let (body, n) = rewrite::move_comparisons(&doc.body, old, &options.from);
            moved += n;
            edited.push_str(&body);
        }
        None => edited.push_str(&doc.body),
    }
    Ok((edited, moved))
}

/// The warnings about the new edition's snapshot: the previous edition's kept, or one
/// dated after the new edition.
fn snapshot_warnings(options: &Options, previous: &Edition, index: &Document) -> Vec<String> {
    let Some(snapshot) = &index.front.snapshot else {
        return Vec::new();
    };
    let at = (index.path.as_path(), snapshot.line);
    if options.snapshot.is_none() {
        return vec![format!(
            "{}:{}: edition `{}` keeps the snapshot of `{}` (`{}`): point `snapshot` at this \
             season's data (`stateof refresh --edition {}` moves it to the Hub's newest daily \
             dump), or pass --snapshot",
            at.0.display(),
            at.1,
            options.edition,
            previous.slug,
            snapshot.value,
            options.edition
        )];
    }
    let manifest = options.root.join(&snapshot.value).with_file_name(MANIFEST);
    let taken = fs::read(&manifest)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Manifest>(&bytes).ok())
        .and_then(|m| m.date.parse().ok());
    (taken.and_then(|taken| {
        crate::site::snapshot_after(at, &options.edition, options.date, &snapshot.value, taken)
    }))
    .into_iter()
    .collect()
}

/// A warning naming the sourced figures the new edition's text shows (or its card)
/// that the config states no value for in the new edition.
fn sourced_warning(
    root: &Path,
    options: &Options,
    dates: &BTreeMap<String, Date>,
    files: &[(PathBuf, String, Document)],
) -> Result<Option<String>> {
    let config = config::load(root)?;
    let mut dates = dates.clone();
    dates.insert(options.edition.clone(), options.date);
    let season = Season::of(&dates, &options.edition).expect("the new edition is dated");
    let mut named = std::collections::BTreeSet::new();
    for (_, _, doc) in files {
        named.extend(rewrite::names_in_shortcodes(&doc.body));
        let front = &doc.front;
        let guard = front.summary_if.iter().map(|g| g.condition.as_str());
        named.extend(guard.flat_map(rewrite::names_in));
        named.extend(front.card_figure.iter().map(|c| c.value.clone()));
    }
    let lacking: Vec<String> = (config.figures.iter())
        .filter(|(name, _)| named.contains(*name))
        .filter(|(_, def)| match &def.metric {
            Metric::Sourced { values } => stated(values, &options.edition, &season).is_none(),
            _ => false,
        })
        .map(|(name, _)| format!("`{name}`"))
        .collect();
    if lacking.is_empty() {
        return Ok(None);
    }
    let (figures, which, its, them) = match lacking.len() {
        1 => ("figure", "which has no value", "its", "it"),
        _ => ("figures", "none of which has a value", "each one's", "them"),
    };
    Ok(Some(format!(
        "{}: the text of edition `{}` shows the sourced {figures} {}, {which} for it yet: \
         add one to {its} `values` (`{{ edition = \"{}\", value = …, source = \"…\" }}`), \
         or take {them} out of the text; until then the build fails",
        config.path.display(),
        options.edition,
        lacking.join(", "),
        options.edition,
    )))
}

/// Writes `files` into a hidden folder beside `folder`, then renames it into place.
fn write(root: &Path, folder: &Path, files: &[(PathBuf, String, Document)]) -> Result<()> {
    let name = folder.file_name().expect("an edition's folder has a name");
    let partial = root
        .join("content")
        .join(format!(".{}.partial", name.to_string_lossy()));
    if partial.exists() {
        fs::remove_dir_all(&partial)
            .with_context(|| format!("failed to remove `{}`", partial.display()))?;
    }
    fs::create_dir_all(&partial)
        .with_context(|| format!("failed to create `{}`", partial.display()))?;
    for (path, text, _) in files {
        let file = partial.join(path.file_name().expect("a content file has a name"));
        fs::write(&file, text).with_context(|| format!("failed to write `{}`", file.display()))?;
    }
    fs::rename(&partial, folder).with_context(|| {
        format!(
            "failed to move `{}` to `{}`",
            partial.display(),
            folder.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain_names() {
        for good in ["2026-fall", "autumn_2026", "Q3"] {
            assert!(check_slug(good).is_ok(), "{good}");
        }
        for bad in ["", "data", "-x", "a/b", "..", "a b", "été"] {
            let e = check_slug(bad).unwrap_err().to_string();
            assert!(e.contains("cannot be an edition's name"), "{bad}: {e}");
        }
    }

    fn options(draft: bool) -> Options {
        Options {
            root: PathBuf::new(),
            edition: "2026-fall".into(),
            from: "2026-spring".into(),
            date: "2026-09-01".parse().unwrap(),
            snapshot: Some("snapshots/2026-09-01/manifest-only.parquet".into()),
            title: Some("Fall \"2026\"".into()),
            draft,
        }
    }

    #[test]
    fn the_copy_is_set_for_the_new_season() {
        let text = "+++\ntitle = \"Spring 2026\"\ndate = \"2026-03-20\"\n\
                    summary-if = \"a > a@2025-spring\"\nsnapshot = \"snapshots/old.jsonl\"\n\
                    compare-to = \"2025-spring\"\npublished = 2026-04-01\n+++\n\
                    Up {{ fig(name=\"a\", vs=\"2025-spring\") }} since 2025-spring.\n";
        let path = Path::new("content/2026-spring/index.md");
        let doc = markdown::parse_document(path, text).unwrap();
        let (copy, moved) = season(text, &doc, true, Some("2025-spring"), &options(true)).unwrap();
        assert_eq!(moved, 2);
        let new = markdown::parse_document(path, &copy).unwrap();
        let front = &new.front;
        assert_eq!(front.title, "Fall \"2026\"");
        assert_eq!(front.date.to_string(), "2026-09-01");
        assert_eq!(front.compare_to.as_ref().unwrap().value, "2026-spring");
        assert_eq!(
            front.snapshot.as_ref().unwrap().value,
            "snapshots/2026-09-01/manifest-only.parquet"
        );
        assert_eq!(
            front.summary_if.as_ref().unwrap().condition,
            "a > a@2026-spring"
        );
        assert!(front.published.is_none() && front.draft);
        assert_eq!(
            new.body,
            "Up {{ fig(name=\"a\", vs=\"2026-spring\") }} since 2025-spring.\n"
        );
        let chapter = "+++\ntitle = \"More\"\ndate = \"2026-03-20\"\nweight = 1\n+++\nText.\n";
        let doc = markdown::parse_document(path, chapter).unwrap();
        let (copy, moved) = season(chapter, &doc, false, None, &options(false)).unwrap();
        assert_eq!(moved, 0);
        assert_eq!(copy, chapter.replace("2026-03-20", "2026-09-01"));
    }
}
