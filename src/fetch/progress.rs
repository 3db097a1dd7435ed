//! Progress of a fetch on stderr: a live bar on a terminal, plain log lines elsewhere.
//!
//! Both show the same line: `models: 12,000 entries, 12 pages, 3,400/s, 3.5 s` for a
//! listing (`Meter`), `models.parquet: 120.5 MB of 350.0 MB (34%), 12.3 MB/s, 9.8 s` for
//! a download (`Transfer`). The rate
//! counts only the entries this run fetched, over this run's time, so a resumed fetch
//! shows its own speed rather than the earlier runs' entries over a few seconds; and it
//! is shown only once a page has come in and a second has passed, before which it
//! would be noise (a page over a millisecond). Notes about retries are printed above
//! the bar, or as log lines.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::format::thousands;

/// How often a log line is written when stderr is not a terminal: every this many pages,
/// or after this long, whichever comes first (and always for a kind's last page).
const LOG_EVERY_PAGES: u64 = 10;
const LOG_EVERY: Duration = Duration::from_secs(10);

/// The progress of one kind's listing.
pub struct Meter {
    kind: &'static str,
    bar: Option<ProgressBar>,
    start: Instant,
    rows_at_start: u64,
    rows: u64,
    pages: u64,
    logged_pages: u64,
    logged_at: Instant,
}

impl Meter {
    /// Starts metering `kind`, which already has `rows` entries in `pages` pages (when a
    /// fetch resumes). With `bar`, draws a live line on stderr.
    pub fn start(kind: &'static str, rows: u64, pages: u64, bar: bool) -> Meter {
        let now = Instant::now();
        let bar = bar.then(spinner);
        let meter = Meter {
            kind,
            bar,
            start: now,
            rows_at_start: rows,
            rows,
            pages,
            logged_pages: pages,
            logged_at: now,
        };
        if let Some(bar) = &meter.bar {
            bar.set_message(meter.line());
        }
        meter
    }

    /// Records a page: the kind now has `rows` entries in `pages` pages.
    pub fn page(&mut self, rows: u64, pages: u64) {
        self.rows = rows;
        self.pages = pages;
        match &self.bar {
            Some(bar) => bar.set_message(self.line()),
            None => {
                let first = self.pages == 1;
                if first
                    || self.pages - self.logged_pages >= LOG_EVERY_PAGES
                    || self.logged_at.elapsed() >= LOG_EVERY
                {
                    self.log();
                }
            }
        }
    }

    /// Prints a note about the next page (a retry) without breaking the bar.
    pub fn note(&self, message: &str) {
        let line = format!("{}, page {}: {message}", self.kind, self.pages + 1);
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    /// Ends the kind's line: the bar stays as its final state, or a last log line.
    pub fn finish(mut self) {
        match self.bar.take() {
            Some(bar) => bar.finish_with_message(self.line()),
            None if self.logged_pages != self.pages || self.pages == 0 => self.log(),
            None => {}
        }
    }

    fn log(&mut self) {
        eprintln!("{}", self.line());
        self.logged_pages = self.pages;
        self.logged_at = Instant::now();
    }

    /// `models: 12,000 entries, 12 pages, 3,400/s, 3.5 s`.
    fn line(&self) -> String {
        self.line_after(self.start.elapsed())
    }

    /// The line once `elapsed` has passed since this run started.
    fn line_after(&self, elapsed: Duration) -> String {
        let seconds = elapsed.as_secs_f64();
        let rate = rate(
            self.rows.saturating_sub(self.rows_at_start),
            elapsed,
            thousands,
        );
        format!(
            "{}: {} entries, {} page{}, {rate}{seconds:.1} s",
            self.kind,
            thousands(self.rows as f64),
            thousands(self.pages as f64),
            if self.pages == 1 { "" } else { "s" },
        )
    }
}

/// How long a run must have gone on for its rate to be shown.
const MEASURABLE: Duration = Duration::from_secs(1);

/// `3,400/s, ` for `fetched` things over `elapsed`, shown with `unit`; empty before
/// anything came in or while the time is too short to measure.
fn rate(fetched: u64, elapsed: Duration, unit: fn(f64) -> String) -> String {
    if fetched > 0 && elapsed >= MEASURABLE {
        format!("{}/s, ", unit(fetched as f64 / elapsed.as_secs_f64()))
    } else {
        String::new()
    }
}

/// The progress of one file's download, in bytes, with the same rules as `Meter`: the
/// rate counts this run's bytes only (a resumed download shows its own speed), a live
/// line on a terminal, a log line every `LOG_EVERY` elsewhere.
pub struct Transfer {
    name: String,
    bar: Option<ProgressBar>,
    total: u64,
    start: Instant,
    done_at_start: u64,
    done: u64,
    logged_at: Instant,
}

impl Transfer {
    /// Starts metering the download of `name` (`total` bytes), of which `done` are
    /// already on disk.
    pub fn start(name: &str, done: u64, total: u64, bar: bool) -> Transfer {
        let now = Instant::now();
        let transfer = Transfer {
            name: name.to_owned(),
            bar: bar.then(spinner),
            total,
            start: now,
            done_at_start: done,
            done,
            logged_at: now,
        };
        match &transfer.bar {
            Some(bar) => bar.set_message(transfer.line()),
            None => eprintln!("{}", transfer.line()),
        }
        transfer
    }

