//! End-to-end tests of `parse_document` + `render` over hand-built figures.

use std::collections::BTreeMap;
use std::path::Path;

use super::*;
use crate::config::Format;
use crate::figures::{Cell, Figure, Provenance, Table, Value};

fn figure(label: &str, format: Format, value: Value, edition: &str) -> Figure {
    Figure {
        label: label.to_owned(),
        format,
        value,
        provenance: Provenance {
            definition: format!("{label} (definition)"),
            edition: edition.to_owned(),
            snapshot_date: Some("2026-03-01".to_owned()),
            rows: Some(1_234_567),
            ..Provenance::default()
        },
        groups: Vec::new(),
    }
}

/// Two editions: 2026-spring (this one) and 2025-spring (without the growth figure).
struct Fixture {
    figures: BTreeMap<String, Figures>,
    titles: BTreeMap<String, String>,
    dates: BTreeMap<String, crate::dates::Date>,
    charts: BTreeMap<String, String>,
}

impl Fixture {
    fn new() -> Self {
        let mut figures = BTreeMap::new();
        for (edition, top, us) in [("2026-spring", 0.496, 0.37), ("2025-spring", 0.52, 0.7)] {
            let mut f = Figures::new();
            let number = |label, format, x| figure(label, format, Value::Number(x), edition);
            f.insert(
                "top200_share".into(),
                number("Top-200 share", Format::Percent, top),
            );
            f.insert("us_share".into(), number("US share", Format::Percent, us));
            f.insert(
                "downloads".into(),
                number("Downloads", Format::Thousands, 2_130_000.0),
            );
            figures.insert(edition.to_owned(), f);
        }
        let this = figures.get_mut("2026-spring").unwrap();
        let growth = figure("Growth", Format::Change, Value::Number(0.83), "2026-spring");
        this.insert("model_growth".into(), growth);
        let mut sourced = figure(
            "Open models",
            Format::Thousands,
            Value::Number(1e6),
            "2026-spring",
        );
        sourced.provenance.source = Some("Epoch AI".into());
        sourced.provenance.source_url = Some("https://epoch.ai/x?a=1&b=2".into());
        this.insert("open_models".into(), sourced);
        let series = Value::Series(vec![crate::figures::Point {
            label: "US".into(),
            value: 0.4,
        }]);
        this.insert(
            "by_country".into(),
            figure("By country", Format::Percent, series, "2026-spring"),
        );
        let table = Value::Table(Table {
            columns: vec!["model".into(), "downloads".into()],
            rows: vec![
                vec![
                    Cell::Text("<script>alert('x')</script>".into()),
                    Cell::Number(1234567.0),
                ],
                vec![Cell::Text("a & b".into()), Cell::Number(950.0)],
            ],
        });
        this.insert(
            "top_models".into(),
            figure("Top <models>", Format::Thousands, table, "2026-spring"),
        );
        let titles = BTreeMap::from([
            ("2026-spring".to_owned(), "Spring 2026".to_owned()),
            ("2025-spring".to_owned(), "Spring 2025".to_owned()),
        ]);
        let charts = BTreeMap::from([(
            "downloads_by_country".to_owned(),
            "<figure class=\"chart\"><svg></svg></figure>".to_owned(),
        )]);
        let dates = BTreeMap::from([
            ("2026-spring".to_owned(), "2026-03-21".parse().unwrap()),
            ("2025-spring".to_owned(), "2025-03-20".parse().unwrap()),
        ]);
        Fixture {
            figures,
            titles,
            dates,
            charts,
        }
    }

