//! The pages step: the rendered narrative laid out in the project's Tera templates,
//! plus the home page, methodology, 404, Atom feed and sitemap. Nothing here renders
//! Markdown (`narrative` did) or computes a figure (`data` did).
//!
//! Templates receive small view structs made here (`site`, `page`, `edition`, …), never
//! the domain types, so a template change cannot reach into the pipeline.

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Serialize;

use super::cards::{Card, Cards, Preview};
use super::charts::Charts;
use super::data::{EditionData, SnapshotInfo, TableInfo};
use super::narrative::{self, Doc, Narrative};
use super::render;
use super::urls::{page_path, Urls};
use crate::config::{Config, Field, FigureDef, Format, Match, Metric};
use crate::content::Edition;
use crate::dates::Date;
use crate::escape;
use crate::format;
use crate::markdown::{Document, Heading};
use crate::metrics;
use crate::output::Output;
use crate::registry::Registry;
use crate::snapshot::{Kind, Quality};

/// Everything the pages step reads.
pub struct Context<'a> {
    pub config: &'a Config,
    pub registry: &'a Registry,
    pub editions: &'a [Edition],
    pub data: &'a BTreeMap<String, EditionData>,
    pub charts: &'a Charts,
    /// The social cards of the home page and each edition.
    pub cards: &'a Cards,
    /// Every document's narrative, rendered.
    pub narrative: &'a Narrative<'a>,
    pub urls: &'a Urls,
    pub tera: &'a tera::Tera,
    /// Paths of the files copied from `static/` to the site root (for favicon links).
    pub static_files: &'a [&'a str],
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    author: Option<&'a str>,
    notice: Option<&'a str>,
    base_url: &'a str,
    base_path: &'a str,
    generator: String,
    /// The latest edition's date: the site's "last updated".
    updated: Date,
    /// Favicons found in `static/`, for `<link rel="icon">`.
    icons: Vec<IconView>,
}

#[derive(Serialize)]
pub(super) struct IconView {
    href: String,
    /// The MIME type, for `type="…"`.
    mime: &'static str,
    /// `sizes="…"`.
    sizes: &'static str,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    description: &'a str,
    kind: &'static str,
    /// Site-relative URL path (`2026-spring/`).
    path: String,
    /// Absolute URL, for canonical links and previews.
    url: String,
    /// The link preview's image: the front matter's `image`, else the page's social
    /// card (`cards`).
    #[serde(flatten)]
    image: ImageView,
    /// A draft page, built only when drafts are asked for.
    draft: bool,
}

/// A page's link preview image as templates read it: `page.image` (an absolute URL),
/// `page.image_alt`, and `page.image_width` and `page.image_height` when known.
#[derive(Serialize)]
struct ImageView {
    image: String,
    image_alt: String,
    image_width: Option<u32>,
    image_height: Option<u32>,
}

impl From<Preview> for ImageView {
    fn from(preview: Preview) -> ImageView {
        ImageView {
            image: preview.url,
            image_alt: preview.alt,
            image_width: preview.size.map(|(w, _)| w),
            image_height: preview.size.map(|(_, h)| h),
        }
    }
}

#[derive(Serialize)]
struct EditionView<'a> {
    slug: &'a str,
    title: &'a str,
    date: Date,
    summary: &'a str,
    url: String,
    latest: bool,
    snapshot: &'a SnapshotInfo,
    /// Row count with thousands separators.
    rows: String,
    /// What the snapshot holds, kind by kind ("45,000 models, 11,250 datasets and
    /// 22,500 spaces").
    contents: String,
    coverage: CoverageView,
    compare_to: Option<&'a str>,
    pages: Vec<NavItem<'a>>,
    /// A draft edition, built only when drafts are asked for.
    draft: bool,
}

/// The registry's coverage as percentages for display.
#[derive(Serialize)]
struct CoverageView {
    downloads: String,
    models: String,
}

#[derive(Serialize, Clone)]
struct NavItem<'a> {
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct FigureRow<'a> {
    /// Its element id, the one it has wherever it is shown (`markdown::figure_id`).
    id: String,
    name: &'a str,
    label: &'a str,
    definition: String,
    values: Vec<ValueView<'a>>,
}

