//! The linter over a whole world: each role's trust policy and permission
//! policies, each user's policies, located at the role or user ARN.

use super::loaded::Loaded;
use crate::iam::{Finding, PolicyKind, Rule, Target, lint};

/// The rules that read the whole world (the organization, the runs), beside
/// the policy linter's [`Rule`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorldRule {
    /// An SCP allow list that leaves actions the world's policies grant.
    ScpAllowListGap,
    /// A role assumed with session tags whose trust allows no sts:TagSession.
    TrustTagSessionMissing,
    /// Permissions on a principal tag the caller may set itself.
    AbacTagSetByCaller,
    /// An imported trust policy naming a user or role its account does not hold.
    TrustPrincipalMissing,
}

impl WorldRule {
    /// Every world rule.
    pub const ALL: [WorldRule; 4] = [
        Self::ScpAllowListGap,
        Self::TrustTagSessionMissing,
        Self::AbacTagSetByCaller,
        Self::TrustPrincipalMissing,
    ];

    /// The stable id findings carry.
    pub fn id(self) -> &'static str {
        match self {
            Self::ScpAllowListGap => "scp-allow-list-gap",
            Self::TrustTagSessionMissing => "trust-tag-session-missing",
            Self::AbacTagSetByCaller => "abac-tag-set-by-caller",
            Self::TrustPrincipalMissing => "trust-principal-missing",
        }
    }
}

/// Every rule id a finding of [`lint_world`] can carry.
pub fn rule_ids() -> impl Iterator<Item = &'static str> {
    Rule::ALL
        .iter()
        .map(|r| r.id())
        .chain(WorldRule::ALL.iter().map(|r| r.id()))
}

/// Every finding of the linter over the world: each role's trust policy and
/// permission policies, each user's policies, located at the role or user ARN.
/// Then the rules that read the runs too (session tags passed to roles,
/// ABAC on tags callers set).
pub fn lint_world(loaded: &Loaded) -> Vec<Finding> {
    let world = &loaded.world;
    let mut findings = Vec::new();
    for account in world.model().accounts.values() {
        for role in account.roles.values() {
            let arn = role.arn();
            findings.extend(lint(
                &role.trust,
                Target {
                    name: &arn,
                    kind: PolicyKind::Trust,
                    account: Some(&account.id),
                },
            ));
            for (_, policy) in role.policies.iter().chain(&role.managed) {
                findings.extend(lint(
                    policy,
                    Target {
                        name: &arn,
                        kind: PolicyKind::Identity,
                        account: Some(&account.id),
                    },
                ));
            }
        }
        for user in account.users.values() {
            let arn = user.arn();
            for (_, policy) in user.policies.iter().chain(&user.managed) {
                findings.extend(lint(
                    policy,
                    Target {
                        name: &arn,
                        kind: PolicyKind::Identity,
                        account: Some(&account.id),
                    },
                ));
            }
        }
    }
    if let Some(org) = &world.model().organization {
        findings.extend(super::scp_lint::allow_list_gaps(org));
    }
    findings.extend(super::tag_lint::tag_findings(loaded));
    for (role, principal) in super::name_check::missing_principals(world) {
        findings.push(Finding {
            rule: WorldRule::TrustPrincipalMissing.id(),
            severity: crate::iam::Severity::Low,
            policy: role.clone(),
            statement: None,
            message: format!(
                "{role}'s trust policy names {principal}, which its account does not hold: it matches nobody here (IAM would refuse to save it, and shows a principal deleted later as its unique id); remove it or add the principal"
            ),
        });
    }
    findings
}
