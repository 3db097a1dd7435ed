//! The built site as an in-memory map of paths to bytes, and the one writer that puts
//! it on disk.
//!
//! A build only writes once the whole site is in memory, so a failed build never
//! touches `output/`. A first build writes the site beside the output folder and moves
//! it into place. Later builds update the folder in place: unchanged files are left
//! alone, changed ones are all written beside their targets first and then renamed
//! over them, each old file kept aside until every new one is in place (a reader never
//! sees half a file, and a write or a rename that fails, on a full disk say, leaves the
//! previous site whole), and files no longer built are removed. This
//! keeps a rebuild of a thousand pages cheap where deleting and recreating them all
//! would not be. A folder that does not look like stateof's own output is never
//! touched.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The marker file in every output folder stateof writes.
pub const MARKER: &str = ".stateof-build";

/// Site-relative path (`2026-spring/index.html`) → file contents.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Output {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Output {
    /// Adds a file. A path that climbs out of the site or a second file at the same
    /// path is refused, whatever names in the content led to it.
    pub fn add(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Result<()> {
        let path = path.into();
        let escapes = path.starts_with(['/', '\\'])
            || path.contains(':')
            || path
                .split(['/', '\\'])
                .any(|part| part == ".." || part.is_empty());
        if escapes {
            bail!("refusing to write `{path}`: it is not a plain path inside the site");
        }
        if self.files.insert(path.clone(), bytes.into()).is_some() {
            bail!("two files would be written at `{path}` (do two names in the content collide?)");
        }
        Ok(())
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }
}

/// What `write` did besides writing the site.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Written {
    /// Site-relative paths of files a previous build wrote and this one does not, which
    /// were removed (an edition or chapter deleted, renamed, skipped or made a draft).
    pub removed: Vec<String>,
}

impl Written {
    /// The removed HTML pages, if any, as one warning naming them (under `dir`). A
    /// chart's embed page (`EDITION/charts/NAME/index.html`) goes with its edition
    /// unnamed.
    pub fn removed_pages_warning(&self, dir: &Path) -> Option<String> {
        const SHOWN: usize = 10;
        let embed =
            |path: &str| matches!(path.split('/').collect::<Vec<_>>()[..], [_, "charts", _, _]);
        let pages: Vec<String> = (self.removed.iter())
            .filter(|path| path.ends_with(".html") && !embed(path))
            .map(|path| format!("`{}`", dir.join(path).display()))
            .collect();
        if pages.is_empty() {
            return None;
        }
        let more = match pages.len().saturating_sub(SHOWN) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        Some(format!(
            "removed {} page{} that an earlier build published and this one no longer makes: \
             {}{more} (was an edition or chapter deleted, renamed, skipped or made a draft?)",
            pages.len(),
            if pages.len() == 1 { "" } else { "s" },
            pages[..pages.len().min(SHOWN)].join(", ")
        ))
    }
}

/// Writes `output` into `dir`, replacing what was there only once everything is written.
/// Returns the files of a previous build that were removed.
pub fn write(output: &Output, dir: &Path) -> Result<Written> {
    if dir.exists() && !is_replaceable(dir)? {
        bail!(
            "refusing to replace `{}`: it is not empty and has no `{MARKER}` file, so it was \
             not written by stateof (choose another --output)",
            dir.display()
        );
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)
        .with_context(|| format!("failed to create `{}`", parent.display()))?;
    if dir.join(MARKER).is_file() {
        return update(output, dir);
    }
    let name = dir
        .file_name()
        .with_context(|| format!("`{}` is not a folder name", dir.display()))?
        .to_string_lossy()
        .into_owned();
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.old-{}", std::process::id()));
    let result = write_tree(output, &staging).and_then(|()| swap(&staging, dir, &retired));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result.map(|()| Written::default())
}

/// Writes `bytes` to `path` in one step as a reader sees it: into a temporary file
/// beside it, renamed over it, so a reader finds the old file or the new one, never
/// half of one. With `sync`, the bytes reach the disk before the rename (for state a
/// crash must not lose). The one way stateof replaces a file.
pub fn replace_file(path: &Path, bytes: &[u8], sync: bool) -> Result<()> {
    let temp = stage(path, bytes, sync)?;
    fs::rename(&temp, path).map_err(|err| {
        let _ = fs::remove_file(&temp);
        anyhow::Error::new(err).context(format!("failed to write `{}`", path.display()))
    })
}

