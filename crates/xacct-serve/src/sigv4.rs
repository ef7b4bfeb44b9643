//! SigV4 verification as pure functions: the canonical request rebuilt from
//! the headers the client says it signed (never a fixed list), the string to
//! sign, the signing key and the signature. Pinned to AWS's published test
//! vectors.

use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};

/// The characters SigV4 leaves unencoded: RFC 3986's unreserved set.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The algorithm name.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The SHA-256 of an empty payload.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Lower-case hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return [0; 32],
    };
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthHeader {
    /// The access key id.
    pub access_key_id: String,
    /// `YYYYMMDD` of the credential scope.
    pub date: String,
    /// The region of the scope.
    pub region: String,
    /// The service of the scope (`sts`, `s3`).
    pub service: String,
    /// The signed header names, lower-case, as the client listed them.
    pub signed_headers: Vec<String>,
    /// The hex signature.
    pub signature: String,
}

/// Why an Authorization header cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedAuth(pub String);

/// Reads an Authorization header.
pub fn parse_auth_header(value: &str) -> Result<AuthHeader, MalformedAuth> {
    let rest = value.strip_prefix(ALGORITHM).ok_or_else(|| {
        MalformedAuth(format!(
            "Unsupported algorithm; only {ALGORITHM} is supported"
        ))
    })?;
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        }
    }
    let missing =
        |what: &str| MalformedAuth(format!("Authorization header requires '{what}' parameter."));
    let credential = credential.ok_or_else(|| missing("Credential"))?;
    let signed = signed.ok_or_else(|| missing("SignedHeaders"))?;
    let signature = signature.ok_or_else(|| missing("Signature"))?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [key, date, region, service, terminator] = scope[..] else {
        return Err(MalformedAuth(format!(
            "Credential should have five parts, not {}: KEY/DATE/REGION/SERVICE/aws4_request",
            scope.len()
        )));
    };
    if terminator != "aws4_request" {
        return Err(MalformedAuth(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'."
        )));
    }
    Ok(AuthHeader {
        access_key_id: key.to_owned(),
        date: date.to_owned(),
        region: region.to_owned(),
        service: service.to_owned(),
        signed_headers: signed.split(';').map(str::to_owned).collect(),
        signature: signature.to_owned(),
    })
}

/// The canonical query string: each name and value decoded, encoded again
/// with the unreserved set, sorted by name then value, `=` always present.
pub fn canonical_query(raw: &str) -> String {
    let enc = |s: &str| {
        let decoded = percent_decode_str(s).decode_utf8_lossy();
        utf8_percent_encode(&decoded, UNRESERVED).to_string()
    };
    let mut pairs: Vec<(String, String)> = raw
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (enc(k), enc(v)),
            None => (enc(p), String::new()),
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A header value as SigV4 canonicalises it: trimmed, inner runs of spaces
/// collapsed to one. Bytes in, bytes out: a value that is not UTF-8 is
/// signed (and compared) exactly as sent.
pub fn canonical_header_value(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    for word in value
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(b' ');
        }
        out.extend_from_slice(word);
    }
    out
}

/// The canonical request, as bytes.
pub fn canonical_request(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, Vec<u8>)],
    signed_headers: &[String],
    payload_hash: &str,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(method.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(if path.is_empty() { "/" } else { path }.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(canonical_query(query).as_bytes());
    out.push(b'\n');
    for (name, value) in headers {
        out.extend_from_slice(name.as_bytes());
        out.push(b':');
        out.extend_from_slice(value);
        out.push(b'\n');
    }
    out.push(b'\n');
    out.extend_from_slice(signed_headers.join(";").as_bytes());
    out.push(b'\n');
    out.extend_from_slice(payload_hash.as_bytes());
    out
}

/// The string to sign.
pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &[u8]) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request)
    )
}

/// The signing key: the HMAC chain over date, region, service and `aws4_request`.
pub fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    hmac(&k_service, b"aws4_request")
}

