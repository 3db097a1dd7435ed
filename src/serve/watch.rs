//! Watching the project and deciding when to rebuild.
//!
//! The watcher sees `content/`, `templates/`, `theme/` and `static/` (whole trees),
//! `stateof.toml`, and each data file the last build read (the registry, every
//! edition's snapshot and its manifest, `--snapshot` files included), by watching
//! their folders and keeping only events about those files. Each event is classified
//! (`Change`): for the terminal, and so that a written snapshot's figures are dropped
//! even if the write kept its size and time; editors' temporary files are ignored. A burst of events (an editor's
//! write-then-rename, a `git checkout` of fifty files) is gathered until the project
//! has been quiet for `QUIET`, then built once. A build overtaken by a newer change
//! is dropped, never published: the newer state is built instead.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::{EventKind, RecursiveMode, Watcher};

/// How long the project must be quiet before a burst of changes is built.
pub const QUIET: Duration = Duration::from_millis(30);
/// The longest a burst is gathered before building anyway, and the longest builds are
/// dropped for newer changes before one is shown anyway.
pub const LONGEST: Duration = Duration::from_secs(2);

/// Folders watched as whole trees, relative to the project root.
const TREES: [&str; 4] = ["content", "templates", "theme", "static"];

/// What kind of input changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Narrative: an edition's or chapter's Markdown.
    Content,
    Templates,
    Theme,
    Static,
    /// `stateof.toml`: figure definitions, charts, site settings.
    Config,
    /// The organisation registry.
    Registry,
    /// A snapshot or its manifest.
    Snapshot,
}

/// The changes gathered for one build.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    pub kinds: BTreeSet<Change>,
    /// Changed files, relative to the project root where inside it.
    pub files: BTreeSet<PathBuf>,
}

impl Changes {
    fn add(&mut self, (kind, file): (Change, PathBuf)) {
        self.kinds.insert(kind);
        self.files.insert(file);
    }
}

/// The files and folders a build depends on.
#[derive(Debug, Clone)]
pub struct Watched {
    /// The project root, absolute.
    pub root: PathBuf,
    /// The registry's path, absolute.
    pub registry: PathBuf,
    /// Snapshot files and their manifests, absolute.
    pub data: BTreeSet<PathBuf>,
}

impl Watched {
    /// The change an event at `path` (absolute) is, if it concerns the build.
    pub fn classify(&self, path: &Path) -> Option<(Change, PathBuf)> {
        let relative = path.strip_prefix(&self.root).unwrap_or(path).to_path_buf();
        let name = path.file_name()?.to_string_lossy();
        if is_temporary(&name) {
            return None;
        }
        let kind = if path == self.registry {
            Change::Registry
        } else if self.data.contains(path) {
            Change::Snapshot
        } else if relative == Path::new(crate::config::FILE_NAME) {
            Change::Config
        } else {
            match relative.components().next()?.as_os_str().to_str()? {
                "content" => Change::Content,
                "templates" => Change::Templates,
                "theme" => Change::Theme,
                "static" => Change::Static,
                _ => return None,
            }
        };
        Some((kind, relative))
    }

    /// Folders to watch: the trees whole, the folders of single files alone.
    fn folders(&self) -> BTreeSet<(PathBuf, bool)> {
        let trees: Vec<PathBuf> = TREES.iter().map(|t| self.root.join(t)).collect();
        let mut folders: BTreeSet<(PathBuf, bool)> = trees
            .iter()
            .filter(|t| t.is_dir())
            .map(|t| (t.clone(), true))
            .collect();
        folders.insert((self.root.clone(), false));
        for file in std::iter::once(&self.registry).chain(&self.data) {
            let Some(folder) = file.parent() else {
                continue;
            };
            if !trees.iter().any(|t| folder.starts_with(t)) && folder.is_dir() {
                folders.insert((folder.to_path_buf(), false));
            }
        }
        folders
    }
}

/// Editors' swap, backup and temporary files (`.x.swp`, `x~`, `4913`, `.#x`).
fn is_temporary(name: &str) -> bool {
    name.starts_with(".#")
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swx", ".tmp", ".crswap", ".stateof-tmp"]
            .iter()
            .any(|s| name.ends_with(s))
        || (name.starts_with('.') && name != ".nojekyll")
}

