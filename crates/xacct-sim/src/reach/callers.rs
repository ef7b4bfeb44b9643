//! The callers the analysis tries: every user, every role's sessions and
//! every OIDC provider of the world, and the principals of accounts outside
//! it that trust policies name; indexed so that each role is tried only
//! against the callers its trust policy can match (AWS requires the trust
//! policy to allow every AssumeRole, so a caller it cannot name never gets
//! in), which keeps a world of 50,000 roles to a few decisions per role
//! instead of one per caller.

use std::collections::{BTreeSet, HashMap};

use super::super::identity::Identity;
use super::super::model::Role;
use super::super::session::SessionKind;
use super::super::world::World;
use super::caller::{Caller, Known, literal_account, role_session};
use super::outside::{built_in_providers, outside_callers, unheld_providers};
use xacct_iam::{PrincipalName, Principals};

/// The callers, and where to find them by what a trust policy names.
pub(super) struct CallerIndex {
    callers: Vec<Caller>,
    by_arn: HashMap<String, usize>,
    by_account: HashMap<String, Vec<usize>>,
    by_unique_id: HashMap<String, usize>,
    /// Callers of any account: the stand-in for anyone.
    anyone: Vec<usize>,
}

impl CallerIndex {
    /// Every caller of the world, indexed.
    pub(super) fn new(world: &World) -> Self {
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
                    known: Known::Member,
                    path_unknown: false,
                });
            }
            for role in account.roles.values() {
                by_unique_id.insert(role.unique_id.clone(), callers.len());
                callers.push(Caller {
                    arn: role.arn(),
                    identity: role_session(&account.id, &role.name),
                    action: "sts:AssumeRole",
                    known: Known::Member,
                    path_unknown: false,
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
                    known: Known::Member,
                    path_unknown: false,
                });
            }
        }
        callers.extend(outside_callers(world));
        callers.extend(built_in_providers(world));
        callers.extend(unheld_providers(world));
        let mut by_arn = HashMap::new();
        let mut by_account: HashMap<String, Vec<usize>> = HashMap::new();
        let mut anyone = Vec::new();
        for (i, c) in callers.iter().enumerate() {
            by_arn.insert(c.arn.clone(), i);
            if c.known == Known::Anyone {
                anyone.push(i);
            } else if c.known != Known::Deploy && !matches!(c.identity, Identity::Token { .. }) {
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
            anyone,
        }
    }

    /// Every caller, in index order.
    pub(super) fn all(&self) -> &[Caller] {
        &self.callers
    }

    /// The caller an edge names, by its ARN: its index into [`CallerIndex::all`].
    pub(super) fn by_arn(&self, arn: &str) -> Option<usize> {
        self.by_arn.get(arn).copied()
    }

    /// The callers `role`'s trust policy can match, as indices into
    /// [`CallerIndex::all`], in order: all of them when it names anyone
    /// (`*`, any account, `NotPrincipal`). Deny statements name no one who
    /// could get in, so only Allow statements pick callers.
    pub(super) fn candidates(&self, role: &Role) -> Vec<usize> {
        // Everyone but the placeholders' stand-ins, which only their own
        // placeholder names.
        let everyone = || {
            (0..self.callers.len())
                .filter(|&i| self.callers[i].known != Known::Deploy)
                .collect()
        };
        let mut picked = BTreeSet::new();
        let account = |id: &str| self.by_account.get(id).into_iter().flatten().copied();
        for statement in &role.trust.statements {
            if statement.effect == xacct_iam::Effect::Deny {
                continue;
            }
            let values = match &statement.principals {
                Some(Principals::Only(values)) => values,
                _ => return everyone(),
            };
            for value in values {
                match &value.name {
                    PrincipalName::Anyone => return everyone(),
                    PrincipalName::AnyAccount => {
                        // Every IAM principal of every account.
                        picked.extend(self.by_account.values().flatten().copied());
                        picked.extend(self.anyone.iter().copied());
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
                    PrincipalName::Unresolved(raw) => {
                        // A placeholder may name any principal of its
                        // account when the ARN spells one, else anyone.
                        let literal = literal_account(raw);
                        picked.extend((0..self.callers.len()).filter(|&i| {
                            let c = &self.callers[i];
                            match literal {
                                Some(a) => c.identity.account() == a,
                                None => c.known != Known::Deploy,
                            }
                        }));
                        picked.extend(self.by_arn.get(raw).copied());
                    }
                    PrincipalName::BuiltInProvider(raw) => {
                        picked.extend(self.by_arn.get(raw).copied());
                    }
                    PrincipalName::FederatedUser { .. } | PrincipalName::NonIam(_) => {}
                }
            }
        }
        picked.into_iter().collect()
    }
}

impl World {
    /// The ARNs the analysis names callers by: the world's users, roles and
    /// OIDC providers, and the outside principals its trust policies name
    /// (an account's root for any of its principals, `*` for anyone).
    pub fn caller_arns(&self) -> Vec<String> {
        CallerIndex::new(self)
            .all()
            .iter()
            .map(|c| c.arn.clone())
            .collect()
    }
}