/// The hex signature of a string to sign.
pub fn signature(key: &[u8; 32], string_to_sign: &str) -> String {
    hex::encode(hmac(key, string_to_sign.as_bytes()))
}

/// Compares two signatures in constant time.
pub fn signatures_equal(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUITE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    fn suite(method: &str, query: &str) -> String {
        let headers = vec![
            ("host".to_owned(), b"example.amazonaws.com".to_vec()),
            ("x-amz-date".to_owned(), b"20150830T123600Z".to_vec()),
        ];
        let signed = vec!["host".to_owned(), "x-amz-date".to_owned()];
        let creq = canonical_request(method, "/", query, &headers, &signed, EMPTY_SHA256);
        let sts = string_to_sign(
            "20150830T123600Z",
            "20150830/us-east-1/service/aws4_request",
            &creq,
        );
        signature(
            &signing_key(SUITE_SECRET, "20150830", "us-east-1", "service"),
            &sts,
        )
    }

    /// AWS's SigV4 test suite: get-vanilla, post-vanilla, get-vanilla-query-order-key-case.
    #[test]
    fn aws_test_suite_vectors() {
        assert_eq!(
            suite("GET", ""),
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
        assert_eq!(
            suite("POST", ""),
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
        );
        assert_eq!(
            suite("GET", "Param2=value2&Param1=value1"),
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        );
    }

    fn s3_doc(path: &str, query: &str, extra: &[(&str, &str)]) -> String {
        let mut headers: Vec<(String, Vec<u8>)> = vec![
            (
                "host".to_owned(),
                b"examplebucket.s3.amazonaws.com".to_vec(),
            ),
            (
                "x-amz-content-sha256".to_owned(),
                EMPTY_SHA256.as_bytes().to_vec(),
            ),
            ("x-amz-date".to_owned(), b"20130524T000000Z".to_vec()),
        ];
        headers.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.as_bytes().to_vec())),
        );
        headers.sort();
        let signed: Vec<String> = headers.iter().map(|(k, _)| k.clone()).collect();
        let creq = canonical_request("GET", path, query, &headers, &signed, EMPTY_SHA256);
        let sts = string_to_sign(
            "20130524T000000Z",
            "20130524/us-east-1/s3/aws4_request",
            &creq,
        );
        signature(
            &signing_key(
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "20130524",
                "us-east-1",
                "s3",
            ),
            &sts,
        )
    }

    /// Amazon S3 API Reference, "Signature Calculations for the Authorization
    /// Header": GET Object, GET Bucket lifecycle, GET Bucket (list objects).
    #[test]
    fn s3_documentation_examples() {
        assert_eq!(
            s3_doc("/test.txt", "", &[("range", "bytes=0-9")]),
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
        assert_eq!(
            s3_doc("/", "lifecycle", &[]),
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"
        );
        assert_eq!(
            s3_doc("/", "max-keys=2&prefix=J", &[]),
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"
        );
    }

    #[test]
    fn header_values_are_canonicalised_as_bytes() {
        assert_eq!(canonical_header_value(b"  a   b\tc "), b"a b c".to_vec());
        assert_eq!(canonical_header_value(b"\xff \xfe"), b"\xff \xfe".to_vec());
        assert_ne!(
            canonical_header_value(b"\xff"),
            canonical_header_value(b"\xfe")
        );
    }

    #[test]
    fn authorization_headers_parse() {
        let h = parse_auth_header("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc")
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            (
                h.access_key_id.as_str(),
                h.service.as_str(),
                h.signed_headers.len()
            ),
            ("AKIDEXAMPLE", "sts", 2)
        );
        assert!(
            parse_auth_header("AWS4-HMAC-SHA256 Credential=A/B, SignedHeaders=host, Signature=x")
                .is_err()
        );
        assert!(parse_auth_header("Basic abc").is_err());
    }
}
