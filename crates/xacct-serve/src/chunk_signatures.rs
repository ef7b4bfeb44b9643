//! The signatures of a signed streaming upload
//! (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`, and `-TRAILER` with its signed
//! trailer), as S3 checks them (S3 API Reference, "Signature Calculations
//! for the Authorization Header: Transferring Payload in Multiple Chunks"
//! and "... Including Trailing Headers"): each chunk, the last empty one
//! included, is signed over the previous signature (the request's for the
//! first) and its data's SHA-256; the trailer over the last chunk's
//! signature and its headers. One chunk out of place, altered or unsigned
//! is a refusal.

use super::aws_chunked::parse;
use super::sigv4::{EMPTY_SHA256, sha256_hex, signature, signatures_equal};

/// What a chunk's or the trailer's signature is computed over.
pub(super) struct Chain<'a> {
    /// The signing key of the request's scope.
    pub key: &'a [u8; 32],
    /// `X-Amz-Date`.
    pub amz_date: &'a str,
    /// `DATE/REGION/SERVICE/aws4_request`.
    pub scope: &'a str,
    /// The request's own signature: the chain's seed.
    pub seed: &'a str,
}

/// Checks every signature of `body`; `trailer` when the payload declares
/// a signed trailer. The error says which part does not verify.
pub(super) fn verify(body: &[u8], chain: &Chain<'_>, trailer: bool) -> Result<(), String> {
    let parsed = parse(body)?;
    let mut previous = chain.seed.to_owned();
    for (i, chunk) in parsed.chunks.iter().enumerate() {
        let Some(sent) = chunk.signature else {
            return Err(format!("chunk {} carries no chunk-signature", i + 1));
        };
        let to_sign = format!(
            "AWS4-HMAC-SHA256-PAYLOAD\n{}\n{}\n{previous}\n{EMPTY_SHA256}\n{}",
            chain.amz_date,
            chain.scope,
            sha256_hex(chunk.data)
        );
        let expected = signature(chain.key, &to_sign);
        if !signatures_equal(&expected, sent) {
            return Err(format!("the signature of chunk {} does not match", i + 1));
        }
        previous = expected;
    }
    if !trailer {
        return Ok(());
    }
    let (signed, headers): (Vec<&str>, Vec<&str>) = parsed.trailers.iter().partition(|line| {
        line.to_ascii_lowercase()
            .starts_with("x-amz-trailer-signature:")
    });
    let Some(sent) = signed
        .first()
        .and_then(|line| line.split_once(':'))
        .map(|(_, v)| v.trim())
    else {
        return Err("the trailer carries no x-amz-trailer-signature".to_owned());
    };
    let canonical: String = headers
        .iter()
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| format!("{}:{}\n", name.trim().to_ascii_lowercase(), value.trim()))
        .collect();
    let to_sign = format!(
        "AWS4-HMAC-SHA256-TRAILER\n{}\n{}\n{previous}\n{}",
        chain.amz_date,
        chain.scope,
        sha256_hex(canonical.as_bytes())
    );
    if signatures_equal(&signature(chain.key, &to_sign), sent) {
        Ok(())
    } else {
        Err("the trailer's signature does not match".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sigv4::signing_key;

    /// AWS's example (S3 API Reference, "Example: PUT Object" of the
    /// chunked upload page): 66,560 bytes of `a` in chunks of 65,536 and
    /// 1,024, signed with the documentation's example key on 2013-05-24.
    #[test]
    fn aws_s_published_chunk_signatures_verify() {
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "20130524",
            "us-east-1",
            "s3",
        );
        let chain = Chain {
            key: &key,
            amz_date: "20130524T000000Z",
            scope: "20130524/us-east-1/s3/aws4_request",
            seed: "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
        };
        let mut body = Vec::new();
        for (size, sig) in [
            (
                65_536,
                "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
            ),
            (
                1_024,
                "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
            ),
            (
                0,
                "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
            ),
        ] {
            body.extend_from_slice(format!("{size:x};chunk-signature={sig}\r\n").as_bytes());
            body.extend(std::iter::repeat_n(b'a', size));
            body.extend_from_slice(b"\r\n");
        }
        assert_eq!(verify(&body, &chain, false), Ok(()));
        let mut altered = body.clone();
        altered[200] = b'b';
        assert!(verify(&altered, &chain, false).is_err());
        let unsigned = String::from_utf8_lossy(&body).replace(
            ";chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
            "",
        );
        assert!(verify(unsigned.as_bytes(), &chain, false).is_err());
    }
}
