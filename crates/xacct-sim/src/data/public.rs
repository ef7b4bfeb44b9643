//! Block Public Access and what S3 calls a public bucket policy ("Blocking
//! public access to your Amazon S3 storage", "The meaning of public").

use xacct_iam::{Effect, Policy, PrincipalName, Principals, Statement};

/// A bucket's Block Public Access settings (all on unless a scenario says
/// otherwise, as S3 sets them on every new bucket since April 2023).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PublicAccessBlock {
    /// Refuse a write that sets a public ACL.
    pub block_public_acls: bool,
    /// Ignore public ACLs.
    pub ignore_public_acls: bool,
    /// Refuse a public bucket policy.
    pub block_public_policy: bool,
    /// A public policy grants only to the bucket's account and AWS services.
    pub restrict_public_buckets: bool,
}

impl Default for PublicAccessBlock {
    fn default() -> Self {
        Self {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: true,
        }
    }
}

/// The condition keys whose fixed values make a statement non-public
/// ("The meaning of public", S3 User Guide).
const NARROWING_KEYS: [&str; 10] = [
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
    "aws:userid",
    "s3:dataaccesspointarn",
];

/// Whether a bucket policy is public: an Allow whose principal is anyone,
/// with no condition that pins a narrowing key to fixed values.
pub(crate) fn is_public(policy: &Policy) -> bool {
    policy.statements.iter().any(|s| is_public_statement(s))
}

/// Whether a statement names anyone (`*`, `{"AWS": "*"}`, any account's root).
fn names_anyone(statement: &Statement) -> bool {
    match &statement.principals {
        Some(Principals::Only(values)) => values
            .iter()
            .any(|v| matches!(v.name, PrincipalName::Anyone | PrincipalName::AnyAccount)),
        // `NotPrincipal` with Allow applies to everyone but a few.
        Some(Principals::AllBut(_)) => true,
        None => false,
    }
}

fn is_public_statement(statement: &Statement) -> bool {
    statement.effect == Effect::Allow
        && names_anyone(statement)
        && !statement.conditions.iter().any(|c| {
            NARROWING_KEYS.contains(&c.key_lower.as_str())
                && !c.operator_name.contains("IfExists")
                && c.raw_values
                    .iter()
                    .all(|v| !v.contains('*') && !v.contains('?'))
        })
}

#[cfg(test)]
mod tests {
    use super::is_public;

    fn policy(text: &str) -> xacct_iam::Policy {
        match xacct_iam::parse_text_as(text, xacct_iam::PolicyKind::Resource) {
            Ok(p) => p,
            Err(e) => unreachable!("test policy: {e:?}"),
        }
    }

    #[test]
    fn anyone_without_a_narrowing_condition_is_public() {
        let open = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        assert!(is_public(&policy(open)));
        let org = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}"#;
        assert!(!is_public(&policy(org)));
        let wild = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"aws:PrincipalOrgID":"o-*"}}}]}"#;
        assert!(is_public(&policy(wild)));
        let account = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        assert!(!is_public(&policy(account)));
    }
}
