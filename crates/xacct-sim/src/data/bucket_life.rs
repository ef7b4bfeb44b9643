//! CreateBucket: a new bucket of the caller's account, with S3's settings
//! for new buckets (Object Ownership BucketOwnerEnforced and every Block
//! Public Access setting on, since April 2023), its name checked as S3
//! checks it ("Bucket naming rules", S3 User Guide).

use super::ownership::Ownership;
use super::public::PublicAccessBlock;
use super::store::Stored;
use crate::answer::{Outcome, Why};
use crate::aws_error::AwsError;
use crate::decide::{ResourceSide, decide};
use crate::model::Bucket;
use crate::world::{Principal, World};

/// Whether S3 accepts `name` for a new bucket: 3 to 63 lowercase letters,
/// digits, dots and hyphens, starting and ending with a letter or digit,
/// no two dots together, not an IP address.
pub(crate) fn valid_bucket_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    (3..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'.' || *b == b'-')
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        && !name.contains("..")
        && name.parse::<std::net::Ipv4Addr>().is_err()
}

impl World {
    /// `s3:CreateBucket` of `name` in `region` (the world's when absent).
    pub(crate) fn create_bucket(
        &self,
        who: &Principal,
        name: &str,
        region: Option<&str>,
    ) -> Outcome<()> {
        let refused = |error: AwsError, why: Why| Outcome::refused(who.who().clone(), error, why);
        if !valid_bucket_name(name) {
            return refused(
                AwsError::new(
                    "InvalidBucketName",
                    400,
                    "The specified bucket is not valid.",
                )
                .with_detail("BucketName", name),
                Why::rule(format!(
                    "`{name}` breaks S3's bucket naming rules (3-63 lowercase letters, digits, dots and hyphens)"
                )),
            );
        }
        let account = who.identity.account().to_owned();
        let arn = format!("arn:aws:s3:::{name}");
        let side = ResourceSide {
            name,
            account: &account,
            policy: None,
        };
        let decided = decide(
            self,
            &who.identity,
            "s3:CreateBucket",
            &arn,
            Some(side),
            &[],
        );
        if !decided.allowed {
            return refused(AwsError::s3_access_denied(), decided.why);
        }
        let mut contents = self.store().lock();
        let buckets = &mut contents.buckets;
        if let Some(existing) = buckets.get(name) {
            let error = if existing.owner == account {
                AwsError::new(
                    "BucketAlreadyOwnedByYou",
                    409,
                    "Your previous request to create the named bucket succeeded and you already own it.",
                )
            } else {
                AwsError::new(
                    "BucketAlreadyExists",
                    409,
                    "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
                )
            };
            return refused(
                error.with_detail("BucketName", name),
                Why::rule(format!(
                    "account {} already owns a bucket `{name}`",
                    existing.owner
                )),
            );
        }
        let bucket = Bucket {
            name: name.to_owned(),
            created: self.now(),
            region: region.unwrap_or(self.region()).to_owned(),
            policy: None,
            ownership: Ownership::BucketOwnerEnforced,
            public_access_block: PublicAccessBlock::default(),
            default_kms_key: None,
            objects: Vec::new(),
        };
        buckets.insert(
            name.to_owned(),
            Stored {
                owner: account,
                bucket,
                objects: Default::default(),
            },
        );
        Outcome {
            result: Ok(()),
            caller: who.who().clone(),
            why: Some(decided.why),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::valid_bucket_name;

    #[test]
    fn bucket_names_follow_s3s_rules() {
        assert!(valid_bucket_name("my-bucket.2026"));
        for bad in [
            "ab",
            "My-Bucket",
            "-start",
            "end-",
            "a..b",
            "192.168.1.1",
            "under_score",
        ] {
            assert!(!valid_bucket_name(bad), "{bad}");
        }
    }
}
