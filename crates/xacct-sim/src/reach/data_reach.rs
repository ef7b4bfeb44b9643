//! Who can read and write which bucket's objects, decided three ways by
//! the IAM engine as S3 decides a data call ([`crate::data::authorize`]):
//! each principal of the world (a role by any of its sessions) and each
//! stand-in for principals outside it that a bucket or key policy names,
//! against each bucket: `s3:GetObject` / `s3:PutObject` with the caller's
//! identity policies, the bucket policy (only its denies for an outside
//! caller when Block Public Access restricts a public policy), SCPs and
//! RCPs; then the KMS key's policy for `kms:Decrypt` / `kms:GenerateDataKey`.
//!
//! The analysis is sound: "some object" is what it decides. A key is tried
//! for each object, for each object pattern a policy names
//! (`reports/*` as `reports/x`) and for one no policy names; what it cannot
//! rule out (an object encrypted with a key the caller may use, or one the
//! caller's own account wrote to an ObjectWriter bucket) is *conditional*,
//! never absent.

use std::collections::BTreeSet;

use super::super::data::authorize::denies_only;
use super::super::data::kms::{aws_s3_key_arn, via_s3};
use super::super::data::ownership::Ownership;
use super::super::data::public::is_public;
use super::super::decide::ResourceSide;
use super::super::identity::Identity;
use super::super::model::Bucket;
use super::super::world::World;
use super::assess::{On, assess_on, three_valued};
use super::caller::{Caller, Known, is_inside};
use super::callers::CallerIndex;
use super::data_edge::{DataAccess, DataEdge};
use super::edge::Conditions;
use super::known::Target;
use super::outside::named_by;
use xacct_iam::{Policy, Resources, Verdict};

type Decided = (Verdict, Option<Box<Conditions>>);

const NEVER: Decided = (Verdict::Never, None);
const ALWAYS: Decided = (Verdict::Always, None);

/// Both must hold.
fn and(a: Decided, b: Decided) -> Decided {
    match (a.0, b.0) {
        (Verdict::Never, _) | (_, Verdict::Never) => NEVER,
        (Verdict::Always, Verdict::Always) => ALWAYS,
        (Verdict::Always, _) => b,
        (_, Verdict::Always) => a,
        // Both conditional: every pair of alternatives, every exception.
        _ => {
            let (x, y) = (a.1.unwrap_or_default(), b.1.unwrap_or_default());
            let when = match (x.when.is_empty(), y.when.is_empty()) {
                (true, _) => y.when.clone(),
                (_, true) => x.when.clone(),
                _ => x
                    .when
                    .iter()
                    .flat_map(|p| y.when.iter().map(move |q| [p.clone(), q.clone()].concat()))
                    .collect(),
            };
            let unless = [x.unless, y.unless].concat();
            (
                Verdict::Conditional,
                Some(Box::new(Conditions { when, unless })),
            )
        }
    }
}

/// Either may hold. The exceptions are dropped (that only ever shows more
/// ways in, never fewer).
fn or(a: Decided, b: Decided) -> Decided {
    match (a.0, b.0) {
        (Verdict::Always, _) | (_, Verdict::Always) => ALWAYS,
        (Verdict::Never, _) => b,
        (_, Verdict::Never) => a,
        _ => {
            let (x, y) = (a.1.unwrap_or_default(), b.1.unwrap_or_default());
            let when = if x.when.is_empty() || y.when.is_empty() {
                Vec::new()
            } else {
                [x.when, y.when].concat()
            };
            let conditions = Conditions {
                when,
                unless: Vec::new(),
            };
            (Verdict::Conditional, Some(Box::new(conditions)))
        }
    }
}

/// A key that stands for the objects a pattern names: each wildcard and
/// policy variable as one letter.
fn stand_in_key(pattern: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        out.push('x');
        rest = rest[at..].find('}').map_or("", |end| &rest[at + end + 1..]);
    }
    out.push_str(rest);
    out.replace(['*', '?'], "x")
}

