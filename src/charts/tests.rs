//! Tests for the charts: a snapshot per kind on small fixed data (wide) and on realistic
//! data (narrow), then properties every chart keeps in both widths: same bytes for the
//! same input, escaped data, well-formed XML, unique ids, clear errors, and text that
//! stays inside the viewBox without overlapping other text or the bars.

mod compare;
mod fixtures;
mod inspect;

use super::*;
use crate::config::Format;
use fixtures::*;
use inspect::{rects, texts, view_box, well_formed};

const WIDTHS: [Width; 2] = [Width::Wide, Width::Narrow];

fn draw(name: &str, kind: ChartKind, figure: &Figure, compare: Option<&Figure>) -> Result<String> {
    draw_at(Width::Wide, name, kind, figure, compare)
}

fn draw_at(
    width: Width,
    name: &str,
    kind: ChartKind,
    figure: &Figure,
    compare: Option<&Figure>,
) -> Result<String> {
    let def = def(kind, "Share of downloads by country");
    render(&ChartInput {
        name,
        def: &def,
        figure,
        compare: compare.map(|f| ("Spring 2025", f)),
        edition: "Spring 2026",
        width,
    })
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

fn narrow(name: &str, kind: ChartKind, figure: &Figure, compare: Option<&Figure>) -> String {
    draw_at(Width::Narrow, name, kind, figure, compare).unwrap()
}

#[test]
fn narrow_bar_snapshot() {
    insta::assert_snapshot!(narrow("by_country", ChartKind::Bar, &countries(), None));
}

#[test]
fn narrow_bar_long_labels_snapshot() {
    insta::assert_snapshot!(narrow("by_base", ChartKind::Bar, &base_models(), None));
}

#[test]
fn narrow_grouped_bar_snapshot() {
    let (now, before) = (long_countries(), long_countries_before());
    let svg = narrow("by_country", ChartKind::GroupedBar, &now, Some(&before));
    insta::assert_snapshot!(svg);
}

#[test]
fn narrow_line_snapshot() {
    insta::assert_snapshot!(narrow("models", ChartKind::Line, &months(50, 2022), None));
}

#[test]
fn narrow_area_snapshot() {
    insta::assert_snapshot!(narrow("models", ChartKind::Area, &months(14, 2024), None));
}

#[test]
fn narrow_histogram_snapshot() {
    insta::assert_snapshot!(narrow("downloads", ChartKind::Histogram, &log_bins(), None));
}

#[test]
fn narrow_lorenz_snapshot() {
    insta::assert_snapshot!(narrow("lorenz", ChartKind::Lorenz, &steep_lorenz(), None));
}

/// Every fixture, drawn by every kind that takes its labels, at `width`.
fn gallery(width: Width) -> Vec<String> {
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
        (ChartKind::Bar, long_countries(), None),
        (ChartKind::Bar, base_models(), None),
        (
            ChartKind::GroupedBar,
            long_countries(),
            Some(long_countries_before()),
        ),
        (ChartKind::GroupedBar, base_models(), Some(base_models())),
        (ChartKind::Line, months(50, 2022), None),
        (ChartKind::Area, months(14, 2024), None),
        (ChartKind::Histogram, log_bins(), None),
        (ChartKind::Lorenz, steep_lorenz(), None),
        (
            ChartKind::GroupedBar,
            countries_shares(),
            Some(countries_shares_before()),
        ),
    ];
    cases
        .iter()
        .enumerate()
        .map(|(i, (kind, fig, before))| {
            draw_at(width, &format!("c{i}"), *kind, fig, before.as_ref()).unwrap()
        })
        .collect()
}

#[test]
fn same_input_gives_the_same_bytes() {
    for width in WIDTHS {
        assert_eq!(gallery(width), gallery(width));
    }
}

#[test]
fn data_and_titles_are_escaped() {
    let nasty = "<script>&\"x\"\u{1}'";
    let fig = figure(&[(nasty, 0.5), ("ok", 0.25)], Format::Percent);
    let kinds = [ChartKind::Bar, ChartKind::GroupedBar, ChartKind::Histogram];
    for (kind, width) in kinds.into_iter().flat_map(|k| WIDTHS.map(|w| (k, w))) {
        let def = def(kind, "Top <b>models</b> & \"friends\"");
        let svg = render(&ChartInput {
            name: "x",
            def: &def,
            figure: &fig,
            compare: Some(("<i>then</i>", &fig)),
            edition: "now & later",
            width,
        })
        .unwrap();
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("<b>") && !svg.contains("<i>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;&amp;&quot;x&quot;"), "{svg}");
        assert!(!svg.contains('\u{1}') && !svg.contains("'</text>"), "{svg}");
        let id = if width == Width::Wide {
            "so-x"
        } else {
            "so-x-narrow"
        };
        let title = format!("<title id=\"{id}-title\">Top &lt;b&gt;models&lt;/b&gt; &amp;");
        assert!(svg.contains(&title), "{svg}");
        well_formed(&svg);
    }
}

