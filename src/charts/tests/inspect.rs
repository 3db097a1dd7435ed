//! Reading a rendered chart back: its text elements' estimated boxes, its rectangles,
//! and a check that the markup is well formed.

use super::super::layout::{text_width, Rect};

/// A text element's estimated box in the viewBox.
#[derive(Debug)]
pub(super) struct Placed {
    pub text: String,
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    /// Turned a quarter counter-clockwise (`rotate(270, x, y)`), reading upward.
    pub upright: bool,
}

impl Placed {
    pub fn rect(&self) -> Rect {
        Rect {
            x0: self.x0,
            y0: self.y0,
            x1: self.x1,
            y1: self.y1,
        }
    }
}

pub(super) fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(tag[start..start + tag[start..].find('"')?].to_owned())
}

/// The scale of the group holding the drawing: plotters' pixels to the viewBox's.
fn scale(svg: &str) -> f64 {
    let group = svg.find("<g transform=\"scale(").unwrap() + "<g transform=\"scale(".len();
    svg[group..group + svg[group..].find(')').unwrap()]
        .parse()
        .unwrap()
}

/// The viewBox's width and height.
pub(super) fn view_box(svg: &str) -> (f64, f64) {
    let root = &svg[..svg.find('>').unwrap()];
    let view_box = attr(root, "viewBox").unwrap();
    let numbers: Vec<f64> = view_box.split(' ').map(|n| n.parse().unwrap()).collect();
    (numbers[2], numbers[3])
}

/// The rectangles drawn (bars, legend swatches), without the canvas, in viewBox units.
pub(super) fn rects(svg: &str) -> Vec<Rect> {
    let scale = scale(svg);
    svg.lines()
        .filter(|l| l.starts_with("<rect ") && !l.contains("class=\"so-bg\""))
        .map(|tag| {
            let num = |n: &str| attr(tag, n).unwrap().parse::<f64>().unwrap() * scale;
            let (x0, y0) = (num("x"), num("y"));
            let (x1, y1) = (x0 + num("width"), y0 + num("height"));
            Rect { x0, y0, x1, y1 }
        })
        .collect()
}

/// The text elements, measured as drawn in viewBox units: plotters anchors each at its
/// top (`y`) and moves the baseline down by `dy` (in ems); an upright text turns around
/// (`x`, `y`), so its baseline runs `dy` to the right of `x` and its letters go up from
/// the anchor. All of it sits in one group scaling plotters' pixels to the viewBox's.
pub(super) fn texts(svg: &str) -> Vec<Placed> {
    let scale = scale(svg);
    svg.lines()
        .filter(|l| l.starts_with("<text "))
        .map(|line| {
            let tag = &line[..line.find('>').unwrap()];
            let text = line[tag.len() + 1..line.len() - "</text>".len()]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
            let raw = |n: &str| attr(tag, n).unwrap();
            let num = |n: &str| raw(n).parse::<f64>().unwrap() * scale;
            let (x, y, size) = (num("x"), num("y"), num("font-size"));
            let dy = attr(tag, "dy").unwrap();
            let dy = dy.strip_suffix("em").unwrap().parse::<f64>().unwrap() * size;
            let width = text_width(&text, size)
                * if tag.contains("font-weight") {
                    1.1
                } else {
                    1.0
                };
            // Along the text: where it starts relative to its anchor.
            let start = match attr(tag, "text-anchor").as_deref() {
                Some("end") => -width,
                Some("middle") => -width / 2.0,
                _ => 0.0,
            };
            let upright = tag.contains("transform=");
            if upright {
                let turn = format!("rotate(270, {}, {})", raw("x"), raw("y"));
                assert!(tag.contains(&turn), "{tag}");
                let baseline = x + dy;
                Placed {
                    text,
                    x0: baseline - size * 0.8,
                    x1: baseline + size * 0.25,
                    y0: y - start - width,
                    y1: y - start,
                    upright,
                }
            } else {
                let baseline = y + dy;
                Placed {
                    text,
                    x0: x + start,
                    x1: x + start + width,
                    y0: baseline - size * 0.8,
                    y1: baseline + size * 0.25,
                    upright,
                }
            }
        })
        .collect()
}

/// Checks tags nest and close, attributes are quoted, and `&` only starts an entity.
pub(super) fn well_formed(svg: &str) {
    let mut open: Vec<String> = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        check_text(&rest[..start]);
        let end = start + rest[start..].find('>').expect("unclosed tag");
        let tag = &rest[start + 1..end];
        assert!(!tag.contains('<'), "`<` inside a tag: {tag}");
        assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes: {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop().as_deref(), Some(name), "mismatched </{name}>");
        } else if !tag.ends_with('/') {
            open.push(tag.split_whitespace().next().unwrap().to_owned());
        }
        check_text(tag);
        rest = &rest[end + 1..];
    }
    check_text(rest);
    assert!(open.is_empty(), "unclosed: {open:?}");
}

fn check_text(text: &str) {
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&apos;"].contains(&entity),
            "bare `&` in {text:?}"
        );
    }
}