/// Writes `bytes` to the temporary file beside `path` that will replace it; returns
/// that file's path. On failure, no temporary file is left.
fn stage(path: &Path, bytes: &[u8], sync: bool) -> Result<PathBuf> {
    let temp = temporary(path);
    let written = fs::File::create(&temp).and_then(|mut file| {
        std::io::Write::write_all(&mut file, bytes)?;
        if sync {
            file.sync_all()?;
        }
        Ok(())
    });
    if let Err(err) = written {
        let _ = fs::remove_file(&temp);
        return Err(err).with_context(|| format!("failed to write `{}`", path.display()));
    }
    Ok(temp)
}

/// The temporary file beside `path` that replaces it.
fn temporary(path: &Path) -> PathBuf {
    hidden_beside(path, "stateof-tmp")
}

/// A hidden file beside `path`, named after it, this process and `suffix`.
fn hidden_beside(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.{suffix}", std::process::id()))
}

/// Brings a previous build in `dir` up to date with `output`, in two steps: every new
/// or changed file is first written beside its target, and only when all of them are
/// written (a full disk or an unwritable folder fails here, and the temporary files
/// and new folders go) are they moved into place (`commit`, which puts every old file
/// back if one move fails). So an I/O failure leaves the previous site whole, and a
/// success leaves the new one complete.
fn update(output: &Output, dir: &Path) -> Result<Written> {
    let mut staged = Vec::new();
    let mut created = Vec::new();
    let result = (|| {
        for (path, bytes) in &output.files {
            let target = dir.join(path);
            if fs::read(&target).is_ok_and(|old| &old == bytes) {
                continue;
            }
            if let Some(folder) = target.parent() {
                create_folder(folder, &mut created)?;
            }
            staged.push((stage(&target, bytes, false)?, target));
        }
        Ok(())
    })();
    let result = result.and_then(|()| commit(&staged));
    if let Err(err) = result {
        for (temp, _) in &staged {
            let _ = fs::remove_file(temp);
        }
        for folder in created.iter().rev() {
            let _ = fs::remove_dir(folder);
        }
        return Err(err);
    }
    remove_stale(output, dir)
}

/// Creates `folder` and the folders above it that are missing, noting each (outermost
/// first) in `created`.
fn create_folder(folder: &Path, created: &mut Vec<PathBuf>) -> Result<()> {
    let mut missing: Vec<&Path> = folder.ancestors().take_while(|f| !f.is_dir()).collect();
    missing.reverse();
    for f in missing {
        fs::create_dir(f).with_context(|| format!("failed to create `{}`", f.display()))?;
        created.push(f.to_path_buf());
    }
    Ok(())
}

/// Moves each staged file (temporary, target) over its target, keeping what it
/// replaces aside until all are in place. When one move fails, the files already
/// moved are taken out and the old ones put back, so the site is the old one whole.
fn commit(staged: &[(PathBuf, PathBuf)]) -> Result<()> {
    let mut moved: Vec<(&Path, Option<PathBuf>)> = Vec::new();
    let result = (|| {
        for (temp, target) in staged {
            let kept = match fs::symlink_metadata(target) {
                Ok(_) => {
                    let aside = set_aside(target);
                    fs::rename(target, &aside)
                        .with_context(|| format!("failed to replace `{}`", target.display()))?;
                    Some(aside)
                }
                Err(_) => None,
            };
            moved.push((target, kept));
            fs::rename(temp, target)
                .with_context(|| format!("failed to replace `{}`", target.display()))?;
        }
        Ok(())
    })();
    if result.is_err() {
        for (target, kept) in moved.iter().rev() {
            let _ = fs::remove_file(target);
            if let Some(kept) = kept {
                let _ = fs::rename(kept, target);
            }
        }
        return result;
    }
    for (_, kept) in moved {
        if let Some(kept) = kept {
            let removed = if kept.is_dir() {
                fs::remove_dir_all(&kept)
            } else {
                fs::remove_file(&kept)
            };
            removed.with_context(|| format!("failed to remove `{}`", kept.display()))?;
        }
    }
    Ok(())
}

