//! `stateof serve`: the editor's live preview.
//!
//! Builds the site in memory exactly as `stateof build` would (only the base URL is
//! the server's own, so links work wherever the site will be published), serves it
//! over HTTP from memory, and rebuilds when a file the build read changes. Figures are
//! kept in memory between builds (`site::Reuse`), each under the key of its inputs
//! (the snapshot as read, the definitions, the registry), so which figures a change
//! recomputes follows from the inputs rather than from a guess about the change: an
//! edit to narrative, templates or theme re-renders pages and recomputes nothing; a
//! changed snapshot recomputes the editions it feeds and only those; a changed
//! definition or registry, every edition. The project's small files (config, content,
//! templates, theme) are read again on every build, a few milliseconds. Open pages
//! hear of each build over server-sent events and update themselves; a failed build
//! leaves the last good site in place under an overlay that names the error.
//!
//! The parts: `route` (what a request asks for), `http` (answering it), `state` (what
//! is published), `watch` (what changed, and when to build), `palette` (the figure
//! palette page) and `live.js` (the page's side).

mod http;
mod palette;
mod route;
mod state;
mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::{mpsc, Arc};
use std::time::Instant;

use anyhow::{anyhow, Context, Result};

use crate::diagnostics;
use crate::site::{self, BuildOptions, Built, Reuse, Source};
use state::{Site, State};
use watch::{Changes, Watch, Watched};

/// What `stateof serve` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The build, as `stateof build` would run it; its base URL is replaced.
    pub build: BuildOptions,
    pub interface: IpAddr,
    /// 0 takes any free port.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

/// A build's outcome, as the server publishes it.
type Outcome = Result<Built, Vec<String>>;

/// Serves the project until the process is stopped.
pub fn run(options: Options) -> Result<()> {
    let wanted = SocketAddr::new(options.interface, options.port);
    let server = tiny_http::Server::http(wanted).map_err(|err| {
        anyhow!(
            "cannot listen on {wanted}: {err} (choose another port with --port, or --port 0 \
             for any free one)"
        )
    })?;
    let bound = server
        .server_addr()
        .to_ip()
        .context("the server is not bound to an IP address")?;
    // On all interfaces (0.0.0.0, ::), this machine reaches the site at localhost.
    let address = match bound.ip().is_unspecified() {
        true => format!("http://localhost:{}/", bound.port()),
        false => format!("http://{bound}/"),
    };
    let mut build = options.build.clone();
    build.base_url = Some(address.clone());
    let root = std::env::current_dir()
        .context("cannot find the current folder")?
        .join(&build.root);

    // Watching starts before the first build, so a change made during it is built next.
    let (sender, changes) = mpsc::channel();
    let mut watch = Watch::start(watched(&root, &build, None), sender)?;
    let state = Arc::new(State::new(bound));
    let mut reuse = Reuse::new(&build);
    let start = Instant::now();
    let first = build_once(&build, &mut reuse);
    refresh(&mut watch, &root, &build, &first);
    print_outcome(&first, start, None);
    publish(&state, first);

    println!("serving {address}  (Ctrl-C to stop; figures at {address}_stateof/figures)");
    let _ = std::io::stdout().flush();
    let http_state = Arc::clone(&state);
    std::thread::spawn(move || http::serve(server, http_state));
    if options.open {
        open_browser(&address);
    }

    watch::rebuild_loop(
        &changes,
        watch::LONGEST,
        |changes| {
            if changes.kinds.contains(&watch::Change::Snapshot) {
                for file in &changes.files {
                    reuse.forget(&root.join(file));
                }
            }
            (Instant::now(), build_once(&build, &mut reuse))
        },
        |(start, outcome), changes| {
            refresh(&mut watch, &root, &build, &outcome);
            print_outcome(&outcome, start, Some(changes));
            publish(&state, outcome);
        },
        |changes| {
            eprintln!(
                "a newer change to {} came during the build: building again",
                files(changes)
            )
        },
    );
    Ok(())
}

