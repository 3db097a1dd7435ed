//! `stateof serve` as an editor uses it: started on port 0, pages fetched over HTTP,
//! files edited, broken and fixed while it runs, and requests that try to get out of
//! the site or come from another host refused.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{fixture, read};

/// A running `stateof serve`, stopped when dropped.
struct Serve {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(project: &Path) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stateof"))
        .args(["serve", "--port", "0"])
        .current_dir(project)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start stateof serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .parse()
        .unwrap();
    Serve { child, addr }
}

/// One answer: status, headers (lower-case names), body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        let found = self.headers.iter().find(|(n, _)| n == name);
        found.map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request` (without its blank line) as written, so odd paths and hosts reach
/// the server unchanged, and reads the answer.
fn raw(addr: SocketAddr, request: &str) -> Answer {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(stream, "{request}\r\nConnection: close\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let split = memchr::memmem::find(&bytes, b"\r\n\r\n").expect("a complete head");
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: bytes[split + 4..].to_vec(),
    }
}

fn get(server: &Serve, target: &str, extra: &str) -> Answer {
    let host = format!("127.0.0.1:{}", server.addr.port());
    raw(
        server.addr,
        &format!("GET {target} HTTP/1.1\r\nHost: {host}{extra}"),
    )
}

/// The server's event stream, read one `build` report at a time.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(server: &Serve) -> Events {
        let mut stream = TcpStream::connect(server.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET /_stateof/events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
            server.addr.port()
        )
        .unwrap();
        let mut events = Events(BufReader::new(stream));
        events.next(); // the current state, sent on connect
        events
    }

    fn next(&mut self) -> serde_json::Value {
        let mut line = String::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            assert!(Instant::now() < deadline, "no report within 30 s");
            line.clear();
            assert!(
                self.0.read_line(&mut line).unwrap() > 0,
                "event stream closed"
            );
            if let Some(json) = line.strip_prefix("data: ") {
                return serde_json::from_str(json).unwrap();
            }
        }
    }

    /// The next report that satisfies `wanted`, within a deadline.
    fn until(&mut self, wanted: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let report = self.next();
            if wanted(&report) {
                return report;
            }
            assert!(Instant::now() < deadline, "no such report; last {report}");
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Appends a copy of the snapshot's first model under a new id.
fn add_a_model(snapshot: &Path) {
    let rows = read(snapshot);
    let first = rows.lines().next().unwrap();
    let copy = first.replacen("\"id\":\"", "\"id\":\"copy-", 1);
    std::fs::write(snapshot, format!("{rows}{copy}\n")).unwrap();
}

fn changed(report: &serde_json::Value, file: &str) -> bool {
    report["changed"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == file)
}

#[test]
fn serves_the_site_as_a_static_host_would() {
    let project = fixture("tiny");
    let server = serve(project.path());

    let page = get(&server, "/2026-spring/", "");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = page.text();
    assert!(
        html.contains("<script src=\"/_stateof/live.js\""),
        "live script"
    );
    // Links work from the server's root whatever base-url the config has (/tiny/).
    assert!(html.contains("href=\"/theme/style.css\""), "{html}");
    assert!(!html.contains("/tiny/"));

    let etag = page.header("etag").unwrap().to_owned();
    let again = get(
        &server,
        "/2026-spring/",
        &format!("\r\nIf-None-Match: {etag}"),
    );
    assert_eq!((again.status, again.body.len()), (304, 0));

    let zipped = get(&server, "/2026-spring/", "\r\nAccept-Encoding: gzip, br");
    assert_eq!(zipped.header("content-encoding"), Some("gzip"));
    let zipped_tag = zipped.header("etag").unwrap();
    assert_ne!(zipped_tag, etag, "each encoding has its own validator");
    let again = get(
        &server,
        "/2026-spring/",
        &format!("\r\nAccept-Encoding: gzip\r\nIf-None-Match: {zipped_tag}"),
    );
    assert_eq!(again.status, 304);
    let refused = get(&server, "/2026-spring/", "\r\nAccept-Encoding: gzip;q=0");
    assert_eq!(refused.header("content-encoding"), None, "q=0 refuses gzip");
    let mut unzipped = String::new();
    flate2::read::GzDecoder::new(&zipped.body[..])
        .read_to_string(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, html);

    let host = format!("127.0.0.1:{}", server.addr.port());
    let head = raw(
        server.addr,
        &format!("HEAD /theme/style.css HTTP/1.1\r\nHost: {host}"),
    );
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(head.body.is_empty());
    let length: usize = head.header("content-length").unwrap().parse().unwrap();
    assert_eq!(
        length,
        std::fs::metadata(project.path().join("theme/style.css"))
            .unwrap()
            .len() as usize
    );

    for (target, kind) in [
        ("/2026-spring/charts/by_author.svg", "image/svg+xml"),
        ("/atom.xml", "application/atom+xml"),
        ("/2026-spring/figures.json", "application/json"),
        ("/2026-spring/figures.csv", "text/csv; charset=utf-8"),
    ] {
        let answer = get(&server, target, "");
        assert_eq!(
            (answer.status, answer.header("content-type")),
            (200, Some(kind)),
            "{target}"
        );
    }
    let missing = get(&server, "/no/such/page/", "");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("<h1>"), "the site's 404 page");
    let folder = get(&server, "/2026-spring", "");
    assert_eq!(
        (folder.status, folder.header("location")),
        (301, Some("/2026-spring/"))
    );
    let folder = get(&server, "/2026-sprin%67?from=feed", "");
    assert_eq!(
        (folder.status, folder.header("location")),
        (301, Some("/2026-sprin%67/?from=feed")),
        "the path as sent, with its query"
    );
    let head = raw(
        server.addr,
        &format!("HEAD /_stateof/events HTTP/1.1\r\nHost: {host}"),
    );
    assert_eq!((head.status, head.body.len()), (200, 0));
    let post = raw(
        server.addr,
        &format!("POST / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0"),
    );
    assert_eq!(post.status, 405);

    let palette = get(&server, "/_stateof/figures", "").text();
    assert!(
        palette.contains("{{ fig(name=&quot;top2_share&quot;) }}"),
        "{palette}"
    );
    assert!(palette.contains("{{ fig(name=&quot;us_share&quot;, vs=&quot;2025-spring&quot;) }}"));
    assert!(palette.contains("{{ chart(name=&quot;by_author&quot;) }}"));
    assert!(palette.contains("id=\"filter\" type=\"search\""));
}

#[test]
fn nothing_outside_the_site_can_be_read() {
    let project = fixture("tiny");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        project.path().join("theme/secret.txt"),
    )
    .unwrap();
    let server = serve(project.path());
    let host = format!("Host: 127.0.0.1:{}", server.addr.port());
    for target in [
        "/../../../../etc/passwd",
        "/theme/../../stateof.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/%252e%252e/%252e%252e/etc/passwd",
        "/theme/..%5c..%5cstateof.toml",
        "/theme\\..\\..\\stateof.toml",
        "/index.html%00.css",
        "/stateof.toml",
        "/content/2026-spring/index.md",
        "/theme/secret.txt",
    ] {
        let answer = raw(server.addr, &format!("GET {target} HTTP/1.1\r\n{host}"));
        assert!(
            (400..500).contains(&answer.status),
            "{target}: {}",
            answer.status
        );
        assert!(!answer.text().contains("secret") && !answer.text().contains("[figures"));
    }
    for foreign in ["evil.example", "evil.example:80", "localhost.evil.example"] {
        let answer = raw(server.addr, &format!("GET / HTTP/1.1\r\nHost: {foreign}"));
        assert_eq!(answer.status, 403, "{foreign}");
    }
    let answer = raw(server.addr, "GET / HTTP/1.0");
    assert_eq!(answer.status, 400, "no Host header");
    let answer = raw(
        server.addr,
        &format!("GET / HTTP/1.1\r\nHost: localhost:{}", server.addr.port()),
    );
    assert_eq!(answer.status, 200);
}

#[test]
fn edits_show_up_errors_overlay_the_last_good_page_and_clear() {
    let project = fixture("tiny");
    let server = serve(project.path());
    let mut events = Events::open(&server);
    let index = project.path().join("content/2026-spring/index.md");

    edit(&index, "The tiny hub lists", "The very tiny hub lists");
    let report = events.until(|r| changed(r, "2026-spring/index.html"));
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(
        report["computed"],
        serde_json::json!([]),
        "figures were recomputed for prose"
    );
    assert!(get(&server, "/2026-spring/", "")
        .text()
        .contains("The very tiny hub lists"));

    edit(
        &index,
        "fig(name=\"top2_share\")",
        "fig(name=\"top_2share\")",
    );
    let report = events.until(|r| !r["errors"].as_array().unwrap().is_empty());
    let error = &report["errors"][0];
    assert_eq!(error["file"], "content/2026-spring/index.md");
    assert_eq!(error["line"], 10);
    let text = error["text"].as_str().unwrap();
    assert!(
        text.contains("top_2share") && text.contains("did you mean `top2_share`"),
        "{text}"
    );
    let status: serde_json::Value =
        serde_json::from_slice(&get(&server, "/_stateof/status", "").body).unwrap();
    assert_eq!(status["errors"][0]["text"], text);
    let page = get(&server, "/2026-spring/", "");
    assert_eq!(page.status, 200, "the last good page is still served");
    assert!(page.text().contains("The very tiny hub lists"));

    edit(
        &index,
        "fig(name=\"top_2share\")",
        "fig(name=\"top2_share\")",
    );
    let report = events.until(|r| r["errors"].as_array().unwrap().is_empty());
    assert!(report["warnings"].as_array().unwrap().is_empty());

    std::fs::write(
        project.path().join("theme/style.css"),
        "body { color: red }\n",
    )
    .unwrap();
    let report = events.until(|r| changed(r, "theme/style.css"));
    assert!(
        !changed(&report, "2026-spring/index.html"),
        "a CSS edit changes no page"
    );
    assert_eq!(
        get(&server, "/theme/style.css", "").text(),
        "body { color: red }\n"
    );
}

#[test]
fn a_snapshot_change_recomputes_only_its_edition() {
    let project = fixture("tiny");
    let server = serve(project.path());
    let mut events = Events::open(&server);
    add_a_model(&project.path().join("snapshots/2025.jsonl"));
    let report = events.until(|r| !r["computed"].as_array().unwrap().is_empty());
    assert_eq!(report["computed"], serde_json::json!(["2025-spring"]));
    assert!(changed(&report, "2025-spring/figures.json"));

    std::fs::write(
        project.path().join("stateof.toml"),
        read(project.path().join("stateof.toml")) + "\n",
    )
    .unwrap();
    let report = events.until(|r| r["generation"].as_u64() > report["generation"].as_u64());
    assert_eq!(
        report["computed"],
        serde_json::json!([]),
        "an unchanged definition reuses figures"
    );
}

#[test]
fn the_built_site_never_carries_the_live_script() {
    let project = fixture("tiny");
    super::build_ok(project.path(), &[]);
    for entry in walkdir::WalkDir::new(project.path().join("output")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(
                memchr::memmem::find(&bytes, b"_stateof").is_none(),
                "{}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn a_snapshot_changed_while_the_build_fails_is_read_again() {
    let project = fixture("tiny");
    let server = serve(project.path());
    let mut events = Events::open(&server);
    let index = project.path().join("content/2026-spring/index.md");
    let models = |server: &Serve| {
        let figures = get(server, "/2026-spring/figures.json", "").text();
        let figures: serde_json::Value = serde_json::from_str(&figures).unwrap();
        figures["models_total"]["value"].as_f64().unwrap()
    };
    let before = models(&server);

    edit(
        &index,
        "fig(name=\"top2_share\")",
        "fig(name=\"top_2share\")",
    );
    events.until(|r| !r["errors"].as_array().unwrap().is_empty());
    add_a_model(&project.path().join("snapshots/2026.jsonl"));
    edit(
        &index,
        "fig(name=\"top_2share\")",
        "fig(name=\"top2_share\")",
    );
    let report = events.until(|r| r["errors"].as_array().unwrap().is_empty());
    assert!(changed(&report, "2026-spring/figures.json"), "{report}");
    assert!(
        changed(&report, "_stateof/figures"),
        "the palette's values changed too"
    );
    assert_eq!(
        models(&server),
        before + 1.0,
        "figures from the new snapshot"
    );
}
