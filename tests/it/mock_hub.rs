//! A mock Hub API on 127.0.0.1 for the fetch tests: `/api/models`, `/api/datasets` and
//! `/api/spaces` in pages with `Link: <…>; rel="next"` cursors,
//! `/api/organizations/{name}/overview` and `/api/users/{name}/overview` for the
//! accounts it is given (404 for others), a record of every request (with its
//! Authorization header), and faults injected on chosen pages.
//!
//! A plain HTTP/1.1 server on `std::net`: one thread accepts, one thread serves each
//! connection (one request, then `Connection: close`). It stops when dropped.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// A fault served instead of a page, once per scheduled occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 429 with `Retry-After: seconds`.
    RateLimit(u32),
    /// A bare status (500, 503, 401, …).
    Status(u16),
    /// The connection closes after the request, before any response.
    Hangup,
    /// The headers promise the whole page, half of it is sent, the connection closes.
    Drop,
    /// A complete HTTP response whose body is the first half of the page's JSON.
    Truncated,
    /// A 200 response with an HTML body.
    NotJson,
}

/// A request the server received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Path and query, as sent.
    pub target: String,
    pub authorization: Option<String>,
}

impl Request {
    /// The listing asked for (`models`), if any.
    pub fn kind(&self) -> Option<&str> {
        self.target.strip_prefix("/api/")?.split('?').next()
    }

    /// The value of query parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        let query = self.target.split_once('?')?.1;
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }
}

struct Shared {
    listings: BTreeMap<String, Vec<String>>,
    page_size: usize,
    /// The host written in `Link` headers (`127.0.0.1`, or another name for the same
    /// server to test cross-origin links).
    link_host: String,
    stop: AtomicBool,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    faults: HashMap<(String, usize), VecDeque<Fault>>,
    /// Every page of this kind from this page on answers 503, until healed.
    broken_from: Option<(String, usize)>,
    requests: Vec<Request>,
    /// (kind, page) → the page whose cursor its `Link` hands out instead of the next
    /// one, and whether that cursor is made to look new each time (`&round=N`).
    rewinds: HashMap<(String, usize), (usize, bool)>,
    /// Rewound links handed out so far (for `round=N`).
    rounds: usize,
    /// Account name → `"org"` or `"user"`.
    accounts: HashMap<String, String>,
    /// Faults served before the answers about an account, one per request.
    account_faults: HashMap<String, VecDeque<Fault>>,
}

pub struct MockHub {
    port: u16,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl MockHub {
    /// Serves `listings` (kind → entries, each one JSON object) in pages of at most
    /// `page_size` entries (fewer when a request's `limit` asks for fewer).
    pub fn start(listings: Vec<(&str, Vec<String>)>, page_size: usize) -> MockHub {
        MockHub::start_with_link_host(listings, page_size, "127.0.0.1")
    }

    pub fn start_with_link_host(
        listings: Vec<(&str, Vec<String>)>,
        page_size: usize,
        link_host: &str,
    ) -> MockHub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared {
            listings: listings
                .into_iter()
                .map(|(kind, entries)| (kind.to_owned(), entries))
                .collect(),
            page_size,
            link_host: link_host.to_owned(),
            stop: AtomicBool::new(false),
            state: Mutex::new(State::default()),
        });
        let accept = {
            let shared = Arc::clone(&shared);
            let stop = Arc::clone(&shared);
            accept(
                listener,
                move || stop.stop.load(Ordering::SeqCst),
                move |stream| serve(&shared, port, stream),
            )
        };
        MockHub {
            port,
            shared,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn entries(&self, kind: &str) -> &[String] {
        &self.shared.listings[kind]
    }

    /// Serves `faults`, one per request, before page number `page` (from 0) of `kind`.
    pub fn fail(&self, kind: &str, page: usize, faults: &[Fault]) {
        let mut state = self.shared.state.lock().unwrap();
        (state.faults.entry((kind.to_owned(), page)).or_default()).extend(faults);
    }

    /// From page `page` of `kind` on, every request fails with 503.
    /// Page `page` of `kind` links back to page `to` instead of the next one; with
    /// `fresh`, through a cursor that never repeats (the same entries, forever).
    pub fn rewind(&self, kind: &str, page: usize, to: usize, fresh: bool) {
        let mut state = self.shared.state.lock().unwrap();
        state.rewinds.insert((kind.to_owned(), page), (to, fresh));
    }

    pub fn break_from(&self, kind: &str, page: usize) {
        self.shared.state.lock().unwrap().broken_from = Some((kind.to_owned(), page));
    }

    /// Ends `break_from`.
    pub fn heal(&self) {
        self.shared.state.lock().unwrap().broken_from = None;
    }

    /// Makes the overview endpoints answer for `accounts` (name, `"org"` or `"user"`).
    pub fn accounts(&self, accounts: &[(&str, &str)]) {
        let mut state = self.shared.state.lock().unwrap();
        for (name, kind) in accounts {
            state
                .accounts
                .insert((*name).to_owned(), (*kind).to_owned());
        }
    }

    /// Serves `faults`, one per request, before the overview answers about `name`.
    pub fn fail_account(&self, name: &str, faults: &[Fault]) {
        let mut state = self.shared.state.lock().unwrap();
        (state.account_faults.entry(name.to_owned()).or_default()).extend(faults);
    }

    pub fn requests(&self) -> Vec<Request> {
        self.shared.state.lock().unwrap().requests.clone()
    }
}

impl Drop for MockHub {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread so it sees `stop`.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// Serves each connection `listener` accepts with `serve`, on a thread of its own,
/// until `stop` says so (checked at each connection: a test's mock wakes it to stop).
pub fn accept(
    listener: TcpListener,
    stop: impl Fn() -> bool + Send + 'static,
    serve: impl Fn(TcpStream) + Send + Sync + 'static,
) -> JoinHandle<()> {
    let serve = Arc::new(serve);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            if stop() {
                return;
            }
            let Ok(stream) = stream else { continue };
            let serve = Arc::clone(&serve);
            std::thread::spawn(move || serve(stream));
        }
    })
}

