//! S3's object operations over REST (path-style `/BUCKET/KEY`): GetObject
//! (with `Range`), HeadObject, PutObject and DeleteObject decoded into the
//! world's [`ObjectCall`] and its answer encoded with S3's headers (S3 API
//! Reference, each operation's request and response syntax). Which bytes a
//! range selects, and whether it selects any, is the world's to say.

use super::reply;
use super::request::{Incoming, Outgoing};
use xacct_aws::cloud::{
    ByteRange, ObjectAnswer, ObjectCall, ObjectCopy, ObjectGet, ObjectHeaders, ObjectKey,
    ObjectMeta, ObjectPut, Preconditions,
};
use xacct_sim::{AwsError, RequestId};

/// The bucket and key of a path-style object path, percent-decoded;
/// `None` for a path with no key.
pub(super) fn object_path(path: &str) -> Option<ObjectKey> {
    let (bucket, key) = path.strip_prefix('/')?.split_once('/')?;
    if bucket.is_empty() || key.is_empty() {
        return None;
    }
    let key = percent_encoding::percent_decode_str(key)
        .decode_utf8()
        .ok()?
        .into_owned();
    Some(ObjectKey {
        bucket: bucket.to_owned(),
        key,
    })
}

/// The object `x-amz-copy-source` names: `BUCKET/KEY` or `/BUCKET/KEY`,
/// URL-encoded, maybe with `?versionId=`; S3's refusal of anything else.
pub(super) fn copy_source(source: &str) -> Result<ObjectKey, AwsError> {
    let source = source.split('?').next().unwrap_or_default();
    object_path(&format!("/{}", source.trim_start_matches('/'))).ok_or_else(|| {
        AwsError::new(
            "InvalidArgument",
            400,
            "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
        )
        .with_detail("ArgumentName", "x-amz-copy-source")
        .with_detail("ArgumentValue", source)
    })
}

/// A request's `If-*` headers. A date that is not an HTTP-date is
/// ignored, as RFC 9110 13.1.3 and 13.1.4 ask.
fn preconditions(req: &Incoming) -> Preconditions {
    let date = |name: &str| {
        req.header(name)
            .and_then(|text| httpdate::parse_http_date(&text).ok())
    };
    Preconditions {
        if_match: req.header("if-match"),
        if_none_match: req.header("if-none-match"),
        if_modified_since: date("if-modified-since"),
        if_unmodified_since: date("if-unmodified-since"),
    }
}

/// The object call a request makes, or S3's error for one it cannot make.
pub(super) fn decode(req: &Incoming, at: ObjectKey) -> Result<ObjectCall, AwsError> {
    let read = |at| ObjectGet {
        at,
        range: req.header("range").and_then(|h| ByteRange::parse(&h)),
        when: preconditions(req),
    };
    match req.method.as_str() {
        "GET" => Ok(ObjectCall::Get(read(at))),
        "HEAD" => Ok(ObjectCall::Head(read(at))),
        "DELETE" => Ok(ObjectCall::Delete(at)),
        "PUT" if req.header("x-amz-copy-source").is_some() => {
            let from = copy_source(&req.header("x-amz-copy-source").unwrap_or_default())?;
            Ok(ObjectCall::Copy(ObjectCopy {
                from,
                to: ObjectPut {
                    at,
                    body: bytes::Bytes::new(),
                    acl: req.header("x-amz-acl"),
                    kms_key: req.header("x-amz-server-side-encryption-aws-kms-key-id"),
                    when: Preconditions::default(),
                    headers: ObjectHeaders::from_request(
                        |name| req.header(name),
                        req.prefixed("x-amz-meta-"),
                    ),
                },
                replace_metadata: req
                    .header("x-amz-metadata-directive")
                    .is_some_and(|d| d.eq_ignore_ascii_case("REPLACE")),
            }))
        }
        "PUT" => {
            let body = super::s3_payload::payload(req)?;
            Ok(ObjectCall::Put(ObjectPut {
                at,
                body,
                acl: req.header("x-amz-acl"),
                kms_key: req.header("x-amz-server-side-encryption-aws-kms-key-id"),
                when: preconditions(req),
                headers: ObjectHeaders::from_request(
                    |name| req.header(name),
                    req.prefixed("x-amz-meta-"),
                ),
            }))
        }
        _ => Err(AwsError::new(
            "MethodNotAllowed",
            405,
            "The specified method is not allowed against this resource.",
        )),
    }
}

