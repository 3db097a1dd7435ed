//! What the preview server shows right now, and the browsers listening for changes.
//!
//! The rebuild loop is the only writer: it publishes each finished build (a new site,
//! or errors over the last good one) and every open page hears of it through its
//! event stream. Request threads only read the current state, an `Arc` swapped whole,
//! so a request never sees half of one build and half of another.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::atomic::AtomicUsize;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, RwLock};

use serde::Serialize;

use crate::output::Output;
use crate::site::palette;

/// The last good site.
#[derive(Debug, Default)]
pub struct Site {
    pub output: Output,
    pub palette: Vec<palette::Row>,
}

/// One published state: the last good site (none before the first good build) and
/// what the latest build said.
#[derive(Debug, Default)]
pub struct Current {
    pub site: Option<Arc<Site>>,
    /// Counts published states from 1; pages carry it to tell what they missed.
    pub generation: u64,
    pub report: Report,
}

/// What a browser is told after each build.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub generation: u64,
    /// Site files that differ from the previous good site.
    pub changed: Vec<String>,
    /// The latest build's errors (empty when it succeeded).
    pub errors: Vec<Message>,
    pub warnings: Vec<Message>,
    /// Editions whose figures this build computed or read from the disk cache rather
    /// than reusing them from memory.
    pub computed: Vec<String>,
}

/// An error or warning as the terminal prints it, with its place picked out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    /// The whole text, as printed after `error: ` or `warning: `.
    pub text: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl Message {
    /// Picks `PATH:LINE[:COL]: ` off the front of `text`, where there is one.
    pub fn new(text: String) -> Message {
        let (file, line, column) = match locate(&text) {
            Some((file, line, column)) => (Some(file.to_owned()), Some(line), column),
            None => (None, None, None),
        };
        Message {
            text,
            file,
            line,
            column,
        }
    }
}

/// `(path, line, column)` of a message that starts `PATH:LINE[:COL]: `.
fn locate(text: &str) -> Option<(&str, u32, Option<u32>)> {
    let (place, _) = text.split_once(": ")?;
    let number = |s: &str| s.parse::<u32>().ok();
    let (rest, last) = place.rsplit_once(':')?;
    let last = number(last)?;
    match rest.rsplit_once(':') {
        Some((file, line)) if !file.is_empty() && number(line).is_some() => {
            Some((file, number(line)?, Some(last)))
        }
        _ if !rest.is_empty() => Some((rest, last, None)),
        _ => None,
    }
}

/// The server's shared state.
#[derive(Debug)]
pub struct State {
    pub bound: SocketAddr,
    current: RwLock<Arc<Current>>,
    listeners: Mutex<Vec<Sender<Arc<Report>>>>,
    /// Event streams open now (a closed one is noticed at its next write).
    pub streams: AtomicUsize,
}

impl State {
    pub fn new(bound: SocketAddr) -> State {
        State {
            bound,
            current: RwLock::new(Arc::new(Current::default())),
            listeners: Mutex::new(Vec::new()),
            streams: AtomicUsize::new(0),
        }
    }