/// Where `commit` keeps the file that `path`'s new version replaces.
fn set_aside(path: &Path) -> PathBuf {
    hidden_beside(path, "stateof-old")
}

/// Removes the files of `dir` that `output` no longer has, and folders left empty.
fn remove_stale(output: &Output, dir: &Path) -> Result<Written> {
    let mut written = Written::default();
    // Contents first, so that folders emptied of stale files can go too.
    for entry in walkdir::WalkDir::new(dir).min_depth(1).contents_first(true) {
        let entry = entry.with_context(|| format!("failed to read `{}`", dir.display()))?;
        let relative = entry.path().strip_prefix(dir).expect("walked below dir");
        let relative = relative.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_dir() {
            // Fails, as it should, while the folder still holds built files.
            let _ = fs::remove_dir(entry.path());
        } else if relative != MARKER && !output.files.contains_key(&relative) {
            fs::remove_file(entry.path())
                .with_context(|| format!("failed to remove `{}`", entry.path().display()))?;
            written.removed.push(relative);
        }
    }
    written.removed.sort();
    Ok(written)
}

fn is_replaceable(dir: &Path) -> Result<bool> {
    if dir.join(MARKER).is_file() {
        return Ok(true);
    }
    let mut entries =
        fs::read_dir(dir).with_context(|| format!("failed to read `{}`", dir.display()))?;
    Ok(entries.next().is_none())
}

fn write_tree(output: &Output, root: &Path) -> Result<()> {
    fs::create_dir_all(root).with_context(|| format!("failed to create `{}`", root.display()))?;
    let marker = format!("built by stateof {}\n", env!("CARGO_PKG_VERSION"));
    fs::write(root.join(MARKER), marker)
        .with_context(|| format!("failed to write `{}`", root.join(MARKER).display()))?;
    for (path, bytes) in &output.files {
        let target = root.join(path);
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder)
                .with_context(|| format!("failed to create `{}`", folder.display()))?;
        }
        fs::write(&target, bytes)
            .with_context(|| format!("failed to write `{}`", target.display()))?;
    }
    Ok(())
}

fn swap(staging: &Path, dir: &Path, retired: &Path) -> Result<()> {
    let had_old = dir.exists();
    if had_old {
        fs::rename(dir, retired)
            .with_context(|| format!("failed to move the old `{}` aside", dir.display()))?;
    }
    if let Err(err) = fs::rename(staging, dir) {
        if had_old {
            let _ = fs::rename(retired, dir);
        }
        return Err(err)
            .with_context(|| format!("failed to move the new site to `{}`", dir.display()));
    }
    if had_old {
        fs::remove_dir_all(retired)
            .with_context(|| format!("failed to remove `{}`", retired.display()))?;
    }
    Ok(())
}

