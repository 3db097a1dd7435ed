//! The site's PNG files: the social cards, and every chart as a PNG download at twice
//! its size on a light background, drawn without a browser (`raster`) on every core.
//! A rebuild in the same process (the preview server's) draws again only the images
//! whose SVG changed (`Drawn`).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

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

/// The PNGs of the last build, by a hash of the SVG and canvas they were drawn from.
#[derive(Debug, Default)]
pub struct Drawn {
    pngs: HashMap<u64, Vec<u8>>,
}

impl Job {
    fn key(&self) -> u64 {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.svg.hash(&mut hasher);
        self.canvas.scale.to_bits().hash(&mut hasher);
        self.canvas.background.hash(&mut hasher);
        hasher.finish()
    }
}

/// Draws every card and chart PNG into `output`, reusing those `drawn` holds from the
/// previous build. An image that cannot be drawn is an error naming its file.
pub fn add_all(
    cards: &Cards,
    charts: &Charts,
    drawn: &mut Drawn,
    output: &mut Output,
) -> Result<()> {
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
    let keys: Vec<u64> = jobs.iter().map(Job::key).collect();
    let (kept, new): (Vec<_>, Vec<_>) =
        (jobs.into_iter().zip(keys)).partition(|(_, key)| drawn.pngs.contains_key(key));
    let pngs = super::in_runs(&new, |_, run| {
        (run.iter())
            .map(|(job, _)| {
                raster::png(&job.svg, job.canvas, &fonts)
                    .with_context(|| format!("failed to draw `{}`", job.path))
            })
            .collect()
    });
    let pngs = crate::diagnostics::all(pngs)?;
    let mut now = HashMap::with_capacity(kept.len() + new.len());
    for (job, key) in kept {
        let png = drawn.pngs.remove(&key).unwrap_or_default();
        output.add(job.path, png.clone())?;
        now.insert(key, png);
    }
    for ((job, key), png) in new.into_iter().zip(pngs) {
        output.add(job.path, png.clone())?;
        now.insert(key, png);
    }
    drawn.pngs = now;
    Ok(())
}
