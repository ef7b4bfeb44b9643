//! Principal-action-resource grants of two worlds, found by probing: each
//! user and role whose identity side changed (its policies, boundary or
//! the SCPs above it) is asked, in each world, for every action and
//! resource its own policies mention in either world (wildcards filled with
//! a probe value), and the IAM engine decides. A principal whose identity
//! side is the same in both worlds is not probed: nothing it may do on its
//! own can differ. Each probe is decided three ways (see
//! [`xacct_iam::analyze`]): a grant under a condition the world does not
//! fix counts. A probe, not a proof: a grant no policy names a value for is
//! not tried, and a policy that allows by exclusion (`NotAction`,
//! `NotResource`) is reported as unprobed new access.

use std::collections::{BTreeMap, BTreeSet};

use super::decide::Gathered;
use super::identity::Identity;
use super::session::SessionKind;
use super::world::World;
use xacct_iam::{
    Actions, CallerKind, Context, NamedPolicy, Policy, Request, Resources, Verdict, analyze,
    is_placeholder, policy_to_json,
};

/// One allowed request: an action on a resource.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Grant {
    /// The action probed.
    pub action: String,
    /// The resource probed.
    pub resource: String,
}

impl Grant {
    /// The action's service (`s3` for `s3:GetObject`).
    pub fn service(&self) -> &str {
        self.action.split(':').next().unwrap_or(&self.action)
    }
}

/// What changed for one principal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrincipalGrants {
    /// The user or role ARN.
    pub principal: String,
    /// Policies it has in the new world only, by name (`managed/NAME`, an
    /// inline policy's name, `boundary`).
    pub attached: Vec<String>,
    /// Policies it had in the old world only.
    pub detached: Vec<String>,
    /// Policies of the same name whose document changed.
    pub changed: Vec<String>,
    /// Grants the new world allows and the old one does not.
    pub added: Vec<Grant>,
    /// Grants the old world allowed and the new one does not.
    pub removed: Vec<Grant>,
    /// Policies attached or changed that allow by `NotAction` or
    /// `NotResource` (everything but what they list): no probe can count
    /// what they open, so each is taken as new access.
    pub unprobed: Vec<String>,
}

impl PrincipalGrants {
    /// The services of `grants`, sorted.
    pub fn services(grants: &[Grant]) -> BTreeSet<&str> {
        grants.iter().map(Grant::service).collect()
    }
}

/// The grants that appear and disappear, principal by principal (only the
/// principals whose grants changed).
#[derive(Debug, Clone, Default)]
pub struct GrantDiff {
    /// Each principal whose grants changed, by ARN.
    pub principals: Vec<PrincipalGrants>,
}

impl GrantDiff {
    /// How many grants appear in all.
    pub fn added(&self) -> usize {
        self.principals.iter().map(|p| p.added.len()).sum()
    }

    /// How many grants disappear in all.
    pub fn removed(&self) -> usize {
        self.principals.iter().map(|p| p.removed.len()).sum()
    }

    /// How many policies open what no probe counts, in all.
    pub fn unprobed(&self) -> usize {
        self.principals.iter().map(|p| p.unprobed.len()).sum()
    }
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

/// One principal of a world: who it is to the engine, and its identity
/// side by name (policies, boundary, the SCPs above it) as JSON text.
struct Side<'w> {
    identity: Identity,
    policies: Vec<&'w Policy>,
    named: BTreeMap<String, String>,
    /// Its own policies that allow by `NotAction` or `NotResource`.
    opens: BTreeSet<String>,
}

/// Whether a policy allows by exclusion (`NotAction`, `NotResource`).
fn allows_by_exclusion(policy: &Policy) -> bool {
    policy.statements.iter().any(|s| {
        s.effect == xacct_iam::Effect::Allow
            && (matches!(s.actions, Actions::AllBut(_))
                || matches!(s.resources, Some(Resources::AllBut(_))))
    })
}

