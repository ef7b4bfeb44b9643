//! Object calls across the seam: what a run's data steps and `xacct run
//! --get/--put` ask of S3, and what S3 answers, in the product's own types.

use std::collections::BTreeMap;
use std::future::Future;

use super::byte_range::{ByteRange, ContentRange};
use super::error::{CloudError, Operation};
use super::preconditions::Preconditions;
use super::types::Credentials;

/// One object call of S3.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectCall {
    /// `s3:GetObject`.
    Get(ObjectGet),
    /// `s3:HeadObject` (authorized as `s3:GetObject`).
    Head(ObjectGet),
    /// `s3:PutObject`.
    Put(ObjectPut),
    /// `s3:DeleteObject`.
    Delete(ObjectKey),
    /// `s3:CopyObject`: read as `s3:GetObject` on the source, written as
    /// `s3:PutObject` on the destination.
    Copy(ObjectCopy),
}

/// CopyObject's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectCopy {
    /// The source object (`x-amz-copy-source`).
    pub from: ObjectKey,
    /// The destination, its ACL and SSE-KMS key (as PutObject's).
    pub to: ObjectPut,
    /// `x-amz-metadata-directive: REPLACE`: the copy takes the request's
    /// metadata instead of the source's, which is what lets an object be
    /// copied onto itself.
    pub replace_metadata: bool,
}

/// GetObject's and HeadObject's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectGet {
    /// Which object.
    pub at: ObjectKey,
    /// `Range`: one part of it, when asked (HeadObject then answers the
    /// part's `Content-Length` and `Content-Range`).
    pub range: Option<ByteRange>,
    /// `If-Match`, `If-None-Match`, `If-Modified-Since`,
    /// `If-Unmodified-Since`.
    pub when: Preconditions,
}

/// A bucket and a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectKey {
    /// The bucket.
    pub bucket: String,
    /// The object key.
    pub key: String,
}

/// PutObject's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectPut {
    /// Where.
    pub at: ObjectKey,
    /// The body (shared, not copied).
    pub body: bytes::Bytes,
    /// `x-amz-acl`: the canned ACL, when given.
    pub acl: Option<String>,
    /// `x-amz-server-side-encryption-aws-kms-key-id`: the SSE-KMS key, when
    /// given (a key ARN, or `alias/aws/s3`); else the bucket's default.
    pub kms_key: Option<String>,
    /// `If-Match` / `If-None-Match: *`: write only over that object, or
    /// only where none is.
    pub when: Preconditions,
    /// `Content-Type` and the other headers S3 keeps with the object.
    pub headers: ObjectHeaders,
}

/// What an object call answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectAnswer {
    /// GetObject's body (shared, not copied: the part, for a ranged read)
    /// and metadata.
    Body(bytes::Bytes, ObjectMeta),
    /// HeadObject's metadata (with the part a range selects).
    Meta(ObjectMeta),
    /// PutObject's: the new object's ETag.
    Stored(ObjectMeta),
    /// DeleteObject's (S3 answers 204 whether the key existed or not).
    Deleted,
    /// CopyObject's: the new object's metadata.
    Copied(ObjectMeta),
}

/// An object's metadata, as S3's response headers give it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectMeta {
    /// `Content-Length`.
    pub size: u64,
    /// `ETag`, quoted as S3 sends it.
    pub etag: String,
    /// `x-amz-server-side-encryption-aws-kms-key-id`, for an SSE-KMS object.
    pub kms_key: Option<String>,
    /// `Last-Modified`: when the object was written, when S3 said.
    pub last_modified: Option<std::time::SystemTime>,
    /// `Content-Range`: the part a ranged GetObject answered (its status
    /// then 206); `size` stays the whole object's.
    pub range: Option<ContentRange>,
    /// `Content-Type` and the other headers kept with the object (a
    /// read's; boxed, as most answers carry none).
    pub headers: Box<ObjectHeaders>,
    /// `Owner.ID` of a listed object: the canonical user id of the account
    /// that owns it (ListObjects gives it, ListObjectsV2 with
    /// `fetch-owner=true`); `None` in other answers.
    pub owner: Option<String>,
}

