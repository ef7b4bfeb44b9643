//! One byte range of an object: what a GetObject `Range` header asks for
//! and the `Content-Range` of the part that answers it (RFC 9110, 14.1.2
//! and 14.4; S3 API Reference, GetObject, "Range": S3 reads one range per
//! request).

/// A `Range: bytes=…` GetObject asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteRange {
    /// `bytes=FIRST-LAST`, or `bytes=FIRST-` to the end.
    From {
        /// The first byte, counted from 0.
        first: u64,
        /// The last byte, inclusive; `None` to the end.
        last: Option<u64>,
    },
    /// `bytes=-N`: the last `N` bytes.
    Suffix(u64),
}

/// The part of an object a ranged read answered: `Content-Range: bytes
/// FIRST-LAST/SIZE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentRange {
    /// The first byte of the part.
    pub first: u64,
    /// The last byte of the part, inclusive.
    pub last: u64,
    /// The whole object's size.
    pub size: u64,
}

impl ByteRange {
    /// The range a `Range` header asks for; `None` when the header is not
    /// one well-formed byte range (another unit, several ranges, a last
    /// byte before the first, not a number). A server ignores such a
    /// header and sends the whole object (RFC 9110, 14.2), and S3 does:
    /// `bytes=1-0` and `bytes=abc` read the whole object.
    pub fn parse(header: &str) -> Option<Self> {
        let spec = header.trim().strip_prefix("bytes=")?;
        let (first, last) = spec.split_once('-')?;
        let number = |text: &str| -> Option<u64> {
            let text = text.trim();
            if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            text.parse().ok()
        };
        if first.trim().is_empty() {
            return number(last).map(Self::Suffix);
        }
        let first = number(first)?;
        if last.trim().is_empty() {
            return Some(Self::From { first, last: None });
        }
        let last = number(last)?;
        (last >= first).then_some(Self::From {
            first,
            last: Some(last),
        })
    }

    /// Whether S3 answers this range with the whole object, as if no
    /// range were asked: a suffix of an empty object (`bytes=-N`, N > 0)
    /// reads it whole, 200 with no `Content-Range`, where RFC 9110 would
    /// answer 416 (observed on AWS S3: apache/arrow-rs-object-store#846;
    /// Trino's read of an empty file's tail, floci-io/floci#1141).
    pub fn reads_whole(&self, size: u64) -> bool {
        matches!(*self, Self::Suffix(n) if n > 0 && size == 0)
    }

    /// The part of a `size`-byte object this range selects, or `None`
    /// when it selects nothing (RFC 9110, 14.1.1: a first byte at or past
    /// the end, or a suffix of 0 bytes or of an empty object). A last byte
    /// past the end is cut to the end; a suffix longer than the object is
    /// the whole object.
    pub fn within(&self, size: u64) -> Option<ContentRange> {
        let end = size.checked_sub(1)?;
        let (first, last) = match *self {
            Self::From { first, last } => (first, last.map_or(end, |last| last.min(end))),
            Self::Suffix(0) => return None,
            Self::Suffix(n) => (size.saturating_sub(n), end),
        };
        (first <= last).then_some(ContentRange { first, last, size })
    }
}

impl std::fmt::Display for ByteRange {
    /// The header's value: `bytes=FIRST-LAST`, `bytes=FIRST-` or `bytes=-N`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::From { first, last } => {
                write!(f, "bytes={first}-")?;
                last.map_or(Ok(()), |last| write!(f, "{last}"))
            }
            Self::Suffix(n) => write!(f, "bytes=-{n}"),
        }
    }
}

impl ContentRange {
    /// The `Content-Range` header a client received, `bytes FIRST-LAST/SIZE`.
    pub fn parse(header: &str) -> Option<Self> {
        let rest = header.trim().strip_prefix("bytes ")?;
        let (span, size) = rest.split_once('/')?;
        let (first, last) = span.split_once('-')?;
        Some(Self {
            first: first.trim().parse().ok()?,
            last: last.trim().parse().ok()?,
            size: size.trim().parse().ok()?,
        })
    }

    /// The `Content-Range` of a 416 answer, `bytes */SIZE`: no part, and
    /// the size a client may ask within (RFC 9110 14.4 and 15.5.17).
    pub fn unsatisfied(size: u64) -> String {
        format!("bytes */{size}")
    }
}

impl std::fmt::Display for ContentRange {
    /// The header's value: `bytes FIRST-LAST/SIZE`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bytes {}-{}/{}", self.first, self.last, self.size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(header: &str, size: u64) -> Option<(u64, u64)> {
        let range = ByteRange::parse(header)?;
        range.within(size).map(|r| (r.first, r.last))
    }

    #[test]
    fn a_range_selects_what_rfc_9110_says() {
        assert_eq!(part("bytes=0-4", 10), Some((0, 4)));
        assert_eq!(part("bytes=5-", 10), Some((5, 9)));
        assert_eq!(part("bytes=-3", 10), Some((7, 9)));
        assert_eq!(part("bytes=-30", 10), Some((0, 9)));
        assert_eq!(part("bytes=2-99", 10), Some((2, 9)));
        assert_eq!(part("bytes=10-12", 10), None);
        assert_eq!(part("bytes=-0", 10), None);
        assert_eq!(part("bytes=0-", 0), None);
        assert_eq!(part("bytes=-5", 0), None);
    }

    #[test]
    fn only_a_suffix_of_an_empty_object_reads_it_whole() {
        let whole =
            |header: &str, size| ByteRange::parse(header).is_some_and(|r| r.reads_whole(size));
        assert!(whole("bytes=-5", 0));
        assert!(!whole("bytes=-0", 0));
        assert!(!whole("bytes=0-", 0));
        assert!(!whole("bytes=0-0", 0));
        assert!(!whole("bytes=-5", 3));
    }

    #[test]
    fn a_header_that_is_not_one_range_is_ignored() {
        for header in [
            "bytes=1-0",
            "bytes=abc",
            "bytes=0-1,3-4",
            "items=0-4",
            "bytes=-",
            "bytes=+1-2",
            "",
        ] {
            assert_eq!(ByteRange::parse(header), None, "{header}");
        }
    }

    #[test]
    fn ranges_print_as_headers_and_read_back() {
        for header in ["bytes=0-4", "bytes=5-", "bytes=-3"] {
            assert_eq!(
                ByteRange::parse(header).map(|r| r.to_string()).as_deref(),
                Some(header)
            );
        }
        let part = ContentRange {
            first: 2,
            last: 9,
            size: 10,
        };
        assert_eq!(part.to_string(), "bytes 2-9/10");
        assert_eq!(ContentRange::parse("bytes 2-9/10"), Some(part));
    }
}
