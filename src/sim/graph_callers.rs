//! The callers a who-can-assume graph tries: every user, every role's
//! session and every OIDC provider of the world, and the principals of
//! accounts outside it that trust policies name; indexed so that each
//! role is tried only against the callers its trust policy can match
//! (AWS requires the trust policy to allow every AssumeRole, so a caller
//! it cannot name never gets in), which keeps a world of 50,000 roles to
//! a few decisions per role instead of one per caller.

use std::collections::{BTreeSet, HashMap};

use super::identity::Identity;
use super::model::Role;
use super::session::SessionKind;
use super::world::World;
use crate::iam::{PrincipalName, Principals};

/// One caller: its ARN (as edges show it), who it is to the engine, and
/// the action it assumes roles with.
pub struct Caller {
    /// The ARN edges name.
    pub arn: String,
    /// The identity the engine decides for.
    pub identity: Identity,
    /// `sts:AssumeRole` or `sts:AssumeRoleWithWebIdentity`.
    pub action: &'static str,
}

/// The callers, and where to find them by what a trust policy names.
pub struct CallerIndex {
    callers: Vec<Caller>,
    by_arn: HashMap<String, usize>,
    by_account: HashMap<String, Vec<usize>>,
    by_unique_id: HashMap<String, usize>,
}

fn role_session(account: &str, role: &str) -> Identity {
    Identity::Session {
        kind: SessionKind::Role {
            account: account.to_owned(),
            role: role.to_owned(),
            session: "graph".to_owned(),
            mfa: false,
            policy: None,
            context: Default::default(),
        },
        policy: None,
    }
}

impl CallerIndex {
    /// Every caller of the world, indexed.
    pub fn new(world: &World) -> Self {
        let mut callers = Vec::new();
        let mut by_unique_id = HashMap::new();
        for account in world.model().accounts.values() {
            for user in account.users.values() {
                by_unique_id.insert(user.unique_id.clone(), callers.len());
                callers.push(Caller {
                    arn: user.arn(),
                    identity: Identity::User {
                        account: account.id.clone(),
                        name: user.name.clone(),
                    },
                    action: "sts:AssumeRole",
                });
            }
            for role in account.roles.values() {
                by_unique_id.insert(role.unique_id.clone(), callers.len());
                callers.push(Caller {
                    arn: role.arn(),
                    identity: role_session(&account.id, &role.name),
                    action: "sts:AssumeRole",
                });
            }
            for provider in account.oidc_providers.values() {
                callers.push(Caller {
                    arn: format!(
                        "arn:aws:iam::{}:oidc-provider/{}",
                        account.id, provider.issuer
                    ),
                    identity: Identity::Token {
                        account: account.id.clone(),
                        issuer: provider.issuer.clone(),
                    },
                    action: "sts:AssumeRoleWithWebIdentity",
                });
            }
        }
        callers.extend(
            outside_callers(world)
                .into_iter()
                .map(|(arn, identity, action)| Caller {
                    arn,
                    identity,
                    action,
                }),
        );
        let mut by_arn = HashMap::new();
        let mut by_account: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in callers.iter().enumerate() {
            by_arn.insert(c.arn.clone(), i);
            if !matches!(c.identity, Identity::Token { .. }) {
                by_account
                    .entry(c.identity.account().to_owned())
                    .or_default()
                    .push(i);
            }
        }
        Self {
            callers,
            by_arn,
            by_account,
            by_unique_id,
        }
    }

