//! Social cards: the 1200 × 630 image a link preview shows (Open Graph's `og:image`,
//! Twitter's large summary card) for the home page and each edition: the report's
//! title, the edition, and its headline figure.
//!
//! The headline figure is the one the edition's front matter names (`card-figure`),
//! else the first single-number figure its narrative shows. This module lays the card
//! out (wraps and fits its text, places each line) and fills the `card.svg` template
//! with it; the template holds the look (colours, rules, background). Drawing the SVG
//! to PNG is `images`'.

use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use super::data::EditionData;
use super::narrative::Narrative;
use super::Urls;
use crate::charts::layout::{fit, text_width, wrap, BOLD};
use crate::content::Edition;
use crate::figures::{Figure, Figures};
use crate::format;
use crate::markdown::Lined;

/// The card's size in pixels, as Open Graph and Twitter recommend (the size of
/// stateof's own template; a project's may differ).
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// The template a project may override; stateof's own is used when it has none.
pub const TEMPLATE: &str = "card.svg";
pub const DEFAULT_TEMPLATE: &str = include_str!("../../templates/card.svg");

/// One card: where it goes, what it shows, and its SVG.
#[derive(Debug, Clone)]
pub struct Card {
    /// Site-relative path of the PNG (`2026-spring/card.png`).
    pub path: String,
    /// Its text alternative (`og:image:alt`).
    pub alt: String,
    pub svg: String,
    /// Its width and height in pixels, as the template made them.
    pub size: (u32, u32),
}

impl Card {
    /// The card as a page's link preview names it.
    pub fn preview(&self, urls: &Urls) -> Preview {
        Preview {
            url: urls.absolute(&self.path),
            size: Some(self.size),
            alt: self.alt.clone(),
        }
    }
}

/// A link preview's image (`og:image`): its absolute URL (as previews need), its size
/// in pixels when known, and its text alternative.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub url: String,
    pub size: Option<(u32, u32)>,
    pub alt: String,
}

impl Preview {
    /// An image of the editor's own in place of the card (`image = "…"` in a page's
    /// front matter): a site path, or an address elsewhere; its size is not known.
    pub fn own(image: &str, alt: &str, urls: &Urls) -> Preview {
        let url = match image.starts_with("https://") || image.starts_with("http://") {
            true => image.to_owned(),
            false => urls.absolute(image.trim_start_matches('/')),
        };
        Preview {
            url,
            size: None,
            alt: alt.to_owned(),
        }
    }
}

/// The home page's card and each edition's (by slug).
#[derive(Debug, Clone)]
pub struct Cards {
    pub home: Card,
    pub editions: BTreeMap<String, Card>,
}

/// Everything the cards step reads.
pub struct Inputs<'a> {
    /// The report's title.
    pub title: &'a str,
    /// Editions, latest first.
    pub editions: &'a [Edition],
    pub data: &'a BTreeMap<String, EditionData>,
    pub narrative: &'a Narrative<'a>,
    pub urls: &'a Urls,
    pub tera: &'a tera::Tera,
}

/// The cards of the home page and of every edition.
pub fn render_all(inputs: &Inputs) -> Result<Cards> {
    let mut editions = BTreeMap::new();
    let mut headlines = BTreeMap::new();
    for edition in inputs.editions {
        let headline = headline(inputs, edition)?;
        let text = Text {
            eyebrow: inputs.title.to_owned(),
            heading: edition.index.front.title.clone(),
            headline: headline.clone(),
            summary: edition.index.front.summary.value.clone(),
            alt: format!("{}, {}", inputs.title, edition.index.front.title),
        };
        let card = card(
            inputs,
            edition,
            &format!("{}/card.png", edition.slug),
            &text,
        )?;
        editions.insert(edition.slug.clone(), card);
        headlines.insert(edition.slug.as_str(), headline);
    }
    let latest = inputs
        .editions
        .first()
        .expect("content::load finds at least one edition");
    let home = Text {
        eyebrow: format!("Latest edition: {}", latest.index.front.title),
        heading: inputs.title.to_owned(),
        headline: headlines.remove(latest.slug.as_str()).flatten(),
        summary: latest.index.front.summary.value.clone(),
        alt: format!(
            "{}, latest edition {}",
            inputs.title, latest.index.front.title
        ),
    };
    let home = card(inputs, latest, "card.png", &home)?;
    Ok(Cards { home, editions })
}