/// Reads one request from `stream` and answers it.
fn serve(shared: &Shared, port: u16, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let Some(request) = read_request(&stream) else {
        return;
    };
    let response = respond(shared, port, &request);
    if let Some(bytes) = response {
        let _ = stream.write_all(&bytes);
    }
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Both);
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let (target, headers) = read_head(stream)?;
    let authorization = (headers.into_iter())
        .find(|(name, _)| name == "authorization")
        .map(|(_, value)| value);
    Some(Request {
        target,
        authorization,
    })
}

/// The target and the headers (names in lower case) of the request on `stream`.
pub fn read_head(stream: &TcpStream) -> Option<(String, Vec<(String, String)>)> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let target = line.split_whitespace().nth(1)?.to_owned();
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let header = line.trim_end();
        if header.is_empty() {
            return Some((target, headers));
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
}

/// The bytes to send before closing the connection (`None`: close at once).
fn respond(shared: &Shared, port: u16, request: &Request) -> Option<Vec<u8>> {
    let mut state = shared.state.lock().unwrap();
    state.requests.push(request.clone());
    if let Some((path, name)) = overview(&request.target) {
        let fault = (state.account_faults.get_mut(name)).and_then(|f| f.pop_front());
        match fault {
            Some(Fault::RateLimit(s)) => {
                return Some(http(429, &[("Retry-After", s.to_string())], b"{}"))
            }
            Some(Fault::Status(code)) => return Some(http(code, &[], b"{}")),
            Some(_) => return None,
            None => {}
        }
        let kind = state.accounts.get(name).map(String::as_str);
        return Some(match (path, kind) {
            ("organizations", Some("org")) => {
                let body = format!("{{\"name\":\"{name}\",\"numModels\":1}}");
                http(200, &[], body.as_bytes())
            }
            ("users", Some("user")) => {
                let body = format!("{{\"user\":\"{name}\",\"type\":\"user\"}}");
                http(200, &[], body.as_bytes())
            }
            _ => http(404, &[], b"{\"error\":\"Not Found\"}"),
        });
    }
    let Some(entries) = request.kind().and_then(|kind| shared.listings.get(kind)) else {
        return Some(http(404, &[], b"{\"error\":\"Not Found\"}"));
    };
    let kind = request.kind().unwrap_or_default().to_owned();
    let offset: usize = match request.param("cursor") {
        None => 0,
        Some(cursor) => match decode_cursor(cursor) {
            Some(offset) => offset,
            None => return Some(http(400, &[], b"{\"error\":\"Invalid cursor\"}")),
        },
    };
    let size = (request.param("limit").and_then(|l| l.parse().ok()))
        .unwrap_or(shared.page_size)
        .clamp(1, shared.page_size);
    let page = offset / size;
    let fault = (state.faults.get_mut(&(kind.clone(), page))).and_then(|f| f.pop_front());
    let broken = (state.broken_from.as_ref()).is_some_and(|(k, p)| *k == kind && page >= *p);
    let rewind = state.rewinds.get(&(kind.clone(), page)).copied();
    if rewind.is_some_and(|(_, fresh)| fresh) {
        state.rounds += 1;
    }
    let round = state.rounds;
    drop(state);

    let end = (offset + size).min(entries.len());
    let body = format!("[{}]", entries[offset.min(end)..end].join(",")).into_bytes();
    let mut headers = vec![("Content-Type", "application/json; charset=utf-8".to_owned())];
    if end < entries.len() {
        let next = match rewind {
            None => next_target(&request.target, end),
            Some((to, false)) => next_target(&request.target, to * size),
            Some((to, true)) => {
                format!("{}&round={round}", next_target(&request.target, to * size))
            }
        };
        let link = format!("<http://{}:{port}{next}>; rel=\"next\"", shared.link_host);
        headers.push(("Link", link));
    }
    if broken {
        return Some(http(503, &[], b"Service Unavailable"));
    }
    match fault {
        None => Some(http(200, &headers, &body)),
        Some(Fault::RateLimit(seconds)) => Some(http(
            429,
            &[("Retry-After", seconds.to_string())],
            b"{\"error\":\"You have exceeded our rate limit\"}",
        )),
        Some(Fault::Status(code)) => Some(http(code, &[], b"{\"error\":\"fault\"}")),
        Some(Fault::Hangup) => None,
        Some(Fault::Drop) => {
            let mut bytes = http(200, &headers, &body);
            bytes.truncate(bytes.len() - body.len() / 2);
            Some(bytes)
        }
        Some(Fault::Truncated) => Some(http(200, &headers, &body[..body.len() / 2])),
        Some(Fault::NotJson) => {
            let html = b"<html><body><h1>502 Bad Gateway</h1></body></html>";
            Some(http(200, &[("Content-Type", "text/html".into())], html))
        }
    }
}

