//! The simulated S3's ListBuckets: the caller's account's buckets when its
//! policies allow `s3:ListAllMyBuckets` (the object operations are in
//! [`super::data`]).

use super::answer::{Outcome, Why};
use super::aws_error::AwsError;
use super::decide::decide;
use super::identity::Identity;
use super::world::{Principal, World};
use xacct_aws::cloud::Bucket;

impl World {
    /// `s3:ListBuckets`: every bucket of the caller's account, as the
    /// world's buckets stand.
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
            Ok(self
                .store()
                .owned_by(identity.account())
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
