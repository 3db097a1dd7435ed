//! HTTP: the `Hub` (a client bound to one endpoint and token) and the retry policy.
//!
//! `get_page` asks for one listing page until it has a complete one or the policy says
//! stop. Rate limits (429) wait as the Hub says (`Retry-After`); server errors (5xx),
//! broken connections and incomplete or non-JSON bodies back off exponentially with
//! jitter; 401/403 and other client errors stop at once. The token is sent as a Bearer
//! header only to URLs of the endpoint's own origin (scheme, host and port); a
//! next-page link elsewhere is followed without it, and reqwest drops the header on a
//! redirect to another host or port. It never appears in a message: errors name URLs,
//! and the token is never part of one.
//!
//! `retrying` and `send_with` serve the dump's downloads too (`download`), which add
//! headers (`Range`) and count a broken body that brought bytes as progress
//! (`Failure::Resume`) rather than as a failed attempt.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, bail, Context, Result};
use reqwest::blocking::Client;
use reqwest::header::{HeaderMap, LINK, RETRY_AFTER};
use reqwest::{StatusCode, Url};

use super::page;

/// A Hub access token. Its `Debug` output is redacted, so it cannot leak through a
/// logged struct.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// The token in `value` (e.g. `HF_TOKEN`), or `None` when it is absent or blank.
    pub fn new(value: Option<String>) -> Option<Token> {
        let value = value?.trim().to_owned();
        (!value.is_empty()).then_some(Token(value))
    }

    /// The token as the Hub's own clients find it, with `var` reading the
    /// environment: `HF_TOKEN`, else the file `HF_TOKEN_PATH`, else `token` in
    /// `HF_HOME` (by default `$XDG_CACHE_HOME/huggingface`, or
    /// `~/.cache/huggingface`), where `huggingface-cli login` saves it.
    pub fn find(var: impl Fn(&str) -> Option<String>) -> Option<Token> {
        let set = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        if let Some(token) = Token::new(set("HF_TOKEN")) {
            return Some(token);
        }
        let home = || {
            set("HF_HOME").map(std::path::PathBuf::from).or_else(|| {
                let cache = set("XDG_CACHE_HOME")
                    .map(std::path::PathBuf::from)
                    .or_else(|| set("HOME").map(|h| std::path::Path::new(&h).join(".cache")))?;
                Some(cache.join("huggingface"))
            })
        };
        let path = set("HF_TOKEN_PATH")
            .map(std::path::PathBuf::from)
            .or_else(|| Some(home()?.join("token")))?;
        Token::new(std::fs::read_to_string(path).ok())
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// How often and how long to retry a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per page, the first included.
    pub attempts: u32,
    /// The first backoff delay; each further one doubles, up to `max`.
    pub base: Duration,
    /// The longest backoff delay.
    pub max: Duration,
    /// The longest wait a `Retry-After` header is obeyed for.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 6 attempts, the first retry after 0.5–1 s, doubling to at most 30–60 s (see
    /// `backoff`), `Retry-After` obeyed up to 5 minutes (the Hub's rate-limit window).
    fn default() -> Self {
        RetryPolicy {
            attempts: 6,
            base: Duration::from_secs(1),
            max: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(300),
        }
    }
}

impl RetryPolicy {
    /// The backoff before attempt `attempt + 1`: `base · 2^(attempt-1)`, capped at `max`,
    /// then scaled by a random factor in [0.5, 1) so clients that failed together do
    /// not retry together.
    pub fn backoff(&self, attempt: u32, jitter: &mut Jitter) -> Duration {
        let doubled = self
            .base
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        doubled.min(self.max).mul_f64(0.5 + 0.5 * jitter.next())
    }
}

/// A small PRNG (SplitMix64) for backoff jitter; no global state, no extra crate.
#[derive(Debug, Clone)]
pub struct Jitter(u64);

impl Jitter {
    pub fn new(seed: u64) -> Jitter {
        Jitter(seed)
    }

    /// Seeded from the clock, so separate runs draw different delays.
    pub fn from_clock() -> Jitter {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Jitter(nanos ^ u64::from(std::process::id()).rotate_left(32))
    }

