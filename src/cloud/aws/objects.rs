//! Object calls through the SDK's S3 client, each signed with the caller's
//! own credentials like every other call of [`AwsCloud`].

use aws_sdk_s3 as s3;
use aws_sdk_s3::primitives::DateTime;

use super::errors::from_sdk;
use super::{AwsCloud, s3_as};
use crate::cloud::{
    CloudError, ContentRange, Credentials, ObjectAnswer, ObjectCall, ObjectHeaders, ObjectMeta,
    Operation, S3Objects,
};

/// What `x-amz-copy-source` escapes in a key: all but unreserved
/// characters and `/`.
const COPY_SOURCE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// The metadata S3's headers give, as the SDK read them (`Last-Modified`
/// where the answer has it: GetObject's and HeadObject's).
fn meta(size: Option<i64>, etag: Option<&str>, kms_key: Option<&str>) -> ObjectMeta {
    ObjectMeta {
        size: size.and_then(|s| u64::try_from(s).ok()).unwrap_or_default(),
        etag: etag.unwrap_or_default().to_owned(),
        kms_key: kms_key.map(str::to_owned),
        last_modified: None,
        range: None,
        headers: Box::default(),
        owner: None,
    }
}

/// The headers kept with the object, as GetObject's or HeadObject's
/// answer gives them.
macro_rules! kept_headers {
    ($out:expr) => {
        ObjectHeaders {
            content_type: $out.content_type().map(str::to_owned),
            cache_control: $out.cache_control().map(str::to_owned),
            content_disposition: $out.content_disposition().map(str::to_owned),
            content_encoding: $out.content_encoding().map(str::to_owned),
            content_language: $out.content_language().map(str::to_owned),
            expires: $out.expires_string().map(str::to_owned),
            metadata: $out
                .metadata()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
        }
    };
}

/// A PutObject or CopyObject request that sets `headers` on the object.
macro_rules! with_headers {
    ($request:expr, $headers:expr) => {{
        let headers: &ObjectHeaders = $headers;
        $request
            .set_content_type(headers.content_type.clone())
            .set_cache_control(headers.cache_control.clone())
            .set_content_disposition(headers.content_disposition.clone())
            .set_content_encoding(headers.content_encoding.clone())
            .set_content_language(headers.content_language.clone())
            .set_metadata((!headers.metadata.is_empty()).then(|| {
                headers
                    .metadata
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            }))
            .set_expires(headers.expires.as_deref().and_then(|text| {
                DateTime::from_str(text, aws_smithy_types::date_time::Format::HttpDate).ok()
            }))
    }};
}

/// A read's metadata: a part's `Content-Length` is the part's, so the
/// object's size is after the `/` of its `Content-Range`.
fn read_meta(
    headers: ObjectMeta,
    content_range: Option<&str>,
    last_modified: Option<&aws_smithy_types::DateTime>,
) -> ObjectMeta {
    let range = content_range.and_then(ContentRange::parse);
    ObjectMeta {
        size: range.map_or(headers.size, |r| r.size),
        last_modified: modified(last_modified),
        range,
        ..headers
    }
}

/// `Last-Modified` as a time.
fn modified(at: Option<&aws_smithy_types::DateTime>) -> Option<std::time::SystemTime> {
    at.and_then(|t| std::time::SystemTime::try_from(*t).ok())
}

/// An answer with no body has no error code (a HEAD's, or a 304 Not
/// Modified): name it by its status as S3's HTTP reason phrase does
/// (`BadRequest`, `Forbidden`, `NotFound`, `NotModified`), or as
/// GetObject's code does
/// (`PreconditionFailed`, `InvalidRange`).
fn bodiless_error(mut err: CloudError) -> CloudError {
    if err.code.is_none() {
        err.code = match err.status {
            Some(403) => Some("Forbidden".to_owned()),
            Some(404) => Some("NotFound".to_owned()),
            Some(304) => Some("NotModified".to_owned()),
            Some(400) => Some("BadRequest".to_owned()),
            Some(412) => Some("PreconditionFailed".to_owned()),
            Some(416) => Some("InvalidRange".to_owned()),
            _ => None,
        };
    }
    err
}