/// `("organizations" | "users", name)` for an overview request.
fn overview(target: &str) -> Option<(&str, &str)> {
    let rest = target.strip_prefix("/api/")?.strip_suffix("/overview")?;
    let (path, name) = rest.split_once('/')?;
    matches!(path, "organizations" | "users").then_some((path, name))
}

/// `target` with its cursor set to the one for `offset` (the other parameters kept, as
/// the Hub does).
fn next_target(target: &str, offset: usize) -> String {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut params: Vec<String> = (query.split('&'))
        .filter(|p| !p.is_empty() && !p.starts_with("cursor="))
        .map(str::to_owned)
        .collect();
    params.insert(0, format!("cursor={}", encode_cursor(offset)));
    format!("{path}?{}", params.join("&"))
}

/// An opaque-looking cursor, like the Hub's base64 ones.
pub fn encode_cursor(offset: usize) -> String {
    format!("eyJvZmZzZXQiOj{offset:x}fQ")
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let hex = cursor.strip_prefix("eyJvZmZzZXQiOj")?.strip_suffix("fQ")?;
    usize::from_str_radix(hex, 16).ok()
}

/// An HTTP/1.1 response that closes the connection after `body`.
pub fn http(status: u16, headers: &[(&str, String)], body: &[u8]) -> Vec<u8> {
    let reason = match status {
        200 => "OK",
        206 => "Partial Content",
        302 => "Found",
        416 => "Range Not Satisfiable",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// `n` dataset entries shaped like `/api/datasets?expand[]=…` returns them.
pub fn datasets(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let org = ["allenai", "HuggingFaceFW", "open-r1", "lmsys", "someone"][i % 5];
            format!(
                r#"{{"_id":"66{i:022x}","id":"{org}/corpus-{i}","author":"{org}","downloads":{},"downloadsAllTime":{},"likes":{},"trendingScore":{},"private":false,"gated":{},"tags":["task_categories:text-generation","language:en","license:odc-by","size_categories:1M<n<10M","region:us"],"createdAt":"2024-{:02}-{:02}T10:00:00.000Z","lastModified":"2025-06-01T08:30:00.000Z"}}"#,
                (i * 7919) % 100_000,
                (i * 104_729) % 10_000_000,
                i % 97,
                i % 5,
                if i % 7 == 0 { r#""auto""# } else { "false" },
                i % 12 + 1,
                i % 28 + 1,
            )
        })
        .collect()
}

/// `n` space entries; some carry escaped and non-ASCII text, which must come back as sent.
pub fn spaces(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let name = match i % 4 {
                0 => format!("caf\\u00e9-demo-{i}"),
                1 => format!("chat-{i}"),
                2 => format!("日本語-{i}"),
                _ => format!("tool-{i}"),
            };
            format!(
                r#"{{"_id":"67{i:022x}","id":"user{}/{name}","author":"user{}","likes":{},"trendingScore":{},"private":false,"sdk":"{}","tags":["{}","region:us","description: say \"hi\""],"createdAt":"2025-0{}-15T12:00:00.000Z","lastModified":"2025-09-01T00:00:00.000Z"}}"#,
                i % 13,
                i % 13,
                (i * 31) % 500,
                i % 3,
                ["gradio", "streamlit", "docker"][i % 3],
                ["gradio", "streamlit", "docker"][i % 3],
                i % 9 + 1,
            )
        })
        .collect()
}
