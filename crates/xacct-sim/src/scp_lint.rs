//! `scp-allow-list-gap`: with the allow-list SCP strategy (FullAWSAccess
//! replaced by SCPs that allow only what they list), every level from the
//! root to an account must allow an action; a level that lists less than
//! the levels above it denies the rest to everything under it, which is
//! easy to miss (AWS Organizations User Guide, "SCP evaluation": "there
//! must be an explicit Allow statement at every level").

use std::collections::BTreeSet;

use super::organization::Organization;
use xacct_iam::{Actions, Effect, Finding, Pattern, Severity};

/// The action patterns a level's SCPs allow (lowercase); `None` when one
/// allows everything (`*` or a `NotAction`).
fn allowed(org: &Organization, names: &[String]) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for name in names {
        let Some(policy) = org.scps.get(name) else {
            continue;
        };
        for s in policy
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow)
        {
            match &s.actions {
                Actions::Only(list) => {
                    for a in list {
                        if a.raw == "*" {
                            return None;
                        }
                        out.push(a.raw.to_ascii_lowercase());
                    }
                }
                Actions::AllBut(_) => return None,
            }
        }
    }
    Some(out)
}

/// The gaps of an organization's allow lists, one finding per level and
/// action.
pub(super) fn allow_list_gaps(org: &Organization) -> Vec<Finding> {
    let mut seen = BTreeSet::new();
    let mut findings = Vec::new();
    // SCPs do not bind the management account: its path shows no gap.
    for (_, path) in org.paths.iter().filter(|(a, _)| **a != org.management) {
        let levels: Vec<(&str, Option<Vec<String>>)> = path
            .iter()
            .map(|n| (n.label.as_str(), allowed(org, &n.scps)))
            .collect();
        for (i, (above, list)) in levels.iter().enumerate() {
            for action in list.iter().flatten() {
                let probe = action.replace(['*', '?'], "x");
                for (j, (level, other)) in levels.iter().enumerate() {
                    let Some(other) = other else { continue };
                    let covered = other.iter().any(|p| Pattern::wildcard(p).matches(&probe));
                    if i != j && !covered && seen.insert((level.to_string(), action.clone())) {
                        findings.push(Finding {
                            rule: super::world_rule::WorldRule::ScpAllowListGap.id(),
                            severity: Severity::Low,
                            policy: (*level).to_owned(),
                            statement: None,
                            message: format!(
                                "`{action}` is allowed by the SCPs of {above} but by none attached to {level}, so it is denied to everything under {level} (with allow-list SCPs every level must allow); attach an SCP allowing it to {level}, or drop it from {above} if that is the intent"
                            ),
                        });
                    }
                }
            }
        }
    }
    findings
}
