//! The site's PNG files: the social cards, and every chart as a PNG download at twice
//! its size on a light background, drawn without a browser (`raster`) on every core.

use anyhow::{Context, Result};

use super::cards::Cards;
use super::charts::Charts;
use crate::output::Output;
use crate::raster::{self, Canvas, Fonts};

/// Device pixels per chart unit in the PNG downloads: sharp on high-density screens
/// and in print (a wide chart is 1440 pixels across).
pub const CHART_SCALE: f32 = 2.0;

/// The light scheme's chart background (`charts::theme`), under the PNG downloads.
const CHART_BACKGROUND: [u8; 3] = [0xff, 0xff, 0xff];

/// One image to draw: its path in the site, its SVG and the canvas to draw it on.
struct Job {
    path: String,
    svg: String,
    canvas: Canvas,
}

/// Draws every card and chart PNG into `output`. An image that cannot be drawn is an
/// error naming its file.
pub fn add_all(cards: &Cards, charts: &Charts, output: &mut Output) -> Result<()> {
    let fonts = Fonts::bundled();
    let card = Canvas {
        scale: 1.0,
        background: None,
    };
    let chart = Canvas {
        scale: CHART_SCALE,
        background: Some(CHART_BACKGROUND),
    };
    let mut jobs: Vec<Job> = std::iter::once(&cards.home)
        .chain(cards.editions.values())
        .map(|c| Job {
            path: c.path.clone(),
            svg: c.svg.clone(),
            canvas: card,
        })
        .collect();
    for (slug, charts) in charts {
        jobs.extend(charts.iter().map(|(name, c)| Job {
            path: format!("{slug}/charts/{name}.png"),
            svg: crate::charts::literal(&c.svg),
            canvas: chart,
        }));
    }
    let drawn = super::in_runs(&jobs, |_, run| {
        (run.iter())
            .map(|job| {
                raster::png(&job.svg, job.canvas, &fonts)
                    .with_context(|| format!("failed to draw `{}`", job.path))
            })
            .collect()
    });
    let drawn = crate::diagnostics::all(drawn)?;
    for (job, png) in jobs.into_iter().zip(drawn) {
        output.add(job.path, png)?;
    }
    Ok(())
}
