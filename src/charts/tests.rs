//! Tests for the charts: a snapshot per kind on small fixed data, then properties every
//! chart keeps: same bytes for the same input, escaped data, well-formed XML, unique
//! ids, clear errors, and text that stays inside the viewBox without overlapping.

use super::layout::text_width;
use super::*;
use crate::config::Format;
use crate::figures::Provenance;

fn figure(points: &[(&str, f64)], format: Format) -> Figure {
    let points = points
        .iter()
        .map(|(label, value)| Point {
            label: (*label).to_owned(),
            value: *value,
        })
        .collect();
    Figure {
        label: "A figure".to_owned(),
        format,
        value: Value::Series(points),
        provenance: Provenance {
            definition: "test data".to_owned(),
            edition: "2026-spring".to_owned(),
            snapshot_date: None,
            rows: None,
            source: None,
            source_url: None,
        },
    }
}

fn def(kind: ChartKind, title: &str) -> ChartDef {
    ChartDef {
        kind,
        figure: "fig".to_owned(),
        title: title.to_owned(),
        caption: None,
    }
}

fn draw(name: &str, kind: ChartKind, figure: &Figure, compare: Option<&Figure>) -> Result<String> {
    let def = def(kind, "Share of downloads by country");
    render(&ChartInput {
        name,
        def: &def,
        figure,
        compare: compare.map(|f| ("Spring 2025", f)),
        edition: "Spring 2026",
    })
}

fn countries() -> Figure {
    let shares = [
        ("China", 0.41),
        ("United States", 0.37),
        ("France", 0.06),
        ("Other", 0.16),
    ];
    figure(&shares, Format::Percent)
}

fn countries_before() -> Figure {
    let shares = [("United States", 0.70), ("China", 0.2), ("Israel", 0.02)];
    figure(&shares, Format::Percent)
}

fn months(n: usize, start_year: i32) -> Figure {
    let labels: Vec<String> = (0..n)
        .map(|i| format!("{}-{:02}", start_year + (i / 12) as i32, i % 12 + 1))
        .collect();
    let points: Vec<(&str, f64)> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), (1000.0 * 1.12f64.powi(i as i32)).round()))
        .collect();
    figure(&points, Format::Thousands)
}

fn histogram() -> Figure {
    let bins = [
        ("0", 9800.0),
        ("1\u{2013}9", 11200.0),
        ("10\u{2013}99", 9100.0),
        ("100\u{2013}999", 5600.0),
        ("1K\u{2013}9.9K", 2900.0),
        ("10K\u{2013}99K", 1100.0),
        ("100K\u{2013}999K", 260.0),
        ("1M+", 38.0),
    ];
    figure(&bins, Format::Thousands)
}

fn lorenz() -> Figure {
    let labels: Vec<String> = (0..=20).map(|i| format!("{}", i as f64 / 20.0)).collect();
    let points: Vec<(&str, f64)> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), (i as f64 / 20.0).powi(6)))
        .collect();
    figure(&points, Format::Percent)
}

#[test]
fn bar_snapshot() {
    insta::assert_snapshot!(draw("by_country", ChartKind::Bar, &countries(), None).unwrap());
}

#[test]
fn grouped_bar_snapshot() {
    let svg = draw(
        "by_country",
        ChartKind::GroupedBar,
        &countries(),
        Some(&countries_before()),
    );
    insta::assert_snapshot!(svg.unwrap());
}

#[test]
fn line_snapshot() {
    insta::assert_snapshot!(draw("models", ChartKind::Line, &months(14, 2024), None).unwrap());
}

#[test]
fn area_snapshot() {
    insta::assert_snapshot!(draw("models", ChartKind::Area, &months(30, 2023), None).unwrap());
}

#[test]
fn histogram_snapshot() {
    insta::assert_snapshot!(draw("downloads", ChartKind::Histogram, &histogram(), None).unwrap());
}

#[test]
fn lorenz_snapshot() {
    insta::assert_snapshot!(draw("lorenz", ChartKind::Lorenz, &lorenz(), None).unwrap());
}

