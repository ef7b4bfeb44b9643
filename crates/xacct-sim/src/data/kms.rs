//! KMS keys as S3's SSE-KMS uses them: customer managed keys with their key
//! policies, and each account's AWS managed key `aws/s3`, whose policy lets
//! only the account's own principals use it, through S3 ("AWS managed
//! keys", AWS KMS Developer Guide; the policy is the one AWS attaches).

use xacct_iam::{Policy, PolicyKind};

/// What a scenario writes for the AWS managed key of S3.
pub(crate) const AWS_S3_ALIAS: &str = "alias/aws/s3";

/// A KMS key.
#[derive(Debug, Clone)]
pub(crate) struct KmsKey {
    /// Its key id.
    pub id: String,
    /// `arn:aws:kms:REGION:ACCOUNT:key/ID`.
    pub arn: String,
    /// The account that owns it.
    pub account: String,
    /// The key policy.
    pub policy: Policy,
    /// Whether it is the account's `aws/s3` key.
    pub aws_managed: bool,
}

/// The key id AWS would give `account`'s `aws/s3` key in `region`: a UUID
/// derived from both, so a world names it the same on every load.
fn aws_s3_key_id(account: &str, region: &str) -> String {
    use sha2::Digest as _;
    let hex = hex::encode(sha2::Sha256::digest(format!("aws/s3:{account}:{region}")));
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The key ARN of `account`'s `aws/s3` key in `region`.
pub(crate) fn aws_s3_key_arn(account: &str, region: &str) -> String {
    format!(
        "arn:aws:kms:{region}:{account}:key/{}",
        aws_s3_key_id(account, region)
    )
}

/// The policy AWS attaches to an account's `aws/s3` key: any principal of
/// the account may use it through S3 in its region, nobody else.
fn aws_s3_policy_text(account: &str, region: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Id":"auto-s3-2","Statement":[{{"Sid":"Allow access through S3 for all principals in the account that are authorized to use S3","Effect":"Allow","Principal":{{"AWS":"*"}},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*","Condition":{{"StringEquals":{{"kms:ViaService":"s3.{region}.amazonaws.com","kms:CallerAccount":"{account}"}}}}}},{{"Sid":"Allow direct access to key metadata to the account","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account}:root"}},"Action":["kms:Describe*","kms:Get*","kms:List*"],"Resource":"*"}}]}}"#
    )
}

/// `account`'s `aws/s3` key in `region`.
pub(crate) fn aws_s3_key(account: &str, region: &str) -> Result<KmsKey, String> {
    let policy =
        xacct_iam::parse_text_as(&aws_s3_policy_text(account, region), PolicyKind::Resource)
            .map_err(|e| format!("the aws/s3 key policy: {e:?}"))?;
    Ok(KmsKey {
        id: aws_s3_key_id(account, region),
        arn: aws_s3_key_arn(account, region),
        account: account.to_owned(),
        policy,
        aws_managed: true,
    })
}

/// The parts of a key ARN: region, account and key id.
pub(crate) fn key_arn_parts(arn: &str) -> Option<(&str, &str, &str)> {
    let rest = arn.strip_prefix("arn:aws:kms:")?;
    let mut parts = rest.splitn(3, ':');
    let (region, account, resource) = (parts.next()?, parts.next()?, parts.next()?);
    let id = resource.strip_prefix("key/")?;
    Some((region, account, id))
}

/// The context S3 gives KMS when it calls on a caller's behalf.
pub(crate) fn via_s3(region: &str, caller_account: &str) -> [(&'static str, String); 2] {
    [
        ("kms:ViaService", format!("s3.{region}.amazonaws.com")),
        ("kms:CallerAccount", caller_account.to_owned()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_aws_s3_policy_parses_and_names_its_key() {
        let key = aws_s3_key("222222222222", "eu-west-1");
        assert!(key.as_ref().is_ok_and(|k| k.policy.statements.len() == 2));
        let arn = aws_s3_key_arn("222222222222", "eu-west-1");
        assert_eq!(
            key_arn_parts(&arn).map(|(r, a, _)| (r, a)),
            Some(("eu-west-1", "222222222222"))
        );
        assert_eq!(key_arn_parts("arn:aws:kms:eu-west-1:1:alias/x"), None);
    }
}
