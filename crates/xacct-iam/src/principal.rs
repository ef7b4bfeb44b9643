//! The `Principal` / `NotPrincipal` values of resource and trust policies,
//! and how each may name a caller.

use super::caller::{Caller, CallerKind};

/// Which map of a `Principal` element a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalType {
    /// `"*"` written without a map.
    Star,
    /// `{"AWS": ...}`.
    Aws,
    /// `{"Service": ...}`.
    Service,
    /// `{"Federated": ...}`.
    Federated,
    /// `{"CanonicalUser": ...}`.
    CanonicalUser,
}

impl PrincipalType {
    /// The map key as IAM spells it.
    pub fn key(self) -> &'static str {
        match self {
            Self::Star => "*",
            Self::Aws => "AWS",
            Self::Service => "Service",
            Self::Federated => "Federated",
            Self::CanonicalUser => "CanonicalUser",
        }
    }
}

/// What a principal value names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalName {
    /// `"*"`, `{"AWS": "*"}`: everyone.
    Anyone,
    /// `arn:aws:iam::*:root`: every account.
    AnyAccount,
    /// A whole account: `123456789012` or `arn:aws:iam::123456789012:root`.
    Account(String),
    /// An IAM user.
    User {
        /// The user's account.
        account: String,
        /// The user name (without path).
        name: String,
    },
    /// An IAM role: every session of it.
    Role {
        /// The role's account.
        account: String,
        /// The role name (without path).
        name: String,
    },
    /// One exact role session.
    Session {
        /// The role's account.
        account: String,
        /// The role name.
        role: String,
        /// The session name.
        session: String,
    },
    /// One federated-user session.
    FederatedUser {
        /// The account.
        account: String,
        /// The federated user's name.
        name: String,
    },
    /// An IAM OIDC provider (`{"Federated": "arn:aws:iam::ACCOUNT:oidc-provider/ISSUER"}`):
    /// whoever presents one of its tokens.
    OidcProvider {
        /// The provider's account.
        account: String,
        /// The issuer, host[/path].
        issuer: String,
    },
    /// An identity provider built into AWS, named bare in `Federated`
    /// (`accounts.google.com`, `cognito-identity.amazonaws.com`,
    /// `www.amazon.com`, `graph.facebook.com`): whoever presents one of its
    /// tokens, to a role of any account.
    BuiltInProvider(String),
    /// A unique id (`AIDA...`, `AROA...`): what IAM shows once the named
    /// user or role has been deleted.
    UniqueId(String),
    /// A service (`ec2.amazonaws.com`), an identity provider, or an S3
    /// canonical user: never an IAM caller.
    NonIam(String),
    /// A placeholder for a principal only a deployment knows (see
    /// [`super::is_placeholder`]): it names nobody in a request, and may
    /// name the caller in an analysis.
    Unresolved(String),
}

/// One value of a `Principal` or `NotPrincipal` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalValue {
    /// The map it came from.
    pub kind: PrincipalType,
    /// The text as written.
    pub raw: String,
    /// What it names.
    pub name: PrincipalName,
}

/// How a principal value matched a caller, which decides whether a
/// same-account grant needs the caller's identity policy too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalMatch {
    /// The account (root ARN, bare id, `arn:aws:iam::*:root`): the account
    /// delegates to its identity policies.
    Account,
    /// `*`.
    Anyone,
    /// The IAM user itself.
    User,
    /// The caller's role (the caller is a session of it).
    Role,
    /// The exact role session.
    Session,
    /// The exact federated-user session.
    FederatedUser,
    /// The IAM user who federated the calling session.
    FederatingUser,
    /// The OIDC provider whose token the caller presented.
    Provider,
}

impl PrincipalMatch {
    /// Whether the grant names the caller (or its role or federating user)
    /// rather than its account.
    pub fn is_direct(self) -> bool {
        self != Self::Account
    }

    /// Whether, within one account, a direct grant is still limited by the
    /// caller's permissions boundary and session policy (the IAM evaluation
    /// logic's table of resource-policy grants against implicit denies).
    pub fn limited_by_boundary_and_session(self) -> bool {
        matches!(
            self,
            Self::Role | Self::FederatingUser | Self::Anyone | Self::Account
        )
    }

    /// A short description for explanations.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Account => "the caller's account",
            Self::Anyone => "everyone (*)",
            Self::User => "the IAM user itself",
            Self::Role => "the caller's role",
            Self::Session => "the exact role session",
            Self::FederatedUser => "the exact federated-user session",
            Self::FederatingUser => "the IAM user who federated the session",
            Self::Provider => "the OIDC provider whose token was presented",
        }
    }
}

