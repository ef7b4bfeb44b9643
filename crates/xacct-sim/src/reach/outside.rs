//! Callers the world does not hold, as its trust policies name them:
//! principals of accounts outside it (or left out of a partial import),
//! anyone, placeholders a deployment fills, and the tokens of identity
//! providers built into AWS or not held by the world.

use std::collections::BTreeSet;

use super::super::identity::Identity;
use super::super::world::World;
use super::caller::{Caller, Known, arn_resource, literal_account, role_session};
use xacct_iam::{PrincipalName, PrincipalValue, Principals};

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
pub(super) fn outside_callers(world: &World) -> Vec<Caller> {
    let trusts = world
        .model()
        .accounts
        .values()
        .flat_map(|a| a.roles.values())
        .map(|role| &role.trust);
    named_by(world, trusts)
}

/// Callers the world does not hold, as `policies` (trust, bucket or key
/// policies) name them in `Principal` or `NotPrincipal`; see
/// [`outside_callers`].
pub(super) fn named_by<'w>(
    world: &'w World,
    policies: impl Iterator<Item = &'w xacct_iam::Policy>,
) -> Vec<Caller> {
    let model = world.model();
    let anyone = anyone_account(world);
    // (ARN as shown, account, resource part, what is known).
    let mut named: BTreeSet<(String, String, String, Known)> = BTreeSet::new();
    // Roles named by a session's ARN, whose path that ARN does not carry.
    let mut sessions_of: BTreeSet<String> = BTreeSet::new();
    let mut named_in_full: BTreeSet<String> = BTreeSet::new();
    for policy in policies {
        for statement in &policy.statements {
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
pub(super) fn built_in_providers(world: &World) -> Vec<Caller> {
    let names: BTreeSet<&str> = trust_principals(world)
        .filter_map(|v| match &v.name {
            PrincipalName::BuiltInProvider(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let account = anyone_account(world);
    names
        .into_iter()
        .map(|name| token_caller(name.to_owned(), &account, name))
        .collect()
}

/// Whoever presents a token of an IAM OIDC provider a trust policy names
/// that the world does not hold: of an account outside it, or one whose
/// providers its input does not list (`get-account-authorization-details`
/// returns none, a template may leave it to another stack). The provider
/// may exist, so its tokens are callers (taken as issued to anyone, until
/// the trust policy's conditions say otherwise).
pub(super) fn unheld_providers(world: &World) -> Vec<Caller> {
    let model = world.model();
    let named: BTreeSet<(&str, &str)> = trust_principals(world)
        .filter_map(|v| match &v.name {
            PrincipalName::OidcProvider { account, issuer } => {
                Some((account.as_str(), issuer.as_str()))
            }
            _ => None,
        })
        .filter(|(account, issuer)| {
            model
                .accounts
                .get(*account)
                .is_none_or(|a| !a.oidc_providers.values().any(|p| p.issuer == *issuer))
        })
        .collect();
    named
        .into_iter()
        .map(|(account, issuer)| {
            token_caller(
                format!("arn:aws:iam::{account}:oidc-provider/{issuer}"),
                account,
                issuer,
            )
        })
        .collect()
}

/// Every principal the world's trust policies name (in `Principal` or
/// `NotPrincipal`).
fn trust_principals(world: &World) -> impl Iterator<Item = &PrincipalValue> {
    world
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
}

/// Whoever presents a token of `issuer`, named `arn` in edges.
fn token_caller(arn: String, account: &str, issuer: &str) -> Caller {
    Caller {
        arn,
        identity: Identity::Token {
            account: account.to_owned(),
            issuer: issuer.to_owned(),
        },
        action: "sts:AssumeRoleWithWebIdentity",
        known: Known::Member,
        path_unknown: false,
    }
}
