//! One file downloaded whole and verified: resumed across dropped connections with HTTP
//! ranges, checked against the size and SHA-256 the Hub lists for it.
//!
//! The bytes go to `<file>.partial` beside the target. An attempt asks for what is
//! missing (`Range: bytes=N-`, `Accept-Encoding: identity`, so that sizes are the
//! file's own) and appends the body as it streams. A `206` must say
//! `Content-Range: bytes N-…/SIZE`; a `200` means the server sent the whole file, which
//! then replaces the partial one. A connection that breaks mid-body is retried as the
//! `RetryPolicy` says, from the bytes written; one that brought bytes starts the count
//! of attempts again, so a long download over a flaky link is not given up on while
//! it progresses. Redirects are followed (the Hub sends `resolve` URLs to a CDN); the
//! token goes only to the endpoint's own origin, and a redirect to another host or
//! port drops it (`client`).
//!
//! When all bytes are in, the length and then the SHA-256 of the whole file are
//! checked; only a file that matches is renamed into place. One that does not is
//! deleted and is an error naming the file, the URL it came from (never a redirect
//! target, whose query may be a signature), and the expected and actual values.

use std::cell::RefCell;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use reqwest::header::{
    HeaderMap, HeaderValue, ACCEPT_ENCODING, CONTENT_LENGTH, CONTENT_RANGE, RANGE,
};
use reqwest::{StatusCode, Url};
use sha2::{Digest, Sha256};

use super::client::{self, Failure, Hub, Jitter};
use super::progress::Transfer;

/// What the Hub lists for a file: its length and the hex SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub size: u64,
    pub sha256: String,
}

/// The partial download of `target`: `<target>.partial` beside it.
pub fn partial_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    target.with_file_name(name)
}

/// Downloads `url` into `target` (which must not exist), resuming a partial download
/// left by an earlier run, and verifies it against `expected`. `bar` draws a live
/// progress line; without it, log lines.
pub fn download(hub: &Hub, url: &Url, target: &Path, expected: &Expected, bar: bool) -> Result<()> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let partial = partial_path(target);
    let on_disk = fs::metadata(&partial).map_or(0, |m| m.len());
    if on_disk > expected.size {
        truncate(&partial, 0)?;
    }
    let transfer = RefCell::new(Transfer::start(
        &name,
        on_disk.min(expected.size),
        expected.size,
        bar,
    ));
    let mut jitter = Jitter::from_clock();
    client::retrying(
        hub,
        url,
        &mut jitter,
        &mut |note| transfer.borrow().note(note),
        |hub, url| attempt(hub, url, &partial, expected, &mut transfer.borrow_mut()),
    )?;
    transfer.into_inner().finish();
    verify(&partial, url, &name, expected)?;
    fs::rename(&partial, target).with_context(|| {
        format!(
            "failed to move `{}` to `{}`",
            partial.display(),
            target.display()
        )
    })
}

/// One request for the bytes `partial` lacks, appended to it as they arrive.
fn attempt(
    hub: &Hub,
    url: &Url,
    partial: &Path,
    expected: &Expected,
    transfer: &mut Transfer,
) -> Result<(), Failure> {
    let fatal = |err: anyhow::Error| Failure::Fatal(err);
    let mut done = fs::metadata(partial).map_or(0, |m| m.len());
    if done >= expected.size {
        return Ok(());
    }
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT_ENCODING, HeaderValue::from_static("identity"));
    if done > 0 {
        let range = HeaderValue::from_str(&format!("bytes={done}-")).expect("ASCII");
        headers.insert(RANGE, range);
    }
    let mut response = client::send_with(hub, url, headers, false)?.expect("404 is an error");
    let restart = match response.status() {
        StatusCode::PARTIAL_CONTENT => {
            check_range(response.headers(), done, expected.size)
                .map_err(|problem| fatal(anyhow!("{url}: {problem}")))?;
            false
        }
        StatusCode::OK => true,
        status => {
            return Err(fatal(anyhow!(
                "the Hub answered HTTP {status} for {url}, where the file's bytes were expected"
            )))
        }
    };
    if restart {
        if done > 0 {
            transfer.note(&format!(
                "the server sent the whole file rather than the {} missing bytes; starting again",
                expected.size - done
            ));
        }
        done = 0;
        if let Some(length) = header_u64(response.headers(), CONTENT_LENGTH) {
            if length != expected.size {
                return Err(fatal(size_mismatch(url, partial, expected.size, length)));
            }
        }
    }
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(partial)
        .and_then(|file| file.set_len(done).map(|()| file))
        .with_context(|| format!("failed to open `{}`", partial.display()))
        .map_err(fatal)?;
    let start = done;
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        match response.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => {
                file.write_all(&buffer[..n])
                    .with_context(|| format!("failed to write `{}`", partial.display()))
                    .map_err(fatal)?;
                done += n as u64;
                transfer.advance(done);
                if done > expected.size {
                    return Err(fatal(size_mismatch(url, partial, expected.size, done)));
                }
            }
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => {
                let _ = file.sync_data();
                let reason = format!(
                    "the connection broke after {done} of {} bytes: {}",
                    expected.size,
                    client::chain(&err)
                );
                return Err(broke(reason, done > start));
            }
        }
    }
    file.sync_data()
        .with_context(|| format!("failed to write `{}`", partial.display()))
        .map_err(fatal)?;
    if done < expected.size {
        let reason = format!("the body ended after {done} of {} bytes", expected.size);
        return Err(broke(reason, done > start));
    }
    Ok(())
}

