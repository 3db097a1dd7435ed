//! The charts' drawing primitives, drawn by plotters' SVG backend.
//!
//! A chart kind lists what it draws, in viewBox pixels, on an `Svg`: rectangles, lines,
//! polylines, polygons, circles and text, each in a colour role. `render` draws the list
//! through plotters (`SVGBackend` and its elements), which escapes text and rounds
//! coordinates to whole pixels: of a canvas `SCALE` times finer than the viewBox, in a
//! group scaled back down, since a curve through whole viewBox pixels visibly wobbles.
//! Plotters knows colours, not classes, so each role is drawn in a sentinel colour that
//! `restyle` then turns into the role's `so-*` class, its light colour as a fallback
//! attribute and its fixed attributes (dashes, round joins, the outline of the compared
//! edition's bars); `restyle` also puts each
//! text element on one line and rounds its font size.
//!
//! Plotters passes characters through that XML forbids, so text is `clean`ed before it
//! reaches plotters; `escape` serves the text the document writes itself (title, desc).

use anyhow::{bail, Result};
use plotters::coord::Shift;
use plotters::prelude::{
    Circle, Color, DrawingArea, FontDesc, FontFamily, FontStyle, FontTransform, IntoDrawingArea,
    PathElement, Polygon, RGBColor, Rectangle, SVGBackend, ShapeStyle, Text as Label, TextStyle,
};
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::theme::{Role, FONT_STACK, PREV_OUTLINE, ROLES};
use crate::escape;

/// Where a text's `x` sits within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// One text element: position of the baseline's anchor point, size, role.
#[derive(Debug, Clone)]
pub struct Text<'a> {
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub anchor: Anchor,
    pub role: Role,
    pub text: &'a str,
    /// Bold (value labels that carry the chart's message).
    pub bold: bool,
    /// Turned a quarter counter-clockwise around (x, y), reading upward.
    pub vertical: bool,
}

impl<'a> Text<'a> {
    pub fn new(x: f64, y: f64, size: f64, anchor: Anchor, role: Role, text: &'a str) -> Self {
        Text {
            x,
            y,
            size,
            anchor,
            role,
            text,
            bold: false,
            vertical: false,
        }
    }

    pub fn bold(self) -> Self {
        Text { bold: true, ..self }
    }

    pub fn vertical(self) -> Self {
        Text {
            vertical: true,
            ..self
        }
    }
}

/// Plotters' pixels per viewBox pixel.
const SCALE: f64 = 10.0;
/// Plotters sets text from its top (`dy="0.76em"`); this far above the baseline.
const TOP_TO_BASELINE: f64 = 0.76;
/// Plotters writes `font-size` as the requested size divided by this.
const PLOTTERS_FONT_SCALE: f64 = 1.24;

/// One thing to draw, in viewBox pixels.
#[derive(Debug, Clone)]
enum Shape {
    Rect(Role, (f64, f64), (f64, f64)),
    Path(Role, Vec<(f64, f64)>, f64),
    Polygon(Role, Vec<(f64, f64)>),
    Circle(Role, (f64, f64), f64),
    Text(Words),
}

/// A text as plotters sets it.
#[derive(Debug, Clone)]
struct Words {
    role: Role,
    /// The baseline's anchor point moved up (vertical text: left) to the text's top.
    at: (f64, f64),
    size: f64,
    anchor: Anchor,
    bold: bool,
    vertical: bool,
    text: String,
}

impl Words {
    fn style(&self) -> TextStyle<'static> {
        let weight = if self.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        let size = self.size * SCALE * PLOTTERS_FONT_SCALE;
        let mut font = FontDesc::new(FontFamily::Name(FONT_STACK), size, weight);
        if self.vertical {
            font = font.transform(FontTransform::Rotate270);
        }
        let h_pos = match self.anchor {
            Anchor::Start => HPos::Left,
            Anchor::Middle => HPos::Center,
            Anchor::End => HPos::Right,
        };
        TextStyle {
            font,
            color: sentinel(self.role).to_backend_color(),
            pos: Pos::new(h_pos, VPos::Top),
        }
    }
}

/// A chart's body: the shapes and text to draw, in drawing order.
#[derive(Debug, Default)]
pub struct Svg {
    shapes: Vec<Shape>,
}

impl Svg {
    pub fn new() -> Self {
        Svg::default()
    }

    /// A filled rectangle; an outlined role's outline is drawn inside it.
    pub fn rect(&mut self, role: Role, x: f64, y: f64, w: f64, h: f64) {
        let (w, h) = (w.max(0.0), h.max(0.0));
        let inset = match role.outlined() {
            true => (PREV_OUTLINE / 2.0).min(w / 2.0).min(h / 2.0),
            false => 0.0,
        };
        let shape = Shape::Rect(role, (x + inset, y + inset), (x + w - inset, y + h - inset));
        self.shapes.push(shape);
    }

