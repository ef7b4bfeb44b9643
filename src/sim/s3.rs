//! The simulated S3: ListBuckets returns the caller's account's buckets when
//! its policies allow `s3:ListAllMyBuckets`.

use super::aws_error::{AwsError, Service};
use super::decide::{Why, decide};
use super::identity::{Identity, authenticate};
use super::world::{CallRecord, World};
use crate::cloud::{Bucket, Credentials};

/// `s3:ListBuckets`.
pub fn list_buckets(world: &World, creds: &Credentials) -> Result<Vec<Bucket>, AwsError> {
    let mut caller = creds.access_key_id.clone();
    let mut why = None;
    let result = (|| {
        let identity = authenticate(world, creds, Service::S3)?;
        caller = identity.arn(world);
        let allowed = match identity {
            Identity::Root { .. } => {
                why = Some(Why::rule(
                    "the root user has full access within its own account",
                ));
                true
            }
            _ => {
                let (allowed, decided) =
                    decide(world, &identity, "s3:ListAllMyBuckets", "*", None, &[]);
                why = Some(decided);
                allowed
            }
        };
        if !allowed {
            return Err(AwsError::s3_access_denied());
        }
        let buckets = world
            .model
            .accounts
            .get(identity.account())
            .map(|a| a.buckets.as_slice())
            .unwrap_or_default();
        Ok(buckets
            .iter()
            .map(|b| Bucket {
                name: b.name.clone(),
                created: Some(b.created),
            })
            .collect::<Vec<_>>())
    })();
    world.record(CallRecord {
        operation: "s3:ListBuckets",
        caller,
        target: None,
        outcome: result
            .as_ref()
            .map(|b| {
                if b.is_empty() {
                    "(no buckets)".to_owned()
                } else {
                    b.iter()
                        .map(|b| b.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            })
            .map_err(Clone::clone),
        why,
    });
    result
}
