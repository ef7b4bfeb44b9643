//! What the engine knows about OIDC issuers: which ones mint tokens for
//! anyone who signs up (so a trust policy must narrow `sub`), and the
//! audience AWS's integrations request.

/// The GitHub Actions issuer host.
pub const GITHUB: &str = "token.actions.githubusercontent.com";

/// The audience AWS's own actions and SDK integrations request.
pub const STS_AUDIENCE: &str = "sts.amazonaws.com";

/// Issuers that mint tokens for anyone who signs up (any repository, any
/// project), so a trust policy must narrow `sub` to its owner's own
/// subjects. GitHub Enterprise's custom issuer
/// (`token.actions.githubusercontent.com/ENTERPRISE`) and per-cluster EKS
/// issuers belong to one customer and are not listed.
const MULTI_TENANT: [&str; 7] = [
    GITHUB,
    "gitlab.com",
    "app.terraform.io",
    "accounts.google.com",
    "cognito-identity.amazonaws.com",
    "www.amazon.com",
    "graph.facebook.com",
];

/// The identity providers built into AWS: a trust policy names them bare
/// (`{"Federated": "accounts.google.com"}`), and no IAM OIDC provider is
/// created for them (IAM User Guide, id_roles_create_for-idp_oidc: "If you
/// are using an OIDC IdP from Google, Facebook, or Amazon Cognito, don't
/// create a separate IAM IdP ... These OIDC identity providers are already
/// built into AWS"). Google and Cognito issue OIDC ID tokens; Login with
/// Amazon and Facebook, OAuth 2.0 access tokens.
pub const BUILT_IN: [&str; 4] = [
    "accounts.google.com",
    "cognito-identity.amazonaws.com",
    "www.amazon.com",
    "graph.facebook.com",
];

/// Whether `name` is a provider built into AWS.
pub fn is_built_in(name: &str) -> bool {
    BUILT_IN.contains(&name)
}

/// Whether anyone can obtain tokens from this issuer (host[/path]).
pub fn is_multi_tenant(issuer: &str) -> bool {
    MULTI_TENANT.contains(&issuer.trim_end_matches('/'))
}

/// The GitHub Actions claims AWS STS validates as condition keys in trust
/// policies since February 2026 ("AWS STS now supports validation of select
/// identity provider specific claims", What's New 2026/01): available when
/// the role is assumed, not later in the session.
pub const GITHUB_CLAIM_KEYS: [&str; 9] = [
    "actor",
    "actor_id",
    "job_workflow_ref",
    "repository",
    "repository_id",
    "workflow",
    "ref",
    "environment",
    "enterprise_id",
];

/// The condition keys AWS fills from a token's claims for a call of
/// AssumeRoleWithWebIdentity (IAM User Guide, "Available keys for AWS OIDC
/// federation"): `ISSUER:aud` (the `azp` claim when present, else the
/// audience the provider accepted), `ISSUER:oaud` (each `aud`),
/// `ISSUER:sub`, `ISSUER:amr` (each value), and for GitHub Actions the
/// claims of [`GITHUB_CLAIM_KEYS`]. `claims` holds one pair per value (a
/// list claim appears once per element); a key with several values comes
/// out once per value.
pub fn claim_keys(
    issuer: &str,
    claims: &[(String, String)],
    accepted_audience: Option<&str>,
) -> Vec<(String, String)> {
    fn values<'c>(
        claims: &'c [(String, String)],
        name: &'c str,
    ) -> impl Iterator<Item = String> + 'c {
        claims
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }
    let mut out = Vec::new();
    let aud = values(claims, "azp")
        .next()
        .or_else(|| accepted_audience.map(str::to_owned))
        .or_else(|| values(claims, "aud").next());
    if let Some(aud) = aud {
        out.push((format!("{issuer}:aud"), aud));
    }
    out.extend(values(claims, "aud").map(|v| (format!("{issuer}:oaud"), v)));
    // Login with Amazon and Facebook name their keys after their own
    // fields (IAM User Guide, "Available keys for AWS web identity
    // federation": www.amazon.com:app_id, www.amazon.com:user_id,
    // graph.facebook.com:app_id, graph.facebook.com:id).
    let extra: &[&str] = match issuer {
        GITHUB => &GITHUB_CLAIM_KEYS,
        "www.amazon.com" => &["app_id", "user_id"],
        "graph.facebook.com" => &["app_id", "id"],
        _ => &[],
    };
    for claim in ["sub", "amr"].iter().chain(extra) {
        out.extend(values(claims, claim).map(|v| (format!("{issuer}:{claim}"), v)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn azp_takes_aud_and_aud_goes_to_oaud() {
        let keys = claim_keys(
            "accounts.google.com",
            &pairs(&[("aud", "web"), ("azp", "android"), ("sub", "1")]),
            Some("web"),
        );
        assert!(keys.contains(&("accounts.google.com:aud".into(), "android".into())));
        assert!(keys.contains(&("accounts.google.com:oaud".into(), "web".into())));
        assert!(keys.contains(&("accounts.google.com:sub".into(), "1".into())));
    }

    #[test]
    fn github_claims_become_keys_for_github_only() {
        let claims = pairs(&[
            ("sub", "repo:a/b:ref:refs/heads/main"),
            ("repository", "a/b"),
        ]);
        let github = claim_keys(GITHUB, &claims, None);
        assert!(github.iter().any(|(k, _)| k.ends_with(":repository")));
        let other = claim_keys("gitlab.com", &claims, None);
        assert!(!other.iter().any(|(k, _)| k.ends_with(":repository")));
    }
}