    /// A number in [0, 1).
    pub fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// An HTTP client bound to one Hub endpoint, with the token and retry policy to use.
pub struct Hub {
    client: Client,
    endpoint: Url,
    token: Option<Token>,
    retry: RetryPolicy,
}

impl Hub {
    /// A client for `endpoint` (e.g. `https://huggingface.co`, or a mirror).
    pub fn new(endpoint: &str, token: Option<Token>, retry: RetryPolicy) -> Result<Hub> {
        let endpoint = parse_endpoint(endpoint)?;
        let client = Client::builder()
            .user_agent(concat!("stateof/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(30))
            .timeout(Duration::from_secs(300))
            .build()
            .context("failed to set up the HTTP client")?;
        Ok(Hub {
            client,
            endpoint,
            token,
            retry,
        })
    }

    /// The endpoint, without a trailing slash (`https://huggingface.co`).
    pub fn endpoint(&self) -> &str {
        self.endpoint.as_str().trim_end_matches('/')
    }

    /// `path?query` resolved against the endpoint (which may itself have a path prefix).
    pub fn url(&self, path_and_query: &str) -> Result<Url> {
        let text = format!("{}{path_and_query}", self.endpoint());
        Url::parse(&text).with_context(|| format!("`{text}` is not a valid URL"))
    }

    /// Whether `url` is on the endpoint's origin (and so may carry the token).
    fn same_origin(&self, url: &Url) -> bool {
        url.origin() == self.endpoint.origin()
    }
}

/// The endpoint as a URL: `http` or `https`, with a host, without query or fragment.
fn parse_endpoint(text: &str) -> Result<Url> {
    let hint = "expected an address like https://huggingface.co";
    let url =
        Url::parse(text.trim()).with_context(|| format!("invalid endpoint `{text}`: {hint}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        bail!("invalid endpoint `{text}`: {hint}");
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        bail!("invalid endpoint `{text}`: it may not carry a query, fragment or user name; {hint}");
    }
    Ok(url)
}

/// A complete page of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The entries, each the JSON text of one object on one line.
    pub entries: Vec<String>,
    /// The next page, from the `Link: <…>; rel="next"` header; `None` on the last page.
    pub next: Option<Url>,
}

/// Why an attempt failed, and whether to try again.
pub(super) enum Failure {
    /// Not worth retrying (refused, not found, a bad request).
    Fatal(anyhow::Error),
    /// Try again, after `wait` if the server said how long.
    Retry {
        reason: String,
        wait: Option<Duration>,
    },
    /// Try again, counting attempts afresh: this one made progress (a download that
    /// broke off after writing some bytes resumes from them).
    Resume { reason: String },
}

/// Fetches the page at `url`, retrying as `hub`'s policy says; `on_retry` hears about
/// each retry (what went wrong, how long the wait is) before the wait. Errors name the
/// URL; retry notes do not (the caller says which page it is).
pub fn get_page(
    hub: &Hub,
    url: &Url,
    jitter: &mut Jitter,
    on_retry: &mut dyn FnMut(&str),
) -> Result<Page> {
    retrying(hub, url, jitter, on_retry, try_page)
}

/// Whether the resource at `url` exists: `true` for a complete 2xx answer, `false` for
/// a 404; retried and stopped as `get_page` is.
pub fn exists(
    hub: &Hub,
    url: &Url,
    jitter: &mut Jitter,
    on_retry: &mut dyn FnMut(&str),
) -> Result<bool> {
    retrying(hub, url, jitter, on_retry, |hub, url| {
        let Some(response) = send(hub, url, true)? else {
            return Ok(false);
        };
        response.bytes().map_err(|err| Failure::Retry {
            reason: format!(
                "the connection broke while reading the answer: {}",
                chain(&err.without_url())
            ),
            wait: None,
        })?;
        Ok(true)
    })
}

/// Runs `attempt` until it succeeds, fails for good, or the policy's attempts run out.
pub(super) fn retrying<T>(
    hub: &Hub,
    url: &Url,
    jitter: &mut Jitter,
    on_retry: &mut dyn FnMut(&str),
    mut attempt_once: impl FnMut(&Hub, &Url) -> Result<T, Failure>,
) -> Result<T> {
    let attempts = hub.retry.attempts.max(1);
    let mut attempt = 1;
    loop {
        let (reason, wait) = match attempt_once(hub, url) {
            Ok(value) => return Ok(value),
            Err(Failure::Fatal(err)) => return Err(err),
            Err(Failure::Retry { reason, wait }) => (reason, wait),
            Err(Failure::Resume { reason }) => {
                attempt = 1;
                (reason, None)
            }
        };
        if attempt >= attempts {
            bail!("gave up on {url} after {attempt} attempts: {reason}");
        }
        let delay = wait.unwrap_or_else(|| hub.retry.backoff(attempt, jitter));
        on_retry(&format!(
            "{reason}; retrying in {:.1} s (attempt {} of {attempts})",
            delay.as_secs_f64(),
            attempt + 1
        ));
        std::thread::sleep(delay);
        attempt += 1;
    }
}

/// One GET of `url` (with the token on the endpoint's origin): a successful response,
/// `None` for a 404 when `not_found_is_none`, else what to do about the failure.
fn send(
    hub: &Hub,
    url: &Url,
    not_found_is_none: bool,
) -> Result<Option<reqwest::blocking::Response>, Failure> {
    send_with(hub, url, HeaderMap::new(), not_found_is_none)
}

/// `send`, with `headers` added to the request.
pub(super) fn send_with(
    hub: &Hub,
    url: &Url,
    headers: HeaderMap,
    not_found_is_none: bool,
) -> Result<Option<reqwest::blocking::Response>, Failure> {
    let mut request = hub.client.get(url.clone()).headers(headers);
    if let Some(Token(token)) = hub.token.as_ref().filter(|_| hub.same_origin(url)) {
        request = request.bearer_auth(token);
    }
    let response = request.send().map_err(|err| Failure::Retry {
        reason: format!("the request failed: {}", chain(&err.without_url())),
        wait: None,
    })?;
    let status = response.status();
    if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        return Err(Failure::Fatal(anyhow!(
            "the Hub refused the request (HTTP {}) for {url}: set HF_TOKEN to a valid token, or check that it has access",
            status.as_u16()
        )));
    }
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Err(Failure::Retry {
            reason: "the Hub is rate-limiting requests (HTTP 429)".to_owned(),
            wait: retry_after(response.headers()).map(|w| w.min(hub.retry.max_retry_after)),
        });
    }
    if status.is_server_error() {
        return Err(Failure::Retry {
            reason: format!("the Hub answered HTTP {status}"),
            wait: None,
        });
    }
    if status == StatusCode::NOT_FOUND && not_found_is_none {
        return Ok(None);
    }
    if !status.is_success() {
        let body = response.text().unwrap_or_default();
        let body: String = body.chars().take(200).collect();
        return Err(Failure::Fatal(anyhow!(
            "the Hub answered HTTP {status} for {url}: {}",
            body.trim()
        )));
    }
    Ok(Some(response))
}

/// One request for the page at `url`.
fn try_page(hub: &Hub, url: &Url) -> Result<Page, Failure> {
    let response = send(hub, url, false)?.expect("a 404 is an error here");
    let next = page::next_link(
        response
            .headers()
            .get_all(LINK)
            .iter()
            .filter_map(|v| v.to_str().ok()),
    );
    let next = match next {
        Some(link) => Some(url.join(&link).map_err(|err| {
            Failure::Fatal(anyhow!(
                "the Hub's next-page link `{link}` from {url} is not a valid URL: {err}"
            ))
        })?),
        None => None,
    };
    let body = response.bytes().map_err(|err| Failure::Retry {
        reason: format!(
            "the connection broke while reading the page: {}",
            chain(&err.without_url())
        ),
        wait: None,
    })?;
    let entries = page::entries(&body).map_err(|problem| Failure::Retry {
        reason: format!("the Hub sent an incomplete or invalid page: {problem}"),
        wait: None,
    })?;
    Ok(Page { entries, next })
}

/// How long a 429 response asks to wait: `Retry-After` in seconds, else the `t=`
/// (seconds until reset) of the `RateLimit` header the Hub also sends.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds = |text: &str| text.trim().parse::<f64>().ok().filter(|s| *s >= 0.0);
    if let Some(value) = headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()) {
        if let Some(s) = seconds(value) {
            return Some(Duration::from_secs_f64(s.min(1e6)));
        }
    }
    let value = headers.get("ratelimit")?.to_str().ok()?;
    value
        .split([';', ','])
        .find_map(|param| param.trim().strip_prefix("t="))
        .and_then(seconds)
        .map(|s| Duration::from_secs_f64(s.min(1e6)))
}