    /// A straight line `width` px wide (dashed when the role is).
    pub fn line(&mut self, role: Role, from: (f64, f64), to: (f64, f64), width: f64) {
        self.shapes.push(Shape::Path(role, vec![from, to], width));
    }

    /// An open polyline stroked in `role`.
    pub fn polyline(&mut self, role: Role, points: &[(f64, f64)], width: f64) {
        self.shapes.push(Shape::Path(role, points.to_vec(), width));
    }

    /// A closed polygon filled in `role`.
    pub fn polygon(&mut self, role: Role, points: &[(f64, f64)]) {
        self.shapes.push(Shape::Polygon(role, points.to_vec()));
    }

    pub fn circle(&mut self, role: Role, center: (f64, f64), r: f64) {
        self.shapes.push(Shape::Circle(role, center, r));
    }

    pub fn text(&mut self, t: &Text) {
        let drop = TOP_TO_BASELINE * t.size;
        let at = if t.vertical {
            (t.x - drop, t.y)
        } else {
            (t.x, t.y - drop)
        };
        self.shapes.push(Shape::Text(Words {
            role: t.role,
            at,
            size: t.size,
            anchor: t.anchor,
            bold: t.bold,
            vertical: t.vertical,
            text: escape::line(t.text),
        }));
    }

    /// The SVG elements for a `width` × `height` canvas (canvas first), without the
    /// root element: one group, scaled from plotters' pixels to the viewBox's.
    pub fn render(&self, width: f64, height: f64) -> Result<String> {
        let mut out = String::new();
        {
            let size = (px_len(width), px_len(height.ceil().max(1.0)));
            let area = SVGBackend::with_string(&mut out, size).into_drawing_area();
            area.fill(&sentinel(Role::Bg))?;
            for shape in &self.shapes {
                draw(&area, shape)?;
            }
            area.present()?;
        }
        restyle(&out)
    }
}

/// Draws one shape with plotters' elements, in its role's sentinel colour.
fn draw(area: &DrawingArea<SVGBackend, Shift>, shape: &Shape) -> Result<()> {
    let fill = |role: Role| ShapeStyle::from(sentinel(role)).filled();
    let path = |points: &[(f64, f64)]| points.iter().copied().map(px).collect::<Vec<_>>();
    match shape {
        Shape::Rect(role, a, b) => area.draw(&Rectangle::new([px(*a), px(*b)], fill(*role)))?,
        Shape::Path(role, points, width) => {
            let stroke = ShapeStyle::from(sentinel(*role)).stroke_width(px_len(*width).max(1));
            area.draw(&PathElement::new(path(points), stroke))?
        }
        Shape::Polygon(role, points) => area.draw(&Polygon::new(path(points), fill(*role)))?,
        Shape::Circle(role, c, r) => area.draw(&Circle::new(px(*c), px_len(*r), fill(*role)))?,
        Shape::Text(words) => {
            let label = Label::new(words.text.as_str(), px(words.at), words.style());
            area.draw(&label)?
        }
    }
    Ok(())
}

/// A point in plotters' whole pixels.
fn px((x, y): (f64, f64)) -> (i32, i32) {
    let round = |v: f64| {
        if v.is_finite() {
            (v * SCALE).round() as i32
        } else {
            0
        }
    };
    (round(x), round(y))
}

/// A length in plotters' whole pixels.
fn px_len(v: f64) -> u32 {
    if v.is_finite() {
        (v * SCALE).round().max(0.0) as u32
    } else {
        0
    }
}

/// The colour a role is drawn in until `restyle` replaces it: `#0102` and the role's
/// index. No real colour is ever drawn, so each sentinel stands for its role alone.
fn sentinel(role: Role) -> RGBColor {
    let index = ROLES.iter().position(|r| *r == role).unwrap_or(0);
    RGBColor(0x01, 0x02, index as u8)
}

/// A sentinel as plotters writes it in an attribute.
fn sentinel_attribute(role: Role) -> String {
    let RGBColor(r, g, b) = sentinel(role);
    format!("{}=\"#{r:02X}{g:02X}{b:02X}\"", role.property())
}

