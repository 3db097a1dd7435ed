//! `stateof diff OLD NEW`: what changed between two sets of figures, for a reviewer
//! (a refresh pull request shows it as Markdown).
//!
//! `load` turns the two arguments into figures per edition (from `figures.json` files,
//! built sites, or two snapshot files of one project, built here with the site's own
//! machinery, which also says which guarded claims the new data makes false and what
//! it found wrong in the data). `compare` is pure: two editions' figures in, rows of
//! changes out. `render` words a `Report` as text, Markdown or JSON. Nothing here
//! writes files.

mod load;
mod render;

use serde::Serialize;

use crate::config::Format;
use crate::figures::{Cell, Figure, Figures, Value};
use crate::format;

pub use load::{load, Inputs};
pub use render::{render, Style};

/// Most points of one series listed; the rest (the smallest changes) are counted.
pub const MAX_POINTS: usize = 10;

/// Everything `diff` reports.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// What the two sides are, as given.
    pub old: String,
    pub new: String,
    pub editions: Vec<EditionDiff>,
    /// Guarded claims false with the new data (only when the data is built here).
    pub false_claims: Vec<FalseClaim>,
    /// What the build of the new data said about the data itself.
    pub data_notes: Vec<String>,
    /// Editions in one side only, and other remarks on what was compared.
    pub remarks: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FalseClaim {
    /// `PATH:LINE: claim is false for edition E: COND (values): "text"`.
    pub message: String,
    /// False with the new data but not with the old.
    pub newly_false: bool,
}

/// The changes in one edition's figures.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EditionDiff {
    pub edition: String,
    /// Changed values, figure by figure in name order.
    pub rows: Vec<Row>,
    /// Values that show the same on both sides.
    pub unchanged: usize,
    /// Changed values left out: below `--min-change`, or beyond `MAX_POINTS` of a series.
    pub hidden: usize,
}

/// One changed value: a scalar figure, a point of a series, or the rows of a table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub figure: String,
    pub label: String,
    /// The series point (`China`), or `rows` for a table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub point: Option<String>,
    pub old: Option<f64>,
    pub new: Option<f64>,
    /// As the pages show them (empty when absent).
    pub old_shown: String,
    pub new_shown: String,
    /// The change, in percentage points for shares, else in percent of the old value;
    /// none when there is no number to compare.
    pub change: Option<f64>,
    /// `+1.7 pp`, `+11%`, `new`, `removed`, or what entered and left a table.
    pub change_shown: String,
}

/// Compares one edition's figures. `min_change` hides rows whose change is smaller (in
/// points for shares, in percent otherwise); a figure added or removed, or a table
/// whose rows differ, is always shown.
pub fn compare(edition: &str, old: &Figures, new: &Figures, min_change: f64) -> EditionDiff {
    let mut diff = EditionDiff {
        edition: edition.to_owned(),
        ..EditionDiff::default()
    };
    let mut names: Vec<&String> = new.keys().chain(old.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let mut rows = match (old.get(name), new.get(name)) {
            (Some(a), Some(b)) => values(name, a, b),
            (a, b) => vec![presence(name, a, b)],
        };
        let before = rows.len();
        rows.retain(|row| row.old_shown != row.new_shown || row.point.as_deref() == Some("rows"));
        diff.unchanged += before - rows.len();
        let before = rows.len();
        rows.retain(|row| row.change.is_none_or(|c| c.abs() >= min_change));
        rows.sort_by(|a, b| magnitude(b).total_cmp(&magnitude(a)));
        if rows.iter().any(|r| r.point.is_some()) {
            rows.truncate(MAX_POINTS);
            restore_order(&mut rows, new.get(name).or(old.get(name)));
        }
        diff.hidden += before - rows.len();
        diff.rows.extend(rows);
    }
    diff
}

/// A figure on one side only.
fn presence(name: &str, old: Option<&Figure>, new: Option<&Figure>) -> Row {
    let figure = new.or(old).expect("a figure on at least one side");
    let shown = |f: Option<&Figure>| f.map_or(String::new(), summary);
    Row {
        figure: name.to_owned(),
        label: figure.label.clone(),
        point: None,
        old: old.and_then(Figure::number),
        new: new.and_then(Figure::number),
        old_shown: shown(old),
        new_shown: shown(new),
        change: None,
        change_shown: if new.is_some() { "new" } else { "removed" }.to_owned(),
    }
}

/// A figure shown in one cell: its value, or how many points or rows it has.
fn summary(figure: &Figure) -> String {
    match &figure.value {
        Value::Number(x) => format::number(*x, figure.format),
        Value::Series(points) => format!("{} points", points.len()),
        Value::Table(table) => format!("{} rows", table.rows.len()),
    }
}

