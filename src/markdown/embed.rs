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
    /// Opens a passage that is not a data claim (`{{ not_data }}…{{ end }}`): the
    /// checks on numbers in prose leave it alone (`typed`, `words`).
    NotData,
    End,
}

impl Shortcode {
    pub const ALL: [Shortcode; 6] = [
        Shortcode::Fig,
        Shortcode::Chart,
        Shortcode::Table,
        Shortcode::Claim,
        Shortcode::NotData,
        Shortcode::End,
    ];

    /// The name as written in a call.
    pub fn name(self) -> &'static str {
        match self {
            Shortcode::Fig => "fig",
            Shortcode::Chart => "chart",
            Shortcode::Table => "table",
            Shortcode::Claim => "claim",
            Shortcode::NotData => "not_data",
            Shortcode::End => "end",
        }
    }

    /// The arguments it takes.
    fn args(self) -> &'static [&'static str] {
        match self {
            Shortcode::Fig => &["name", "vs", "format"],
            Shortcode::Chart | Shortcode::Table => &["name"],
            Shortcode::Claim => &["if"],
            Shortcode::NotData | Shortcode::End => &[],
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
    /// The HTML where a link may not go (inside a link's text): a figure without its
    /// link to its definition. Empty when it is `html`.
    pub unlinked: String,
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

/// An inline figure's permalink on its page: its first occurrence there carries
/// `id="fig-NAME"` and, after it, a small `#` link to itself (which the theme's script
/// also copies to the clipboard).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Anchor {
    /// `fig-NAME` (`figure_id`).
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

    /// `html` inside the element carrying the anchor's id, with the link to it at the
    /// end unless `link` is false (inside a link or a heading, where a link cannot or
    /// should not go).
    pub fn wrap(&self, html: &str, link: bool) -> String {
        let id = escape_html(&self.id);
        let link = match link {
            true => format!(
                "{PERMALINK} href=\"#{id}\" aria-label=\"Link to the figure {}\">#</a>",
                escape_html(&self.label)
            ),
            false => String::new(),
        };
        format!("<span class=\"fig-ref\" id=\"{id}\">{html}{link}</span>")
    }
}

/// What opens a figure's permalink; its `aria-label` is escaped, so the next `</a>`
/// closes it.
const PERMALINK: &str = "<a class=\"fig-permalink\"";

/// The one id of figure `name` wherever it is shown: on the page that first shows it
/// inline, on the methodology page (its definition) and in `figures.json`: `fig-NAME`
/// (figure names are plain: letters, digits, `_` and `-`).
pub fn figure_id(name: &str) -> String {
    format!("fig-{name}")
}

/// Figures and charts a page used, in order of first use.
#[derive(Debug, Default)]
pub(super) struct Used {
    pub figures: Vec<String>,
    pub charts: Vec<String>,
    /// Inline figure values shown so far: numbers their provenance notes' ids.
    pub values: usize,
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
    if matches!(
        shortcode,
        Shortcode::Claim | Shortcode::NotData | Shortcode::End
    ) {
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

/// `claim`, `not_data` and `end` mark where a guarded passage, or one that is not a
/// data claim, starts and ends; they show nothing (`claim` evaluates claims).
fn claim_mark(shortcode: Shortcode, args: &BTreeMap<&str, &str>) -> Result<Embed, String> {
    if shortcode == Shortcode::Claim && !args.contains_key("if") {
        return Err(
            "`claim` needs a condition, e.g. {{ claim(if=\"cn_share > us_share\") }}".to_owned(),
        );
    }
    Ok(Embed {
        html: String::new(),
        unlinked: String::new(),
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
    let mut value = data(name, figure, x, format, ctx, used);
    if let Some(earlier) = args.get("vs") {
        check_edition(ctx, earlier)?;
        check_earlier(ctx, earlier)?;
        let before = lookup(ctx, earlier, name)?;
        let before = data(name, before, scalar(name, before)?, format, ctx, used);
        value = Shown::pair(before, value);
    }
    note(&mut used.figures, name);
    Ok(Embed {
        html: value.html,
        unlinked: value.unlinked,
        text: value.text,
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
        unlinked: String::new(),
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
        unlinked: String::new(),
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
/// that this edition lacks (a growth figure with nothing to compare to, a sourced
/// figure without a value for it).
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
    let sourced = (ctx.figures.values())
        .find_map(|figures| figures.get(name))
        .is_some_and(Figure::is_sourced);
    let hint = match (sourced, edition == ctx.edition) {
        (true, _) => format!(
            "; it is a sourced figure, and stateof.toml states no value for this edition: \
             add one to its `values` (`{{ edition = \"{edition}\", value = …, source = \"…\" }}`), \
             or take the figure out of this edition's text"
        ),
        (false, true) => {
            "; a growth figure needs an earlier edition to compare to (`compare-to`)".to_owned()
        }
        (false, false) => String::new(),
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

/// One inline value, or an `earlier → this` pair, three ways.
struct Shown {
    /// Linked to its definition, with its provenance note.
    html: String,
    /// The value alone, with its provenance as a `title` (inside a link's text).
    unlinked: String,
    /// Plain text.
    text: String,
}

/// The arrow of `earlier → this`, hidden from screen readers, which read this instead.
const SPOKEN_ARROW: &str = "<span class=\"visually-hidden\">to</span>";
const ARROW: &str = "&nbsp;<span aria-hidden=\"true\">\u{2192}</span>";
/// What opens a provenance note; its text is escaped, so the next `</span>` closes it.
const NOTE: &str = "<span class=\"fig-note\"";

impl Shown {
    /// `earlier → this`.
    fn pair(before: Shown, after: Shown) -> Shown {
        Shown {
            html: format!("{}{ARROW}{SPOKEN_ARROW} {}", before.html, after.html),
            unlinked: format!(
                "{}{ARROW}{SPOKEN_ARROW} {}",
                before.unlinked, after.unlinked
            ),
            text: format!("{}\u{a0}\u{2192} {}", before.text, after.text),
        }
    }
}

/// One value: a link to the figure's definition on the methodology page
/// (`#fig-NAME`) holding `<data class="fig" value="…">`, and beside it a note with the
/// value's provenance that the link names as its description (`aria-describedby`).
/// The page's stylesheet shows the note on hover and focus, its script on a tap.
fn data(
    name: &str,
    figure: &Figure,
    x: f64,
    format: Format,
    ctx: &Context,
    used: &mut Used,
) -> Shown {
    let text = format::number(x, format);
    // An undefined value (a share of a total of 0) has no machine-readable value.
    let machine = if x.is_finite() {
        x.to_string()
    } else {
        String::new()
    };
    let class = if figure.is_sourced() {
        "fig sourced"
    } else {
        "fig"
    };
    used.values += 1;
    let note = format!("so-prov-{}", used.values);
    let provenance = escape_html(&provenance(figure, ctx));
    let value = format!(
        r#"<data class="{class}" value="{machine}">{}</data>"#,
        escape_html(&text)
    );
    let href = escape_html(&format!("{}#{}", ctx.definitions, figure_id(name)));
    let html = format!(
        "<span class=\"fig-wrap\"><a class=\"fig-link\" href=\"{href}\" aria-describedby=\"{note}\">\
         {value}</a>{NOTE} id=\"{note}\" role=\"tooltip\">{provenance}</span></span>"
    );
    let unlinked = format!(
        r#"<data class="{class}" value="{machine}" title="{provenance}">{}</data>"#,
        escape_html(&text)
    );
    Shown {
        html,
        unlinked,
        text,
    }
}

/// Rendered HTML for a reader without the page's stylesheet or script (a feed
/// reader): the provenance notes, the figures' permalinks (`#` links to the page they
/// are read away from) and the arrows' spoken "to" left out; the links to the
/// definitions kept.
pub fn for_feeds(html: &str) -> String {
    let html = cut(html, NOTE, "</span>");
    cut(&html, PERMALINK, "</a>").replace(SPOKEN_ARROW, "")
}

/// `html` without the elements that start with `open` and end at the next `close`.
fn cut(html: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(open) {
        let Some(end) = rest[start..].find(close) else {
            break;
        };
        out.push_str(&rest[..start]);
        rest = &rest[start + end + close.len()..];
    }
    out.push_str(rest);
    out
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

/// A data table: a caption, a header row, a row header per row (the first column),
/// numbers right-aligned (`class="num"`), each cell labelled with its column
/// (`data-label`) for the phone layout, in a named scroll region keyboards can reach.
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
    let label = escape_html(&figure.label);
    let mut html = format!(
        "<div class=\"table-wrap\" role=\"region\" aria-label=\"{label}\" tabindex=\"0\">\
         <table class=\"fig-table\" title=\"{}\">\n<caption>{label}</caption>\n<thead><tr>",
        escape_html(&provenance(figure, ctx)),
    );
    for (i, column) in table.columns.iter().enumerate() {
        html += &format!("<th scope=\"col\"{}>{}</th>", class(i), escape_html(column));
    }
    html += "</tr></thead>\n<tbody>\n";
    for row in &table.rows {
        html += "<tr>";
        for (i, column) in table.columns.iter().enumerate() {
            let cell = match row.get(i) {
                Some(Cell::Number(x)) => format::number(*x, Format::Thousands),
                Some(Cell::Text(text)) => escape_html(&format::text(text)),
                None => String::new(),
            };
            html += &match i {
                0 => format!("<th scope=\"row\"{}>{cell}</th>", class(i)),
                _ => format!(
                    "<td{} data-label=\"{}\">{cell}</td>",
                    class(i),
                    escape_html(column)
                ),
            };
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
