//! Loading the report config: TOML text to a checked `Config`, in two levels (as
//! ripgrep goes from raw to validated arguments).
//!
//! The site settings are read by serde. Each figure and chart is first read as a table
//! of keys and values with their places in the file (toml's spans), then into its typed
//! definition, and checked: names, ranges, the values a closed key can take, and the
//! figures that charts and growth figures name. Every error reads `PATH:LINE: …` with a
//! did-you-mean where a name was misspelt, and all of them are reported at once (up to
//! `diagnostics::MAX_ERRORS`), in file order. Nothing is checked again at compute time.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;

use anyhow::{anyhow, Result};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Deserializer};
use toml::{Spanned, Value};

use super::{check, ChartDef, Config, FigureDef, Format, Metric, FILE_NAME};
use crate::snapshot::Kind;
use crate::suggest::did_you_mean;

use super::RawTable;

/// The figure and chart tables, before they are typed.
#[derive(Deserialize)]
struct RawDefs {
    #[serde(default)]
    figures: BTreeMap<Spanned<String>, RawTable>,
    #[serde(default)]
    charts: BTreeMap<Spanned<String>, RawTable>,
    #[serde(default)]
    exclude: Vec<Spanned<RawTable>>,
}

/// An error and the line it is on, to report errors in file order.
type Found = (usize, anyhow::Error);

/// Reads and checks the report config of the project at `root`.
pub fn load(root: &Path) -> Result<Config> {
    let path = root.join(FILE_NAME);
    let text = std::fs::read_to_string(&path).map_err(|err| {
        let hint = if err.kind() == std::io::ErrorKind::NotFound {
            ": run stateof in a report project's folder (or a folder inside it), name the \
             project with --root DIR, or create one with `stateof init DIR`"
        } else {
            ""
        };
        anyhow::Error::new(err).context(format!(
            "failed to read the report config `{}`{hint}",
            path.display()
        ))
    })?;
    parse(&path, &text)
}

/// The project folder for a command run in `dir`, as git finds a repository: `dir` or
/// the nearest folder above it that holds `stateof.toml`, as a path relative to `dir`
/// (empty for `dir` itself, `..`, `../..`); `None` when no folder above holds one.
pub fn find_root(dir: &Path) -> Option<std::path::PathBuf> {
    let levels = dir.ancestors().position(|d| d.join(FILE_NAME).is_file())?;
    Some((0..levels).map(|_| "..").collect())
}

/// Parses and checks the report config, given as `text`, from the file at `path` (as
/// error messages show it).
pub fn parse(path: &Path, text: &str) -> Result<Config> {
    let src = Source { path, text };
    let raw: RawDefs = toml::from_str(text).map_err(|e| src.toml_error(&e))?;
    let mut errors = Vec::new();
    let site = toml::from_str::<Config>(text).map_err(|e| errors.push(src.found(&e)));

    let declared: BTreeSet<&str> = raw.figures.keys().map(|k| k.get_ref().as_str()).collect();
    let mut figures = BTreeMap::new();
    for (name, table) in &raw.figures {
        match figure(&src, name, table) {
            Ok(def) => {
                figures.insert(name.get_ref().clone(), def);
            }
            Err(found) => errors.extend(found),
        }
    }
    errors.extend(check::growth(&src, &figures, &declared));
    let mut charts = BTreeMap::new();
    for (name, table) in &raw.charts {
        match chart(&src, name, table, &figures, &declared) {
            Ok(def) => {
                charts.insert(name.get_ref().clone(), def);
            }
            Err(found) => errors.push(found),
        }
    }

    let (exclude, found) = super::exclude::parse(&src, &raw.exclude);
    errors.extend(found);

    errors.sort_by_key(|(line, _)| *line);
    crate::diagnostics::all(errors.into_iter().map(|(_, e)| Err::<(), _>(e)))?;
    let mut config = site.expect("site errors are reported above");
    config.path = path.to_owned();
    config.figures = figures;
    config.charts = charts;
    config.exclude = exclude;
    Ok(config)
}

