//! The `aws-chunked` content encoding S3 clients use for streaming uploads
//! (S3 API Reference, "Signature Calculations for the Authorization Header:
//! Transferring Payload in Multiple Chunks", and the trailing-checksum
//! variant): `SIZE[;chunk-signature=SIG]\r\nDATA\r\n` chunks in hex sizes,
//! a last chunk of size 0, then trailing headers. Parsed once into its
//! chunks (with their signatures, which [`super::chunk_signatures`]
//! checks) and trailers.

/// A decoded body: its data and its trailing headers (names lower-cased).
pub(super) type Decoded = (Vec<u8>, Vec<(String, String)>);

/// Whether a request's body is `aws-chunked`: its `Content-Encoding`
/// says so, or its declared payload hash is a streaming one.
pub(super) fn is_chunked(content_encoding: Option<&str>, payload: Option<&str>) -> bool {
    content_encoding.is_some_and(|e| e.split(',').any(|p| p.trim() == "aws-chunked"))
        || payload.is_some_and(|p| p.starts_with("STREAMING-"))
}

/// One chunk: its `chunk-signature` extension, when sent, and its data.
pub(super) struct Chunk<'b> {
    /// `chunk-signature=...`.
    pub signature: Option<&'b str>,
    /// The data (empty for the last chunk).
    pub data: &'b [u8],
}

/// A body's chunks, the last (empty) one included, and its trailer lines
/// (`name:value`, as sent).
pub(super) struct Parsed<'b> {
    /// The chunks in order.
    pub chunks: Vec<Chunk<'b>>,
    /// The trailer lines, up to the empty line.
    pub trailers: Vec<&'b str>,
}

/// The chunks of an `aws-chunked` body, or what is wrong with it.
pub(super) fn parse(body: &[u8]) -> Result<Parsed<'_>, String> {
    let mut chunks = Vec::new();
    let mut rest = body;
    loop {
        let end = find_crlf(rest).ok_or("a chunk header does not end in CRLF")?;
        let header = std::str::from_utf8(&rest[..end]).map_err(|_| "a chunk header is not text")?;
        let mut parts = header.split(';');
        let size_text = parts.next().unwrap_or_default().trim();
        let signature = parts.find_map(|p| p.trim().strip_prefix("chunk-signature="));
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| format!("`{size_text}` is not a hexadecimal chunk size"))?;
        rest = &rest[end + 2..];
        if size == 0 {
            chunks.push(Chunk {
                signature,
                data: &[],
            });
            let trailers = std::str::from_utf8(rest)
                .unwrap_or_default()
                .split("\r\n")
                .take_while(|line| !line.is_empty())
                .collect();
            return Ok(Parsed { chunks, trailers });
        }
        // A size near usize::MAX must not overflow: it is cut short too.
        let end = size.saturating_add(2);
        if rest.len() < end || &rest[size..end] != b"\r\n" {
            return Err(format!("a chunk of {size} bytes is cut short"));
        }
        chunks.push(Chunk {
            signature,
            data: &rest[..size],
        });
        rest = &rest[size + 2..];
    }
}

/// The data of an `aws-chunked` body and its trailers (names lower-cased),
/// or what is wrong with it.
pub(super) fn decode(body: &[u8]) -> Result<Decoded, String> {
    let parsed = parse(body)?;
    let size = parsed.chunks.iter().map(|c| c.data.len()).sum();
    let mut out = Vec::with_capacity(size);
    for chunk in &parsed.chunks {
        out.extend_from_slice(chunk.data);
    }
    let trailers = parsed
        .trailers
        .iter()
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Ok((out, trailers))
}

fn find_crlf(bytes: &[u8]) -> Option<usize> {
    bytes.windows(2).position(|w| w == b"\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_joined_and_trailers_read() {
        let body = b"5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
        let (data, trailers) = decode(body).unwrap_or_default();
        assert_eq!(data, b"hello world");
        assert_eq!(
            trailers,
            [("x-amz-checksum-crc32".to_owned(), "AAAAAA==".to_owned())]
        );
        let parsed = parse(body).map(|p| p.chunks.iter().map(|c| c.signature).collect::<Vec<_>>());
        assert_eq!(parsed.ok(), Some(vec![Some("abc"), None, None]));
        assert!(decode(b"zz\r\nhello\r\n").is_err());
        assert!(decode(b"9\r\nhello\r\n0\r\n\r\n").is_err());
        assert!(decode(b"ffffffffffffffff\r\nhello\r\n").is_err());
        assert!(is_chunked(Some("aws-chunked"), None));
        assert!(is_chunked(None, Some("STREAMING-UNSIGNED-PAYLOAD-TRAILER")));
        assert!(!is_chunked(None, Some("UNSIGNED-PAYLOAD")));
    }
}
