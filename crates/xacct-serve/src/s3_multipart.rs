//! S3's multipart upload over REST (`/BUCKET/KEY?uploads`,
//! `?partNumber=N&uploadId=ID`, `?uploadId=ID`): CreateMultipartUpload,
//! UploadPart, UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload and ListParts
//! decoded into the world's [`MultipartCall`] and answered in S3's shapes
//! (S3 API Reference, each operation's request and response syntax).

use super::request::{Incoming, Outgoing, param};
use super::xml_read::{elements, malformed_xml, tag, unescape};
use super::{reply, wire};
use xacct_aws::cloud::{ObjectHeaders, ObjectKey};
use xacct_sim::{AwsError, MultipartAnswer, MultipartCall, PartsPage, RequestId, UploadRef};

/// The multipart call a request on an object makes; `None` when it names
/// none (a plain object call).
pub(super) fn decode(
    req: &Incoming,
    at: &ObjectKey,
    params: &[(String, String)],
) -> Option<Result<MultipartCall, AwsError>> {
    let has = |name: &str| params.iter().any(|(k, _)| k == name);
    if req.method == "POST" && has("uploads") {
        return Some(Ok(MultipartCall::Create {
            at: at.clone(),
            acl: req.header("x-amz-acl"),
            kms_key: req.header("x-amz-server-side-encryption-aws-kms-key-id"),
            headers: ObjectHeaders::from_request(
                |name| req.header(name),
                req.prefixed("x-amz-meta-"),
            ),
        }));
    }
    let upload_id = param(params, "uploadId")?;
    let upload = UploadRef {
        at: at.clone(),
        upload_id: upload_id.to_owned(),
    };
    Some(match req.method.as_str() {
        "PUT" if req.header("x-amz-copy-source").is_some() => {
            let source = req.header("x-amz-copy-source").unwrap_or_default();
            super::s3_objects::copy_source(&source).map(|from| MultipartCall::UploadPartCopy {
                upload,
                part_number: param(params, "partNumber").unwrap_or_default().to_owned(),
                from,
                range: req.header("x-amz-copy-source-range"),
            })
        }
        "PUT" => super::s3_payload::payload(req).map(|body| MultipartCall::UploadPart {
            upload,
            part_number: param(params, "partNumber").unwrap_or_default().to_owned(),
            body,
        }),
        "POST" => parts(&req.body).map(|parts| MultipartCall::Complete { upload, parts }),
        "DELETE" => Ok(MultipartCall::Abort(upload)),
        "GET" => Ok(MultipartCall::ListParts(
            upload,
            PartsPage {
                max_parts: param(params, "max-parts").map(str::to_owned),
                part_number_marker: param(params, "part-number-marker").map(str::to_owned),
            },
        )),
        _ => Err(AwsError::new(
            "MethodNotAllowed",
            405,
            "The specified method is not allowed against this resource.",
        )),
    })
}

/// The parts a `CompleteMultipartUpload` body names, in its order.
fn parts(body: &[u8]) -> Result<Vec<(u32, String)>, AwsError> {
    let xml = std::str::from_utf8(body).map_err(|_| malformed_xml())?;
    elements(xml, "Part")
        .map(|part| {
            let part = part.ok_or_else(malformed_xml)?;
            let number = tag(part, "PartNumber")
                .and_then(|n| n.parse().ok())
                .ok_or_else(malformed_xml)?;
            let etag = tag(part, "ETag").map(unescape).ok_or_else(malformed_xml)?;
            Ok((number, etag))
        })
        .collect()
}

/// The SSE headers of an upload's object.
fn encryption(kms_key: Option<&str>) -> Vec<(&'static str, String)> {
    match kms_key {
        Some(key) => vec![
            ("x-amz-server-side-encryption", "aws:kms".to_owned()),
            (
                "x-amz-server-side-encryption-aws-kms-key-id",
                key.to_owned(),
            ),
        ],
        None => vec![("x-amz-server-side-encryption", "AES256".to_owned())],
    }
}

