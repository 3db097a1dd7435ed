//! Which answer a request gets, decided from its target and `Host` alone: pure
//! functions, so every traversal and rebinding attempt is tested without a socket.
//!
//! The site is served from memory (`Output`), so no request can reach a file outside
//! it whatever its path says; paths that try anyway (`..`, encoded or doubly encoded,
//! backslashes, NUL bytes) are refused outright rather than looked up.

use std::net::{IpAddr, SocketAddr};

use crate::output::Output;

/// The preview server's own pages live under this prefix, which no site path uses.
pub const TOOL_PREFIX: &str = "_stateof/";

/// What a request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A file of the built site.
    File(String),
    /// A folder asked for without its slash: redirect to this location.
    Redirect(String),
    /// Nothing at that path: the site's 404 page.
    NotFound,
    /// The server's own: the event stream, the live script, the figure palette, status.
    Tool(Tool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Events,
    Script,
    Worker,
    Figures,
    Status,
}

/// Why a request is refused before any lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 400: a path that is malformed or tries to leave the site.
    BadPath(&'static str),
    /// 400: no `Host` header.
    NoHost,
    /// 403: a `Host` this server does not answer to (DNS rebinding).
    ForeignHost(String),
}

/// The route for a request target (`/a/b/?q=1`) in `site`.
pub fn route(target: &str, site: &Output) -> Result<Route, Refusal> {
    let path = decode(target)?;
    let sent = target.split('#').next().unwrap_or("");
    let (raw, query) = match sent.split_once('?') {
        Some((raw, query)) => (raw, Some(query)),
        None => (sent, None),
    };
    if let Some(tool) = path.strip_prefix(TOOL_PREFIX) {
        return Ok(match tool.trim_end_matches('/') {
            "events" => Route::Tool(Tool::Events),
            "live.js" => Route::Tool(Tool::Script),
            "live-worker.js" => Route::Tool(Tool::Worker),
            "figures" => Route::Tool(Tool::Figures),
            "status" => Route::Tool(Tool::Status),
            _ => Route::NotFound,
        });
    }
    let file = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.clone()
    };
    if site.files.contains_key(&file) {
        return Ok(Route::File(file));
    }
    if site.files.contains_key(&format!("{path}/index.html")) {
        // From the path as sent (still percent-encoded), keeping the query.
        let query = query.map_or_else(String::new, |q| format!("?{q}"));
        return Ok(Route::Redirect(format!("{raw}/{query}")));
    }
    Ok(Route::NotFound)
}

/// The site-relative path of a request target: query and fragment dropped,
/// percent-decoded once, and refused if it is not a plain path inside the site.
pub fn decode(target: &str) -> Result<String, Refusal> {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    let Some(raw) = raw.strip_prefix('/') else {
        return Err(Refusal::BadPath("the path must start with `/`"));
    };
    let mut bytes = Vec::with_capacity(raw.len());
    let mut rest = raw.as_bytes();
    while let Some((&b, after)) = rest.split_first() {
        if b == b'%' {
            let hex = after
                .get(..2)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or(Refusal::BadPath("malformed percent-encoding"))?;
            bytes.push(hex);
            rest = &after[2..];
        } else {
            bytes.push(b);
            rest = after;
        }
    }
    let path = String::from_utf8(bytes).map_err(|_| Refusal::BadPath("the path is not UTF-8"))?;
    // A doubly encoded path (`%252e`) decodes to a literal `%2e`, which names no file
    // of the site: it is looked up as it is and not found.
    if path.contains(['\\', '\0']) || path.chars().any(char::is_control) {
        return Err(Refusal::BadPath(
            "backslashes and control characters are not allowed",
        ));
    }
    if path.split('/').any(|part| part == ".." || part == ".") {
        return Err(Refusal::BadPath("`.` and `..` are not allowed in paths"));
    }
    if path.starts_with('/') || path.contains("//") {
        return Err(Refusal::BadPath("empty path segments are not allowed"));
    }
    Ok(path)
}

