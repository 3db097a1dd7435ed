//! Citing, embedding and sharing: social cards behind absolute `og:image` tags, chart
//! PNGs at twice the charts' size, an embed page per chart, permalinks that are
//! unique on their page and resolve, and `figures.json` ids that match them.

use std::collections::BTreeSet;
use std::path::Path;

use stateof::raster::png_size;

use super::demo::build_demo;
use super::links::attribute_values;
use super::{build_ok, fixture, read, stateof, stderr};

const BASE: &str = "https://stateof-demo.github.io/stateof/";
const BASE_PATH: &str = "/stateof/";

/// The `content` of `<meta property|name="key" content="…">`, unescaped enough to
/// compare URLs.
fn meta(html: &str, key: &str) -> Option<String> {
    let at = html
        .find(&format!("property=\"{key}\" content=\""))
        .or_else(|| html.find(&format!("name=\"{key}\" content=\"")))?;
    let start = at + html[at..].find("content=\"")? + "content=\"".len();
    let end = start + html[start..].find('"')?;
    Some(html[start..end].replace("&amp;", "&"))
}

/// The decoded pixels of a PNG file, which must decode.
fn decode(path: &Path) -> resvg::tiny_skia::Pixmap {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    resvg::tiny_skia::Pixmap::decode_png(&bytes)
        .unwrap_or_else(|e| panic!("{} does not decode as PNG: {e}", path.display()))
}

/// Share of pixels that are not (near) white: how much the image shows.
fn ink(pixmap: &resvg::tiny_skia::Pixmap) -> f64 {
    let drawn = (pixmap.pixels().iter())
        .filter(|p| p.alpha() > 0 && (p.red() < 240 || p.green() < 240 || p.blue() < 240))
        .count();
    drawn as f64 / pixmap.pixels().len() as f64
}

#[test]
fn every_page_has_a_social_card_with_absolute_og_tags() {
    let out = build_demo();
    let site = out.path().join("site");
    let mut cards = BTreeSet::new();
    for page in [
        "index.html",
        "2026-spring/index.html",
        "2025-spring/index.html",
        "methodology/index.html",
    ] {
        let html = read(site.join(page));
        let image = meta(&html, "og:image").unwrap_or_else(|| panic!("{page}: no og:image"));
        let file = image
            .strip_prefix(BASE)
            .unwrap_or_else(|| panic!("{page}: og:image `{image}` is not under {BASE}"));
        assert_eq!(
            meta(&html, "og:image:width").as_deref(),
            Some("1200"),
            "{page}"
        );
        assert_eq!(
            meta(&html, "og:image:height").as_deref(),
            Some("630"),
            "{page}"
        );
        let alt = meta(&html, "og:image:alt").unwrap_or_default();
        assert!(alt.len() > 20, "{page}: og:image:alt `{alt}`");
        assert_eq!(
            meta(&html, "twitter:card").as_deref(),
            Some("summary_large_image"),
            "{page}"
        );
        assert_eq!(
            meta(&html, "twitter:image:alt"),
            Some(alt.clone()),
            "{page}"
        );
        let pixmap = decode(&site.join(file));
        assert_eq!((pixmap.width(), pixmap.height()), (1200, 630), "{file}");
        let drawn = ink(&pixmap);
        assert!(
            drawn > 0.02 && drawn < 0.5,
            "{file}: {drawn:.3} of it drawn"
        );
        cards.insert(file.to_owned());
    }
    // The home page and each edition have their own card; other pages share the home's.
    assert_eq!(cards.len(), 3, "{cards:?}");
    let spring26 = read(site.join("2026-spring/index.html"));
    let alt = meta(&spring26, "og:image:alt").unwrap();
    assert!(alt.contains("Spring 2026"), "{alt}");
    assert!(
        alt.contains("China"),
        "the card shows `card-figure` (cn_share): {alt}"
    );
}