/// A figure's value in one edition, as the methodology lists it.
#[derive(Serialize)]
struct ValueView<'a> {
    edition: &'a str,
    /// The value as the prose shows it; none where there is nothing to show.
    text: Option<String>,
    /// What the value is measured against ("since Spring 2025"), who states it, or why
    /// it is missing.
    note: Option<String>,
    /// Where the note's source states the value.
    url: Option<&'a str>,
}

/// One page to render: output file, template, template context.
type Page = (String, &'static str, tera::Context);

/// One rendered page: output file, HTML.
type Rendered = (String, String);

/// Lays out every page into `output`; returns how many HTML pages there are.
pub fn render_all(ctx: &Context, output: &mut Output) -> Result<usize> {
    let site = site_view(ctx);
    let editions: Vec<EditionView> = ctx
        .editions
        .iter()
        .enumerate()
        .map(|(i, e)| edition_view(ctx, e, i == 0))
        .collect();
    let (mut rendered, feed_entries) = edition_pages(ctx, &site)?;
    let pages = [
        home_page(ctx, &site, &editions),
        methodology_page(ctx, &site, &editions),
        simple(ctx, &site, "Page not found", "404", "404.html", "404.html"),
    ];
    for (file, template, context) in pages {
        let html = render(ctx.tera, template, &context)?;
        rendered.push((file, html));
    }

    let sitemap: Vec<(String, Date)> = rendered
        .iter()
        .filter(|(file, _)| file != "404.html")
        .map(|(file, _)| (ctx.urls.absolute(&page_path(file)), site.updated))
        .collect();
    let count = rendered.len();
    for (file, html) in rendered {
        output.add(file, html)?;
    }

    let mut feed = tera::Context::new();
    feed.insert("site", &site);
    feed.insert("entries", &feed_entries);
    feed.insert("feed_url", &ctx.urls.absolute("atom.xml"));
    output.add("atom.xml", render(ctx.tera, "atom.xml", &feed)?)?;
    let mut map = tera::Context::new();
    map.insert("urls", &sitemap);
    output.add("sitemap.xml", render(ctx.tera, "sitemap.xml", &map)?)?;
    output.add(".nojekyll", "")?;
    Ok(count)
}

fn site_view<'a>(ctx: &Context<'a>) -> SiteView<'a> {
    let latest = ctx
        .editions
        .first()
        .expect("content::load finds at least one edition");
    SiteView {
        title: &ctx.config.title,
        description: &ctx.config.description,
        author: ctx.config.author.as_deref(),
        notice: ctx.config.notice.as_deref(),
        base_url: &ctx.urls.base_url,
        base_path: &ctx.urls.base_path,
        generator: format!("stateof {}", env!("CARGO_PKG_VERSION")),
        updated: latest.index.front.date,
        icons: icons(ctx),
    }
}

/// The favicons `static/` provides, the bitmap first as browsers expect.
pub(super) fn icons(ctx: &Context) -> Vec<IconView> {
    [("favicon.ico", "32x32"), ("favicon.svg", "any")]
        .into_iter()
        .filter(|(file, _)| ctx.static_files.contains(file))
        .map(|(file, sizes)| IconView {
            href: ctx.urls.link(file),
            mime: crate::output::content_type(file),
            sizes,
        })
        .collect()
}

/// Every edition's index page and chapter pages, laid out, and each edition's feed
/// entry.
fn edition_pages<'a>(
    ctx: &Context<'a>,
    site: &SiteView,
) -> Result<(Vec<Rendered>, Vec<FeedEntry<'a>>)> {
    let mut pages = Vec::new();
    let mut feed_entries = Vec::new();
    for (i, edition) in ctx.editions.iter().enumerate() {
        let view = edition_view(ctx, edition, i == 0);
        let docs = &ctx.narrative[&edition.slug];
        pages.extend(layout_docs(ctx, site, &view, docs)?);
        feed_entries.push(FeedEntry {
            title: &edition.index.front.title,
            date: edition.index.front.date,
            summary: &edition.index.front.summary,
            url: ctx.urls.absolute(&format!("{}/", edition.slug)),
            content: feed_content(ctx, edition, &docs[0]),
        });
    }
    Ok((pages, feed_entries))
}