/// The rows comparing a figure present on both sides.
fn values(name: &str, old: &Figure, new: &Figure) -> Vec<Row> {
    let row =
        |point: Option<&str>, a: Option<f64>, b: Option<f64>| number_row(name, new, point, a, b);
    match (&old.value, &new.value) {
        (Value::Number(a), Value::Number(b)) => vec![row(None, Some(*a), Some(*b))],
        (Value::Series(a), Value::Series(b)) => {
            let mut labels: Vec<&str> = b.iter().map(|p| p.label.as_str()).collect();
            let only_old: Vec<&str> = (a.iter().map(|p| p.label.as_str()))
                .filter(|l| !labels.contains(l))
                .collect();
            labels.extend(only_old);
            let at = |points: &[crate::figures::Point], label: &str| {
                points.iter().find(|p| p.label == label).map(|p| p.value)
            };
            (labels.into_iter())
                .map(|label| row(Some(label), at(a, label), at(b, label)))
                .collect()
        }
        (Value::Table(a), Value::Table(b)) => {
            table_row(name, new, &a.rows, &b.rows).into_iter().collect()
        }
        _ => vec![Row {
            change_shown: "changed kind".to_owned(),
            ..presence(name, Some(old), Some(new))
        }],
    }
}

fn number_row(
    name: &str,
    figure: &Figure,
    point: Option<&str>,
    old: Option<f64>,
    new: Option<f64>,
) -> Row {
    let shown = |x: Option<f64>| x.map_or(String::new(), |x| format::number(x, figure.format));
    let points = matches!(figure.format, Format::Percent | Format::Change);
    let change = match (old, new) {
        (Some(a), Some(b)) if points => Some((b - a) * 100.0),
        (Some(a), Some(b)) if a != 0.0 => Some((b - a) / a.abs() * 100.0),
        _ => None,
    };
    let change_shown = match (old, new, change) {
        (_, _, Some(c)) if points => format!("{} pp", signed(c, 1)),
        (_, _, Some(c)) => format!("{}%", signed(c, 0)),
        (None, Some(_), _) => "new".to_owned(),
        (Some(_), None, _) => "removed".to_owned(),
        _ => "from 0".to_owned(),
    };
    Row {
        figure: name.to_owned(),
        label: figure.label.clone(),
        point: point.map(str::to_owned),
        old,
        new,
        old_shown: shown(old),
        new_shown: shown(new),
        change,
        change_shown,
    }
}

/// `+1.7`, `−0.4` (a minus sign), `+0` for what rounds to zero.
fn signed(x: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, x.abs());
    let zero = text.chars().all(|c| c == '0' || c == '.');
    if x < 0.0 && !zero {
        format!("\u{2212}{text}")
    } else {
        format!("+{text}")
    }
}

/// A table's rows compared by their first cell (a model id): what entered and left.
/// None when the same rows are listed in the same order.
fn table_row(name: &str, figure: &Figure, old: &[Vec<Cell>], new: &[Vec<Cell>]) -> Option<Row> {
    let key = |row: &Vec<Cell>| match row.first() {
        Some(Cell::Text(t)) => t.clone(),
        Some(Cell::Number(x)) => x.to_string(),
        None => String::new(),
    };
    let (a, b): (Vec<String>, Vec<String>) =
        (old.iter().map(key).collect(), new.iter().map(key).collect());
    if a == b {
        return None;
    }
    let entered: Vec<&str> = b
        .iter()
        .filter(|k| !a.contains(k))
        .map(String::as_str)
        .collect();
    let left: Vec<&str> = a
        .iter()
        .filter(|k| !b.contains(k))
        .map(String::as_str)
        .collect();
    let mut parts = Vec::new();
    if !entered.is_empty() {
        parts.push(format!("entered: {}", entered.join(", ")));
    }
    if !left.is_empty() {
        parts.push(format!("left: {}", left.join(", ")));
    }
    if parts.is_empty() {
        parts.push("order changed".to_owned());
    }
    Some(Row {
        figure: name.to_owned(),
        label: figure.label.clone(),
        point: Some("rows".to_owned()),
        old: None,
        new: None,
        old_shown: format!("{} rows", a.len()),
        new_shown: format!("{} rows", b.len()),
        change: None,
        change_shown: parts.join("; "),
    })
}

/// How large a row's change is, for keeping the largest points of a series.
fn magnitude(row: &Row) -> f64 {
    row.change.map_or(f64::INFINITY, f64::abs)
}

/// Puts the kept points of a series back in the series' own order.
fn restore_order(rows: &mut [Row], figure: Option<&Figure>) {
    let Some(points) = figure.and_then(Figure::series) else {
        return;
    };
    let position = |row: &Row| {
        (points.iter())
            .position(|p| Some(p.label.as_str()) == row.point.as_deref())
            .unwrap_or(usize::MAX)
    };
    rows.sort_by_key(position);
}

#[cfg(test)]
mod tests;