#[test]
fn every_chart_has_a_png_an_embed_page_and_a_permalink() {
    let out = build_demo();
    let site = out.path().join("site");
    let sitemap = read(site.join("sitemap.xml"));
    let (mut charts, mut shown) = (0, 0);
    for entry in walkdir::WalkDir::new(&site) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "svg")
            || !path.to_string_lossy().contains("/charts/")
        {
            continue;
        }
        charts += 1;
        let svg = read(path);
        let (w, h) = stateof::charts::view_box(&svg).expect("a chart has a viewBox");
        let png = std::fs::read(path.with_extension("png")).expect("a PNG beside the SVG");
        let (png_w, png_h) = png_size(&png).expect("a PNG header");
        // Twice the chart's size, and room around it for its title, source and report.
        assert!(f64::from(png_w) > 2.0 * w, "{path:?}: {png_w} px wide");
        assert!(
            f64::from(png_h) > 2.0 * h + 100.0,
            "{path:?}: {png_h} px high"
        );
        let pixmap = decode(&path.with_extension("png"));
        let ink = |rows: std::ops::Range<u32>| {
            (rows.flat_map(|y| (0..png_w).map(move |x| (x, y))))
                .filter_map(|(x, y)| pixmap.pixel(x, y))
                .filter(|p| (p.red(), p.green(), p.blue()) == (0x1f, 0x23, 0x28))
                .count()
        };
        assert!(ink(0..60) > 100, "{path:?}: no title above the chart");
        let muted = (pixmap.pixels()[(png_w * (png_h - 100)) as usize..].iter())
            .filter(|p| (p.red(), p.green(), p.blue()) == (0x5c, 0x65, 0x70))
            .count();
        assert!(muted > 100, "{path:?}: no source line below the chart");
        let corner = pixmap.pixel(0, 0).unwrap();
        assert_eq!(
            corner.alpha(),
            255,
            "{path:?}: the PNG has an opaque background"
        );
        // Drawn in the light scheme's colours (resvg reads no CSS variables).
        let accent = (pixmap.pixels().iter())
            .filter(|p| (p.red(), p.green(), p.blue()) == (0x3a, 0x6e, 0xa8))
            .count();
        assert!(accent > 100, "{path:?}: no mark in the accent colour");

        let name = path.file_stem().unwrap().to_str().unwrap();
        let dir = path.parent().unwrap();
        let embed = read(dir.join(name).join("index.html"));
        assert!(embed.contains("<meta name=\"robots\" content=\"noindex\">"));
        assert!(embed.contains("<svg"), "the embed page holds the chart");
        assert!(
            embed.contains("Source: "),
            "the embed page names its source"
        );
        let back = attribute_values(&embed, &["href"])
            .into_iter()
            .find(|l| l.starts_with(BASE) && !l.contains("/charts/"))
            .expect("a link back to the chart");
        let back = back.strip_prefix(BASE).unwrap();
        let Some((page, id)) = back.split_once('#') else {
            continue; // A chart no page shows links back to its edition.
        };
        shown += 1;
        assert_eq!(id, format!("chart-{name}"));
        let page_html = read(site.join(page).join("index.html"));
        let ids = attribute_values(&page_html, &["id"]);
        assert!(
            ids.contains(&id.to_owned()),
            "{back}: no such chart on the page"
        );
        assert!(
            page_html.contains(&format!("src=&quot;{BASE}{}", &page_path(&site, dir, name))),
            "{page}: the embed code names the embed page"
        );
        assert!(
            !sitemap.contains(&format!("/charts/{name}/")),
            "{name} in the sitemap"
        );
    }
    assert!(charts >= 15, "only {charts} charts");
    assert!(
        shown >= 15,
        "only {shown} charts link back to a page showing them"
    );
}

/// `2026-spring/charts/NAME/`, the embed page's path in the site.
fn page_path(site: &Path, dir: &Path, name: &str) -> String {
    let rel = dir
        .strip_prefix(site)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    format!("{rel}/{name}/")
}