/// Lays out an edition's rendered documents (index first, then chapters) as
/// (file, HTML), on every core: each thread takes a run of documents and keeps one
/// template context, in which only what differs from page to page is replaced. (A
/// context per page would copy the edition's chapter list into every page: quadratic
/// in chapters.) Pages come out in document order; every failing page is reported.
fn layout_docs(
    ctx: &Context,
    site: &SiteView,
    view: &EditionView,
    docs: &[Doc],
) -> Result<Vec<Rendered>> {
    let charts = &ctx.charts[view.slug];
    let pages = super::in_runs(docs, |first, run| {
        let mut context = tera::Context::new();
        context.insert("site", site);
        context.insert("edition", view);
        let mut pages = Vec::with_capacity(run.len());
        for (offset, doc) in run.iter().enumerate() {
            let n = first + offset;
            let file = format!("{}/{}index.html", view.slug, doc.sub);
            let kind = if n == 0 { "edition" } else { "chapter" };
            let content = narrative::fill(&doc.rendered.html, |name| {
                Some(charts.get(name)?.html.clone())
            });
            let card = &ctx.cards.editions[view.slug];
            context.insert("page", &page_view(ctx, doc.doc, kind, &file, card));
            context.insert("content", &content);
            context.insert("toc", &toc(&doc.rendered.headings));
            context.insert("prev", &n.checked_sub(1).map(|p| &view.pages[p]));
            context.insert("next", &view.pages.get(n + 1));
            pages.push(render(ctx.tera, "edition.html", &context).map(|html| (file, html)));
        }
        pages
    });
    crate::diagnostics::all(pages)
}

fn home_page(ctx: &Context, site: &SiteView, editions: &[EditionView]) -> Page {
    let mut home = base_context(
        site,
        simple_page(ctx, &ctx.config.title, "home", "index.html"),
    );
    home.insert("editions", editions);
    ("index.html".to_owned(), "home.html", home)
}

fn methodology_page(ctx: &Context, site: &SiteView, editions: &[EditionView]) -> Page {
    let file = "methodology/index.html";
    let mut method = base_context(site, simple_page(ctx, "Methodology", "methodology", file));
    method.insert("editions", editions);
    method.insert("figures", &figure_rows(ctx));
    method.insert("quality", &quality_groups(ctx));
    method.insert("exclusions", &exclusion_rows(ctx));
    method.insert("registry", &registry_view(ctx.registry));
    (file.to_owned(), "methodology.html", method)
}

/// A page with no content of its own beyond its template (the 404 page).
fn simple(
    ctx: &Context,
    site: &SiteView,
    title: &str,
    kind: &'static str,
    file: &str,
    template: &'static str,
) -> Page {
    let context = base_context(site, simple_page(ctx, title, kind, file));
    (file.to_owned(), template, context)
}

/// The edition's narrative for feed readers: each chart as a plain image of its SVG
/// download with its title, since readers drop inline SVG and the page's CSS.
/// Inline figures keep their links to their definitions, not their provenance notes.
fn feed_content(ctx: &Context, edition: &Edition, index: &Doc) -> String {
    let html = crate::markdown::for_feeds(&index.rendered.html);
    narrative::fill(&html, |name| {
        let title = escape::markup(&ctx.config.charts.get(name)?.title);
        let src = (ctx.urls).absolute(&format!("{}/charts/{name}.svg", edition.slug));
        Some(format!(
            "<figure><img src=\"{}\" alt=\"{title}\"><figcaption>{title}</figcaption></figure>",
            escape::markup(&src)
        ))
    })
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    title: &'a str,
    date: Date,
    summary: &'a str,
    url: String,
    content: String,
}

fn base_context(site: &SiteView, page: PageView) -> tera::Context {
    let mut context = tera::Context::new();
    context.insert("site", site);
    context.insert("page", &page);
    context
}

