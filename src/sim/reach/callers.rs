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
use crate::iam::{PrincipalName, Principals};

/// What the analysis knows of a caller, beyond what the request may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Known {
    /// A user, role or OIDC provider of the world: its ARN, account, type
    /// and (for a user) tags are known.
    Member,
    /// A user or role the world does not hold that a trust policy names
    /// (of an account outside the world, or one a partial import left
    /// out): its ARN, account and type are known, its tags and policies
    /// are not.
    Named,
    /// Any principal of an account outside the world (a trust policy names
    /// the account), or any other principal of an account a partial
    /// import holds only some of: only the account is known.
    AnyoneOf,
    /// Anyone at all (`*`): nothing is known.
    Anyone,
    /// Whoever a deployment names where a trust policy has a placeholder
    /// (a parameter without a value): nothing is known, and only that
    /// policy's placeholder names it.
    Deploy,
}

/// One caller: its ARN (as edges show it), who it is to the engine, and
/// the action it assumes roles with.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The ARN edges name.
    pub arn: String,
    /// The identity the engine decides for.
    pub identity: Identity,
    /// `sts:AssumeRole` or `sts:AssumeRoleWithWebIdentity`.
    pub action: &'static str,
    /// What is known of it.
    pub known: Known,
    /// For a named outside role known only by its sessions
    /// (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`): its path, and
    /// so its `aws:PrincipalArn`, is unknown.
    pub path_unknown: bool,
}

/// The callers, and where to find them by what a trust policy names.
pub struct CallerIndex {
    callers: Vec<Caller>,
    by_arn: HashMap<String, usize>,
    by_account: HashMap<String, Vec<usize>>,
    by_unique_id: HashMap<String, usize>,
    /// Callers of any account: the stand-in for anyone.
    anyone: Vec<usize>,
}