/// The headers S3 sends about an object.
fn meta_headers(id: &RequestId, meta: &ObjectMeta) -> Vec<(&'static str, String)> {
    let mut headers = reply::s3_ids(id);
    headers.push((
        "last-modified",
        xacct_aws::timestamp::http_date(super::wire::last_modified(meta)),
    ));
    headers.push(("etag", meta.etag.clone()));
    match &meta.kms_key {
        Some(key) => {
            headers.push(("x-amz-server-side-encryption", "aws:kms".to_owned()));
            headers.push(("x-amz-server-side-encryption-aws-kms-key-id", key.clone()));
        }
        None => headers.push(("x-amz-server-side-encryption", "AES256".to_owned())),
    }
    headers
}

/// A read's answer (GetObject's body or HeadObject's nothing): 206 with
/// `Content-Range` for a part, 200 for the whole.
fn read(id: &RequestId, meta: &ObjectMeta, bytes: Option<bytes::Bytes>) -> Outgoing {
    let mut headers = meta_headers(id, meta);
    // What the writer set, `Content-Type` S3's default when it set none.
    for (name, value) in meta.headers.pairs() {
        match (name, value) {
            (_, Some(value)) => headers.push((name, value.to_owned())),
            ("content-type", None) => headers.push((name, "binary/octet-stream".to_owned())),
            _ => {}
        }
    }
    headers.push(("accept-ranges", "bytes".to_owned()));
    if let Some(part) = meta.range {
        headers.push(("content-range", part.to_string()));
    }
    if bytes.is_none() {
        // HEAD: the length the GET would send.
        let length = meta.range.map_or(meta.size, |p| p.last - p.first + 1);
        headers.push(("content-length", length.to_string()));
    }
    Outgoing {
        user_headers: meta
            .headers
            .metadata
            .iter()
            .map(|(name, value)| (format!("x-amz-meta-{name}"), value.clone()))
            .collect(),
        bytes,
        status: if meta.range.is_some() { 206 } else { 200 },
        headers,
        body: String::new(),
    }
}

/// The response to an object call's answer.
pub(super) fn encode(id: &RequestId, answer: ObjectAnswer) -> Outgoing {
    match answer {
        ObjectAnswer::Body(body, meta) => read(id, &meta, Some(body)),
        ObjectAnswer::Meta(meta) => read(id, &meta, None),
        ObjectAnswer::Stored(meta) => Outgoing {
            user_headers: Vec::new(),
            bytes: None,
            status: 200,
            headers: meta_headers(id, &meta),
            body: String::new(),
        },
        ObjectAnswer::Copied(meta) => Outgoing {
            user_headers: Vec::new(),
            bytes: None,
            status: 200,
            headers: meta_headers(id, &meta),
            body: format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyObjectResult xmlns=\"{}\">{}{}</CopyObjectResult>",
                super::wire::S3_NS,
                super::wire::element(
                    "LastModified",
                    &xacct_aws::timestamp::millis(super::wire::last_modified(&meta)),
                ),
                super::wire::element("ETag", &meta.etag),
            ),
        },
        ObjectAnswer::Deleted => reply::s3_no_content(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_names_a_bucket_and_a_decoded_key() {
        let at = object_path("/b/reports/2026%2001.csv");
        assert_eq!(
            at.map(|a| (a.bucket, a.key)),
            Some(("b".to_owned(), "reports/2026 01.csv".to_owned()))
        );
        assert!(object_path("/b/").is_none());
        assert!(object_path("/b").is_none());
    }
}