fn page_view<'a>(
    ctx: &Context,
    doc: &'a Document,
    kind: &'static str,
    file: &str,
    card: &Card,
) -> PageView<'a> {
    let front = &doc.front;
    let path = page_path(file);
    let preview = match &front.image {
        Some(image) => Preview::own(image, &front.title, ctx.urls),
        None => card.preview(ctx.urls),
    };
    PageView {
        title: &front.title,
        description: &front.summary,
        kind,
        url: ctx.urls.absolute(&path),
        image: preview.into(),
        path,
        draft: front.draft,
    }
}

fn simple_page<'a>(
    ctx: &'a Context,
    title: &'a str,
    kind: &'static str,
    file: &str,
) -> PageView<'a> {
    let path = page_path(file);
    PageView {
        title,
        description: &ctx.config.description,
        kind,
        url: ctx.urls.absolute(&path),
        image: ctx.cards.home.preview(ctx.urls).into(),
        path,
        draft: false,
    }
}

fn edition_view<'a>(ctx: &Context<'a>, edition: &'a Edition, latest: bool) -> EditionView<'a> {
    let front = &edition.index.front;
    let data = &ctx.data[&edition.slug];
    let mut pages = vec![NavItem {
        title: &front.title,
        url: ctx.urls.link(&format!("{}/", edition.slug)),
    }];
    pages.extend(edition.chapters.iter().map(|c| NavItem {
        title: &c.doc.front.title,
        url: ctx.urls.link(&format!("{}/{}/", edition.slug, c.slug)),
    }));
    EditionView {
        slug: &edition.slug,
        title: &front.title,
        date: front.date,
        summary: &front.summary,
        url: ctx.urls.link(&format!("{}/", edition.slug)),
        latest,
        snapshot: &data.snapshot,
        rows: format::thousands(data.snapshot.rows as f64),
        contents: contents(&data.snapshot),
        coverage: CoverageView {
            downloads: format::number(data.coverage.downloads, Format::Percent),
            models: format::number(data.coverage.models, Format::Percent),
        },
        compare_to: front.compare_to.as_deref().map(String::as_str),
        pages,
        draft: front.draft,
    }
}

/// Second-level headings make the table of contents.
fn toc(headings: &[Heading]) -> Vec<&Heading> {
    headings.iter().filter(|h| h.level == 2).collect()
}

/// What a snapshot holds, kind by kind, in words.
fn contents(snapshot: &SnapshotInfo) -> String {
    let parts: Vec<String> = (snapshot.tables.iter())
        .map(|t| t.kind.count(t.rows))
        .collect();
    match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Every configured figure with its definition and its value in each edition.
fn figure_rows<'a>(ctx: &Context<'a>) -> Vec<FigureRow<'a>> {
    ctx.config
        .figures
        .iter()
        .map(|(name, def)| match &def.metric {
            Metric::Growth { figure: of } => growth_row(ctx, name, def, of),
            Metric::Sourced { .. } => sourced_row(ctx, name, def),
            _ => FigureRow {
                id: crate::markdown::figure_id(name),
                name,
                label: &def.label,
                definition: (ctx.data.values())
                    .find_map(|d| d.figures.get(name))
                    .map_or(String::new(), |f| f.provenance.definition.clone()),
                values: (ctx.editions.iter())
                    .filter_map(|e| {
                        // Series and tables are shown by charts and data files, not here.
                        let figure = ctx.data[&e.slug].figures.get(name)?;
                        Some(ValueView {
                            edition: &e.index.front.title,
                            text: Some(format::number(figure.number()?, figure.format)),
                            note: None,
                            url: None,
                        })
                    })
                    .collect(),
            },
        })
        .collect()
}