    fn ctx(&self, edition: &'static str) -> Context<'_> {
        Context {
            edition,
            figures: &self.figures,
            edition_titles: &self.titles,
            edition_dates: &self.dates,
            charts: &self.charts,
            definitions: "/report/methodology/",
        }
    }
}

const HEAD: &str = "+++\ntitle = \"Spring 2026\"\ndate = \"2026-03-21\"\n+++\n";

fn render_body(body: &str) -> Result<Rendered> {
    let doc = parse_document(
        Path::new("content/2026-spring/index.md"),
        &format!("{HEAD}{body}"),
    )?;
    render(&doc, &Fixture::new().ctx("2026-spring"))
}

fn html(body: &str) -> String {
    render_body(body).unwrap().html
}

fn error(body: &str) -> String {
    render_body(body).unwrap_err().to_string()
}

#[test]
fn fig_links_to_its_definition_and_is_described_by_its_provenance() {
    let out = render_body("Top 200 hold {{ fig(name=\"top200_share\") }} of downloads.\n").unwrap();
    assert_eq!(
        out.html,
        "<p>Top 200 hold <span class=\"fig-ref\" id=\"fig-top200_share\">\
         <span class=\"fig-wrap\"><a class=\"fig-link\" \
         href=\"/report/methodology/#fig-top200_share\" aria-describedby=\"so-prov-1\">\
         <data class=\"fig\" value=\"0.496\">49.6%</data></a><span class=\"fig-note\" \
         id=\"so-prov-1\" role=\"tooltip\">Top-200 share: Top-200 share (definition); edition \
         Spring 2026 (2026-spring); snapshot 2026-03-01; 1,234,567 rows</span></span>\
         <a class=\"fig-permalink\" href=\"#fig-top200_share\" \
         aria-label=\"Link to the figure Top-200 share\">#</a></span> of downloads.</p>\n"
    );
    assert_eq!(out.figures_used, ["top200_share"]);
    assert!(out.charts_used.is_empty());
}

#[test]
fn every_value_on_a_page_has_its_own_note() {
    let out = html("{{ fig(name=\"us_share\") }}, {{ fig(name=\"us_share\") }}");
    let ids: Vec<&str> = out
        .split("aria-describedby=\"")
        .skip(1)
        .map(|s| &s[..9])
        .collect();
    assert_eq!(ids, ["so-prov-1", "so-prov-2"], "{out}");
    assert!(out.contains("id=\"so-prov-1\"") && out.contains("id=\"so-prov-2\""));
}

#[test]
fn fig_vs_shows_earlier_then_this_and_reads_the_arrow_as_to() {
    let out = html("US: {{fig(name=\"us_share\", vs=\"2025-spring\")}}");
    let arrow = "&nbsp;<span aria-hidden=\"true\">\u{2192}</span>\
                 <span class=\"visually-hidden\">to</span> ";
    let (before, after) = out.split_once(arrow).unwrap();
    assert!(before.contains(">70%</data></a>"), "{before}");
    assert!(
        before.contains("edition Spring 2025 (2025-spring)"),
        "{before}"
    );
    assert!(after.starts_with("<span class=\"fig-wrap\">"), "{after}");
    assert!(
        after.contains("<data class=\"fig\" value=\"0.37\">37%</data>"),
        "{after}"
    );
    assert!(
        after.contains("edition Spring 2026 (2026-spring)"),
        "{after}"
    );
}

#[test]
fn a_figure_in_a_links_text_is_not_a_link_itself() {
    let out = html("[US at {{ fig(name=\"us_share\") }}](https://example.org/)");
    assert_eq!(out.matches("<a ").count(), 1, "{out}");
    assert!(
        out.contains("<data class=\"fig\" value=\"0.37\" title=\"US share"),
        "{out}"
    );
}

#[test]
fn feeds_keep_the_links_and_drop_the_notes_and_permalinks() {
    let out = html("US: {{fig(name=\"us_share\", vs=\"2025-spring\")}}.");
    assert!(out.contains("fig-permalink"), "{out}");
    let feed = crate::markdown::for_feeds(&out);
    assert!(
        !feed.contains("fig-note") && !feed.contains("edition Spring"),
        "{feed}"
    );
    assert!(!feed.contains("visually-hidden"), "{feed}");
    assert!(!feed.contains("fig-permalink"), "{feed}");
    assert_eq!(feed.matches("<a class=\"fig-link\"").count(), 2, "{feed}");
    assert!(
        feed.contains(">70%</data></a></span>&nbsp;<span aria-hidden=\"true\">\u{2192}</span> "),
        "{feed}"
    );
    assert!(
        feed.ends_with(">37%</data></a></span></span>.</p>\n"),
        "{feed}"
    );
}

#[test]
fn format_overrides_the_figures_format() {
    assert!(html("{{ fig(name=\"downloads\") }}").contains(">2,130,000</data>"));
    assert!(html("{{ fig(name=\"downloads\", format=\"compact\") }}").contains(">2.1M</data>"));
    let e = error("{{ fig(name=\"downloads\", format=\"compct\") }}");
    assert!(
        e.contains("unknown format `compct` (did you mean `compact`?)"),
        "{e}"
    );
}

#[test]
fn sourced_figures_say_so() {
    let out = html("{{ fig(name=\"open_models\") }}");
    assert!(
        out.contains("<data class=\"fig sourced\" value=\"1000000\""),
        "{out}"
    );
    assert!(
        out.contains("source: Epoch AI, https://epoch.ai/x?a=1&amp;b=2</span>"),
        "{out}"
    );
}

#[test]
fn unknown_figure_names_file_line_and_suggestion() {
    let e = error("# Title\n\nSome text.\nThe share is {{ fig(name=\"top20_share\") }}.\n");
    assert_eq!(
        e,
        "content/2026-spring/index.md:8: unknown figure `top20_share` (did you mean `top200_share`?)"
    );
}

#[test]
fn wrong_names_and_arguments_are_errors() {
    let cases = [
        (
            "{{ figure(name=\"x\") }}",
            ":5: unknown shortcode `figure` (did you mean `fig`?)",
        ),
        (
            "{{ fig(nmae=\"x\") }}",
            ":5: `fig` has no argument `nmae` (did you mean `name`?)",
        ),
        (
            "{{ fig(vs=\"2025-spring\") }}",
            ":5: `fig` needs a `name` argument",
        ),
        (
            "{{ fig(name=\"a\", name=\"b\") }}",
            ":5: argument `name` is given twice",
        ),
        (
            "{{ chart(name=\"x\", vs=\"y\") }}",
            ":5: `chart` has no argument `vs`",
        ),
        (
            "\n{{ chart(name=\"downloads_by_contry\") }}",
            ":6: unknown chart `downloads_by_contry` (did you mean `downloads_by_country`?)",
        ),
        (
            "{{ fig(name=\"us_share\", vs=\"2025-sprng\") }}",
            ":5: unknown edition `2025-sprng` (did you mean `2025-spring`?)",
        ),
        (
            "{{ fig(name=\"by_country\") }}",
            ":5: figure `by_country` is a series, not a single number",
        ),
        (
            "{{ fig(name=\"top_models\") }}",
            ":5: figure `top_models` is a table, not a single number",
        ),
        (
            "{{ table(name=\"us_share\") }}",
            ":5: figure `us_share` is a single number, not a table",
        ),
        ("a\nb {{ fig(name=\"x\")\n", ":6: unterminated `{{`"),
    ];
    assert_located(&cases);
}

#[test]
fn a_figure_missing_from_an_edition_says_so() {
    let e = error("{{ fig(name=\"model_growth\", vs=\"2025-spring\") }}");
    assert!(
        e.contains(
            "figure `model_growth` has no value for edition `2025-spring` (only for 2026-spring)"
        ),
        "{e}"
    );
    assert!(!e.contains("growth figure"), "{e}");
    let fixture = Fixture::new();
    let doc = parse_document(
        Path::new("a.md"),
        &format!("{HEAD}{{{{ fig(name=\"model_growth\") }}}}"),
    )
    .unwrap();
    let e = render(&doc, &fixture.ctx("2025-spring"))
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("a.md:5: figure `model_growth` has no value for edition `2025-spring`"),
        "{e}"
    );
}