/// What a card says, before layout.
#[derive(Debug, Clone)]
struct Text {
    /// The small line above the heading.
    eyebrow: String,
    heading: String,
    headline: Option<Headline>,
    /// Shown when there is no headline figure.
    summary: String,
    /// What the text alternative says first: the report and the edition.
    alt: String,
}

/// The headline figure as the card shows it.
#[derive(Debug, Clone, PartialEq)]
struct Headline {
    value: String,
    label: String,
    /// The compared edition's value, when it has one: "Spring 2025: 28%".
    compare: Option<String>,
}

/// The edition's headline figure: `card-figure`, else the first single-number figure
/// of its narrative (index first, then chapters) that is defined, else none.
fn headline(inputs: &Inputs, edition: &Edition) -> Result<Option<Headline>> {
    let figures = &inputs.data[&edition.slug].figures;
    let name = match &edition.index.front.card_figure {
        Some(name) => {
            check_card_figure(edition, name, figures)?;
            name.value.clone()
        }
        None => {
            let docs = &inputs.narrative[&edition.slug];
            let used = docs.iter().flat_map(|d| &d.rendered.figures_used);
            let defined = |n: &&String| {
                let x = figures.get(*n).and_then(Figure::number);
                x.is_some_and(f64::is_finite)
            };
            let first = used.into_iter().find(defined);
            match first {
                Some(name) => name.clone(),
                None => return Ok(None),
            }
        }
    };
    let figure = &figures[&name];
    let x = figure.number().expect("checked to be a single number");
    let compare = (edition.index.front.compare_to.as_deref()).and_then(|slug| {
        let earlier = inputs.editions.iter().find(|e| &e.slug == slug)?;
        let before = inputs.data.get(slug)?.figures.get(&name)?.number()?;
        Some(format!(
            "{}: {}",
            earlier.index.front.title,
            format::number(before, figure.format)
        ))
    });
    Ok(Some(Headline {
        value: format::number(x, figure.format),
        label: figure.label.clone(),
        compare,
    }))
}

fn is_scalar(figure: &Figure) -> bool {
    figure.number().is_some()
}

/// `card-figure` must name a single-number figure of the edition.
fn check_card_figure(edition: &Edition, name: &Lined<String>, figures: &Figures) -> Result<()> {
    let at = format!("{}:{}", edition.index.path.display(), name.line);
    match figures.get(name.as_str()) {
        Some(figure) if is_scalar(figure) => Ok(()),
        Some(_) => bail!(
            "{at}: `card-figure` names `{name}`, which is not a single number (a series or a \
             table); a card shows one value, such as a share or a total"
        ),
        None => bail!(
            "{at}: `card-figure` names `{name}`, which is not a figure of edition `{}`{}",
            edition.slug,
            crate::suggest::did_you_mean(name, figures.keys())
        ),
    }
}

/// Lays out `text` and fills the template: a card for the page at `path`.
fn card(inputs: &Inputs, edition: &Edition, path: &str, text: &Text) -> Result<Card> {
    let synthetic = inputs.data[&edition.slug].snapshot.synthetic;
    let date = match synthetic {
        true => format!("Synthetic data \u{b7} {}", edition.index.front.date),
        false => edition.index.front.date.to_string(),
    };
    let view = layout(text, &footer(inputs.urls), &date, synthetic);
    let context = tera::Context::from_serialize(&view)?;
    let svg = super::render(inputs.tera, TEMPLATE, &context)?;
    let size = crate::raster::size(&svg)
        .with_context(|| format!("the social card `{path}` (templates/{TEMPLATE})"))?;
    Ok(Card {
        path: path.to_owned(),
        alt: alt(text),
        svg,
        size,
    })
}

