//! What a request's preconditions decide, as S3 evaluates them (S3 API
//! Reference, GetObject and PutObject; the order of RFC 9110 13.2.2). A
//! read that If-Match or If-Unmodified-Since refuses is
//! `PreconditionFailed` 412; one that If-None-Match or If-Modified-Since
//! finds unchanged is 304 Not Modified. A write with `If-None-Match: *`
//! over an existing key, or with an `If-Match` the object does not have,
//! is 412, and `If-Match` on a key with no object `NoSuchKey` 404 (S3 User
//! Guide, "How to prevent object overwrites with conditional writes").

use xacct_aws::cloud::{Preconditions, etag_listed};

use super::object::Object;
use crate::aws_error::AwsError;

/// S3's 412, naming the condition that did not hold; a HEAD's answer
/// has no body to name it in.
fn failed(condition: &str, body: bool) -> AwsError {
    if body {
        AwsError::new(
            "PreconditionFailed",
            412,
            "At least one of the pre-conditions you specified did not hold",
        )
        .with_detail("Condition", condition)
    } else {
        AwsError::new("PreconditionFailed", 412, "Precondition Failed")
    }
}

/// 304: the object is as the client has it; the validators a 200 would
/// have sent come along (RFC 9110 15.4.5).
fn not_modified(object: &Object) -> AwsError {
    AwsError::new("NotModified", 304, "Not Modified")
        .with_header("etag", &object.etag)
        .with_header(
            "last-modified",
            &xacct_aws::timestamp::http_date(object.modified),
        )
}

/// A read's preconditions against the object it reads: `Ok` to read it,
/// else S3's answer and why in words.
pub(super) fn read(
    when: &Preconditions,
    object: &Object,
    body: bool,
) -> Result<(), Box<(AwsError, String)>> {
    let unmet = |error: AwsError, reason: String| Err(Box::new((error, reason)));
    if let Some(list) = &when.if_match {
        if !etag_listed(list, &object.etag) {
            let reason = format!(
                "If-Match `{list}` does not name the object's ETag {}",
                object.etag
            );
            return unmet(failed("If-Match", body), reason);
        }
    } else if let Some(since) = when.if_unmodified_since
        && object.modified > since
    {
        let reason = "the object was written after If-Unmodified-Since".to_owned();
        return unmet(failed("If-Unmodified-Since", body), reason);
    }
    if let Some(list) = &when.if_none_match {
        if etag_listed(list, &object.etag) {
            let reason =
                format!("If-None-Match `{list}` names the object's ETag, so it is not sent again");
            return unmet(not_modified(object), reason);
        }
    } else if let Some(since) = when.if_modified_since
        && object.modified <= since
    {
        let reason = "the object was not written after If-Modified-Since, so it is not sent again"
            .to_owned();
        return unmet(not_modified(object), reason);
    }
    Ok(())
}

/// A write's preconditions against the object now under its key (decided
/// under the store's lock, so two writers with `If-None-Match: *` cannot
/// both win).
pub(super) fn write(
    when: &Preconditions,
    key: &str,
    existing: Option<&Object>,
) -> Result<(), AwsError> {
    if let Some(list) = &when.if_none_match {
        if list.trim() != "*" {
            return Err(AwsError::new(
                "NotImplemented",
                501,
                "A header you provided implies functionality that is not implemented",
            )
            .with_detail("Header", "If-None-Match"));
        }
        if existing.is_some() {
            return Err(failed("If-None-Match", true));
        }
    }
    if let Some(list) = &when.if_match {
        match existing {
            None => {
                return Err(
                    AwsError::new("NoSuchKey", 404, "The specified key does not exist.")
                        .with_detail("Key", key),
                );
            }
            Some(object) if !etag_listed(list, &object.etag) => {
                return Err(failed("If-Match", true));
            }
            Some(_) => {}
        }
    }
    Ok(())
}