/// A file watcher that sends each relevant change on a channel.
pub struct Watch {
    watcher: notify::RecommendedWatcher,
    /// (folder, whole tree) → the folder's inode when its watch was set: a folder
    /// removed and made anew is another inode, whose watch must be set again.
    watching: BTreeMap<(PathBuf, bool), u64>,
    watched: std::sync::Arc<std::sync::RwLock<Watched>>,
}

impl Watch {
    /// Starts watching what `watched` names; changes arrive on `sender`.
    pub fn start(watched: Watched, sender: Sender<(Change, PathBuf)>) -> Result<Watch> {
        let shared = std::sync::Arc::new(std::sync::RwLock::new(watched));
        let reader = std::sync::Arc::clone(&shared);
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else {
                return;
            };
            if matches!(event.kind, EventKind::Access(_)) {
                return;
            }
            let watched = reader.read().unwrap_or_else(|e| e.into_inner());
            for path in &event.paths {
                if let Some(change) = watched.classify(path) {
                    let _ = sender.send(change);
                }
            }
        })
        .context("failed to start watching the project's files")?;
        let mut watch = Watch {
            watcher,
            watching: BTreeMap::new(),
            watched: shared,
        };
        watch.refresh(None)?;
        Ok(watch)
    }

    /// Watches what a new build depends on (a snapshot may have moved), and any
    /// watched tree that has appeared since.
    pub fn refresh(&mut self, watched: Option<Watched>) -> Result<()> {
        if let Some(watched) = watched {
            *self.watched.write().unwrap_or_else(|e| e.into_inner()) = watched;
        }
        let wanted = self
            .watched
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .folders();
        for (folder, recursive) in wanted {
            let inode = inode(&folder);
            let key = (folder, recursive);
            match self.watching.get(&key) {
                Some(&seen) if seen == inode => continue,
                Some(_) => {
                    let _ = self.watcher.unwatch(&key.0);
                }
                None => {}
            }
            let mode = if recursive {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            (self.watcher.watch(&key.0, mode))
                .with_context(|| format!("failed to watch `{}`", key.0.display()))?;
            self.watching.insert(key, inode);
        }
        Ok(())
    }
}

/// The inode of a folder (0 where the platform has none).
fn inode(folder: &Path) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(folder).map_or(0, |m| m.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        0
    }
}

/// Builds and publishes until `changes` closes: waits for a change, gathers its
/// burst, builds, and publishes the result unless a newer change arrived meanwhile,
/// in which case the result is dropped and the newer state built. Files that change
/// faster than the project builds do not starve it: once `patience` has passed since
/// the first change, a build is published even if overtaken, and the newer changes
/// are built next.
pub fn rebuild_loop<R>(
    changes: &Receiver<(Change, PathBuf)>,
    patience: Duration,
    mut build: impl FnMut(&Changes) -> R,
    mut publish: impl FnMut(R, &Changes),
    mut dropped: impl FnMut(&Changes),
) {
    let mut pending = Changes::default();
    loop {
        if pending.files.is_empty() {
            match changes.recv() {
                Ok(change) => pending.add(change),
                Err(_) => return,
            }
        }
        let mut gathered = std::mem::take(&mut pending);
        let first = Instant::now();
        loop {
            gather(changes, &mut gathered);
            let result = build(&gathered);
            let newer: Vec<_> = changes.try_iter().collect();
            if newer.is_empty() {
                publish(result, &gathered);
                break;
            }
            if first.elapsed() > patience {
                publish(result, &gathered);
                newer.into_iter().for_each(|change| pending.add(change));
                break;
            }
            newer.into_iter().for_each(|change| gathered.add(change));
            dropped(&gathered);
        }
    }
}

