//! The bucket operations of the simulated S3: a bucket's policy, Object
//! Ownership and Block Public Access settings read and written, its region
//! (GetBucketLocation) and HeadBucket, each decided like any S3 call and
//! answered with S3's errors (S3 API Reference, each operation's page).

use super::authorize::{Owned, bucket_decision};
use super::ownership::Ownership;
use super::public::{PublicAccessBlock, is_public};
use crate::answer::{Outcome, Why};
use crate::aws_error::AwsError;
use crate::world::{Principal, World};
use xacct_iam::PolicyKind;

/// A bucket call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BucketCall {
    /// `s3:GetBucketPolicy`.
    GetPolicy,
    /// `s3:PutBucketPolicy` with the policy's JSON text.
    PutPolicy(String),
    /// `s3:DeleteBucketPolicy`.
    DeletePolicy,
    /// `s3:GetBucketOwnershipControls`.
    GetOwnership,
    /// `s3:PutBucketOwnershipControls` with the setting's name.
    PutOwnership(String),
    /// `s3:GetPublicAccessBlock`.
    GetPublicAccessBlock,
    /// `s3:PutPublicAccessBlock`: the four settings, in S3's order.
    PutPublicAccessBlock([bool; 4]),
    /// `s3:GetBucketLocation`.
    GetLocation,
    /// `s3:HeadBucket` (authorized as `s3:ListBucket`).
    Head,
    /// `s3:DeleteBucket`.
    Delete,
}

/// What a bucket call answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BucketAnswer {
    /// The bucket policy, as JSON text.
    Policy(String),
    /// The Object Ownership setting's name.
    Ownership(String),
    /// The four Block Public Access settings, in S3's order
    /// (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy,
    /// RestrictPublicBuckets).
    PublicAccessBlock([bool; 4]),
    /// The bucket's region.
    Location(String),
    /// HeadBucket's: the bucket is there, in this region.
    Found(String),
    /// Done, nothing to return.
    Done,
}

impl BucketCall {
    /// The IAM action that authorizes it.
    pub fn action(&self) -> &'static str {
        match self {
            Self::GetPolicy => "s3:GetBucketPolicy",
            Self::PutPolicy(_) => "s3:PutBucketPolicy",
            Self::DeletePolicy => "s3:DeleteBucketPolicy",
            Self::GetOwnership => "s3:GetBucketOwnershipControls",
            Self::PutOwnership(_) => "s3:PutBucketOwnershipControls",
            Self::GetPublicAccessBlock => "s3:GetBucketPublicAccessBlock",
            Self::PutPublicAccessBlock(_) => "s3:PutBucketPublicAccessBlock",
            Self::GetLocation => "s3:GetBucketLocation",
            Self::Head => "s3:ListBucket",
            Self::Delete => "s3:DeleteBucket",
        }
    }

    /// The operation's name, as faults and the record know it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::GetPublicAccessBlock => "s3:GetPublicAccessBlock",
            Self::PutPublicAccessBlock(_) => "s3:PutPublicAccessBlock",
            Self::Head => "s3:HeadBucket",
            other => other.action(),
        }
    }

    /// Whether only the bucket owner's account may make it (the
    /// configuration calls: S3 API Reference, PutBucketPolicy, "belong to
    /// the bucket owner's account").
    fn owner_only(&self) -> bool {
        !matches!(self, Self::GetLocation | Self::Head)
    }
}

fn block(pab: PublicAccessBlock) -> [bool; 4] {
    [
        pab.block_public_acls,
        pab.ignore_public_acls,
        pab.block_public_policy,
        pab.restrict_public_buckets,
    ]
}

