//! The two sides of a diff, read from what the user named: two `figures.json` files,
//! two built sites (each edition's `figures.json`, with the project's guarded claims
//! evaluated against them), or two snapshot files of one project, each built here for
//! one edition as `stateof build --snapshot EDITION=FILE --allow-false-claims` would,
//! so that the site's own claim and data checks speak for the new data.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use super::{compare, FalseClaim, Report};
use crate::figures::Figures;
use crate::{config, content, diagnostics, site, suggest};

/// What `stateof diff` was asked to compare.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub old: PathBuf,
    pub new: PathBuf,
    /// The project two snapshot files are built with (its folder).
    pub root: PathBuf,
    /// Only this edition (for snapshots: the edition they are built as; by default
    /// the latest).
    pub edition: Option<String>,
    /// Hide changes smaller than this (see `compare`).
    pub min_change: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Figures,
    Site,
    Snapshot,
}

impl Kind {
    fn of(path: &Path) -> Result<Kind> {
        if path.is_dir() {
            Ok(Kind::Site)
        } else if !path.exists() {
            bail!("`{}` does not exist", path.display())
        } else if path.extension().is_some_and(|e| e == "json") {
            Ok(Kind::Figures)
        } else {
            Ok(Kind::Snapshot)
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Figures => "figures.json file",
            Kind::Site => "built site",
            Kind::Snapshot => "snapshot file",
        }
    }
}

/// Reads (or builds) both sides and compares them.
pub fn load(inputs: &Inputs) -> Result<Report> {
    let (old, new) = (Kind::of(&inputs.old)?, Kind::of(&inputs.new)?);
    if old != new {
        bail!(
            "`{}` is a {} and `{}` a {}: compare two figures.json files, two built \
             sites or two snapshot files",
            inputs.old.display(),
            old.name(),
            inputs.new.display(),
            new.name()
        );
    }
    let mut report = Report {
        old: inputs.old.display().to_string(),
        new: inputs.new.display().to_string(),
        ..Report::default()
    };
    match old {
        Kind::Figures => {
            let (a, b) = (read_figures(&inputs.old)?, read_figures(&inputs.new)?);
            let edition = (inputs.edition.clone())
                .or_else(|| edition_of(&b))
                .unwrap_or_default();
            report
                .editions
                .push(compare(&edition, &a, &b, inputs.min_change));
        }
        Kind::Site => compare_sites(inputs, &mut report)?,
        Kind::Snapshot => compare_snapshots(inputs, &mut report)?,
    }
    Ok(report)
}

/// Reads a `figures.json` as a build writes it.
fn read_figures(path: &Path) -> Result<Figures> {
    let bytes =
        std::fs::read(path).with_context(|| format!("failed to read `{}`", path.display()))?;
    parse_figures(&bytes).with_context(|| {
        format!(
            "`{}` is not a figures.json as `stateof build` writes it",
            path.display()
        )
    })
}

fn parse_figures(bytes: &[u8]) -> Result<Figures> {
    serde_json::from_slice(bytes)
        .map_err(|err| anyhow::anyhow!("line {}, column {}: {err}", err.line(), err.column()))
}

/// The edition a figures file belongs to, from its figures' provenance.
fn edition_of(figures: &Figures) -> Option<String> {
    let first = figures.values().next()?;
    Some(first.provenance.edition.clone())
}

/// Each edition's figures in a built site: `SLUG/figures.json` for every folder.
fn read_site(dir: &Path) -> Result<BTreeMap<String, Figures>> {
    let mut editions = BTreeMap::new();
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("failed to read `{}`", dir.display()))?;
    for entry in entries {
        let path = entry?.path().join("figures.json");
        if path.is_file() {
            let slug = path.parent().and_then(Path::file_name).unwrap_or_default();
            editions.insert(slug.to_string_lossy().into_owned(), read_figures(&path)?);
        }
    }
    if editions.is_empty() {
        bail!(
            "`{}` holds no `EDITION/figures.json`: is it a site built by `stateof build`?",
            dir.display()
        );
    }
    Ok(editions)
}

fn compare_sites(inputs: &Inputs, report: &mut Report) -> Result<()> {
    let (old, new) = (read_site(&inputs.old)?, read_site(&inputs.new)?);
    if let Some(edition) = &inputs.edition {
        if !old.contains_key(edition) && !new.contains_key(edition) {
            let known = new.keys().chain(old.keys()).map(String::as_str);
            bail!(
                "neither site has edition `{edition}`{}",
                suggest::did_you_mean(edition, known)
            );
        }
    }
    let wanted = |slug: &String| inputs.edition.as_ref().is_none_or(|e| e == slug);
    for (slug, figures) in new.iter().filter(|(slug, _)| wanted(slug)) {
        match old.get(slug) {
            Some(before) => {
                let diff = compare(slug, before, figures, inputs.min_change);
                report.editions.push(diff);
            }
            None => report.remarks.push(format!("edition {slug} is new")),
        }
    }
    for slug in old
        .keys()
        .filter(|slug| wanted(slug) && !new.contains_key(*slug))
    {
        report.remarks.push(format!("edition {slug} is gone"));
    }
    // Latest first, as the site lists editions (slugs sort by date in most projects).
    report.editions.reverse();
    site_claims(inputs, &old, &new, report);
    Ok(())
}

