//! A small HTML tag scanner for `check`: start tags with their attributes and lines,
//! enough to follow links, collect ids and see text alternatives. It skips comments,
//! doctypes and the contents of `script` and `style`; it builds no tree and does not
//! validate (the pages are the build's own output).

/// One start tag.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// Lowercase element name.
    pub name: String,
    /// Attributes in order, names lowercase, values with entities decoded.
    pub attrs: Vec<(String, String)>,
    /// 1-based line of the `<`.
    pub line: usize,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        (self.attrs.iter())
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every start tag of `html`, in order.
pub fn tags(html: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut at = 0;
    let mut line = 1;
    while let Some(found) = html[at..].find('<') {
        line += html[at..at + found].matches('\n').count();
        at += found;
        let rest = &html[at..];
        let skip_to = |end: &str| rest.find(end).map_or(rest.len(), |n| n + end.len());
        let len = if rest.starts_with("<!--") {
            skip_to("-->")
        } else if rest.starts_with("<!") || rest.starts_with("<?") || rest.starts_with("</") {
            skip_to(">")
        } else {
            match start_tag(rest, line) {
                Some((tag, len)) => {
                    let raw = matches!(tag.name.as_str(), "script" | "style");
                    let close = format!("</{}", tag.name);
                    tags.push(tag);
                    match raw {
                        true => {
                            len + lowercase_find(&rest[len..], &close).unwrap_or(rest.len() - len)
                        }
                        false => len,
                    }
                }
                None => 1,
            }
        };
        line += rest[..len].matches('\n').count();
        at += len;
    }
    tags
}

fn lowercase_find(text: &str, needle: &str) -> Option<usize> {
    text.to_ascii_lowercase().find(needle)
}

/// The start tag at the beginning of `text` (which starts with `<`) and its length.
fn start_tag(text: &str, line: usize) -> Option<(Tag, usize)> {
    let bytes = text.as_bytes();
    let name_end = 1 + text[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))?;
    if name_end == 1 || !bytes[1].is_ascii_alphabetic() {
        return None;
    }
    let name = text[1..name_end].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut i = name_end;
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        if bytes[i] == b'>' {
            return Some((Tag { name, attrs, line }, i + 1));
        }
        let key_end = i + text[i..].find(|c: char| c.is_whitespace() || "=>/".contains(c))?;
        let key = text[i..key_end].to_ascii_lowercase();
        i = key_end;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let (raw, len) = match bytes.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let end = text[i + 1..].find(q as char)?;
                    (&text[i + 1..i + 1 + end], end + 2)
                }
                _ => {
                    let end = (text[i..].find(|c: char| c.is_whitespace() || c == '>'))
                        .unwrap_or(text.len() - i);
                    (&text[i..i + end], end)
                }
            };
            value = decode(raw);
            i += len;
        }
        attrs.push((key, value));
    }
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;` and numeric references decoded.
pub fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => (entity.strip_prefix("#x").or(entity.strip_prefix("#X")))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags_attributes_and_lines() {
        let html = "<!DOCTYPE html>\n<!-- <a href=\"no\"> -->\n<p class=x>Hi <A HREF='/a?b=1&amp;c=2' \
                    data-x>\n<img\n  src=\"i.png\" alt=\"\"/></p>\n<script>if (a<b) {}</script><br>";
        let tags = tags(html);
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["p", "a", "img", "script", "br"]);
        assert_eq!(tags[0].attr("class"), Some("x"));
        assert_eq!(tags[1].attr("href"), Some("/a?b=1&c=2"));
        assert_eq!(tags[1].attr("data-x"), Some(""));
        assert_eq!(tags[1].line, 3);
        assert_eq!((tags[2].line, tags[2].attr("alt")), (4, Some("")));
        assert_eq!(tags[4].line, 6);
    }

    #[test]
    fn decodes_references() {
        assert_eq!(
            decode("a &amp; b &#39;c&#x27; &unknown; &"),
            "a & b 'c' &unknown; &"
        );
    }
}
