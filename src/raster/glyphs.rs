//! Text as outlines: every `<text>` of an SVG replaced by a `<path>` that draws its
//! glyphs in the bundled faces, so resvg draws a chart or a card with no text engine
//! of its own (which would bring a font database and a shaper, 9 crates and an
//! eighth of a release build's compile time, to set a few labels in one Latin face).
//!
//! What a label needs, and all this does: the characters of the element and its
//! `<tspan>`s, whitespace collapsed as SVG does; the first of the element's `x`, `y`,
//! `dx` and `dy` (in user units, `px` or `em`); `font-size` (also in `%`),
//! `font-weight` and `text-anchor`, from the element or the nearest ancestor that
//! sets them; and the pair kerning of the face's `kern` table. Every other attribute
//! (`fill`, `class`, `transform`, `opacity`, …) moves to the path, so the document's
//! styles still apply. What it would draw wrongly is an error instead: a span that
//! places or styles its own characters, CSS that sets a size, weight or anchor, a
//! position in other units. Not drawn: baselines other than the alphabetic one,
//! spacing, vertical or right-to-left shaping, `textPath`, and faces other than the
//! bundled one; a character the face lacks draws as its empty box.

use std::fmt::Write;

use anyhow::{anyhow, bail, Context, Result};
use roxmltree::Node;
use ttf_parser::{Face, GlyphId, OutlineBuilder};

use super::Fonts;
use crate::escape;

/// usvg's default font size, for text with none set.
const DEFAULT_SIZE: f32 = 12.0;

/// Text attributes the outline replaces; any other attribute moves to the path.
const LAID_OUT: &[&str] = &[
    "x",
    "y",
    "dx",
    "dy",
    "rotate",
    "textLength",
    "lengthAdjust",
    "font",
    "font-family",
    "font-size",
    "font-size-adjust",
    "font-stretch",
    "font-style",
    "font-variant",
    "font-weight",
    "text-anchor",
    "dominant-baseline",
    "alignment-baseline",
    "baseline-shift",
    "letter-spacing",
    "word-spacing",
    "writing-mode",
    "direction",
    "unicode-bidi",
];

/// `svg` with each `<text>` element replaced by the outline of its glyphs; all else
/// is left byte for byte. The error says which text could not be laid out.
pub fn outline_text(svg: &str, fonts: &Fonts) -> Result<String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true, // as usvg: editors write SVG 1.1's DOCTYPE
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(svg, options)
        .context("failed to read the SVG to draw")?;
    let texts: Vec<Node> = (doc.descendants())
        .filter(|n| n.has_tag_name(SVG_TEXT))
        .collect();
    if !texts.is_empty() {
        unread_styles(&doc)?;
    }
    let body = doc.root_element().range();
    let mut out = String::with_capacity(svg.len());
    let mut copied = 0;
    for text in texts {
        let range = text.range();
        let at = doc.text_pos_at(range.start);
        if range.start < body.start || range.end > body.end {
            bail!("the drawn SVG's text at {at} comes from its DOCTYPE, which stateof cannot draw");
        }
        if range.start < copied {
            continue; // inside a text already replaced
        }
        out.push_str(&svg[copied..range.start]);
        let path = path(text, fonts).with_context(|| format!("the drawn SVG's text at {at}"))?;
        out.push_str(&path);
        copied = range.end;
    }
    out.push_str(&svg[copied..]);
    Ok(out)
}

const SVG_TEXT: (&str, &str) = ("http://www.w3.org/2000/svg", "text");

