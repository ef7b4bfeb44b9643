//! The preconditions a request puts on the object it reads or writes:
//! `If-Match`, `If-None-Match`, `If-Modified-Since` and
//! `If-Unmodified-Since` (RFC 9110 13.1; S3 API Reference, GetObject,
//! HeadObject and PutObject), as the request carries them. What they
//! decide is the simulator's to say.

use std::time::SystemTime;

/// The preconditions of one object call; none by default.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Preconditions {
    /// `If-Match`: ETags (or `*`) the object must have.
    pub if_match: Option<String>,
    /// `If-None-Match`: ETags (or `*`) the object must not have; on a
    /// write, `*` asks that no object have the key yet.
    pub if_none_match: Option<String>,
    /// `If-Modified-Since`: read only an object written after it.
    pub if_modified_since: Option<SystemTime>,
    /// `If-Unmodified-Since`: read only an object not written after it.
    pub if_unmodified_since: Option<SystemTime>,
}

/// Whether an `If-Match` / `If-None-Match` list (`"a", "b"`, `*`, an ETag
/// without its quotes, or a weak `W/"a"`) names `etag` (quoted, as S3
/// gives it).
pub fn etag_listed(list: &str, etag: &str) -> bool {
    let bare = |tag: &str| {
        let tag = tag.trim();
        let tag = tag.strip_prefix("W/").unwrap_or(tag);
        tag.trim_matches('"').to_owned()
    };
    let wanted = bare(etag);
    list.split(',')
        .any(|tag| tag.trim() == "*" || bare(tag) == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_etag_list_names_the_etag_quoted_or_not_weak_or_any() {
        let etag = "\"5d41402abc4b2a76b9719d911017c592\"";
        for list in [
            "\"5d41402abc4b2a76b9719d911017c592\"",
            "5d41402abc4b2a76b9719d911017c592",
            "\"other\", W/\"5d41402abc4b2a76b9719d911017c592\"",
            "*",
        ] {
            assert!(etag_listed(list, etag), "{list}");
        }
        assert!(!etag_listed("\"other\"", etag));
        assert!(!etag_listed("", etag));
    }
}
