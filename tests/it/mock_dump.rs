//! A mock of the Hub's dataset API and file downloads on 127.0.0.1, for the tests of
//! `stateof fetch --dump`, snapshots by reference and `stateof refresh`:
//!
//! - `GET /api/datasets/{owner}/{name}/revision/{revision}?blobs=true`: the shape the
//!   Hub answers (`sha`, `lastModified`, `siblings` with `rfilename`, `size`, `lfs`);
//! - `GET /datasets/{owner}/{name}/resolve/{commit}/{file}`: a 302 to `/cdn/…` on the
//!   same server, or on a second port (another origin, as the Hub's CDN is), with the
//!   Hub's `X-Repo-Commit`, `X-Linked-Etag` and `X-Linked-Size` headers;
//! - `GET /cdn/{commit}/{file}`: the bytes, honouring `Range: bytes=N-` with a 206.
//!
//! Faults are served once each, in order, for a file: a connection dropped half-way
//! through the body, a range ignored (a 200 with the whole file), corrupt bytes, a bare
//! status. The listing can lie about a file's SHA-256 or size. Every request is
//! recorded with its port, Authorization and Range headers. A plain HTTP/1.1 server on
//! `std::net` (one request per connection, then close), because closing a connection
//! in the middle of a body is what the tests need; it stops when dropped.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::Write;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::mock_hub::{accept, http, read_head};

/// A fault served instead of a file's bytes, once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The headers promise the rest of the file, half of it is sent, the connection closes.
    Drop,
    /// A 200 with the whole file, whatever the Range asked.
    IgnoreRange,
    /// The right length, wrong bytes.
    Corrupt,
    /// A bare status.
    Status(u16),
}

/// A request the mock received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub port: u16,
    pub target: String,
    pub authorization: Option<String>,
    pub range: Option<String>,
}

#[derive(Default)]
struct State {
    /// Repository → revision → commit.
    revisions: HashMap<String, HashMap<String, String>>,
    /// Commit → file → bytes.
    commits: HashMap<String, BTreeMap<String, Vec<u8>>>,
    /// Commit → its time (`lastModified`).
    times: HashMap<String, String>,
    /// File name → SHA-256 or size the listing gives instead of the true ones.
    listed_sha256: HashMap<String, String>,
    listed_size: HashMap<String, u64>,
    faults: HashMap<String, VecDeque<Fault>>,
    /// Redirect downloads to the second port (another origin).
    cross_origin: bool,
    /// When set, API and resolve requests need `Authorization: Bearer <token>`.
    token: Option<String>,
    requests: Vec<Request>,
}

struct Shared {
    ports: [u16; 2],
    stop: AtomicBool,
    state: Mutex<State>,
}

pub struct MockDump {
    shared: Arc<Shared>,
    accept: Vec<JoinHandle<()>>,
}

impl MockDump {
    pub fn start() -> MockDump {
        let listeners = [0, 1].map(|_| TcpListener::bind("127.0.0.1:0").expect("bind"));
        let ports = [0, 1].map(|i| listeners[i].local_addr().unwrap().port());
        let shared = Arc::new(Shared {
            ports,
            stop: AtomicBool::new(false),
            state: Mutex::new(State::default()),
        });
        let accept = (listeners.into_iter().zip(ports))
            .map(|(listener, port)| {
                let (shared, stop) = (Arc::clone(&shared), Arc::clone(&shared));
                accept(
                    listener,
                    move || stop.stop.load(Ordering::SeqCst),
                    move |stream| serve(&shared, port, stream),
                )
            })
            .collect();
        MockDump { shared, accept }
    }

    /// `http://127.0.0.1:PORT`, the endpoint.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.shared.ports[0])
    }

    /// The second port, where cross-origin redirects lead.
    pub fn cdn_port(&self) -> u16 {
        self.shared.ports[1]
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.shared.state.lock().unwrap()
    }

    /// Adds commit `commit` of `repo` holding `files`, made at `time`, and points
    /// `revision` (e.g. `main`) at it.
    pub fn commit(
        &self,
        repo: &str,
        revision: &str,
        commit: &str,
        time: &str,
        files: &[(&str, Vec<u8>)],
    ) {
        let mut state = self.state();
        let files = files
            .iter()
            .map(|(n, b)| ((*n).to_owned(), b.clone()))
            .collect();
        state.commits.insert(commit.to_owned(), files);
        state.times.insert(commit.to_owned(), time.to_owned());
        let revisions = state.revisions.entry(repo.to_owned()).or_default();
        revisions.insert(revision.to_owned(), commit.to_owned());
        revisions.insert(commit.to_owned(), commit.to_owned());
    }

    pub fn fail(&self, file: &str, faults: &[Fault]) {
        (self.state().faults.entry(file.to_owned()).or_default()).extend(faults);
    }

    pub fn list_sha256(&self, file: &str, sha256: &str) {
        self.state()
            .listed_sha256
            .insert(file.to_owned(), sha256.to_owned());
    }

    pub fn list_size(&self, file: &str, size: u64) {
        self.state().listed_size.insert(file.to_owned(), size);
    }

    pub fn cross_origin(&self) {
        self.state().cross_origin = true;
    }

    pub fn require_token(&self, token: &str) {
        self.state().token = Some(token.to_owned());
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state().requests.clone()
    }

    /// The requests for a file's bytes (`/cdn/…`).
    pub fn downloads(&self) -> Vec<Request> {
        (self.requests().into_iter())
            .filter(|r| r.target.starts_with("/cdn/"))
            .collect()
    }
}