/// Adds changes to `gathered` until none has come for `QUIET` (or for `LONGEST` in
/// all), or the channel has closed.
fn gather(changes: &Receiver<(Change, PathBuf)>, gathered: &mut Changes) {
    let start = Instant::now();
    while start.elapsed() < LONGEST {
        match changes.recv_timeout(QUIET) {
            Ok(change) => gathered.add(change),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn watched() -> Watched {
        Watched {
            root: PathBuf::from("/p"),
            registry: PathBuf::from("/p/content/data/organizations.toml"),
            data: BTreeSet::from([
                PathBuf::from("/p/snapshots/2026/models.jsonl.zst"),
                PathBuf::from("/p/snapshots/2026/manifest.json"),
                PathBuf::from("/elsewhere/big.jsonl"),
            ]),
        }
    }

    #[test]
    fn classifies_each_input() {
        let w = watched();
        let kind = |p: &str| w.classify(Path::new(p)).map(|(k, _)| k);
        assert_eq!(kind("/p/content/2026/index.md"), Some(Change::Content));
        assert_eq!(
            kind("/p/content/data/organizations.toml"),
            Some(Change::Registry)
        );
        assert_eq!(kind("/p/templates/base.html"), Some(Change::Templates));
        assert_eq!(kind("/p/theme/style.css"), Some(Change::Theme));
        assert_eq!(kind("/p/static/CNAME"), Some(Change::Static));
        assert_eq!(kind("/p/stateof.toml"), Some(Change::Config));
        assert_eq!(
            kind("/p/snapshots/2026/models.jsonl.zst"),
            Some(Change::Snapshot)
        );
        assert_eq!(kind("/elsewhere/big.jsonl"), Some(Change::Snapshot));
        for ignored in [
            "/p/output/index.html",
            "/p/.stateof-cache/figures/x.json",
            "/p/snapshots/2025/models.jsonl.zst",
            "/p/content/2026/.index.md.swp",
            "/p/content/2026/index.md~",
            "/p/content/2026/4913",
            "/p/README.md",
        ] {
            assert_eq!(kind(ignored), None, "{ignored}");
        }
        let (_, file) = w.classify(Path::new("/p/content/2026/index.md")).unwrap();
        assert_eq!(file, Path::new("content/2026/index.md"));
    }

    #[test]
    fn a_burst_is_built_once() {
        let (send, receive) = mpsc::channel();
        for i in 0..50 {
            send.send((Change::Content, PathBuf::from(format!("content/{i}.md"))))
                .unwrap();
        }
        send.send((Change::Theme, PathBuf::from("theme/style.css")))
            .unwrap();
        drop(send);
        let mut builds = Vec::new();
        rebuild_loop(
            &receive,
            LONGEST,
            |changes| changes.clone(),
            |built, _| builds.push(built),
            |_| panic!("nothing overtook the build"),
        );
        assert_eq!(builds.len(), 1);
        assert_eq!(builds[0].files.len(), 51);
        assert_eq!(
            builds[0].kinds,
            BTreeSet::from([Change::Content, Change::Theme])
        );
    }

    #[test]
    fn an_overtaken_build_is_dropped_and_the_newer_state_built() {
        let (send, receive) = mpsc::channel();
        send.send((Change::Content, PathBuf::from("content/a.md")))
            .unwrap();
        let mut sender = Some(send);
        let mut calls = 0;
        let mut published = Vec::new();
        let mut dropped = 0;
        rebuild_loop(
            &receive,
            LONGEST,
            |changes| {
                calls += 1;
                match calls {
                    // A save lands while the first build runs.
                    1 => (sender.as_ref().unwrap())
                        .send((Change::Snapshot, PathBuf::from("snapshots/s.jsonl")))
                        .unwrap(),
                    // Closing the channel ends the loop after this build.
                    _ => sender = None,
                }
                (calls, changes.clone())
            },
            |result, _| published.push(result),
            |_| dropped += 1,
        );
        assert_eq!(dropped, 1);
        assert_eq!(published.len(), 1);
        let (call, changes) = &published[0];
        assert_eq!(*call, 2, "the first build's result was not published");
        assert!(changes.kinds.contains(&Change::Content));
        assert!(changes.kinds.contains(&Change::Snapshot));
    }

    #[test]
    fn changes_faster_than_builds_do_not_starve_publishing() {
        let (send, receive) = mpsc::channel();
        send.send((Change::Content, PathBuf::from("content/log.md")))
            .unwrap();
        let mut sender = Some(send);
        let mut calls = 0;
        let mut published = Vec::new();
        rebuild_loop(
            &receive,
            Duration::from_millis(100),
            |_| {
                calls += 1;
                std::thread::sleep(Duration::from_millis(40));
                // A file written during every build, until the tenth.
                match calls {
                    ..10 => (sender.as_ref().unwrap())
                        .send((Change::Content, PathBuf::from("content/log.md")))
                        .unwrap(),
                    _ => sender = None,
                }
                calls
            },
            |result, _| published.push(result),
            |_| {},
        );
        assert!(published.len() >= 2, "{published:?}");
        assert!(
            published[0] < 10,
            "the first build shown came before the writes stopped"
        );
        assert_eq!(
            published.last(),
            Some(&10),
            "the last state is built and shown"
        );
    }
}
