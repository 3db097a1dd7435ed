//! What a shortcode call becomes: a figure's value, a before → after pair, a chart block
//! or a data table, as HTML with everything from data escaped.
//!
//! Owns the checks on names and arguments (with "did you mean" suggestions); does not
//! know where in the Markdown the call sits (`html` does).

use std::collections::{BTreeMap, BTreeSet};

use super::shortcodes::Call;
use super::Context;
use crate::config::{names, Format};
use crate::escape::markup as escape_html;
use crate::figures::{Cell, Figure, Table, Value};
use crate::format;
use crate::suggest::did_you_mean;

/// The shortcodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcode {
    Fig,
    Chart,
    Table,
    Claim,
    End,
}

impl Shortcode {
    pub const ALL: [Shortcode; 5] = [
        Shortcode::Fig,
        Shortcode::Chart,
        Shortcode::Table,
        Shortcode::Claim,
        Shortcode::End,
    ];

    /// The name as written in a call.
    pub fn name(self) -> &'static str {
        match self {
            Shortcode::Fig => "fig",
            Shortcode::Chart => "chart",
            Shortcode::Table => "table",
            Shortcode::Claim => "claim",
            Shortcode::End => "end",
        }
    }

    /// The arguments it takes.
    fn args(self) -> &'static [&'static str] {
        match self {
            Shortcode::Fig => &["name", "vs", "format"],
            Shortcode::Chart | Shortcode::Table => &["name"],
            Shortcode::Claim => &["if"],
            Shortcode::End => &[],
        }
    }

    /// The call an editor writes to show `name` (with `vs`, against that edition).
    pub fn call(self, name: &str, vs: Option<&str>) -> String {
        let vs = vs.map_or_else(String::new, |edition| format!(", vs=\"{edition}\""));
        format!("{{{{ {}(name=\"{name}\"{vs}) }}}}", self.name())
    }

    /// The shortcode a call names, if any.
    pub(super) fn of(call: &Call) -> Option<Shortcode> {
        Shortcode::ALL.into_iter().find(|s| s.name() == call.name)
    }
}

/// A shortcode's replacement.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Embed {
    pub html: String,
    /// Plain text for headings' table-of-contents text and image alt text.
    pub text: String,
    /// A block (chart, table) that must stand alone rather than sit inside a sentence.
    pub block: bool,
    /// The call as an editor would recognise it, for error messages.
    pub what: String,
    /// The permalink anchor of an inline figure: its first occurrence on the page
    /// carries it (see `Anchor::wrap`).
    pub anchor: Option<Anchor>,
}

/// An inline figure's permalink: `id="fig-NAME"` on its first occurrence in a page, with
/// a small `#` link to itself (which the page's script also copies to the clipboard).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Anchor {
    /// `fig-NAME`, the id `figures.json` gives the figure too.
    pub id: String,
    /// The figure's label, naming the link for screen readers.
    pub label: String,
}

impl Anchor {
    fn of(name: &str, label: &str) -> Anchor {
        Anchor {
            id: figure_id(name),
            label: label.to_owned(),
        }
    }

    /// `html` carrying the anchor's id, followed by the link to it unless `link` is
    /// false (inside a link or a heading, where a link cannot or should not go).
    pub fn wrap(&self, html: &str, link: bool) -> String {
        let id = escape_html(&self.id);
        let link = match link {
            true => format!(
                "<a class=\"fig-link\" href=\"#{id}\" aria-label=\"Link to this figure: {}\">#</a>",
                escape_html(&self.label)
            ),
            false => String::new(),
        };
        format!("<span class=\"fig-ref\" id=\"{id}\">{html}</span>{link}")
    }
}

/// The element id of figure `name` on a page, in `figures.json` and on the methodology
/// page: `fig-NAME` (figure names are plain: letters, digits, `_` and `-`).
pub fn figure_id(name: &str) -> String {
    format!("fig-{name}")
}