/// The keys tried for `bucket`: its objects, one per object pattern a
/// policy of the world names for it, and one no policy names.
fn probe_keys<'w>(world: &'w World, bucket: &Bucket) -> BTreeSet<String> {
    let model = world.model();
    let mut policies: Vec<&'w Policy> = Vec::new();
    for account in model.accounts.values() {
        for user in account.users.values() {
            policies.extend(user.policies.iter().chain(&user.managed).map(|(_, p)| p));
        }
        for role in account.roles.values() {
            policies.extend(role.policies.iter().chain(&role.managed).map(|(_, p)| p));
        }
        policies.extend(account.managed_policies.values());
    }
    let mut keys: BTreeSet<String> = bucket.objects.iter().map(|(k, _)| k.clone()).collect();
    keys.insert("xacct-any-key".to_owned());
    let named = policies
        .into_iter()
        .chain(bucket.policy.as_ref())
        .flat_map(|p| &p.statements)
        .filter_map(|s| match &s.resources {
            Some(Resources::Only(list) | Resources::AllBut(list)) => Some(list),
            None => None,
        })
        .flatten();
    for pattern in named {
        let Some(rest) = pattern.raw.strip_prefix("arn:aws:s3:::") else {
            continue;
        };
        let Some((name, key)) = rest.split_once('/') else {
            continue;
        };
        if xacct_iam::Pattern::wildcard(name).matches(&bucket.name) {
            keys.insert(stand_in_key(key));
        }
    }
    keys
}

/// The callers a data call can come from: the world's users and roles
/// (a token's bearer signs no S3 call), then the stand-ins for outsiders.
fn signers<'c>(index: &'c CallerIndex, outsiders: &'c [Caller]) -> Vec<&'c Caller> {
    index
        .all()
        .iter()
        .filter(|c| c.known == Known::Member && !matches!(c.identity, Identity::Token { .. }))
        .chain(outsiders)
        .collect()
}

/// One bucket as the analysis sees it.
struct BucketAt<'b> {
    bucket: &'b Bucket,
    owner: &'b str,
    keys: BTreeSet<String>,
}

impl World {
    /// Every principal's read and write access to every bucket's objects:
    /// each pair *always*, *conditional* (with what it needs) or *never*
    /// (no edge).
    pub fn data_edges(&self) -> Vec<DataEdge> {
        let model = self.model();
        let index = CallerIndex::new(self);
        let policies = model.accounts.values().flat_map(|a| {
            let buckets = a.buckets.iter().filter_map(|b| b.policy.as_ref());
            let keys = a.kms_keys.values().map(|k| &k.policy);
            buckets.chain(keys)
        });
        let outsiders = named_by(self, policies);
        let callers = signers(&index, &outsiders);
        let mut edges = Vec::new();
        for account in model.accounts.values() {
            for bucket in &account.buckets {
                let target = BucketAt {
                    bucket,
                    owner: &account.id,
                    keys: probe_keys(self, bucket),
                };
                for caller in &callers {
                    edges.extend(self.bucket_edges(caller, &target));
                }
            }
        }
        edges
    }

    /// Each customer managed KMS key that a principal of another account
    /// (or a stand-in for one) may use through S3 (`kms:Decrypt`), with
    /// that principal and the verdict.
    pub(super) fn keys_open_to_other_accounts(&self) -> Vec<(String, String, Verdict)> {
        let model = self.model();
        let index = CallerIndex::new(self);
        let keys: Vec<_> = model
            .accounts
            .values()
            .flat_map(|a| a.kms_keys.values())
            .filter(|k| !k.aws_managed)
            .collect();
        let outsiders = named_by(self, keys.iter().map(|k| &k.policy));
        let callers = signers(&index, &outsiders);
        let mut out = Vec::new();
        for key in keys {
            let region = key.arn.split(':').nth(3).unwrap_or_default();
            for caller in callers
                .iter()
                .filter(|c| c.identity.account() != key.account)
            {
                let (verdict, _) = self.key_verdict(caller, &key.arn, "kms:Decrypt", region);
                if verdict != Verdict::Never {
                    out.push((key.arn.clone(), caller.arn.clone(), verdict));
                }
            }
        }
        out
    }

