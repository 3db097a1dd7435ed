//! Markdown narrative: front matter, figure and chart shortcodes, guarded claims, HTML.
//!
//! A content file is TOML front matter between `+++` lines, then Markdown (with tables,
//! footnotes, strikethrough, smart punctuation and `{#id}` heading attributes). The body
//! may call these shortcodes, Tera-like:
//!
//! - `{{ fig(name="top200_share") }}`: the figure's value, formatted, in a
//!   `<data class="fig" value="…">` element (`class="fig sourced"` for figures stated
//!   by a source), linked to its definition on the methodology page and followed by a
//!   note of its provenance (`role="tooltip"`, the link's `aria-describedby`) that the
//!   page shows on hover, focus and tap; inside a link's text, the value alone with its
//!   provenance as a `title`. Its first occurrence on a page carries the figure's id,
//!   `fig-NAME` (the id of its definition on the methodology page and of its entry in
//!   `figures.json`), followed by a `#` link to itself outside links and headings.
//!   `vs="2025-spring"` shows `earlier → this`, the arrow read out as "to";
//!   `format="compact"` (or thousands, percent, change, decimal) overrides the format.
//!   `vs` must name an earlier edition (by front matter date) than the page's.
//! - `{{ chart(name="downloads_by_country") }}`: the chart's ready HTML block.
//! - `{{ table(name="top_models") }}`: a `top` figure as an HTML table.
//! - `{{ claim(if="cn_share > us_share") }}…{{ end }}`: a guarded claim. The text up
//!   to `{{ end }}` (on the same line or a later one; claims do not nest) is true only
//!   while the condition holds. Both shortcodes show nothing; the text renders as usual.
//!   The condition compares figures and numbers with `< <= > >= == !=`, combined with
//!   `and`, `or`, `not` and parentheses: `name` is a figure of the page's edition,
//!   `name@2025-spring` one of another edition, and `40%` is 0.4. Values are compared
//!   raw. Every claim is evaluated on every render and returned in `Rendered.claims`;
//!   the site fails the build on a false one (see `Claim::false_message`).
//!
//! Charts and tables are blocks: alone in a paragraph they replace it; in a sentence or a
//! heading they are an error. Shortcodes in code spans and code blocks are left as
//! written, and `\{{` outside code is a literal `{{` (inside code, write `{{` as is).
//! A shortcode fits on one line. Unknown names, arguments or editions are errors naming
//! the file, the line and the nearest known name.
//!
//! - `{{ not_data }}…{{ end }}`: a passage that is not a data claim ("the second half
//!   of the year"); the checks on numbers in prose leave it alone. It shows nothing.
//!
//! `typed_numbers` finds numbers typed in the prose that a figure shows (they should be
//! `fig` calls), and `number_words` numbers written in words ("a third", "doubled")
//! outside guarded claims; the site warns about both.
//!
//! Raw HTML in the narrative passes through (editors are trusted); everything taken
//! from data is escaped here. This module reads no files and knows nothing of layouts.

mod claim;
mod condition;
pub use claim::Claim;
mod embed;
pub use embed::{figure_id, for_feeds, Shortcode};
mod front;
mod html;
mod prose;
pub mod rewrite;
mod shortcodes;
mod typed;
mod words;
pub use typed::{typed_numbers, TypedNumber};
pub use words::{number_words, NumberWord};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Result};

use crate::dates::Date;
use crate::figures::Figures;

/// One content file, parsed but not rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub path: PathBuf,
    pub front: FrontMatter,
    /// The Markdown after the closing `+++` line.
    pub body: String,
    /// 1-based line number of the body's first line in the file.
    pub body_line: usize,
}

/// The TOML between the `+++` lines, checked, each value that an error may point
/// back to with its line in the file (see `front` for how it is read).
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    pub title: String,
    /// `YYYY-MM-DD` (a quoted string or a bare TOML date), checked to be a real date.
    pub date: Date,
    /// Empty, at line 1, when there is none.
    pub summary: Lined<String>,
    /// The condition under which the summary is true (`summary-if = "cn_share >
    /// us_share"`), evaluated like a claim's.
    pub summary_if: Option<Guard>,
    /// The edition's snapshot, relative to the project root.
    pub snapshot: Option<Lined<String>>,
    /// The slug of an earlier edition to compare with.
    pub compare_to: Option<Lined<String>>,
    /// Order among chapters (lower first).
    pub weight: Option<i64>,
    /// A social preview image (a site path or an absolute URL), in place of the
    /// generated card.
    pub image: Option<String>,
    /// The figure an edition's social card shows (`card-figure = "cn_share"`); by
    /// default the first single-number figure its narrative shows.
    pub card_figure: Option<Lined<String>>,
    /// A draft: left out of `stateof build` unless drafts are asked for (`--drafts`,
    /// and the preview server), and then marked as a draft on its page.
    pub draft: bool,
    /// When the edition was published (`published = 2026-06-01`): its data is final,
    /// and `stateof refresh` moves the newest edition without one.
    pub published: Option<Lined<Date>>,
}

