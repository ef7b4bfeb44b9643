//! The linter over a whole world: each role's trust policy and permission
//! policies, each user's policies, located at the role or user ARN.

use super::loaded::Loaded;
use super::world_rule::WorldRule;
use xacct_iam::{Finding, PolicyKind, Target, lint};

/// Every finding of the linter over the world: each role's trust policy and
/// permission policies, each user's policies, located at the role or user ARN.
/// Then the rules that read the runs too (session tags passed to roles,
/// ABAC on tags callers set).
pub fn lint_world(loaded: &Loaded) -> Vec<Finding> {
    let world = &loaded.world;
    let mut findings = Vec::new();
    for account in world.model().accounts.values() {
        let mut lint_at = |arn: &str, kind, policy| {
            let target = Target {
                name: arn,
                kind,
                account: Some(&account.id),
            };
            findings.extend(lint(policy, target));
        };
        for role in account.roles.values() {
            let arn = role.arn();
            lint_at(&arn, PolicyKind::Trust, &role.trust);
            for (_, policy) in role.policies.iter().chain(&role.managed) {
                lint_at(&arn, PolicyKind::Identity, policy);
            }
        }
        for user in account.users.values() {
            let arn = user.arn();
            for (_, policy) in user.policies.iter().chain(&user.managed) {
                lint_at(&arn, PolicyKind::Identity, policy);
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
            severity: xacct_iam::Severity::Low,
            policy: role.clone(),
            statement: None,
            message: format!(
                "{role}'s trust policy names {principal}, which its account does not hold: it matches nobody here (IAM would refuse to save it, and shows a principal deleted later as its unique id); remove it or add the principal"
            ),
        });
    }
    findings
}
