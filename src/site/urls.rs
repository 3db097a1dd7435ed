//! Site URLs: links inside the site and the absolute URLs feeds and link previews need.
//!
//! Internal links are root-relative and carry the base URL's path, so a site built
//! for `https://org.github.io/report/` links to `/report/2026-spring/` and works as a
//! GitHub Pages project site (404 page included, which is served at any depth).

use anyhow::{bail, Result};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Urls {
    /// `https://org.github.io/report/`, always with a trailing slash.
    pub base_url: String,
    /// `/report/`, always with leading and trailing slashes.
    pub base_path: String,
}

impl Urls {
    pub fn new(base_url: &str) -> Result<Urls> {
        let Some(rest) = base_url
            .strip_prefix("https://")
            .or_else(|| base_url.strip_prefix("http://"))
        else {
            bail!("base URL `{base_url}` must start with https:// or http://");
        };
        if rest.is_empty() || rest.starts_with('/') || rest.contains(['?', '#', ' ', '"', '<']) {
            bail!("base URL `{base_url}` is not a plain site address such as https://org.github.io/report/");
        }
        let base_url = format!("{}/", base_url.trim_end_matches('/'));
        let host_start = base_url.find("://").map_or(0, |i| i + 3);
        let path_start = host_start + base_url[host_start..].find('/').unwrap_or(0);
        let base_path = base_url[path_start..].to_owned();
        Ok(Urls {
            base_url,
            base_path,
        })
    }

    /// A link inside the site: `2026-spring/` → `/report/2026-spring/`.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }

    /// An absolute URL: `2026-spring/` → `https://org.github.io/report/2026-spring/`.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

/// The page URL path for an output file: `a/index.html` → `a/`, `404.html` → `404.html`.
pub fn page_path(file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(dir) => dir.to_owned(),
        None => file.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_a_sub_path() {
        let urls = Urls::new("https://org.github.io/report").unwrap();
        assert_eq!(urls.base_url, "https://org.github.io/report/");
        assert_eq!(urls.base_path, "/report/");
        assert_eq!(urls.link("2026-spring/"), "/report/2026-spring/");
        assert_eq!(
            urls.absolute("atom.xml"),
            "https://org.github.io/report/atom.xml"
        );
    }

    #[test]
    fn root_sites_link_from_slash() {
        let urls = Urls::new("https://stateof.example/").unwrap();
        assert_eq!(urls.base_path, "/");
        assert_eq!(urls.link(""), "/");
        let deep = Urls::new("http://127.0.0.1:8000/a/b/").unwrap();
        assert_eq!(deep.base_path, "/a/b/");
    }

    #[test]
    fn rejects_relative_or_odd_urls() {
        assert!(Urls::new("org.github.io/report").is_err());
        assert!(Urls::new("https://").is_err());
        assert!(Urls::new("https://x.org/?q=1").is_err());
    }

    #[test]
    fn page_paths_drop_index() {
        assert_eq!(page_path("index.html"), "");
        assert_eq!(page_path("2026-spring/index.html"), "2026-spring/");
        assert_eq!(page_path("404.html"), "404.html");
    }
}
