//! The session policies of AssumeRole, AssumeRoleWithWebIdentity and
//! GetFederationToken: the inline `Policy` (the STS model's limits, then
//! the IAM grammar), the managed `PolicyArns`, and the packed size of both
//! with the session tags, each refused in AWS's words.

use super::super::aws_error::{AwsError, text_violations};
use super::super::managed::resolve;
use super::super::model::Model;
use xacct_aws::cloud::params::POLICY;
use xacct_iam::{Policy, PolicyKind, parse_text_as};

/// The session policy, compiled; `None` when none was passed.
pub(super) fn session_policy(text: Option<&str>) -> Result<Option<Policy>, AwsError> {
    let Some(text) = text else { return Ok(None) };
    let violations = text_violations(&POLICY, text);
    if !violations.is_empty() {
        return Err(AwsError::validation(&violations));
    }
    parse_text_as(text, PolicyKind::Session)
        .map(Some)
        .map_err(|e| {
            AwsError::malformed_policy(&format!(
                "Syntax errors in policy. ({}: {})",
                e.path, e.message
            ))
        })
}

/// Every `PolicyArns` member names a managed policy the world knows: an
/// AWS managed policy of the catalogue, or a customer managed policy of the
/// role's account (AWS: "The policies must exist in the same account as
/// the role").
pub(super) fn managed_session_policies(
    model: &Model,
    arns: &[String],
    role_account: &str,
) -> Result<(), AwsError> {
    let none = std::collections::BTreeMap::new();
    let own = model
        .accounts
        .get(role_account)
        .map_or(&none, |a| &a.managed_policies);
    for arn in arns {
        if resolve(arn, role_account, own).is_err() {
            return Err(AwsError::malformed_policy(&format!(
                "The policy {arn} does not exist or is not attachable."
            )));
        }
    }
    Ok(())
}

/// What 100 % of the packed allowance holds, in the units [`packed_bytes`]
/// counts. AWS's packing is not published. This is calibrated on the two
/// public data points: AWS's AssumeRole example (a one-statement policy and
/// three session tags: `PackedPolicySize` 6) and an observed refusal (a
/// 42-action policy of 1,690 characters: "Packed policy consumes 157% of
/// allotted space").
pub(super) const PACKED_ALLOWANCE: usize = 1076;

/// The packed size estimate: the policy's string values (IAM's vocabulary,
/// `Version` and `Effect`, counted as one each, as a packer would code
/// them), each managed policy ARN, and each session tag's key and value.
pub(super) fn packed_bytes(
    policy: Option<&str>,
    arns: &[String],
    tags: &[(String, String)],
) -> usize {
    let policy_bytes = policy
        .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
        .map_or(0, |doc| strings(&doc, None));
    policy_bytes
        + arns.iter().map(|a| a.chars().count()).sum::<usize>()
        + tags
            .iter()
            .map(|(k, v)| k.chars().count() + v.chars().count())
            .sum::<usize>()
}

fn strings(value: &serde_json::Value, key: Option<&str>) -> usize {
    match value {
        serde_json::Value::String(s) => match key {
            Some("Version" | "Effect") => 1,
            _ => s.chars().count(),
        },
        serde_json::Value::Array(items) => items.iter().map(|v| strings(v, key)).sum(),
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| strings(v, Some(k)) + usize::from(!v.is_string()))
            .sum(),
        _ => 1,
    }
}

/// `PackedPolicySize`: the share of the allowance used, in whole percent
/// (rounded up); `None` when nothing was passed.
pub(super) fn packed_percent(
    policy: Option<&str>,
    arns: &[String],
    tags: &[(String, String)],
) -> Option<u32> {
    if policy.is_none() && arns.is_empty() && tags.is_empty() {
        return None;
    }
    let bytes = packed_bytes(policy, arns, tags);
    Some(
        u32::try_from(bytes.saturating_mul(100).div_ceil(PACKED_ALLOWANCE))
            .unwrap_or(u32::MAX)
            .max(1),
    )
}

/// [`packed_percent`] checked against the allowance.
pub(super) fn packed_within(
    policy: Option<&str>,
    arns: &[String],
    tags: &[(String, String)],
) -> Result<Option<i32>, AwsError> {
    match packed_percent(policy, arns, tags) {
        Some(p) if p > 100 => Err(AwsError::packed_policy_too_large(p)),
        other => Ok(other.map(|p| i32::try_from(p).unwrap_or(100))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_meets_aws_s_published_examples() {
        let example = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Stmt1","Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#;
        let tags = [
            ("Project".to_owned(), "Unicorn".to_owned()),
            ("Team".to_owned(), "Automation".to_owned()),
            ("Cost-Center".to_owned(), "12345".to_owned()),
        ];
        let p = packed_percent(Some(example), &[], &tags).unwrap_or_default();
        assert!((5..=8).contains(&p), "{p}");
        assert_eq!(packed_percent(None, &[], &[]), None);
    }

    #[test]
    fn the_allowance_is_exact_at_its_boundary() {
        let tag = |n: usize| vec![("k".to_owned(), "v".repeat(n - 1))];
        assert_eq!(
            packed_within(None, &[], &tag(PACKED_ALLOWANCE)).ok(),
            Some(Some(100))
        );
        let over = packed_within(None, &[], &tag(PACKED_ALLOWANCE + 1));
        assert!(over.is_err_and(|e| e.code == "PackedPolicyTooLarge"
            && e.message == "Packed policy consumes 101% of allotted space"));
    }
}
