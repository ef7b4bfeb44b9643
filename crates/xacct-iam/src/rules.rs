//! What AWS decides before any policy, as data: actions that need no
//! permission, callers that may never make some calls, and resources whose
//! own policy must allow every access (role trust policies, KMS key
//! policies). The evaluator, the simulator and the endpoint all read these
//! tables, so every mode refuses the same calls for the same reason.

use std::borrow::Cow;

use super::caller::{Caller, CallerKind};
use super::kind::PolicyKind;

/// An action in lower case (actions match case-insensitively), borrowed
/// when it already is.
pub(super) fn lower(action: &str) -> Cow<'_, str> {
    if action.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(action.to_ascii_lowercase())
    } else {
        Cow::Borrowed(action)
    }
}

/// Whether an action starts with one of the service prefixes (any case).
fn has_prefix(action: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| {
        action
            .get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
    })
}

/// What a caller rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleEffect {
    /// Allowed whatever the policies say.
    Allow,
    /// Refused whatever the policies say.
    Refuse,
}

/// A rule AWS applies to a caller and an action before looking at policies.
#[derive(Debug, Clone, Copy)]
pub struct CallerRule {
    /// A stable id (`root-cannot-assume-role`).
    pub id: &'static str,
    /// Allowed or refused.
    pub effect: RuleEffect,
    /// The rule in one sentence.
    pub sentence: &'static str,
    /// Where AWS says so.
    pub source: &'static str,
    applies: fn(&CallerKind, &str) -> bool,
}

impl PartialEq for CallerRule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for CallerRule {}

/// The caller rules, first match wins (the action is lower-cased).
pub(crate) const CALLER_RULES: &[CallerRule] = &[
    CallerRule {
        id: "get-caller-identity-needs-no-permission",
        effect: RuleEffect::Allow,
        sentence: "sts:GetCallerIdentity needs no permission, and an explicit Deny cannot block it",
        source: "STS API Reference, GetCallerIdentity: \"No permissions are required to perform this operation. If an administrator attaches a policy to your identity that explicitly denies access to the sts:GetCallerIdentity action, you can still perform this operation.\"",
        applies: |_, action| action == "sts:getcalleridentity",
    },
    CallerRule {
        id: "root-cannot-assume-role",
        effect: RuleEffect::Refuse,
        sentence: "the root user's credentials can never assume a role",
        source: "STS API Reference, AssumeRole: \"You cannot use AWS account root user credentials to call AssumeRole. You must use credentials for an IAM user or an IAM role to call AssumeRole.\"",
        applies: |kind, action| *kind == CallerKind::Root && action == "sts:assumerole",
    },
    CallerRule {
        id: "federation-token-sts-limit",
        effect: RuleEffect::Refuse,
        sentence: "GetFederationToken sessions may call no STS operation but GetCallerIdentity",
        source: "IAM User Guide, Compare AWS STS credentials (id_credentials_sts-comparison), GetFederationToken: \"Cannot call AWS STS operations except GetCallerIdentity.\"",
        applies: |kind, action| {
            matches!(kind, CallerKind::FederatedUser { .. }) && action.starts_with("sts:")
        },
    },
    CallerRule {
        id: "federation-token-no-iam",
        effect: RuleEffect::Refuse,
        sentence: "GetFederationToken sessions may call no IAM operation",
        source: "IAM User Guide, Compare AWS STS credentials (id_credentials_sts-comparison), GetFederationToken: \"Cannot call IAM operations using the AWS CLI or AWS API.\" iam:PassRole is not an operation but a permission checked when a role is handed to a service (the IAM API Reference has no PassRole operation; the IAM User Guide, id_roles_use_passrole, calls it \"the PassRole permission\"), so the policies decide it",
        applies: |kind, action| {
            matches!(kind, CallerKind::FederatedUser { .. })
                && action.starts_with("iam:")
                && action != "iam:passrole"
        },
    },
    CallerRule {
        id: "web-identity-needs-a-token",
        effect: RuleEffect::Refuse,
        sentence: "sts:AssumeRoleWithWebIdentity is decided for the web identity token presented, never for IAM credentials: an IAM user or role session cannot perform it (name the OIDC provider as the principal, with the token's claims)",
        source: "STS API Reference, AssumeRoleWithWebIdentity: \"Calling AssumeRoleWithWebIdentity does not require the use of AWS security credentials\"; the identity is the token's, and a third-party test run found an IAM user cannot perform it although the IAM policy simulator says allowed",
        applies: |kind, action| {
            !matches!(kind, CallerKind::WebIdentity { .. })
                && action == "sts:assumerolewithwebidentity"
        },
    },
    CallerRule {
        id: "web-identity-only-assumes",
        effect: RuleEffect::Refuse,
        sentence: "a web identity token buys only sts:AssumeRoleWithWebIdentity (with the permissions-only sts:TagSession and sts:SetSourceIdentity for the session's tags and source identity); the calls after it are made with the role session it returns",
        source: "STS API Reference, AssumeRoleWithWebIdentity: it \"returns a set of temporary security credentials\" for the role; the token itself signs no request. IAM User Guide, id_session-tags.md and id_credentials_temp_control-access_monitor.md: a role trusting an IdP that passes tags or a source identity must allow sts:TagSession / sts:SetSourceIdentity",
        applies: |kind, action| {
            matches!(kind, CallerKind::WebIdentity { .. })
                && !matches!(
                    action,
                    "sts:assumerolewithwebidentity" | "sts:tagsession" | "sts:setsourceidentity"
                )
        },
    },
];

