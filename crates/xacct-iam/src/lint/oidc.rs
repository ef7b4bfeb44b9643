//! Rules for trust policies that federate an OIDC provider
//! (`{"Federated": "arn:aws:iam::ACCOUNT:oidc-provider/ISSUER"}`). For a
//! multi-tenant issuer (GitHub Actions and others where anyone can obtain a
//! token), the `sub` claim is what says whose tokens count; without it, or
//! with a wildcard that covers every repository, strangers get in.

use super::rule::Rule;
use super::{Report, Severity};
use crate::condition::{Family, SetQualifier, Test};
use crate::issuers as presets;
use crate::pattern::Pattern;
use crate::policy::{Actions, Condition, Statement};

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

/// Values a stranger's token would carry for `claim` (in a repository of
/// its own, or of the same name as the pattern's), and values another
/// repository of `owner` would carry: probes for how wide a pattern is.
fn probes(claim: &str, owner: Option<&str>, name: Option<&str>) -> (Vec<String>, Vec<String>) {
    const REFS: [&str; 4] = [
        ":ref:refs/heads/main",
        ":pull_request",
        ":environment:production",
        ":ref:refs/tags/v1",
    ];
    let repo_subjects =
        |repo: &str| -> Vec<String> { REFS.iter().map(|r| format!("repo:{repo}{r}")).collect() };
    let strangers: Vec<String> = ["zz-repo", name.unwrap_or("zz-repo")]
        .iter()
        .map(|n| format!("zz-stranger/{n}"))
        .collect();
    let other = owner.map(|o| format!("{o}/zz-other-repo"));
    let workflow = |repo: &str| format!("{repo}/.github/workflows/deploy.yml@refs/heads/main");
    match claim {
        "sub" => (
            strangers
                .iter()
                .flat_map(|r| repo_subjects(r))
                .chain(repo_subjects("zz-stranger@1/zz-repo@2"))
                .collect(),
            other.as_deref().map(repo_subjects).unwrap_or_default(),
        ),
        "repository" => (strangers, other.into_iter().collect()),
        "job_workflow_ref" => (
            strangers.iter().map(|r| workflow(r)).collect(),
            other.as_deref().map(workflow).into_iter().collect(),
        ),
        _ => (vec!["999999999".to_owned()], Vec::new()),
    }
}

/// The owner and the repository name a GitHub pattern names literally.
fn owner_and_name(value: &str) -> (Option<&str>, Option<&str>) {
    let rest = value.strip_prefix("repo:").unwrap_or(value);
    let repo = rest.split(':').next().unwrap_or(rest);
    let (owner, name) = repo.split_once('/').unwrap_or((repo, ""));
    let name = name.split('/').next().unwrap_or(name);
    let literal = |part: &'_ str| -> bool { !part.is_empty() && !part.contains(['*', '?']) };
    let owner = owner.split('@').next().filter(|o| literal(o));
    let name = name.split('@').next().filter(|n| literal(n));
    (owner, name)
}

/// Whom a `StringLike` pattern on `claim` lets in when it is too wide:
/// tokens of every owner, or of every repository of one owner (found by
/// matching probe values, so any spelling of the wildcard is judged).
fn breadth(claim: &str, value: &str) -> Option<(bool, String)> {
    let pattern = Pattern::wildcard(value);
    let (owner, name) = owner_and_name(value);
    let (strangers, siblings) = probes(claim, owner, name);
    // Anyone can register an owner whose name fits a wildcard in the owner
    // part (`*acme` fits `evilacme`), so such a pattern admits strangers.
    let owner_part = value.split('/').next().unwrap_or(value);
    if owner_part.contains(['*', '?']) || strangers.iter().any(|p| pattern.matches(p)) {
        return Some((true, "tokens of every GitHub owner".to_owned()));
    }
    match owner {
        Some(owner) if siblings.iter().any(|p| pattern.matches(p)) => Some((
            false,
            format!(
                "every repository of the owner `{owner}` (every repository it creates later too)"
            ),
        )),
        _ => None,
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
    const ACTION: &str = "sts:assumerolewithwebidentity";
    let assumes = match &s.actions {
        Actions::Only(list) => list.iter().any(|a| a.pattern.matches(ACTION)),
        Actions::AllBut(list) => !list.iter().any(|a| a.pattern.matches(ACTION)),
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
            Rule::TrustOidcNoSub,
            Severity::Critical,
            at,
            format!(
                "the role trusts every token of `{issuer}` with no condition on `{issuer}:sub`: anyone can get such a token (any repository of any owner), so anyone can assume the role; add StringEquals (or StringLike) on `{issuer}:sub`, e.g. `repo:OWNER/REPO:ref:refs/heads/main`"
            ),
        );
    }
    for c in subjects.iter().filter(|c| c.operator.test == Test::Like) {
        let claim = c.key_lower.rsplit(':').next().unwrap_or_default();
        let wide = c.raw_values.iter().find_map(|v| {
            if github {
                breadth(claim, v).map(|(all, who)| (v, all, who))
            } else {
                (v.trim_matches('*').is_empty())
                    .then(|| (v, true, "every subject of the issuer".to_owned()))
            }
        });
        if let Some((value, everyone, who)) = wide {
            report(
                Rule::TrustOidcSubWildcard,
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
            Rule::TrustOidcNoAud,
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
    use super::breadth;

    #[test]
    fn wide_subjects_are_found_whatever_the_wildcard_looks_like() {
        let everyone = |v: &str| breadth("sub", v).is_some_and(|(all, _)| all);
        let owner_wide =
            |v: &str| breadth("sub", v).is_some_and(|(all, w)| !all && w.contains("`acme`"));
        for v in [
            "*",
            "repo:*",
            "repo:*/app:*",
            "*:ref:refs/heads/main",
            "repo*",
            "*acme/app*",
        ] {
            assert!(everyone(v), "{v}");
        }
        for v in [
            "repo:acme/*",
            "repo:acme/*:ref:refs/heads/main",
            "repo:acme/?*",
        ] {
            assert!(owner_wide(v), "{v}");
        }
        for v in [
            "repo:acme/app:*",
            "repo:acme/app:ref:refs/heads/main",
            "repo:acme@1/app@2:*",
        ] {
            assert_eq!(breadth("sub", v), None, "{v}");
        }
        assert!(breadth("repository", "*/*").is_some_and(|(all, _)| all));
        assert!(breadth("repository", "acme/*").is_some_and(|(all, _)| !all));
        assert!(
            breadth("job_workflow_ref", "*/.github/workflows/deploy.yml@*")
                .is_some_and(|(all, _)| all)
        );
        assert_eq!(breadth("repository", "acme/app"), None);
    }
}