/// Every fixture, drawn by every kind that takes its labels.
fn gallery() -> Vec<String> {
    let long = figure(
        &[
            (
                "meta-llama/Llama-3.1-8B-Instruct-with-an-absurdly-long-suffix",
                0.5,
            ),
            ("Qwen/Qwen2.5-7B-Instruct", 0.3),
            (
                "\u{901a}\u{4e49}\u{5343}\u{95ee}/Qwen-\u{5927}\u{6a21}\u{578b}-series",
                0.2,
            ),
        ],
        Format::Percent,
    );
    let many_bins: Vec<(String, f64)> = (0..16)
        .map(|i| (format!("{i}00K\u{2013}{i}99K"), 10.0 * (16 - i) as f64))
        .collect();
    let many_bins: Vec<(&str, f64)> = many_bins.iter().map(|(l, v)| (l.as_str(), *v)).collect();
    let cases = [
        (ChartKind::Bar, countries(), None),
        (ChartKind::Bar, long.clone(), None),
        (ChartKind::GroupedBar, countries(), Some(countries_before())),
        (ChartKind::GroupedBar, long, Some(countries_before())),
        (ChartKind::GroupedBar, countries(), None),
        (ChartKind::Line, months(40, 2023), None),
        (ChartKind::Line, months(6, 2025), None),
        (ChartKind::Line, months(1, 2025), None),
        (ChartKind::Area, months(150, 2014), None),
        (ChartKind::Histogram, histogram(), None),
        (
            ChartKind::Histogram,
            figure(&many_bins, Format::Thousands),
            None,
        ),
        (ChartKind::Lorenz, lorenz(), None),
    ];
    cases
        .iter()
        .enumerate()
        .map(|(i, (kind, fig, before))| {
            draw(&format!("c{i}"), *kind, fig, before.as_ref()).unwrap()
        })
        .collect()
}

#[test]
fn same_input_gives_the_same_bytes() {
    assert_eq!(gallery(), gallery());
}

#[test]
fn data_and_titles_are_escaped() {
    let nasty = "<script>&\"x\"\u{1}'";
    let fig = figure(&[(nasty, 0.5), ("ok", 0.25)], Format::Percent);
    for kind in [ChartKind::Bar, ChartKind::GroupedBar, ChartKind::Histogram] {
        let def = def(kind, "Top <b>models</b> & \"friends\"");
        let svg = render(&ChartInput {
            name: "x",
            def: &def,
            figure: &fig,
            compare: Some(("<i>then</i>", &fig)),
            edition: "now & later",
        })
        .unwrap();
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("<b>") && !svg.contains("<i>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;&amp;&quot;x&quot;"), "{svg}");
        assert!(!svg.contains('\u{1}') && !svg.contains("'</text>"), "{svg}");
        assert!(svg.contains("<title id=\"so-x-title\">Top &lt;b&gt;models&lt;/b&gt; &amp;"));
        well_formed(&svg);
    }
}

#[test]
fn every_chart_is_well_formed_and_accessible() {
    for (i, svg) in gallery().iter().enumerate() {
        well_formed(svg);
        let root = &svg[..svg.find('>').unwrap()];
        assert!(root.contains("role=\"img\""), "{root}");
        assert!(root.contains(&format!("aria-labelledby=\"so-c{i}-title so-c{i}-desc\"")));
        assert!(root.contains("viewBox=\"0 0 720 ") && root.contains("width=\"100%\""));
        assert!(!root.contains("height="), "no fixed pixel height: {root}");
        assert!(svg.contains(&format!("<desc id=\"so-c{i}-desc\">")));
        assert!(svg.contains("@media (prefers-color-scheme: dark)"));
    }
}

#[test]
fn descriptions_read_out_the_data() {
    let svg = draw("c", ChartKind::Bar, &countries(), None).unwrap();
    assert!(svg.contains("Bar chart. China 41%; United States 37%; France 6%; Other 16%."));
    let svg = draw(
        "c",
        ChartKind::GroupedBar,
        &countries(),
        Some(&countries_before()),
    )
    .unwrap();
    assert!(svg.contains("China 41%, up from 20%"), "{svg}");
    assert!(svg.contains("United States 37%, down from 70%"), "{svg}");
    assert!(
        svg.contains("France 6%, not listed in Spring 2025"),
        "{svg}"
    );
    assert!(
        svg.contains("Israel not listed, 2% in Spring 2025"),
        "{svg}"
    );
    let svg = draw("c", ChartKind::Lorenz, &lorenz(), None).unwrap();
    assert!(
        svg.contains("the top 10%") || svg.contains("Top 10%"),
        "{svg}"
    );
}

