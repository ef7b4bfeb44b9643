//! Rules for trust policies that federate an OIDC provider
//! (`{"Federated": "arn:aws:iam::ACCOUNT:oidc-provider/ISSUER"}`). For a
//! multi-tenant issuer (GitHub Actions and others where anyone can obtain a
//! token), the `sub` claim is what says whose tokens count; without it, or
//! with a wildcard that covers every repository, strangers get in.

use super::{Report, Severity};
use crate::iam::condition::{Family, SetQualifier, Test};
use crate::iam::issuers as presets;
use crate::iam::policy::{Actions, Condition, Statement};

/// GitHub claims that, like `sub`, pin the repository (condition keys
/// since 2026).
const GITHUB_SUBJECT_KEYS: [&str; 3] = ["repository", "repository_id", "job_workflow_ref"];

/// A test that can only let in tokens whose claim matches: not negated, not
/// `...IfExists`, not `ForAllValues` (true when the claim is absent).
fn narrows(c: &Condition) -> bool {
    !c.operator.negated
        && !c.operator.if_exists
        && c.operator.set != SetQualifier::ForAllValues
        && c.operator.family == Family::String
}

/// The conditions of `s` on `issuer:claim` for any of `claims`.
fn on_claims<'s>(s: &'s Statement, issuer: &str, claims: &[&str]) -> Vec<&'s Condition> {
    let issuer = issuer.to_ascii_lowercase();
    s.conditions
        .iter()
        .filter(|c| {
            c.key_lower
                .strip_prefix(&issuer)
                .and_then(|rest| rest.strip_prefix(':'))
                .is_some_and(|claim| claims.contains(&claim))
        })
        .collect()
}

/// Whom a GitHub `sub` pattern lets in when it is too wide: every
/// repository of one owner, or of every owner.
fn github_breadth(value: &str) -> Option<String> {
    if value == "*" || value == "repo:*" {
        return Some("every repository of every GitHub owner".to_owned());
    }
    let rest = value.strip_prefix("repo:")?;
    let repo = rest.split(':').next().unwrap_or(rest);
    let (owner, name) = repo.split_once('/').unwrap_or((repo, ""));
    if owner.contains(['*', '?']) {
        Some("repositories of every GitHub owner".to_owned())
    } else if name.contains(['*', '?']) || name.is_empty() {
        Some(format!(
            "every repository of the owner `{owner}` (every repository it creates later too)"
        ))
    } else {
        None
    }
}

/// Checks one Allow statement that trusts the OIDC provider for `issuer`;
/// whether these rules judged it (a multi-tenant issuer and an action that
/// covers AssumeRoleWithWebIdentity).
pub(super) fn check(
    s: &Statement,
    issuer: &str,
    at: Option<usize>,
    report: &mut Report<'_>,
) -> bool {
    let assumes = match &s.actions {
        Actions::Only(list) => list.iter().any(|a| {
            let a = a.raw.to_ascii_lowercase();
            a == "sts:assumerolewithwebidentity"
                || a == "sts:*"
                || a == "*"
                || a == "sts:assumerole*"
        }),
        Actions::AllBut(_) => true,
    };
    if !assumes || !presets::is_multi_tenant(issuer) {
        return false;
    }
    let github = issuer == presets::GITHUB;
    let mut subject_claims = vec!["sub"];
    if github {
        subject_claims.extend(GITHUB_SUBJECT_KEYS);
    }
    let subjects: Vec<&Condition> = on_claims(s, issuer, &subject_claims)
        .into_iter()
        .filter(|c| narrows(c))
        .collect();
    if subjects.is_empty() {
        report(
            "trust-oidc-no-sub",
            Severity::Critical,
            at,
            format!(
                "the role trusts every token of `{issuer}` with no condition on `{issuer}:sub`: anyone can get such a token (any repository of any owner), so anyone can assume the role; add StringEquals (or StringLike) on `{issuer}:sub`, e.g. `repo:OWNER/REPO:ref:refs/heads/main`"
            ),
        );
    }
    for c in subjects.iter().filter(|c| c.operator.test == Test::Like) {
        let wide = c.raw_values.iter().find_map(|v| {
            if github {
                github_breadth(v).map(|who| (v, who))
            } else {
                (v.trim_matches('*').is_empty())
                    .then(|| (v, "every subject of the issuer".to_owned()))
            }
        });
        if let Some((value, who)) = wide {
            let everyone = who.contains("every owner") || who.contains("every subject");
            report(
                "trust-oidc-sub-wildcard",
                if everyone {
                    Severity::Critical
                } else {
                    Severity::High
                },
                at,
                format!(
                    "`{}` `{}` = `{value}` matches {who}; name the repository (and branch or environment): `repo:OWNER/REPO:ref:refs/heads/main`",
                    c.operator_name, c.key
                ),
            );
        }
    }
    let audience = on_claims(s, issuer, &["aud"]).into_iter().any(narrows);
    if !audience {
        report(
            "trust-oidc-no-aud",
            Severity::Low,
            at,
            format!(
                "no condition on `{issuer}:aud`: STS still checks the token's audience against the provider's client ids, but the trust policy does not say which audience it expects; add StringEquals `{issuer}:aud` = `{}`",
                presets::STS_AUDIENCE
            ),
        );
    }
    true
}

#[cfg(test)]
mod tests {
    use super::github_breadth;

    #[test]
    fn wide_github_subjects_are_named() {
        assert!(github_breadth("repo:acme/*").is_some_and(|w| w.contains("`acme`")));
        assert!(github_breadth("repo:acme/*:ref:refs/heads/main").is_some());
        assert!(github_breadth("repo:*/app:*").is_some_and(|w| w.contains("every GitHub owner")));
        assert!(github_breadth("*").is_some());
        assert_eq!(github_breadth("repo:acme/app:*"), None);
        assert_eq!(github_breadth("repo:acme/app:ref:refs/heads/main"), None);
    }
}