    /// The read and write edges of `caller` on one bucket.
    fn bucket_edges(&self, caller: &Caller, at: &BucketAt<'_>) -> Vec<DataEdge> {
        let write = self.write_verdict(caller, at);
        let (read, read_why) = self.read_verdict(caller, at, write.0 != Verdict::Never);
        let crosses_account = caller.identity.account() != at.owner;
        let outside = !is_inside(self, caller);
        let edge = |access, decided: Decided, why: String| DataEdge {
            from: caller.arn.clone(),
            bucket: at.bucket.name.clone(),
            owner: at.owner.to_owned(),
            access,
            verdict: decided.0,
            conditions: decided.1,
            why,
            crosses_account,
            outside,
        };
        let mut out = Vec::new();
        if read.0 != Verdict::Never {
            out.push(edge(DataAccess::Read, read, read_why));
        }
        if write.0 != Verdict::Never {
            let why = match &at.bucket.default_kms_key {
                Some(key) => format!("s3:PutObject and kms:GenerateDataKey on {key}"),
                None => "s3:PutObject".to_owned(),
            };
            out.push(edge(DataAccess::Write, write, why));
        }
        out
    }

    /// `action` on some object of the bucket, the policy S3 applies to
    /// this caller (only its denies when BPA restricts a public one).
    /// `owner` is the objects' owner: the bucket's, or the caller's own
    /// account for objects it wrote that ownership leaves it.
    fn object_verdict(
        &self,
        caller: &Caller,
        at: &BucketAt<'_>,
        action: &str,
        (policy, owner): (Option<&Policy>, &str),
    ) -> Decided {
        let side = ResourceSide {
            name: &at.bucket.name,
            account: owner,
            policy,
        };
        at.keys.iter().fold(NEVER, |best, key| {
            if best.0 == Verdict::Always {
                return best;
            }
            let arn = format!("arn:aws:s3:::{}/{key}", at.bucket.name);
            let on = On {
                action,
                resource: &arn,
                side,
                target: Target {
                    account: owner,
                    tags: Vec::new(),
                },
                extra: &[],
            };
            let decided = assess_on(self, caller, on, |a, context, _| {
                three_valued(self, caller, a, context)
            });
            or(best, decided)
        })
    }

    /// The bucket policy as S3 applies it to `caller`.
    fn applied_policy(&self, caller: &Caller, at: &BucketAt<'_>) -> Option<Policy> {
        let outside = caller.identity.account() != at.owner;
        let policy = at.bucket.policy.as_ref()?;
        let restricted =
            at.bucket.public_access_block.restrict_public_buckets && outside && is_public(policy);
        Some(if restricted {
            denies_only(policy)
        } else {
            policy.clone()
        })
    }

    /// `kms:*` `action` on `key` for S3 acting for `caller`.
    fn key_verdict(&self, caller: &Caller, key: &str, action: &str, region: &str) -> Decided {
        let Some(key) = self.model().kms_key(key) else {
            return NEVER;
        };
        let extra = via_s3(region, caller.identity.account());
        let on = On {
            action,
            resource: &key.arn,
            side: ResourceSide {
                name: &key.id,
                account: &key.account,
                policy: Some(&key.policy),
            },
            target: Target {
                account: &key.account,
                tags: Vec::new(),
            },
            extra: &extra,
        };
        assess_on(self, caller, on, |a, context, _| {
            three_valued(self, caller, a, context)
        })
    }