/// The `<path>` that draws `text`, or nothing for text with no characters.
fn path(text: Node, fonts: &Fonts) -> Result<String> {
    let content = collapsed(text);
    if content.is_empty() {
        return Ok(String::new());
    }
    placed_spans(text)?;
    let size = font_size(text)?;
    let face = match inherited(text, "font-weight") {
        Some("bold" | "bolder" | "600" | "700" | "800" | "900") => &fonts.bold,
        _ => &fonts.regular,
    };
    let glyphs = layout(face, &content);
    let scale = size / f32::from(face.units_per_em());
    let width = glyphs.last().map_or(0.0, |g| g.end as f32) * scale;
    let x = position(text, "x", size)? + position(text, "dx", size)?;
    let start = match inherited(text, "text-anchor") {
        Some("middle") => x - width / 2.0,
        Some("end") => x - width,
        _ => x,
    };
    let baseline = position(text, "y", size)? + position(text, "dy", size)?;
    let mut pen = Pen {
        d: String::new(),
        x: start,
        y: baseline,
        scale,
    };
    for glyph in &glyphs {
        pen.x = start + glyph.at as f32 * scale;
        face.outline_glyph(glyph.id, &mut pen);
    }
    let mut element = format!("<path d=\"{}\"", pen.d);
    for attribute in text.attributes() {
        if attribute.namespace().is_none() && !LAID_OUT.contains(&attribute.name()) {
            let value = escape::markup(attribute.value());
            write!(element, " {}=\"{value}\"", attribute.name()).expect("writing to a String");
        }
    }
    element.push_str("/>");
    Ok(element)
}

/// The characters `text` shows: its text and its spans', with runs of spaces, tabs
/// and line breaks made one space and none at either end (SVG's default
/// `xml:space`; other spaces, such as no-break ones, are kept).
fn collapsed(text: Node) -> String {
    let all: String = (text.descendants())
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    let words: Vec<&str> = (all.split([' ', '\t', '\n', '\r']))
        .filter(|word| !word.is_empty())
        .collect();
    words.join(" ")
}

/// Whether a property changes where or how large glyphs are drawn (the family does
/// not: there is one face).
fn lays_out(property: &str) -> bool {
    property != "font-family" && LAID_OUT.contains(&property)
}

/// An error for a span inside `text` that places or styles its own characters: they
/// are drawn in one run, as the `<text>` element sets them.
fn placed_spans(text: Node) -> Result<()> {
    for span in text.descendants().skip(1).filter(Node::is_element) {
        let own = (span.attributes()).find(|a| lays_out(a.name()) || a.name() == "style");
        if let Some(attribute) = own {
            bail!(
                "a <{}> inside it sets `{}`; stateof draws a text's characters in one run, \
                 placed and sized by the <text> element and its ancestors",
                span.tag_name().name(),
                attribute.name()
            );
        }
    }
    Ok(())
}

/// An error for CSS (a `<style>` element or a `style` attribute) that sets how text
/// is laid out, which `path` would not see: stateof reads presentation attributes.
fn unread_styles(doc: &roxmltree::Document) -> Result<()> {
    for node in doc.descendants().filter(Node::is_element) {
        let css = match node.tag_name().name() {
            "style" => node.text(),
            _ => node.attribute("style"),
        };
        let declarations = css.unwrap_or("").split(['{', '}', ';']);
        let property = declarations
            .filter_map(|d| d.split_once(':'))
            .map(|(name, _)| name.trim())
            .find(|name| lays_out(name));
        if let Some(property) = property {
            bail!(
                "the drawn SVG sets `{property}` in CSS at {}; stateof lays text out from \
                 attributes (`{property}=\"…\"`) only",
                doc.text_pos_at(node.range().start)
            );
        }
    }
    Ok(())
}

/// A glyph and where its pen position and advance end, in font units from the start.
struct Placed {
    id: GlyphId,
    at: i32,
    end: i32,
}

/// `text` set in `face`: each character's glyph (the empty box where the face has
/// none) advanced by its width and the kerning of its pair.
fn layout(face: &Face, text: &str) -> Vec<Placed> {
    let mut glyphs: Vec<Placed> = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = face.glyph_index(c).unwrap_or(GlyphId(0));
        let at = glyphs
            .last()
            .map_or(0, |prev| prev.end + i32::from(kerning(face, prev.id, id)));
        let advance = i32::from(face.glyph_hor_advance(id).unwrap_or(0));
        glyphs.push(Placed {
            id,
            at,
            end: at + advance,
        });
    }
    glyphs
}