#[test]
fn a_chart_alone_replaces_its_paragraph() {
    let out =
        render_body("Intro.\n\n{{ chart(name=\"downloads_by_country\") }}\n\nAfter.\n").unwrap();
    assert_eq!(
        out.html,
        "<p>Intro.</p>\n<figure class=\"chart\"><svg></svg></figure>\n<p>After.</p>\n"
    );
    assert!(!out.html.contains("<p><figure"));
    assert_eq!(out.charts_used, ["downloads_by_country"]);
}

#[test]
fn a_chart_inside_a_sentence_is_an_error() {
    let e = error("See {{ chart(name=\"downloads_by_country\") }} here.");
    assert!(
        e.starts_with(
            "content/2026-spring/index.md:5: chart `downloads_by_country` must stand alone"
        ),
        "{e}"
    );
    assert!(error("## {{ table(name=\"top_models\") }}").contains("must stand alone"));
    assert!(html("- {{ chart(name=\"downloads_by_country\") }}").contains("<li><figure"));
}

#[test]
fn tables_escape_every_cell_and_align_numbers() {
    let out = render_body("{{ table(name=\"top_models\") }}\n").unwrap();
    assert!(!out.html.contains("<script>"), "{}", out.html);
    assert!(!out.html.contains("<p>"), "{}", out.html);
    // The first column heads its row; each value is labelled with its column.
    assert!(out.html.contains(
        "<th scope=\"row\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</th>\
         <td class=\"num\" data-label=\"downloads\">1,234,567</td>"
    ));
    assert!(out.html.contains(
        "<th scope=\"row\">a &amp; b</th><td class=\"num\" data-label=\"downloads\">950</td>"
    ));
    assert!(out.html.contains(
        "<div class=\"table-wrap\" role=\"region\" aria-label=\"Top &lt;models&gt;\" tabindex=\"0\">"
    ));
    assert!(out.html.contains("<caption>Top &lt;models&gt;</caption>"));
    assert!(out
        .html
        .contains("<th scope=\"col\">model</th><th scope=\"col\" class=\"num\">downloads</th>"));
    assert_eq!(out.figures_used, ["top_models"]);
}

