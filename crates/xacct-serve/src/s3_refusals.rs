//! What an S3 request asks that the endpoint refuses before the world is
//! asked: an object subresource it does not serve (never taken for the
//! plain object call), and a listing's encoding S3 does not know.

use super::request::param;
use xacct_sim::AwsError;

/// A listing's `encoding-type` other than `url`, refused as S3 refuses
/// it (observed in versity/versitygw#1984 and #2169).
pub(super) fn unknown_encoding(params: &[(String, String)]) -> Option<(AwsError, &'static str)> {
    let value = param(params, "encoding-type").filter(|v| *v != "url")?;
    Some((
        AwsError::new(
            "InvalidArgument",
            400,
            "Invalid Encoding Method specified in Request",
        )
        .with_detail("ArgumentName", "encoding-type")
        .with_detail("ArgumentValue", value),
        "`encoding-type` takes one value, `url`",
    ))
}

/// S3's `NotImplemented`, with why in words for the log.
pub(super) fn not_implemented(why: &'static str) -> (AwsError, &'static str) {
    (
        AwsError::new(
            "NotImplemented",
            501,
            "A header you provided implies functionality that is not implemented",
        ),
        why,
    )
}

/// The S3 operation an object subresource names with this method
/// (`PUT /BUCKET/KEY?tagging` is PutObjectTagging, not PutObject), for the
/// subresources this endpoint does not serve (S3 API Reference, each
/// operation's request syntax). Such a request must not be taken for the
/// plain object call: a tagging document stored as the object, or a
/// DeleteObjectTagging that deletes the object, would lose data.
pub(super) fn object_subresource(
    method: &str,
    params: &[(String, String)],
) -> Option<&'static str> {
    let has = |name: &str| param(params, name).is_some();
    let operation = match method {
        "GET" if has("acl") => "GetObjectAcl",
        "PUT" if has("acl") => "PutObjectAcl",
        "GET" if has("tagging") => "GetObjectTagging",
        "PUT" if has("tagging") => "PutObjectTagging",
        "DELETE" if has("tagging") => "DeleteObjectTagging",
        "GET" if has("attributes") => "GetObjectAttributes",
        "GET" if has("legal-hold") => "GetObjectLegalHold",
        "PUT" if has("legal-hold") => "PutObjectLegalHold",
        "GET" if has("retention") => "GetObjectRetention",
        "PUT" if has("retention") => "PutObjectRetention",
        "GET" if has("torrent") => "GetObjectTorrent",
        "POST" if has("restore") => "RestoreObject",
        "POST" if has("select") => "SelectObjectContent",
        "PUT" if has("renameObject") => "RenameObject",
        _ => return None,
    };
    Some(operation)
}