/// Figures and charts a page used, in order of first use.
#[derive(Debug, Default)]
pub(super) struct Used {
    pub figures: Vec<String>,
    pub charts: Vec<String>,
}

fn note(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_owned());
    }
}

/// Expands one call, or says what is wrong with it.
pub(super) fn expand(call: &Call, ctx: &Context, used: &mut Used) -> Result<Embed, String> {
    let Some(shortcode) = Shortcode::of(call) else {
        let names = Shortcode::ALL.map(Shortcode::name);
        return Err(format!(
            "unknown shortcode `{}`{}; the shortcodes are {}",
            call.name,
            did_you_mean(&call.name, &names),
            names.join(", ")
        ));
    };
    let args = check_args(call, shortcode.args())?;
    if matches!(shortcode, Shortcode::Claim | Shortcode::End) {
        return claim_mark(shortcode, &args);
    }
    let name = *args.get("name").ok_or_else(|| {
        format!(
            "`{}` needs a `name` argument, e.g. {{{{ {}(name=\"…\") }}}}",
            call.name, call.name
        )
    })?;
    match shortcode {
        Shortcode::Fig => fig(name, &args, ctx, used),
        Shortcode::Table => table(name, ctx, used),
        _ => chart(name, ctx, used),
    }
}

/// `claim` and `end` mark where a guarded passage starts and ends; they show nothing
/// (`claim` evaluates them).
fn claim_mark(shortcode: Shortcode, args: &BTreeMap<&str, &str>) -> Result<Embed, String> {
    if shortcode == Shortcode::Claim && !args.contains_key("if") {
        return Err(
            "`claim` needs a condition, e.g. {{ claim(if=\"cn_share > us_share\") }}".to_owned(),
        );
    }
    Ok(Embed {
        html: String::new(),
        text: String::new(),
        block: false,
        what: format!("`{}`", shortcode.name()),
        anchor: None,
    })
}

fn check_args<'c>(call: &'c Call, allowed: &[&str]) -> Result<BTreeMap<&'c str, &'c str>, String> {
    let mut args = BTreeMap::new();
    for (key, value) in &call.args {
        if !allowed.contains(&key.as_str()) {
            return Err(format!(
                "`{}` has no argument `{key}`{}; it takes {}",
                call.name,
                did_you_mean(key, allowed),
                allowed.join(", ")
            ));
        }
        if args.insert(key.as_str(), value.as_str()).is_some() {
            return Err(format!("argument `{key}` is given twice"));
        }
    }
    Ok(args)
}

fn fig(
    name: &str,
    args: &BTreeMap<&str, &str>,
    ctx: &Context,
    used: &mut Used,
) -> Result<Embed, String> {
    let figure = lookup(ctx, ctx.edition, name)?;
    let x = scalar(name, figure)?;
    let format = match args.get("format") {
        Some(text) => parse_format(text)?,
        None => figure.format,
    };
    let (mut html, mut text) = data(figure, x, format, ctx);
    if let Some(earlier) = args.get("vs") {
        check_edition(ctx, earlier)?;
        check_earlier(ctx, earlier)?;
        let before = lookup(ctx, earlier, name)?;
        let (before_html, before_text) = data(before, scalar(name, before)?, format, ctx);
        html = format!("{before_html}&nbsp;\u{2192} {html}");
        text = format!("{before_text}\u{a0}\u{2192} {text}");
    }
    note(&mut used.figures, name);
    Ok(Embed {
        html,
        text,
        block: false,
        what: format!("fig `{name}`"),
        anchor: Some(Anchor::of(name, &figure.label)),
    })
}

fn table(name: &str, ctx: &Context, used: &mut Used) -> Result<Embed, String> {
    let figure = lookup(ctx, ctx.edition, name)?;
    let Value::Table(table) = &figure.value else {
        return Err(format!(
            "figure `{name}` is {}, not a table; tables show `top` figures",
            kind(&figure.value)
        ));
    };
    note(&mut used.figures, name);
    Ok(Embed {
        html: table_html(figure, table, ctx),
        text: figure.label.clone(),
        block: true,
        what: format!("table `{name}`"),
        anchor: None,
    })
}

