//! Rules for trust policies (and other resource-based policies).

use super::rule::Rule;
use super::{Report, Severity};
use crate::condition::{Family, SetQualifier, Test};
use crate::policy::{Actions, Condition, Effect, Policy, Principals, Statement};
use crate::principal::{PrincipalName, PrincipalType, PrincipalValue};

/// Keys whose positive test narrows *who* in a trusted account gets in.
const NARROWING: &[&str] = &[
    "aws:principalarn",
    "aws:userid",
    "aws:username",
    "aws:principaltype",
    "sts:externalid",
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
    "aws:sourceidentity",
];

/// Keys that confine callers to an organization's members.
const ORGANIZATION: &[&str] = &["aws:principalorgid", "aws:principalorgpaths"];

/// Keys that bind the caller's identity or origin (for the `*` principal).
const BINDING: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceip",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:userid",
    "aws:username",
    "sts:externalid",
];

fn positive(c: &Condition) -> bool {
    !c.operator.negated && c.operator.family != Family::Null
}

fn has_key(s: &Statement, keys: &[&str]) -> bool {
    s.conditions.iter().any(|c| {
        positive(c)
            && (keys.contains(&c.key_lower.as_str())
                || c.key_lower.starts_with("aws:principaltag/"))
    })
}

fn account_of(v: &PrincipalValue) -> Option<&str> {
    match &v.name {
        PrincipalName::Account(a)
        | PrincipalName::User { account: a, .. }
        | PrincipalName::Role { account: a, .. }
        | PrincipalName::Session { account: a, .. }
        | PrincipalName::FederatedUser { account: a, .. } => Some(a),
        _ => None,
    }
}