#[test]
fn ids_are_safe_and_distinct() {
    assert_eq!(id_base("by_country"), "so-by_country");
    let (a, b) = (id_base("a b"), id_base("a/b"));
    assert!(
        a.starts_with("so-a-b-") && b.starts_with("so-a-b-") && a != b,
        "{a} {b}"
    );
    assert!(id_base("\"><x")
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-'));
}

#[test]
fn a_number_is_not_a_chart() {
    let mut fig = countries();
    fig.value = Value::Number(0.41);
    let err = draw("us_share", ChartKind::Bar, &fig, None).unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains("chart `us_share` (bar)"), "{text}");
    assert!(
        text.contains("figure `fig`") && text.contains("is a number"),
        "{text}"
    );
}

#[test]
fn bad_labels_are_errors_naming_the_label() {
    let fig = figure(&[("2024-13", 1.0)], Format::Thousands);
    let err = format!("{:#}", draw("m", ChartKind::Line, &fig, None).unwrap_err());
    assert!(err.contains("chart `m` (line)"), "{err}");
    assert!(err.contains("`2024-13` is not a month"), "{err}");
    let fig = figure(&[("half", 0.5)], Format::Percent);
    let err = format!(
        "{:#}",
        draw("l", ChartKind::Lorenz, &fig, None).unwrap_err()
    );
    assert!(err.contains("`half` is not a population share"), "{err}");
}

#[test]
fn an_empty_series_says_no_data() {
    let svg = draw("e", ChartKind::Line, &figure(&[], Format::Thousands), None).unwrap();
    assert!(svg.contains(">No data</text>") && svg.contains("Line chart with no data."));
}

#[test]
fn text_stays_inside_the_viewbox_and_apart() {
    for svg in gallery() {
        let root = &svg[..svg.find('>').unwrap()];
        let height: f64 = attr(root, "viewBox").unwrap()[8..].parse().unwrap();
        let texts = texts(&svg);
        for t in &texts {
            assert!(
                t.x0 >= 0.0 && t.x1 <= 720.0 && t.y0 >= 0.0 && t.y1 <= height,
                "{:?} leaves the viewBox in\n{svg}",
                t.text
            );
        }
        for (i, a) in texts.iter().enumerate() {
            for b in &texts[i + 1..] {
                let apart = a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0;
                assert!(apart, "{:?} overlaps {:?}", a.text, b.text);
            }
        }
    }
}

#[test]
fn crowded_bin_labels_turn_upright() {
    let svg = &gallery()[10];
    let upright = texts(svg).iter().filter(|t| t.upright).count();
    assert_eq!(upright, 16, "{svg}");
    assert!(svg.contains("transform=\"rotate(270, "), "{svg}");
}

#[test]
fn long_labels_are_cut_with_an_ellipsis() {
    let svg = &gallery()[1];
    assert!(
        svg.contains("meta-llama/Llama-3.1-8B-Instruct\u{2026}") || svg.contains("\u{2026}</text>")
    );
    assert!(!svg.contains("absurdly-long-suffix</text>"));
    // The desc keeps the whole label for screen readers.
    assert!(svg.contains("absurdly-long-suffix 50%"));
}

/// A text element's estimated box in the viewBox.
#[derive(Debug)]
struct Placed {
    text: String,
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    /// Turned a quarter counter-clockwise (`rotate(270, x, y)`), reading upward.
    upright: bool,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(tag[start..start + tag[start..].find('"')?].to_owned())
}

/// The text elements, measured as drawn in viewBox units: plotters anchors each at its
/// top (`y`) and moves the baseline down by `dy` (in ems); an upright text turns around
/// (`x`, `y`), so its baseline runs `dy` to the right of `x` and its letters go up from
/// the anchor. All of it sits in one group scaling plotters' pixels to the viewBox's.
fn texts(svg: &str) -> Vec<Placed> {
    let group = svg.find("<g transform=\"scale(").unwrap() + "<g transform=\"scale(".len();
    let scale: f64 = svg[group..group + svg[group..].find(')').unwrap()]
        .parse()
        .unwrap();
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
fn well_formed(svg: &str) {
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