    /// Records that `done` bytes are now on disk.
    pub fn advance(&mut self, done: u64) {
        self.done = done;
        match &self.bar {
            Some(bar) => bar.set_message(self.line()),
            None if self.logged_at.elapsed() >= LOG_EVERY => {
                eprintln!("{}", self.line());
                self.logged_at = Instant::now();
            }
            None => {}
        }
    }

    /// Prints a note (a retry, a restart) without breaking the bar.
    pub fn note(&self, message: &str) {
        let line = format!("{}: {message}", self.name);
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    /// Ends the file's line with its final state.
    pub fn finish(mut self) {
        match self.bar.take() {
            Some(bar) => bar.finish_with_message(self.line()),
            None => eprintln!("{}", self.line()),
        }
    }

    fn line(&self) -> String {
        self.line_after(self.start.elapsed())
    }

    /// `models.parquet: 120.5 MB of 350.0 MB (34%), 12.3 MB/s, 9.8 s`.
    fn line_after(&self, elapsed: Duration) -> String {
        let seconds = elapsed.as_secs_f64();
        let rate = rate(
            self.done.saturating_sub(self.done_at_start),
            elapsed,
            megabytes,
        );
        let share = if self.total > 0 {
            format!(" ({:.0}%)", 100.0 * self.done as f64 / self.total as f64)
        } else {
            String::new()
        };
        format!(
            "{}: {} of {}{share}, {rate}{seconds:.1} s",
            self.name,
            megabytes(self.done as f64),
            megabytes(self.total as f64),
        )
    }
}

/// A live line on stderr, redrawn as its message changes.
fn spinner() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Bytes in megabytes (10^6) with one decimal: `350.0 MB`.
fn megabytes(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1e6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_counts_this_run_only_and_waits_to_be_measurable() {
        // A fresh fetch: nothing yet, then 1,000 entries after a millisecond (no rate),
        // then 4,000 after two seconds.
        let mut meter = Meter::start("models", 0, 0, false);
        let at = Duration::from_millis;
        assert_eq!(meter.line_after(at(0)), "models: 0 entries, 0 pages, 0.0 s");
        meter.rows = 1_000;
        meter.pages = 1;
        assert_eq!(
            meter.line_after(at(1)),
            "models: 1,000 entries, 1 page, 0.0 s"
        );
        meter.rows = 4_000;
        meter.pages = 4;
        assert_eq!(
            meter.line_after(at(2_000)),
            "models: 4,000 entries, 4 pages, 2,000/s, 2.0 s"
        );

        // Resumed with 50,000 entries from an earlier run: they are not this run's.
        let mut meter = Meter::start("datasets", 50_000, 50, false);
        assert_eq!(
            meter.line_after(at(3_000)),
            "datasets: 50,000 entries, 50 pages, 3.0 s"
        );
        meter.rows = 53_000;
        meter.pages = 53;
        assert_eq!(
            meter.line_after(at(1_500)),
            "datasets: 53,000 entries, 53 pages, 2,000/s, 1.5 s"
        );
    }

    #[test]
    fn a_download_shows_bytes_share_and_this_runs_rate() {
        let at = Duration::from_millis;
        // Resumed with 100 MB of 350 MB on disk: the rate counts only what comes after.
        let mut transfer = Transfer::start("models.parquet", 100_000_000, 350_000_000, false);
        assert_eq!(
            transfer.line_after(at(500)),
            "models.parquet: 100.0 MB of 350.0 MB (29%), 0.5 s"
        );
        transfer.done = 150_000_000;
        assert_eq!(
            transfer.line_after(at(4_000)),
            "models.parquet: 150.0 MB of 350.0 MB (43%), 12.5 MB/s, 4.0 s"
        );
    }
}
