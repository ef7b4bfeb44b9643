//! Multipart upload as S3 speaks it (S3 User Guide, "Uploading and copying
//! objects using multipart upload"; S3 API Reference,
//! CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
//! AbortMultipartUpload, ListParts): the calls, their answers, and an
//! upload in progress as the world keeps it.

use std::collections::BTreeMap;
use std::time::SystemTime;

use xacct_aws::cloud::{ObjectHeaders, ObjectKey, ObjectMeta};

/// The smallest part but the last (5 MiB).
pub const MIN_PART_SIZE: usize = 5 * 1024 * 1024;

/// The highest part number.
pub const MAX_PART_NUMBER: u32 = 10_000;

/// One call of a multipart upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MultipartCall {
    /// `CreateMultipartUpload` (authorized as `s3:PutObject`).
    Create {
        /// Where the object will be.
        at: ObjectKey,
        /// `x-amz-acl`, when given.
        acl: Option<String>,
        /// `x-amz-server-side-encryption-aws-kms-key-id`, when given.
        kms_key: Option<String>,
        /// `Content-Type` and the other headers the object will keep.
        headers: ObjectHeaders,
    },
    /// `UploadPart` (authorized as `s3:PutObject`).
    UploadPart {
        /// The upload.
        upload: UploadRef,
        /// `partNumber`, as given (S3 checks it is 1-10000).
        part_number: String,
        /// The part's bytes (shared, not copied).
        body: bytes::Bytes,
    },
    /// `UploadPartCopy` (authorized as `s3:GetObject` on the source and
    /// `s3:PutObject` on the upload's object).
    UploadPartCopy {
        /// The upload.
        upload: UploadRef,
        /// `partNumber`, as given.
        part_number: String,
        /// `x-amz-copy-source`.
        from: ObjectKey,
        /// `x-amz-copy-source-range`, as given (`bytes=first-last`).
        range: Option<String>,
    },
    /// `CompleteMultipartUpload` (authorized as `s3:PutObject`).
    Complete {
        /// The upload.
        upload: UploadRef,
        /// The parts to join: number and ETag, in the order given.
        parts: Vec<(u32, String)>,
    },
    /// `AbortMultipartUpload` (`s3:AbortMultipartUpload`).
    Abort(UploadRef),
    /// `ListParts` (`s3:ListMultipartUploadParts`): one page of the parts.
    ListParts(UploadRef, PartsPage),
}

/// The page of parts a ListParts asks for, as sent (checked by the world).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PartsPage {
    /// `max-parts`: at most 1,000 (S3's default and limit).
    pub max_parts: Option<String>,
    /// `part-number-marker`: the parts after this number.
    pub part_number_marker: Option<String>,
}

/// One page of an upload's parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartList {
    /// The parts, by number.
    pub parts: Vec<PartView>,
    /// The parts listed come after this number (`PartNumberMarker`).
    pub after: u32,
    /// `MaxParts` in force.
    pub max_parts: usize,
    /// More parts follow (`IsTruncated`); the next page starts after the
    /// last part listed (`NextPartNumberMarker`).
    pub truncated: bool,
    /// `Initiator.ID`: who created the upload, as S3 names it.
    pub initiator: String,
    /// `Owner.ID`: the canonical user id of the account that will own the
    /// object.
    pub owner: String,
}

/// An upload named by its object and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadRef {
    /// The object.
    pub at: ObjectKey,
    /// `uploadId`.
    pub upload_id: String,
}

/// What a multipart call answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MultipartAnswer {
    /// CreateMultipartUpload's: the upload id, and the SSE-KMS key the
    /// object will have.
    Created {
        /// The new upload's id.
        upload_id: String,
        /// The SSE-KMS key ARN; `None` for SSE-S3.
        kms_key: Option<String>,
    },
    /// UploadPart's: the part's ETag (quoted).
    Part(String),
    /// UploadPartCopy's: the part's ETag (quoted) and when it was stored.
    PartCopied {
        /// The part's ETag, quoted.
        etag: String,
        /// `LastModified`.
        modified: SystemTime,
    },
    /// CompleteMultipartUpload's: the new object's metadata.
    Completed(ObjectMeta),
    /// AbortMultipartUpload's (204).
    Aborted,
    /// ListParts's: a page of the parts uploaded so far, by number.
    Parts(PartList),
}