/// The KMS operations a principal of another account may call on a key
/// whose policy lets it (the permission names, lower-cased): the
/// cryptographic operations, CreateGrant, DescribeKey, GetKeyRotationStatus,
/// GetPublicKey, ListGrants, RetireGrant and RevokeGrant.
const KMS_CROSS_ACCOUNT: [&str; 20] = [
    "kms:creategrant",
    "kms:decrypt",
    "kms:derivesharedsecret",
    "kms:describekey",
    "kms:encrypt",
    "kms:generatedatakey",
    "kms:generatedatakeypair",
    "kms:generatedatakeypairwithoutplaintext",
    "kms:generatedatakeywithoutplaintext",
    "kms:generatemac",
    "kms:getkeyrotationstatus",
    "kms:getpublickey",
    "kms:listgrants",
    "kms:reencryptfrom",
    "kms:reencryptto",
    "kms:retiregrant",
    "kms:revokegrant",
    "kms:sign",
    "kms:verify",
    "kms:verifymac",
];

/// A KMS key's policy grants another account nothing but the operations
/// KMS allows across accounts.
pub(crate) static KMS_CROSS_ACCOUNT_RULE: CallerRule = CallerRule {
    id: "kms-cross-account-operation",
    effect: RuleEffect::Refuse,
    sentence: "a principal of another account may use a KMS key only for its cryptographic operations, CreateGrant, DescribeKey, GetKeyRotationStatus, GetPublicKey, ListGrants, RetireGrant and RevokeGrant; a key policy's grant of any other operation (ScheduleKeyDeletion, PutKeyPolicy, ...) has no effect across accounts",
    source: "KMS Developer Guide, key-policy-modifying-external-accounts: \"Cross-account permission is effective only for the following operations: Cryptographic operations, CreateGrant, DescribeKey, GetKeyRotationStatus, GetPublicKey, ListGrants, RetireGrant, RevokeGrant. If you give a user in a different account permission for other operations, those permissions have no effect.\"; KMS API Reference, each operation's \"Cross-account use\" (DeriveSharedSecret: Yes; ScheduleKeyDeletion, PutKeyPolicy, EnableKey, DisableKey: No)",
    applies: |_, _| false,
};

/// The rule that refuses `action` across accounts on a resource whose own
/// policy must allow (`own`), if any: KMS's cross-account limit.
pub(crate) fn cross_account_rule(
    own: &OwnPolicyRule,
    cross_account: bool,
    action: &str,
) -> Option<&'static CallerRule> {
    (cross_account && own.service == "kms" && !KMS_CROSS_ACCOUNT.contains(&action))
        .then_some(&KMS_CROSS_ACCOUNT_RULE)
}

/// The caller rule that decides `action` for `caller`, if any.
pub fn caller_rule(caller: &Caller, action: &str) -> Option<&'static CallerRule> {
    // Every rule is about an STS or IAM action or a web identity caller (a
    // test keeps it so).
    if !has_prefix(action, &["sts:", "iam:"])
        && !matches!(caller.kind, CallerKind::WebIdentity { .. })
    {
        return None;
    }
    let action = lower(action);
    CALLER_RULES
        .iter()
        .find(|r| (r.applies)(&caller.kind, &action))
}

/// A kind of resource whose own policy must allow every access, even within
/// its account: an identity policy alone grants nothing on it.
#[derive(Debug, Clone, Copy)]
pub struct OwnPolicyRule {
    /// The service of the resource ARN (`iam`, `kms`).
    pub service: &'static str,
    /// The resource type prefix of the ARN's resource part (`role/`, `key/`).
    pub resource_prefix: &'static str,
    /// The policy's name in explanations (`trust policy`, `key policy`).
    pub policy_name: &'static str,
    /// The kind of policy it is.
    pub kind: PolicyKind,
    /// Where AWS says so.
    pub source: &'static str,
    actions: fn(&str) -> bool,
}

impl PartialEq for OwnPolicyRule {
    fn eq(&self, other: &Self) -> bool {
        (self.service, self.resource_prefix) == (other.service, other.resource_prefix)
    }
}

impl Eq for OwnPolicyRule {}

