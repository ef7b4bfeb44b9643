//! Reading the small XML documents S3 clients send (DeleteObjects,
//! CompleteMultipartUpload, the bucket configurations): the text of an
//! element, each element of a name, character data unescaped, and S3's
//! `MalformedXML` for a body that does not have the shape.

use xacct_sim::AwsError;

/// S3's answer to a body that is not the document it expects.
pub(super) fn malformed_xml() -> AwsError {
    AwsError::new(
        "MalformedXML",
        400,
        "The XML you provided was not well-formed or did not validate against our published schema",
    )
}

/// The text of the first `<NAME>...</NAME>` of a small XML document,
/// without the white space around it (a value: a number, a setting).
pub(super) fn tag<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    content(xml, name).map(str::trim)
}

/// The character data of the first `<NAME>...</NAME>`, as sent: an object
/// key may begin or end with white space, and names another object
/// without it.
pub(super) fn content<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    Some(&xml[start..end])
}

/// The inside of each `<NAME>...</NAME>` in order; `None` for one that
/// is not closed.
pub(super) fn elements<'a>(xml: &'a str, name: &str) -> impl Iterator<Item = Option<&'a str>> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let mut rest = Some(xml);
    std::iter::from_fn(move || {
        let text = rest?;
        let start = text.find(&open)? + open.len();
        match text[start..].find(&close) {
            Some(end) => {
                rest = Some(&text[start + end + close.len()..]);
                Some(Some(&text[start..start + end]))
            }
            None => {
                rest = None;
                Some(None)
            }
        }
    })
}

/// The text of XML character data, its five entities and numeric
/// references resolved.
pub(super) fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail.find(';').unwrap_or(0);
        let entity = &tail[1..end.max(1)];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) if end > 0 => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &tail[1..];
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
    fn elements_are_read_in_order_and_an_open_one_is_flagged() {
        let xml = "<A><P>1</P><P>2</P></A>";
        assert_eq!(
            elements(xml, "P").collect::<Vec<_>>(),
            [Some("1"), Some("2")]
        );
        assert_eq!(elements("<P>1", "P").collect::<Vec<_>>(), [None]);
        assert_eq!(tag(xml, "P"), Some("1"));
        assert_eq!(tag("<K> a </K>", "K"), Some("a"));
        assert_eq!(content("<K> a </K>", "K"), Some(" a "));
        assert_eq!(unescape("&quot;a&quot;&amp;&#65;"), "\"a\"&A");
    }
}
