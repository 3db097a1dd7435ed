//! Markdown (with shortcodes already turned into placeholders) to HTML.
//!
//! Walks pulldown-cmark's events once: gives every heading a unique id (never one
//! starting like a chart's, a figure's or a chart SVG's id) and collects it for the
//! table of contents, and puts each shortcode's expansion where its placeholder is, a
//! figure's first occurrence on the page with its permalink (`embed::Anchor`). A block
//! (chart, table) alone in a paragraph replaces the whole `<p>`; in a tight list item
//! or a table cell it goes in as is; inside a sentence or heading it is an error. Raw
//! HTML from the narrative passes through untouched.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, TextMergeWithOffset};

use super::embed::Embed;
use super::shortcodes::{line_at, CLOSE, OPEN};
use super::{BodyError, Heading};
use crate::escape;

/// The Markdown extensions a report uses.
pub(super) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A piece of text between placeholders, or a placeholder's embed index.
enum Piece<'t> {
    Text(&'t str),
    Embed(usize),
}

/// Splits `text` at placeholder tokens.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(OPEN) {
        let after = &rest[open + OPEN.len_utf8()..];
        let Some(close) = after.find(CLOSE) else {
            break;
        };
        let Ok(index) = after[..close].parse() else {
            break;
        };
        if open > 0 {
            out.push(Piece::Text(&rest[..open]));
        }
        out.push(Piece::Embed(index));
        rest = &after[close + CLOSE.len_utf8()..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// The heading being walked: where its start event is, its text, its explicit id.
struct Open {
    start: usize,
    level: u8,
    explicit: Option<String>,
    text: String,
    /// The text without figure values, so that ids stay put when the data changes.
    slug_text: String,
}

/// Renders `source` to HTML, returning it with the headings it contains.
pub(super) fn render(source: &str, embeds: &[Embed]) -> Result<(String, Vec<Heading>), BodyError> {
    let events: Vec<(Event, Range<usize>)> =
        TextMergeWithOffset::new(Parser::new_ext(source, options()).into_offset_iter()).collect();
    let mut walk = Walk {
        embeds,
        ids: explicit_ids(source, &events)?,
        anchored: HashSet::new(),
        out: Vec::with_capacity(events.len()),
        headings: Vec::new(),
        heading: None,
        stack: Vec::new(),
        raw: Raw::Text,
    };
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        let at = |message| BodyError {
            line: line_at(source, range.start),
            message,
        };
        if !matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
            walk.raw = Raw::Text;
        }
        match event {
            Event::Start(Tag::Paragraph) if only_marks(&events[i..], embeds) => {
                // A paragraph holding nothing but claim marks shows nothing at all.
                i += 3;
                continue;
            }
            Event::Start(Tag::Paragraph) if lone_block(&events[i..], embeds).is_some() => {
                let html = lone_block(&events[i..], embeds).unwrap_or_default();
                walk.out
                    .push(Event::Html(CowStr::from(format!("{html}\n"))));
                i += 3;
                continue;
            }
            Event::Start(tag) => walk.start(tag).map_err(at)?,
            Event::End(end) => walk.end(end),
            Event::Text(text) => walk.text(text).map_err(at)?,
            Event::Code(code) => {
                if let Some(open) = &mut walk.heading {
                    open.text.push_str(code);
                    open.slug_text.push_str(code);
                }
                walk.out.push(event.clone());
            }
            Event::Html(html) => {
                let html = walk.substitute(html).map_err(at)?;
                walk.out.push(Event::Html(html));
            }
            Event::InlineHtml(html) => {
                let html = walk.substitute(html).map_err(at)?;
                walk.out.push(Event::InlineHtml(html));
            }
            _ => walk.out.push(event.clone()),
        }
        i += 1;
    }
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, walk.out.into_iter());
    Ok((html, walk.headings))
}

/// Ids the page layout uses around the narrative; headings must not take them.
const LAYOUT_IDS: [&str; 2] = ["main", "editions-heading"];

/// Id prefixes of the layout's own elements: charts' permalinks (`chart-NAME`),
/// inline figures' permalinks (`fig-NAME`), and the ids inside chart SVGs (`so-…`).
const RESERVED_PREFIXES: [&str; 3] = ["chart-", "fig-", "so-"];

fn reserved(id: &str) -> bool {
    RESERVED_PREFIXES
        .iter()
        .any(|prefix| id.starts_with(prefix))
}

/// A heading's automatic id: its slug, or `section-` and its slug where the slug would
/// start like a chart's or a figure's permalink ("Chart downloads" → `section-chart-downloads`).
fn heading_slug(text: &str) -> String {
    let slug = slugify(text);
    match reserved(&slug) {
        true => format!("section-{slug}"),
        false => slug,
    }
}