/// Each principal of `world` by ARN.
fn principals<'w>(world: &'w World) -> BTreeMap<String, Side<'w>> {
    let model = world.model();
    let mut out = BTreeMap::new();
    let scps = |account: &str| -> Vec<(String, String)> {
        model
            .organization
            .as_ref()
            .map(|org| {
                org.scp_levels(account)
                    .iter()
                    .flat_map(|(node, list)| {
                        list.iter().map(move |(name, p)| {
                            (
                                format!("scp {name} on {node}"),
                                policy_to_json(p).to_string(),
                            )
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    for account in model.accounts.values() {
        // Where in the organization the account is: its keys
        // (aws:PrincipalOrgID, aws:PrincipalOrgPaths) may decide conditions.
        let membership = model
            .organization
            .as_ref()
            .and_then(|org| org.paths.get(&account.id))
            .map(|path| format!("{path:?}"));
        let mut add = |arn: String,
                       identity: Identity,
                       own: Vec<(&'w String, &'w Policy)>,
                       boundary: Option<&'w Policy>| {
            let mut named: BTreeMap<String, String> = own
                .iter()
                .map(|(n, p)| ((*n).clone(), policy_to_json(p).to_string()))
                .collect();
            if let Some(b) = boundary {
                named.insert("boundary".to_owned(), policy_to_json(b).to_string());
            }
            named.extend(scps(&account.id));
            // Its tags are its aws:PrincipalTag keys.
            let tags = identity.principal_tags(model);
            if !tags.is_empty() {
                named.insert("tags".to_owned(), format!("{tags:?}"));
            }
            if let Some(path) = &membership {
                named.insert("organization membership".to_owned(), path.clone());
            }
            let opens = own
                .iter()
                .filter(|(_, p)| allows_by_exclusion(p))
                .map(|(n, _)| (*n).clone())
                .collect();
            out.insert(
                arn,
                Side {
                    identity,
                    policies: own.iter().map(|(_, p)| *p).collect(),
                    named,
                    opens,
                },
            );
        };
        for user in account.users.values() {
            let identity = Identity::User {
                account: account.id.clone(),
                name: user.name.clone(),
            };
            let own = user
                .policies
                .iter()
                .chain(&user.managed)
                .map(|(n, p)| (n, p))
                .collect();
            add(user.arn(), identity, own, user.boundary.as_ref());
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
            let own = role
                .policies
                .iter()
                .chain(&role.managed)
                .map(|(n, p)| (n, p))
                .collect();
            add(role.arn(), identity, own, role.boundary.as_ref());
        }
    }
    out
}

/// Whether `identity` may do `action` on `resource` in some request: the
/// engine's three-valued analysis in an open context that knows only what
/// the world fixes (the caller's principal keys, a user's tags, the
/// organization's keys), so a grant under a condition (a source IP, MFA,
/// a time) counts. `stand_in` ([`resource_stand_in`] of the caller's
/// account) stands for a resource's own policy, which is not probed.
pub(crate) fn possibly_allowed(
    world: &World,
    identity: &Identity,
    action: &str,
    resource: &str,
    stand_in: Option<&Policy>,
) -> bool {
    let model = world.model();
    let mut gathered = Gathered::new(world, identity, action, resource, None);
    if let CallerKind::RoleSession { session, .. } = &mut gathered.caller.kind {
        *session = None;
    }
    let mut ctx = Context::open();
    ctx.fill_caller(&gathered.caller);
    // Derived unique ids are not AWS's: not counted on.
    ctx.forget("aws:userid");
    if let Identity::User { .. } = identity {
        let tags = identity.principal_tags(model);
        let placeholder = tags.iter().any(|(_, v)| is_placeholder(v));
        for (key, value) in tags.into_iter().filter(|(_, v)| !is_placeholder(v)) {
            ctx.set(&format!("aws:PrincipalTag/{key}"), value);
        }
        // A template's principals may carry tags its stack adds.
        let partial = model
            .accounts
            .get(identity.account())
            .is_some_and(|a| a.partial);
        if !placeholder && !partial {
            ctx.absent("aws:PrincipalTag/");
        }
    } else {
        // Only an IAM user has a user name.
        ctx.absent("aws:username");
    }
    if let Some(org) = &model.organization {
        org.fill_context(&mut ctx, identity.account(), None);
        // A world account outside the organization is in none.
        ctx.absent("aws:PrincipalOrgID");
        ctx.absent("aws:PrincipalOrgPaths");
    }
    let mut policies = gathered.policies();
    // The resource's own policy is not probed: it is taken to be the one
    // AWS writes by default (a KMS key's, delegating to the account's IAM),
    // so a grant that needs a resource policy (a KMS key, a resource of
    // another account) turns on the identity side alone, as a grant here
    // should. Naming the account lets nobody in by itself.
    if policies.resource.is_none() {
        policies.resource = stand_in.map(|policy| NamedPolicy {
            name: "(the resource's policy, not probed: delegating to the caller's account)",
            policy,
        });
    }
    let request = Request {
        caller: &gathered.caller,
        action,
        resource,
        resource_account: gathered.resource_account,
        context: &ctx,
    };
    analyze(&request, &policies).verdict != Verdict::Never
}

/// A resource policy that delegates to `account`'s IAM: Allow everything
/// to the account (its root), as a KMS key's default policy does.
pub(crate) fn resource_stand_in(account: &str) -> Option<Policy> {
    xacct_iam::parse_text(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account}:root"}},"Action":"*","Resource":"*"}}]}}"#
    ))
    .ok()
}

/// The grants `world` allows `identity` among the probes.
fn allowed(world: &World, identity: &Identity, (actions, resources): &Mentions) -> BTreeSet<Grant> {
    let stand_in = resource_stand_in(identity.account());
    let mut out = BTreeSet::new();
    for action in actions {
        for resource in resources {
            if possibly_allowed(world, identity, action, resource, stand_in.as_ref()) {
                out.insert(Grant {
                    action: action.clone(),
                    resource: resource.clone(),
                });
            }
        }
    }
    out
}

/// What grants appear and disappear from `old` to `new`.
pub fn grant_diff(old: &World, new: &World) -> GrantDiff {
    let (before, after) = (principals(old), principals(new));
    let arns: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut out = Vec::new();
    for arn in arns {
        let (was, is) = (before.get(arn), after.get(arn));
        if let (Some(was), Some(is)) = (was, is)
            && was.named == is.named
        {
            continue;
        }
        let mut mentions = Mentions::default();
        for side in was.iter().chain(is.iter()) {
            for p in &side.policies {
                mention(p, &mut mentions);
            }
        }
        let grants = |side: Option<&Side<'_>>, world: &World| {
            side.map(|s| allowed(world, &s.identity, &mentions))
                .unwrap_or_default()
        };
        let (then, now) = (grants(was, old), grants(is, new));
        let empty = BTreeMap::new();
        let (old_named, new_named) = (
            was.map_or(&empty, |s| &s.named),
            is.map_or(&empty, |s| &s.named),
        );
        let change = PrincipalGrants {
            principal: arn.clone(),
            attached: new_named
                .keys()
                .filter(|k| !old_named.contains_key(*k))
                .cloned()
                .collect(),
            detached: old_named
                .keys()
                .filter(|k| !new_named.contains_key(*k))
                .cloned()
                .collect(),
            changed: new_named
                .iter()
                .filter(|(k, v)| old_named.get(*k).is_some_and(|o| o != *v))
                .map(|(k, _)| k.clone())
                .collect(),
            added: now.difference(&then).cloned().collect(),
            removed: then.difference(&now).cloned().collect(),
            unprobed: Vec::new(),
        };
        let unprobed = is.map_or_else(Vec::new, |s| {
            s.opens
                .iter()
                .filter(|n| change.attached.contains(n) || change.changed.contains(n))
                .cloned()
                .collect()
        });
        let change = PrincipalGrants { unprobed, ..change };
        if !change.added.is_empty() || !change.removed.is_empty() || !change.unprobed.is_empty() {
            out.push(change);
        }
    }
    GrantDiff { principals: out }
}
