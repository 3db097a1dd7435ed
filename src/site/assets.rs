//! Files copied as they are: the theme (CSS, fonts, icons) to `theme/`, and the
//! project's `static/` folder (CNAME, favicon, robots.txt) to the site root.
//!
//! A symbolic link is followed only when it leads to somewhere inside the project
//! folder; one that leads outside (or nowhere) is skipped with a warning, so a build
//! never publishes a file from elsewhere on the machine. A static file may not take
//! the path of a file the site builds. Reads files; writes nothing.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::diagnostics::{self, Warnings};
use crate::output::Output;

/// The project folder copied to the site root.
pub const STATIC: &str = "static";

/// Files to copy: path relative to their folder (`/`-separated) and contents.
pub type Files = Vec<(String, Vec<u8>)>;

/// Copies the theme's files to `theme/` in the output.
pub fn add_theme(root: &Path, output: &mut Output, warnings: &mut Warnings) -> Result<()> {
    let dir = root.join("theme");
    if !dir.is_dir() {
        bail!(
            "the project has no `{}` folder; a report needs its theme (copy it from the \
             stateof repository to start)",
            dir.display()
        );
    }
    for (path, bytes) in read_tree(root, &dir, warnings)? {
        output.add(format!("theme/{path}"), bytes)?;
    }
    Ok(())
}

/// The files of `root/static`, if the project has that folder.
pub fn read_static(root: &Path, warnings: &mut Warnings) -> Result<Files> {
    let dir = root.join(STATIC);
    if !dir.is_dir() {
        return Ok(Files::new());
    }
    read_tree(root, &dir, warnings)
}

/// Adds the static files at the site root, after everything the site builds: a static
/// file at the path of a built one is an error naming both.
pub fn add_static(root: &Path, files: Files, output: &mut Output) -> Result<()> {
    let collisions = files
        .iter()
        .filter(|(path, _)| output.get(path).is_some())
        .map(|(path, _)| {
            Err(anyhow::anyhow!(
                "`{}` collides with `{path}`, which stateof builds itself; rename or remove \
                 the static file",
                root.join(STATIC).join(path).display()
            ))
        });
    diagnostics::all(collisions.collect::<Vec<Result<()>>>())?;
    for (path, bytes) in files {
        output.add(path, bytes)?;
    }
    Ok(())
}

/// Every file under `dir` (inside the project `root`), sorted by path.
fn read_tree(root: &Path, dir: &Path, warnings: &mut Warnings) -> Result<Files> {
    let project = canonical(root)?;
    let mut skipped = Vec::new();
    let mut files = Files::new();
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if !entry.path_is_symlink() {
                return true;
            }
            match outside(&project, entry.path()) {
                Some(why) => {
                    skipped.push(format!(
                        "{}: skipped: {why}; stateof follows links only within the project \
                         folder (copy the file in instead)",
                        entry.path().display()
                    ));
                    false
                }
                None => true,
            }
        });
    let mut unusable = Vec::new();
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                unusable.push(
                    unusable_link(err)
                        .with_context(|| format!("failed to read `{}`", dir.display()))?,
                );
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).expect("walked below dir");
        let bytes = std::fs::read(entry.path())
            .with_context(|| format!("failed to read `{}`", entry.path().display()))?;
        files.push((relative.to_string_lossy().replace('\\', "/"), bytes));
    }
    for warning in skipped.into_iter().chain(unusable) {
        warnings.push(warning);
    }
    Ok(files)
}

/// A warning for a link the walk could not follow (it leads nowhere, or into a loop),
/// or the error itself when it is not about a link.
fn unusable_link(err: walkdir::Error) -> Result<String> {
    let is_link = err
        .path()
        .and_then(|path| path.symlink_metadata().ok())
        .is_some_and(|meta| meta.file_type().is_symlink());
    match err.path() {
        Some(path) if is_link || err.loop_ancestor().is_some() => {
            let why = if err.loop_ancestor().is_some() {
                "a symbolic link that loops back to a folder above it"
            } else {
                "a symbolic link that leads nowhere"
            };
            Ok(format!("{}: skipped: {why}", path.display()))
        }
        _ => Err(err.into()),
    }
}

/// Why the link at `link` may not be followed: it leads outside `project` or nowhere.
fn outside(project: &Path, link: &Path) -> Option<String> {
    match link.canonicalize() {
        Ok(target) if target.starts_with(project) => None,
        Ok(target) => Some(format!(
            "a symbolic link to `{}`, outside the project folder",
            target.display()
        )),
        Err(_) => Some("a symbolic link that leads nowhere".to_owned()),
    }
}

fn canonical(root: &Path) -> Result<PathBuf> {
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    root.canonicalize()
        .with_context(|| format!("failed to resolve the project folder `{}`", root.display()))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_are_followed_only_inside_the_project() {
        let outside_dir = tempfile::tempdir().unwrap();
        fs::write(outside_dir.path().join("secret.txt"), "secret").unwrap();
        let project = tempfile::tempdir().unwrap();
        let root = project.path();
        fs::create_dir_all(root.join("static/sub")).unwrap();
        fs::create_dir_all(root.join("shared")).unwrap();
        fs::write(root.join("static/CNAME"), "report.example.org\n").unwrap();
        fs::write(root.join("static/sub/robots.txt"), "User-agent: *\n").unwrap();
        fs::write(root.join("shared/logo.svg"), "<svg/>").unwrap();
        symlink(root.join("shared/logo.svg"), root.join("static/logo.svg")).unwrap();
        symlink(root.join("shared"), root.join("static/shared")).unwrap();
        symlink(
            outside_dir.path().join("secret.txt"),
            root.join("static/leak.txt"),
        )
        .unwrap();
        symlink(outside_dir.path(), root.join("static/away")).unwrap();
        symlink(root.join("missing"), root.join("static/broken")).unwrap();

        let mut warnings = Warnings::default();
        let files = read_static(root, &mut warnings).unwrap();
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            ["CNAME", "logo.svg", "shared/logo.svg", "sub/robots.txt"]
        );
        let warnings = warnings.as_slice().join("\n");
        for name in ["static/leak.txt", "static/away", "static/broken"] {
            assert!(warnings.contains(name), "{name}: {warnings}");
        }
        assert!(
            warnings.contains("outside the project folder"),
            "{warnings}"
        );
        assert!(!warnings.contains("secret\n") && !warnings.contains("logo"));
    }

    #[test]
    fn a_static_file_may_not_replace_a_built_one() {
        let mut output = Output::default();
        output.add("404.html", "built").unwrap();
        let files = vec![
            ("404.html".to_owned(), b"mine".to_vec()),
            ("CNAME".to_owned(), b"x".to_vec()),
        ];
        let err = add_static(Path::new("proj"), files, &mut output).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`proj/static/404.html` collides with `404.html`, which stateof builds itself; \
             rename or remove the static file"
        );
        let mut output = Output::default();
        let files = vec![("CNAME".to_owned(), b"x".to_vec())];
        add_static(Path::new("proj"), files, &mut output).unwrap();
        assert_eq!(output.get("CNAME"), Some(&b"x"[..]));
    }
}
