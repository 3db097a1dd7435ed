//! The figure palette page at `/_stateof/figures`: every figure with each edition's
//! value, its definition and the shortcodes to paste, a copy button per shortcode
//! and a search box. A tool page of the preview server, not of the site, so
//! it carries its own small style rather than the report's templates.

use crate::escape::markup as escape_html;
use crate::site::palette::Row;

const STYLE: &str = "
:root { color-scheme: light dark; --bg: #fbfaf7; --ink: #1d232b; --muted: #5b6571;
  --rule: #e3e0d8; --accent: #2f5d8a; --code: #f1eee8; }
@media (prefers-color-scheme: dark) { :root { --bg: #14181d; --ink: #e6e8eb;
  --muted: #9aa4ae; --rule: #2c333c; --accent: #8ab4e0; --code: #1f252d; } }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 1rem 4rem; }
h1 { font-size: 1.5rem; margin: 0 0 .3rem; }
p.lead { color: var(--muted); margin: 0 0 1rem; }
input[type=search] { width: 100%; font: inherit; padding: .55rem .7rem; border: 1px solid var(--rule);
  border-radius: 6px; background: transparent; color: inherit; }
table { width: 100%; border-collapse: collapse; margin-top: 1rem; table-layout: fixed; }
th:nth-child(1) { width: 40%; } th:nth-child(2) { width: 22%; } th:nth-child(3) { width: 38%; }
th, td { text-align: left; vertical-align: top; padding: .55rem .5rem; border-bottom: 1px solid var(--rule); }
th[scope=col] { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
code.name { font-weight: 600; }
.label { display: block; margin-top: .2rem; }
.against { display: block; font-size: .88rem; }
.definition { display: block; color: var(--muted); font-size: .88rem; }
.kind { font-size: .75rem; color: var(--muted); border: 1px solid var(--rule); border-radius: 3px; padding: 0 .25rem; }
ul.values { list-style: none; margin: 0; padding: 0; }
ul.values li { margin: 0 0 .3rem; }
.edition { color: var(--muted); font-size: .85rem; }
.value { font-variant-numeric: tabular-nums; font-weight: 600; }
code { font: 13px ui-monospace, Menlo, Consolas, monospace; background: var(--code); padding: .1rem .3rem;
  border-radius: 3px; overflow-wrap: anywhere; }
.snippet { display: flex; gap: .35rem; align-items: center; margin: 0 0 .3rem; }
button.copy { font: inherit; font-size: .8rem; cursor: pointer; border: 1px solid var(--rule);
  background: transparent; color: var(--accent); border-radius: 4px; padding: .1rem .45rem; }
@media (max-width: 40rem) { table { table-layout: auto; } thead { display: none; }
  tr, td { display: block; } td { border: 0; padding: .2rem 0; }
  tr { border-bottom: 1px solid var(--rule); padding: .6rem 0; } }
";

const SCRIPT: &str = "
const box = document.getElementById('filter');
const rows = Array.from(document.querySelectorAll('tbody tr'));
const count = document.getElementById('count');
function filter() {
  const words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
  let shown = 0;
  for (const row of rows) {
    const hit = words.every((w) => row.dataset.text.includes(w));
    row.hidden = !hit;
    if (hit) shown++;
  }
  count.textContent = shown + ' of ' + rows.length + ' shown';
}
box.addEventListener('input', filter);
document.addEventListener('click', async (event) => {
  const button = event.target.closest('button.copy');
  if (!button) return;
  const text = button.previousElementSibling.textContent;
  try { await navigator.clipboard.writeText(text); }
  catch (_) {
    const area = document.createElement('textarea');
    area.value = text; document.body.append(area); area.select();
    document.execCommand('copy'); area.remove();
  }
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = 'Copy'; }, 1200);
});
filter();
";

/// The palette page for `rows`.
pub fn page(rows: &[Row]) -> String {
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Figures · stateof preview</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <h1>Figures</h1>\n<p class=\"lead\">Every figure of the report, with its value in each \
         edition as the prose shows it. Copy a shortcode into the narrative; \
         <code>vs</code> shows a change between editions.</p>\n\
         <label for=\"filter\">Search figures</label>\n\
         <input id=\"filter\" type=\"search\" placeholder=\"share, downloads, country…\" autofocus>\n\
         <p id=\"count\" role=\"status\" class=\"lead\"></p>\n\
         <table>\n<thead><tr><th scope=\"col\">Figure</th>\
         <th scope=\"col\">Values</th><th scope=\"col\">Shortcodes</th></tr></thead>\n<tbody>\n"
    );
    for row in rows {
        html.push_str(&row_html(row));
    }
    html.push_str("</tbody>\n</table>\n</main>\n<script>");
    html.push_str(SCRIPT);
    html.push_str("</script>\n</body>\n</html>\n");
    html
}

fn row_html(row: &Row) -> String {
    let words = [
        &row.name,
        &row.label,
        &row.definition,
        &row.kind.name().to_owned(),
    ];
    let search = (words.into_iter().chain(&row.charts))
        .map(|s| s.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    let mut values = String::new();
    let mut snippets: String = row.shortcodes.iter().map(|s| snippet(s)).collect();
    if row.shortcodes.is_empty() {
        snippets = "<span class=\"definition\">no chart draws it yet: add one under \
                    <code>[charts]</code> in stateof.toml</span>"
            .to_owned();
    }
    for value in &row.values {
        values += &format!(
            "<li><span class=\"edition\">{}</span> <span class=\"value\">{}</span>",
            escape_html(&value.title),
            escape_html(&value.text)
        );
        if let Some(compared) = &value.compared {
            values += &format!(
                "<span class=\"against\">since {}: <span class=\"value\">{}</span></span>",
                escape_html(&compared.title),
                escape_html(&compared.text)
            );
            snippets += &snippet(&compared.shortcode);
        }
        values += "</li>";
    }
    let charts = match row.charts.len() {
        0 => String::new(),
        _ => format!(
            "<span class=\"definition\">Drawn by: {}</span>",
            escape_html(&row.charts.join("; "))
        ),
    };
    format!(
        "<tr id=\"{name}\" data-text=\"{search}\"><td><code class=\"name\">{name}</code> \
         <span class=\"kind\">{kind}</span><span class=\"label\">{label}</span>\
         <span class=\"definition\">{definition}</span>{charts}</td>\
         <td><ul class=\"values\">{values}</ul></td><td>{snippets}</td></tr>\n",
        name = escape_html(&row.name),
        search = escape_html(&search),
        kind = row.kind.name(),
        label = escape_html(&row.label),
        definition = escape_html(&row.definition),
    )
}

fn snippet(shortcode: &str) -> String {
    format!(
        "<div class=\"snippet\"><code>{}</code><button type=\"button\" class=\"copy\">Copy</button></div>",
        escape_html(shortcode)
    )
}
