//! A chart as a picture of its own, for the PNG download: the wide SVG with its title
//! above and its source and report below, since the file leaves behind the page that
//! gave it that context (as Our World in Data's downloads carry theirs). The text is
//! laid out here (widths from `layout`) and escaped once, as the chart's is.

use super::layout::{wrap, BOLD};
use super::theme::Role;
use crate::escape;

/// Space around the chart, in chart units.
const MARGIN: f64 = 20.0;
const TITLE_SIZE: f64 = 20.0;
const TITLE_LEADING: f64 = 26.0;
const NOTE_SIZE: f64 = 12.0;
const NOTE_LEADING: f64 = 16.0;

/// `svg`, a chart as `render` (then `literal`) writes it, inside a document of its own
/// on a white ground: `title` above it in at most two lines, and each of `notes`
/// below it in at most two lines. None when `svg` is not shaped as `render` writes.
pub fn framed(svg: &str, title: &str, notes: &[&str]) -> Option<String> {
    let (width, height) = super::view_box(svg)?;
    let title_lines = wrap(title, TITLE_SIZE * BOLD, width, 2);
    let note_lines: Vec<String> = (notes.iter())
        .flat_map(|note| wrap(note, NOTE_SIZE, width, 2))
        .collect();
    let chart_y = MARGIN + TITLE_LEADING * title_lines.len() as f64 + 6.0;
    let notes_y = chart_y + height + 10.0;
    let (outer_w, outer_h) = (
        width + 2.0 * MARGIN,
        notes_y + NOTE_LEADING * note_lines.len() as f64 + MARGIN,
    );
    let chart = placed(svg, MARGIN, chart_y, width, height)?;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{outer_w}\" height=\"{outer_h}\" \
         viewBox=\"0 0 {outer_w} {outer_h}\">\n<rect width=\"{outer_w}\" height=\"{outer_h}\" \
         fill=\"{}\"/>\n",
        Role::Bg.light()
    );
    for (i, line) in title_lines.iter().enumerate() {
        let y = MARGIN + TITLE_SIZE + TITLE_LEADING * i as f64;
        out += &text(line, y, TITLE_SIZE, "font-weight=\"bold\"", Role::Ink);
    }
    out += &chart;
    for (i, line) in note_lines.iter().enumerate() {
        let y = notes_y + NOTE_SIZE + NOTE_LEADING * i as f64;
        out += &text(line, y, NOTE_SIZE, "", Role::Muted);
    }
    out.push_str("</svg>\n");
    Some(out)
}

/// One line of text at the left margin, its baseline at `y`.
fn text(line: &str, y: f64, size: f64, extra: &str, role: Role) -> String {
    format!(
        "<text x=\"{MARGIN}\" y=\"{y}\" font-size=\"{size}\" {extra} fill=\"{}\">{}</text>\n",
        role.light(),
        escape::markup(line)
    )
}

/// The chart's root element given a place in the frame: its `width="100%"` becomes
/// a position and a size in the frame's units.
fn placed(svg: &str, x: f64, y: f64, width: f64, height: f64) -> Option<String> {
    let root_end = svg.find('>')?;
    let at = svg[..root_end].find(" width=\"100%\"")?;
    let place = format!(" x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"{height}\"");
    let rest = &svg[at + " width=\"100%\"".len()..];
    Some(format!("{}{place}{}", &svg[..at], rest.trim_end()) + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHART: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"so-chart\" \
        viewBox=\"0 0 720 160\" width=\"100%\" role=\"img\"><rect width=\"720\" \
        height=\"160\"/></svg>\n";

    #[test]
    fn the_chart_sits_between_its_title_and_notes() {
        let out = framed(
            CHART,
            "Who publishes models",
            &["Source: a snapshot.", "A report"],
        )
        .unwrap();
        let doc = roxmltree::Document::parse(&out).expect("well-formed");
        let root = doc.root_element();
        assert_eq!(root.attribute("width"), Some("760"));
        let texts: Vec<(&str, f64)> = (root.children())
            .filter(|n| n.has_tag_name("text"))
            .map(|n| {
                (
                    n.text().unwrap(),
                    n.attribute("y").unwrap().parse().unwrap(),
                )
            })
            .collect();
        let titles = ["Who publishes models", "Source: a snapshot.", "A report"];
        assert_eq!(texts.iter().map(|t| t.0).collect::<Vec<_>>(), titles);
        let chart = root.children().find(|n| n.has_tag_name("svg")).unwrap();
        let y: f64 = chart.attribute("y").unwrap().parse().unwrap();
        assert_eq!(chart.attribute("width"), Some("720"));
        assert_eq!(chart.attribute("height"), Some("160"));
        assert!(texts[0].1 < y, "the title is above the chart");
        assert!(texts[1].1 > y + 160.0, "the source is below it");
        let height: f64 = root.attribute("height").unwrap().parse().unwrap();
        assert!(texts[2].1 < height, "the last note is inside the picture");
    }

    #[test]
    fn text_is_escaped_and_long_titles_wrap() {
        let title = "Models <b>&amp; \"datasets\" ".repeat(8);
        let out = framed(CHART, &title, &[]).unwrap();
        let doc = roxmltree::Document::parse(&out).expect("well-formed");
        let lines: Vec<&str> = (doc.root_element().children())
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].starts_with("Models <b>&amp; \"datasets\""),
            "{lines:?}"
        );
        assert!(lines[1].ends_with('\u{2026}'), "{lines:?}");
        assert!(!out.contains("<b>"));
    }

    #[test]
    fn a_chart_not_shaped_as_render_writes_is_left_alone() {
        assert_eq!(framed("<svg viewBox=\"0 0 10 10\"></svg>", "T", &[]), None);
        assert_eq!(framed("<svg width=\"100%\"></svg>", "T", &[]), None);
    }
}
