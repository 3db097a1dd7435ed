//! A fast path for reading one snapshot line: the common shape of a Hub API entry,
//! scanned byte by byte for the fields the metrics need.
//!
//! It accepts only lines it can read with certainty: valid UTF-8 with no escapes and
//! no control characters anywhere, each needed field at most once and of the plain
//! type (strings, unsigned integers, a list of strings, or null). Everything else in
//! the line is still checked against JSON's grammar, as strictly as serde_json checks
//! the fields it ignores. Any doubt returns `None`, and the caller parses the line with serde_json,
//! which gives the same entry or the error to report. So this module only ever changes
//! how fast a line is read, never what is read from it.

use std::borrow::Cow;

use super::row::{Entry, Str, Tags};

/// Nesting deeper than this inside ignored values is left to serde_json.
const MAX_DEPTH: u32 = 64;

/// The entry in `line`, or `None` when serde_json should decide.
pub(super) fn entry(line: &[u8]) -> Option<Entry<'_>> {
    let line = trim(line);
    // Checked once for the whole line, so that no string needs checking on its own.
    let text = std::str::from_utf8(line).ok()?;
    if !plain(line) {
        return None;
    }
    let mut scan = Scanner {
        text,
        s: line,
        i: 0,
    };
    let entry = scan.object()?;
    (scan.i == line.len()).then_some(entry)
}

/// `line` without JSON whitespace (space, tab, CR, LF) at either end.
fn trim(line: &[u8]) -> &[u8] {
    let blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let start = line.iter().position(|b| !blank(b)).unwrap_or(line.len());
    let end = line
        .iter()
        .rposition(|b| !blank(b))
        .map_or(start, |i| i + 1);
    &line[start..end]
}

/// True when no byte is a control character or a backslash: then every string ends
/// at the next quote, and the only whitespace is the space.
fn plain(line: &[u8]) -> bool {
    // No early exit, so that the compiler can compare many bytes at once.
    !line
        .iter()
        .fold(false, |found, &b| found | (b < 0x20) | (b == b'\\'))
}

/// Which needed field a key names; a bit of `seen` each.
#[derive(Clone, Copy)]
enum Field {
    Id = 1,
    Author = 2,
    Downloads = 4,
    Likes = 8,
    CreatedAt = 16,
    PipelineTag = 32,
    LibraryName = 64,
    Tags = 128,
    ModelId = 256,
    DownloadsAllTime = 512,
    Sdk = 1024,
}

impl Field {
    fn of(key: &[u8]) -> Option<Field> {
        Some(match key {
            b"id" => Field::Id,
            b"author" => Field::Author,
            b"downloads" => Field::Downloads,
            b"likes" => Field::Likes,
            b"createdAt" => Field::CreatedAt,
            b"pipeline_tag" => Field::PipelineTag,
            b"library_name" => Field::LibraryName,
            b"tags" => Field::Tags,
            b"modelId" => Field::ModelId,
            b"downloadsAllTime" => Field::DownloadsAllTime,
            b"sdk" => Field::Sdk,
            _ => return None,
        })
    }
}

struct Scanner<'a> {
    /// The line, and the same as bytes.
    text: &'a str,
    s: &'a [u8],
    /// Where the scanner is in `s`.
    i: usize,
}