    fn write_verdict(&self, caller: &Caller, at: &BucketAt<'_>) -> Decided {
        let policy = self.applied_policy(caller, at);
        let s3 = self.object_verdict(caller, at, "s3:PutObject", (policy.as_ref(), at.owner));
        match (&at.bucket.default_kms_key, s3.0) {
            (_, Verdict::Never) | (None, _) => s3,
            (Some(key), _) => and(
                s3,
                self.key_verdict(caller, key, "kms:GenerateDataKey", &at.bucket.region),
            ),
        }
    }

    /// Reading some object: the bucket's way (S3, then each key its objects
    /// use), or an object the caller's own account wrote (or may write) to
    /// a bucket whose ownership leaves it the writer's.
    fn read_verdict(
        &self,
        caller: &Caller,
        at: &BucketAt<'_>,
        can_write: bool,
    ) -> (Decided, String) {
        let policy = self.applied_policy(caller, at);
        let s3 = self.object_verdict(caller, at, "s3:GetObject", (policy.as_ref(), at.owner));
        let region = &at.bucket.region;
        let mut keys: BTreeSet<Option<&str>> = at
            .bucket
            .objects
            .iter()
            .map(|(_, o)| o.kms_key.as_deref())
            .collect();
        keys.insert(at.bucket.default_kms_key.as_deref());
        let kms = keys.iter().fold(NEVER, |best, key| match key {
            None => ALWAYS,
            Some(key) => or(best, self.key_verdict(caller, key, "kms:Decrypt", region)),
        });
        let mut why = match at.bucket.default_kms_key.as_deref() {
            Some(key) => format!("s3:GetObject and kms:Decrypt on {key}"),
            None => "s3:GetObject".to_owned(),
        };
        let mut read = and(s3.clone(), kms.clone());
        if read.0 == Verdict::Never && s3.0 != Verdict::Never {
            // A writer may encrypt a new object with any key of the
            // bucket's region (or the owner's aws/s3): one this caller may
            // decrypt lets it read that object.
            let owner_default = aws_s3_key_arn(at.owner, region);
            let usable = self
                .model()
                .accounts
                .values()
                .flat_map(|a| a.kms_keys.keys())
                .map(String::as_str)
                .filter(|k| k.split(':').nth(3) == Some(region.as_str()))
                .chain([owner_default.as_str()])
                .filter(|k| !keys.contains(&Some(*k)))
                .find(|k| self.key_verdict(caller, k, "kms:Decrypt", region).0 != Verdict::Never)
                .map(str::to_owned);
            if let Some(key) = usable {
                read = (Verdict::Conditional, None);
                why = format!(
                    "s3:GetObject of an object written with {key}, which it may decrypt (no key its objects use now lets it)"
                );
            }
        }
        let writer_keeps = at.bucket.ownership != Ownership::BucketOwnerEnforced
            && caller.identity.account() != at.owner;
        let owns_some = can_write
            || at
                .bucket
                .objects
                .iter()
                .any(|(_, o)| o.owner == caller.identity.account());
        if read.0 == Verdict::Never && writer_keeps && owns_some {
            // Its own objects: their ACL grants its account, and the bucket
            // policy's denies still bind.
            let denies = at.bucket.policy.as_ref().map(denies_only);
            let own = self.object_verdict(
                caller,
                at,
                "s3:GetObject",
                (denies.as_ref(), caller.identity.account()),
            );
            if own.0 != Verdict::Never {
                read = (Verdict::Conditional, None);
                why = format!(
                    "an object its own account wrote: Object Ownership {} leaves it the writer's, readable through its ACL",
                    at.bucket.ownership.name()
                );
            }
        }
        (read, why)
    }
}

#[cfg(test)]
mod tests {
    use super::stand_in_key;

    #[test]
    fn a_pattern_stands_for_a_key_it_names() {
        assert_eq!(stand_in_key("reports/*"), "reports/x");
        assert_eq!(stand_in_key("home/${aws:username}/*"), "home/x/x");
        assert_eq!(stand_in_key("a?c"), "axc");
    }
}
