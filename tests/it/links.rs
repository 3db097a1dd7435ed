//! A link checker over a built site: every internal `href`/`src` resolves to a file,
//! and every `#fragment` to an element id on the target page.

use std::collections::BTreeSet;
use std::path::Path;

/// Checks every HTML page under `site`; `base_path` is the URL path the site is served
/// at (`/stateof/`). Returns the broken links as `page: link` lines.
pub fn broken_links(site: &Path, base_path: &str) -> Vec<String> {
    let mut broken = Vec::new();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(site) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = entry
            .path()
            .strip_prefix(site)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let html = std::fs::read_to_string(entry.path()).unwrap();
        for link in attribute_values(&html, &["href", "src"]) {
            checked += 1;
            if let Err(why) = resolve(site, base_path, &page, &html, &link) {
                broken.push(format!("{page}: {link} ({why})"));
            }
        }
    }
    assert!(checked > 0, "no links found under {}", site.display());
    broken
}

fn resolve(site: &Path, base_path: &str, page: &str, html: &str, link: &str) -> Result<(), String> {
    if link.starts_with("http://") || link.starts_with("https://") || link.starts_with("mailto:") {
        return Ok(());
    }
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let target = if path.is_empty() {
        page.to_owned()
    } else if let Some(rooted) = path.strip_prefix('/') {
        let rooted = format!("/{rooted}");
        match rooted.strip_prefix(base_path) {
            Some(rest) => rest.to_owned(),
            None => return Err(format!("outside the base path {base_path}")),
        }
    } else {
        join(page, path)
    };
    let file = if target.is_empty() || target.ends_with('/') {
        format!("{target}index.html")
    } else {
        target
    };
    let full = site.join(&file);
    if !full.is_file() {
        return Err(format!("no file {file}"));
    }
    if let Some(id) = fragment.filter(|f| !f.is_empty()) {
        let text = if path.is_empty() {
            html.to_owned()
        } else {
            std::fs::read_to_string(&full).unwrap()
        };
        let ids: BTreeSet<String> = attribute_values(&text, &["id"]).into_iter().collect();
        if !ids.contains(id) {
            return Err(format!("no element with id `{id}` in {file}"));
        }
    }
    Ok(())
}

/// Resolves a relative link against the page's folder.
fn join(page: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in relative.split('/') {
        match part {
            "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// Values of the named attributes (double-quoted, as the templates write them).
pub fn attribute_values(html: &str, names: &[&str]) -> Vec<String> {
    let mut values = Vec::new();
    for name in names {
        let needle = format!(" {name}=\"");
        let mut rest = html;
        while let Some(at) = rest.find(&needle) {
            rest = &rest[at + needle.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            values.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    values
}

#[test]
fn join_resolves_dot_segments() {
    assert_eq!(join("a/b/index.html", "../c/"), "a/c/");
    assert_eq!(join("index.html", "x.html"), "x.html");
}
