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
    /// A rule AWS applies before any policy: the root user may not assume
    /// roles ("Roles may not be assumed by root accounts").
    RootCaller,
    /// A rule AWS applies before any policy: a GetFederationToken session
    /// may not assume roles ("Roles may not be assumed by federated users").
    FederatedCaller,
    /// The MFA serial or code was not accepted ("MultiFactorAuthentication
    /// failed ...").
    Mfa,
    /// The session would carry session tags (passed, or transitive ones
    /// inherited) and `sts:TagSession` is not allowed for them.
    SessionTags,
    /// The session would carry a source identity and
    /// `sts:SetSourceIdentity` is not allowed.
    SourceIdentity,
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
        if message.starts_with("Roles may not be assumed by root") {
            Self::RootCaller
        } else if message.starts_with("Roles may not be assumed by federated") {
            Self::FederatedCaller
        } else if message.starts_with("MultiFactorAuthentication failed") {
            Self::Mfa
        } else if message.contains("service control policy") {
            Self::Scp
        } else if message.contains("resource control policy") {
            Self::Rcp
        } else if message.contains("sts:TagSession") {
            Self::SessionTags
        } else if message.contains("sts:SetSourceIdentity") {
            Self::SourceIdentity
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
            Self::RootCaller | Self::FederatedCaller | Self::Mfa => "aws-rule",
            Self::SessionTags => "tag-session",
            Self::SourceIdentity => "set-source-identity",
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
            Self::RootCaller => "the caller is the account's root user, which AWS never lets assume a role; start from an IAM user's keys or a role session".to_owned(),
            Self::FederatedCaller => "the caller is a GetFederationToken session, which AWS never lets assume a role; start from the IAM user's own keys or a role session".to_owned(),
            Self::Mfa => "the MFA serial or code was not accepted".to_owned(),
            Self::SessionTags => format!("the session gets session tags and the trust policy of `{role_name}` (or, across accounts, the caller's policy) does not allow sts:TagSession for them"),
            Self::SourceIdentity => format!("the session gets a source identity and the trust policy of `{role_name}` (or, across accounts, the caller's policy) does not allow sts:SetSourceIdentity"),
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
        for (message, cause) in [
            (
                "Roles may not be assumed by root accounts.",
                DenialCause::RootCaller,
            ),
            (
                "Roles may not be assumed by federated users",
                DenialCause::FederatedCaller,
            ),
            (
                "MultiFactorAuthentication failed with invalid MFA one time pass code.",
                DenialCause::Mfa,
            ),
            (
                "User: arn:aws:sts::111111111111:assumed-role/a/s is not authorized to perform: sts:TagSession on resource: arn:aws:iam::222222222222:role/r",
                DenialCause::SessionTags,
            ),
            (
                "User: arn:aws:iam::111111111111:user/a is not authorized to perform: sts:SetSourceIdentity on resource: arn:aws:iam::222222222222:role/r",
                DenialCause::SourceIdentity,
            ),
            (
                "User: arn:aws:iam::111111111111:user/a is not authorized to perform: sts:TagSession on resource: arn:aws:iam::222222222222:role/r with an explicit deny in a service control policy",
                DenialCause::Scp,
            ),
        ] {
            assert_eq!(
                DenialCause::of(&CloudError::assume_role_denied(message)),
                cause,
                "{message}"
            );
        }
        assert_eq!(DenialCause::RootCaller.name(), "aws-rule");
        assert_eq!(DenialCause::SessionTags.name(), "tag-session");
    }
}