/// The `{#id}`s written by the editor and the layout's own ids, which automatic ids
/// must not take.
fn explicit_ids(
    source: &str,
    events: &[(Event, Range<usize>)],
) -> Result<HashSet<String>, BodyError> {
    let mut ids: HashSet<String> = LAYOUT_IDS.iter().map(|id| id.to_string()).collect();
    for (event, range) in events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
            if LAYOUT_IDS.contains(&id.as_ref()) || reserved(id) {
                return Err(BodyError {
                    line: line_at(source, range.start),
                    message: format!(
                        "the id `{id}` is used by the page layout, a chart or a figure; \
                         choose another (ids starting with {} are theirs)",
                        RESERVED_PREFIXES.map(|p| format!("`{p}`")).join(", ")
                    ),
                });
            }
            if !ids.insert(id.to_string()) {
                return Err(BodyError {
                    line: line_at(source, range.start),
                    message: format!("two headings have the id `{id}`"),
                });
            }
        }
    }
    Ok(ids)
}

/// The state of one pass over the events: the output so far and where we are.
struct Walk<'a, 'e> {
    embeds: &'e [Embed],
    /// Heading ids taken so far (explicit ones from the start).
    ids: HashSet<String>,
    /// Figure anchors placed so far: only a figure's first occurrence carries its id.
    anchored: HashSet<String>,
    out: Vec<Event<'a>>,
    headings: Vec<Heading>,
    heading: Option<Open>,
    /// The open tags, innermost last.
    stack: Vec<&'e Tag<'a>>,
    /// Where the raw HTML read so far has left off (it carries over from one line of an
    /// HTML block to the next).
    raw: Raw,
}

/// Where a point in raw HTML is: in text, or inside a tag (`<a title="…">`), within a
/// quoted attribute value or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Raw {
    Text,
    Tag,
    Quoted(u8),
}

impl Raw {
    /// The state after `html`.
    fn after(mut self, html: &str) -> Raw {
        let bytes = html.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            self = match (self, b) {
                (Raw::Text, b'<') => match bytes.get(i + 1) {
                    Some(c) if c.is_ascii_alphabetic() || matches!(c, b'/' | b'!' | b'?') => {
                        Raw::Tag
                    }
                    _ => Raw::Text,
                },
                (Raw::Tag, b'"' | b'\'') => Raw::Quoted(b),
                (Raw::Tag, b'>') => Raw::Text,
                (Raw::Quoted(q), c) if c == q => Raw::Tag,
                (state, _) => state,
            };
        }
        self
    }
}

impl<'a, 'e> Walk<'a, 'e> {
    fn start(&mut self, tag: &'e Tag<'a>) -> Result<(), String> {
        match tag {
            Tag::Link {
                dest_url, title, ..
            }
            | Tag::Image {
                dest_url, title, ..
            } => {
                let mut pieces = pieces(dest_url).into_iter().chain(pieces(title));
                if let Some(Piece::Embed(index)) = pieces.find(|p| matches!(p, Piece::Embed(_))) {
                    let what = &self.embeds[index].what;
                    return Err(format!("{what} cannot go in a link or image target"));
                }
            }
            Tag::Heading { level, id, .. } => {
                self.heading = Some(Open {
                    start: self.out.len(),
                    level: *level as u8,
                    explicit: id.as_ref().map(|id| id.to_string()),
                    text: String::new(),
                    slug_text: String::new(),
                });
            }
            _ => {}
        }
        self.stack.push(tag);
        self.out.push(Event::Start(tag.clone()));
        Ok(())
    }

    fn end(&mut self, end: &TagEnd) {
        self.stack.pop();
        let closing = matches!(end, TagEnd::Heading(_));
        if let Some(open) = self.heading.take_if(|_| closing) {
            let id = match open.explicit {
                Some(id) => id,
                None => unique(&mut self.ids, heading_slug(&open.slug_text)),
            };
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut self.out[open.start] {
                *slot = Some(CowStr::from(id.clone()));
            }
            let text = open.text.split_whitespace().collect::<Vec<_>>().join(" ");
            let level = open.level;
            self.headings.push(Heading { level, id, text });
        }
        self.out.push(Event::End(*end));
    }