impl PrincipalValue {
    /// How this value matches the caller, if it does.
    pub fn matches(&self, caller: &Caller) -> Option<PrincipalMatch> {
        let same = |account: &str| account == caller.account;
        // A web identity is no principal of any account: only its provider
        // (or `*`) names it.
        let iam = !matches!(caller.kind, CallerKind::WebIdentity { .. });
        match (&self.name, &caller.kind) {
            (PrincipalName::Anyone, _) => Some(PrincipalMatch::Anyone),
            (PrincipalName::AnyAccount, _) if iam => Some(PrincipalMatch::Account),
            (PrincipalName::Account(a), _) if iam && same(a) => Some(PrincipalMatch::Account),
            (PrincipalName::User { account, name }, CallerKind::User { name: n, .. })
                if same(account) && name == n =>
            {
                Some(PrincipalMatch::User)
            }
            (
                PrincipalName::User { account, name },
                CallerKind::FederatedUser {
                    federated_by: Some(by),
                    ..
                },
            ) if same(account) && name == by => Some(PrincipalMatch::FederatingUser),
            (PrincipalName::Role { account, name }, CallerKind::RoleSession { role_name, .. })
                if same(account) && name == role_name =>
            {
                Some(PrincipalMatch::Role)
            }
            (
                PrincipalName::Session {
                    account,
                    role,
                    session,
                },
                CallerKind::RoleSession {
                    role_name,
                    session: Some(s),
                    ..
                },
            ) if same(account) && role == role_name && session == s => {
                Some(PrincipalMatch::Session)
            }
            (
                PrincipalName::FederatedUser { account, name },
                CallerKind::FederatedUser { name: n, .. },
            ) if same(account) && name == n => Some(PrincipalMatch::FederatedUser),
            (
                PrincipalName::OidcProvider { account, issuer },
                CallerKind::WebIdentity { issuer: i },
            ) if same(account) && issuer == i => Some(PrincipalMatch::Provider),
            (PrincipalName::BuiltInProvider(name), CallerKind::WebIdentity { issuer })
                if name == issuer =>
            {
                Some(PrincipalMatch::Provider)
            }
            (PrincipalName::UniqueId(id), kind)
                if caller.unique_id.as_deref() == Some(id.as_str()) =>
            {
                Some(match kind {
                    CallerKind::RoleSession { .. } => PrincipalMatch::Role,
                    _ => PrincipalMatch::User,
                })
            }
            _ => None,
        }
    }

    /// Whether the value names exactly this ARN (for `NotPrincipal`, which
    /// AWS checks level by level: account, then role or user, then session).
    fn names_exactly(&self, arn: &str) -> bool {
        self.raw == arn
            || match &self.name {
                PrincipalName::Account(a) => {
                    arn.ends_with(":root") && arn.contains(&format!("::{a}:"))
                }
                PrincipalName::Anyone => true,
                _ => false,
            }
    }
}

/// Whether the caller is a session of a role whose name is not known (an
/// analysis's caller: any session of the role).
pub(crate) fn is_unnamed_session(caller: &Caller) -> bool {
    matches!(caller.kind, CallerKind::RoleSession { session: None, .. })
}

/// For a session of unknown name, the sessions of its role that `values`
/// name (exact `assumed-role/ROLE/SESSION` principals).
pub(crate) fn sessions_of_role<'p>(values: &'p [PrincipalValue], caller: &Caller) -> Vec<&'p str> {
    let CallerKind::RoleSession {
        role_name,
        session: None,
        ..
    } = &caller.kind
    else {
        return Vec::new();
    };
    values
        .iter()
        .filter_map(|v| match &v.name {
            PrincipalName::Session {
                account,
                role,
                session,
            } if *account == caller.account && role == role_name => Some(session.as_str()),
            _ => None,
        })
        .collect()
}

/// Whether a caller is exempt from a `NotPrincipal` list: AWS checks the
/// account, then the role or user, then the session, so each level must be
/// listed.
pub(crate) fn exempt_from_not_principal(values: &[PrincipalValue], caller: &Caller) -> bool {
    let mut levels = vec![caller.account_arn()];
    match &caller.kind {
        CallerKind::Root => {}
        CallerKind::User { .. }
        | CallerKind::FederatedUser { .. }
        | CallerKind::WebIdentity { .. } => levels.push(caller.arn()),
        CallerKind::RoleSession { session, .. } => {
            levels.push(caller.principal_arn());
            if session.is_some() {
                levels.push(caller.arn());
            }
        }
    }
    levels
        .iter()
        .all(|level| values.iter().any(|v| v.names_exactly(level)))
}