/// A growth figure: one definition for every edition, and each edition's value with
/// the edition it is measured against (its `compare-to`), or why it has none.
fn growth_row<'a>(ctx: &Context<'a>, name: &'a str, def: &'a FigureDef, of: &str) -> FigureRow<'a> {
    let label = ctx.config.figures.get(of).map_or(of, |d| d.label.as_str());
    let title = |slug: &str| {
        (ctx.editions.iter())
            .find(|e| e.slug == slug)
            .map_or(slug.to_owned(), |e| e.index.front.title.clone())
    };
    let values = (ctx.editions.iter())
        .map(|e| {
            let growth = ctx.data[&e.slug].figures.get(name);
            let (text, note) = match (&e.index.front.compare_to, growth) {
                (Some(base), Some(figure)) => (
                    figure.number().map(|x| format::number(x, figure.format)),
                    format!("since {}", title(base)),
                ),
                (Some(base), None) => (
                    None,
                    format!(
                        "not available against {}: its \u{201c}{label}\u{201d} is missing or 0",
                        title(base)
                    ),
                ),
                (None, _) => (None, "no earlier edition to compare with".to_owned()),
            };
            ValueView {
                edition: &e.index.front.title,
                text,
                note: Some(note),
                url: None,
            }
        })
        .collect();
    FigureRow {
        id: crate::markdown::figure_id(name),
        name,
        label: &def.label,
        definition: metrics::describe_growth(label, None),
        values,
    }
}

/// A sourced figure: each edition's value with the source that states it (and the day
/// it states it for), or that the edition has none.
fn sourced_row<'a>(ctx: &Context<'a>, name: &'a str, def: &'a FigureDef) -> FigureRow<'a> {
    let values = (ctx.editions.iter())
        .map(|e| {
            let figure = ctx.data[&e.slug].figures.get(name);
            let (text, note, url) = match figure {
                Some(f) => {
                    let p = &f.provenance;
                    let source = p.source.as_deref().unwrap_or_default();
                    let note = match &p.source_date {
                        Some(date) => format!("({source}, as of {date})"),
                        None => format!("({source})"),
                    };
                    let text = f.number().map(|x| format::number(x, f.format));
                    (text, note, p.source_url.as_deref())
                }
                None => (None, "no value stated for this edition".to_owned(), None),
            };
            ValueView {
                edition: &e.index.front.title,
                text,
                note: Some(note),
                url,
            }
        })
        .collect();
    FigureRow {
        id: crate::markdown::figure_id(name),
        name,
        label: &def.label,
        definition: metrics::describe(&def.metric, def.of),
        values,
    }
}

/// The lines of the data-quality table about one kind of repository.
#[derive(Serialize)]
struct QualityGroup {
    /// "Models", "Datasets", "Spaces".
    title: String,
    rows: Vec<QualityRow>,
}

/// One line of the data-quality table: what was counted, and its count per edition
/// (latest first; "–" for an edition whose snapshot has no file of the kind).
#[derive(Serialize)]
struct QualityRow {
    label: &'static str,
    values: Vec<String>,
}

/// What reading each edition's snapshot found, as the methodology's data-quality
/// table: a group of lines for each kind of repository some snapshot holds.
fn quality_groups(ctx: &Context) -> Vec<QualityGroup> {
    fn n(count: u64) -> String {
        format::thousands(count as f64)
    }
    type Count = fn(&Quality) -> u64;
    let lines: [(&str, Count, bool); 9] = [
        ("Entries read", |q| q.entries, false),
        (
            "Repeated ids dropped (the first entry kept)",
            |q| q.duplicates,
            false,
        ),
        (
            "Created before March 2022 (the Hub's placeholder date)",
            |q| q.placeholder_dates,
            false,
        ),
        ("Without an author", |q| q.no_author, false),
        ("Without a creation date", |q| q.no_created_at, false),
        (
            "Without downloads in the last 30 days",
            |q| q.no_downloads,
            true,
        ),
        (
            "Without all-time downloads",
            |q| q.no_downloads_all_time,
            true,
        ),
        ("Without likes", |q| q.no_likes, false),
        ("Left out by the report's exclusions", |q| q.excluded, false),
    ];
    let tables = |kind: Kind| -> Vec<Option<&TableInfo>> {
        (ctx.editions.iter())
            .map(|e| ctx.data[&e.slug].snapshot.table(kind))
            .collect()
    };
    let mut groups = Vec::new();
    for kind in Kind::ALL {
        let tables = tables(kind);
        if tables.iter().all(Option::is_none) {
            continue;
        }
        let mut rows: Vec<QualityRow> = (lines.iter())
            .filter(|(_, _, downloads)| !downloads || kind.has_field(Field::Downloads))
            .map(|&(label, count, _)| QualityRow {
                label,
                values: (tables.iter())
                    .map(|t| t.map_or("\u{2013}".to_owned(), |t| n(count(&t.quality))))
                    .collect(),
            })
            .collect();
        if kind == Kind::Models {
            rows.push(QualityRow {
                label: "Downloads the registry does not attribute",
                values: (ctx.editions.iter())
                    .map(|e| {
                        let coverage = ctx.data[&e.slug].coverage.downloads;
                        format::number(1.0 - coverage, Format::Percent)
                    })
                    .collect(),
            });
        }
        let name = kind.name();
        groups.push(QualityGroup {
            title: name[..1].to_uppercase() + &name[1..],
            rows,
        });
    }
    groups
}