    /// Text, with placeholders turned into their embeds.
    fn text(&mut self, text: &str) -> Result<(), String> {
        for piece in pieces(text) {
            let (html, plain) = match piece {
                Piece::Text(part) => {
                    if let Some(open) = &mut self.heading {
                        open.slug_text.push_str(part);
                        open.text.push_str(part);
                    }
                    self.out.push(Event::Text(CowStr::from(part.to_owned())));
                    continue;
                }
                Piece::Embed(index) => (&self.embeds[index].html, &self.embeds[index]),
            };
            let inner = self.stack.last().copied();
            if plain.block {
                if !matches!(inner, Some(Tag::Item | Tag::TableCell)) {
                    return Err(format!(
                        "{} must stand alone in its own paragraph, not inside a sentence or heading",
                        plain.what
                    ));
                }
                self.out.push(Event::Html(CowStr::from(html.clone())));
            } else if matches!(inner, Some(Tag::Image { .. })) {
                // Alt text is plain text.
                self.out.push(Event::Text(CowStr::from(plain.text.clone())));
            } else {
                if let Some(open) = &mut self.heading {
                    open.text.push_str(&plain.text);
                }
                // A link cannot hold another: there a figure is not linked, nor
                // followed by its permalink (nor is it in a heading).
                let in_link = (self.stack.iter()).any(|tag| matches!(tag, Tag::Link { .. }));
                let html = match in_link && !plain.unlinked.is_empty() {
                    true => &plain.unlinked,
                    false => html,
                };
                let html = match &plain.anchor {
                    Some(anchor) if self.anchored.insert(anchor.id.clone()) => {
                        anchor.wrap(html, !in_link && self.heading.is_none())
                    }
                    _ => html.clone(),
                };
                self.out.push(Event::InlineHtml(CowStr::from(html)));
            }
        }
        Ok(())
    }

    /// Raw HTML with every placeholder replaced by its embed's HTML; inside a tag (an
    /// attribute, say), a figure becomes its value as escaped text, which cannot break
    /// the tag, and a chart or table is an error.
    fn substitute(&mut self, html: &str) -> Result<CowStr<'a>, String> {
        let mut out = String::with_capacity(html.len());
        for piece in pieces(html) {
            match piece {
                Piece::Text(text) => {
                    self.raw = self.raw.after(text);
                    out.push_str(text);
                }
                Piece::Embed(index) if self.raw == Raw::Text => {
                    out.push_str(&self.embeds[index].html)
                }
                Piece::Embed(index) if self.embeds[index].block => {
                    return Err(format!(
                        "{} is inside an HTML tag; a chart or table must stand alone in its \
                         own paragraph",
                        self.embeds[index].what
                    ));
                }
                Piece::Embed(index) => out.push_str(&escape::markup(&self.embeds[index].text)),
            }
        }
        Ok(CowStr::from(out))
    }
}

/// The block's HTML when `events` is a paragraph holding nothing but a block placeholder.
fn lone_block<'e>(events: &[(Event, Range<usize>)], embeds: &'e [Embed]) -> Option<&'e str> {
    let [_, (Event::Text(text), _), (Event::End(TagEnd::Paragraph), _), ..] = events else {
        return None;
    };
    match pieces(text.trim()).as_slice() {
        [Piece::Embed(index)] if embeds[*index].block => Some(&embeds[*index].html),
        _ => None,
    }
}

/// True when `events` is a paragraph holding nothing but placeholders of embeds that
/// show nothing (the `claim` and `end` marks), and whitespace.
fn only_marks(events: &[(Event, Range<usize>)], embeds: &[Embed]) -> bool {
    let [_, (Event::Text(text), _), (Event::End(TagEnd::Paragraph), _), ..] = events else {
        return false;
    };
    pieces(text).iter().all(|piece| match piece {
        Piece::Text(part) => part.trim().is_empty(),
        Piece::Embed(index) => embeds[*index].html.is_empty(),
    })
}

/// A URL fragment from heading text: lowercase letters and digits, words joined by `-`.
pub(super) fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            gap = false;
            slug.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' {
            gap = true;
        }
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// `base`, or `base-1`, `base-2`, … whichever is not taken yet; marks it taken.
fn unique(taken: &mut HashSet<String>, base: String) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_letters_and_digits() {
        assert_eq!(
            slugify("Who downloads? The top 200"),
            "who-downloads-the-top-200"
        );
        assert_eq!(
            slugify("  Open-weight — “models”_2026 "),
            "open-weight-models-2026"
        );
        assert_eq!(slugify("Über Modelle"), "über-modelle");
        assert_eq!(slugify("?!"), "section");
    }

    #[test]
    fn unique_ids_count_up() {
        let mut taken = HashSet::new();
        assert_eq!(unique(&mut taken, "a".into()), "a");
        assert_eq!(unique(&mut taken, "a".into()), "a-1");
        assert_eq!(unique(&mut taken, "a".into()), "a-2");
    }
}
