//! Data is never code: the hostile fixture (`tests/fixtures/hostile`, see its README)
//! builds, and every file of its site is read back as what it is (HTML, SVG, Atom,
//! sitemap, JSON, CSV): no payload is markup, the text survives escaping, nothing a
//! format forbids is written, and long ids are cut on pages but whole in downloads.

use std::path::{Path, PathBuf};

use super::{build_ok, fixture, read, stateof, stderr};

const SCRIPT: &str = "<script>window.__pwned=1</script>";
const IMG: &str = "\"><img src=x onerror=window.__pwned=2>";
const TITLE: &str = "</title><script>window.__pwned=5;document.title='PWNED'</script>";
const CONTROLS: &str = "\u{0}\u{1}\u{8}\u{b}\u{c}\u{1b}[31m\u{7f}\u{85}\u{fffe}\u{ffff}";
const BIDI: &str = "\u{202e}gnp.exe\u{202c}\u{2066}\u{2067}\u{2068}\u{202a}\u{202b}\u{202d}";
const LONG: usize = 10 * 1024;
const EDITION_TITLE: &str =
    "Spring </title><script>window.__pwned=40;document.title='PWNED'</script> 2026";

/// Markup from the payloads that must never reach a page, chart or feed unescaped.
const RAW: [&str; 8] = [
    "<script",
    "<img src=x",
    "<svg onload",
    "<details open ontoggle",
    "<![CDATA[",
    "]]><",
    "</title><",
    "</style><",
];

/// The hostile fixture, built.
fn built() -> (tempfile::TempDir, PathBuf) {
    let project = fixture("hostile");
    build_ok(project.path(), &[]);
    let site = project.path().join("output");
    (project, site)
}

/// Every file under `site` whose name ends with one of `extensions`.
fn files(site: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let found: Vec<PathBuf> = walkdir::WalkDir::new(site)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| extensions.iter().any(|x| p.to_string_lossy().ends_with(x)))
        .collect();
    assert!(!found.is_empty(), "no {extensions:?} files in {site:?}");
    found
}

/// What `stateof::escape` never writes outside JSON.
fn forbidden(c: char) -> bool {
    stateof::escape::dropped(c)
}

/// `html` without the layout's own `<script src="…/theme/share.js" defer></script>`
/// (the copy buttons), the one script a page may hold.
fn without_layout_script(html: &str) -> String {
    const END: &str = "theme/share.js\" defer></script>";
    let mut out = html.to_owned();
    if let Some(end) = out.find(END) {
        let start = out[..end]
            .rfind("<script src=\"")
            .expect("a script element");
        assert!(!out[start..end].contains('>'), "{}", &out[start..end]);
        out.replace_range(start..end + END.len(), "");
    }
    out
}

#[test]
fn no_payload_is_markup_in_html_svg_or_xml() {
    let (_project, site) = built();
    for path in files(&site, &[".html", ".svg", ".xml"]) {
        let text = without_layout_script(&read(&path));
        let lower = text.to_lowercase();
        for raw in RAW {
            assert!(!lower.contains(raw), "{path:?} holds raw {raw:?}");
        }
        let bad: Vec<String> = (text.chars().filter(|&c| forbidden(c)))
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        assert!(bad.is_empty(), "{path:?} holds {bad:?}");
    }
    // The payloads are there, as text.
    let page = read(site.join("2026-spring/index.html"));
    assert!(page.contains("evil&lt;script&gt;window.__pwned=1&lt;/script&gt;"));
    assert!(page.contains("quote&quot;&gt;&lt;img src=x onerror=window.__pwned=2&gt;"));
    // An entity in the data is shown as typed, not decoded.
    assert!(page.contains("entity&amp;lt;script&amp;gt;"));
    // A registry source is a link: a valid URL, percent-encoded.
    let method = read(site.join("methodology/index.html"));
    let href = "href=\"https://evil.example/?q=%22%3E%3Cscript%3Ewindow.__pwned=10%3C/script%3E\"";
    assert!(method.contains(href), "no {href} in the registry table");
}

#[test]
fn svg_feed_and_sitemap_parse_as_xml_and_keep_the_text() {
    let (_project, site) = built();
    for path in files(&site, &[".svg", ".xml"]) {
        let text = read(&path);
        if let Err(err) = roxmltree::Document::parse(&text) {
            panic!("{path:?} is not well-formed XML: {err}");
        }
    }
    // Inline charts too.
    for path in files(&site, &[".html"]) {
        let page = read(&path);
        for (start, _) in page.match_indices("<svg ") {
            let end = start + page[start..].find("</svg>").expect("closed svg") + 6;
            if let Err(err) = roxmltree::Document::parse(&page[start..end]) {
                panic!("an inline chart in {path:?} is not well-formed XML: {err}");
            }
        }
    }
    let svg = read(site.join("2026-spring/charts/by_author.svg"));
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<&str> = (doc.descendants())
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        texts.iter().any(|t| t.starts_with("evil<script>window")),
        "the author's name, escaped and parsed back: {texts:?}"
    );
    let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(
        title.text(),
        Some("Downloads by author <script>window.__pwned=30</script>")
    );

    let feed = read(site.join("atom.xml"));
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let child = |node: roxmltree::Node<'_, '_>, name: &str| {
        (node.children())
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text().map(str::to_owned))
            .unwrap_or_default()
    };
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 2);
    assert_eq!(child(entries[0], "title"), EDITION_TITLE);
    let content = child(entries[0], "content");
    assert!(
        content.contains("<table"),
        "the entry's HTML: {}",
        &content[..200]
    );
    assert!(
        !content.to_lowercase().contains("<script"),
        "the feed's HTML holds a script"
    );
    let sitemap = read(site.join("sitemap.xml"));
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("loc")).count(),
        4
    );
}