/// A part as ListParts shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartView {
    /// Its number.
    pub number: u32,
    /// Its ETag, quoted.
    pub etag: String,
    /// Its size in bytes.
    pub size: u64,
    /// When it was uploaded.
    pub modified: SystemTime,
}

/// An upload in progress.
#[derive(Debug, Clone)]
pub(crate) struct Upload {
    /// Its object.
    pub at: ObjectKey,
    /// The account that will own the object.
    pub owner: String,
    /// Who created it, as ListParts' `Initiator.ID` names it: "If the
    /// principal is an AWS account, it provides the Canonical User ID. If
    /// the principal is an IAM User, it provides a user ARN value" (S3 API
    /// Reference, Initiator); a role session's ARN alike.
    pub initiator: String,
    /// When it was created (ListMultipartUploads' `Initiated`).
    pub initiated: SystemTime,
    /// Its place among the uploads started: which of two initiated at
    /// the same time came first.
    pub serial: u64,
    /// The object's canned ACL.
    pub acl: String,
    /// The object's SSE-KMS key ARN; `None` for SSE-S3.
    pub kms_key: Option<String>,
    /// The object's headers (`Content-Type`, ...).
    pub headers: ObjectHeaders,
    /// The parts uploaded so far by number.
    pub parts: BTreeMap<u32, Part>,
}

/// An uploaded part.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    /// Its bytes.
    pub body: bytes::Bytes,
    /// The MD5 of its bytes.
    pub md5: [u8; 16],
    /// When it was uploaded.
    pub modified: SystemTime,
}

impl Part {
    /// A part of `body`, uploaded at `now`.
    pub(crate) fn new(body: impl Into<bytes::Bytes>, now: SystemTime) -> Self {
        let body: bytes::Bytes = body.into();
        use md5::Digest as _;
        let md5 = md5::Md5::digest(&body).into();
        Self {
            body,
            md5,
            modified: now,
        }
    }

    /// Its ETag, quoted: the hex MD5 of its bytes.
    pub(crate) fn etag(&self) -> String {
        format!("\"{}\"", hex::encode(self.md5))
    }
}

/// The ETag of an object joined from `parts`: the MD5 of their MD5s
/// concatenated, then `-` and their count (S3 User Guide, "Checking
/// object integrity", multipart uploads).
pub(crate) fn joined_etag(parts: &[&Part]) -> String {
    use md5::Digest as _;
    let mut all = md5::Md5::new();
    for part in parts {
        all.update(part.md5);
    }
    format!("\"{}-{}\"", hex::encode(all.finalize()), parts.len())
}

impl MultipartCall {
    /// The operation's name as AWS writes it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Create { .. } => "s3:CreateMultipartUpload",
            Self::UploadPart { .. } => "s3:UploadPart",
            Self::UploadPartCopy { .. } => "s3:UploadPartCopy",
            Self::Complete { .. } => "s3:CompleteMultipartUpload",
            Self::Abort(_) => "s3:AbortMultipartUpload",
            Self::ListParts(..) => "s3:ListParts",
        }
    }

    /// The object it is about.
    pub fn at(&self) -> &ObjectKey {
        match self {
            Self::Create { at, .. } => at,
            Self::UploadPart { upload, .. }
            | Self::UploadPartCopy { upload, .. }
            | Self::Complete { upload, .. } => &upload.at,
            Self::Abort(upload) | Self::ListParts(upload, _) => &upload.at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_joined_etag_is_the_md5_of_the_part_md5s_with_the_count() {
        let now = SystemTime::UNIX_EPOCH;
        let a = Part::new(b"hello ".to_vec(), now);
        let b = Part::new(b"world".to_vec(), now);
        // Computed apart: python3 -c "import hashlib as h; a=h.md5(b'hello ').digest();
        // b=h.md5(b'world').digest(); print(h.md5(a+b).hexdigest())"
        assert_eq!(a.etag(), "\"f814893777bcc2295fff05f00e508da6\"");
        assert_eq!(
            joined_etag(&[&a, &b]),
            "\"e09e4fd6265b36115fe3db32df945d84-2\""
        );
    }
}
