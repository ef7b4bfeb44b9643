//! S3's object operations over REST (path-style `/BUCKET/KEY`): GetObject
//! (with `Range`), HeadObject, PutObject and DeleteObject decoded into the
//! world's [`ObjectCall`] and its answer encoded with S3's headers (S3 API
//! Reference, each operation's request and response syntax).

use super::reply;
use super::request::{Incoming, Outgoing};
use xacct_aws::cloud::{ObjectAnswer, ObjectCall, ObjectCopy, ObjectKey, ObjectMeta, ObjectPut};
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

/// The object call a request makes, or S3's error for one it cannot make.
pub(super) fn decode(req: &Incoming, at: ObjectKey) -> Result<ObjectCall, AwsError> {
    match req.method.as_str() {
        "GET" => Ok(ObjectCall::Get(at)),
        "HEAD" => Ok(ObjectCall::Head(at)),
        "DELETE" => Ok(ObjectCall::Delete(at)),
        "PUT" if req.header("x-amz-copy-source").is_some() => {
            let source = req.header("x-amz-copy-source").unwrap_or_default();
            // `BUCKET/KEY` or `/BUCKET/KEY`, URL-encoded, maybe `?versionId=`.
            let source = source.split('?').next().unwrap_or_default();
            let from = object_path(&format!("/{}", source.trim_start_matches('/'))).ok_or_else(|| {
                AwsError::new("InvalidArgument", 400, "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
                    .with_detail("ArgumentName", "x-amz-copy-source")
                    .with_detail("ArgumentValue", source)
            })?;
            Ok(ObjectCall::Copy(ObjectCopy {
                from,
                to: ObjectPut {
                    at,
                    body: bytes::Bytes::new(),
                    acl: req.header("x-amz-acl"),
                    kms_key: req.header("x-amz-server-side-encryption-aws-kms-key-id"),
                },
            }))
        }
        "PUT" => {
            let body = super::s3_payload::payload(req)?;
            Ok(ObjectCall::Put(ObjectPut {
                at,
                body,
                acl: req.header("x-amz-acl"),
                kms_key: req.header("x-amz-server-side-encryption-aws-kms-key-id"),
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

/// A `Range: bytes=A-B` (or `A-`, or `-N`) over `len` bytes: the
/// inclusive start and end, `None` without a range, an error when it
/// cannot be satisfied.
fn range(header: Option<&str>, len: usize) -> Result<Option<(usize, usize)>, AwsError> {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Ok(None);
    };
    let unsatisfiable = || {
        AwsError::new(
            "InvalidRange",
            416,
            "The requested range is not satisfiable",
        )
    };
    let (a, b) = spec.split_once('-').ok_or_else(unsatisfiable)?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: usize = n.parse().map_err(|_| unsatisfiable())?;
            (
                len.saturating_sub(n),
                len.checked_sub(1).ok_or_else(unsatisfiable)?,
            )
        }
        (a, "") => (
            a.parse().map_err(|_| unsatisfiable())?,
            len.saturating_sub(1),
        ),
        (a, b) => (
            a.parse().map_err(|_| unsatisfiable())?,
            b.parse::<usize>()
                .map_err(|_| unsatisfiable())?
                .min(len.saturating_sub(1)),
        ),
    };
    if start >= len || start > end {
        return Err(unsatisfiable());
    }
    Ok(Some((start, end)))
}

/// The response to an object call's answer.
pub(super) fn encode(
    req: &Incoming,
    id: &RequestId,
    answer: ObjectAnswer,
) -> Result<Outgoing, AwsError> {
    Ok(match answer {
        ObjectAnswer::Body(body, meta) => {
            let mut headers = meta_headers(id, &meta);
            headers.push(("content-type", "binary/octet-stream".to_owned()));
            headers.push(("accept-ranges", "bytes".to_owned()));
            let (status, data) = match range(req.header("range").as_deref(), body.len())? {
                Some((start, end)) => {
                    headers.push((
                        "content-range",
                        format!("bytes {start}-{end}/{}", body.len()),
                    ));
                    (206, body.slice(start..=end))
                }
                None => (200, body),
            };
            Outgoing {
                bytes: Some(data),
                status,
                headers,
                body: String::new(),
            }
        }
        ObjectAnswer::Meta(meta) => {
            let mut headers = meta_headers(id, &meta);
            headers.push(("content-type", "binary/octet-stream".to_owned()));
            headers.push(("content-length", meta.size.to_string()));
            Outgoing {
                bytes: None,
                status: 200,
                headers,
                body: String::new(),
            }
        }
        ObjectAnswer::Stored(meta) => Outgoing {
            bytes: None,
            status: 200,
            headers: meta_headers(id, &meta),
            body: String::new(),
        },
        ObjectAnswer::Copied(meta) => Outgoing {
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_as_s3_reads_them() {
        assert_eq!(range(Some("bytes=0-4"), 10).ok(), Some(Some((0, 4))));
        assert_eq!(range(Some("bytes=5-"), 10).ok(), Some(Some((5, 9))));
        assert_eq!(range(Some("bytes=-3"), 10).ok(), Some(Some((7, 9))));
        assert_eq!(range(Some("bytes=2-99"), 10).ok(), Some(Some((2, 9))));
        assert!(range(Some("bytes=10-12"), 10).is_err());
        assert_eq!(range(None, 10).ok(), Some(None));
    }

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