#[test]
fn every_chart_is_well_formed_and_accessible() {
    for (width, suffix, units) in [(Width::Wide, "", "720"), (Width::Narrow, "-narrow", "280")] {
        for (i, svg) in gallery(width).iter().enumerate() {
            well_formed(svg);
            let root = &svg[..svg.find('>').unwrap()];
            let id = format!("so-c{i}{suffix}");
            assert!(root.contains("role=\"img\""), "{root}");
            assert!(root.contains(&format!("aria-labelledby=\"{id}-title\"")));
            assert!(root.contains(&format!("aria-describedby=\"{id}-desc\"")));
            assert!(root.contains(&format!("viewBox=\"0 0 {units} ")), "{root}");
            assert!(root.contains("width=\"100%\""), "{root}");
            assert!(!root.contains("height="), "no fixed pixel height: {root}");
            assert!(svg.contains(&format!("<title id=\"{id}-title\">")));
            assert!(svg.contains(&format!("<desc id=\"{id}-desc\">")));
            assert!(svg.contains("@media (prefers-color-scheme: dark)"));
        }
    }
}

#[test]
fn both_widths_can_share_a_page() {
    let ids = |svg: &str| -> Vec<String> {
        svg.match_indices(" id=\"")
            .map(|(i, _)| svg[i + 5..i + 5 + svg[i + 5..].find('"').unwrap()].to_owned())
            .collect()
    };
    for (wide, narrow) in gallery(Width::Wide).iter().zip(gallery(Width::Narrow)) {
        let (wide, narrow) = (ids(wide), ids(&narrow));
        assert_eq!(wide.len(), 2, "{wide:?}");
        assert!(narrow.iter().all(|id| !wide.contains(id)), "{narrow:?}");
    }
}

#[test]
fn descriptions_read_out_the_data() {
    let svg = draw("c", ChartKind::Bar, &countries(), None).unwrap();
    let svg = svg + &narrow("c", ChartKind::Bar, &countries(), None);
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
    for svg in WIDTHS.into_iter().flat_map(gallery) {
        let (width, height) = view_box(&svg);
        let texts = texts(&svg);
        for t in &texts {
            assert!(
                t.x0 >= 0.0 && t.x1 <= width && t.y0 >= 0.0 && t.y1 <= height,
                "{:?} leaves the viewBox in\n{svg}",
                t.text
            );
        }
        for (i, a) in texts.iter().enumerate() {
            for b in &texts[i + 1..] {
                assert!(!a.rect().overlaps(&b.rect()), "{a:?} overlaps {b:?}\n{svg}");
            }
        }
        for r in rects(&svg) {
            assert!(
                r.x0 >= 0.0 && r.x1 <= width && r.y1 <= height,
                "{r:?}\n{svg}"
            );
            for t in &texts {
                assert!(!t.rect().overlaps(&r), "{t:?} overlaps a bar {r:?}\n{svg}");
            }
        }
    }
}

#[test]
fn crowded_bin_labels_turn_upright() {
    let svg = &gallery(Width::Wide)[10];
    let upright = texts(svg).iter().filter(|t| t.upright).count();
    assert_eq!(upright, 16, "{svg}");
    assert!(svg.contains("transform=\"rotate(270, "), "{svg}");
    // A phone's width has a line's room for every other one.
    let svg = &gallery(Width::Narrow)[10];
    let upright = texts(svg).iter().filter(|t| t.upright).count();
    assert_eq!(upright, 8, "{svg}");
}

#[test]
fn long_labels_are_cut_with_an_ellipsis() {
    for width in WIDTHS {
        let svg = &gallery(width)[1];
        assert!(svg.contains("\u{2026}</text>"), "{svg}");
        assert!(!svg.contains("absurdly-long-suffix</text>"));
        // The desc keeps the whole label for screen readers.
        assert!(svg.contains("absurdly-long-suffix 50%"));
    }
}

#[test]
fn narrow_bars_put_long_labels_above() {
    let svg = narrow("c", ChartKind::Bar, &long_countries(), None);
    let label = texts(&svg)
        .into_iter()
        .find(|t| t.text == "United Arab Emirates")
        .unwrap();
    // Above its bar, starting at the bars' left edge, not cut.
    assert!(label.x0 < 10.0, "{label:?}");
    let below = rects(&svg).into_iter().find(|r| r.y0 > label.y1).unwrap();
    assert!(below.y0 - label.y1 < 10.0, "{below:?}");
    // Short labels stay beside the bars.
    let svg = narrow("c", ChartKind::Bar, &countries(), None);
    let china = texts(&svg).into_iter().find(|t| t.text == "China").unwrap();
    assert!(china.x0 > 10.0, "{china:?}");
}

#[test]
fn a_narrow_legend_wraps_rather_than_cutting() {
    let fig = countries();
    let def = def(ChartKind::GroupedBar, "Shares");
    let svg = render(&ChartInput {
        name: "x",
        def: &def,
        figure: &fig,
        compare: Some(("The Spring 2025 edition of the report", &fig)),
        edition: "The Spring 2026 edition of the report",
        width: Width::Narrow,
    })
    .unwrap();
    let names: Vec<_> = texts(&svg)
        .into_iter()
        .filter(|t| t.text.starts_with("The Spring"))
        .collect();
    assert_eq!(names.len(), 2, "{svg}");
    assert!(names[1].y0 > names[0].y1, "{names:?}");
}

#[test]
fn percents_down_a_chart_show_the_same_decimals() {
    let fig = figure(&[("a", 0.07), ("b", 0.058), ("c", 0.0)], Format::Percent);
    let svg = draw("p", ChartKind::Bar, &fig, None).unwrap();
    for label in [">7.0%<", ">5.8%<", ">0.0%<"] {
        assert!(svg.contains(label), "{label} in {svg}");
    }
    // Whole percents stay whole when none has a decimal.
    let svg = draw("p", ChartKind::Bar, &countries(), None).unwrap();
    assert!(svg.contains(">41%<") && !svg.contains(".0%<"), "{svg}");
}