/// "State of Open Source on Hugging Face, Spring 2026: Share of downloads … 41%
/// (Spring 2025: 28%)." Not escaped: the template escapes it.
fn alt(text: &Text) -> String {
    let mut alt = text.alt.clone();
    match &text.headline {
        Some(h) => {
            alt.push_str(&format!(": {} {}", h.label, h.value));
            if let Some(compare) = &h.compare {
                alt.push_str(&format!(" ({compare})"));
            }
            alt.push('.');
        }
        None if !text.summary.is_empty() => alt.push_str(&format!(". {}", text.summary)),
        None => alt.push('.'),
    }
    alt
}

/// The site's address without its scheme: `stateof-demo.github.io/stateof`.
fn footer(urls: &Urls) -> String {
    let base = urls.base_url.trim_end_matches('/');
    let bare = base.split_once("://").map_or(base, |(_, rest)| rest);
    bare.to_owned()
}

/// One line of text placed on the card (its baseline at `y`), font size in px.
#[derive(Debug, Clone, Serialize, PartialEq)]
struct Line {
    text: String,
    x: f64,
    y: f64,
    size: f64,
}

/// The laid-out card the template draws.
#[derive(Debug, Serialize)]
struct View {
    width: u32,
    height: u32,
    eyebrow: Line,
    heading: Vec<Line>,
    /// The headline value, large.
    value: Option<Line>,
    /// The headline figure's label, beside the value.
    label: Vec<Line>,
    /// The compared edition's value, under the label.
    compare: Option<Line>,
    /// The edition's summary, when there is no headline figure.
    summary: Vec<Line>,
    /// The site's address, bottom left.
    site: Line,
    /// Date (and "Synthetic data"), bottom right (`text-anchor="end"`).
    date: Line,
    /// Where the rule above the footer goes.
    rule_y: f64,
    left: f64,
    right: f64,
    synthetic: bool,
}

const LEFT: f64 = 80.0;
const RIGHT: f64 = WIDTH as f64 - 80.0;
/// A digit's height above the baseline, in ems (DejaVu Sans: 0.73).
const CAP: f64 = 0.73;

/// The rule above the footer, and the footer's baseline.
const RULE_Y: f64 = 530.0;
const FOOTER_Y: f64 = 584.0;

/// Places every line of the card: `site` and `date` go in its footer, the latter
/// marked as synthetic data's when it is.
fn layout(text: &Text, site: &str, date: &str, synthetic: bool) -> View {
    let span = RIGHT - LEFT;
    let eyebrow = wrap(&text.eyebrow, 30.0, span, 1).concat();
    let eyebrow = line(&eyebrow, LEFT, 104.0, 30.0);
    let heading: Vec<Line> = (wrap(&text.heading, 64.0 * BOLD, span, 2).into_iter())
        .enumerate()
        .map(|(i, t)| line(&t, LEFT, 188.0 + 76.0 * i as f64, 64.0))
        .collect();
    // Below the heading's descenders.
    let below = heading.last().map_or(188.0, |l| l.y) + 0.24 * 64.0;
    let mut view = View {
        width: WIDTH,
        height: HEIGHT,
        eyebrow,
        heading,
        value: None,
        label: Vec::new(),
        compare: None,
        summary: Vec::new(),
        site: line(&fit(site, 24.0, span * 0.6), LEFT, FOOTER_Y, 24.0),
        date: line(date, RIGHT, FOOTER_Y, 24.0),
        rule_y: RULE_Y,
        left: LEFT,
        right: RIGHT,
        synthetic,
    };
    match &text.headline {
        Some(headline) => place_headline(&mut view, headline, (below, RULE_Y)),
        None => {
            view.summary = (wrap(&text.summary, 32.0, span, 3).into_iter())
                .enumerate()
                .map(|(i, t)| line(&t, LEFT, below + 80.0 + 44.0 * i as f64, 32.0))
                .collect();
        }
    }
    view
}