    /// The callers `role`'s trust policy can match, in index order: all
    /// of them when it names anyone (`*`, any account, `NotPrincipal`).
    pub fn candidates(&self, role: &Role) -> Vec<&Caller> {
        let mut picked = BTreeSet::new();
        let account = |id: &str| self.by_account.get(id).into_iter().flatten().copied();
        for statement in &role.trust.statements {
            let values = match &statement.principals {
                Some(Principals::Only(values)) => values,
                _ => return self.callers.iter().collect(),
            };
            for value in values {
                match &value.name {
                    PrincipalName::Anyone | PrincipalName::AnyAccount => {
                        return self.callers.iter().collect();
                    }
                    PrincipalName::Account(id) => picked.extend(account(id)),
                    PrincipalName::User { account: a, name } => {
                        // The ARN may carry a path: match on account and name.
                        picked.extend(account(a).filter(|&i| {
                            matches!(&self.callers[i].identity, Identity::User { name: n, .. } if n == name)
                        }));
                    }
                    PrincipalName::Role { account: a, name }
                    | PrincipalName::Session {
                        account: a,
                        role: name,
                        ..
                    } => {
                        picked.extend(account(a).filter(|&i| {
                            matches!(&self.callers[i].identity, Identity::Session { kind: SessionKind::Role { role, .. }, .. } if role == name)
                        }));
                    }
                    PrincipalName::OidcProvider { account: a, issuer } => {
                        let arn = format!("arn:aws:iam::{a}:oidc-provider/{issuer}");
                        picked.extend(self.by_arn.get(&arn).copied());
                    }
                    PrincipalName::UniqueId(id) => {
                        picked.extend(self.by_unique_id.get(id).copied());
                    }
                    PrincipalName::FederatedUser { .. } | PrincipalName::NonIam(_) => {}
                }
            }
        }
        picked.into_iter().map(|i| &self.callers[i]).collect()
    }
}

/// An account id no world uses, standing for "any AWS account" (`*`).
fn anyone_account(world: &World) -> String {
    (0..1000u32)
        .map(|n| format!("{:012}", 999_999_999_999u64 - u64::from(n)))
        .find(|id| !world.model().accounts.contains_key(id))
        .unwrap_or_default()
}

/// Callers from outside the world that trust policies name: an account
/// (any of its principals, shown as its root), a user or role of one, or
/// anyone (`*`). Their own policies are unknown and taken to allow.
fn outside_callers(world: &World) -> Vec<(String, Identity, &'static str)> {
    let model = world.model();
    let mut named = std::collections::BTreeSet::new();
    for role in model.accounts.values().flat_map(|a| a.roles.values()) {
        let trust = crate::iam::policy_to_json(&role.trust);
        for statement in trust["Statement"].as_array().into_iter().flatten() {
            let aws = &statement["Principal"]["AWS"];
            let values = match aws {
                serde_json::Value::String(s) => vec![s.clone()],
                serde_json::Value::Array(list) => list
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            };
            if statement["Principal"].as_str() == Some("*") {
                named.insert("*".to_owned());
            }
            named.extend(values);
        }
    }
    let mut out = Vec::new();
    for name in named {
        let (account, rest) = if name == "*" {
            (anyone_account(world), "root".to_owned())
        } else if crate::iam::is_account_id(&name) {
            (name.clone(), "root".to_owned())
        } else if let Ok(arn) = name.parse::<crate::iam::Arn>() {
            if arn.service != "iam" {
                continue;
            }
            (arn.account, arn.resource)
        } else {
            continue;
        };
        if model.accounts.contains_key(&account) {
            continue;
        }
        let label = if name == "*" || rest == "root" {
            if name == "*" {
                name.clone()
            } else {
                format!("arn:aws:iam::{account}:root")
            }
        } else {
            name.clone()
        };
        let identity = if let Some(role) = rest.strip_prefix("role/") {
            Identity::Session {
                kind: SessionKind::Role {
                    account,
                    role: role.rsplit('/').next().unwrap_or(role).to_owned(),
                    session: "graph".to_owned(),
                    mfa: false,
                    policy: None,
                    context: Default::default(),
                },
                policy: None,
            }
        } else {
            let user = rest.strip_prefix("user/").unwrap_or("any-principal");
            Identity::User {
                account,
                name: user.rsplit('/').next().unwrap_or(user).to_owned(),
            }
        };
        if !out
            .iter()
            .any(|(l, _, _): &(String, Identity, &str)| *l == label)
        {
            out.push((label, identity, "sts:AssumeRole"));
        }
    }
    out
}