/// Where the next `"` at or after `from` is, looking at 8 bytes at a time (strings
/// are short, so this beats setting up a vectorised search for each).
fn find_quote(s: &[u8], mut from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    while let Some(bytes) = s.get(from..from + 8) {
        let word = u64::from_le_bytes(bytes.try_into().expect("8 bytes"));
        let x = word ^ (ONES * u64::from(b'"'));
        // The high bit of each byte that was a quote (exact: no borrow between bytes).
        let quotes = !(((x & LOW7) + LOW7) | x | LOW7);
        if quotes != 0 {
            return Some(from + quotes.trailing_zeros() as usize / 8);
        }
        from += 8;
    }
    s[from.min(s.len())..]
        .iter()
        .position(|&b| b == b'"')
        .map(|i| from + i)
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.i += 1;
        Some(b)
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.next()? == b).then_some(())
    }

    fn spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }

    /// The top-level object, keeping the needed fields.
    fn object(&mut self) -> Option<Entry<'a>> {
        self.eat(b'{')?;
        self.spaces();
        let mut entry = Entry::default();
        let mut seen = 0u16;
        if self.peek()? == b'}' {
            self.i += 1;
        } else {
            loop {
                let key = self.raw_string()?;
                self.spaces();
                self.eat(b':')?;
                self.spaces();
                match Field::of(key) {
                    Some(field) => {
                        if seen & field as u16 != 0 {
                            return None; // serde_json reports the duplicate
                        }
                        seen |= field as u16;
                        match field {
                            Field::Id => entry.id = self.optional(Self::text)?,
                            Field::ModelId => entry.model_id = self.optional(Self::text)?,
                            Field::DownloadsAllTime => {
                                entry.downloads_all_time = self.optional(Self::count)?
                            }
                            Field::Author => entry.author = self.optional(Self::text)?,
                            Field::Downloads => entry.downloads = self.optional(Self::count)?,
                            Field::Likes => entry.likes = self.optional(Self::count)?,
                            Field::CreatedAt => entry.created_at = self.optional(Self::text)?,
                            Field::PipelineTag => entry.pipeline_tag = self.optional(Self::text)?,
                            Field::LibraryName => entry.library_name = self.optional(Self::text)?,
                            Field::Tags => entry.tags = self.optional(Self::tags)?,
                            Field::Sdk => entry.sdk = self.optional(Self::text)?,
                        }
                    }
                    None => self.skip(0)?,
                }
                self.spaces();
                match self.next()? {
                    b',' => self.spaces(),
                    b'}' => break,
                    _ => return None,
                }
            }
        }
        Some(entry)
    }

    /// `null` as `None`, else what `read` reads.
    fn optional<T>(&mut self, read: fn(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return Some(None);
        }
        read(self).map(Some)
    }

    /// Where a string's contents start and end (the scanner is at its opening quote).
    /// With no escapes in the line, a string ends at the next quote.
    fn string(&mut self) -> Option<(usize, usize)> {
        self.eat(b'"')?;
        let start = self.i;
        let end = find_quote(self.s, start)?;
        self.i = end + 1;
        Some((start, end))
    }

    /// The bytes of a string.
    fn raw_string(&mut self) -> Option<&'a [u8]> {
        let (start, end) = self.string()?;
        Some(&self.s[start..end])
    }

    /// A string value, borrowed from the line.
    fn text(&mut self) -> Option<Str<'a>> {
        let (start, end) = self.string()?;
        Some(Str(Cow::Borrowed(self.text.get(start..end)?)))
    }

    /// An unsigned integer that fits in a `u64`, written as serde_json reads one.
    fn count(&mut self) -> Option<u64> {
        let start = self.i;
        let mut value: u64 = 0;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            value = value.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
            self.i += 1;
        }
        let digits = self.i - start;
        let leading_zero = digits > 1 && self.s[start] == b'0';
        if digits == 0 || leading_zero || matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        Some(value)
    }

    /// A list of strings, reduced to what the metrics need as it is read.
    fn tags(&mut self) -> Option<Tags<'a>> {
        self.eat(b'[')?;
        self.spaces();
        let mut tags = Tags::default();
        if self.peek()? == b']' {
            self.i += 1;
            return Some(tags);
        }
        loop {
            let Str(tag) = self.text()?;
            tags.add(tag);
            self.spaces();
            match self.next()? {
                b',' => self.spaces(),
                b']' => return Some(tags),
                _ => return None,
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i + word.len();
        (self.s.get(self.i..end)? == word).then(|| self.i = end)
    }

    /// Skips any JSON value, checking its grammar.
    fn skip(&mut self, depth: u32) -> Option<()> {
        match self.peek()? {
            b'"' => self.raw_string().map(drop),
            b'{' | b'[' if depth >= MAX_DEPTH => None,
            b'{' => {
                self.i += 1;
                self.spaces();
                if self.peek()? == b'}' {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    self.raw_string()?;
                    self.spaces();
                    self.eat(b':')?;
                    self.spaces();
                    self.skip(depth + 1)?;
                    self.spaces();
                    match self.next()? {
                        b',' => self.spaces(),
                        b'}' => return Some(()),
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.i += 1;
                self.spaces();
                if self.peek()? == b']' {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    self.skip(depth + 1)?;
                    self.spaces();
                    match self.next()? {
                        b',' => self.spaces(),
                        b']' => return Some(()),
                        _ => return None,
                    }
                }
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            self.some_digits()?;
        }
        // A digit right after a leading 0 is an error for serde_json too.
        (!matches!(self.peek(), Some(b'0'..=b'9'))).then_some(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
    }

    fn some_digits(&mut self) -> Option<()> {
        let start = self.i;
        self.digits();
        (self.i > start).then_some(())
    }
}

#[cfg(test)]
#[path = "scan_tests.rs"]
mod tests;