/// Stands in for `figures` and `charts` while serde reads the site settings; they are
/// read from the spanned tables instead.
pub(super) fn later<'de, D: Deserializer<'de>, T: Default>(d: D) -> Result<T, D::Error> {
    IgnoredAny::deserialize(d)?;
    Ok(T::default())
}

/// The config's text and path, to turn spans into `PATH:LINE: message`.
pub(super) struct Source<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Source<'_> {
    /// The 1-based line of byte `offset`.
    pub(super) fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.text.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    /// `message` at the line of `span`.
    pub(super) fn error(&self, span: Range<usize>, message: impl std::fmt::Display) -> Found {
        self.error_at_line(self.line(span.start), message)
    }

    /// `message` at `line`.
    pub(super) fn error_at_line(&self, line: usize, message: impl std::fmt::Display) -> Found {
        (line, anyhow!("{}:{line}: {message}", self.path.display()))
    }

    fn found(&self, err: &toml::de::Error) -> Found {
        let span = err.span().unwrap_or(0..0);
        self.error(span, improve(err.message(), &[]))
    }

    fn toml_error(&self, err: &toml::de::Error) -> anyhow::Error {
        self.found(err).1
    }
}

/// One figure definition, typed and checked.
fn figure(src: &Source, name: &Spanned<String>, table: &RawTable) -> Result<FigureDef, Vec<Found>> {
    let fail = |span: Range<usize>, message: String| {
        src.error(span, format!("figure `{}`: {message}", name.get_ref()))
    };
    if let Err(message) = check::name(name.get_ref()) {
        return Err(vec![fail(name.span(), message)]);
    }
    let mut errors = Vec::new();
    let mut label = None;
    let mut format = None;
    let mut of = Kind::Models;
    let mut rest = toml::Table::new();
    for (key, value) in table {
        match key.get_ref().as_str() {
            "label" => {
                label = typed::<String>(key, value)
                    .map_err(|e| errors.push(fail(value.span(), e)))
                    .ok()
            }
            "format" => {
                format = typed::<Format>(key, value)
                    .map_err(|e| errors.push(fail(value.span(), e)))
                    .ok()
            }
            "of" => match typed::<String>(key, value).and_then(|s| s.parse::<Kind>()) {
                Ok(kind) => of = kind,
                Err(e) => errors.push(fail(value.span(), e)),
            },
            _ => {
                rest.insert(key.get_ref().clone(), value.get_ref().clone());
            }
        }
    }
    let metric = match super::sourced::normalise(&mut rest) {
        Err((key, message)) => {
            errors.push(fail(
                check::span_of(table, &key).unwrap_or(name.span()),
                message,
            ));
            Err(())
        }
        Ok(()) => Value::Table(rest).try_into::<Metric>().map_err(|err| {
            let (span, message) = place(name, table, err.message());
            errors.push(fail(span, message));
        }),
    };
    let misspelt = errors
        .iter()
        .any(|(_, e)| e.to_string().contains("unknown key"));
    if label.is_none() && !misspelt && !table.keys().any(|k| k.get_ref() == "label") {
        errors.push(fail(
            name.span(),
            "missing key `label` (a short label for the figure)".into(),
        ));
    }
    let (Some(label), Ok(metric), true) = (label, metric, errors.is_empty()) else {
        return Err(errors);
    };
    let def = FigureDef {
        label,
        of,
        metric,
        format,
        line: src.line(name.span().start),
    };
    check::figure(&def, table)
        .map_err(|(span, message)| vec![fail(span.unwrap_or(name.span()), message)])?;
    Ok(def)
}