/// Builds the project once with each snapshot as the edition's data.
fn compare_snapshots(inputs: &Inputs, report: &mut Report) -> Result<()> {
    let root = inputs.root.as_path();
    let edition = match &inputs.edition {
        Some(edition) => edition.clone(),
        None => latest_edition(root)?,
    };
    let old = build_with(root, &edition, &inputs.old)?;
    let new = build_with(root, &edition, &inputs.new)?;
    let figures = |built: &site::Built| -> Result<Figures> {
        let file = format!("{edition}/figures.json");
        let bytes = built
            .output
            .get(&file)
            .context("the build wrote no figures")?;
        parse_figures(bytes)
    };
    let diff = compare(
        &edition,
        &figures(&old)?,
        &figures(&new)?,
        inputs.min_change,
    );
    report.editions.push(diff);
    report.false_claims = paired(&old.summary.false_claims, &new.summary.false_claims);
    report.data_notes = new.summary.data_warnings.as_slice().to_vec();
    Ok(())
}

/// The claims false for the new figures, each marked when it was not false for the old.
/// A claim is known by its place, edition and condition (the message up to its values).
fn paired(old: &[String], new: &[String]) -> Vec<FalseClaim> {
    let key = |message: &str| message.split(" (").next().unwrap_or(message).to_owned();
    let before: Vec<String> = old.iter().map(|m| key(m)).collect();
    (new.iter())
        .map(|message| FalseClaim {
            message: message.clone(),
            newly_false: !before.contains(&key(message)),
        })
        .collect()
}

/// The guarded claims of the project at `inputs.root` evaluated against each site's
/// figures. Without a project, or when its narrative does not render with these
/// figures (a site built from other content), a remark says why none are listed.
fn site_claims(
    inputs: &Inputs,
    old: &BTreeMap<String, Figures>,
    new: &BTreeMap<String, Figures>,
    report: &mut Report,
) {
    let root = inputs.root.as_path();
    if !root.join(config::FILE_NAME).is_file() {
        report.remarks.push(format!(
            "guarded claims not evaluated: no project ({}) in `{}` (pass --root)",
            config::FILE_NAME,
            display_root(root)
        ));
        return;
    }
    let evaluate = || -> Result<(Vec<String>, Vec<String>)> {
        let config = config::load(root)?;
        let editions = content::load(root, false)?.editions;
        let charts: Vec<&str> = config.charts.keys().map(String::as_str).collect();
        let new = site::false_claims_for(&editions, new, &charts)?;
        let old = site::false_claims_for(&editions, old, &charts).unwrap_or_default();
        Ok((old, new))
    };
    match evaluate() {
        Ok((old, new)) => {
            let wanted = |message: &String| match &inputs.edition {
                Some(edition) => message.contains(&format!(" for edition {edition}: ")),
                None => true,
            };
            let new: Vec<String> = new.into_iter().filter(wanted).collect();
            report.false_claims = paired(&old, &new);
        }
        Err(err) => report.remarks.push(format!(
            "guarded claims not evaluated: the project's narrative does not render with \
             the new site's figures: {}",
            diagnostics::messages(&err).join("; ")
        )),
    }
}

/// The latest edition of the project at `root` (drafts left out).
fn latest_edition(root: &Path) -> Result<String> {
    let content = content::load(root, false)?;
    let latest = content
        .editions
        .first()
        .context("the project has no edition to build")?;
    Ok(latest.slug.clone())
}

/// The whole site of the project, with `snapshot` as `edition`'s data; false claims are
/// reported, not fatal, and no figure cache is read or written.
fn build_with(root: &Path, edition: &str, snapshot: &Path) -> Result<site::Built> {
    let options = site::BuildOptions {
        root: root.to_path_buf(),
        output: root.join("output"),
        snapshots: BTreeMap::from([(edition.to_owned(), snapshot.to_path_buf())]),
        cache: false,
        allow_false_claims: true,
        ..site::BuildOptions::default()
    };
    site::build(&options).with_context(|| {
        format!(
            "failed to build edition {edition} of the project in `{}` from `{}`",
            display_root(root),
            snapshot.display()
        )
    })
}

fn display_root(root: &Path) -> String {
    if root.as_os_str().is_empty() {
        ".".to_owned()
    } else {
        root.display().to_string()
    }
}
