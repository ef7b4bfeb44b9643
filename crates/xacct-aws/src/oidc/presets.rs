//! The issuers people federate from most, and what their tokens hold.
//!
//! GitHub Actions: issuer `https://token.actions.githubusercontent.com`,
//! `sub` = `repo:OWNER/REPO:ref:refs/heads/BRANCH` for a branch push (other
//! forms: `:pull_request`, `:environment:NAME`, `:ref:refs/tags/TAG`), and
//! the claims listed in GitHub's "About security hardening with OpenID
//! Connect" (docs.github.com/en/actions/concepts/security/openid-connect).
//! EKS: issuer `https://oidc.eks.REGION.amazonaws.com/id/ID`, `sub` =
//! `system:serviceaccount:NAMESPACE:NAME`, `aud` = `sts.amazonaws.com`
//! (EKS User Guide, "IAM roles for service accounts").

use serde_json::Value;

use super::jwt::Claims;

pub use xacct_iam::issuers::{GITHUB, STS_AUDIENCE, is_multi_tenant};

/// Whether the issuer is an EKS cluster's.
pub fn is_eks(issuer: &str) -> bool {
    issuer.starts_with("oidc.eks.") && issuer.contains(".amazonaws.com/id/")
}

fn text(claims: &mut Claims, name: &str, value: impl Into<String>) {
    claims.insert(name.to_owned(), Value::from(value.into()));
}

/// A GitHub Actions token of a push to `main` in `repository` (`OWNER/REPO`).
pub fn github_push(repository: &str) -> Claims {
    let owner = repository.split('/').next().unwrap_or(repository);
    let mut c = Claims::new();
    text(
        &mut c,
        "sub",
        format!("repo:{repository}:ref:refs/heads/main"),
    );
    text(&mut c, "aud", STS_AUDIENCE);
    text(&mut c, "ref", "refs/heads/main");
    text(&mut c, "ref_type", "branch");
    text(&mut c, "repository", repository);
    text(&mut c, "repository_owner", owner);
    text(&mut c, "repository_visibility", "private");
    text(&mut c, "event_name", "push");
    text(&mut c, "workflow", "deploy");
    text(
        &mut c,
        "job_workflow_ref",
        format!("{repository}/.github/workflows/deploy.yml@refs/heads/main"),
    );
    text(&mut c, "actor", owner);
    text(&mut c, "runner_environment", "github-hosted");
    c
}

/// An EKS service account token (`namespace`/`name`).
pub fn eks_service_account(namespace: &str, name: &str) -> Claims {
    let mut c = Claims::new();
    text(
        &mut c,
        "sub",
        format!("system:serviceaccount:{namespace}:{name}"),
    );
    text(&mut c, "aud", STS_AUDIENCE);
    c.insert(
        "kubernetes.io".to_owned(),
        serde_json::json!({
            "namespace": namespace,
            "serviceaccount": { "name": name },
        }),
    );
    c
}

/// The repository (`OWNER/REPO`) a GitHub `sub` condition value names, if
/// it names one without wildcards in the repository part.
pub fn repository_of_sub(sub: &str) -> Option<&str> {
    let rest = sub.strip_prefix("repo:")?;
    let repo = rest.split(':').next()?;
    (repo.contains('/') && !repo.contains(['*', '?'])).then_some(repo)
}

/// The namespace and service account an EKS `sub` names, without wildcards.
pub fn service_account_of_sub(sub: &str) -> Option<(&str, &str)> {
    let rest = sub.strip_prefix("system:serviceaccount:")?;
    let (ns, sa) = rest.split_once(':')?;
    (!ns.contains(['*', '?']) && !sa.contains(['*', '?'])).then_some((ns, sa))
}
