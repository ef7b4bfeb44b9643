//! S3's refusals of an object call, worded as S3 words them: a bucket no
//! account owns, a HEAD's bodiless error, a range that selects nothing, a
//! key longer than S3 takes, more user-defined metadata than S3 keeps, a
//! copy onto itself that changes nothing.

use crate::answer::Why;
use crate::aws_error::AwsError;
use xacct_aws::cloud::{ByteRange, ContentRange, ObjectHeaders};

/// S3's answer to a bucket no account owns.
pub(super) fn no_such_bucket(bucket: &str) -> (AwsError, Why) {
    (
        AwsError::new("NoSuchBucket", 404, "The specified bucket does not exist")
            .with_detail("BucketName", bucket),
        Why::rule(format!("no account of the world owns a bucket `{bucket}`")),
    )
}

/// HeadObject's refusal: a HEAD answer has no body, so SDKs report the
/// status text (`Forbidden`, `Not Found`, and for a range that selects
/// nothing GetObject's code, `InvalidRange`).
pub(super) fn head_error(status: u16) -> AwsError {
    match status {
        404 => AwsError::new("NotFound", 404, "Not Found"),
        416 => AwsError::new("InvalidRange", 416, "Range Not Satisfiable"),
        _ => AwsError::new("Forbidden", 403, "Forbidden"),
    }
}

/// The answer to a range that selects no byte of the object. GetObject's
/// body has the details S3 adds (as observed from S3: `RangeRequested` and
/// `ActualObjectSize` after the message); HeadObject's has no body. Both
/// say the size in `Content-Range: bytes */SIZE`, as RFC 9110 15.5.17 asks
/// and S3 sends (chimera-nas/chimera#704, matching S3).
pub(super) fn invalid_range(range: ByteRange, size: u64, body: bool) -> AwsError {
    let error = if body {
        AwsError::new(
            "InvalidRange",
            416,
            "The requested range is not satisfiable",
        )
        .with_detail("RangeRequested", &range.to_string())
        .with_detail("ActualObjectSize", &size.to_string())
    } else {
        head_error(416)
    };
    error.with_header("content-range", &ContentRange::unsatisfied(size))
}

/// The most bytes of UTF-8 a key may have (S3 User Guide, "Naming Amazon
/// S3 objects": "up to 1,024 bytes long").
const MAX_KEY_BYTES: usize = 1024;

/// S3's refusal of a request naming a longer key: `KeyTooLongError` 400
/// with the key's size and the limit (captured from S3 in
/// basho/riak_cs#1233); a HEAD's answer has no body to carry them.
pub(super) fn key_too_long(key: &str, body: bool) -> Option<(AwsError, Why)> {
    let size = key.len();
    if size <= MAX_KEY_BYTES {
        return None;
    }
    let error = if body {
        AwsError::new("KeyTooLongError", 400, "Your key is too long")
            .with_detail("Size", &size.to_string())
            .with_detail("MaxSizeAllowed", &MAX_KEY_BYTES.to_string())
    } else {
        AwsError::new("BadRequest", 400, "Bad Request")
    };
    let why = Why::rule(format!(
        "the key is {size} bytes of UTF-8, and S3 takes keys of at most {MAX_KEY_BYTES}"
    ));
    Some((error, why))
}

/// The most bytes user-defined metadata may have, names and values
/// together: "the user-defined metadata is limited to 2 KB in size. The
/// size of user-defined metadata is measured by taking the sum of the
/// number of bytes in the UTF-8 encoding of each key and value" (S3 User
/// Guide, "Working with object metadata"); a KB taken as 1,024 bytes, and
/// a value counted as stored, its encoded words decoded.
const MAX_METADATA_BYTES: usize = 2048;

/// S3's refusal of a write whose user-defined metadata is larger than S3
/// keeps: `MetadataTooLarge` 400 (S3 API Reference, "Error responses":
/// "Your metadata headers exceed the maximum allowed metadata size.").
pub(super) fn metadata_too_large(headers: &ObjectHeaders) -> Option<(AwsError, Why)> {
    let size: usize = headers
        .metadata
        .iter()
        .map(|(name, value)| name.len() + super::meta_words::stored(value).len())
        .sum();
    if size <= MAX_METADATA_BYTES {
        return None;
    }
    let error = AwsError::new(
        "MetadataTooLarge",
        400,
        "Your metadata headers exceed the maximum allowed metadata size.",
    );
    let why = Why::rule(format!(
        "the user-defined metadata is {size} bytes of names and values, and S3 keeps at most {MAX_METADATA_BYTES}"
    ));
    Some((error, why))
}

/// S3's refusal of a CopyObject onto its own source that changes
/// nothing (as AWS words it, quoted in iterate-ch/cyberduck#11849).
pub(super) fn copy_onto_itself() -> AwsError {
    AwsError::new(
        "InvalidRequest",
        400,
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    )
}