/// One chart definition, typed and checked against the figures it can draw.
fn chart(
    src: &Source,
    name: &Spanned<String>,
    table: &RawTable,
    figures: &BTreeMap<String, FigureDef>,
    declared: &BTreeSet<&str>,
) -> Result<ChartDef, Found> {
    let fail = |span: Range<usize>, message: String| {
        src.error(span, format!("chart `{}`: {message}", name.get_ref()))
    };
    check::name(name.get_ref()).map_err(|m| fail(name.span(), m))?;
    let plain: toml::Table = table
        .iter()
        .map(|(k, v)| (k.get_ref().clone(), v.get_ref().clone()))
        .collect();
    let mut def = Value::Table(plain).try_into::<ChartDef>().map_err(|err| {
        let (span, message) = place(name, table, err.message());
        fail(span, message)
    })?;
    def.line = src.line(name.span().start);
    let span = |key: &str| check::span_of(table, key).unwrap_or(name.span());
    match figures.get(&def.figure) {
        Some(figure) => check::drawable(&def, figure).map_err(|m| fail(span("kind"), m))?,
        // A figure with errors of its own: those are reported.
        None if declared.contains(def.figure.as_str()) => {}
        None => {
            let message = format!(
                "draws unknown figure `{}`{}",
                def.figure,
                did_you_mean(&def.figure, declared.iter())
            );
            return Err(fail(span("figure"), message));
        }
    }
    Ok(def)
}

/// The value of `key` as a `T`, or what is wrong with it.
fn typed<T: DeserializeOwned>(key: &Spanned<String>, value: &Spanned<Value>) -> Result<T, String> {
    value
        .get_ref()
        .clone()
        .try_into()
        .map_err(|e| format!("`{}`: {}", key.get_ref(), improve(e.message(), &[])))
}

/// Where in a definition serde's `message` points, and the message made readable: an
/// unknown key at its line with the nearest known key, an unknown value at its key's
/// line with the nearest known value; otherwise at the definition's line.
fn place(name: &Spanned<String>, table: &RawTable, message: &str) -> (Range<usize>, String) {
    let common = ["label", "format"];
    let Some(token) = first_quoted(message) else {
        return (name.span(), improve(message, &common));
    };
    for (key, value) in table {
        if key.get_ref() == token {
            return (key.span(), improve(message, &common));
        }
        if let Some(path) = holds(value.get_ref(), token, key.get_ref()) {
            return (
                value.span(),
                format!("`{path}`: {}", improve(message, &common)),
            );
        }
    }
    (name.span(), improve(message, &common))
}

/// The dotted path (from `at`) of the key named `token`, or of the string `token`, in
/// `value`.
fn holds(value: &Value, token: &str, at: &str) -> Option<String> {
    match value {
        Value::String(s) if s == token => Some(at.to_owned()),
        Value::Array(items) => items.iter().find_map(|v| holds(v, token, at)),
        Value::Table(table) => table.iter().find_map(|(k, v)| {
            let path = format!("{at}.{k}");
            if k == token {
                Some(path)
            } else {
                holds(v, token, &path)
            }
        }),
        _ => None,
    }
}

/// The first `` `quoted` `` word of `message`.
fn first_quoted(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// serde's message on one line, with "unknown field/variant `x`, expected …" turned into
/// "unknown key/value `x` (did you mean `y`?)"; `more` are further names a key could
/// have had (keys read apart from serde's struct).
pub(super) fn improve(message: &str, more: &[&str]) -> String {
    let lines: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("in `"))
        .collect();
    let message = lines.join(", ");
    for (prefix, what) in [("unknown field `", "key"), ("unknown variant `", "value")] {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        let Some((found, expected)) = rest.split_once('`') else {
            continue;
        };
        let mut names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        if what == "key" {
            names.extend(more);
        }
        let hint = did_you_mean(found, &names);
        let list = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>();
        return match (hint.is_empty(), list.is_empty()) {
            (false, _) => format!("unknown {what} `{found}`{hint}"),
            (true, true) => format!("unknown {what} `{found}`"),
            (true, false) => format!("unknown {what} `{found}`; expected {}", list.join(", ")),
        };
    }
    message
}
