//! The world's buckets and objects as they stand, in a form a face can
//! keep on disk and give back (`xacct serve --state DIR`): every bucket
//! with its settings and objects' metadata, each body named by its
//! SHA-256. Uploads in progress are not kept (AWS would keep them; a
//! restart of a local endpoint ends them, as the README says).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::object::Object;
use super::ownership::Ownership;
use super::public::PublicAccessBlock;
use super::store::Stored;
use crate::model::Bucket;
use crate::world::World;
use xacct_aws::cloud::ObjectHeaders;
use xacct_iam::PolicyKind;

/// The store's buckets, as kept.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StoreSnapshot {
    /// Every bucket, in name order.
    pub buckets: Vec<BucketSnapshot>,
}

/// One bucket, as kept.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct BucketSnapshot {
    /// Its name.
    pub name: String,
    /// The account that owns it.
    pub owner: String,
    /// Its region.
    pub region: String,
    /// When it was created (RFC 3339).
    pub created: String,
    /// Its bucket policy (JSON text).
    pub policy: Option<String>,
    /// Object Ownership's setting.
    pub ownership: String,
    /// Block Public Access, in S3's order.
    pub public_access_block: [bool; 4],
    /// The default SSE-KMS key ARN.
    pub default_kms_key: Option<String>,
    /// Its objects, in key order.
    pub objects: Vec<ObjectSnapshot>,
}

/// One object, as kept; its body is stored apart, named by `sha256`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ObjectSnapshot {
    /// The key.
    pub key: String,
    /// The account that owns it.
    pub owner: String,
    /// Its canned ACL.
    pub acl: String,
    /// Its SSE-KMS key ARN.
    pub kms_key: Option<String>,
    /// Its ETag, quoted.
    pub etag: String,
    /// The hex SHA-256 of its body.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// When it was written (RFC 3339); a snapshot kept before this was
    /// recorded restores the object as written when its bucket was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// `Content-Type` and the other headers its writer set (none in a
    /// snapshot kept before they were).
    #[serde(default)]
    pub headers: ObjectHeaders,
}

/// A body by its hex SHA-256.
pub type Body = (String, bytes::Bytes);

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(bytes))
}

impl World {
    /// The buckets and objects as they stand, and each distinct body.
    pub fn snapshot(&self) -> (StoreSnapshot, Vec<Body>) {
        let contents = self.store().lock();
        let mut bodies: BTreeMap<String, bytes::Bytes> = BTreeMap::new();
        let buckets = contents
            .buckets
            .values()
            .map(|stored| {
                let b = &stored.bucket;
                let objects = stored
                    .objects
                    .iter()
                    .map(|(key, o)| {
                        let digest = sha256(&o.body);
                        bodies
                            .entry(digest.clone())
                            .or_insert_with(|| o.body.clone());
                        ObjectSnapshot {
                            key: key.clone(),
                            owner: o.owner.clone(),
                            acl: o.acl.clone(),
                            kms_key: o.kms_key.clone(),
                            etag: o.etag.clone(),
                            headers: o.headers.clone(),
                            sha256: digest,
                            size: o.body.len() as u64,
                            last_modified: Some(xacct_aws::timestamp::rfc3339(o.modified)),
                        }
                    })
                    .collect();
                let pab = b.public_access_block;
                BucketSnapshot {
                    name: b.name.clone(),
                    owner: stored.owner.clone(),
                    region: b.region.clone(),
                    created: xacct_aws::timestamp::rfc3339(b.created),
                    policy: b
                        .policy
                        .as_ref()
                        .map(|p| xacct_iam::policy_to_json(p).to_string()),
                    ownership: b.ownership.name().to_owned(),
                    public_access_block: [
                        pab.block_public_acls,
                        pab.ignore_public_acls,
                        pab.block_public_policy,
                        pab.restrict_public_buckets,
                    ],
                    default_kms_key: b.default_kms_key.clone(),
                    objects,
                }
            })
            .collect();
        (StoreSnapshot { buckets }, bodies.into_iter().collect())
    }

    /// Puts the buckets and objects of `snapshot` in place of the world's,
    /// each body read by `body` (from its SHA-256, checked); nothing
    /// changes when any part cannot be restored.
    pub fn restore(
        &self,
        snapshot: &StoreSnapshot,
        mut body: impl FnMut(&str) -> Result<Vec<u8>, String>,
    ) -> Result<(), String> {
        let mut buckets = BTreeMap::new();
        for b in &snapshot.buckets {
            let at = |what: &str| format!("bucket `{}`: {what}", b.name);
            let policy = match &b.policy {
                Some(text) => Some(
                    xacct_iam::parse_text_as(text, PolicyKind::Resource)
                        .map_err(|e| at(&format!("its policy does not parse: {e}")))?,
                ),
                None => None,
            };
            let ownership = Ownership::parse(&b.ownership)
                .ok_or_else(|| at(&format!("`{}` is no Object Ownership setting", b.ownership)))?;
            let created = xacct_aws::timestamp::parse(&b.created)
                .ok_or_else(|| at(&format!("`{}` is no RFC 3339 time", b.created)))?;
            let [acls, ignore, block, restrict] = b.public_access_block;
            let mut objects = BTreeMap::new();
            for o in &b.objects {
                let bytes = body(&o.sha256).map_err(|e| at(&format!("object `{}`: {e}", o.key)))?;
                if sha256(&bytes) != o.sha256 {
                    return Err(at(&format!(
                        "object `{}`: its body does not have the SHA-256 {} it was kept with",
                        o.key, o.sha256
                    )));
                }
                let modified = match &o.last_modified {
                    Some(text) => xacct_aws::timestamp::parse(text).ok_or_else(|| {
                        at(&format!("object `{}`: `{text}` is no RFC 3339 time", o.key))
                    })?,
                    None => created,
                };
                let object = Object::new(bytes, &o.owner, &o.acl, o.kms_key.clone(), modified)
                    .with_etag(o.etag.clone())
                    .with_headers(o.headers.clone());
                objects.insert(o.key.clone(), object);
            }
            let bucket = Bucket {
                name: b.name.clone(),
                created,
                region: b.region.clone(),
                policy,
                ownership,
                public_access_block: PublicAccessBlock {
                    block_public_acls: acls,
                    ignore_public_acls: ignore,
                    block_public_policy: block,
                    restrict_public_buckets: restrict,
                },
                default_kms_key: b.default_kms_key.clone(),
                objects: Vec::new(),
            };
            buckets.insert(
                b.name.clone(),
                Stored {
                    owner: b.owner.clone(),
                    bucket,
                    objects,
                },
            );
        }
        self.store().replace(buckets);
        Ok(())
    }
}