impl World {
    /// One bucket call from `who` on `bucket`.
    pub(crate) fn bucket_call(
        &self,
        who: &Principal,
        name: &str,
        call: &BucketCall,
    ) -> Outcome<BucketAnswer> {
        let refused = |error: AwsError, why: Why| Outcome::refused(who.who().clone(), error, why);
        let Some((owner, bucket)) = self.store().bucket(name) else {
            return refused(
                AwsError::new("NoSuchBucket", 404, "The specified bucket does not exist")
                    .with_detail("BucketName", name),
                Why::rule(format!("no account of the world owns a bucket `{name}`")),
            );
        };
        let owned = Owned {
            bucket: &bucket,
            owner: &owner,
        };
        let arn = format!("arn:aws:s3:::{name}");
        let verdict = bucket_decision(self, &who.identity, call.action(), &arn, owned, &[]);
        if !verdict.allowed {
            return refused(AwsError::s3_access_denied(), verdict.why);
        }
        let mut why = verdict.why;
        if call.owner_only() && who.identity.account() != owner {
            why.note(format!(
                "only principals of the bucket owner's account {owner} may make {}",
                call.name()
            ));
            return refused(
                AwsError::new(
                    "MethodNotAllowed",
                    405,
                    "The specified method is not allowed against this resource.",
                ),
                why,
            );
        }
        let result = match call {
            BucketCall::GetPolicy => match &bucket.policy {
                Some(policy) => Ok(BucketAnswer::Policy(
                    xacct_iam::policy_to_json(policy).to_string(),
                )),
                None => Err(AwsError::new(
                    "NoSuchBucketPolicy",
                    404,
                    "The bucket policy does not exist",
                )
                .with_detail("BucketName", name)),
            },
            BucketCall::PutPolicy(text) => {
                let policy = match xacct_iam::parse_text_as(text, PolicyKind::Resource) {
                    Ok(policy) => policy,
                    Err(e) => {
                        return refused(
                            AwsError::new("MalformedPolicy", 400, format!("{e}")),
                            Why::rule("the policy is not a valid bucket policy"),
                        );
                    }
                };
                if bucket.public_access_block.block_public_policy && is_public(&policy) {
                    return refused(
                        AwsError::s3_access_denied(),
                        Why::rule(format!(
                            "Block Public Access (block_public_policy) on `{name}` refuses a public bucket policy: a statement allows a `*` principal with no condition that pins it to an account, organization, VPC or source"
                        )),
                    );
                }
                self.store().update(name, |b| b.policy = Some(policy));
                Ok(BucketAnswer::Done)
            }
            BucketCall::DeletePolicy => {
                self.store().update(name, |b| b.policy = None);
                Ok(BucketAnswer::Done)
            }
            BucketCall::GetOwnership => {
                Ok(BucketAnswer::Ownership(bucket.ownership.name().to_owned()))
            }
            BucketCall::PutOwnership(setting) => match Ownership::parse(setting) {
                Some(ownership) => {
                    self.store().update(name, |b| b.ownership = ownership);
                    Ok(BucketAnswer::Done)
                }
                None => Err(AwsError::new(
                    "MalformedXML",
                    400,
                    "The XML you provided was not well-formed or did not validate against our published schema",
                )),
            },
            BucketCall::GetPublicAccessBlock => Ok(BucketAnswer::PublicAccessBlock(block(
                bucket.public_access_block,
            ))),
            BucketCall::PutPublicAccessBlock([acls, ignore, policy, restrict]) => {
                let settings = PublicAccessBlock {
                    block_public_acls: *acls,
                    ignore_public_acls: *ignore,
                    block_public_policy: *policy,
                    restrict_public_buckets: *restrict,
                };
                self.store()
                    .update(name, |b| b.public_access_block = settings);
                Ok(BucketAnswer::Done)
            }
            BucketCall::GetLocation => Ok(BucketAnswer::Location(bucket.region.clone())),
            BucketCall::Head => Ok(BucketAnswer::Found(bucket.region.clone())),
            BucketCall::Delete => {
                let mut contents = self.store().lock();
                let buckets = &mut contents.buckets;
                if buckets.get(name).is_some_and(|s| !s.objects.is_empty()) {
                    Err(AwsError::new(
                        "BucketNotEmpty",
                        409,
                        "The bucket you tried to delete is not empty",
                    )
                    .with_detail("BucketName", name))
                } else {
                    buckets.remove(name);
                    // Its uploads in progress go with it, and their room: S3
                    // deletes a bucket with uploads in progress (observed,
                    // ceph/ceph#15630, scality/cloudserver#1591).
                    let gone: Vec<String> = contents
                        .uploads
                        .iter()
                        .filter(|(_, u)| u.at.bucket == name)
                        .map(|(id, _)| id.clone())
                        .collect();
                    for id in gone {
                        if let Some(upload) = contents.uploads.remove(&id) {
                            super::store::Store::release(&mut contents, upload.footprint());
                        }
                    }
                    Ok(BucketAnswer::Done)
                }
            }
        };
        Outcome {
            result,
            caller: who.who().clone(),
            why: Some(why),
        }
    }
}