/// Any session of a role (its name is not known to the analysis).
pub fn role_session(account: &str, role: &str) -> Identity {
    Identity::Session {
        kind: SessionKind::Role {
            account: account.to_owned(),
            role: role.to_owned(),
            session: "any".to_owned(),
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
    pub fn all(&self) -> &[Caller] {
        &self.callers
    }

    /// The caller an edge names, by its ARN: its index into [`CallerIndex::all`].
    pub fn by_arn(&self, arn: &str) -> Option<usize> {
        self.by_arn.get(arn).copied()
    }

    /// The callers `role`'s trust policy can match, as indices into
    /// [`CallerIndex::all`], in order: all of them when it names anyone
    /// (`*`, any account, `NotPrincipal`). Deny statements name no one who
    /// could get in, so only Allow statements pick callers.
    pub fn candidates(&self, role: &Role) -> Vec<usize> {
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
            if statement.effect == crate::iam::Effect::Deny {
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

/// An account id no world uses, standing for "any AWS account" (`*`).
fn anyone_account(world: &World) -> String {
    (0..1000u32)
        .map(|n| format!("{:012}", 999_999_999_999u64 - u64::from(n)))
        .find(|id| !world.model().accounts.contains_key(id))
        .unwrap_or_default()
}

/// Callers the world does not hold: from outside it, as trust policies
/// name them (in `Principal` or `NotPrincipal`): an account (any of its
/// principals, shown as its root), a user or role of one (a role also by
/// one of its sessions), anyone (`*`); of an account a partial import
/// holds only some of, any other principal (its root) and those its trust
/// policies name that the import left out; or a principal
/// only a deployment knows (a placeholder, shown as written). Their own
/// policies are unknown and taken to allow.
fn outside_callers(world: &World) -> Vec<Caller> {
    let model = world.model();
    let anyone = anyone_account(world);
    // (ARN as shown, account, resource part, what is known).
    let mut named: BTreeSet<(String, String, String, Known)> = BTreeSet::new();
    // Roles named by a session's ARN, whose path that ARN does not carry.
    let mut sessions_of: BTreeSet<String> = BTreeSet::new();
    let mut named_in_full: BTreeSet<String> = BTreeSet::new();
    for role in model.accounts.values().flat_map(|a| a.roles.values()) {
        for statement in &role.trust.statements {
            let values = match &statement.principals {
                Some(Principals::Only(v) | Principals::AllBut(v)) => v,
                None => continue,
            };
            for value in values {
                let (arn, account, rest, known) = match &value.name {
                    PrincipalName::Anyone | PrincipalName::AnyAccount => (
                        "*".to_owned(),
                        anyone.clone(),
                        "root".to_owned(),
                        Known::Anyone,
                    ),
                    // Whoever a deployment names: any principal of the
                    // account its ARN spells, or else nothing is known of it.
                    PrincipalName::Unresolved(raw) => match literal_account(raw) {
                        Some(id) => (
                            format!("arn:aws:iam::{id}:root"),
                            id.to_owned(),
                            "root".to_owned(),
                            Known::AnyoneOf,
                        ),
                        None => (
                            raw.clone(),
                            anyone.clone(),
                            "deploy-time".to_owned(),
                            Known::Deploy,
                        ),
                    },
                    PrincipalName::Account(id) => (
                        format!("arn:aws:iam::{id}:root"),
                        id.clone(),
                        "root".to_owned(),
                        Known::AnyoneOf,
                    ),
                    PrincipalName::User { account, .. } | PrincipalName::Role { account, .. } => {
                        let rest = arn_resource(&value.raw);
                        (
                            format!("arn:aws:iam::{account}:{rest}"),
                            account.clone(),
                            rest,
                            Known::Named,
                        )
                    }
                    // One session of an outside role: any session of it
                    // is tried (the engine leaves the name undecided).
                    PrincipalName::Session { account, role, .. } => {
                        let arn = format!("arn:aws:iam::{account}:role/{role}");
                        sessions_of.insert(arn.clone());
                        (arn, account.clone(), format!("role/{role}"), Known::Named)
                    }
                    _ => continue,
                };
                // A world account's principals are its own callers, but
                // for those a partial import left out.
                if !matches!(known, Known::Anyone | Known::Deploy)
                    && let Some(held) = model.accounts.get(&account)
                {
                    let missing = match &value.name {
                        PrincipalName::User { name, .. } => !held.users.contains_key(name),
                        PrincipalName::Role { name, .. }
                        | PrincipalName::Session { role: name, .. } => {
                            !held.roles.contains_key(name)
                        }
                        _ => false,
                    };
                    if !(held.partial && missing) {
                        continue;
                    }
                }
                if matches!(
                    value.name,
                    PrincipalName::User { .. } | PrincipalName::Role { .. }
                ) {
                    named_in_full.insert(arn.clone());
                }
                named.insert((arn, account, rest, known));
            }
        }
    }
    // Any other principal of an account a partial import holds only some of.
    for account in model.accounts.values().filter(|a| a.partial) {
        named.insert((
            account.root_arn(),
            account.id.clone(),
            "root".to_owned(),
            Known::AnyoneOf,
        ));
    }
    named
        .into_iter()
        .map(|(arn, account, rest, known)| {
            let identity = if let Some(role) = rest.strip_prefix("role/") {
                role_session(&account, role.rsplit('/').next().unwrap_or(role))
            } else {
                let user = rest.strip_prefix("user/").unwrap_or("any-principal");
                Identity::User {
                    account,
                    name: user.rsplit('/').next().unwrap_or(user).to_owned(),
                }
            };
            Caller {
                path_unknown: sessions_of.contains(&arn) && !named_in_full.contains(&arn),
                arn,
                identity,
                action: "sts:AssumeRole",
                known,
            }
        })
        .collect()
}

/// Whoever presents a token of an identity provider built into AWS that a
/// trust policy names (`{"Federated": "accounts.google.com"}`): no IAM
/// OIDC provider stands for them, so each is a caller of its own, named as
/// the policy names it.
fn built_in_providers(world: &World) -> Vec<Caller> {
    let names: BTreeSet<&str> = world
        .model()
        .accounts
        .values()
        .flat_map(|a| a.roles.values())
        .flat_map(|r| &r.trust.statements)
        .filter_map(|s| match &s.principals {
            Some(Principals::Only(v) | Principals::AllBut(v)) => Some(v),
            None => None,
        })
        .flatten()
        .filter_map(|v| match &v.name {
            PrincipalName::BuiltInProvider(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let account = anyone_account(world);
    names
        .into_iter()
        .map(|name| Caller {
            arn: name.to_owned(),
            identity: Identity::Token {
                account: account.clone(),
                issuer: name.to_owned(),
            },
            action: "sts:AssumeRoleWithWebIdentity",
            known: Known::Member,
            path_unknown: false,
        })
        .collect()
}

/// The account a placeholder principal's ARN spells literally
/// (`arn:aws:iam::111122223333:role/UNRESOLVED(...)`), if any.
fn literal_account(raw: &str) -> Option<&str> {
    raw.split(':')
        .nth(4)
        .filter(|a| crate::iam::is_account_id(a))
}

/// The resource part of an ARN (`user/path/name`).
fn arn_resource(arn: &str) -> String {
    arn.splitn(6, ':').nth(5).unwrap_or_default().to_owned()
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