fn chart(name: &str, ctx: &Context, used: &mut Used) -> Result<Embed, String> {
    let Some(html) = ctx.charts.get(name) else {
        return Err(format!(
            "unknown chart `{name}`{}",
            did_you_mean(name, ctx.charts.keys())
        ));
    };
    if used.charts.iter().any(|n| n == name) {
        return Err(format!(
            "chart `{name}` is already shown on this page; a chart appears once per page"
        ));
    }
    note(&mut used.charts, name);
    Ok(Embed {
        html: html.clone(),
        text: String::new(),
        block: true,
        what: format!("chart `{name}`"),
        anchor: None,
    })
}

/// An error naming the known editions when `edition` is not one of them.
pub(super) fn check_edition(ctx: &Context, edition: &str) -> Result<(), String> {
    if ctx.figures.contains_key(edition) || ctx.edition_titles.contains_key(edition) {
        return Ok(());
    }
    let known: BTreeSet<&String> = ctx
        .figures
        .keys()
        .chain(ctx.edition_titles.keys())
        .collect();
    Err(format!(
        "unknown edition `{edition}`{}",
        did_you_mean(edition, known)
    ))
}

/// `vs=` compares with an earlier edition: not the page's own, nor a later one (by the
/// front matter dates).
fn check_earlier(ctx: &Context, earlier: &str) -> Result<(), String> {
    let date = |slug: &str| ctx.edition_dates.get(slug).copied();
    let this = date(ctx.edition);
    let earlier_ones: Vec<&str> = (ctx.edition_dates.iter())
        .filter(|(_, d)| Some(**d) < this)
        .map(|(slug, _)| slug.as_str())
        .collect();
    let which = if earlier_ones.is_empty() {
        "no edition is earlier than this one".to_owned()
    } else {
        format!("the earlier editions are {}", earlier_ones.join(", "))
    };
    if earlier == ctx.edition {
        return Err(format!(
            "`vs=\"{earlier}\"` names this page's own edition; compare with an earlier one ({which})"
        ));
    }
    match (date(earlier), this) {
        (Some(then), Some(now)) if then >= now => Err(format!(
            "`vs=\"{earlier}\"` must name an earlier edition, but `{earlier}` is dated {then} and \
             this edition {now} ({which})"
        )),
        _ => Ok(()),
    }
}

/// The figure `name` of `edition`, or an error telling unknown names apart from figures
/// that this edition lacks (such as a growth figure with nothing to compare to).
pub(super) fn lookup<'c>(
    ctx: &Context<'c>,
    edition: &str,
    name: &str,
) -> Result<&'c Figure, String> {
    if let Some(figure) = ctx.figures.get(edition).and_then(|f| f.get(name)) {
        return Ok(figure);
    }
    let having: Vec<&str> = ctx
        .figures
        .iter()
        .filter(|(_, figures)| figures.contains_key(name))
        .map(|(edition, _)| edition.as_str())
        .collect();
    if having.is_empty() {
        let known: BTreeSet<&String> = ctx.figures.values().flat_map(|f| f.keys()).collect();
        return Err(format!(
            "unknown figure `{name}`{}",
            did_you_mean(name, known)
        ));
    }
    let hint = if edition == ctx.edition {
        "; a growth figure needs an earlier edition to compare to (`compare-to`)"
    } else {
        ""
    };
    Err(format!(
        "figure `{name}` has no value for edition `{edition}` (only for {}){hint}",
        having.join(", ")
    ))
}

pub(super) fn scalar(name: &str, figure: &Figure) -> Result<f64, String> {
    figure.number().ok_or_else(|| {
        let hint = match figure.value {
            Value::Table(_) => "show it with table(name=\"…\")",
            _ => "draw it with chart(name=\"…\")",
        };
        format!(
            "figure `{name}` is {}, not a single number; {hint}",
            kind(&figure.value)
        )
    })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Number(_) => "a single number",
        Value::Series(_) => "a series",
        Value::Table(_) => "a table",
    }
}

