//! One caller the analysis tries: who it is to the engine, what is known
//! of it, and the ARN edges name it by.

use super::super::identity::Identity;
use super::super::session::SessionKind;
use super::super::world::World;

/// What the analysis knows of a caller, beyond what the request may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Known {
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
pub(super) struct Caller {
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

/// Whether `caller` is inside: a member of the world's organization or,
/// without one, a principal of the world's accounts. A token's bearer is
/// no account's principal: the findings on web identity trust speak of
/// who may hold one.
pub(super) fn is_inside(world: &World, caller: &Caller) -> bool {
    let model = world.model();
    matches!(caller.identity, Identity::Token { .. })
        || match &model.organization {
            Some(org) => org.paths.contains_key(caller.identity.account()),
            None => {
                caller.known == Known::Member
                    || !matches!(caller.known, Known::Anyone | Known::Deploy)
                        && model.accounts.contains_key(caller.identity.account())
            }
        }
}

/// Any session of a role (its name is not known to the analysis).
pub(super) fn role_session(account: &str, role: &str) -> Identity {
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

/// The account a placeholder principal's ARN spells literally
/// (`arn:aws:iam::111122223333:role/UNRESOLVED(...)`), if any.
pub(super) fn literal_account(raw: &str) -> Option<&str> {
    raw.split(':')
        .nth(4)
        .filter(|a| xacct_iam::is_account_id(a))
}

/// The resource part of an ARN (`user/path/name`).
pub(super) fn arn_resource(arn: &str) -> String {
    arn.splitn(6, ':').nth(5).unwrap_or_default().to_owned()
}
