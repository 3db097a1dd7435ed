//! The HTTP side of the preview server: one thread per request, each answered from
//! the current published state.
//!
//! Site files get what a browser expects of a static host (content types, `HEAD`,
//! `ETag` and `If-None-Match`, gzip, the site's own 404 page with status 404), and
//! HTML pages get the live script injected on the way out, so the built site itself
//! never contains it. The event stream is held open on its own thread.

use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response};

use super::palette;
use super::route::{self, Refusal, Route, Tool};
use super::state::{Current, State};

/// The live script, served at `/_stateof/live.js`.
const LIVE_JS: &str = include_str!("live.js");
/// The worker that shares one event stream between tabs, `/_stateof/live-worker.js`.
const WORKER_JS: &str = include_str!("live-worker.js");

/// How often an idle event stream sends a comment, so a closed tab is noticed.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// Answers requests until the server is dropped.
pub fn serve(server: tiny_http::Server, state: Arc<State>) {
    for request in server.incoming_requests() {
        let state = Arc::clone(&state);
        std::thread::spawn(move || handle(request, &state));
    }
}

fn handle(request: Request, state: &State) {
    let host = header(&request, "Host");
    if let Err(refusal) = route::check_host(host.as_deref(), state.bound) {
        return refuse(request, &refusal);
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response = text(405, "Only GET and HEAD are served.\n")
            .with_header(header_of("Allow", "GET, HEAD"));
        return respond(request, response);
    }
    let current = state.current();
    let empty = crate::output::Output::default();
    let output = current.site.as_ref().map_or(&empty, |site| &site.output);
    match route::route(request.url(), output) {
        Err(refusal) => refuse(request, &refusal),
        Ok(Route::Tool(Tool::Events)) if request.method() == &Method::Head => {
            respond(request, data("text/event-stream", Vec::new()))
        }
        Ok(Route::Tool(Tool::Events)) => events(request, state),
        Ok(Route::Tool(tool)) => {
            let streams = state.streams.load(Ordering::Relaxed);
            respond(request, tool_response(tool, &current, streams))
        }
        Ok(Route::Redirect(location)) => match Header::from_bytes("Location", location) {
            Ok(header) => respond(request, text(301, "Moved.\n").with_header(header)),
            Err(()) => refuse(request, &Refusal::BadPath("the path is not plain ASCII")),
        },
        Ok(Route::File(path)) => {
            let body = output.get(&path).unwrap_or_default();
            file(request, &path, body, 200, &current)
        }
        Ok(Route::NotFound) => match output.get("404.html") {
            Some(body) => file(request, "404.html", body, 404, &current),
            None if current.site.is_none() => {
                let page = waiting_page();
                file(request, "index.html", page.as_bytes(), 503, &current)
            }
            None => respond(request, text(404, "Not found.\n")),
        },
    }
}

/// A site file, with the live script in HTML pages, revalidated by its ETag and
/// gzipped when the browser takes it.
fn file(request: Request, path: &str, body: &[u8], status: u16, current: &Current) {
    let kind = crate::output::content_type(path);
    let body: std::borrow::Cow<[u8]> = if kind.starts_with("text/html") {
        inject(body, current.generation).into()
    } else {
        body.into()
    };
    let zip = compressible(kind) && body.len() > 512 && accepts_gzip(&request);
    // Each encoding of a body is a different representation, with its own tag.
    let etag = etag(&body, if zip { "-gz" } else { "" });
    let mut headers = vec![
        header_of("Content-Type", kind),
        header_of("ETag", &etag),
        header_of("Cache-Control", "no-cache"),
        header_of("Vary", "Accept-Encoding"),
        header_of("X-Content-Type-Options", "nosniff"),
    ];
    let fresh = header(&request, "If-None-Match")
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if fresh && status == 200 {
        let mut response = Response::empty(304);
        for h in headers {
            response.add_header(h);
        }
        return respond(request, response);
    }
    let body = if zip {
        headers.push(header_of("Content-Encoding", "gzip"));
        gzip(&body)
    } else {
        body.into_owned()
    };
    // A length rather than chunks, so HEAD answers carry it too.
    let mut response = Response::from_data(body)
        .with_status_code(status)
        .with_chunked_threshold(usize::MAX);
    for h in headers {
        response.add_header(h);
    }
    respond(request, response)
}

/// The page with `<script src="/_stateof/live.js">` before its closing `</body>`.
fn inject(html: &[u8], generation: u64) -> Vec<u8> {
    let tag = format!(
        "<script src=\"/{}live.js\" data-generation=\"{generation}\" defer></script>\n",
        route::TOOL_PREFIX
    );
    let at = memchr::memmem::rfind(html, b"</body>").unwrap_or(html.len());
    [&html[..at], tag.as_bytes(), &html[at..]].concat()
}

/// What `/_stateof/status` says: the latest report, and how many event streams are
/// open (one for all the tabs of a browser that shares it through a worker).
#[derive(serde::Serialize)]
struct Status<'a> {
    #[serde(flatten)]
    report: &'a super::state::Report,
    streams: usize,
}