/// One of the report's exclusions, as the methodology lists it.
#[derive(Serialize)]
struct ExclusionRow {
    /// "Model", "Dataset", "Space" or "Author".
    what: String,
    /// The id or author.
    name: String,
    reason: String,
    /// Per edition (latest first): what it left out ("3 models, 1.2M downloads").
    counts: Vec<String>,
}

fn exclusion_rows(ctx: &Context) -> Vec<ExclusionRow> {
    (ctx.config.exclude.iter().enumerate())
        .map(|(rule, exclusion)| {
            let (what, name) = match &exclusion.matches {
                Match::Id { kind, id } => {
                    let noun = kind.singular();
                    (noun[..1].to_uppercase() + &noun[1..], id.clone())
                }
                Match::Author(author) => ("Author".to_owned(), author.clone()),
            };
            let counts = (ctx.editions.iter())
                .map(|e| {
                    let left: Vec<String> = (ctx.data[&e.slug].excluded.iter())
                        .filter(|x| x.rule == rule)
                        .map(|x| {
                            let downloads = format::number(x.downloads as f64, Format::Compact);
                            match x.kind.has_field(Field::Downloads) {
                                true => format!("{}, {downloads} downloads", x.kind.count(x.rows)),
                                false => x.kind.count(x.rows),
                            }
                        })
                        .collect();
                    if left.is_empty() {
                        "not in the snapshot".to_owned()
                    } else {
                        left.join("; ")
                    }
                })
                .collect();
            ExclusionRow {
                what,
                name,
                reason: exclusion.reason.clone(),
                counts,
            }
        })
        .collect()
}

#[derive(Serialize)]
struct RegistryView {
    organisations: usize,
    by_kind: Vec<(String, usize)>,
    by_country: Vec<(String, usize)>,
    /// Every entry, in id order: (id, name, country name or "", kind, source URL); long
    /// ids and names cut (`format::text`), the URL percent-encoded (`escape::url`).
    entries: Vec<(String, String, String, String, String)>,
    /// (old id, the id it now is), in old-id order.
    aliases: Vec<(String, String)>,
}

fn registry_view(registry: &Registry) -> RegistryView {
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut countries: BTreeMap<String, usize> = BTreeMap::new();
    for org in registry.orgs.values() {
        *kinds.entry(org.kind.as_str().to_owned()).or_default() += 1;
        let country = org.country.clone().unwrap_or_else(|| "unknown".to_owned());
        *countries.entry(country).or_default() += 1;
    }
    let sorted = |map: BTreeMap<String, usize>| {
        let mut v: Vec<_> = map.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    };
    RegistryView {
        organisations: registry.orgs.len(),
        by_kind: sorted(kinds),
        by_country: sorted(countries),
        entries: (registry.orgs.iter())
            .map(|(id, org)| {
                let country = org.country.as_deref().map(crate::countries::country_name);
                (
                    format::text(id).into_owned(),
                    format::text(&org.name).into_owned(),
                    country.unwrap_or_default().to_owned(),
                    org.kind.as_str().to_owned(),
                    escape::url(&org.source),
                )
            })
            .collect(),
        aliases: (registry.alias.iter().chain(&registry.legacy))
            .map(|(old, id)| {
                (
                    format::text(old).into_owned(),
                    format::text(id).into_owned(),
                )
            })
            .collect(),
    }
}
