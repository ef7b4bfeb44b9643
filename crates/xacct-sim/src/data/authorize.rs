//! How S3 decides a data call ("How Amazon S3 authorizes a request", S3
//! User Guide): the caller's identity policies and the bucket policy (in
//! one account either may allow, across accounts both must), SCPs of the
//! caller's account and RCPs of the bucket's, Block Public Access; for an
//! object another account owns, the object's ACL instead of the bucket
//! policy's grants; then, for an SSE-KMS object, the KMS key policy.

use std::borrow::Cow;

use super::kms::via_s3;
use super::ownership::acl_grants;
use super::public::is_public;
use crate::answer::Why;
use crate::decide::{ResourceSide, decide};
use crate::identity::Identity;
use crate::model::Bucket;
use crate::world::World;
use xacct_iam::{Effect, Policy};

/// A bucket and the account that owns it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Owned<'w> {
    /// The bucket.
    pub bucket: &'w Bucket,
    /// Its owner's account id.
    pub owner: &'w str,
}

/// A decision and why.
#[derive(Debug, Clone)]
pub(crate) struct Verdict {
    /// Whether it is allowed.
    pub allowed: bool,
    /// Why.
    pub why: Why,
}

/// The bucket policy's Deny statements alone: what still binds when the
/// policy may grant nothing (a public policy under
/// `restrict_public_buckets`, an object the bucket owner does not own).
pub(crate) fn denies_only(policy: &Policy) -> Policy {
    Policy {
        statements: policy
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Deny)
            .cloned()
            .collect(),
        ..policy.clone()
    }
}

/// Decides `action` on `resource` (the bucket's ARN or an object's) as the
/// bucket owner's resource, with `context` added to the request's keys.
pub(crate) fn bucket_decision(
    world: &World,
    identity: &Identity,
    action: &str,
    resource: &str,
    at: Owned<'_>,
    context: &[(&str, String)],
) -> Verdict {
    let outside = identity.account() != at.owner;
    let restricted = at.bucket.public_access_block.restrict_public_buckets
        && outside
        && at.bucket.policy.as_ref().is_some_and(is_public);
    let policy = match (&at.bucket.policy, restricted) {
        (Some(p), true) => Some(Cow::Owned(denies_only(p))),
        (Some(p), false) => Some(Cow::Borrowed(p)),
        (None, _) => None,
    };
    let side = ResourceSide {
        name: &at.bucket.name,
        account: at.owner,
        policy: policy.as_deref(),
    };
    let decided = decide(world, identity, action, resource, Some(side), context);
    let mut why = decided.why;
    if restricted {
        why.note(format!(
            "Block Public Access (restrict_public_buckets) is on and the bucket policy of `{}` is public, so it grants nothing to principals outside account {}",
            at.bucket.name, at.owner
        ));
    }
    Verdict {
        allowed: decided.allowed,
        why,
    }
}

/// Decides a read of an object that `object_owner`, not the bucket owner,
/// owns: its ACL must grant the caller's account, then the caller's own
/// identity policies must allow; the bucket policy's denies still bind.
pub(crate) fn object_acl_decision(
    world: &World,
    identity: &Identity,
    action: &str,
    resource: &str,
    at: Owned<'_>,
    object: (&str, &str),
) -> Verdict {
    let (object_owner, acl) = object;
    let caller = identity.account();
    let rule = format!(
        "the object belongs to account {object_owner}, which wrote it to a bucket of account {} (Object Ownership {}) with the ACL `{acl}`",
        at.owner,
        at.bucket.ownership.name()
    );
    if !acl_grants(acl, object_owner, at.owner, caller) {
        let mut why = Why::rule(format!(
            "the object's ACL does not grant account {caller}: a bucket policy cannot grant access to an object the bucket owner does not own"
        ));
        why.note(rule);
        why.note(
            "fix: the writer adds the ACL bucket-owner-full-control, or the bucket owner sets Object Ownership to BucketOwnerEnforced",
        );
        return Verdict {
            allowed: false,
            why,
        };
    }
    let denies = at.bucket.policy.as_ref().map(denies_only);
    let side = ResourceSide {
        name: &at.bucket.name,
        account: caller,
        policy: denies.as_ref(),
    };
    let decided = decide(world, identity, action, resource, Some(side), &[]);
    let mut why = decided.why;
    why.note(format!("{rule}, which grants account {caller}"));
    Verdict {
        allowed: decided.allowed,
        why,
    }
}

/// Decides `action` (`kms:Decrypt`, `kms:GenerateDataKey`) on the key
/// `key_arn` for a caller S3 acts for in `region`: the key policy must
/// allow (even in the key's own account), and across accounts the
/// caller's identity policies too.
pub(crate) fn kms_decision(
    world: &World,
    identity: &Identity,
    action: &str,
    key_arn: &str,
    region: &str,
) -> Verdict {
    let Some(key) = world.model().kms_key(key_arn) else {
        return Verdict {
            allowed: false,
            why: Why::rule(format!("the KMS key `{key_arn}` does not exist")),
        };
    };
    let name = if key.aws_managed {
        format!("aws/s3 of {}", key.account)
    } else {
        key.id.clone()
    };
    let side = ResourceSide {
        name: &name,
        account: &key.account,
        policy: Some(&key.policy),
    };
    let context = via_s3(region, identity.account());
    let decided = decide(world, identity, action, &key.arn, Some(side), &context);
    let mut why = decided.why;
    if key.aws_managed && identity.account() != key.account {
        why.note(format!(
            "`{key_arn}` is the AWS managed key aws/s3 of account {}: its policy lets only that account's principals use it, so it cannot serve another account; encrypt shared data with a customer managed key whose policy allows the reader",
            key.account
        ));
    }
    Verdict {
        allowed: decided.allowed,
        why,
    }
}