#[test]
fn headings_get_unique_ids_and_explicit_ids_win() {
    let body = "# Growth\n\n## Growth\n\n## Growth {#growth-1}\n\n## Top 200: {{ fig(name=\"top200_share\") }}\n\n### `code` & *more*\n";
    let out = render_body(body).unwrap();
    let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        ["growth", "growth-2", "growth-1", "top-200", "code-more"]
    );
    let levels: Vec<u8> = out.headings.iter().map(|h| h.level).collect();
    assert_eq!(levels, [1, 2, 2, 2, 3]);
    assert_eq!(out.headings[3].text, "Top 200: 49.6%");
    assert_eq!(out.headings[4].text, "code & more");
    assert!(
        out.html.contains("<h2 id=\"growth-2\">Growth</h2>"),
        "{}",
        out.html
    );
    assert!(
        out.html
            .contains("<h2 id=\"top-200\">Top 200: <span class=\"fig-ref\" id=\"fig-top200_share\"><span class=\"fig-wrap\"><a class=\"fig-link\""),
        "{}",
        out.html
    );
    let e = error("## A {#x}\n\n## B {#x}\n");
    assert!(
        e.starts_with("content/2026-spring/index.md:7: two headings have the id `x`"),
        "{e}"
    );
}

#[test]
fn escaped_braces_and_code_are_left_as_written() {
    let out = html("Write \\{{ fig(name=\"x\") }} or `{{ fig(name=\"x\") }}`.\n\n```\n{{ chart(name=\"y\") }}\n```\n");
    assert!(
        out.starts_with("<p>Write {{ fig(name=“x”) }} or <code>{{ fig(name=\"x\") }}</code>.</p>"),
        "{out}"
    );
    assert!(
        out.contains("<pre><code>{{ chart(name=\"y\") }}\n</code></pre>"),
        "{out}"
    );
}

/// A shortcode inside a raw HTML tag (an attribute) never breaks the tag: a figure
/// becomes its value as escaped text, a chart or table is a located error.
#[test]
fn shortcodes_inside_html_tags_are_text_or_refused() {
    let out = html("See <abbr title=\"{{ fig(name=\"us_share\") }} of downloads\">US</abbr> and {{ fig(name=\"us_share\") }}.\n");
    assert!(
        out.contains(
            "<abbr title=\"37% of downloads\">US</abbr> and <span class=\"fig-ref\" \
             id=\"fig-us_share\"><span class=\"fig-wrap\">"
        ),
        "{out}"
    );
    let block = html("<div\n  title='{{ fig(name=\"us_share\", vs=\"2025-spring\") }}'>\n{{ fig(name=\"us_share\") }}</div>\n");
    assert!(block.contains("title='70%\u{a0}\u{2192} 37%'>"), "{block}");
    assert!(block.contains("<data class=\"fig\""), "{block}");
    // A tag is over at its `>`; a `>` inside a quoted value does not end it.
    let after = html("<span title=\"a > b\" data-x=\"{{ fig(name=\"us_share\") }}\">x</span>\n");
    assert!(after.contains("data-x=\"37%\">x</span>"), "{after}");
    let e = error("<a title=\"{{ chart(name=\"downloads_by_country\") }}\">x</a>\n");
    assert!(
        e.starts_with(
            "content/2026-spring/index.md:5: chart `downloads_by_country` is inside an HTML tag"
        ),
        "{e}"
    );
}

