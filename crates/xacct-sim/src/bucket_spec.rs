//! A scenario's buckets and KMS keys as written: a bucket is a name, or a
//! map with what decides access to its data (its policy, Object Ownership,
//! Block Public Access, default encryption) and its objects.

use serde::Deserialize;

use xacct_iam::Document as Json;

/// A bucket: a name, or a map.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum BucketSpec {
    /// Just the name.
    Name(String),
    /// Name and the rest.
    Full(Box<BucketDetail>),
}

/// A bucket written as a map.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketDetail {
    /// The name.
    pub name: String,
    /// The creation date (RFC 3339).
    #[serde(default)]
    pub created: Option<String>,
    /// Its region; default the scenario's.
    #[serde(default)]
    pub region: Option<String>,
    /// The bucket policy.
    #[serde(default)]
    pub policy: Option<Json>,
    /// Object Ownership: `BucketOwnerEnforced`, `BucketOwnerPreferred` or
    /// `ObjectWriter` (the default, as this format keeps today's meaning).
    #[serde(default)]
    pub ownership: Option<String>,
    /// Block Public Access; every setting defaults to true.
    #[serde(default)]
    pub public_access_block: Option<PublicAccessBlockSpec>,
    /// Default encryption: absent is SSE-S3.
    #[serde(default)]
    pub encryption: Option<EncryptionSpec>,
    /// Its objects: a key, or a map.
    #[serde(default)]
    pub objects: Vec<ObjectSpec>,
}

/// A bucket's Block Public Access settings.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicAccessBlockSpec {
    /// Refuse a write that sets a public ACL.
    #[serde(default = "yes")]
    pub block_public_acls: bool,
    /// Ignore public ACLs.
    #[serde(default = "yes")]
    pub ignore_public_acls: bool,
    /// Refuse a public bucket policy.
    #[serde(default = "yes")]
    pub block_public_policy: bool,
    /// A public policy grants only to the bucket's account and AWS services.
    #[serde(default = "yes")]
    pub restrict_public_buckets: bool,
}

fn yes() -> bool {
    true
}

/// A bucket's default encryption.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncryptionSpec {
    /// The SSE-KMS key: a key ARN, or `alias/aws/s3`.
    pub kms_key: String,
}

/// An object: its key, or a map.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ObjectSpec {
    /// Just the key (an empty object the bucket's account wrote).
    Key(String),
    /// The key and the rest.
    Full(ObjectDetail),
}

/// An object written as a map.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectDetail {
    /// The key.
    pub key: String,
    /// The body.
    #[serde(default)]
    pub body: Option<String>,
    /// Or its size (bytes of zeros).
    #[serde(default)]
    pub size: Option<u64>,
    /// The 12-digit account whose principal wrote it; default the bucket's.
    #[serde(default)]
    pub writer: Option<String>,
    /// The canned ACL it was written with; default `private`.
    #[serde(default)]
    pub acl: Option<String>,
    /// The SSE-KMS key it was written with; default the bucket's.
    #[serde(default)]
    pub kms_key: Option<String>,
}

/// The most bytes an object of a scenario (or a step's upload) may have:
/// the world keeps objects in memory.
pub(crate) const MAX_OBJECT_SIZE: u64 = 64 * 1024 * 1024;

/// An object's bytes from a scenario's `body` (text) or `size` (zeros),
/// not both and at most [`MAX_OBJECT_SIZE`]; the error says which rule
/// broke, for the caller to prefix with the key path.
pub(crate) fn body_bytes(body: Option<&String>, size: Option<u64>) -> Result<Vec<u8>, String> {
    check_body(body, size)?;
    Ok(match (body, size) {
        (Some(text), _) => text.clone().into_bytes(),
        (None, Some(size)) => vec![0; usize::try_from(size).unwrap_or_default()],
        (None, None) => Vec::new(),
    })
}

/// The rules of [`body_bytes`], checked without making the bytes (a load
/// checks every step before any runs).
pub(crate) fn check_body(body: Option<&String>, size: Option<u64>) -> Result<(), String> {
    match (body, size) {
        (Some(_), Some(_)) => Err(": give `body` or `size`, not both".to_owned()),
        (None, Some(size)) if size > MAX_OBJECT_SIZE => Err(format!(
            ".size: {size} bytes is over the {MAX_OBJECT_SIZE} bytes the simulator holds per object"
        )),
        _ => Ok(()),
    }
}

/// A KMS key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KmsKeySpec {
    /// The key policy.
    pub policy: Json,
}