impl S3Objects for AwsCloud {
    async fn object(
        &self,
        caller: &Credentials,
        call: &ObjectCall,
    ) -> Result<ObjectAnswer, CloudError> {
        let operation = call.operation();
        let at = call.at();
        match call {
            ObjectCall::Get(get) => {
                let out = send_as!(
                    self.s3
                        .get_object()
                        .bucket(&at.bucket)
                        .key(&at.key)
                        .set_range(get.range.map(|r| r.to_string()))
                        .set_if_match(get.when.if_match.clone())
                        .set_if_none_match(get.when.if_none_match.clone())
                        .set_if_modified_since(get.when.if_modified_since.map(DateTime::from))
                        .set_if_unmodified_since(get.when.if_unmodified_since.map(DateTime::from)),
                    s3_as(caller)
                )
                .map_err(|e| bodiless_error(from_sdk(operation, e)))?;
                let meta = ObjectMeta {
                    headers: Box::new(kept_headers!(out)),
                    ..read_meta(
                        meta(out.content_length(), out.e_tag(), out.ssekms_key_id()),
                        out.content_range(),
                        out.last_modified(),
                    )
                };
                let body = out.body.collect().await.map_err(|e| {
                    CloudError::local(
                        Operation::GetObject,
                        crate::cloud::ErrorClass::Unavailable,
                        format!("the object's body could not be read: {e}"),
                    )
                })?;
                Ok(ObjectAnswer::Body(body.into_bytes(), meta))
            }
            ObjectCall::Head(head) => {
                let out = send_as!(
                    self.s3
                        .head_object()
                        .bucket(&at.bucket)
                        .key(&at.key)
                        .set_range(head.range.map(|r| r.to_string()))
                        .set_if_match(head.when.if_match.clone())
                        .set_if_none_match(head.when.if_none_match.clone())
                        .set_if_modified_since(head.when.if_modified_since.map(DateTime::from))
                        .set_if_unmodified_since(head.when.if_unmodified_since.map(DateTime::from)),
                    s3_as(caller)
                )
                .map_err(|e| bodiless_error(from_sdk(operation, e)))?;
                Ok(ObjectAnswer::Meta(ObjectMeta {
                    headers: Box::new(kept_headers!(out)),
                    ..read_meta(
                        meta(out.content_length(), out.e_tag(), out.ssekms_key_id()),
                        out.content_range(),
                        out.last_modified(),
                    )
                }))
            }
            ObjectCall::Put(put) => {
                let request = self
                    .s3
                    .put_object()
                    .bucket(&at.bucket)
                    .key(&at.key)
                    .body(s3::primitives::ByteStream::from(put.body.clone()))
                    .set_if_match(put.when.if_match.clone())
                    .set_if_none_match(put.when.if_none_match.clone());
                let mut request = with_headers!(request, &put.headers);
                if let Some(acl) = &put.acl {
                    request = request.acl(s3::types::ObjectCannedAcl::from(acl.as_str()));
                }
                if let Some(key) = &put.kms_key {
                    request = request
                        .server_side_encryption(s3::types::ServerSideEncryption::AwsKms)
                        .ssekms_key_id(key);
                }
                let out = send_as!(request, s3_as(caller)).map_err(|e| from_sdk(operation, e))?;
                Ok(ObjectAnswer::Stored(meta(
                    i64::try_from(put.body.len()).ok(),
                    out.e_tag(),
                    out.ssekms_key_id(),
                )))
            }
            ObjectCall::Copy(copy) => {
                let source = format!(
                    "{}/{}",
                    copy.from.bucket,
                    percent_encoding::utf8_percent_encode(&copy.from.key, COPY_SOURCE)
                );
                let mut request = self
                    .s3
                    .copy_object()
                    .bucket(&at.bucket)
                    .key(&at.key)
                    .copy_source(source);
                if let Some(acl) = &copy.to.acl {
                    request = request.acl(s3::types::ObjectCannedAcl::from(acl.as_str()));
                }
                if let Some(key) = &copy.to.kms_key {
                    request = request
                        .server_side_encryption(s3::types::ServerSideEncryption::AwsKms)
                        .ssekms_key_id(key);
                }
                if copy.replace_metadata {
                    request = with_headers!(
                        request.metadata_directive(s3::types::MetadataDirective::Replace),
                        &copy.to.headers
                    );
                }
                let out = send_as!(request, s3_as(caller)).map_err(|e| from_sdk(operation, e))?;
                let etag = out.copy_object_result().and_then(|r| r.e_tag());
                Ok(ObjectAnswer::Copied(meta(None, etag, out.ssekms_key_id())))
            }
            ObjectCall::Delete(_) => {
                send_as!(
                    self.s3.delete_object().bucket(&at.bucket).key(&at.key),
                    s3_as(caller)
                )
                .map_err(|e| from_sdk(operation, e))?;
                Ok(ObjectAnswer::Deleted)
            }
        }
    }

    async fn set_bucket_policy(
        &self,
        caller: &Credentials,
        bucket: &str,
        policy: Option<&str>,
    ) -> Result<(), CloudError> {
        let operation = Operation::PutBucketPolicy;
        match policy {
            Some(text) => send_as!(
                self.s3.put_bucket_policy().bucket(bucket).policy(text),
                s3_as(caller)
            )
            .map(|_| ())
            .map_err(|e| from_sdk(operation, e)),
            None => send_as!(self.s3.delete_bucket_policy().bucket(bucket), s3_as(caller))
                .map(|_| ())
                .map_err(|e| from_sdk(operation, e)),
        }
    }
}