/// The face's horizontal kerning of a pair, in font units (0 for none).
fn kerning(face: &Face, left: GlyphId, right: GlyphId) -> i16 {
    let Some(kern) = face.tables().kern else {
        return 0;
    };
    (kern.subtables.into_iter())
        .filter(|table| table.horizontal && !table.variable && !table.has_cross_stream)
        .find_map(|table| table.glyphs_kerning(left, right))
        .unwrap_or(0)
}

/// Writes glyph outlines as path data, from font units (y up) at the pen position
/// to user units (y down).
struct Pen {
    d: String,
    x: f32,
    y: f32,
    scale: f32,
}

impl Pen {
    fn point(&mut self, command: char, points: &[(f32, f32)]) {
        self.d.push(command);
        for &(x, y) in points {
            let (x, y) = (self.x + x * self.scale, self.y - y * self.scale);
            write!(self.d, "{x:.2} {y:.2} ").expect("writing to a String");
        }
    }
}

impl OutlineBuilder for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.point('M', &[(x, y)]);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.point('L', &[(x, y)]);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.point('Q', &[(x1, y1), (x, y)]);
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.point('C', &[(x1, y1), (x2, y2), (x, y)]);
    }

    fn close(&mut self) {
        self.d.push('Z');
    }
}

/// The value of a property `node` sets or inherits from the nearest ancestor.
fn inherited<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.ancestors().find_map(|n| n.attribute(name))
}

/// The font size of `node` in user units: the outermost `font-size` set on it or an
/// ancestor, each inner one relative to it where it is in `em` or `%`.
fn font_size(node: Node) -> Result<f32> {
    let sizes: Vec<&str> = (node.ancestors())
        .filter_map(|n| n.attribute("font-size"))
        .collect();
    sizes.iter().rev().try_fold(DEFAULT_SIZE, |parent, value| {
        length(value, parent, true)
            .filter(|size| *size > 0.0)
            .ok_or_else(|| anyhow!("font-size \"{value}\" is not a size stateof can draw"))
    })
}

/// The first length of `text`'s `x`, `y`, `dx` or `dy` list, in user units (0 when
/// it has none).
fn position(text: Node, name: &str, em: f32) -> Result<f32> {
    let Some(value) = text.attribute(name) else {
        return Ok(0.0);
    };
    let first = (value.split([' ', ',']))
        .find(|v| !v.is_empty())
        .unwrap_or("0");
    length(first, em, false).ok_or_else(|| {
        anyhow!("{name}=\"{value}\" is not a position stateof can draw (a number, px or em)")
    })
}

