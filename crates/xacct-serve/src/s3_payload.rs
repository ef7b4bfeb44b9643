//! A write's payload as S3 receives it: `aws-chunked` decoded, then
//! checked against the integrity values the client sent, in a header or a
//! trailer: `Content-MD5` and the SDKs' `x-amz-checksum-*` (CRC32,
//! CRC32C, CRC64NVME, SHA1, SHA256), computed with `aws-smithy-checksums`,
//! the SDKs' own implementation, so the endpoint agrees with them bit for
//! bit.
//!
//! Sources: S3 API Reference, PutObject (`Content-MD5`, `x-amz-checksum-*`)
//! and "Error responses" (`InvalidDigest`, `BadDigest`); S3 User Guide,
//! "Checking object integrity".

use std::str::FromStr as _;

use aws_smithy_checksums::ChecksumAlgorithm;
use base64::Engine as _;

use super::aws_chunked;
use super::request::Incoming;
use xacct_sim::AwsError;

const CHECKSUM_PREFIX: &str = "x-amz-checksum-";

/// The payload of a PutObject or UploadPart (the request's own bytes,
/// shared, when it is not chunked), or S3's error for one it refuses.
pub(super) fn payload(req: &Incoming) -> Result<bytes::Bytes, AwsError> {
    let (body, trailers) = if aws_chunked::is_chunked(
        req.header("content-encoding").as_deref(),
        req.header("x-amz-content-sha256").as_deref(),
    ) {
        let (data, trailers) = aws_chunked::decode(&req.body).map_err(|why| {
            AwsError::new(
                "IncompleteBody",
                400,
                format!("The request body is not valid aws-chunked encoding: {why}"),
            )
        })?;
        (bytes::Bytes::from(data), trailers)
    } else {
        (req.body.clone(), Vec::new())
    };
    if let Some(md5) = req.header("content-md5") {
        check_md5(&body, &md5)?;
    }
    let sent = req
        .headers
        .iter()
        .filter(|(name, _)| name.starts_with(CHECKSUM_PREFIX))
        .map(|(name, value)| (name.clone(), String::from_utf8_lossy(value).into_owned()))
        .chain(
            trailers
                .into_iter()
                .filter(|(name, _)| name.starts_with(CHECKSUM_PREFIX)),
        );
    for (name, value) in sent {
        let algorithm = &name[CHECKSUM_PREFIX.len()..];
        // `x-amz-checksum-type` (FULL_OBJECT / COMPOSITE) names no digest.
        if algorithm == "type" {
            continue;
        }
        check_checksum(&body, algorithm, &value)?;
    }
    Ok(body)
}

fn check_md5(body: &[u8], sent: &str) -> Result<(), AwsError> {
    use md5::Digest as _;
    let engine = base64::engine::general_purpose::STANDARD;
    let digest = engine
        .decode(sent.trim())
        .ok()
        .filter(|d| d.len() == 16)
        .ok_or_else(|| {
            AwsError::new(
                "InvalidDigest",
                400,
                "The Content-MD5 you specified was invalid.",
            )
            .with_detail("Content-MD5", sent)
        })?;
    let computed = md5::Md5::digest(body);
    if digest.as_slice() != computed.as_slice() {
        return Err(AwsError::new(
            "BadDigest",
            400,
            "The Content-MD5 you specified did not match what we received.",
        )
        .with_detail("ExpectedDigest", sent)
        .with_detail("CalculatedDigest", &engine.encode(computed)));
    }
    Ok(())
}

fn check_checksum(body: &[u8], algorithm: &str, sent: &str) -> Result<(), AwsError> {
    let Ok(parsed) = ChecksumAlgorithm::from_str(algorithm) else {
        return Err(AwsError::new(
            "InvalidRequest",
            400,
            format!(
                "x-amz-checksum-{algorithm} names no checksum algorithm S3 knows (CRC32, CRC32C, CRC64NVME, SHA1, SHA256)."
            ),
        ));
    };
    let engine = base64::engine::general_purpose::STANDARD;
    let mut checksum = parsed.into_impl();
    checksum.update(body);
    let computed = checksum.header_value();
    let computed = String::from_utf8_lossy(computed.as_bytes());
    let digest_len = engine.decode(computed.as_bytes()).map_or(0, |d| d.len());
    if engine
        .decode(sent.trim())
        .map_or(true, |d| d.len() != digest_len)
    {
        return Err(AwsError::new(
            "InvalidRequest",
            400,
            format!("Value for x-amz-checksum-{algorithm} header is invalid."),
        ));
    }
    if computed != sent.trim() {
        return Err(AwsError::new(
            "BadDigest",
            400,
            format!(
                "The {} you specified did not match the calculated checksum.",
                algorithm.to_ascii_uppercase()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(headers: &[(&str, &str)], body: &[u8]) -> Incoming {
        Incoming::new(
            "PUT".to_owned(),
            "/b/k".to_owned(),
            String::new(),
            headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.as_bytes().to_vec()))
                .collect(),
            body.to_vec(),
        )
    }

    // Values computed apart: python3 -c "import base64,hashlib,zlib;
    // b=b'hello'; print(base64.b64encode(hashlib.md5(b).digest()),
    // base64.b64encode(zlib.crc32(b).to_bytes(4,'big')),
    // base64.b64encode(hashlib.sha256(b).digest()))"
    const MD5: &str = "XUFAKrxLKna5cZ2REBfFkg==";
    const CRC32: &str = "NhCmhg==";
    // AWS's own example (a CRC32 of `hello\n`, refused as `AAAAAA==`).
    const SHA256: &str = "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=";

    #[test]
    fn matching_digests_pass_and_others_are_refused_as_s3_refuses_them() {
        assert!(payload(&put(&[("content-md5", MD5)], b"hello")).is_ok());
        assert!(payload(&put(&[("x-amz-checksum-crc32", CRC32)], b"hello")).is_ok());
        assert!(payload(&put(&[("x-amz-checksum-sha256", SHA256)], b"hello")).is_ok());
        let bad = payload(&put(&[("content-md5", MD5)], b"hellO")).err();
        assert_eq!(
            bad.map(|e| (e.code, e.status)),
            Some(("BadDigest".to_owned(), 400))
        );
        let invalid = payload(&put(&[("content-md5", "nope")], b"hello")).err();
        assert_eq!(invalid.map(|e| e.code), Some("InvalidDigest".to_owned()));
        let crc = payload(&put(&[("x-amz-checksum-crc32", CRC32)], b"hellO")).err();
        assert_eq!(
            crc.map(|e| e.message),
            Some("The CRC32 you specified did not match the calculated checksum.".to_owned())
        );
    }

    #[test]
    fn a_trailing_checksum_is_checked_too() {
        let chunked = format!("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:{CRC32}\r\n\r\n");
        let headers = [
            ("content-encoding", "aws-chunked"),
            ("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
        ];
        assert_eq!(
            payload(&put(&headers, chunked.as_bytes())).ok(),
            Some(bytes::Bytes::from_static(b"hello"))
        );
        let wrong = chunked.replace("hello", "hellO");
        assert!(payload(&put(&headers, wrong.as_bytes())).is_err());
    }
}