/// An error and its causes, `outer: inner: …` (reqwest's own message names only the
/// outermost one).
pub(super) fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let message = cause.to_string();
        if !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_token_is_found_where_the_hubs_clients_look() {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("hf");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(home.join("token"), "hf_from_file\n").unwrap();
        let other = tmp.path().join("elsewhere");
        std::fs::write(&other, "hf_from_path").unwrap();
        let env = |pairs: Vec<(&'static str, String)>| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.clone())
            }
        };
        let secret = |token: Option<Token>| token.map(|t| t.0);
        let h = home.display().to_string();
        let cache = tmp.path().display().to_string();
        assert_eq!(
            secret(Token::find(env(vec![
                ("HF_TOKEN", "hf_env".into()),
                ("HF_HOME", h.clone())
            ]))),
            Some("hf_env".into())
        );
        assert_eq!(
            secret(Token::find(env(vec![
                ("HF_TOKEN", " ".into()),
                ("HF_HOME", h.clone())
            ]))),
            Some("hf_from_file".into())
        );
        assert_eq!(
            secret(Token::find(env(vec![
                ("HF_TOKEN_PATH", other.display().to_string()),
                ("HF_HOME", h)
            ]))),
            Some("hf_from_path".into())
        );
        std::fs::rename(&home, tmp.path().join("huggingface")).unwrap();
        assert_eq!(
            secret(Token::find(env(vec![("XDG_CACHE_HOME", cache)]))),
            Some("hf_from_file".into())
        );
        assert_eq!(secret(Token::find(env(vec![]))), None);
    }

    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter() {
        let policy = RetryPolicy {
            attempts: 6,
            base: Duration::from_millis(100),
            max: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(1),
        };
        let mut jitter = Jitter::new(7);
        for (attempt, full) in [(1, 100), (2, 200), (3, 400), (4, 500), (30, 500)] {
            for _ in 0..50 {
                let delay = policy.backoff(attempt, &mut jitter).as_secs_f64() * 1000.0;
                assert!(
                    delay >= full as f64 / 2.0 - 1e-6 && delay < full as f64,
                    "attempt {attempt}: {delay} ms"
                );
            }
        }
    }

    /// The README tells users how long the retries wait: the default policy must do
    /// what it says.
    #[test]
    fn the_default_backoff_is_what_the_readme_says() {
        let readme = include_str!("../../README.md");
        let said = "6 attempts; the first retry waits 0.5–1 s, each later one twice as long, \
                    up to 30–60 s";
        let flat = readme.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(said), "README no longer says: {said}");
        let policy = RetryPolicy::default();
        assert_eq!(policy.attempts, 6);
        let mut jitter = Jitter::new(3);
        for _ in 0..200 {
            let first = policy.backoff(1, &mut jitter).as_secs_f64();
            assert!((0.5..1.0).contains(&first), "{first}");
            let second = policy.backoff(2, &mut jitter).as_secs_f64();
            assert!((1.0..2.0).contains(&second), "{second}");
            let last = policy.backoff(30, &mut jitter).as_secs_f64();
            assert!((30.0..60.0).contains(&last), "{last}");
        }
    }

    #[test]
    fn jitter_is_spread_over_the_unit_interval() {
        let mut jitter = Jitter::new(1);
        let draws: Vec<f64> = (0..1000).map(|_| jitter.next()).collect();
        assert!(draws.iter().all(|x| (0.0..1.0).contains(x)));
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        assert!((mean - 0.5).abs() < 0.05, "{mean}");
    }

    #[test]
    fn retry_after_reads_seconds_or_the_ratelimit_header() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert("ratelimit", "\"api\";r=0;t=42".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(42)));
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(42)));
    }

    #[test]
    fn the_token_goes_only_to_the_endpoint_origin() {
        let token = Token::new(Some("hf_secret".into()));
        let hub = Hub::new("https://hub.example/mirror", token, RetryPolicy::default()).unwrap();
        let url = |s: &str| Url::parse(s).unwrap();
        assert!(hub.same_origin(&url("https://hub.example/api/models?cursor=x")));
        assert!(hub.same_origin(&url("https://hub.example:443/api/models")));
        assert!(!hub.same_origin(&url("http://hub.example/api/models")));
        assert!(!hub.same_origin(&url("https://hub.example:8443/api/models")));
        assert!(!hub.same_origin(&url("https://cdn.hub.example/api/models")));
        assert_eq!(
            hub.url("/api/models?limit=1").unwrap().as_str(),
            "https://hub.example/mirror/api/models?limit=1"
        );
    }

    #[test]
    fn tokens_are_trimmed_redacted_and_blank_ones_ignored() {
        assert_eq!(Token::new(None), None);
        assert_eq!(Token::new(Some("  ".into())), None);
        let token = Token::new(Some(" hf_abc\n".into())).unwrap();
        assert_eq!(token, Token("hf_abc".into()));
        assert!(!format!("{token:?}").contains("hf_abc"));
    }

    #[test]
    fn endpoints_must_be_plain_http_addresses() {
        for good in [
            "https://huggingface.co",
            "http://127.0.0.1:8080/",
            "https://m.example/hf",
        ] {
            assert!(parse_endpoint(good).is_ok(), "{good}");
        }
        for bad in [
            "huggingface.co",
            "ftp://x",
            "https://x/?a=1",
            "https://user:pw@x",
            "",
        ] {
            assert!(parse_endpoint(bad).is_err(), "{bad}");
        }
    }
}
