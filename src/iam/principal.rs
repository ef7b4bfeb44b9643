//! Principals: the caller making a request, and the `Principal` /
//! `NotPrincipal` values of resource and trust policies that may name it.

use std::fmt;

use super::arn::{Arn, is_account_id};

/// What kind of identity is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallerKind {
    /// An IAM user with long-term keys.
    User {
        /// The path, `/` by default.
        path: String,
        /// The user name.
        name: String,
    },
    /// The account's root user.
    Root,
    /// A session of an IAM role (from AssumeRole).
    RoleSession {
        /// The role's path, `/` when unknown.
        role_path: String,
        /// The role name.
        role_name: String,
        /// The session name; `None` stands for any session of the role.
        session: Option<String>,
    },
    /// A federated-user session (from GetFederationToken).
    FederatedUser {
        /// The federated user's name.
        name: String,
        /// The IAM user who called GetFederationToken, when known.
        federated_by: Option<String>,
    },
}

/// The identity making a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The partition (`aws`, ...).
    pub partition: String,
    /// The caller's account.
    pub account: String,
    /// What kind of identity it is.
    pub kind: CallerKind,
    /// The unique id (`AIDA...` for users, `AROA...` for roles), when known.
    pub unique_id: Option<String>,
}

/// Why a string does not name a caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a principal ARN: {reason}")]
pub struct CallerError {
    /// The offending text.
    pub value: String,
    /// What is wrong and what is accepted.
    pub reason: String,
}

const CALLER_FORMS: &str = "use arn:aws:iam::ACCOUNT:user/NAME, arn:aws:iam::ACCOUNT:root, \
arn:aws:iam::ACCOUNT:role/NAME, arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION or \
arn:aws:sts::ACCOUNT:federated-user/NAME";

impl Caller {
    /// Reads a caller from its ARN.
    pub fn parse(value: &str) -> Result<Self, CallerError> {
        let err = |reason: String| CallerError {
            value: value.to_owned(),
            reason,
        };
        let arn: Arn = value
            .parse()
            .map_err(|e: super::arn::ArnError| err(format!("{}; {CALLER_FORMS}", e.reason)))?;
        if !is_account_id(&arn.account) {
            return Err(err(format!(
                "the account `{}` must be 12 digits",
                arn.account
            )));
        }
        let kind = match (arn.service.as_str(), arn.resource.as_str()) {
            ("iam", "root") => CallerKind::Root,
            ("iam", r) if r.starts_with("user/") => {
                let (path, name) = split_path(&r["user/".len()..]);
                CallerKind::User { path, name }
            }
            ("iam", r) if r.starts_with("role/") => {
                let (role_path, role_name) = split_path(&r["role/".len()..]);
                CallerKind::RoleSession {
                    role_path,
                    role_name,
                    session: None,
                }
            }
            ("sts", r) if r.starts_with("assumed-role/") => {
                match r["assumed-role/".len()..].split_once('/') {
                    Some((role, session))
                        if !role.is_empty() && !session.is_empty() && !session.contains('/') =>
                    {
                        CallerKind::RoleSession {
                            role_path: "/".to_owned(),
                            role_name: role.to_owned(),
                            session: Some(session.to_owned()),
                        }
                    }
                    _ => {
                        return Err(err(format!(
                            "an assumed-role ARN is assumed-role/ROLE/SESSION; {CALLER_FORMS}"
                        )));
                    }
                }
            }
            ("sts", r) if r.starts_with("federated-user/") => CallerKind::FederatedUser {
                name: r["federated-user/".len()..].to_owned(),
                federated_by: None,
            },
            _ => return Err(err(CALLER_FORMS.to_owned())),
        };
        let named = match &kind {
            CallerKind::User { name, .. } | CallerKind::FederatedUser { name, .. } => {
                !name.is_empty()
            }
            CallerKind::RoleSession { role_name, .. } => !role_name.is_empty(),
            CallerKind::Root => true,
        };
        if !named {
            return Err(err(format!("the name is empty; {CALLER_FORMS}")));
        }
        Ok(Self {
            partition: arn.partition,
            account: arn.account,
            kind,
            unique_id: None,
        })
    }

    /// The caller's own ARN (the session ARN for role sessions).
    pub fn arn(&self) -> String {
        let (p, a) = (&self.partition, &self.account);
        match &self.kind {
            CallerKind::User { path, name } => format!("arn:{p}:iam::{a}:user{path}{name}"),
            CallerKind::Root => format!("arn:{p}:iam::{a}:root"),
            CallerKind::RoleSession {
                role_name,
                session: Some(s),
                ..
            } => {
                format!("arn:{p}:sts::{a}:assumed-role/{role_name}/{s}")
            }
            CallerKind::RoleSession { .. } => self.principal_arn(),
            CallerKind::FederatedUser { name, .. } => {
                format!("arn:{p}:sts::{a}:federated-user/{name}")
            }
        }
    }

    /// `aws:PrincipalArn`: the role's ARN for a role session, otherwise the caller's ARN.
    pub fn principal_arn(&self) -> String {
        match &self.kind {
            CallerKind::RoleSession {
                role_path,
                role_name,
                ..
            } => {
                format!(
                    "arn:{}:iam::{}:role{role_path}{role_name}",
                    self.partition, self.account
                )
            }
            _ => self.arn(),
        }
    }

    /// The account root ARN, `arn:aws:iam::ACCOUNT:root`.
    pub fn account_arn(&self) -> String {
        format!("arn:{}:iam::{}:root", self.partition, self.account)
    }

    /// `aws:PrincipalType`.
    pub fn principal_type(&self) -> &'static str {
        match self.kind {
            CallerKind::User { .. } => "User",
            CallerKind::Root => "Account",
            CallerKind::RoleSession { .. } => "AssumedRole",
            CallerKind::FederatedUser { .. } => "FederatedUser",
        }
    }
}

impl fmt::Display for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.arn())
    }
}

/// `path/name` → (`/path/`, `name`); no path → (`/`, `name`).
fn split_path(rest: &str) -> (String, String) {
    match rest.rfind('/') {
        Some(i) => (format!("/{}", &rest[..=i]), rest[i + 1..].to_owned()),
        None => ("/".to_owned(), rest.to_owned()),
    }
}

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
    /// A unique id (`AIDA...`, `AROA...`): what IAM shows once the named
    /// user or role has been deleted.
    UniqueId(String),
    /// A service (`ec2.amazonaws.com`), an identity provider, or an S3
    /// canonical user: never an IAM caller.
    NonIam(String),
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
        }
    }
}

impl PrincipalValue {
    /// How this value matches the caller, if it does.
    pub fn matches(&self, caller: &Caller) -> Option<PrincipalMatch> {
        let same = |account: &str| account == caller.account;
        match (&self.name, &caller.kind) {
            (PrincipalName::Anyone, _) => Some(PrincipalMatch::Anyone),
            (PrincipalName::AnyAccount, _) => Some(PrincipalMatch::Account),
            (PrincipalName::Account(a), _) if same(a) => Some(PrincipalMatch::Account),
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

/// Whether a caller is exempt from a `NotPrincipal` list: AWS checks the
/// account, then the role or user, then the session, so each level must be
/// listed.
pub fn exempt_from_not_principal(values: &[PrincipalValue], caller: &Caller) -> bool {
    let mut levels = vec![caller.account_arn()];
    match &caller.kind {
        CallerKind::Root => {}
        CallerKind::User { .. } | CallerKind::FederatedUser { .. } => levels.push(caller.arn()),
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