/// Checks the `Host` header of a request to a server bound at `bound`. On a loopback
/// address only the loopback names are answered (as current dev servers do), so a
/// page elsewhere cannot rebind its own domain name to this server and read it.
pub fn check_host(host: Option<&str>, bound: SocketAddr) -> Result<(), Refusal> {
    let Some(host) = host.map(str::trim).filter(|h| !h.is_empty()) else {
        return Err(Refusal::NoHost);
    };
    if !bound.ip().is_loopback() {
        return Ok(());
    }
    let (name, port) = split_host(host);
    let port_ok = port.is_none_or(|p| p == bound.port().to_string());
    let name = name.to_ascii_lowercase();
    let name_ok = name == "localhost"
        || name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if name_ok && port_ok {
        Ok(())
    } else {
        Err(Refusal::ForeignHost(host.to_owned()))
    }
}

/// `localhost:8000` → (`localhost`, `8000`); `[::1]:80` → (`[::1]`, `80`).
fn split_host(host: &str) -> (&str, Option<&str>) {
    if host.starts_with('[') {
        return match host.find("]:") {
            Some(end) => (&host[..=end], Some(&host[end + 2..])),
            None => (host, None),
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') => (name, Some(port)),
        _ => (host, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Output {
        let mut out = Output::default();
        for file in [
            "index.html",
            "2026-spring/index.html",
            "theme/style.css",
            "404.html",
        ] {
            out.add(file, "x").unwrap();
        }
        out
    }

    #[test]
    fn finds_files_folders_and_tools() {
        let site = site();
        let file = |p: &str| Ok(Route::File(p.to_owned()));
        assert_eq!(route("/", &site), file("index.html"));
        assert_eq!(route("/?x=1#top", &site), file("index.html"));
        assert_eq!(
            route("/2026-spring/", &site),
            file("2026-spring/index.html")
        );
        assert_eq!(
            route("/theme/style.css?v=2", &site),
            file("theme/style.css")
        );
        assert_eq!(route("/theme/%73tyle.css", &site), file("theme/style.css"));
        assert_eq!(
            route("/2026-spring", &site),
            Ok(Route::Redirect("/2026-spring/".to_owned()))
        );
        assert_eq!(
            route("/2026-sprin%67?x=1&y=%C3%A9", &site),
            Ok(Route::Redirect("/2026-sprin%67/?x=1&y=%C3%A9".to_owned()))
        );
        assert_eq!(route("/%252e%252e/etc/passwd", &site), Ok(Route::NotFound));
        assert_eq!(route("/nope.html", &site), Ok(Route::NotFound));
        assert_eq!(
            route("/_stateof/events", &site),
            Ok(Route::Tool(Tool::Events))
        );
        assert_eq!(
            route("/_stateof/figures/", &site),
            Ok(Route::Tool(Tool::Figures))
        );
        assert_eq!(route("/_stateof/other", &site), Ok(Route::NotFound));
    }

    #[test]
    fn refuses_every_way_out_of_the_site() {
        let site = site();
        for target in [
            "/../etc/passwd",
            "/theme/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%5c..%5cetc%5cpasswd",
            "/theme\\..\\..\\x",
            "/index.html%00.css",
            "/a/./b",
            "//etc/passwd",
            "/a//b",
            "/%zz",
            "/%ff%fe",
            "/a%0a/b",
            "http://evil.example/",
            "*",
        ] {
            assert!(
                matches!(route(target, &site), Err(Refusal::BadPath(_))),
                "{target}: {:?}",
                route(target, &site)
            );
        }
    }

    #[test]
    fn answers_loopback_names_only_on_loopback() {
        let bound: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "localhost",
            "[::1]:1111",
            "127.0.0.2:1111",
        ] {
            assert_eq!(check_host(Some(host), bound), Ok(()), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost:2222",
            "localhost.evil.example:1111",
            "10.0.0.1:1111",
        ] {
            assert!(
                matches!(check_host(Some(host), bound), Err(Refusal::ForeignHost(_))),
                "{host}"
            );
        }
        assert_eq!(check_host(None, bound), Err(Refusal::NoHost));
        let open: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert_eq!(check_host(Some("laptop.lan:1111"), open), Ok(()));
    }
}