#[test]
fn markdown_extensions_and_raw_html_work() {
    let out = html("| a | b |\n|---|---|\n| 1 | {{ fig(name=\"us_share\") }} |\n\n~~old~~ \"quoted\"[^1]\n\n[^1]: Note.\n\n<div class=\"note\">{{ fig(name=\"us_share\") }}</div>\n");
    assert!(
        out.contains("<table>")
            && out.contains(" rows</span></span><a class=\"fig-permalink\" href=\"#fig-us_share\""),
        "{out}"
    );
    assert!(out.contains("<del>old</del> “quoted”"), "{out}");
    assert!(out.contains("footnote-definition"), "{out}");
    assert!(
        out.contains("<div class=\"note\"><span class=\"fig-wrap\">"),
        "{out}"
    );
}

#[test]
fn figures_in_image_alt_text_are_plain_and_links_are_refused() {
    let out = html("![Share {{ fig(name=\"us_share\") }}](a.png)");
    assert!(out.contains("alt=\"Share 37%\""), "{out}");
    let e = error("[x]({{ fig(name=\"us_share\") }})");
    assert!(
        e.starts_with("content/2026-spring/index.md:5: fig `us_share` cannot go in a link"),
        "{e}"
    );
}

#[test]
fn headings_keep_off_the_layouts_ids() {
    let page = html("## Main\n\ntext\n");
    assert!(page.contains("<h2 id=\"main-1\">Main</h2>"), "{page}");
    let msg = error("text\n\n## Start {#main}\n");
    assert!(msg.contains("used by the page layout"), "{msg}");
}

#[test]
fn only_a_figure_s_first_occurrence_carries_its_permalink() {
    let out = html(
        "{{ fig(name=\"us_share\") }} and {{ fig(name=\"us_share\", vs=\"2025-spring\") }}, \
         [{{ fig(name=\"top200_share\") }}](https://example.com/) and {{ fig(name=\"top200_share\") }}.\n",
    );
    assert_eq!(out.matches("id=\"fig-us_share\"").count(), 1, "{out}");
    assert_eq!(out.matches("href=\"#fig-us_share\"").count(), 1, "{out}");
    // Inside a link the figure keeps its id but gets no link of its own.
    assert_eq!(out.matches("id=\"fig-top200_share\"").count(), 1, "{out}");
    assert!(!out.contains("href=\"#fig-top200_share\""), "{out}");
}

#[test]
fn headings_cannot_take_a_permalink_s_id() {
    let page = html("## Chart downloads\n\n## Fig. 1\n");
    assert!(
        page.contains("<h2 id=\"section-chart-downloads\">"),
        "{page}"
    );
    assert!(page.contains("<h2 id=\"section-fig-1\">"), "{page}");
    let msg = error("text\n\n## Start {#fig-us_share}\n");
    assert!(msg.contains("ids starting with `chart-`, `fig-`"), "{msg}");
}

#[test]
fn claims_render_their_text_and_nothing_else() {
    let out = render_body(
        "{{ claim(if=\"us_share < us_share@2025-spring\") }}The US share fell to \
         {{ fig(name=\"us_share\") }}.{{ end }} Next.\n",
    )
    .unwrap();
    assert_eq!(out.html.matches("<p>").count(), 1, "{}", out.html);
    assert!(
        out.html.starts_with(
            "<p>The US share fell to <span class=\"fig-ref\" id=\"fig-us_share\"><span class=\"fig-wrap\"><a"
        ),
        "{}",
        out.html
    );
    let [claim] = out.claims.as_slice() else {
        panic!("{:?}", out.claims)
    };
    assert!(claim.holds);
    assert_eq!(claim.line, 5);
    assert_eq!(claim.edition, "2026-spring");
    assert_eq!(claim.text, "The US share fell to 37%.");
    assert_eq!(
        claim.values,
        [
            ("us_share".to_owned(), "37%".to_owned()),
            ("us_share@2025-spring".to_owned(), "70%".to_owned())
        ]
    );
}