/// Plotters' document turned into the chart's elements: the root element replaced by a
/// group scaling plotters' pixels down (the caller writes its own root), sentinels
/// turned into classes and fallback colours, each text on one line with a short font
/// size.
fn restyle(document: &str) -> Result<String> {
    let body = document
        .split_once(">\n")
        .filter(|(root, _)| root.starts_with("<svg "))
        .and_then(|(_, rest)| rest.strip_suffix("</svg>\n"));
    let Some(body) = body else {
        bail!("plotters wrote an SVG document of an unexpected shape");
    };
    let roles: Vec<(String, String, bool)> = ROLES
        .iter()
        .map(|role| {
            let from = sentinel_attribute(*role);
            (from, role.attributes(SCALE), role.outlined())
        })
        .collect();
    let mut out = String::with_capacity(body.len() * 2);
    out.push_str(&format!("<g transform=\"scale({})\">\n", num(1.0 / SCALE)));
    let mut lines = body.lines();
    while let Some(line) = lines.next() {
        let mut element = line.to_owned();
        // Plotters writes `<text …>`, the text and `</text>` on lines of their own.
        if line.starts_with("<text ") {
            let text = lines.next().unwrap_or_default();
            let close = lines.next().unwrap_or_default();
            element = format!("{}{text}{close}", short_font_size(line));
        }
        if let Some((from, to, outlined)) = roles.iter().find(|(from, ..)| element.contains(from)) {
            element = element.replacen(from, to, 1);
            if *outlined {
                // The role's outline replaces plotters' `stroke="none"`.
                element = element.replacen(" stroke=\"none\"", "", 1);
            }
        }
        if element.contains("=\"#0102") {
            bail!("an element kept its sentinel colour: {element}");
        }
        out.push_str(&element);
        out.push('\n');
    }
    out.push_str("</g>\n");
    Ok(out)
}

/// `font-size="13.000000000000002"` (plotters' division by 1.24) as `font-size="13"`.
fn short_font_size(tag: &str) -> String {
    const ATTR: &str = " font-size=\"";
    let Some(start) = tag.find(ATTR).map(|i| i + ATTR.len()) else {
        return tag.to_owned();
    };
    let end = start + tag[start..].find('"').unwrap_or(0);
    match tag[start..end].parse::<f64>() {
        Ok(size) => format!("{}{}{}", &tag[..start], num(size), &tag[end..]),
        Err(_) => tag.to_owned(),
    }
}

/// A number with at most two decimals and no trailing zeros (`12`, `12.5`, `12.25`).
pub fn num(x: f64) -> String {
    let x = if x.is_finite() { x } else { 0.0 };
    let text = format!("{:.2}", x);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    match text {
        "-0" | "" => "0".to_owned(),
        t => t.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(12.256), "12.26");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn plotters_draws_classes_not_sentinels() {
        let mut out = Svg::new();
        out.rect(Role::Bar, 10.2, 5.0, 100.4, 20.0);
        out.rect(Role::Prev, 10.0, 30.0, 100.0, 20.0);
        out.line(Role::Ref, (0.0, 0.0), (50.0, 50.0), 1.5);
        out.polyline(Role::Line, &[(0.0, 0.0), (10.0, 5.0), (20.0, 0.0)], 2.5);
        out.text(&Text::new(30.0, 40.0, 13.0, Anchor::End, Role::Muted, "a < b").bold());
        let body = out.render(720.0, 60.0).unwrap();
        let mut lines: Vec<&str> = body.lines().collect();
        assert_eq!(lines.len(), 8, "{body}");
        // Plotters' pixels are tenths of the viewBox's.
        assert_eq!(lines[0], "<g transform=\"scale(0.1)\">");
        assert_eq!(lines[7], "</g>");
        let bg = lines[1];
        assert!(bg.contains("width=\"7200\" height=\"600\""), "{bg}");
        assert!(bg.contains("class=\"so-bg\" fill=\"none\""), "{bg}");
        let bar = lines[2];
        assert!(bar.contains("x=\"102\" y=\"50\" width=\"1004\" height=\"200\""));
        assert!(bar.contains("class=\"so-bar\" fill=\"#3a6ea8\""), "{bar}");
        // The compared edition's bar: pale, outlined inside its box, no `stroke="none"`.
        let prev = lines.remove(3);
        assert!(
            prev.contains("x=\"108\" y=\"308\" width=\"985\" height=\"185\""),
            "{prev}"
        );
        let outline = "class=\"so-prev\" fill=\"#e4ebf3\" stroke=\"#3a6ea8\" stroke-width=\"15\"";
        assert!(prev.contains(outline) && !prev.contains("none"), "{prev}");
        let dashed = "class=\"so-ref\" stroke=\"#7d8792\" stroke-dasharray=\"50 40\"";
        assert!(lines[3].contains(dashed), "{body}");
        assert!(lines[3].contains("stroke-width=\"15\""), "{body}");
        assert!(lines[4].contains("stroke-linejoin=\"round\""), "{body}");
        // The baseline stays at y = 40 (400 px): plotters sets the top, 0.76em above.
        let text = lines[5];
        let top = "x=\"300\" y=\"301\" dy=\"0.76em\" text-anchor=\"end\"";
        assert!(text.contains(top), "{text}");
        assert!(text.contains(" font-size=\"130\" "), "{text}");
        assert!(text.contains("font-weight=\"bold\""), "{text}");
        assert!(text.ends_with(">a &lt; b</text>"), "{text}");
        assert!(!body.contains("#0102"), "{body}");
    }
}