fn parse_format(text: &str) -> Result<Format, String> {
    let formats = names::variants::<Format>();
    names::parse(text).ok_or_else(|| {
        format!(
            "unknown format `{text}`{}; the formats are {}",
            did_you_mean(text, formats),
            formats.join(", ")
        )
    })
}

/// `(html, text)` of one value: `<data class="fig" value="…" title="provenance">…</data>`.
fn data(figure: &Figure, x: f64, format: Format, ctx: &Context) -> (String, String) {
    let text = format::number(x, format);
    let class = if figure.is_sourced() {
        "fig sourced"
    } else {
        "fig"
    };
    let html = format!(
        r#"<data class="{class}" value="{x}" title="{}">{}</data>"#,
        escape_html(&provenance(figure, ctx)),
        escape_html(&text)
    );
    (html, text)
}

/// Where a value comes from, in one line: label and definition; edition; snapshot date;
/// rows; source.
fn provenance(figure: &Figure, ctx: &Context) -> String {
    let p = &figure.provenance;
    let mut parts = Vec::new();
    if p.definition.is_empty() || p.definition == figure.label {
        parts.push(figure.label.clone());
    } else {
        parts.push(format!("{}: {}", figure.label, p.definition));
    }
    parts.push(match ctx.edition_titles.get(&p.edition) {
        Some(title) => format!("edition {title} ({})", p.edition),
        None => format!("edition {}", p.edition),
    });
    if let Some(date) = &p.snapshot_date {
        parts.push(format!("snapshot {date}"));
    }
    if let Some(rows) = p.rows {
        parts.push(format!("{} rows", format::thousands(rows as f64)));
    }
    if let Some(source) = &p.source {
        match &p.source_url {
            Some(url) => parts.push(format!("source: {source}, {url}")),
            None => parts.push(format!("source: {source}")),
        }
    }
    parts.join("; ")
}

/// A data table: a caption, a header row, numbers right-aligned (`class="num"`).
fn table_html(figure: &Figure, table: &Table, ctx: &Context) -> String {
    let numeric: Vec<bool> = (0..table.columns.len())
        .map(|i| {
            !table.rows.is_empty()
                && table
                    .rows
                    .iter()
                    .all(|row| matches!(row.get(i), Some(Cell::Number(_))))
        })
        .collect();
    let class = |i: usize| if numeric[i] { r#" class="num""# } else { "" };
    let mut html = format!(
        "<div class=\"table-wrap\"><table class=\"fig-table\" title=\"{}\">\n<caption>{}</caption>\n<thead><tr>",
        escape_html(&provenance(figure, ctx)),
        escape_html(&figure.label)
    );
    for (i, column) in table.columns.iter().enumerate() {
        html += &format!("<th scope=\"col\"{}>{}</th>", class(i), escape_html(column));
    }
    html += "</tr></thead>\n<tbody>\n";
    for row in &table.rows {
        html += "<tr>";
        for i in 0..table.columns.len() {
            let cell = match row.get(i) {
                Some(Cell::Number(x)) => format::number(*x, Format::Thousands),
                Some(Cell::Text(text)) => escape_html(&format::text(text)),
                None => String::new(),
            };
            html += &format!("<td{}>{cell}</td>", class(i));
        }
        html += "</tr>\n";
    }
    html + "</tbody>\n</table></div>"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_name_parses() {
        for name in names::variants::<Format>() {
            assert!(parse_format(name).is_ok(), "{name}");
        }
        assert_eq!(parse_format("compact"), Ok(Format::Compact));
        let e = parse_format("percnt").unwrap_err();
        assert!(
            e.starts_with("unknown format `percnt` (did you mean `percent`?)"),
            "{e}"
        );
    }
}