/// The response to a multipart call's answer.
pub(super) fn encode(
    req: &Incoming,
    id: &RequestId,
    at: &ObjectKey,
    answer: MultipartAnswer,
) -> Outgoing {
    let doc = |name: &str, inner: String| {
        reply::s3(
            *id,
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{name} xmlns=\"{}\">{inner}</{name}>",
                wire::S3_NS
            ),
        )
    };
    let bucket_key = || {
        format!(
            "{}{}",
            wire::element("Bucket", &at.bucket),
            wire::element("Key", &at.key)
        )
    };
    match answer {
        MultipartAnswer::Created { upload_id, kms_key } => {
            let mut out = doc(
                "InitiateMultipartUploadResult",
                format!("{}{}", bucket_key(), wire::element("UploadId", &upload_id)),
            );
            out.headers.extend(encryption(kms_key.as_deref()));
            out
        }
        MultipartAnswer::Part(etag) => reply::s3_headers_only(id, vec![("etag", etag)]),
        MultipartAnswer::Completed(meta) => {
            let host = req.header("host").unwrap_or_default();
            let location = location(&host, at);
            let mut out = doc(
                "CompleteMultipartUploadResult",
                format!(
                    "{}{}{}",
                    wire::element("Location", &location),
                    bucket_key(),
                    wire::element("ETag", &meta.etag)
                ),
            );
            out.headers.extend(encryption(meta.kms_key.as_deref()));
            out
        }
        // In the order of the S3 API Reference's UploadPartCopy example, as
        // CopyObjectResult's.
        MultipartAnswer::PartCopied { etag, modified } => doc(
            "CopyPartResult",
            format!(
                "{}{}",
                wire::element("LastModified", &xacct_aws::timestamp::millis(modified)),
                wire::element("ETag", &etag)
            ),
        ),
        MultipartAnswer::Aborted => reply::s3_no_content(id),
        MultipartAnswer::Parts(list) => {
            let parts = &list.parts;
            let upload_id = param(&super::request::form(req.query.as_bytes()), "uploadId")
                .unwrap_or_default()
                .to_owned();
            let items: String = parts
                .iter()
                .map(|p| {
                    format!(
                        "<Part>{}{}{}{}</Part>",
                        wire::element("PartNumber", &p.number.to_string()),
                        wire::element("LastModified", &xacct_aws::timestamp::millis(p.modified)),
                        wire::element("ETag", &p.etag),
                        wire::element("Size", &p.size.to_string())
                    )
                })
                .collect();
            let last = parts.last().map_or(0, |p| p.number);
            doc(
                "ListPartsResult",
                format!(
                    // In the order of the S3 API Reference's ListParts
                    // example; IDs alone, as S3 sends no DisplayName since
                    // October 2025.
                    "{}{}<Initiator>{}</Initiator><Owner>{}</Owner><StorageClass>STANDARD</StorageClass><PartNumberMarker>{}</PartNumberMarker><NextPartNumberMarker>{last}</NextPartNumberMarker><MaxParts>{}</MaxParts><IsTruncated>{}</IsTruncated>{items}",
                    bucket_key(),
                    wire::element("UploadId", &upload_id),
                    wire::element("ID", &list.initiator),
                    wire::element("ID", &list.owner),
                    list.after,
                    list.max_parts,
                    list.truncated
                ),
            )
        }
    }
}

/// Where a completed upload's object is, as S3 writes it into
/// `Location`: virtual-hosted, the host names the bucket and the path the
/// key; path-style, the path names both.
fn location(host: &str, at: &ObjectKey) -> String {
    match super::s3_host::virtual_bucket(host) {
        Some(bucket) if bucket == at.bucket => {
            format!("http://{host}/{}", wire::location_key(&at.key))
        }
        _ => format!(
            "http://{host}/{}/{}",
            at.bucket,
            wire::location_key(&at.key)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_location_names_the_bucket_once() {
        let at = ObjectKey {
            bucket: "home".to_owned(),
            key: "a b/c".to_owned(),
        };
        assert_eq!(
            location("home.localhost:9000", &at),
            "http://home.localhost:9000/a+b%2Fc"
        );
        assert_eq!(
            location("127.0.0.1:9000", &at),
            "http://127.0.0.1:9000/home/a+b%2Fc"
        );
    }

    #[test]
    fn a_complete_body_is_read_in_its_order() {
        let body = b"<CompleteMultipartUpload><Part><ETag>&quot;a&quot;</ETag><PartNumber>1</PartNumber></Part><Part><PartNumber>2</PartNumber><ETag>\"b\"</ETag></Part></CompleteMultipartUpload>";
        assert_eq!(
            parts(body).ok(),
            Some(vec![(1, "\"a\"".to_owned()), (2, "\"b\"".to_owned())])
        );
        assert!(
            parts(b"<CompleteMultipartUpload><Part><PartNumber>x</PartNumber></Part>").is_err()
        );
    }
}
