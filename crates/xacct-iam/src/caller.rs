//! The caller making a request: an IAM user, an account's root user, a role
//! session, a federated user, or a web identity presenting a token of an
//! account's OIDC provider; its ARN and what AWS derives from it.

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
    /// Whoever presents a web identity token of an IAM OIDC provider of the
    /// account (AssumeRoleWithWebIdentity): the provider stands for them.
    WebIdentity {
        /// The issuer, host[/path] (the provider ARN after `oidc-provider/`).
        issuer: String,
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
arn:aws:sts::ACCOUNT:federated-user/NAME, or arn:aws:iam::ACCOUNT:oidc-provider/ISSUER for a web identity";

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
            ("iam", r) if r.starts_with("oidc-provider/") => CallerKind::WebIdentity {
                issuer: r["oidc-provider/".len()..].to_owned(),
            },
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
            CallerKind::WebIdentity { issuer } => !issuer.is_empty(),
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
            CallerKind::WebIdentity { issuer } => {
                format!("arn:{p}:iam::{a}:oidc-provider/{issuer}")
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
            CallerKind::WebIdentity { .. } => "WebIdentityUser",
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