/// A front matter value and the 1-based line of the file it was written on, for the
/// messages that name it after the file is read. Reads as the value it holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Lined<T> {
    pub value: T,
    pub line: usize,
}

impl<T: std::fmt::Display> std::fmt::Display for Lined<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.value.fmt(f)
    }
}

impl<T> std::ops::Deref for Lined<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// A condition on figures written in front matter, with its line in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Guard {
    pub condition: String,
    pub line: usize,
}

/// Everything `render` needs besides the document.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The slug of the edition being built, e.g. `2026-spring`.
    pub edition: &'a str,
    /// Every edition's figures, by edition slug.
    pub figures: &'a BTreeMap<String, Figures>,
    /// Edition slug → title, for provenance and "vs" labels.
    pub edition_titles: &'a BTreeMap<String, String>,
    /// Edition slug → front matter date (`YYYY-MM-DD`): `vs=` must name an earlier one.
    pub edition_dates: &'a BTreeMap<String, crate::dates::Date>,
    /// Chart name → ready HTML block (`<figure>…</figure>`) for this edition.
    pub charts: &'a BTreeMap<String, String>,
    /// The methodology page's URL (`/report/methodology/`): an inline figure links to
    /// its definition there, `#fig-NAME`.
    pub definitions: &'a str,
}

/// A rendered body.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The HTML fragment.
    pub html: String,
    /// Every heading, in order, for a table of contents.
    pub headings: Vec<Heading>,
    /// Figures the body shows (fig and table), in order of first use.
    pub figures_used: Vec<String>,
    /// Charts the body shows, in order of first use.
    pub charts_used: Vec<String>,
    /// Every guarded claim, in order, evaluated for this edition (true or not: the
    /// caller decides what a false claim does).
    pub claims: Vec<Claim>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The element id: `{#explicit}` or the slugified text, made unique in the page.
    pub id: String,
    /// Plain text (not escaped), figure values included.
    pub text: String,
}

/// An error at a 0-based line of the body; `render` turns it into `PATH:LINE: message`.
#[derive(Debug)]
struct BodyError {
    line: usize,
    message: String,
}

/// Splits `text` (the contents of `path`) into front matter and body. Errors read
/// `PATH:LINE: message` or `PATH:LINE:COL: message`.
pub fn parse_document(path: &Path, text: &str) -> Result<Document> {
    front::parse(path, text)
}

/// Renders the body of `doc` to HTML, expanding its shortcodes from `ctx`.
pub fn render(doc: &Document, ctx: &Context) -> Result<Rendered> {
    let at = |line: usize, message: &str| {
        anyhow!("{}:{}: {message}", doc.path.display(), doc.body_line + line)
    };
    let scanned = shortcodes::scan(&doc.body).map_err(|e| at(e.line, &e.message))?;
    let spans = claim::spans(&scanned.calls).map_err(|e| at(e.line, &e.message))?;
    let mut used = embed::Used::default();
    let mut embeds = Vec::with_capacity(scanned.calls.len());
    for call in &scanned.calls {
        embeds.push(embed::expand(call, ctx, &mut used).map_err(|m| at(call.line, &m))?);
    }
    let mut claims = Vec::with_capacity(spans.len());
    let guarded = |&&(open, _): &&(usize, usize)| {
        embed::Shortcode::of(&scanned.calls[open]) == Some(embed::Shortcode::Claim)
    };
    for &span in spans.iter().filter(guarded) {
        let line = scanned.calls[span.0].line;
        let (calls, source) = (&scanned.calls, &scanned.source);
        let claim = claim::evaluate(span, calls, source, &embeds, ctx, doc.body_line + line)
            .map_err(|m| at(line, &m))?;
        claims.push(claim);
    }
    if let Some(guard) = &doc.front.summary_if {
        let (holds, values) = claim::assess(&guard.condition, ctx)
            .map_err(|m| anyhow!("{}:{}: {m}", doc.path.display(), guard.line))?;
        claims.push(Claim {
            line: guard.line,
            edition: ctx.edition.to_owned(),
            condition: guard.condition.clone(),
            text: doc.front.summary.value.clone(),
            holds,
            values,
        });
    }
    let (html, headings) =
        html::render(&scanned.source, &embeds).map_err(|e| at(e.line, &e.message))?;
    // A safety net: a placeholder that survived sat where no expansion can go.
    if let Some(index) = (0..embeds.len()).find(|i| html.contains(&shortcodes::placeholder(*i))) {
        return Err(at(
            scanned.calls[index].line,
            &format!(
                "{} cannot go here (only in text, headings, table cells and raw HTML)",
                embeds[index].what
            ),
        ));
    }
    Ok(Rendered {
        html,
        headings,
        figures_used: used.figures,
        charts_used: used.charts,
        claims,
    })
}

#[cfg(test)]
mod tests;
