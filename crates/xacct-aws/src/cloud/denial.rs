//! Why an AssumeRole was likely refused, the one classifier a run, a run
//! across accounts and the hints share. AWS words every
//! refusal of AssumeRole alike unless a guardrail decided it: a missing role
//! and a trust policy that does not admit the caller give the same message
//! (IAM User Guide, "Troubleshooting IAM roles"), while a refusal by a
//! service control policy, a resource control policy or the caller's own
//! policies says so in the message's tail ("... with an explicit deny in a
//! service control policy", "... because no identity-based policy allows
//! ...", "... because no role trust policy allows ...": IAM User Guide,
//! "Access denied error messages").

use super::CloudError;

/// The likely cause of a refused AssumeRole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenialCause {
    /// A service control policy on the caller's account or above it.
    Scp,
    /// A resource control policy on the role's account or above it.
    Rcp,
    /// The caller's own identity policy, boundary or session policy.
    CallerPolicy,
    /// The role's trust policy (AWS's newer wording says so).
    TrustPolicy,
    /// A rule AWS applies before any policy, which its message states: the
    /// root user or a federated user may not assume roles, MFA failed.
    AwsRule,
    /// AWS's message states no reason (its classic wording): the role's
    /// trust policy does not admit the caller, the account has no such role
    /// (AWS answers both alike), the caller's own policies do not allow it,
    /// or a guardrail denies it.
    Unstated,
    /// Not an AccessDenied at all.
    Other,
}

impl DenialCause {
    /// Classifies a refused AssumeRole by AWS's code and message.
    pub fn of(err: &CloudError) -> Self {
        if err.code.as_deref() != Some("AccessDenied") {
            return Self::Other;
        }
        let message = err.message.as_str();
        if message.starts_with("Roles may not be assumed by")
            || message.starts_with("MultiFactorAuthentication failed")
        {
            Self::AwsRule
        } else if message.contains("service control policy") {
            Self::Scp
        } else if message.contains("resource control policy") {
            Self::Rcp
        } else if message.contains("role trust policy") {
            Self::TrustPolicy
        } else if message.contains("identity-based policy")
            || message.contains("permissions boundary")
            || message.contains("session policy")
        {
            Self::CallerPolicy
        } else {
            Self::Unstated
        }
    }

    /// The machine-readable name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Scp => "scp",
            Self::Rcp => "rcp",
            Self::CallerPolicy => "caller-policy",
            Self::TrustPolicy => "trust-policy",
            Self::AwsRule => "aws-rule",
            Self::Unstated => "unstated",
            Self::Other => "other",
        }
    }

    /// The cause and what to check, for people.
    pub fn explain(self, role_name: &str) -> String {
        match self {
            Self::Scp => "a service control policy denies it; see which SCP on the caller's path (`xacct import --org`, then `xacct graph`)".to_owned(),
            Self::Rcp => "a resource control policy on the role's account denies it".to_owned(),
            Self::CallerPolicy => "the caller's own policies do not allow sts:AssumeRole on this role".to_owned(),
            Self::TrustPolicy => "the role's trust policy does not admit the caller".to_owned(),
            Self::AwsRule => "AWS refuses this kind of caller or MFA before any policy, as its message says; start from other credentials".to_owned(),
            Self::Unstated => format!(
                "AWS's message states no reason: the role's trust policy does not admit the caller, the account has no role `{role_name}` (AWS answers both alike), the caller's own policies do not allow sts:AssumeRole on it, or an SCP or RCP denies it"
            ),
            Self::Other => "not a refusal: see AWS's message".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::Operation;

    #[test]
    fn the_message_tail_names_the_guardrail() {
        let base = "User: arn:aws:iam::111111111111:user/a is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/r";
        for (tail, cause) in [
            ("", DenialCause::Unstated),
            (
                " with an explicit deny in a service control policy",
                DenialCause::Scp,
            ),
            (
                " with an explicit deny in a resource control policy",
                DenialCause::Rcp,
            ),
            (
                " because no identity-based policy allows the sts:AssumeRole action",
                DenialCause::CallerPolicy,
            ),
            (
                " because no role trust policy allows the sts:AssumeRole action",
                DenialCause::TrustPolicy,
            ),
        ] {
            assert_eq!(
                DenialCause::of(&CloudError::assume_role_denied(format!("{base}{tail}"))),
                cause,
                "{tail}"
            );
        }
        let throttled = CloudError::from_aws(
            Operation::AssumeRole,
            Some("Throttling"),
            "Rate exceeded",
            Some(400),
            None,
        );
        assert_eq!(DenialCause::of(&throttled), DenialCause::Other);
        for message in [
            "Roles may not be assumed by root accounts.",
            "MultiFactorAuthentication failed with invalid MFA one time pass code.",
        ] {
            assert_eq!(
                DenialCause::of(&CloudError::assume_role_denied(message)),
                DenialCause::AwsRule
            );
        }
    }
}
