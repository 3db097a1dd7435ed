//! stateof: a static site generator for periodic, data-driven ecosystem reports.
//!
//! The pipeline runs one way, with plain data between stages:
//! snapshot (files) → metrics (pure) → figures → charts (SVG) + markdown → site → output.
//! Each module below is one stage or the data it hands on.

pub mod authors;
pub mod charts;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod countries;
pub mod dates;
pub mod diagnostics;
pub mod diff;
pub mod escape;
pub mod fetch;
pub mod figures;
pub mod format;
pub mod init;
pub mod markdown;
pub mod metrics;
pub mod new;
pub mod output;
pub mod raster;
pub mod refresh;
pub mod registry;
pub mod sample;
pub mod serve;
pub mod site;
pub mod snapshot;
pub mod suggest;
