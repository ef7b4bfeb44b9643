//! The simulated S3: ListBuckets returns the caller's account's buckets when
//! its policies allow `s3:ListAllMyBuckets`; ListObjectsV2 returns a
//! bucket's keys when `s3:ListBucket` on it is allowed, decided with the
//! bucket policy and the owner's RCPs like any cross-account request.

use super::answer::{Outcome, Why};
use super::aws_error::AwsError;
use super::decide::{ResourceSide, decide};
use super::identity::Identity;
use super::world::{Principal, World};
use xacct_aws::cloud::Bucket;

impl World {
    /// `s3:ListBuckets`: every bucket of the caller's account, in the order
    /// the scenario writes them.
    pub(crate) fn list_buckets(&self, who: &Principal) -> Outcome<Vec<Bucket>> {
        let identity = &who.identity;
        let (allowed, why) = match identity {
            Identity::Root { .. } => (
                true,
                Why::rule("the root user has full access within its own account"),
            ),
            _ => {
                let decided = decide(self, identity, "s3:ListAllMyBuckets", "*", None, &[]);
                (decided.allowed, decided.why)
            }
        };
        let result = if allowed {
            let buckets = self
                .model()
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
                .collect())
        } else {
            Err(AwsError::s3_access_denied())
        };
        Outcome {
            result,
            caller: who.who().clone(),
            why: Some(why),
        }
    }
}

impl World {
    /// `s3:ListObjectsV2` on `bucket` (the `s3:ListBucket` action): its
    /// object keys. A bucket no account owns is `NoSuchBucket` (404); a
    /// refusal is S3's `AccessDenied` (403), as S3 answers both (S3 API
    /// Reference, ListObjectsV2, and "Error responses").
    pub(crate) fn list_objects(&self, who: &Principal, bucket: &str) -> Outcome<Vec<String>> {
        let identity = &who.identity;
        let found = self.model().accounts.iter().find_map(|(id, account)| {
            account
                .buckets
                .iter()
                .find(|b| b.name == bucket)
                .map(|b| (id.as_str(), b))
        });
        let Some((owner, found)) = found else {
            return Outcome::refused(
                who.who().clone(),
                AwsError::new("NoSuchBucket", 404, "The specified bucket does not exist"),
                Why::rule(format!("no account of the world owns a bucket `{bucket}`")),
            );
        };
        let (allowed, why) = match identity {
            Identity::Root { .. } if identity.account() == owner => (
                true,
                Why::rule("the root user has full access within its own account"),
            ),
            _ => {
                let side = ResourceSide {
                    name: &found.name,
                    account: owner,
                    policy: found.policy.as_ref(),
                };
                let arn = format!("arn:aws:s3:::{bucket}");
                let decided = decide(self, identity, "s3:ListBucket", &arn, Some(side), &[]);
                (decided.allowed, decided.why)
            }
        };
        Outcome {
            result: if allowed {
                Ok(found.objects.clone())
            } else {
                Err(AwsError::s3_access_denied())
            },
            caller: who.who().clone(),
            why: Some(why),
        }
    }
}

/// The buckets of a listing, for a narration: `a, b` or `(no buckets)`.
pub(super) fn shown(buckets: &[Bucket]) -> String {
    if buckets.is_empty() {
        "(no buckets)".to_owned()
    } else {
        buckets
            .iter()
            .map(|b| b.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