/// The content type of a site file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "xml" if path.ends_with("atom.xml") => "application/atom+xml",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(text: &str) -> Output {
        let mut out = Output::default();
        out.add("index.html", text).unwrap();
        out.add("a/b.txt", "b").unwrap();
        out
    }

    #[test]
    fn replaces_previous_output_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("output");
        write(&site("one"), &dir).unwrap();
        fs::write(dir.join("stale.html"), "old").unwrap();
        write(&site("two"), &dir).unwrap();
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "two");
        assert!(!dir.join("stale.html").exists());
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "no staging left behind"
        );
    }

    #[test]
    fn updates_in_place_leaving_unchanged_files_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("output");
        let mut first = site("one");
        first.add("old/gone.html", "x").unwrap();
        write(&first, &dir).unwrap();
        let kept = dir.join("a/b.txt");
        let before = fs::metadata(&kept).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let written = write(&site("two"), &dir).unwrap();
        assert_eq!(written.removed, ["old/gone.html"]);
        let warning = written.removed_pages_warning(Path::new("out")).unwrap();
        assert!(
            warning.starts_with(
                "removed 1 page that an earlier build published and this one \
                 no longer makes: `out/old/gone.html` (was an edition"
            ),
            "{warning}"
        );
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "two");
        assert_eq!(fs::metadata(&kept).unwrap().modified().unwrap(), before);
        assert!(
            !dir.join("old").exists(),
            "stale files and their folder are removed"
        );
        assert!(dir.join(MARKER).is_file());
        let names: Vec<_> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !names.iter().any(|n| n.ends_with(".stateof-tmp")),
            "{names:?}"
        );
    }

    #[test]
    fn a_failed_write_leaves_the_previous_site_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("output");
        let site = |text: &str| {
            let mut out = Output::default();
            for path in ["a.html", "b/c.html", "z.html"] {
                out.add(path, format!("{text} {path}")).unwrap();
            }
            if text == "two" {
                out.add("new/folder/d.html", "new").unwrap();
            }
            out
        };
        write(&site("one"), &dir).unwrap();
        // A folder where the last file's temporary copy must go: its write fails, as
        // on a full disk, after the others were written.
        let blocker = temporary(&dir.join("z.html"));
        fs::create_dir(&blocker).unwrap();
        let err = write(&site("two"), &dir).unwrap_err();
        assert!(format!("{err:#}").contains("z.html"), "{err:#}");
        for path in ["a.html", "b/c.html", "z.html"] {
            assert_eq!(
                fs::read_to_string(dir.join(path)).unwrap(),
                format!("one {path}")
            );
        }
        assert!(
            !dir.join("new").exists(),
            "folders made for the new site go"
        );
        fs::remove_dir(&blocker).unwrap();
        let left: Vec<_> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".stateof-tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        write(&site("two"), &dir).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join("z.html")).unwrap(),
            "two z.html"
        );
    }

    #[test]
    fn a_failed_move_puts_every_replaced_file_back() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("output");
        let site = |text: &str, extra: Option<&str>| {
            let mut out = Output::default();
            for path in ["a.html", "b/c.html", "z.html"].into_iter().chain(extra) {
                out.add(path, format!("{text} {path}")).unwrap();
            }
            out
        };
        write(&site("one", None), &dir).unwrap();
        // A full folder where `b/c.html` is kept aside: moving it there fails, as
        // root too, after `a.html` was replaced and with `new/d.html` staged.
        let blocker = set_aside(&dir.join("b/c.html"));
        fs::create_dir_all(blocker.join("full")).unwrap();
        let err = write(&site("two", Some("new/d.html")), &dir).unwrap_err();
        assert!(format!("{err:#}").contains("c.html"), "{err:#}");
        for path in ["a.html", "b/c.html", "z.html"] {
            assert_eq!(
                fs::read_to_string(dir.join(path)).unwrap(),
                format!("one {path}"),
                "{path}"
            );
        }
        assert!(!dir.join("new").exists(), "the new folder is gone");
        fs::remove_dir_all(&blocker).unwrap();
        let left: Vec<_> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with('.') && name != MARKER)
            .collect();
        assert!(left.is_empty(), "{left:?}");
        write(&site("two", Some("new/d.html")), &dir).unwrap();
        for path in ["a.html", "b/c.html", "z.html", "new/d.html"] {
            assert_eq!(
                fs::read_to_string(dir.join(path)).unwrap(),
                format!("two {path}")
            );
        }
        let left: Vec<_> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".stateof-old"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn a_file_replaces_a_folder_of_an_earlier_build() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("output");
        let mut first = Output::default();
        first.add("x/index.html", "folder").unwrap();
        write(&first, &dir).unwrap();
        let mut second = Output::default();
        second.add("x", "file").unwrap();
        write(&second, &dir).unwrap();
        assert_eq!(fs::read_to_string(dir.join("x")).unwrap(), "file");
    }

    #[test]
    fn refuses_a_folder_it_did_not_write() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("precious.txt"), "keep").unwrap();
        let err = write(&site("x"), tmp.path()).unwrap_err();
        assert!(err.to_string().contains("refusing to replace"));
        assert!(tmp.path().join("precious.txt").exists());
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/atom+xml");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("x/charts/c.SVG"), "image/svg+xml");
        assert_eq!(content_type("favicon.ico"), "image/x-icon");
        assert_eq!(content_type("CNAME"), "application/octet-stream");
    }

    #[test]
    fn duplicate_and_escaping_paths_are_refused() {
        let mut out = site("x");
        assert!(out.add("index.html", "again").is_err());
        for bad in [
            "../x.svg",
            "a/../../x",
            "/etc/x",
            "a//b",
            "C:/x",
            "a\\..\\..\\x",
        ] {
            assert!(out.add(bad, "x").is_err(), "{bad}");
        }
    }
}
