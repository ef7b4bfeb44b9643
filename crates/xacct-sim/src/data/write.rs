//! What every write of an object must pass before S3 stores a byte
//! (PutObject, CopyObject's destination, CreateMultipartUpload): Object
//! Ownership's ACL rule, Block Public Access on ACLs, the SSE-KMS key's
//! existence, `s3:PutObject` with the request's keys, then the key's KMS
//! permissions; and who will own the object.

use super::authorize::{Owned, Verdict, bucket_decision, kms_decision};
use super::bucket_build::resolve_key;
use super::ownership::is_public_acl;
use crate::answer::Why;
use crate::aws_error::AwsError;
use crate::world::{Principal, World};
use xacct_aws::cloud::ObjectKey;

/// A write as asked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WriteAsk<'a> {
    /// Where.
    pub at: &'a ObjectKey,
    /// `x-amz-acl`, when given.
    pub acl: Option<&'a str>,
    /// `x-amz-server-side-encryption-aws-kms-key-id`, when given.
    pub kms_key: Option<&'a str>,
    /// The KMS actions the write needs on its key (`kms:GenerateDataKey`;
    /// a multipart upload also `kms:Decrypt`).
    pub kms_actions: &'a [&'a str],
}

/// A write S3 admits: the object's owner, ACL and key, and why.
#[derive(Debug, Clone)]
pub(crate) struct Admitted {
    /// The account that will own the object.
    pub owner: String,
    /// Its canned ACL (`private` when none was given).
    pub acl: String,
    /// Its SSE-KMS key ARN; `None` for SSE-S3.
    pub kms_key: Option<String>,
    /// Why it is admitted.
    pub why: Why,
}

impl World {
    /// Decides a write of `ask` by `who` into `owned`.
    pub(crate) fn admit_write(
        &self,
        who: &Principal,
        ask: &WriteAsk<'_>,
        owned: Owned<'_>,
    ) -> Result<Admitted, Box<(AwsError, Why)>> {
        let identity = &who.identity;
        let bucket = owned.bucket;
        let acl = ask.acl;
        if !bucket.ownership.accepts(acl) {
            return Err(Box::new((
                AwsError::new(
                    "AccessControlListNotSupported",
                    400,
                    "The bucket does not allow ACLs",
                ),
                Why::rule(format!(
                    "the bucket `{}` has Object Ownership BucketOwnerEnforced: ACLs are disabled, and a write may set only bucket-owner-full-control",
                    bucket.name
                )),
            )));
        }
        if acl.is_some_and(is_public_acl) && bucket.public_access_block.block_public_acls {
            return Err(Box::new((
                AwsError::s3_access_denied(),
                Why::rule(format!(
                    "Block Public Access (block_public_acls) on `{}` refuses a write that sets a public ACL",
                    bucket.name
                )),
            )));
        }
        let key = match ask.kms_key {
            Some(value) => match resolve_key(value, owned.owner, &bucket.region, "kms_key") {
                Ok(arn) if self.model().kms_key(&arn).is_some() => Some(arn),
                _ => {
                    return Err(Box::new((
                        AwsError::new(
                            "KMS.NotFoundException",
                            400,
                            format!("Key '{value}' does not exist"),
                        ),
                        Why::rule(format!(
                            "the KMS key `{value}` is no key of the world in {}",
                            bucket.region
                        )),
                    )));
                }
            },
            None => bucket.default_kms_key.clone(),
        };
        let arn = format!("arn:aws:s3:::{}/{}", ask.at.bucket, ask.at.key);
        let mut context: Vec<(&str, String)> = Vec::new();
        if let Some(acl) = acl {
            context.push(("s3:x-amz-acl", acl.to_owned()));
        }
        if let Some(key) = &key {
            context.push(("s3:x-amz-server-side-encryption", "aws:kms".to_owned()));
            context.push((
                "s3:x-amz-server-side-encryption-aws-kms-key-id",
                key.clone(),
            ));
        }
        let Verdict { allowed, mut why } =
            bucket_decision(self, identity, "s3:PutObject", &arn, owned, &context);
        if !allowed {
            return Err(Box::new((AwsError::s3_access_denied(), why)));
        }
        if let Some(key) = &key {
            for action in ask.kms_actions {
                let kms = kms_decision(self, identity, action, key, &bucket.region);
                let allowed = kms.allowed;
                why = why.and_then(
                    &format!("SSE-KMS: writing needs {action} on the key"),
                    kms.why,
                );
                if !allowed {
                    return Err(Box::new((AwsError::s3_access_denied(), why)));
                }
            }
        }
        let acl = acl.unwrap_or("private");
        let owner = bucket.ownership.owner(owned.owner, identity.account(), acl);
        if owner != owned.owner {
            why.note(format!(
                "the new object belongs to the writer's account {owner} (Object Ownership {}, ACL `{acl}`): the bucket owner reads it only if the ACL grants it",
                bucket.ownership.name()
            ));
        }
        Ok(Admitted {
            owner: owner.to_owned(),
            acl: acl.to_owned(),
            kms_key: key,
            why,
        })
    }
}