/// The five references `escape::markup` writes, read back.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn page_titles_and_open_graph_tags_keep_the_text() {
    let (_project, site) = built();
    let page = read(site.join("2026-spring/index.html"));
    let between = |open: &str, close: &str| {
        let start = page.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
        unescape(&page[start..start + page[start..].find(close).unwrap()])
    };
    let site_title = "Hostile </title><script>window.__pwned=20</script> & \"Co\"";
    assert_eq!(
        between("<title>", "</title>"),
        format!("{EDITION_TITLE} · {site_title}")
    );
    assert_eq!(
        between("<meta property=\"og:title\" content=\"", "\">"),
        EDITION_TITLE
    );
    assert_eq!(
        between("<meta property=\"og:description\" content=\"", "\">"),
        "A summary \"><script>window.__pwned=41</script> with ]]> and 'quotes'."
    );
}

/// Every string in a JSON value.
fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

#[test]
fn json_keeps_every_hostile_string_whole() {
    let (_project, site) = built();
    let json = read(site.join("2026-spring/figures.json"));
    let figures: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut all = Vec::new();
    strings(&figures, &mut all);
    for wanted in [
        format!("evil{SCRIPT}"),
        format!("evil{SCRIPT}/model-1{TITLE}"),
        format!("quote{IMG}"),
        format!("ctrl{CONTROLS}"),
        format!("bidi{BIDI}"),
        format!("long/{}", "A".repeat(LONG)),
        "L".repeat(LONG),
        "=HYPERLINK(\"https://evil.example\",\"x\")".to_owned(),
    ] {
        assert!(
            all.contains(&wanted),
            "figures.json lacks {:?}",
            &wanted[..wanted.len().min(60)]
        );
    }
}

/// The cells of RFC 4180 CSV text.
fn csv_cells(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(
        !quoted && cell.is_empty() && row.is_empty(),
        "CSV ends mid-row"
    );
    rows
}

#[test]
fn csv_cells_are_quoted_and_never_formulas() {
    let (_project, site) = built();
    let mut cells = Vec::new();
    for path in files(&site, &[".csv"]) {
        let rows = csv_cells(&read(&path));
        let width = rows[0].len();
        assert!(
            rows.iter().all(|r| r.len() == width),
            "{path:?}: ragged rows"
        );
        cells.extend(rows.into_iter().flatten());
    }
    for cell in &cells {
        let number = cell.parse::<f64>().is_ok() && !cell.starts_with('+');
        assert!(
            number || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a formula: {cell:?}"
        );
        assert!(!cell.chars().any(forbidden), "{cell:?}");
    }
    for guarded in [
        "'=HYPERLINK(\"https://evil.example\",\"x\")",
        "'+SUM(1+1)*cmd|' /C calc'!A0",
        "'-2+3+cmd|' /C calc'!A0",
        "'@SUM(1+1)*cmd|' /C calc'!A0",
        "'\t=1+1",
        "'\r=1+1",
    ] {
        assert!(cells.iter().any(|c| c == guarded), "no cell {guarded:?}");
    }
    assert!(cells.iter().any(|c| c == &format!("evil{SCRIPT}")));
    assert!(cells
        .iter()
        .any(|c| c == &format!("long/{}", "A".repeat(LONG))));
}

#[test]
fn long_ids_are_cut_on_pages_and_whole_in_downloads() {
    let (_project, site) = built();
    let cut = format!("long/{}…", "A".repeat(195));
    for page in ["2026-spring/index.html", "methodology/index.html"] {
        let html = read(site.join(page));
        assert!(
            !html.contains(&"A".repeat(201)),
            "{page}: a long id shown whole"
        );
        assert!(
            !html.contains(&"L".repeat(201)),
            "{page}: a long author shown whole"
        );
    }
    assert!(read(site.join("2026-spring/index.html")).contains(&cut));
    assert!(read(site.join("methodology/index.html")).contains(&format!("{}…", "N".repeat(200))));
    let csv = read(site.join("2026-spring/tables/top_models.csv"));
    assert!(csv.contains(&format!("long/{},", "A".repeat(LONG))));
}

#[test]
fn a_repeated_hostile_id_is_counted_once_and_reported() {
    let project = fixture("hostile");
    let out = stateof(project.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let warnings = stderr(&out);
    assert!(
        warnings.contains("1 repeated entry dropped")
            && warnings.contains("(e.g. `ctrl[31m/model-5"),
        "{warnings}"
    );
    assert!(
        !warnings.chars().any(forbidden),
        "control characters reach the terminal"
    );
    let site = project.path().join("output");
    let figures: serde_json::Value =
        serde_json::from_str(&read(site.join("2026-spring/figures.json"))).unwrap();
    assert_eq!(
        figures["models_total"]["value"], 17.0,
        "18 entries, one repeated"
    );
    let page = read(site.join("methodology/index.html"));
    let row = page
        .split("<tr>")
        .find(|r| r.contains("Repeated ids dropped"))
        .expect("a repeated-ids row");
    assert!(row.contains("<td class=\"num\">1</td>"), "{row}");
}
