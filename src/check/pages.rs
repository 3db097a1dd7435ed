//! What `check` asks of each HTML page: every internal link and `#anchor` resolves
//! under the base path, its link preview image is an absolute URL, and every image
//! and inline chart has a text alternative.
//! Each problem is one line naming the page and the line in it.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::html::{self, Tag};

/// One page, scanned.
#[derive(Debug)]
pub struct Page {
    pub tags: Vec<Tag>,
    /// Element ids (and `<a name>`), the targets of `#anchors`.
    pub ids: HashSet<String>,
}

/// Scans one page.
pub fn read(text: &str) -> Page {
    let tags = html::tags(text);
    let ids = (tags.iter())
        .filter_map(|t| t.attr("id").or(t.attr("name").filter(|_| t.name == "a")))
        .map(str::to_owned)
        .collect();
    Page { tags, ids }
}

/// The site a page links within.
pub struct Site<'a> {
    /// Every file, by path relative to the site folder (`2026-spring/index.html`).
    pub files: &'a BTreeSet<String>,
    pub pages: &'a BTreeMap<String, Page>,
    /// `/stateof/`: where the site is served.
    pub base_path: &'a str,
    /// `https://example.org/stateof/`: links starting with it are internal too.
    pub base_url: &'a str,
}

/// What links count per page, for the summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counted {
    pub links: usize,
    pub alternatives: usize,
}

/// The problems of page `path` (relative to the site folder), each `LINE: message`,
/// and what was checked.
pub fn problems(path: &str, page: &Page, site: &Site) -> (Vec<String>, Counted) {
    let mut found = Vec::new();
    let mut counted = Counted::default();
    for (i, tag) in page.tags.iter().enumerate() {
        for link in links(tag, site.base_url) {
            counted.links += 1;
            if let Err(why) = resolve(path, page, link, site) {
                found.push(format!("{}: link `{link}` {why}", tag.line));
            }
        }
        if let Some(why) = missing_alternative(tag, page.tags.get(i + 1), page) {
            found.push(format!("{}: {why}", tag.line));
        }
        if let Some(why) = relative_preview(tag) {
            found.push(format!("{}: {why}", tag.line));
        }
        counted.alternatives += usize::from(matches!(tag.name.as_str(), "img" | "svg"));
    }
    (found, counted)
}

/// The URLs a tag points at that may be internal.
fn links<'t>(tag: &'t Tag, base_url: &str) -> Vec<&'t str> {
    let mut found: Vec<&str> = ["href", "src", "poster"]
        .iter()
        .filter_map(|name| tag.attr(name))
        .collect();
    // `og:url`, `og:image`: absolute addresses of the site itself.
    if tag.name == "meta" {
        found.extend(tag.attr("content").filter(|c| c.starts_with(base_url)));
    }
    found.retain(|link| !link.is_empty());
    found
}

/// Ok when `link` on page `path` leads to a file of the site (and its anchor to an
/// element of that file), or leaves the site; else why not.
fn resolve(path: &str, page: &Page, link: &str, site: &Site) -> Result<(), String> {
    let internal = match link.strip_prefix(site.base_url) {
        Some(rest) => format!("{}{rest}", site.base_path),
        None if is_external(link) => return Ok(()),
        None => link.to_owned(),
    };
    let (target, fragment) = match internal.split_once('#') {
        Some((target, fragment)) => (target, Some(fragment)),
        None => (internal.as_str(), None),
    };
    let target = target.split('?').next().unwrap_or_default();
    let file = if target.is_empty() {
        path.to_owned()
    } else if target.starts_with('/') {
        match target.strip_prefix(site.base_path) {
            Some(rest) => file_of(rest, site.files)?,
            None => {
                return Err(format!(
                    "is outside the base path {} (the config's base-url, or --base-url)",
                    site.base_path
                ))
            }
        }
    } else {
        file_of(&join(path, target), site.files)?
    };
    let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
        return Ok(());
    };
    let ids = match site.pages.get(&file) {
        Some(target) => &target.ids,
        None if file == path => &page.ids,
        None => return Err(format!("has an #anchor, but `{file}` is not a page")),
    };
    if ids.contains(fragment) || ids.contains(&percent_decode(fragment)) {
        Ok(())
    } else {
        Err(format!(
            "points to no element: `{file}` has no id `{fragment}`"
        ))
    }
}

fn is_external(link: &str) -> bool {
    let scheme = link.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    scheme || link.starts_with("//")
}

/// The site file a URL path (relative to the site root) is served from.
fn file_of(url_path: &str, files: &BTreeSet<String>) -> Result<String, String> {
    let path = percent_decode(url_path);
    let candidates = if path.is_empty() || path.ends_with('/') {
        vec![format!("{path}index.html")]
    } else {
        vec![path.clone(), format!("{path}/index.html")]
    };
    (candidates.into_iter())
        .find(|c| files.contains(c))
        .ok_or_else(|| format!("resolves to no file of the site (`{path}`)"))
}

