//! The site: every page, chart, data file, feed and asset of a report, in memory.
