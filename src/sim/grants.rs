//! Principal-action-resource grants of two worlds, found by probing: each
//! user and role (of either world) is asked, in each world, for every
//! action and resource its own policies mention in either world (wildcards
//! filled with a probe value), and the IAM engine decides. A probe, not a
//! proof: a grant no policy names a value for is not tried.

use std::collections::{BTreeMap, BTreeSet};

use super::decide::decide;
use super::identity::Identity;
use super::session::SessionKind;
use super::world::World;
use crate::iam::{Actions, Policy, Resources};

/// One allowed request.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Grant {
    /// The principal (user or role ARN).
    pub principal: String,
    /// The action probed.
    pub action: String,
    /// The resource probed.
    pub resource: String,
}

/// The grants one world has and another has not.
#[derive(Debug, Clone, Default)]
pub struct GrantDiff {
    /// Allowed in the new world only.
    pub added: Vec<Grant>,
    /// Allowed in the old world only.
    pub removed: Vec<Grant>,
}

/// A concrete probe for a pattern: `*` and `?` filled in.
fn probe(pattern: &str) -> String {
    pattern.replace('*', "probe").replace('?', "x")
}

/// What a principal's policies mention: (actions, resources).
type Mentions = (BTreeSet<String>, BTreeSet<String>);

fn mention(policy: &Policy, into: &mut Mentions) {
    for s in &policy.statements {
        if let Actions::Only(list) = &s.actions {
            into.0.extend(
                list.iter()
                    .filter(|a| !a.raw.to_ascii_lowercase().starts_with("sts:assumerole"))
                    .map(|a| probe(&a.raw)),
            );
        }
        if let Some(Resources::Only(list)) = &s.resources {
            into.1.extend(list.iter().map(|r| probe(&r.raw)));
        }
    }
}

/// Each principal of `world`: its ARN, identity and policies.
fn principals(world: &World) -> Vec<(String, Identity, Vec<&Policy>)> {
    let mut out = Vec::new();
    for account in world.model().accounts.values() {
        for user in account.users.values() {
            let identity = Identity::User {
                account: account.id.clone(),
                name: user.name.clone(),
            };
            out.push((
                user.arn(),
                identity,
                user.policies
                    .iter()
                    .chain(&user.managed)
                    .map(|(_, p)| p)
                    .collect(),
            ));
        }
        for role in account.roles.values() {
            let identity = Identity::Session {
                kind: SessionKind::Role {
                    account: account.id.clone(),
                    role: role.name.clone(),
                    session: "diff".to_owned(),
                    mfa: false,
                    policy: None,
                    context: Default::default(),
                },
                policy: None,
            };
            out.push((
                role.arn(),
                identity,
                role.policies
                    .iter()
                    .chain(&role.managed)
                    .map(|(_, p)| p)
                    .collect(),
            ));
        }
    }
    out
}

/// The grants `world` allows among `probes` (principal ARN: identity,
/// actions, resources).
fn allowed(world: &World, probes: &BTreeMap<String, (Identity, Mentions)>) -> BTreeSet<Grant> {
    let mut out = BTreeSet::new();
    let present: BTreeSet<String> = principals(world)
        .into_iter()
        .map(|(arn, _, _)| arn)
        .collect();
    for (arn, (identity, (actions, resources))) in probes {
        if !present.contains(arn) {
            continue;
        }
        for action in actions {
            for resource in resources {
                if decide(world, identity, action, resource, None, &[]).allowed {
                    out.insert(Grant {
                        principal: arn.clone(),
                        action: action.clone(),
                        resource: resource.clone(),
                    });
                }
            }
        }
    }
    out
}

/// What grants appear and disappear from `old` to `new`.
pub fn grant_diff(old: &World, new: &World) -> GrantDiff {
    let mut probes: BTreeMap<String, (Identity, Mentions)> = BTreeMap::new();
    for world in [old, new] {
        for (arn, identity, policies) in principals(world) {
            let entry = probes
                .entry(arn)
                .or_insert_with(|| (identity, Mentions::default()));
            for p in policies {
                mention(p, &mut entry.1);
            }
        }
    }
    let before = allowed(old, &probes);
    let after = allowed(new, &probes);
    GrantDiff {
        added: after.difference(&before).cloned().collect(),
        removed: before.difference(&after).cloned().collect(),
    }
}