/// The value large at the left, its label (and the compared value) beside it, both
/// centred on the value's digits, which are centred between `top` and `bottom`.
fn place_headline(view: &mut View, headline: &Headline, (top, bottom): (f64, f64)) {
    const MAX_VALUE: f64 = 520.0;
    const GAP: f64 = 44.0;
    let em = text_width(&headline.value, 1.0) * BOLD;
    let size = (MAX_VALUE / em.max(0.1)).min(140.0).floor();
    let value = fit(&headline.value, size * BOLD, MAX_VALUE);
    let label_x = LEFT + text_width(&value, size) * BOLD + GAP;
    let width = RIGHT - label_x;
    let label = wrap(&headline.label, 32.0, width, 3);
    let lines = label.len() + usize::from(headline.compare.is_some());
    let block = 42.0 * lines as f64 - 10.0;
    let middle = (top + bottom) / 2.0;
    let first = middle - block / 2.0 + CAP * 32.0;
    view.label = (label.iter().enumerate())
        .map(|(i, t)| line(t, label_x, first + 42.0 * i as f64, 32.0))
        .collect();
    view.compare = (headline.compare.as_ref()).map(|c| {
        let y = first + 42.0 * label.len() as f64;
        line(&fit(c, 28.0, width), label_x, y, 28.0)
    });
    view.value = Some(line(&value, LEFT - 4.0, middle + CAP * size / 2.0, size));
}

fn line(text: &str, x: f64, y: f64, size: f64) -> Line {
    Line {
        text: crate::escape::line(text),
        x: (x * 10.0).round() / 10.0,
        y: (y * 10.0).round() / 10.0,
        size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The card's SVG from stateof's own template, for `text`.
    fn svg(text: &Text) -> String {
        let project = tempfile::tempdir().unwrap();
        std::fs::create_dir(project.path().join("templates")).unwrap();
        let tera = super::super::load_templates(project.path()).unwrap();
        let view = layout(text, "example.org/report", "2026-03-20", false);
        let context = tera::Context::from_serialize(&view).unwrap();
        super::super::render(&tera, TEMPLATE, &context).unwrap()
    }

    #[test]
    fn text_is_escaped_and_every_line_stays_on_the_card() {
        let hostile = "</text><script>alert(1)</script> & \"quoted\" ]]> \u{202E}gnp";
        let text = Text {
            eyebrow: hostile.repeat(3),
            heading: hostile.repeat(5),
            headline: Some(Headline {
                value: "1,234,567".to_owned(),
                label: hostile.repeat(4),
                compare: Some(hostile.repeat(2)),
            }),
            summary: String::new(),
            alt: String::new(),
        };
        let svg = svg(&text);
        assert!(
            !svg.contains("<script") && !svg.contains('\u{202E}'),
            "{svg}"
        );
        let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
        let number = |node: roxmltree::Node, name: &str| -> f64 {
            node.attribute(name).unwrap().parse().unwrap()
        };
        let texts: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .collect();
        assert!(texts.len() >= 8, "{svg}");
        for node in texts {
            let (x, y, size) = (
                number(node, "x"),
                number(node, "y"),
                number(node, "font-size"),
            );
            let text = node.text().unwrap_or_default();
            let bold = node.attribute("font-weight") == Some("bold");
            let width = text_width(text, size) * if bold { BOLD } else { 1.0 };
            let (start, end) = match node.attribute("text-anchor") {
                Some("end") => (x - width, x),
                _ => (x, x + width),
            };
            assert!(
                start >= LEFT - 5.0 && end <= RIGHT + 1.0,
                "`{text}` runs off"
            );
            assert!(y - CAP * size >= 0.0 && y <= f64::from(HEIGHT), "`{text}`");
        }
    }
}
