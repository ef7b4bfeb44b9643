//! Rules for identity policies (and boundaries and session policies).

use super::rule::Rule;
use super::{Report, Severity};
use crate::policy::{Actions, Effect, Policy, Resources, Statement};

/// The STS actions, for spotting misspelt ones.
const STS_ACTIONS: &[&str] = &[
    "assumerole",
    "assumerolewithsaml",
    "assumerolewithwebidentity",
    "assumeroot",
    "decodeauthorizationmessage",
    "getaccesskeyinfo",
    "getcalleridentity",
    "getdelegatedaccesstoken",
    "getfederationtoken",
    "getservicebearertoken",
    "getsessiontoken",
    "getwebidentitytoken",
    "setcontext",
    "setsourceidentity",
    "tagsession",
];

fn allows_action(s: &Statement, action: &str) -> bool {
    let hit =
        |list: &[crate::policy::ActionPattern]| list.iter().any(|a| a.pattern.matches(action));
    match &s.actions {
        Actions::Only(list) => hit(list),
        Actions::AllBut(list) => !hit(list),
    }
}

/// Whether the resources cover every role: `*`, `arn:aws:iam::*:role/*`,
/// `arn:aws:iam::ACCOUNT:role/*`, or a NotResource.
fn every_role(s: &Statement) -> Option<String> {
    match &s.resources {
        Some(Resources::Only(list)) => list
            .iter()
            .find(|r| {
                r.raw == "*"
                    || r.raw
                        .splitn(6, ':')
                        .nth(5)
                        .is_some_and(|rest| rest == "*" || rest == "role/*" || rest == "role*")
                        && r.service.as_deref() == Some("iam")
            })
            .map(|r| r.raw.clone()),
        Some(Resources::AllBut(_)) => Some("NotResource".to_owned()),
        None => None,
    }
}

pub(super) fn check(policy: &Policy, report: &mut Report<'_>) {
    let mut assume_at = None;
    let mut rewrite_at = None;
    for (i, s) in policy
        .statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.effect == Effect::Allow)
    {
        let at = Some(i);
        if allows_action(s, "sts:assumerole") {
            assume_at.get_or_insert(i);
            if let Some(resource) = every_role(s) {
                report(
                    Rule::IdentityAssumeAnyRole,
                    Severity::Medium,
                    at,
                    format!(
                        "sts:AssumeRole is allowed on `{resource}`: this identity can assume every role, in any account, whose trust policy trusts its account (a root-ARN principal is enough); list the role ARNs it needs instead"
                    ),
                );
            }
        }
        if allows_action(s, "iam:updateassumerolepolicy") {
            rewrite_at.get_or_insert(i);
        }
        if let Actions::AllBut(list) = &s.actions {
            report(
                Rule::AllowNotAction,
                Severity::Medium,
                at,
                format!(
                    "Allow with NotAction grants every action of every service except {}; list the allowed actions instead",
                    list.iter()
                        .map(|a| a.raw.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        if let Some(Resources::AllBut(list)) = &s.resources {
            report(
                Rule::AllowNotResource,
                Severity::Medium,
                at,
                format!(
                    "Allow with NotResource grants every resource except {}; list the allowed resources instead",
                    list.iter()
                        .map(|r| r.raw.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        if let Actions::Only(list) = &s.actions {
            for a in list {
                if a.raw == "*" || a.raw.ends_with(":*") {
                    report(
                        Rule::IdentityServiceWildcard,
                        Severity::Low,
                        at,
                        format!(
                            "`{}` grants every action{}, including ones added later; list the actions needed",
                            a.raw,
                            if a.raw == "*" {
                                " of every service"
                            } else {
                                " of the service"
                            }
                        ),
                    );
                } else if a.pattern.has_wildcard() && a.pattern.matches("s3:getobject") {
                    report(
                        Rule::IdentityDataReadWildcard,
                        Severity::Low,
                        at,
                        format!(
                            "`{}` includes s3:GetObject, so it reads every object the resources allow; grant s3:ListAllMyBuckets or the exact read actions when listing is all that is needed",
                            a.raw
                        ),
                    );
                }
                let lower = a.raw.to_ascii_lowercase();
                if let Some(name) = lower.strip_prefix("sts:")
                    && !a.pattern.has_wildcard()
                    && !STS_ACTIONS.contains(&name)
                {
                    {
                        report(
                            Rule::UnknownAction,
                            Severity::Low,
                            at,
                            format!(
                                "`{}` is not an STS action; check the spelling (e.g. sts:AssumeRole)",
                                a.raw
                            ),
                        );
                    }
                }
            }
        }
    }
    if let (Some(_), Some(i)) = (assume_at, rewrite_at) {
        report(
            Rule::IdentityTrustRewrite,
            Severity::High,
            Some(i),
            "the policy allows both iam:UpdateAssumeRolePolicy and sts:AssumeRole: this identity can rewrite a role's trust policy to trust itself and then assume the role (privilege escalation); drop iam:UpdateAssumeRolePolicy or scope it to roles it may not assume".to_owned(),
        );
    }
}