#[test]
fn claims_span_paragraphs_and_false_ones_are_reported_not_refused() {
    let body = "Intro.\n\n{{ claim(if=\"top200_share > 60% or not us_share < 0.5\") }}\n\n\
                A first paragraph.\n\nA second one.\n\n{{ end }}\n\nAfter.\n";
    let out = render_body(body).unwrap();
    assert_eq!(
        out.html,
        "<p>Intro.</p>\n<p>A first paragraph.</p>\n<p>A second one.</p>\n<p>After.</p>\n"
    );
    let claim = &out.claims[0];
    assert!(!claim.holds);
    assert_eq!(claim.line, 7);
    assert_eq!(claim.text, "A first paragraph. A second one.");
    assert_eq!(
        claim.false_message(Path::new("x.md")),
        "x.md:7: claim is false for edition 2026-spring: top200_share > 60% or not \
         us_share < 0.5 (top200_share = 49.6%, us_share = 37%): \"A first paragraph. A second one.\""
    );
}

#[test]
fn a_sourced_figure_without_a_value_for_an_edition_says_what_to_write() {
    let e = error("{{ fig(name=\"open_models\", vs=\"2025-spring\") }}");
    assert!(
        e.starts_with(
            "content/2026-spring/index.md:5: figure `open_models` has no value for edition \
             `2025-spring` (only for 2026-spring); it is a sourced figure, and stateof.toml \
             states no value for this edition: add one to its `values` (`{ edition = \
             \"2025-spring\", value = …, source = \"…\" }`)"
        ),
        "{e}"
    );
}

#[test]
fn not_data_passages_show_their_text_and_nothing_else() {
    let out =
        render_body("It took {{ not_data }}half a year{{ end }}, {{not_data()}}a third{{end}}.\n")
            .unwrap();
    assert_eq!(out.html, "<p>It took half a year, a third.</p>\n");
    assert!(
        out.claims.is_empty(),
        "a passage marked as not data is no claim"
    );
    let cases = [
        (
            "{{ not_data }}open\n",
            ":5: this `not_data` passage has no `{{ end }}`",
        ),
        (
            "{{ not_data }}a {{ claim(if=\"us_share > 1%\") }}b{{ end }}",
            ":5: this `not_data` passage has no `{{ end }}` before the next claim starts",
        ),
        (
            "{{ not_data(why=\"x\") }}a{{ end }}",
            ":5: `not_data` has no argument `why`",
        ),
    ];
    assert_located(&cases);
}

#[test]
fn claim_mistakes_are_located_errors() {
    let cases = [
        (
            "{{ claim(if=\"a > b\") }}text\n",
            ":5: this claim has no `{{ end }}`",
        ),
        (
            "text\n\ntext {{ end }}\n",
            ":7: `{{ end }}` without a claim",
        ),
        (
            "{{ claim(if=\"us_share > 0\") }}\n{{ claim(if=\"us_share > 0\") }}{{ end }}",
            ":5: this claim has no `{{ end }}` before the next claim starts",
        ),
        ("{{ claim() }}x{{ end }}", ":5: `claim` needs a condition"),
        (
            "\n{{ claim(if=\"us_shar > 1%\") }}x{{ end }}",
            ":6: unknown figure `us_shar` (did you mean `us_share`?)",
        ),
        (
            "{{ claim(if=\"us_share > us_share@2025-sprig\") }}x{{ end }}",
            ":5: unknown edition `2025-sprig` (did you mean `2025-spring`?)",
        ),
        (
            "{{ claim(if=\"by_country > 1\") }}x{{ end }}",
            ":5: figure `by_country` is a series, not a single number",
        ),
        (
            "{{ claim(if=\"us_share >\") }}x{{ end }}",
            ":5: in the claim's condition `us_share >`: expected a figure name or a number",
        ),
        (
            "{{ claim(if=\"us_share > 0\") }}x{{ end(x=\"1\") }}",
            ":5: `end` has no argument `x`",
        ),
    ];
    assert_located(&cases);
}