#[test]
fn permalinks_are_unique_on_their_page_and_resolve() {
    let out = build_demo();
    let site = out.path().join("site");
    let methodology = attribute_values(&read(site.join("methodology/index.html")), &["id"]);
    for page in ["2026-spring/index.html", "2025-spring/index.html"] {
        let html = read(site.join(page));
        let ids = attribute_values(&html, &["id"]);
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{page}: an id appears twice");
        let figures: Vec<&String> = ids.iter().filter(|id| id.starts_with("fig-")).collect();
        assert!(figures.len() >= 5, "{page}: {figures:?}");
        let links: Vec<String> = attribute_values(&html, &["href"])
            .into_iter()
            .filter(|l| l.starts_with("#fig-") || l.starts_with("#chart-"))
            .collect();
        for link in &links {
            assert!(
                ids.contains(&link[1..].to_owned()),
                "{page}: {link} resolves nowhere"
            );
        }
        // Every figure permalink has its link, and every chart its link and copy button.
        for id in &figures {
            assert!(links.contains(&format!("#{id}")), "{page}: no link to {id}");
        }
        let charts = (ids.iter())
            .filter(|id| id.starts_with("chart-") && !id.ends_with("-embed"))
            .count();
        let copy = html.matches("data-copy-link=\"#chart-").count();
        assert!(
            charts > 0 && copy == charts,
            "{page}: {charts} charts, {copy} buttons"
        );
        let json: serde_json::Value =
            serde_json::from_str(&read(site.join(page.replace("index.html", "figures.json"))))
                .unwrap();
        // One id per figure: its anchor here, its definition on the methodology page
        // (where its value links to), its entry in figures.json.
        for id in &figures {
            let name = &id["fig-".len()..];
            assert_eq!(
                json[name]["id"].as_str(),
                Some(id.as_str()),
                "figures.json {name}"
            );
            assert!(methodology.contains(id), "methodology has no {id}");
            let definition = format!("{BASE_PATH}methodology/#{id}");
            assert!(
                html.contains(&format!("href=\"{definition}\"")),
                "{page}: {id} does not link to {definition}"
            );
        }
    }
}

#[test]
fn a_card_figure_that_is_no_figure_is_an_error_naming_the_file() {
    let project = fixture("tiny");
    let root = project.path();
    let index = root.join("content/2026-spring/index.md");
    let text = read(&index).replace(
        "compare-to = \"2025-spring\"\n",
        "compare-to = \"2025-spring\"\ncard-figure = \"us_shares\"\n",
    );
    std::fs::write(&index, text).unwrap();
    let out = stateof(root, &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("index.md:7: `card-figure` names `us_shares`"),
        "{err}"
    );
    assert!(err.contains("us_share"), "suggests the nearest name: {err}");
}

#[test]
fn card_text_from_data_is_escaped_and_the_card_still_draws() {
    let project = fixture("tiny");
    let root = project.path();
    build_ok(root, &[]);
    let site = root.join("output");
    // The tiny edition's title is "Spring <2026>": escaped in the card's SVG, or
    // resvg could not have read it.
    let html = read(site.join("2026-spring/index.html"));
    let alt = meta(&html, "og:image:alt").unwrap();
    assert!(alt.contains("Spring &lt;2026&gt;"), "{alt}");
    let pixmap = decode(&site.join("2026-spring/card.png"));
    assert_eq!((pixmap.width(), pixmap.height()), (1200, 630));
}

#[test]
fn a_heading_cannot_take_a_permalink_id() {
    let project = fixture("tiny");
    let root = project.path();
    let index = root.join("content/2026-spring/index.md");
    let text = read(&index) + "\n## Fig models_total\n\nText.\n";
    std::fs::write(&index, text).unwrap();
    build_ok(root, &[]);
    let html = read(root.join("output/2026-spring/index.html"));
    let ids = attribute_values(&html, &["id"]);
    assert!(
        ids.contains(&"section-fig-models-total".to_owned()),
        "{ids:?}"
    );
    assert_eq!(ids.iter().filter(|id| *id == "fig-models_total").count(), 1);
}

#[test]
fn a_project_without_the_new_templates_uses_stateof_s_own() {
    let project = fixture("tiny");
    let root = project.path();
    std::fs::remove_file(root.join("templates/card.svg")).unwrap();
    std::fs::remove_file(root.join("templates/embed.html")).unwrap();
    build_ok(root, &[]);
    assert!(root.join("output/card.png").is_file());
    assert!(root
        .join("output/2026-spring/charts/by_author/index.html")
        .is_file());
}