/// One build; an error or even a panic in it is reported, never the end of the server.
fn build_once(options: &BuildOptions, reuse: &mut Reuse) -> Outcome {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        site::build_again(options, reuse)
    }));
    match result {
        Ok(Ok(built)) => Ok(built),
        Ok(Err(err)) => Err(diagnostics::messages(&err)),
        Err(panic) => {
            let what = (panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(vec![format!(
                "internal error: the build panicked ({what}); this is a bug in stateof"
            )])
        }
    }
}

fn publish(state: &State, outcome: Outcome) {
    match outcome {
        Ok(built) => {
            let warnings = built.summary.warnings.as_slice().to_vec();
            let computed = recomputed(&built).iter().map(|e| e.to_string()).collect();
            let site = Site {
                output: built.output,
                palette: built.palette,
            };
            state.publish_site(site, warnings, computed);
        }
        Err(errors) => {
            state.publish_errors(errors);
        }
    }
}

/// Tells the terminal what a build did: how long it took, what it recomputed, its
/// warnings, or its errors.
fn print_outcome(outcome: &Outcome, start: Instant, changes: Option<&Changes>) {
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let after = changes.map_or_else(String::new, |c| format!(" after a change to {}", files(c)));
    match outcome {
        Ok(built) => {
            let recomputed = recomputed(built);
            let figures = match recomputed.len() {
                0 => "figures reused".to_owned(),
                _ => format!("figures of {} computed", recomputed.join(", ")),
            };
            eprintln!(
                "built {} pages in {ms:.0} ms{after} ({figures})",
                built.summary.pages
            );
            for warning in built.summary.warnings.as_slice() {
                eprintln!("warning: {warning}");
            }
        }
        Err(errors) => {
            for error in errors {
                eprintln!("error: {error}");
            }
            eprintln!("the build failed{after}; the last good site is still served");
        }
    }
}

/// The editions whose figures a build did not find in memory.
fn recomputed(built: &Built) -> Vec<&str> {
    (built.summary.figures.iter())
        .filter(|(_, source)| *source != Source::Memory)
        .map(|(edition, _)| edition.as_str())
        .collect()
}

/// The changed files, briefly: one name, or a count.
fn files(changes: &Changes) -> String {
    match changes.files.len() {
        1 => changes
            .files
            .iter()
            .next()
            .expect("one")
            .display()
            .to_string(),
        n => format!("{n} files"),
    }
}

/// Watches what the project depends on after a build (a snapshot may have moved, a
/// watched folder may have been made anew); a failure to watch is a warning.
fn refresh(watch: &mut Watch, root: &Path, options: &BuildOptions, outcome: &Outcome) {
    if let Err(err) = watch.refresh(Some(watched(root, options, outcome.as_ref().ok()))) {
        eprintln!("warning: {err:#}");
    }
}

/// What to watch: the project's folders, and the data files the build read (or, with
/// no good build, the ones the config and front matter name, as far as they can be
/// read).
fn watched(root: &Path, options: &BuildOptions, built: Option<&Built>) -> Watched {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| root.join(p));
    let files = match built {
        Some(built) => built.summary.data_files.clone(),
        None => site::data_files(options),
    };
    let data = (files.snapshots.iter())
        .flat_map(|file| {
            [
                absolute(file),
                absolute(&file.with_file_name(crate::snapshot::MANIFEST)),
            ]
        })
        .collect();
    Watched {
        root: root.to_path_buf(),
        registry: absolute(&files.registry),
        data,
    }
}

/// Opens `address` in the default browser, or says why it could not.
fn open_browser(address: &str) {
    let command = if cfg!(target_os = "macos") {
        ("open", vec![address])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", address])
    } else {
        ("xdg-open", vec![address])
    };
    let spawned = std::process::Command::new(command.0)
        .args(&command.1)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(err) = spawned {
        eprintln!(
            "warning: could not open a browser ({}: {err}); open {address} yourself",
            command.0
        );
    }
}