/// A relative link resolved against the folder of page `page`.
fn join(page: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    let trailing = relative.ends_with('/');
    for part in relative.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let mut joined = parts.join("/");
    if trailing && !joined.is_empty() {
        joined.push('/');
    }
    joined
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Why a link preview's image (`og:image`, `twitter:image`) cannot be fetched: the
/// site that shows the preview fetches it, so its address must be absolute. (Where it
/// is the site's own, `links` follows it like any link.)
fn relative_preview(tag: &Tag) -> Option<String> {
    let key = tag.attr("property").or(tag.attr("name"));
    if tag.name != "meta" || !matches!(key, Some("og:image" | "twitter:image")) {
        return None;
    }
    let url = tag.attr("content").unwrap_or_default();
    let absolute = url.starts_with("https://") || url.starts_with("http://");
    (!absolute).then(|| {
        format!("link preview image `{url}` is not an absolute URL (the sites showing the preview fetch it)")
    })
}

/// Why an image or inline SVG has no text alternative, if it has none. `next` is the
/// tag after it (an SVG's `<title>` comes first inside it).
fn missing_alternative(tag: &Tag, next: Option<&Tag>, page: &Page) -> Option<String> {
    let hidden = tag.attr("aria-hidden") == Some("true")
        || matches!(tag.attr("role"), Some("presentation" | "none"));
    let labelled = || {
        let label = tag.attr("aria-label").is_some_and(|l| !l.trim().is_empty());
        let by = tag.attr("aria-labelledby").is_some_and(|ids| {
            let mut ids = ids.split_whitespace().peekable();
            ids.peek().is_some() && ids.all(|id| page.ids.contains(id))
        });
        label || by
    };
    match tag.name.as_str() {
        "img" if !hidden && tag.attr("alt").is_none_or(|a| a.trim().is_empty()) && !labelled() => {
            Some(format!(
                "image `{}` has no text alternative (give it an alt text saying what it shows)",
                tag.attr("src").unwrap_or("")
            ))
        }
        "svg" if !hidden && !labelled() && next.is_none_or(|n| n.name != "title") => Some(
            "inline SVG has no text alternative (a <title> first inside it, aria-label, or \
             aria-labelledby naming ids on the page)"
                .to_owned(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems_of(pages: &[(&str, &str)], extra_files: &[&str]) -> Vec<String> {
        let read: BTreeMap<String, Page> = (pages.iter())
            .map(|(path, html)| ((*path).to_owned(), read(html)))
            .collect();
        let mut files: BTreeSet<String> = read.keys().cloned().collect();
        files.extend(extra_files.iter().map(|f| (*f).to_owned()));
        let site = Site {
            files: &files,
            pages: &read,
            base_path: "/r/",
            base_url: "https://x.org/r/",
        };
        (read.iter())
            .flat_map(|(path, page)| {
                let (found, _) = problems(path, page, &site);
                found.into_iter().map(move |p| format!("{path}:{p}"))
            })
            .collect()
    }

    #[test]
    fn good_links_pass() {
        let index =
            "<a href=\"/r/e/#s\">e</a><a href=\"e/\">e</a><a href=\"#top\" id=\"top\">t</a>\n\
                     <link href=\"https://x.org/r/e/\"><img src=\"/r/a.png\" alt=\"A chart\">\
                     <a href=\"https://elsewhere.org/x#y\">x</a><a href=\"mailto:a@b.c\">m</a>\
                     <svg role=\"img\" aria-labelledby=\"top\"></svg><svg><title>T</title></svg>\
                     <a href=\"e\">e</a><a href=\"e/figures.json\">f</a>";
        let edition = "<h2 id=\"s\">S</h2><a href=\"../\">up</a><a href=\"../#top\">up</a>";
        let pages = [("index.html", index), ("e/index.html", edition)];
        assert_eq!(
            problems_of(&pages, &["a.png", "e/figures.json"]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn broken_links_anchors_and_alternatives_are_named() {
        let index =
            "<a href=\"/r/nope/\">x</a>\n<a href=\"/other/\">y</a>\n<a href=\"e/#gone\">z</a>\n\
                     <img src=\"a.png\">\n<svg viewBox=\"0 0 1 1\"><g></g></svg>\n\
                     <a href=\"https://x.org/r/missing.html\">m</a>\n\
                     <meta property=\"og:image\" content=\"https://x.org/r/card.png\">\n\
                     <meta property=\"og:image\" content=\"/r/a.png\">";
        let pages = [("index.html", index), ("e/index.html", "<p id=\"s\">")];
        assert_eq!(
            problems_of(&pages, &["a.png"]),
            [
                "index.html:1: link `/r/nope/` resolves to no file of the site (`nope/`)",
                "index.html:2: link `/other/` is outside the base path /r/ (the config's \
                 base-url, or --base-url)",
                "index.html:3: link `e/#gone` points to no element: `e/index.html` has no id `gone`",
                "index.html:4: image `a.png` has no text alternative (give it an alt text saying what it shows)",
                "index.html:5: inline SVG has no text alternative (a <title> first inside it, \
                 aria-label, or aria-labelledby naming ids on the page)",
                "index.html:6: link `https://x.org/r/missing.html` resolves to no file of the site \
                 (`missing.html`)",
                "index.html:7: link `https://x.org/r/card.png` resolves to no file of the site \
                 (`card.png`)",
                "index.html:8: link preview image `/r/a.png` is not an absolute URL (the sites \
                 showing the preview fetch it)",
            ]
        );
    }
}
