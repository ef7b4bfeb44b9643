//! Lint rules that need the scenario's runs as well as its policies:
//!
//! - `trust-tag-session-missing`: a role trusted by another role or an
//!   OIDC provider, whose callers pass session tags (a run's `tags`, the
//!   transitive tags of its starting session, or a token's
//!   `https://aws.amazon.com/tags` claim), but whose trust policy allows no
//!   `sts:TagSession`: every such AssumeRole fails (configure-aws-credentials
//!   issue 1396).
//! - `abac-tag-set-by-caller`: a role whose permission policies decide on
//!   `aws:PrincipalTag/KEY` while its trust policy lets callers pass session
//!   tags with no `aws:TagKeys` or `aws:RequestTag/KEY` condition, so a
//!   caller chooses the very tag that grants it access.

use super::loaded::Loaded;
use super::model::Role;
use xacct_iam::{Actions, Effect, Finding, PrincipalType, Severity, Statement, policy_to_json};

fn allows(statement: &Statement, action: &str) -> bool {
    statement.effect == Effect::Allow
        && match &statement.actions {
            Actions::Only(list) => list.iter().any(|a| a.pattern.matches(action)),
            Actions::AllBut(list) => !list.iter().any(|a| a.pattern.matches(action)),
        }
}

/// Whether a trust statement names a role (or its sessions) or an OIDC provider.
fn trusts_role_or_provider(statement: &Statement) -> bool {
    let Some(xacct_iam::Principals::Only(list)) = &statement.principals else {
        return false;
    };
    list.iter().any(|p| {
        (p.kind == PrincipalType::Aws
            && (p.raw.contains(":role/") || p.raw.contains(":assumed-role/")))
            || (p.kind == PrincipalType::Federated && p.raw.contains(":oidc-provider/"))
    })
}

/// The runs' target roles that are passed session tags, with the run's label.
fn tagged_targets(loaded: &Loaded) -> Vec<(&Role, String)> {
    let model = loaded.world.model();
    loaded
        .scenario
        .runs
        .iter()
        .enumerate()
        .filter(|(_, run)| {
            let from_session = !run.as_principal.session_context().transitive.is_empty();
            let from_token = run
                .as_principal
                .web_identity()
                .is_some_and(|w| w.claims.contains_key("https://aws.amazon.com/tags"));
            !run.tags.is_empty() || from_session || from_token
        })
        .filter_map(|(i, run)| {
            let role = model.role_by_arn(run.role_arn.as_deref()?)?;
            Some((
                role,
                run.name.clone().unwrap_or_else(|| format!("runs[{i}]")),
            ))
        })
        .collect()
}

/// The findings of both rules over a loaded scenario.
pub(super) fn tag_findings(loaded: &Loaded) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    for (role, run) in tagged_targets(loaded) {
        let arn = role.arn();
        let trusted = role
            .trust
            .statements
            .iter()
            .any(|s| trusts_role_or_provider(s));
        let tag_session = role
            .trust
            .statements
            .iter()
            .any(|s| allows(s, "sts:tagsession"));
        if trusted && !tag_session && !out.iter().any(|f| f.policy == arn) {
            out.push(Finding {
                rule: super::world_rule::WorldRule::TrustTagSessionMissing.id(),
                severity: Severity::Medium,
                policy: arn.clone(),
                statement: None,
                message: format!(
                    "{arn} is assumed with session tags (run `{run}`) by a role or an OIDC provider it trusts, but its trust policy allows no sts:TagSession, so that AssumeRole fails with AccessDenied on sts:TagSession (tools such as configure-aws-credentials tag every session). Add sts:TagSession to the statement that trusts the caller, limited with a ForAllValues:StringEquals aws:TagKeys condition."
                ),
            });
        }
    }
    for account in loaded.world.model().accounts.values() {
        for role in account.roles.values() {
            out.extend(self_set_tags(role));
        }
    }
    out
}

fn self_set_tags(role: &Role) -> Option<Finding> {
    let open = role.trust.statements.iter().find(|s| {
        allows(s, "sts:tagsession")
            && !s
                .conditions
                .iter()
                .any(|c| c.key_lower == "aws:tagkeys" || c.key_lower.starts_with("aws:requesttag/"))
    })?;
    let text = role
        .policies
        .iter()
        .chain(&role.managed)
        .map(|(_, p)| policy_to_json(p).to_string())
        .find(|t| t.to_ascii_lowercase().contains("aws:principaltag/"))?;
    // ASCII lower-casing keeps byte offsets, so the key keeps its case.
    let start = text.to_ascii_lowercase().find("aws:principaltag/")?;
    let key: String = text[start + "aws:principaltag/".len()..]
        .chars()
        .take_while(|c| c.is_alphanumeric() || "_.:/=+-@".contains(*c))
        .collect();
    let arn = role.arn();
    let index = role
        .trust
        .statements
        .iter()
        .position(|s| std::ptr::eq(s, open));
    Some(Finding {
        rule: super::world_rule::WorldRule::AbacTagSetByCaller.id(),
        severity: Severity::High,
        policy: arn.clone(),
        statement: index,
        message: format!(
            "{arn}'s permissions decide on aws:PrincipalTag/{key}, and its trust policy lets callers pass any session tag (sts:TagSession with no aws:TagKeys or aws:RequestTag condition): a caller can set {key} itself and a session tag overrides the role's own. Limit the tags callers may pass (ForAllValues:StringEquals on aws:TagKeys, StringEquals on aws:RequestTag/{key})."
        ),
    })
}