/// A length in user units: a number, or one in `px` or `em` (of `em`), and for a font
/// size `%` (of `em`); none for other units and for what is not a finite number.
fn length(value: &str, em: f32, percent: bool) -> Option<f32> {
    let value = value.trim();
    let (number, unit) = if let Some(number) = value.strip_suffix("px") {
        (number, 1.0)
    } else if let Some(number) = value.strip_suffix("em") {
        (number, em)
    } else if let Some(number) = value.strip_suffix('%').filter(|_| percent) {
        (number, em / 100.0)
    } else {
        (value, 1.0)
    };
    let number: f32 = number.trim().parse().ok()?;
    Some(number * unit).filter(|length| length.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faces() -> Fonts {
        Fonts::bundled()
    }

    fn svg(body: &str) -> String {
        format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100">{body}</svg>"#)
    }

    /// The `d` of the one path `outline_text` makes of `body`.
    fn d(body: &str) -> String {
        let out = outline_text(&svg(body), &faces()).unwrap();
        let start = out.find(" d=\"").expect("a path") + 4;
        out[start..start + out[start..].find('"').unwrap()].to_owned()
    }

    /// The least and greatest x and y the path data reaches.
    fn bounds(d: &str) -> [f32; 4] {
        let numbers: Vec<f32> = (d.split(|c: char| c.is_ascii_alphabetic() || c == ' '))
            .filter(|n| !n.is_empty())
            .map(|n| n.parse().unwrap())
            .collect();
        let (xs, ys): (Vec<f32>, Vec<f32>) = numbers.chunks(2).map(|p| (p[0], p[1])).unzip();
        let min = |v: &[f32]| v.iter().copied().fold(f32::INFINITY, f32::min);
        let max = |v: &[f32]| v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        [min(&xs), max(&xs), min(&ys), max(&ys)]
    }

    #[test]
    fn only_text_elements_change() {
        let body = r##"<title>a &amp; b</title><rect x="1" y="2" width="3" height="4"/>
            <text x="10" y="50" font-size="20" fill="#123456" class="so-ink">Hub</text>
            <g fill="red"><text x="10" y="90">2</text></g>"##;
        let out = outline_text(&svg(body), &faces()).unwrap();
        assert!(
            out.starts_with(&svg("<title>a &amp; b</title>")[..90]),
            "{out}"
        );
        assert!(out.contains(r#"<rect x="1" y="2" width="3" height="4"/>"#));
        assert!(!out.contains("<text"), "{out}");
        assert_eq!(out.matches("<path d=\"M").count(), 2, "{out}");
        assert!(
            out.contains(r##" fill="#123456" class="so-ink"/>"##),
            "{out}"
        );
        assert!(
            !out.contains("font-size") && !out.contains(" x=\"10\""),
            "{out}"
        );
        assert!(out.contains(r#"<g fill="red"><path d="M"#), "{out}");
    }

    #[test]
    fn glyphs_sit_on_the_baseline_at_the_font_size() {
        let [left, _, top, bottom] = bounds(&d(r#"<text x="10" y="50" font-size="100">H</text>"#));
        assert!((left - 10.0).abs() < 15.0, "{left}");
        assert!(
            (bottom - 50.0).abs() < 0.01,
            "H rests on the baseline: {bottom}"
        );
        // DejaVu's capitals are 0.73 em tall.
        assert!((50.0 - top - 73.0).abs() < 1.0, "{top}");
        let small = bounds(&d(r#"<text x="10" y="50" font-size="10">H</text>"#));
        assert!((50.0 - small[2] - 7.3).abs() < 0.1, "{small:?}");
    }

    #[test]
    fn anchors_place_the_text_around_x() {
        let at = |anchor: &str| {
            let body =
                format!(r#"<text x="200" y="50" font-size="20" text-anchor="{anchor}">Hub</text>"#);
            bounds(&d(&body))
        };
        let [start_left, start_right, ..] = at("start");
        let [end_left, end_right, ..] = at("end");
        let [middle_left, middle_right, ..] = at("middle");
        assert!(
            start_left >= 200.0 && start_right > 230.0,
            "{start_left} {start_right}"
        );
        assert!(
            end_right <= 200.0 && end_left < 170.0,
            "{end_left} {end_right}"
        );
        assert!(middle_left < 200.0 && middle_right > 200.0);
        let width = start_right - start_left;
        assert!(((middle_left + middle_right) / 2.0 - 200.0).abs() < width * 0.1);
    }

    #[test]
    fn properties_are_inherited_and_em_offsets_scale() {
        let own = d(
            r#"<text x="0" y="80" font-size="40" font-weight="bold" text-anchor="end">7%</text>"#,
        );
        let inherited = d(
            r#"<g font-size="20" font-weight="700"><g text-anchor="end" font-size="200%">
            <text x="0" y="0" dy="2em">7%</text></g></g>"#,
        );
        assert_eq!(own, inherited);
        let regular = d(r#"<text x="0" y="80" font-size="40" text-anchor="end">7%</text>"#);
        assert_ne!(own, regular, "bold is drawn in the bold face");
        let [bold_left, ..] = bounds(&own);
        assert!(bold_left < bounds(&regular)[0], "bold is wider");
    }

    #[test]
    fn characters_come_from_entities_and_spans_with_whitespace_collapsed() {
        let plain = d(r#"<text x="5" y="50">a &lt; b</text>"#);
        let spread = d("<text x=\"5\" y=\"50\">\n  a\n  <tspan>&#60;</tspan>   b\n</text>");
        assert_eq!(plain, spread);
        let out = outline_text(&svg(r#"<text x="5" y="5">  </text>"#), &faces()).unwrap();
        assert_eq!(out, svg(""), "empty text draws nothing");
    }

    #[test]
    fn pairs_are_kerned() {
        let width = |text: &str| {
            let [left, right, ..] = bounds(&d(&format!(r#"<text font-size="100">{text}</text>"#)));
            right - left
        };
        // "AV" overlaps its letters' boxes by the kern table's pair adjustment.
        let face = faces().regular;
        let (a, v) = (
            face.glyph_index('A').unwrap(),
            face.glyph_index('V').unwrap(),
        );
        assert!(kerning(&face, a, v) < 0);
        assert!(width("AV") < width("A") + width("V"));
    }

    #[test]
    fn a_length_it_cannot_draw_names_the_text() {
        let err = outline_text(&svg("\n<text font-size=\"large\">x</text>"), &faces()).unwrap_err();
        let message = format!("{err:#}");
        assert!(message.contains("the drawn SVG's text at 2:1"), "{message}");
        assert!(message.contains("font-size \"large\""), "{message}");
        assert_eq!(length("12px", 10.0, false), Some(12.0));
        assert_eq!(length("1.5em", 10.0, false), Some(15.0));
        assert_eq!(length("1e1", 10.0, false), Some(10.0));
        assert_eq!(length("50%", 10.0, true), Some(5.0));
        assert_eq!(length("50%", 10.0, false), None);
        assert_eq!(length("3pt", 10.0, true), None);
        assert_eq!(length("inf", 10.0, true), None);
        let error = |body: &str| format!("{:#}", outline_text(&svg(body), &faces()).unwrap_err());
        assert!(error(r#"<text x="50%">x</text>"#).contains(r#"x="50%" is not a position"#));
        assert!(error(r#"<text font-size="-3">x</text>"#).contains("font-size \"-3\""));
    }

    #[test]
    fn what_it_would_draw_wrongly_is_an_error() {
        let error = |body: &str| format!("{:#}", outline_text(&svg(body), &faces()).unwrap_err());
        let spans = error(r#"<text x="5" y="20">a<tspan x="5" dy="1.2em">b</tspan></text>"#);
        assert!(spans.contains("a <tspan> inside it sets `x`"), "{spans}");
        let css = error(r#"<style>text { font-size: 30px }</style><text>a</text>"#);
        assert!(css.contains("sets `font-size` in CSS at 1:"), "{css}");
        let inline = error(r#"<g style="fill:red;text-anchor:end"><text>a</text></g>"#);
        assert!(inline.contains("`text-anchor`"), "{inline}");
        // Colours and families in CSS are fine: the path takes the class and fill.
        let fine = r#"<style>.a{fill:#123;font-family:serif}</style><text class="a">a</text>"#;
        assert!(outline_text(&svg(fine), &faces()).is_ok());
    }

    #[test]
    fn a_doctype_is_read_and_deep_nesting_is_no_crash() {
        let doctype = "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \
            \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n";
        let out = outline_text(&format!("{doctype}{}", svg("<text>a</text>")), &faces()).unwrap();
        assert!(
            out.starts_with(doctype) && out.contains("<path d=\"M"),
            "{out}"
        );
        let deep = format!(
            "{}<text font-size=\"2em\">a</text>{}",
            "<g font-size=\"101%\">".repeat(5000),
            "</g>".repeat(5000)
        );
        // roxmltree refuses nesting this deep; either way, an error and no overflow.
        let _ = outline_text(&svg(&deep), &faces());
        let spaced = d("<text>\u{a0}a\u{a0}</text>");
        assert_ne!(spaced, d("<text>a</text>"), "no-break spaces are kept");
    }
}
