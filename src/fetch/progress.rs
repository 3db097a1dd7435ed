//! Progress of a fetch on stderr: a live bar on a terminal, plain log lines elsewhere.
//!
//! Both show the same line, `models: 12,000 entries, 12 pages, 3,400/s, 3.5 s`. The rate
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
        let bar = bar.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
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
        let fetched = self.rows.saturating_sub(self.rows_at_start);
        let rate = if fetched > 0 && elapsed >= MEASURABLE {
            format!("{}/s, ", thousands(fetched as f64 / seconds))
        } else {
            String::new()
        };
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
}
