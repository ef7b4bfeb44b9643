//! The world's buckets, objects and uploads in progress as they stand, in
//! a form a face can keep on disk and give back (`xacct serve --state
//! DIR`): every bucket with its settings and objects' metadata, every
//! upload with its parts' metadata (S3 keeps an upload until it is
//! completed or aborted), each body named by its SHA-256.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::multipart::{MAX_PART_NUMBER, Part, Upload};
use super::object::Object;
use super::ownership::Ownership;
use super::public::PublicAccessBlock;
use super::store::Stored;
use crate::model::Bucket;
use crate::world::World;
use xacct_aws::cloud::ObjectHeaders;
use xacct_iam::PolicyKind;

/// The store's buckets and uploads in progress, as kept.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StoreSnapshot {
    /// Every bucket, in name order.
    pub buckets: Vec<BucketSnapshot>,
    /// Every upload in progress, in the order they were started (none in
    /// a snapshot kept before uploads were).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uploads: Vec<UploadSnapshot>,
}

/// One upload in progress, as kept; each part's body is stored apart,
/// named by `sha256`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct UploadSnapshot {
    /// Its upload id.
    pub id: String,
    /// Its object's bucket.
    pub bucket: String,
    /// Its object's key.
    pub key: String,
    /// The account that will own the object.
    pub owner: String,
    /// Who created it, as ListParts' `Initiator.ID` names it.
    pub initiator: String,
    /// When it was created (RFC 3339).
    pub initiated: String,
    /// The object's canned ACL.
    pub acl: String,
    /// The object's SSE-KMS key ARN.
    pub kms_key: Option<String>,
    /// The object's headers.
    #[serde(default)]
    pub headers: ObjectHeaders,
    /// The parts uploaded so far, by number.
    pub parts: Vec<PartSnapshot>,
}

/// One uploaded part, as kept.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PartSnapshot {
    /// Its number.
    pub number: u32,
    /// The hex SHA-256 of its bytes.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// When it was uploaded (RFC 3339).
    pub modified: String,
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

/// The bytes `body` gives for `digest`, checked against it and `size`.
fn checked_body(
    (digest, size): (&str, u64),
    body: &mut impl FnMut(&str) -> Result<Vec<u8>, String>,
) -> Result<Vec<u8>, String> {
    let bytes = body(digest)?;
    if sha256(&bytes) != digest {
        return Err(format!(
            "its body does not have the SHA-256 {digest} it was kept with"
        ));
    }
    if bytes.len() as u64 != size {
        return Err(format!(
            "its body has {} bytes, not the {size} it was kept with",
            bytes.len()
        ));
    }
    Ok(bytes)
}

/// The uploads in progress of `snapshot`, each in a bucket of `buckets`,
/// numbered in the order they were kept.
fn restored_uploads(
    snapshot: &StoreSnapshot,
    buckets: &BTreeMap<String, Stored>,
    body: &mut impl FnMut(&str) -> Result<Vec<u8>, String>,
) -> Result<BTreeMap<String, Upload>, String> {
    let mut uploads = BTreeMap::new();
    for (u, serial) in snapshot.uploads.iter().zip(1..) {
        let at = |what: &str| format!("upload `{}` of s3://{}/{}: {what}", u.id, u.bucket, u.key);
        if !buckets.contains_key(&u.bucket) {
            return Err(at("its bucket is not kept"));
        }
        let time = |text: &str| {
            xacct_aws::timestamp::parse(text)
                .ok_or_else(|| at(&format!("`{text}` is no RFC 3339 time")))
        };
        let mut parts = BTreeMap::new();
        for p in &u.parts {
            let part = |what: &str| at(&format!("part {}: {what}", p.number));
            if !(1..=MAX_PART_NUMBER).contains(&p.number) {
                return Err(part("no part number (1-10000)"));
            }
            let bytes = checked_body((&p.sha256, p.size), body).map_err(|e| part(&e))?;
            let modified = xacct_aws::timestamp::parse(&p.modified)
                .ok_or_else(|| part(&format!("`{}` is no RFC 3339 time", p.modified)))?;
            if parts.insert(p.number, Part::new(bytes, modified)).is_some() {
                return Err(part("the number is kept twice"));
            }
        }
        let upload = Upload {
            at: xacct_aws::cloud::ObjectKey {
                bucket: u.bucket.clone(),
                key: u.key.clone(),
            },
            owner: u.owner.clone(),
            initiator: u.initiator.clone(),
            initiated: time(&u.initiated)?,
            serial,
            acl: u.acl.clone(),
            kms_key: u.kms_key.clone(),
            headers: u.headers.clone(),
            parts,
        };
        if uploads.insert(u.id.clone(), upload).is_some() {
            return Err(at("the id is kept twice"));
        }
    }
    Ok(uploads)
}

impl World {
    /// The buckets, objects and uploads in progress as they stand, and each
    /// distinct body (of an object or a part).
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
                            last_modified: Some(xacct_aws::timestamp::millis(o.modified)),
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
        let mut held: Vec<(&String, &Upload)> = contents
            .uploads
            .iter()
            .filter(|(_, u)| contents.buckets.contains_key(&u.at.bucket))
            .collect();
        held.sort_by_key(|(_, u)| u.serial);
        let uploads = held
            .into_iter()
            .map(|(id, u)| UploadSnapshot {
                id: id.clone(),
                bucket: u.at.bucket.clone(),
                key: u.at.key.clone(),
                owner: u.owner.clone(),
                initiator: u.initiator.clone(),
                initiated: xacct_aws::timestamp::millis(u.initiated),
                acl: u.acl.clone(),
                kms_key: u.kms_key.clone(),
                headers: u.headers.clone(),
                parts: u
                    .parts
                    .iter()
                    .map(|(number, part)| {
                        let digest = sha256(&part.body);
                        bodies
                            .entry(digest.clone())
                            .or_insert_with(|| part.body.clone());
                        PartSnapshot {
                            number: *number,
                            sha256: digest,
                            size: part.body.len() as u64,
                            modified: xacct_aws::timestamp::millis(part.modified),
                        }
                    })
                    .collect(),
            })
            .collect();
        (
            StoreSnapshot { buckets, uploads },
            bodies.into_iter().collect(),
        )
    }

    /// Puts the buckets, objects and uploads of `snapshot` in place of the world's,
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
                let bytes = checked_body((&o.sha256, o.size), &mut body)
                    .map_err(|e| at(&format!("object `{}`: {e}", o.key)))?;
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
        let uploads = restored_uploads(snapshot, &buckets, &mut body)?;
        self.store().replace(buckets, uploads);
        Ok(())
    }
}