/// The resources whose own policy must always allow.
pub(crate) const OWN_POLICY_RULES: &[OwnPolicyRule] = &[
    OwnPolicyRule {
        service: "iam",
        resource_prefix: "role/",
        policy_name: "trust policy",
        kind: PolicyKind::Trust,
        source: "IAM User Guide, Policy evaluation logic: role trust policies are an exception to the same-account rule; the trust policy must allow the principal",
        actions: |a| {
            a.starts_with("sts:assumerole") || a == "sts:tagsession" || a == "sts:setsourceidentity"
        },
    },
    OwnPolicyRule {
        service: "kms",
        resource_prefix: "key/",
        policy_name: "key policy",
        kind: PolicyKind::Resource,
        source: "AWS KMS Developer Guide, Key policies: unless the key policy explicitly allows it, IAM policies do not give access to a KMS key",
        actions: |a| a.starts_with("kms:"),
    },
];

/// Whether an action is one of the role-assuming STS actions whose resource
/// policy is the role's trust policy.
pub fn is_trust_action(action: &str) -> bool {
    let action = lower(action);
    OWN_POLICY_RULES
        .iter()
        .any(|r| r.kind == PolicyKind::Trust && (r.actions)(&action))
}

/// The rule that makes a resource's own policy required for an action (in
/// lower case), given the resource's ARN split, if any.
pub(super) fn own_policy_rule_for(
    action: &str,
    service: &str,
    rest: &str,
) -> Option<&'static OwnPolicyRule> {
    if !has_prefix(action, &["sts:", "kms:"]) {
        return None;
    }
    OWN_POLICY_RULES.iter().find(|r| {
        r.service == service && rest.starts_with(r.resource_prefix) && (r.actions)(action)
    })
}

/// The parts of an ARN a decision needs, split once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ArnParts<'r> {
    /// The service (`iam`, `kms`, `s3`).
    pub service: &'r str,
    /// The account; empty for S3 buckets.
    pub account: &'r str,
    /// Everything after the fifth colon.
    pub rest: &'r str,
}

impl<'r> ArnParts<'r> {
    /// Splits `arn:PARTITION:SERVICE:REGION:ACCOUNT:REST`.
    pub(crate) fn of(resource: &'r str) -> Option<Self> {
        let mut parts = resource.splitn(6, ':');
        let (Some("arn"), Some(_), Some(service), Some(_), Some(account), Some(rest)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        Some(Self {
            service,
            account,
            rest,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own_policy_rule(action: &str, resource: &str) -> Option<&'static OwnPolicyRule> {
        ArnParts::of(resource).and_then(|p| own_policy_rule_for(&lower(action), p.service, p.rest))
    }

    fn caller(arn: &str) -> Caller {
        Caller::parse(arn).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_prefilters_cover_every_rule() {
        // Caller rules only concern STS and IAM actions; own-policy rules STS and KMS.
        let root = caller("arn:aws:iam::111111111111:root");
        let fed = caller("arn:aws:sts::111111111111:federated-user/bob");
        for action in ["s3:GetObject", "ec2:RunInstances", "kms:Decrypt", "*"] {
            assert!(caller_rule(&root, action).is_none() && caller_rule(&fed, action).is_none());
        }
        assert!(own_policy_rule("iam:GetRole", "arn:aws:iam::111111111111:role/x").is_none());
        assert!(caller_rule(&root, "STS:AssumeRole").is_some());
        assert!(
            own_policy_rule("KMS:Decrypt", "arn:aws:kms:us-east-1:111111111111:key/k").is_some()
        );
    }

    #[test]
    fn rules_pick_the_documented_cases() {
        let root = caller("arn:aws:iam::111111111111:root");
        let fed = caller("arn:aws:sts::111111111111:federated-user/bob");
        let user = caller("arn:aws:iam::111111111111:user/alice");
        let id = |c: &Caller, a: &str| caller_rule(c, a).map(|r| r.id);
        assert_eq!(id(&root, "sts:AssumeRole"), Some("root-cannot-assume-role"));
        assert_eq!(id(&root, "s3:ListAllMyBuckets"), None);
        assert_eq!(
            id(&fed, "STS:AssumeRole"),
            Some("federation-token-sts-limit")
        );
        assert_eq!(
            id(&fed, "sts:GetCallerIdentity"),
            Some("get-caller-identity-needs-no-permission")
        );
        assert_eq!(id(&fed, "iam:ListRoles"), Some("federation-token-no-iam"));
        assert_eq!(id(&user, "sts:AssumeRole"), None);
        let kms = own_policy_rule("kms:Decrypt", "arn:aws:kms:us-east-1:111111111111:key/abc");
        assert_eq!(kms.map(|r| r.policy_name), Some("key policy"));
        let trust = own_policy_rule("sts:AssumeRole", "arn:aws:iam::111111111111:role/x");
        assert_eq!(trust.map(|r| r.policy_name), Some("trust policy"));
        assert!(own_policy_rule("s3:GetObject", "arn:aws:s3:::b/k").is_none());
        assert!(own_policy_rule("iam:GetRole", "arn:aws:iam::111111111111:role/x").is_none());
        assert!(caller_rule(&root, "STS:AssumeRole").is_some());
        assert!(
            own_policy_rule("KMS:Decrypt", "arn:aws:kms:us-east-1:111111111111:key/k").is_some()
        );
    }
}