    pub fn current(&self) -> Arc<Current> {
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Publishes a good build: its site replaces the last one.
    pub fn publish_site(
        &self,
        site: Site,
        warnings: Vec<String>,
        computed: Vec<String>,
    ) -> Arc<Report> {
        // Compared outside the lock: requests keep being answered meanwhile, and the
        // rebuild loop is the only writer, so nothing else changes the site.
        let changed = changed_files(self.current().site.as_deref(), &site);
        self.publish(|_| {
            let report = Report {
                changed,
                warnings: warnings.into_iter().map(Message::new).collect(),
                computed,
                ..Report::default()
            };
            (Some(Arc::new(site)), report)
        })
    }

    /// Publishes a failed build: the last good site stays, under its errors.
    pub fn publish_errors(&self, errors: Vec<String>) -> Arc<Report> {
        self.publish(|previous| {
            let report = Report {
                errors: errors.into_iter().map(Message::new).collect(),
                ..Report::default()
            };
            (previous.site.clone(), report)
        })
    }

    /// Makes the state `next` gives the current one, numbered, and tells listeners.
    fn publish(&self, next: impl FnOnce(&Current) -> (Option<Arc<Site>>, Report)) -> Arc<Report> {
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        let (site, mut report) = next(&current);
        let generation = current.generation + 1;
        report.generation = generation;
        *current = Arc::new(Current {
            site,
            generation,
            report: report.clone(),
        });
        drop(current);
        let report = Arc::new(report);
        let mut listeners = self.listeners.lock().unwrap_or_else(|e| e.into_inner());
        listeners.retain(|listener| listener.send(Arc::clone(&report)).is_ok());
        report
    }

    /// A new listener for published reports, first told the current one.
    pub fn listen(&self) -> Receiver<Arc<Report>> {
        let (sender, receiver) = mpsc::channel();
        let mut listeners = self.listeners.lock().unwrap_or_else(|e| e.into_inner());
        let _ = sender.send(Arc::new(self.current().report.clone()));
        listeners.push(sender);
        receiver
    }
}

/// Files of `next` that are new or differ from `previous`, and files it no longer has;
/// the figure palette (`_stateof/figures`) too when any figure in it changed.
fn changed_files(previous: Option<&Site>, next: &Site) -> Vec<String> {
    let Some(previous) = previous else {
        return next.output.files.keys().cloned().collect();
    };
    let (old, new) = (&previous.output.files, &next.output.files);
    let mut changed: BTreeSet<String> = (new.iter())
        .filter(|(path, bytes)| old.get(*path) != Some(*bytes))
        .map(|(path, _)| path.clone())
        .collect();
    changed.extend(old.keys().filter(|path| !new.contains_key(*path)).cloned());
    if previous.palette != next.palette {
        changed.insert(format!("{}figures", super::route::TOOL_PREFIX));
    }
    changed.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> Site {
        let mut output = Output::default();
        for (path, text) in files {
            output.add(*path, *text).unwrap();
        }
        Site {
            output,
            palette: Vec::new(),
        }
    }

    #[test]
    fn reports_what_changed_and_keeps_the_last_good_site_under_errors() {
        let state = State::new("127.0.0.1:0".parse().unwrap());
        let events = state.listen();
        assert_eq!(events.recv().unwrap().generation, 0);
        let first = state.publish_site(site(&[("a.html", "1"), ("b.css", "x")]), vec![], vec![]);
        assert_eq!(first.changed, ["a.html", "b.css"]);
        let second = state.publish_site(site(&[("a.html", "2"), ("c.js", "y")]), vec![], vec![]);
        assert_eq!(second.changed, ["a.html", "b.css", "c.js"]);
        let failed = state.publish_errors(vec!["content/x.md:3:7: unknown figure".into()]);
        assert_eq!(failed.generation, 3);
        assert_eq!(failed.errors[0].file.as_deref(), Some("content/x.md"));
        let current = state.current();
        let kept = current.site.as_ref().unwrap();
        assert_eq!(kept.output.get("a.html"), Some(&b"2"[..]));
        let heard: Vec<u64> = events.try_iter().map(|r| r.generation).collect();
        assert_eq!(heard, [1, 2, 3]);
    }

    #[test]
    fn picks_the_place_out_of_a_message() {
        let m = Message::new("content/a b.md:12:5: unknown figure `x`".into());
        assert_eq!(
            (m.file.as_deref(), m.line, m.column),
            (Some("content/a b.md"), Some(12), Some(5))
        );
        let m = Message::new("stateof.toml:40: figure `x`: bad".into());
        assert_eq!(
            (m.file.as_deref(), m.line, m.column),
            (Some("stateof.toml"), Some(40), None)
        );
        let m = Message::new("no editions found: expected `content/<edition>/index.md`".into());
        assert_eq!((m.file, m.line), (None, None));
        let m = Message::new("C:12: x".into());
        assert_eq!((m.file.as_deref(), m.line), (Some("C"), Some(12)));
    }
}