impl ObjectCall {
    /// GetObject of the whole of `at`.
    pub fn get(at: ObjectKey) -> Self {
        Self::Get(ObjectGet {
            at,
            range: None,
            when: Preconditions::default(),
        })
    }

    /// HeadObject of the whole of `at`.
    pub fn head(at: ObjectKey) -> Self {
        Self::Head(ObjectGet {
            at,
            range: None,
            when: Preconditions::default(),
        })
    }

    /// The seam's name for it.
    pub fn operation(&self) -> Operation {
        match self {
            Self::Get(_) => Operation::GetObject,
            Self::Head(_) => Operation::HeadObject,
            Self::Put(_) => Operation::PutObject,
            Self::Delete(_) => Operation::DeleteObject,
            Self::Copy(_) => Operation::CopyObject,
        }
    }

    /// The bucket and key it is about.
    pub fn at(&self) -> &ObjectKey {
        match self {
            Self::Get(get) | Self::Head(get) => &get.at,
            Self::Delete(at) => at,
            Self::Put(put) => &put.at,
            Self::Copy(copy) => &copy.to.at,
        }
    }
}

impl ObjectKey {
    /// `s3://BUCKET/KEY`.
    pub fn url(&self) -> String {
        format!("s3://{}/{}", self.bucket, self.key)
    }
}

/// The object calls of S3.
pub trait S3Objects {
    /// Makes one object call with `caller`'s credentials.
    fn object(
        &self,
        caller: &Credentials,
        call: &ObjectCall,
    ) -> impl Future<Output = Result<ObjectAnswer, CloudError>> + Send;

    /// `s3:PutBucketPolicy` with `policy` (JSON text), or
    /// `s3:DeleteBucketPolicy` when it is `None`.
    fn set_bucket_policy(
        &self,
        caller: &Credentials,
        bucket: &str,
        policy: Option<&str>,
    ) -> impl Future<Output = Result<(), CloudError>> + Send;
}

/// The headers S3 keeps with an object and sends back with it on GetObject
/// and HeadObject (S3 User Guide, "Working with object metadata": the
/// system-defined metadata a writer may set). `Content-Type` is
/// `binary/octet-stream` when the writer gave none.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct ObjectHeaders {
    /// `Content-Type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// `Cache-Control`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<String>,
    /// `Content-Disposition`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_disposition: Option<String>,
    /// `Content-Encoding` (without the `aws-chunked` of the upload itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_encoding: Option<String>,
    /// `Content-Language`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_language: Option<String>,
    /// `Expires`, as the writer sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// User-defined metadata: each `x-amz-meta-NAME` header, by `NAME` in
    /// lower case ("Amazon S3 stores user-defined metadata keys in
    /// lowercase", S3 User Guide, "Working with object metadata").
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
}

impl ObjectHeaders {
    /// The headers as HTTP names them, with their values.
    pub fn pairs(&self) -> [(&'static str, Option<&str>); 6] {
        [
            ("content-type", self.content_type.as_deref()),
            ("cache-control", self.cache_control.as_deref()),
            ("content-disposition", self.content_disposition.as_deref()),
            ("content-encoding", self.content_encoding.as_deref()),
            ("content-language", self.content_language.as_deref()),
            ("expires", self.expires.as_deref()),
        ]
    }

    /// The headers a request carries, read with `header` (a name in lower
    /// case to its value), and its user-defined `metadata`. `aws-chunked`
    /// in `Content-Encoding` says how the upload was sent, not what the
    /// object is, and is not kept.
    pub fn from_request(
        header: impl Fn(&str) -> Option<String>,
        metadata: BTreeMap<String, String>,
    ) -> Self {
        let encoding = header("content-encoding").and_then(|value| {
            let kept: Vec<&str> = value
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty() && !c.eq_ignore_ascii_case("aws-chunked"))
                .collect();
            (!kept.is_empty()).then(|| kept.join(","))
        });
        Self {
            content_type: header("content-type"),
            cache_control: header("cache-control"),
            content_disposition: header("content-disposition"),
            content_encoding: encoding,
            content_language: header("content-language"),
            expires: header("expires"),
            metadata,
        }
    }
}
