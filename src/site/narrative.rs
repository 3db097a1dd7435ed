//! The narrative step: every document of every edition rendered from Markdown once,
//! on every core, with its claims evaluated.
//!
//! A chart stands in the HTML as a slot (`slot`) that each layout fills its own way
//! (`fill`): a page with the chart's interactive block, the feed with a plain image.
//! Every failing document is reported, not only the first. The pages step then only
//! lays out what this step rendered.

use std::collections::BTreeMap;

use anyhow::Result;

use super::charts::Charts;
use super::data::EditionData;
use crate::content::Edition;
use crate::dates::Date;
use crate::diagnostics;
use crate::figures::Figures;
use crate::markdown::{self, Document};

/// One rendered document of an edition.
#[derive(Debug)]
pub struct Doc<'a> {
    pub doc: &'a Document,
    /// Its folder below the edition's: `` for the index, `geography/` for a chapter.
    pub sub: String,
    pub rendered: markdown::Rendered,
}

/// Edition slug → its documents, index first, then chapters in reading order.
pub type Narrative<'a> = BTreeMap<String, Vec<Doc<'a>>>;

/// Renders every document of `editions`; inline figures link to their definitions on
/// the methodology page at `definitions`.
pub fn render_all<'a>(
    editions: &'a [Edition],
    data: &BTreeMap<String, EditionData>,
    charts: &Charts,
    definitions: &str,
) -> Result<Narrative<'a>> {
    let figures: BTreeMap<String, Figures> = (data.iter())
        .map(|(slug, d)| (slug.clone(), d.figures.clone()))
        .collect();
    let slots: BTreeMap<&str, BTreeMap<String, String>> = (editions.iter())
        .map(|e| {
            let names = charts[&e.slug]
                .keys()
                .map(|name| (name.clone(), slot(name)));
            (e.slug.as_str(), names.collect())
        })
        .collect();
    render_with(editions, &figures, &slots, definitions)
}

/// The false claims (`false_claims`) of `editions` for the figures `figures` (every
/// edition's, as a built site's `figures.json` holds them), without snapshots or
/// charts: the config's `chart_names` stand for the charts. What `stateof diff` asks
/// of two built sites.
pub fn false_claims_for(
    editions: &[Edition],
    figures: &BTreeMap<String, Figures>,
    chart_names: &[&str],
) -> Result<Vec<String>> {
    let names: BTreeMap<String, String> = (chart_names.iter())
        .map(|name| ((*name).to_owned(), slot(name)))
        .collect();
    let slots = (editions.iter())
        .map(|e| (e.slug.as_str(), names.clone()))
        .collect();
    Ok(false_claims(&render_with(editions, figures, &slots, "")?))
}

/// Renders every document of `editions` with `figures` and the chart slots of each
/// edition; inline figures link to their definitions at `definitions`.
fn render_with<'a>(
    editions: &'a [Edition],
    figures: &BTreeMap<String, Figures>,
    slots: &BTreeMap<&str, BTreeMap<String, String>>,
    definitions: &str,
) -> Result<Narrative<'a>> {
    let titles: BTreeMap<String, String> = (editions.iter())
        .map(|e| (e.slug.clone(), e.index.front.title.clone()))
        .collect();
    let dates: BTreeMap<String, Date> = (editions.iter())
        .map(|e| (e.slug.clone(), e.index.front.date))
        .collect();
    let docs: Vec<(&Edition, String, &Document)> = (editions.iter())
        .flat_map(|e| {
            let chapters = (e.chapters.iter()).map(move |c| (e, format!("{}/", c.slug), &c.doc));
            std::iter::once((e, String::new(), &e.index)).chain(chapters)
        })
        .collect();
    let rendered = super::in_runs(&docs, |_, run| {
        let render = |(edition, _, doc): &(&Edition, String, &Document)| {
            let context = markdown::Context {
                edition: &edition.slug,
                figures,
                edition_titles: &titles,
                edition_dates: &dates,
                charts: &slots[edition.slug.as_str()],
                definitions,
            };
            markdown::render(doc, &context)
        };
        run.iter().map(render).collect()
    });
    let rendered = diagnostics::all(rendered)?;
    let mut narrative = Narrative::new();
    for ((edition, sub, doc), rendered) in docs.into_iter().zip(rendered) {
        let docs = narrative.entry(edition.slug.clone()).or_default();
        docs.push(Doc { doc, sub, rendered });
    }
    Ok(narrative)
}

/// One message per false claim (`Claim::false_message`), in document order.
pub fn false_claims(narrative: &Narrative) -> Vec<String> {
    (narrative.values().flatten())
        .flat_map(|d| {
            (d.rendered.claims.iter())
                .filter(|claim| !claim.holds)
                .map(|claim| claim.false_message(&d.doc.path))
        })
        .collect()
}

/// One message per number typed in a document of `editions` that a figure of its
/// edition shows (`markdown::typed_numbers`), and per number written in words outside
/// a guarded claim (`markdown::number_words`), in document order. Editions without
/// figures in `figures` are skipped.
pub fn typed_numbers(editions: &[Edition], figures: &BTreeMap<String, Figures>) -> Vec<String> {
    let mut messages = Vec::new();
    for edition in editions {
        let Some(figures) = figures.get(&edition.slug) else {
            continue;
        };
        let docs = std::iter::once(&edition.index).chain(edition.chapters.iter().map(|c| &c.doc));
        for doc in docs {
            let typed = markdown::typed_numbers(doc, figures);
            let words = markdown::number_words(doc);
            let mut found: Vec<(usize, String)> = (typed.iter())
                .map(|t| (t.line, t.message(&doc.path)))
                .chain(words.iter().map(|w| (w.line, w.message(&doc.path))))
                .collect();
            found.sort_by_key(|(line, _)| *line);
            messages.extend(found.into_iter().map(|(_, message)| message));
        }
    }
    messages
}

/// Where chart `name` goes in rendered HTML: a comment no Markdown or data makes.
pub fn slot(name: &str) -> String {
    format!("<!--stateof:chart:{name}-->")
}

/// `html` with each chart slot replaced by `chart(name)`. A slot that names no chart
/// can only have been written as a raw HTML comment by an editor: it stays as written.
pub fn fill(html: &str, chart: impl Fn(&str) -> Option<String>) -> String {
    const OPEN: &str = "<!--stateof:chart:";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let Some(end) = after.find("-->") else {
            break;
        };
        out.push_str(&rest[..start]);
        match chart(&after[..end]) {
            Some(html) => out.push_str(&html),
            None => out.push_str(&rest[start..start + OPEN.len() + end + 3]),
        }
        rest = &after[end + 3..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_filled_by_name() {
        let html = format!("<p>a</p>\n{}\n<p>b</p>{}", slot("one"), slot("two"));
        let filled = fill(&html, |name| Some(format!("<figure>{name}</figure>")));
        assert_eq!(
            filled,
            "<p>a</p>\n<figure>one</figure>\n<p>b</p><figure>two</figure>"
        );
        assert_eq!(fill("<!--stateof:chart:x", |_| None), "<!--stateof:chart:x");
        let unknown = "<p>a</p><!--stateof:chart:nope--><p>b</p>";
        assert_eq!(fill(unknown, |_| None), unknown);
    }
}
