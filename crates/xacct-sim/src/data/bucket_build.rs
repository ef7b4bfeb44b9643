//! Building a bucket's data settings and objects from a scenario, each
//! value checked and each error naming its key path.

use std::collections::BTreeSet;

use super::kms::{AWS_S3_ALIAS, aws_s3_key_arn, key_arn_parts};
use super::object::Object;
use super::ownership::{CANNED_ACLS, Ownership, is_public_acl};
use super::public::PublicAccessBlock;
use crate::bucket_spec::{BucketDetail, ObjectSpec, PublicAccessBlockSpec};

/// What a bucket's data settings compile to.
pub(crate) struct BucketData {
    /// Its region.
    pub region: String,
    /// Object Ownership.
    pub ownership: Ownership,
    /// Block Public Access.
    pub public_access_block: PublicAccessBlock,
    /// The default SSE-KMS key ARN.
    pub default_kms_key: Option<String>,
    /// The objects, by key.
    pub objects: Vec<(String, Object)>,
}

/// Compiles `detail`'s data settings for a bucket of `owner` in a world
/// whose region is `world_region`, created at `created` (when its objects
/// were written); `at` is the bucket's key path.
pub(crate) fn bucket_data(
    detail: &BucketDetail,
    owner: &str,
    world_region: &str,
    created: std::time::SystemTime,
    at: &str,
) -> Result<BucketData, String> {
    let region = detail
        .region
        .clone()
        .unwrap_or_else(|| world_region.to_owned());
    if region.is_empty()
        || !region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(format!(
            "{at}.region: `{region}` is not a region name (eu-west-1)"
        ));
    }
    let ownership = match &detail.ownership {
        None => Ownership::ObjectWriter,
        Some(name) => Ownership::parse(name).ok_or_else(|| {
            format!(
                "{at}.ownership: `{name}` is not an Object Ownership setting (BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter)"
            )
        })?,
    };
    let public_access_block = detail
        .public_access_block
        .map(
            |PublicAccessBlockSpec {
                 block_public_acls,
                 ignore_public_acls,
                 block_public_policy,
                 restrict_public_buckets,
             }| PublicAccessBlock {
                block_public_acls,
                ignore_public_acls,
                block_public_policy,
                restrict_public_buckets,
            },
        )
        .unwrap_or_default();
    let key_ref = |value: &str, path: &str| resolve_key(value, owner, &region, path);
    let default_kms_key = detail
        .encryption
        .as_ref()
        .map(|e| key_ref(&e.kms_key, &format!("{at}.encryption.kms_key")))
        .transpose()?;
    let mut seen = BTreeSet::new();
    let mut objects = Vec::with_capacity(detail.objects.len());
    for (i, spec) in detail.objects.iter().enumerate() {
        let path = format!("{at}.objects[{i}]");
        let (key, object) = match spec {
            ObjectSpec::Key(key) => (
                key.clone(),
                Object::new(
                    Vec::new(),
                    owner,
                    "private",
                    default_kms_key.clone(),
                    created,
                ),
            ),
            ObjectSpec::Full(d) => {
                let body = crate::bucket_spec::body_bytes(d.body.as_ref(), d.size)
                    .map_err(|rule| format!("{path}{rule}"))?;
                let writer = d.writer.as_deref().unwrap_or(owner);
                if !xacct_iam::is_account_id(writer) {
                    return Err(format!(
                        "{path}.writer: `{writer}` is not a 12-digit account id (quote it: \"111111111111\")"
                    ));
                }
                let acl = d.acl.as_deref().unwrap_or("private");
                if !CANNED_ACLS.contains(&acl) {
                    return Err(format!(
                        "{path}.acl: `{acl}` is not a canned ACL ({})",
                        CANNED_ACLS.join(", ")
                    ));
                }
                if !ownership.accepts(Some(acl)) {
                    return Err(format!(
                        "{path}.acl: `{acl}`: the bucket's ownership is BucketOwnerEnforced, whose writes may set only bucket-owner-full-control (AccessControlListNotSupported); remove the acl"
                    ));
                }
                if is_public_acl(acl) && !public_access_block.ignore_public_acls {
                    return Err(format!(
                        "{path}.acl: `{acl}` is a public ACL, which the simulator does not model; keep public_access_block.ignore_public_acls on or use a bucket policy"
                    ));
                }
                let kms_key = match &d.kms_key {
                    Some(value) => Some(key_ref(value, &format!("{path}.kms_key"))?),
                    None => default_kms_key.clone(),
                };
                let object_owner = ownership.owner(owner, writer, acl);
                (
                    d.key.clone(),
                    Object::new(body, object_owner, acl, kms_key, created),
                )
            }
        };
        if key.is_empty() {
            return Err(format!("{path}.key: an object key may not be empty"));
        }
        if !seen.insert(key.clone()) {
            return Err(format!("{path}.key: `{key}` is written twice"));
        }
        objects.push((key, object));
    }
    Ok(BucketData {
        region,
        ownership,
        public_access_block,
        default_kms_key,
        objects,
    })
}

/// A key reference as written: a key ARN in the bucket's region, or
/// `alias/aws/s3` (the bucket owner's AWS managed key).
pub(crate) fn resolve_key(
    value: &str,
    bucket_owner: &str,
    region: &str,
    at: &str,
) -> Result<String, String> {
    if value == AWS_S3_ALIAS {
        return Ok(aws_s3_key_arn(bucket_owner, region));
    }
    let Some((key_region, account, id)) = key_arn_parts(value) else {
        return Err(format!(
            "{at}: `{value}` is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID) or {AWS_S3_ALIAS}"
        ));
    };
    if !xacct_iam::is_account_id(account) || id.is_empty() {
        return Err(format!(
            "{at}: `{value}` is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)"
        ));
    }
    if key_region != region {
        return Err(format!(
            "{at}: `{value}` is in {key_region}, but the bucket is in {region}; S3 uses a KMS key of the bucket's own region"
        ));
    }
    Ok(value.to_owned())
}
