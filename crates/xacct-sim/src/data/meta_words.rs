//! Non-ASCII user-defined metadata as S3 keeps and answers it. "Values of
//! such headers are character decoded as per RFC 2047 before storing and
//! encoded as per RFC 2047 to make them mail-safe before returning. If the
//! string contains only US-ASCII characters, it is presented as is" (S3
//! User Guide, "Working with object metadata"). Its example: a PUT of
//! `x-amz-meta-nonascii: ÄMÄZÕÑ S3` in UTF-8 bytes is answered
//! `=?UTF-8?B?w4PChE3Dg8KEWsODwpXDg8KRIFMz?=`, the UTF-8 of those bytes
//! read as ISO-8859-1, which is how `serve` reads a header's bytes.

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use xacct_aws::cloud::{ObjectAnswer, ObjectHeaders};

/// The headers a write sent, their metadata values decoded as S3 stores
/// them ([`stored`]).
pub(crate) fn written(mut headers: ObjectHeaders) -> ObjectHeaders {
    for value in headers.metadata.values_mut() {
        if let Cow::Owned(decoded) = stored(value) {
            *value = decoded;
        }
    }
    headers
}

/// A GetObject or HeadObject answer with its metadata values as S3 sends
/// them ([`answered`]).
pub(crate) fn read_answer(mut answer: ObjectAnswer) -> ObjectAnswer {
    if let ObjectAnswer::Body(_, meta) | ObjectAnswer::Meta(meta) = &mut answer {
        for value in meta.headers.metadata.values_mut() {
            if let Cow::Owned(encoded) = answered(value) {
                *value = encoded;
            }
        }
    }
    answer
}

/// `value` as S3 stores it: each RFC 2047 encoded word
/// (`=?CHARSET?B?TEXT?=` or `=?CHARSET?Q?TEXT?=`, in UTF-8, ISO-8859-1 or
/// US-ASCII) that stands apart from the text around it decoded, and white
/// space between two encoded words dropped (RFC 2047, 6.2). What does not
/// decode is kept as written.
pub(crate) fn stored(value: &str) -> Cow<'_, str> {
    if !value.contains("=?") {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    let mut after_word = false;
    while let Some(at) = rest.find("=?") {
        let (before, from) = rest.split_at(at);
        // A word stands apart: white space, the value's edge or another
        // word on each side (RFC 2047, 5).
        let apart_before = before.ends_with(char::is_whitespace)
            || (before.is_empty() && (after_word || out.is_empty()));
        let decoded = word(from).filter(|(_, len)| {
            let next = &from[*len..];
            apart_before
                && (next.is_empty()
                    || next.starts_with(char::is_whitespace)
                    || next.starts_with("=?"))
        });
        match decoded {
            Some((text, len)) => {
                if !(after_word && before.chars().all(char::is_whitespace)) {
                    out.push_str(before);
                }
                out.push_str(&text);
                rest = &from[len..];
                after_word = true;
            }
            None => {
                out.push_str(before);
                out.push_str("=?");
                rest = &from[2..];
                after_word = false;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `value` as S3 answers it: as stored when it is all printable US-ASCII
/// (tab included), else one encoded word of its UTF-8 in base64.
pub(crate) fn answered(value: &str) -> Cow<'_, str> {
    if value
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
    {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(format!("=?UTF-8?B?{}?=", STANDARD.encode(value)))
    }
}

/// The encoded word `from` starts with, decoded, and its length; `None`
/// when it is not one this reads (another charset, an empty or malformed
/// text).
fn word(from: &str) -> Option<(String, usize)> {
    let body = from.strip_prefix("=?")?;
    let (charset, after) = body.split_once('?')?;
    let (encoding, after) = after.split_once('?')?;
    let end = after.find("?=")?;
    let text = &after[..end];
    if text.is_empty() || text.contains(|c: char| c.is_whitespace()) || charset.is_empty() {
        return None;
    }
    let bytes = match encoding {
        "B" | "b" => STANDARD.decode(text).ok()?,
        "Q" | "q" => q_bytes(text)?,
        _ => return None,
    };
    let decoded = match charset.to_ascii_uppercase().as_str() {
        "UTF-8" => String::from_utf8(bytes).ok()?,
        "ISO-8859-1" | "LATIN1" | "US-ASCII" => bytes.iter().map(|&b| char::from(b)).collect(),
        _ => return None,
    };
    let len = 2 + charset.len() + 1 + encoding.len() + 1 + end + 2;
    Some((decoded, len))
}

/// The bytes of a "Q" encoded text: `_` is a space, `=XX` a byte in hex
/// (RFC 2047, 4.2).
fn q_bytes(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'_' => out.push(b' '),
            b'=' => {
                let hex = [bytes.next()?, bytes.next()?];
                let hex = std::str::from_utf8(&hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
            }
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header's bytes as `serve` reads them: each byte one ISO-8859-1
    /// character.
    fn latin1(bytes: &[u8]) -> String {
        bytes.iter().map(|&b| char::from(b)).collect()
    }

    #[test]
    fn the_s3_user_guide_example_is_answered_as_it_shows() {
        let sent = latin1("ÄMÄZÕÑ S3".as_bytes());
        assert_eq!(
            answered(&stored(&sent)),
            "=?UTF-8?B?w4PChE3Dg8KEWsODwpXDg8KRIFMz?="
        );
        assert_eq!(answered(&stored("AMAZONS3")), "AMAZONS3");
    }

    #[test]
    fn encoded_words_are_decoded_before_storing_and_encoded_again() {
        assert_eq!(stored("=?UTF-8?B?Y2Fmw6k=?="), "café");
        assert_eq!(stored("=?utf-8?q?caf=C3=A9_au_lait?="), "café au lait");
        assert_eq!(stored("=?ISO-8859-1?Q?caf=E9?="), "café");
        assert_eq!(stored("=?UTF-8?B?Y2Fm?= =?UTF-8?B?w6k=?="), "café");
        assert_eq!(stored("a =?UTF-8?B?w6k=?= b"), "a é b");
        assert_eq!(answered("café"), "=?UTF-8?B?Y2Fmw6k=?=");
        assert_eq!(stored(&answered("a\nb")), "a\nb");
    }

    #[test]
    fn what_is_not_an_encoded_word_is_kept_as_written() {
        for value in [
            "=?UTF-8?B??=",
            "=?UTF-8?X?abc?=",
            "=?KOI8-R?B?YQ==?=",
            "=?UTF-8?B?not base64?=",
            "=?UTF-8?B?//8=?=",
            "=?",
            "x=?y",
            "=?UTF-8?Q?=G1?=",
            "abc=?UTF-8?B?w6k=?=def",
            "x =?UTF-8?B?w6k=?=y",
        ] {
            assert_eq!(stored(value), value);
        }
    }
}
