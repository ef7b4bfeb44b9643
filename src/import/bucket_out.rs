//! A bucket and an account's KMS keys as the imported world writes them
//! (the scenario contract's `buckets` entries with `region`, `policy`,
//! `ownership`, `public_access_block` and `encryption`, and `kms_keys`),
//! with what the world cannot hold left out and said so: a default key
//! that is not among the imported keys, or is in another region than the
//! world's (S3 uses a key of the bucket's own region; the world's keys are
//! in its region: a live import's is the region it read).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::sorted::Sorted;
use crate::cloud::BucketFacts;

/// A bucket entry.
#[derive(Serialize)]
pub(super) struct BucketOut {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<Sorted>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ownership: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_access_block: Option<PublicAccessBlockOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encryption: Option<EncryptionOut>,
}

#[derive(Serialize)]
struct PublicAccessBlockOut {
    block_public_acls: bool,
    ignore_public_acls: bool,
    block_public_policy: bool,
    restrict_public_buckets: bool,
}

#[derive(Serialize)]
struct EncryptionOut {
    kms_key: String,
}

/// A KMS key entry.
#[derive(Serialize)]
pub(super) struct KeyOut {
    policy: Sorted,
}

/// The account's keys as written.
pub(super) fn keys(keys: BTreeMap<String, Value>) -> BTreeMap<String, KeyOut> {
    keys.into_iter()
        .map(|(id, policy)| {
            (
                id,
                KeyOut {
                    policy: Sorted(policy),
                },
            )
        })
        .collect()
}

/// The default key as the world can hold it: `alias/aws/s3`, or the ARN of
/// an imported key of the world's region; `None` with why otherwise.
fn key(
    written: &str,
    (account, region, world): (&str, &str, &str),
    keys: &BTreeMap<String, Value>,
) -> Result<String, String> {
    if written == "alias/aws/s3" {
        return Ok(written.to_owned());
    }
    let (key_region, key_account, id) = match written.strip_prefix("arn:aws:kms:") {
        Some(rest) => {
            let parts: Vec<&str> = rest.splitn(3, ':').collect();
            match parts.as_slice() {
                [r, a, key] => (*r, *a, key.strip_prefix("key/").unwrap_or(key)),
                _ => return Err(format!("`{written}` is not a key ARN")),
            }
        }
        None => (region, account, written),
    };
    if key_account != account || !keys.contains_key(id) {
        return Err(format!(
            "its default KMS key `{written}` is not among the imported keys of account {account}"
        ));
    }
    if key_region != world || region != world {
        return Err(format!(
            "its default KMS key `{written}` is in {key_region}, and the world's keys are in {world}"
        ));
    }
    Ok(format!("arn:aws:kms:{world}:{account}:key/{id}"))
}

/// One bucket as written; what cannot be carried over goes to `notes`.
pub(super) fn bucket(
    facts: BucketFacts,
    (account, world): (&str, &str),
    keys: &BTreeMap<String, Value>,
    notes: &mut Vec<String>,
) -> BucketOut {
    let region = facts.region.clone().unwrap_or_else(|| world.to_owned());
    let encryption = facts.kms_key.as_deref().and_then(|written| {
        match key(written, (account, &region, world), keys) {
            Ok(kms_key) => Some(EncryptionOut { kms_key }),
            Err(why) => {
                notes.push(format!(
                    "bucket `{}` of account {account}: {why} (left out: its reads and writes are decided as SSE-S3)",
                    facts.name
                ));
                None
            }
        }
    });
    BucketOut {
        name: facts.name,
        created: facts.created,
        region: facts.region.filter(|r| r != world),
        policy: facts.policy.map(Sorted),
        ownership: facts.ownership,
        public_access_block: facts
            .public_access_block
            .map(|[acls, ignore, policy, restrict]| PublicAccessBlockOut {
                block_public_acls: acls,
                ignore_public_acls: ignore,
                block_public_policy: policy,
                restrict_public_buckets: restrict,
            }),
        encryption,
    }
}
