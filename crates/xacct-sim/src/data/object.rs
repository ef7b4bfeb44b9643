//! An object as the world keeps it: its body, the account that owns it,
//! the canned ACL it was written with and its SSE-KMS key.

use xacct_aws::cloud::ObjectMeta;

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
            modified,
        }
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
        }
    }
}