#[test]
fn vs_must_name_an_earlier_edition() {
    let e = error("{{ fig(name=\"us_share\", vs=\"2026-spring\") }}");
    assert!(
        e.starts_with(
            "content/2026-spring/index.md:5: `vs=\"2026-spring\"` names this page's own edition; \
             compare with an earlier one (the earlier editions are 2025-spring)"
        ),
        "{e}"
    );
    let fixture = Fixture::new();
    let doc = parse_document(
        Path::new("a.md"),
        &format!("{HEAD}{{{{ fig(name=\"us_share\", vs=\"2026-spring\") }}}}"),
    )
    .unwrap();
    let e = render(&doc, &fixture.ctx("2025-spring"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "a.md:5: `vs=\"2026-spring\"` must name an earlier edition, but `2026-spring` is dated \
         2026-03-21 and this edition 2025-03-20 (no edition is earlier than this one)"
    );
}

/// Each body fails with an error that starts `content/2026-spring/index.md` + expected.
fn assert_located(cases: &[(&str, &str)]) {
    for (body, expected) in cases {
        let e = error(body);
        assert!(
            e.starts_with(&format!("content/2026-spring/index.md{expected}")),
            "{e}"
        );
    }
}

#[test]
fn a_summary_is_guarded_like_a_claim() {
    let fixture = Fixture::new();
    let text = "+++\ntitle = \"Spring 2026\"\ndate = \"2026-03-21\"\n\
                summary = \"The US share fell.\"\nsummary-if = \"us_share < us_share@2025-spring\"\n+++\nBody.\n";
    let doc = parse_document(Path::new("a.md"), text).unwrap();
    let out = render(&doc, &fixture.ctx("2026-spring")).unwrap();
    let [claim] = out.claims.as_slice() else {
        panic!("{:?}", out.claims)
    };
    assert_eq!((claim.line, claim.holds), (5, true));
    assert_eq!(claim.text, "The US share fell.");
    let turned = text.replace("us_share < us_share@", "us_share > us_share@");
    let doc = parse_document(Path::new("a.md"), &turned).unwrap();
    let out = render(&doc, &fixture.ctx("2026-spring")).unwrap();
    assert!(out.claims[0].false_message(&doc.path).starts_with(
        "a.md:5: claim is false for edition 2026-spring: us_share > us_share@2025-spring ("
    ));
    let unknown = text.replace("us_share < us_share@", "us_shar < us_share@");
    let doc = parse_document(Path::new("a.md"), &unknown).unwrap();
    let e = render(&doc, &fixture.ctx("2026-spring"))
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("a.md:5: ") && e.contains("did you mean `us_share`"),
        "{e}"
    );
}

mod properties {
    //! Whatever a content file holds, reading and rendering it gives a page or an error,
    //! never a panic. `PROPTEST_CASES=100000 cargo test properties` runs longer.

    use proptest::prelude::*;

    use super::*;

    /// Pieces that reach every path of front matter, shortcodes, claims, conditions,
    /// raw HTML and Markdown, and any character besides.
    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            3 => prop::sample::select(vec![
                "{{", "}}", " ", "\n", "\r\n", "+++", "+++\n", "title = \"T\"\n", "date = \"2026-03-21\"\n",
                "fig(name=\"us_share\")", "fig(name=\"us_share\", vs=\"2025-spring\")", "fig(name=\"nope\")",
                "chart(name=\"downloads_by_country\")", "table(name=\"top_models\")",
                "claim(if=\"us_share > 1%\")", "claim(if=\"not (a@2025-spring <= 3) or (\")", "end",
                "format=\"compact\"", "name=", "(", ")", "\"", "'", "=", ",", "\\{{", "`", "```\n",
                "    ", "# ", "## ", "{#id}", "| a | b |\n|---|---|\n", "- ", "1. ", "> ", "**", "_",
                "[x](", "![", "]", "<a title=\"", "\">", "<div>\n", "</div>", "<!--", "-->", "<", ">",
                "&", "[^1]", "[^1]: n\n", "\u{E000}", "\u{E001}", "\u{feff}", "%", "@", "<=", "!=",
            ])
            .prop_map(str::to_owned),
            1 => any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn any_content_file_renders_or_fails_cleanly(body in text(), front in any::<bool>()) {
            let fixture = Fixture::new();
            let file = if front { format!("{HEAD}{body}") } else { body };
            if let Ok(doc) = parse_document(Path::new("content/x/index.md"), &file) {
                let _ = render(&doc, &fixture.ctx("2026-spring"));
            }
        }

        #[test]
        fn any_condition_parses_or_fails_cleanly(condition in text()) {
            let _ = condition::parse(&condition);
        }
    }
}