impl Drop for MockDump {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        for port in self.shared.ports {
            let _ = TcpStream::connect(("127.0.0.1", port));
        }
        for accept in self.accept.drain(..) {
            let _ = accept.join();
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn serve(shared: &Shared, port: u16, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let Some(request) = read_request(&stream, port) else {
        return;
    };
    let bytes = respond(shared, &request);
    let _ = stream.write_all(&bytes);
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Both);
}

fn read_request(stream: &TcpStream, port: u16) -> Option<Request> {
    let (target, headers) = read_head(stream)?;
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    Some(Request {
        port,
        target,
        authorization: header("authorization"),
        range: header("range"),
    })
}

fn respond(shared: &Shared, request: &Request) -> Vec<u8> {
    let mut state = shared.state.lock().unwrap();
    state.requests.push(request.clone());
    let path = request
        .target
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    if let Some(rest) = path.strip_prefix("/cdn/") {
        let (commit, file) = rest.split_once('/').unwrap_or_default();
        let Some(bytes) = state.commits.get(commit).and_then(|f| f.get(file)).cloned() else {
            return http(404, &[], b"Not Found");
        };
        let fault = state.faults.get_mut(file).and_then(|f| f.pop_front());
        return file_bytes(&bytes, request.range.as_deref(), fault);
    }
    let authorized = match &state.token {
        Some(token) => request.authorization.as_deref() == Some(&format!("Bearer {token}")),
        None => true,
    };
    if !authorized {
        return http(
            401,
            &[],
            br#"{"error":"Invalid credentials in Authorization header"}"#,
        );
    }
    if let Some(rest) = path.strip_prefix("/api/datasets/") {
        let Some((repo, revision)) = rest.split_once("/revision/") else {
            return http(404, &[], br#"{"error":"Not Found"}"#);
        };
        let revision = decode(revision);
        let commit = state
            .revisions
            .get(repo)
            .and_then(|r| r.get(&revision))
            .cloned();
        let Some(commit) = commit else {
            return http(404, &[], br#"{"error":"Repository not found"}"#);
        };
        return http(200, &[], revision_json(&state, repo, &commit).as_bytes());
    }
    if let Some(rest) = path.strip_prefix("/datasets/") {
        let mut parts = rest.splitn(5, '/');
        let (_, _, resolve, commit, file) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        );
        let files = commit.and_then(|c| state.commits.get(c));
        let bytes = file.and_then(|f| files?.get(f));
        let (Some("resolve"), Some(commit), Some(file), Some(bytes)) =
            (resolve, commit, file, bytes)
        else {
            return http(404, &[], br#"{"error":"Entry not found"}"#);
        };
        let port = shared.ports[usize::from(state.cross_origin)];
        let location = format!("http://127.0.0.1:{port}/cdn/{commit}/{file}");
        let headers = [
            ("Location", location),
            ("X-Repo-Commit", commit.to_owned()),
            ("X-Linked-Etag", format!("\"{}\"", sha256_hex(bytes))),
            ("X-Linked-Size", bytes.len().to_string()),
        ];
        return http(302, &headers, b"");
    }
    http(404, &[], br#"{"error":"Not Found"}"#)
}

/// The revision API's answer for `commit` of `repo`.
fn revision_json(state: &State, repo: &str, commit: &str) -> String {
    let siblings: Vec<String> = (state.commits[commit].iter())
        .map(|(name, bytes)| {
            let sha256 = (state.listed_sha256.get(name).cloned()).unwrap_or_else(|| sha256_hex(bytes));
            let size = state.listed_size.get(name).copied().unwrap_or(bytes.len() as u64);
            format!(
                r#"{{"rfilename":"{name}","size":{size},"blobId":"{}","lfs":{{"sha256":"{sha256}","size":{size},"pointerSize":134}}}}"#,
                &sha256[..40]
            )
        })
        .chain([r#"{"rfilename":"README.md","size":120,"blobId":"0000000000000000000000000000000000000001"}"#.to_owned()])
        .collect();
    format!(
        r#"{{"_id":"65a","id":"{repo}","author":"{}","sha":"{commit}","lastModified":"{}","private":false,"gated":false,"disabled":false,"tags":["license:apache-2.0"],"siblings":[{}]}}"#,
        repo.split('/').next().unwrap_or_default(),
        state.times[commit],
        siblings.join(",")
    )
}

/// A file's bytes as a CDN sends them: a 206 from the asked offset, or a fault.
fn file_bytes(bytes: &[u8], range: Option<&str>, fault: Option<Fault>) -> Vec<u8> {
    let from: usize = (range.and_then(|r| r.strip_prefix("bytes=")))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    if from > bytes.len() {
        return http(416, &[], b"");
    }
    let mut body = bytes.to_vec();
    match fault {
        Some(Fault::Status(code)) => return http(code, &[], b"fault"),
        Some(Fault::IgnoreRange) => return http(200, &[], &body),
        Some(Fault::Corrupt) => body.iter_mut().step_by(7).for_each(|b| *b ^= 0x55),
        Some(Fault::Drop) | None => {}
    }
    let (status, mut headers) = (if range.is_some() { 206 } else { 200 }, Vec::new());
    if range.is_some() {
        let range = format!(
            "bytes {from}-{}/{}",
            bytes.len().saturating_sub(1),
            bytes.len()
        );
        headers.push(("Content-Range", range));
    }
    let mut out = http(status, &headers, &body[from..]);
    if fault == Some(Fault::Drop) {
        out.truncate(out.len() - (bytes.len() - from) / 2);
    }
    out
}

fn decode(text: &str) -> String {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