pub(super) fn check(policy: &Policy, account: Option<&str>, report: &mut Report<'_>) {
    for (i, s) in policy.statements.iter().enumerate() {
        let at = Some(i);
        if s.resources.is_some() {
            report(Rule::TrustResourceElement, Severity::High, at, "a trust policy statement has a Resource (or NotResource) element, which IAM rejects in role trust policies: the role itself is the resource; remove it".to_owned());
        }
        if let Some(Principals::AllBut(values)) = &s.principals {
            match s.effect {
                Effect::Allow => report(
                    Rule::TrustNotPrincipalAllow,
                    Severity::High,
                    at,
                    format!(
                        "Allow with NotPrincipal trusts everyone except {}, anonymous callers and every other account included; name the trusted principals in Principal instead",
                        values
                            .iter()
                            .map(|v| v.raw.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
                Effect::Deny => not_principal_deny(values, at, report),
            }
        }
        let Some(Principals::Only(values)) = &s.principals else {
            continue;
        };
        if s.effect != Effect::Allow {
            continue;
        }
        action_wildcard(s, at, report);
        external_id_weak(s, at, report);
        for v in values {
            principal_value(s, v, account, at, report);
        }
    }
}

fn principal_value(
    s: &Statement,
    v: &PrincipalValue,
    account: Option<&str>,
    at: Option<usize>,
    report: &mut Report<'_>,
) {
    match &v.name {
        // Confined to an organization's members: not "anyone".
        PrincipalName::Anyone | PrincipalName::AnyAccount if has_key(s, ORGANIZATION) => {}
        PrincipalName::Anyone | PrincipalName::AnyAccount => {
            let (severity, how) = if s.conditions.is_empty() {
                (Severity::Critical, "with no condition")
            } else if has_key(s, BINDING) {
                (Severity::Medium, "narrowed only by its conditions")
            } else {
                (
                    Severity::High,
                    "and none of its conditions binds the caller's identity",
                )
            };
            report(
                Rule::TrustAnyPrincipal,
                severity,
                at,
                format!(
                    "Principal `{}` lets any AWS principal in any account assume the role, {how}; name the trusted accounts or principals, or at least require aws:PrincipalOrgID or sts:ExternalId",
                    v.raw
                ),
            );
        }
        PrincipalName::Account(trusted) if !has_key(s, NARROWING) => {
            let same = account == Some(trusted.as_str());
            report(
                Rule::TrustAccountPrincipal,
                if same {
                    Severity::High
                } else {
                    Severity::Medium
                },
                at,
                format!(
                    "Principal `{}` trusts the whole account {trusted}, not its root user: every principal of that account whose identity policy allows sts:AssumeRole on this role can assume it (an identity policy with Resource \"*\" is enough){}; name the users or roles that should assume it, or add a condition on aws:PrincipalArn",
                    v.raw,
                    if same {
                        ", and within the same account"
                    } else {
                        ""
                    }
                ),
            );
        }
        PrincipalName::UniqueId(id) => report(
            Rule::TrustDeadPrincipal,
            Severity::Low,
            at,
            format!(
                "Principal `{id}` is a unique id, which IAM shows when the named user or role was deleted: it matches no one, not even a new principal of the same name; remove it or name the principal again"
            ),
        ),
        PrincipalName::OidcProvider { issuer, .. } | PrincipalName::BuiltInProvider(issuer) => {
            let judged = super::oidc::check(s, issuer, at, report);
            federated(s, &v.raw, at, report, judged);
        }
        PrincipalName::NonIam(name) if v.kind == PrincipalType::Federated => {
            federated(s, name, at, report, false)
        }
        PrincipalName::NonIam(name) if v.kind == PrincipalType::Service => {
            let sourced = s
                .conditions
                .iter()
                .any(|c| matches!(c.key_lower.as_str(), "aws:sourcearn" | "aws:sourceaccount"));
            if !sourced {
                report(
                    Rule::TrustServiceNoSource,
                    Severity::Low,
                    at,
                    format!(
                        "the service principal `{name}` may assume the role on behalf of any account's resources (cross-service confused deputy); add an aws:SourceAccount or aws:SourceArn condition"
                    ),
                );
            }
        }
        _ => {}
    }
    if let (Some(own), Some(theirs)) = (account, account_of(v)) {
        let external_id = s.conditions.iter().any(|c| {
            c.key_lower == "sts:externalid"
                && positive(c)
                && !c.operator.if_exists
                && c.operator.test == Test::Equals
        });
        if own != theirs && !external_id {
            let whole_account = matches!(v.name, PrincipalName::Account(_));
            report(
                Rule::TrustCrossAccountNoExternalId,
                if whole_account {
                    Severity::Medium
                } else {
                    Severity::Low
                },
                at,
                format!(
                    "Principal `{}` is in another account ({theirs}) and no StringEquals sts:ExternalId condition is required: if that account is a third party acting for several customers, it can be tricked into using this role for another (confused deputy); add a Condition {{\"StringEquals\": {{\"sts:ExternalId\": \"<unique id>\"}}}}",
                    v.raw
                ),
            );
        }
    }
}

fn not_principal_deny(values: &[PrincipalValue], at: Option<usize>, report: &mut Report<'_>) {
    let listed_account = |a: &str| {
        values
            .iter()
            .any(|v| matches!(&v.name, PrincipalName::Account(x) if x == a))
    };
    let missing: Vec<&str> = values
        .iter()
        .filter_map(|v| match &v.name {
            PrincipalName::User { account, .. }
            | PrincipalName::Role { account, .. }
            | PrincipalName::Session { account, .. } => {
                (!listed_account(account)).then_some(v.raw.as_str())
            }
            _ => None,
        })
        .collect();
    if !missing.is_empty() {
        report(
            Rule::TrustNotPrincipalDeny,
            Severity::Medium,
            at,
            format!(
                "Deny with NotPrincipal exempts {}, but AWS also checks the account (and, for sessions, the role), which are not listed, so the exempted principals are denied too; list their account ARNs as well, or use a Deny with ArnNotEquals on aws:PrincipalArn",
                missing.join(", ")
            ),
        );
    }
}

fn action_wildcard(s: &Statement, at: Option<usize>, report: &mut Report<'_>) {
    let broad: Vec<&str> = match &s.actions {
        Actions::Only(list) => list
            .iter()
            .filter(|a| a.raw == "*" || a.raw.eq_ignore_ascii_case("sts:*"))
            .map(|a| a.raw.as_str())
            .collect(),
        Actions::AllBut(_) => vec!["NotAction"],
    };
    if !broad.is_empty() {
        report(
            Rule::TrustActionWildcard,
            Severity::Medium,
            at,
            format!(
                "the trust statement allows `{}`, which also grants session tagging, source identity and the web-identity and SAML variants; allow exactly sts:AssumeRole (and sts:TagSession only if needed)",
                broad.join(", ")
            ),
        );
    }
}

fn external_id_weak(s: &Statement, at: Option<usize>, report: &mut Report<'_>) {
    for c in s
        .conditions
        .iter()
        .filter(|c| c.key_lower == "sts:externalid")
    {
        let wildcard =
            c.operator.test == Test::Like && c.raw_values.iter().any(|v| v.contains(['*', '?']));
        let weak = c.operator.if_exists
            || c.operator.negated
            || c.operator.set != SetQualifier::None
            || wildcard;
        if weak {
            report(
                Rule::TrustExternalIdWeak,
                Severity::High,
                at,
                format!(
                    "sts:ExternalId is tested with `{}`{}, which still lets a caller in without the right external id; use StringEquals with the exact id",
                    c.operator_name,
                    if wildcard { " and a wildcard" } else { "" }
                ),
            );
        }
    }
}

/// A Federated principal: the action must be a federation one, and (unless
/// the OIDC rules already judge it) an audience or subject must narrow it.
fn federated(
    s: &Statement,
    provider: &str,
    at: Option<usize>,
    report: &mut Report<'_>,
    judged_by_oidc_rules: bool,
) {
    let plain_assume = match &s.actions {
        Actions::Only(list) => list
            .iter()
            .any(|a| a.raw.eq_ignore_ascii_case("sts:AssumeRole")),
        Actions::AllBut(_) => false,
    };
    if plain_assume {
        report(
            Rule::TrustFederatedActionMismatch,
            Severity::High,
            at,
            format!(
                "the Federated principal `{provider}` is paired with sts:AssumeRole, which identity providers never call; use sts:AssumeRoleWithWebIdentity (OIDC) or sts:AssumeRoleWithSAML"
            ),
        );
    }
    let audience = s
        .conditions
        .iter()
        .any(|c| positive(c) && (c.key_lower.ends_with(":aud") || c.key_lower.ends_with(":sub")));
    if !audience && !judged_by_oidc_rules {
        report(
            Rule::TrustFederatedNoAudience,
            Severity::High,
            at,
            format!(
                "the Federated principal `{provider}` is not narrowed by an audience or subject condition (`{provider}:aud`, `:sub`), so any identity of that provider can assume the role; add StringEquals conditions on them"
            ),
        );
    }
}