fn tool_response(
    tool: Tool,
    current: &Current,
    streams: usize,
) -> Response<std::io::Cursor<Vec<u8>>> {
    match tool {
        Tool::Script => data("text/javascript; charset=utf-8", LIVE_JS.into()),
        Tool::Worker => data("text/javascript; charset=utf-8", WORKER_JS.into()),
        Tool::Status => {
            let status = Status {
                report: &current.report,
                streams,
            };
            let json = serde_json::to_vec_pretty(&status).expect("reports serialize");
            data("application/json", json)
        }
        Tool::Figures => {
            let rows = current.site.as_ref().map_or(&[][..], |s| &s.palette[..]);
            let html = inject(palette::page(rows).as_bytes(), current.generation);
            data("text/html; charset=utf-8", html)
        }
        Tool::Events => unreachable!("the event stream is answered by `events`"),
    }
}

/// The server-sent event stream: each published report as one `build` event, the
/// current one first, until the browser goes away. Counted while open.
fn events(request: Request, state: &State) {
    state.streams.fetch_add(1, Ordering::Relaxed);
    stream_events(request, state);
    state.streams.fetch_sub(1, Ordering::Relaxed);
}

fn stream_events(request: Request, state: &State) {
    let reports = state.listen();
    let mut stream = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
                Cache-Control: no-cache\r\nX-Accel-Buffering: no\r\n\r\nretry: 500\n\n";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    loop {
        let message = match reports.recv_timeout(HEARTBEAT) {
            Ok(report) => {
                let json = serde_json::to_string(&*report).expect("reports serialize");
                format!("event: build\ndata: {json}\n\n")
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": still here\n\n".to_owned(),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if stream.write_all(message.as_bytes()).is_err() || stream.flush().is_err() {
            return;
        }
    }
}

/// What a browser sees before the first good build: the overlay shows why.
fn waiting_page() -> String {
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
     <title>stateof: waiting for a good build</title></head>\n<body>\
     <p>The site has not built yet; the error is shown over this page, and the page \
     appears as soon as the project builds.</p>\n</body></html>\n"
        .to_owned()
}

fn refuse(request: Request, refusal: &Refusal) {
    let (status, message) = match refusal {
        Refusal::BadPath(why) => (400, format!("Bad request path: {why}.\n")),
        Refusal::NoHost => (400, "A Host header is required.\n".to_owned()),
        Refusal::ForeignHost(host) => (
            403,
            format!(
                "This preview server answers to localhost only, not to `{host}` \
                 (use --interface to serve on another address).\n"
            ),
        ),
    };
    respond(request, text(status, &message));
}

fn respond<R: std::io::Read>(request: Request, response: Response<R>) {
    // A browser that went away before its answer is no error of ours.
    let _ = request.respond(response);
}

fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    data("text/plain; charset=utf-8", body.as_bytes().to_vec()).with_status_code(status)
}

fn data(kind: &str, body: Vec<u8>) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(body)
        .with_header(header_of("Content-Type", kind))
        .with_header(header_of("Cache-Control", "no-store"))
}

fn header(request: &Request, name: &'static str) -> Option<String> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str().to_owned())
}

fn header_of(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

/// A strong validator for a body in one encoding: a hash of its bytes, then `suffix`.
fn etag(body: &[u8], suffix: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    body.hash(&mut hasher);
    format!("\"{:016x}{suffix}\"", hasher.finish())
}

/// Whether the request's `Accept-Encoding` takes gzip (and not with `q=0`).
fn accepts_gzip(request: &Request) -> bool {
    header(request, "Accept-Encoding").is_some_and(|accept| {
        accept.split(',').any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or("");
            let refused = parts.any(|p| {
                (p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).is_some_and(|q| q == 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
    })
}

fn gzip(body: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(body).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

fn compressible(kind: &str) -> bool {
    kind.starts_with("text/")
        || kind.starts_with("application/json")
        || kind.ends_with("xml")
        || kind == "image/svg+xml"
        || kind == "application/manifest+json"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_the_live_script_before_the_body_closes() {
        let page = inject(b"<html><body><p>x</p></body></html>", 7);
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.ends_with(
                "<p>x</p><script src=\"/_stateof/live.js\" data-generation=\"7\" defer></script>\n</body></html>"
            ),
            "{page}"
        );
        let bare = String::from_utf8(inject(b"<p>no body</p>", 1)).unwrap();
        assert!(bare.starts_with("<p>no body</p><script"), "{bare}");
    }

    #[test]
    fn validators_and_encodings() {
        assert_ne!(etag(b"a", ""), etag(b"b", ""));
        assert_eq!(etag(b"a", ""), etag(b"a", ""));
        assert_ne!(etag(b"a", ""), etag(b"a", "-gz"));
        assert!(compressible("image/svg+xml") && !compressible("image/png"));
    }
}
