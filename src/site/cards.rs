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

use anyhow::{bail, Result};
use serde::Serialize;

use super::data::EditionData;
use super::narrative::Narrative;
use super::Urls;
use crate::charts::layout::{fit, text_width};
use crate::content::Edition;
use crate::figures::{Figure, Figures};
use crate::format;

/// The card's size in pixels, as Open Graph and Twitter recommend.
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
            summary: edition.index.front.summary.clone(),
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
        summary: latest.index.front.summary.clone(),
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
/// of its narrative (index first, then chapters), else none.
fn headline(inputs: &Inputs, edition: &Edition) -> Result<Option<Headline>> {
    let figures = &inputs.data[&edition.slug].figures;
    let name = match &edition.index.front.card_figure {
        Some(name) => {
            check_card_figure(edition, name, figures)?;
            name.clone()
        }
        None => {
            let docs = &inputs.narrative[&edition.slug];
            let used = docs.iter().flat_map(|d| &d.rendered.figures_used);
            let first = used
                .into_iter()
                .find(|n| figures.get(*n).is_some_and(is_scalar));
            match first {
                Some(name) => name.clone(),
                None => return Ok(None),
            }
        }
    };
    let figure = &figures[&name];
    let x = figure.number().expect("checked to be a single number");
    let compare = (edition.index.front.compare_to.as_ref()).and_then(|slug| {
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
fn check_card_figure(edition: &Edition, name: &str, figures: &Figures) -> Result<()> {
    let path = &edition.index.path;
    let at = format!(
        "{}:{}",
        path.display(),
        crate::content::line_of_key(path, "card-figure")
    );
    match figures.get(name) {
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
    let data = &inputs.data[&edition.slug];
    let view = layout(text, &footer(inputs.urls), edition, data.snapshot.synthetic);
    let context = tera::Context::from_serialize(&view)?;
    let svg = super::render(inputs.tera, TEMPLATE, &context)?;
    Ok(Card {
        path: path.to_owned(),
        alt: alt(text),
        svg,
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
/// DejaVu Sans Bold runs wider than the regular face `text_width` measures.
const BOLD: f64 = 1.1;
/// A digit's height above the baseline, in ems (DejaVu Sans: 0.73).
const CAP: f64 = 0.73;

fn layout(text: &Text, site: &str, edition: &Edition, synthetic: bool) -> View {
    let span = RIGHT - LEFT;
    let eyebrow = line(&fit(&text.eyebrow, 30.0, span), LEFT, 104.0, 30.0);
    let heading: Vec<Line> = (wrap(&text.heading, 64.0 * BOLD, span, 2).into_iter())
        .enumerate()
        .map(|(i, t)| line(&t, LEFT, 188.0 + 76.0 * i as f64, 64.0))
        .collect();
    let below = heading.last().map_or(188.0, |l| l.y);
    let mut view = View {
        width: WIDTH,
        height: HEIGHT,
        eyebrow,
        heading,
        value: None,
        label: Vec::new(),
        compare: None,
        summary: Vec::new(),
        site: line(&fit(site, 24.0, span * 0.6), LEFT, 584.0, 24.0),
        date: line(
            &format!(
                "{}{}",
                if synthetic {
                    "Synthetic data \u{b7} "
                } else {
                    ""
                },
                edition.index.front.date
            ),
            RIGHT,
            584.0,
            24.0,
        ),
        rule_y: 530.0,
        left: LEFT,
        right: RIGHT,
        synthetic,
    };
    match &text.headline {
        Some(headline) => place_headline(&mut view, headline, below + 190.0),
        None => {
            view.summary = (wrap(&text.summary, 32.0, span, 3).into_iter())
                .enumerate()
                .map(|(i, t)| line(&t, LEFT, below + 100.0 + 44.0 * i as f64, 32.0))
                .collect();
        }
    }
    view
}

/// The value large at the left with its baseline at `baseline`; its label (and the
/// compared value) beside it, centred on the value's digits.
fn place_headline(view: &mut View, headline: &Headline, baseline: f64) {
    const MAX_VALUE: f64 = 520.0;
    let em = text_width(&headline.value, 1.0) * BOLD;
    let size = (MAX_VALUE / em.max(0.1)).min(140.0).floor();
    let value = fit(&headline.value, size * BOLD, MAX_VALUE);
    let label_x = LEFT + text_width(&value, size) * BOLD + 44.0;
    let width = RIGHT - label_x;
    let label = wrap(&headline.label, 32.0, width, 3);
    let lines = label.len() + usize::from(headline.compare.is_some());
    let block = 42.0 * lines as f64 - 10.0;
    let digits = CAP * size;
    let top = baseline - digits + (digits - block) / 2.0;
    let first = top + CAP * 32.0;
    view.label = (label.iter().enumerate())
        .map(|(i, t)| line(t, label_x, first + 42.0 * i as f64, 32.0))
        .collect();
    view.compare = (headline.compare.as_ref()).map(|c| {
        let y = first + 42.0 * label.len() as f64;
        line(&fit(c, 28.0, width), label_x, y, 28.0)
    });
    view.value = Some(line(&value, LEFT - 4.0, baseline, size));
}

fn line(text: &str, x: f64, y: f64, size: f64) -> Line {
    Line {
        text: crate::escape::line(text),
        x: (x * 10.0).round() / 10.0,
        y: (y * 10.0).round() / 10.0,
        size,
    }
}

/// `text` broken between words into at most `lines` lines of at most `max` px at
/// `size`; a word too long for a line, or text left over, is cut with "…".
fn wrap(text: &str, size: f64, max: f64, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = match current.is_empty() {
            true => word.to_owned(),
            false => format!("{current} {word}"),
        };
        if current.is_empty() || text_width(&candidate, size) <= max {
            current = candidate;
            continue;
        }
        out.push(std::mem::replace(&mut current, word.to_owned()));
        if out.len() == lines {
            break;
        }
    }
    if out.len() < lines && !current.is_empty() {
        out.push(current);
    } else if let Some(last) = out.last_mut() {
        // Text was left over: the last line says so.
        *last = fit(&format!("{last}\u{2026}"), size, max);
    }
    out.iter().map(|l| fit(l, size, max)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_between_words_within_the_width() {
        let text = "Share of downloads going to models by organisations based in China";
        let lines = wrap(text, 32.0, 500.0, 3);
        assert!(lines.len() >= 2, "{lines:?}");
        for l in &lines {
            assert!(text_width(l, 32.0) <= 500.0, "{l}");
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn wrap_cuts_what_does_not_fit_in_the_lines() {
        let text = "word ".repeat(100);
        let lines = wrap(&text, 32.0, 300.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('\u{2026}'), "{lines:?}");
        let long = "x".repeat(200);
        let lines = wrap(&long, 32.0, 300.0, 2);
        assert_eq!(lines.len(), 1);
        assert!(text_width(&lines[0], 32.0) <= 300.0);
        assert!(wrap("", 32.0, 300.0, 2).is_empty());
    }
}
