//! S3's multipart upload over REST (`/BUCKET/KEY?uploads`,
//! `?partNumber=N&uploadId=ID`, `?uploadId=ID`): CreateMultipartUpload,
//! UploadPart, UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload and ListParts
//! decoded into the world's [`MultipartCall`], and a bucket's
//! ListMultipartUploads (`GET /BUCKET?uploads`), answered in S3's shapes
//! (S3 API Reference, each operation's request and response syntax).

use super::request::{Incoming, Outgoing, param};
use super::xml_read::{elements, malformed_xml, tag, unescape};
use super::{reply, wire};
use xacct_aws::cloud::{ObjectHeaders, ObjectKey};
use xacct_sim::{
    AwsError, MultipartAnswer, MultipartCall, PartsPage, RequestId, UploadListing, UploadPage,
    UploadRef,
};

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
        "PUT" if let Some(source) = req.header("x-amz-copy-source") => {
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
        MultipartAnswer::Part(etag) => {
            let mut headers = reply::s3_ids(id);
            headers.push(("etag", etag));
            Outgoing {
                user_headers: Vec::new(),
                bytes: None,
                status: 200,
                headers,
                body: String::new(),
            }
        }
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

/// What a ListMultipartUploads answer echoes: the bucket, the listing
/// asked for, and `encoding-type=url`.
#[derive(Debug, Clone)]
pub(super) struct UploadsEcho {
    /// The bucket.
    pub bucket: String,
    /// The listing asked for.
    pub listing: UploadListing,
    /// `encoding-type=url`.
    pub url: bool,
}

impl UploadsEcho {
    /// The listing a `GET /BUCKET?uploads` asks for.
    pub(super) fn of(bucket: &str, params: &[(String, String)]) -> Self {
        let text = |name: &str| param(params, name).map(str::to_owned);
        Self {
            bucket: bucket.to_owned(),
            listing: UploadListing {
                prefix: text("prefix"),
                delimiter: text("delimiter"),
                max_uploads: text("max-uploads"),
                key_marker: text("key-marker"),
                upload_id_marker: text("upload-id-marker"),
            },
            url: param(params, "encoding-type") == Some("url"),
        }
    }
}

/// The `ListMultipartUploadsResult` of one page, in the order of the S3
/// API Reference's ListMultipartUploads examples: the markers echoed,
/// `NextKeyMarker` and `NextUploadIdMarker` always (the last upload taken
/// in, empty on a page of none: versity/versitygw#2144 on what S3
/// answers), `Delimiter` only when asked, `Prefix` always. Under
/// `encoding-type=url` the names S3 encodes are encoded (`Delimiter`,
/// `KeyMarker`, `Prefix`, `NextKeyMarker`, `Key`, and the common
/// prefixes); the IDs alone, as in ListParts.
pub(super) fn list_uploads(echo: &UploadsEcho, page: &UploadPage) -> String {
    let name = |text: &str| wire::listed_name(text, echo.url);
    let asked = &echo.listing;
    let (next_key, next_id) = page
        .last
        .as_ref()
        .map_or(("", ""), |(key, id)| (key.as_str(), id.as_str()));
    let uploads: String = page
        .uploads
        .iter()
        .map(|u| {
            format!(
                "<Upload>{}{}<Initiator>{}</Initiator><Owner>{}</Owner><StorageClass>STANDARD</StorageClass>{}</Upload>",
                wire::element("Key", &name(&u.key)),
                wire::element("UploadId", &u.upload_id),
                wire::element("ID", &u.initiator),
                wire::element("ID", &u.owner),
                wire::element("Initiated", &xacct_aws::timestamp::millis(u.initiated)),
            )
        })
        .collect();
    let common = wire::common_prefixes(&page.common_prefixes, echo.url);
    let delimiter = asked
        .delimiter
        .as_deref()
        .map(|d| wire::element("Delimiter", &name(d)))
        .unwrap_or_default();
    let encoding = if echo.url {
        "<EncodingType>url</EncodingType>"
    } else {
        ""
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListMultipartUploadsResult xmlns=\"{}\">{}{}{}{}{}{delimiter}{}<MaxUploads>{}</MaxUploads>{encoding}<IsTruncated>{}</IsTruncated>{uploads}{common}</ListMultipartUploadsResult>",
        wire::S3_NS,
        wire::element("Bucket", &echo.bucket),
        wire::element(
            "KeyMarker",
            &name(asked.key_marker.as_deref().unwrap_or_default())
        ),
        wire::element(
            "UploadIdMarker",
            asked.upload_id_marker.as_deref().unwrap_or_default()
        ),
        wire::element("NextKeyMarker", &name(next_key)),
        wire::element("NextUploadIdMarker", next_id),
        wire::element("Prefix", &name(asked.prefix.as_deref().unwrap_or_default())),
        page.max_uploads,
        page.truncated,
    )
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
