//! An object as the world keeps it: its body, the account that owns it,
//! the canned ACL it was written with and its SSE-KMS key.

use xacct_aws::cloud::{ObjectHeaders, ObjectMeta};

/// An object.
#[derive(Debug, Clone)]
pub(crate) struct Object {
    /// The body, shared between the world's copies.
    pub body: bytes::Bytes,
    /// The account that owns it.
    pub owner: String,
    /// The canned ACL it was written with.
    pub acl: String,
    /// The SSE-KMS key ARN it is encrypted with; `None` for SSE-S3.
    pub kms_key: Option<String>,
    /// Its ETag, quoted.
    pub etag: String,
    /// When it was written (`Last-Modified`).
    pub modified: std::time::SystemTime,
    /// `Content-Type` and the other headers its writer set.
    pub headers: ObjectHeaders,
}

impl Object {
    /// An object of `body`: its ETag is the body's MD5 for SSE-S3, as S3
    /// gives a single-part upload's, and a digest that is not the MD5 for
    /// SSE-KMS (S3 User Guide, "Checking object integrity": the ETag of an
    /// SSE-KMS object is not an MD5 digest of its data), written at
    /// `modified`.
    pub(crate) fn new(
        body: impl Into<bytes::Bytes>,
        owner: &str,
        acl: &str,
        kms_key: Option<String>,
        modified: std::time::SystemTime,
    ) -> Self {
        let body: bytes::Bytes = body.into();
        let etag = match &kms_key {
            None => {
                use md5::Digest as _;
                hex::encode(md5::Md5::digest(&body))
            }
            Some(key) => {
                use sha2::Digest as _;
                let mut hash = sha2::Sha256::new();
                hash.update(key.as_bytes());
                hash.update(&body);
                hex::encode(&hash.finalize()[..16])
            }
        };
        Self {
            body,
            owner: owner.to_owned(),
            acl: acl.to_owned(),
            kms_key,
            etag: format!("\"{etag}\""),
            modified: whole_seconds(modified),
            headers: ObjectHeaders::default(),
        }
    }

    /// The same object with the headers its writer set, the names of its
    /// user-defined metadata in lower case as S3 keeps them ("Amazon S3
    /// stores user-defined metadata keys in lowercase", S3 User Guide,
    /// "Working with object metadata"): an HTTP header's name has no case.
    pub(crate) fn with_headers(self, mut headers: ObjectHeaders) -> Self {
        if headers
            .metadata
            .keys()
            .any(|k| k.bytes().any(|b| b.is_ascii_uppercase()))
        {
            headers.metadata = std::mem::take(&mut headers.metadata)
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect();
        }
        Self { headers, ..self }
    }

    /// The same object with the ETag S3 gave it another way (a multipart
    /// upload's).
    pub(crate) fn with_etag(self, etag: String) -> Self {
        Self { etag, ..self }
    }

    /// Its metadata, as S3's headers give it.
    pub(crate) fn meta(&self) -> ObjectMeta {
        ObjectMeta {
            size: self.body.len() as u64,
            etag: self.etag.clone(),
            kms_key: self.kms_key.clone(),
            last_modified: Some(self.modified),
            range: None,
            headers: Box::new(self.headers.clone()),
            owner: None,
        }
    }
}

/// `at` without its fraction of a second: S3 keeps an object's
/// `LastModified` in whole seconds, so a listing (`2026-01-01T00:00:06.000Z`)
/// and a HEAD (`Thu, 01 Jan 2026 00:00:06 GMT`) say the same time
/// (jeanbmar/s3-sync-client#53: both read 1685740748000 from S3).
pub(super) fn whole_seconds(at: std::time::SystemTime) -> std::time::SystemTime {
    match at.duration_since(std::time::UNIX_EPOCH) {
        Ok(since) => std::time::UNIX_EPOCH + std::time::Duration::from_secs(since.as_secs()),
        Err(_) => at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn an_object_is_written_at_a_whole_second() {
        let at = UNIX_EPOCH + Duration::from_millis(1_767_225_606_821);
        let object = Object::new(&b"x"[..], "owner", "private", None, at);
        assert_eq!(
            object.modified,
            UNIX_EPOCH + Duration::from_secs(1_767_225_606)
        );
    }
}
