//! The site's PNG files: the social cards, and every chart as a PNG download at twice
//! its size on a light background, framed by its title, source and report
//! (`charts::framed`), drawn without a browser (`raster`) on every core.
//! A rebuild in the same process (the preview server's) draws again only the images
//! whose SVG changed (`Drawn`).

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use anyhow::{Context, Result};

use super::cards::Cards;
use super::charts::Charts;
use crate::output::Output;
use crate::raster::{self, Canvas, Fonts};

/// Device pixels per chart unit in the PNG downloads: sharp on high-density screens
/// and in print (a wide chart is 1440 pixels across).
pub const CHART_SCALE: f32 = 2.0;

/// Under every image: the light scheme's chart background (`charts::theme`), and a
/// card's if its template leaves any of it bare.
const WHITE: [u8; 3] = [0xff, 0xff, 0xff];

/// The PNGs of the last build, by a hash of the SVG and canvas each was drawn from.
#[derive(Debug, Default)]
pub struct Drawn {
    pngs: HashMap<u64, Vec<u8>>,
}

/// One image to draw: its path in the site, what its SVG was made from (for errors),
/// the SVG, the canvas to draw it on, and the hash of both (`Drawn`'s key).
struct Job {
    path: String,
    from: &'static str,
    svg: String,
    canvas: Canvas,
    key: u64,
}

impl Job {
    fn new(path: String, from: &'static str, svg: String, canvas: Canvas) -> Job {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        svg.hash(&mut hasher);
        canvas.scale.to_bits().hash(&mut hasher);
        canvas.background.hash(&mut hasher);
        let key = hasher.finish();
        Job {
            path,
            from,
            svg,
            canvas,
            key,
        }
    }
}

/// Draws every card and chart PNG into `output`, reusing those `drawn` holds from the
/// previous build, and keeps this build's in `drawn`. An image that cannot be drawn is
/// an error naming its file.
pub fn add_all(
    cards: &Cards,
    charts: &Charts,
    drawn: &mut Drawn,
    output: &mut Output,
) -> Result<()> {
    let jobs = jobs(cards, charts);
    let todo: Vec<&Job> = (jobs.iter())
        .filter(|job| !drawn.pngs.contains_key(&job.key))
        .collect();
    if !todo.is_empty() {
        let fonts = Fonts::bundled();
        let pngs = super::in_runs(&todo, |_, run| {
            (run.iter())
                .map(|job| {
                    raster::png(&job.svg, job.canvas, &fonts)
                        .with_context(|| format!("failed to draw `{}` from {}", job.path, job.from))
                })
                .collect()
        });
        let pngs = crate::diagnostics::all(pngs)?;
        drawn.pngs.extend(todo.iter().map(|job| job.key).zip(pngs));
    }
    for job in &jobs {
        output.add(job.path.clone(), drawn.pngs[&job.key].clone())?;
    }
    let used: HashSet<u64> = jobs.iter().map(|job| job.key).collect();
    drawn.pngs.retain(|key, _| used.contains(key));
    Ok(())
}

/// The cards (drawn at their size) and the charts' wide layouts (at `CHART_SCALE`, in
/// the light scheme's literal colours, as resvg reads no CSS variables), each with its
/// title above and its source and report below.
fn jobs(cards: &Cards, charts: &Charts) -> Vec<Job> {
    let card = Canvas {
        scale: 1.0,
        background: WHITE,
    };
    let chart = Canvas {
        scale: CHART_SCALE,
        background: WHITE,
    };
    let mut jobs: Vec<Job> = (std::iter::once(&cards.home).chain(cards.editions.values()))
        .map(|c| Job::new(c.path.clone(), "templates/card.svg", c.svg.clone(), card))
        .collect();
    for (slug, charts) in charts {
        jobs.extend(charts.iter().map(|(name, c)| {
            let path = format!("{slug}/charts/{name}.png");
            let svg = crate::charts::literal(&c.svg);
            let notes = [c.source.as_str(), c.credit.as_str()];
            let svg = crate::charts::framed(&svg, &c.title, &notes).unwrap_or(svg);
            Job::new(path, "its chart", svg, chart)
        }));
    }
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::cards::Card;

    fn cards(svg: &str) -> Cards {
        let home = Card {
            path: "card.png".to_owned(),
            alt: String::new(),
            svg: svg.to_owned(),
            size: (40, 20),
        };
        Cards {
            home,
            editions: Default::default(),
        }
    }

    fn draw(cards: &Cards, drawn: &mut Drawn) -> Vec<u8> {
        let mut output = Output::default();
        add_all(cards, &Charts::new(), drawn, &mut output).unwrap();
        output.get("card.png").unwrap().to_vec()
    }

    #[test]
    fn a_rebuild_draws_only_the_images_whose_svg_changed() {
        let svg = |fill: &str| {
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\">\
                 <rect width=\"40\" height=\"20\" fill=\"{fill}\"/></svg>"
            )
        };
        let mut drawn = Drawn::default();
        let first = draw(&cards(&svg("#3a6ea8")), &mut drawn);
        assert_eq!(crate::raster::png_size(&first), Some((40, 20)));
        // Mark what was kept: a redraw would not carry the mark.
        for png in drawn.pngs.values_mut() {
            png.push(0);
        }
        let again = draw(&cards(&svg("#3a6ea8")), &mut drawn);
        assert_eq!(again.last(), Some(&0), "the unchanged card was drawn again");
        let changed = draw(&cards(&svg("#ffffff")), &mut drawn);
        assert_ne!(changed.last(), Some(&0));
        assert_eq!(drawn.pngs.len(), 1, "the old card is forgotten");
    }
}