/// A retry after a broken body: with the count of attempts started again when the
/// attempt brought bytes.
fn broke(reason: String, progressed: bool) -> Failure {
    if progressed {
        Failure::Resume { reason }
    } else {
        Failure::Retry { reason, wait: None }
    }
}

/// Checks that a 206 answer starts at `from` and belongs to a file of `size` bytes.
fn check_range(headers: &HeaderMap, from: u64, size: u64) -> Result<(), String> {
    let value = headers
        .get(CONTENT_RANGE)
        .and_then(|v| v.to_str().ok())
        .ok_or("a 206 answer without a Content-Range header")?;
    let (start, total) = parse_content_range(value)
        .ok_or_else(|| format!("a Content-Range the download cannot use: `{value}`"))?;
    if start != from {
        return Err(format!(
            "asked for the bytes from {from} on, the server sent them from {start} (`{value}`)"
        ));
    }
    if total.is_some_and(|t| t != size) {
        return Err(format!(
            "the server's file is {} bytes (`{value}`), the Hub lists {size}",
            total.unwrap_or_default()
        ));
    }
    Ok(())
}

/// `bytes START-END/TOTAL` → (START, TOTAL), TOTAL `None` for `*`.
fn parse_content_range(value: &str) -> Option<(u64, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    let (start, end): (u64, u64) = (start.trim().parse().ok()?, end.trim().parse().ok()?);
    if end < start {
        return None;
    }
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse().ok()?),
    };
    Some((start, total))
}

fn header_u64(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

fn size_mismatch(url: &Url, partial: &Path, expected: u64, actual: u64) -> anyhow::Error {
    let _ = fs::remove_file(partial);
    anyhow!(
        "`{}` from {url} is {actual} bytes, but the Hub lists {expected}: the download was \
         not kept; run the command again, and if it fails again the dataset changed under \
         this commit or a proxy alters files",
        file_name(partial),
    )
}

/// Checks the downloaded bytes: the length, then the SHA-256. A file that fails is
/// deleted.
fn verify(partial: &Path, url: &Url, name: &str, expected: &Expected) -> Result<()> {
    let size = fs::metadata(partial)
        .with_context(|| format!("failed to read `{}`", partial.display()))?
        .len();
    if size != expected.size {
        return Err(size_mismatch(url, partial, expected.size, size));
    }
    let actual = sha256_file(partial)?;
    if !actual.eq_ignore_ascii_case(&expected.sha256) {
        let _ = fs::remove_file(partial);
        bail!(
            "`{name}` from {url} has SHA-256 {actual}, but the Hub lists {}: the download is \
             corrupt and was not kept; run the command again",
            expected.sha256
        );
    }
    Ok(())
}

/// The hex SHA-256 of the file at `path`, read in 1 MB blocks.
fn sha256_file(path: &Path) -> Result<String> {
    let mut file =
        File::open(path).with_context(|| format!("failed to open `{}`", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file
            .read(&mut buffer)
            .with_context(|| format!("failed to read `{}`", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn truncate(path: &Path, len: u64) -> Result<()> {
    OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|file| file.set_len(len))
        .with_context(|| format!("failed to truncate `{}`", path.display()))
}

/// The name a message gives a partial file: the file it becomes.
fn file_name(partial: &Path) -> String {
    let name = partial.file_name().unwrap_or_default().to_string_lossy();
    name.strip_suffix(".partial").unwrap_or(&name).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges_are_read_strictly() {
        assert_eq!(
            parse_content_range("bytes 100-199/200"),
            Some((100, Some(200)))
        );
        assert_eq!(parse_content_range("bytes 0-0/*"), Some((0, None)));
        assert_eq!(parse_content_range("bytes */200"), None);
        assert_eq!(parse_content_range("bytes 9-3/200"), None);
        assert_eq!(parse_content_range("items 0-1/2"), None);
    }

    #[test]
    fn a_206_must_continue_where_the_file_stops() {
        let mut headers = HeaderMap::new();
        assert!(check_range(&headers, 10, 100).is_err());
        headers.insert(CONTENT_RANGE, HeaderValue::from_static("bytes 10-99/100"));
        assert_eq!(check_range(&headers, 10, 100), Ok(()));
        let early = check_range(&headers, 20, 100).unwrap_err();
        assert!(
            early.contains("from 20") && early.contains("from 10"),
            "{early}"
        );
        let other = check_range(&headers, 10, 120).unwrap_err();
        assert!(other.contains("lists 120"), "{other}");
    }

    #[test]
    fn the_partial_file_sits_beside_the_target() {
        assert_eq!(
            partial_path(Path::new("cache/a/b/models.parquet")),
            Path::new("cache/a/b/models.parquet.partial")
        );
        assert_eq!(
            file_name(Path::new("x/models.parquet.partial")),
            "models.parquet"
        );
    }
}
