//! Who is calling, once authenticated: an IAM user, an account's root user,
//! or one of the world's sessions, and how the IAM engine and AWS's answers
//! see it (the caller, its ARN, its `UserId`).

use super::model::Model;
use super::session::SessionKind;
use xacct_iam::{Caller, CallerKind, Policy};

/// An authenticated caller of the simulated STS or S3.
#[derive(Debug, Clone)]
pub(crate) enum Identity {
    /// An IAM user with its long-term key.
    User {
        /// The account.
        account: String,
        /// The user name.
        name: String,
    },
    /// An account's root user.
    Root {
        /// The account.
        account: String,
    },
    /// Whoever presents a token of an account's OIDC provider
    /// (AssumeRoleWithWebIdentity, before a session exists).
    Token {
        /// The provider's account.
        account: String,
        /// The issuer, host[/path].
        issuer: String,
    },
    /// Temporary credentials.
    Session {
        /// What the session stands for.
        kind: SessionKind,
        /// Its session policy, compiled.
        policy: Option<Policy>,
    },
}

impl Identity {
    /// The account the identity acts in.
    pub(crate) fn account(&self) -> &str {
        match self {
            Self::User { account, .. } | Self::Root { account } | Self::Token { account, .. } => {
                account
            }
            Self::Session { kind, .. } => kind.account(),
        }
    }

    /// The IAM user behind the identity (a user, or a user's
    /// GetSessionToken or GetFederationToken session), if any.
    pub(crate) fn user(&self) -> Option<(&str, &str)> {
        match self {
            Self::User { account, name }
            | Self::Session {
                kind:
                    SessionKind::SessionToken {
                        account,
                        user: Some(name),
                        ..
                    }
                    | SessionKind::Federated {
                        account,
                        user: Some(name),
                        ..
                    },
                ..
            } => Some((account, name)),
            _ => None,
        }
    }

    /// The caller as the IAM engine sees it.
    pub(crate) fn caller(&self, model: &Model) -> Caller {
        let user = |account: &str, name: &str| {
            let user = model.user(account, name);
            (
                CallerKind::User {
                    path: user.map_or("/".to_owned(), |u| u.path.clone()),
                    name: name.to_owned(),
                },
                user.map(|u| u.unique_id.clone()),
            )
        };
        let (kind, unique_id) = match self {
            Self::User { account, name }
            | Self::Session {
                kind:
                    SessionKind::SessionToken {
                        account,
                        user: Some(name),
                        ..
                    },
                ..
            } => user(account, name),
            Self::Root { .. }
            | Self::Session {
                kind: SessionKind::SessionToken { user: None, .. },
                ..
            } => (CallerKind::Root, None),
            Self::Session {
                kind:
                    SessionKind::Role {
                        account,
                        role,
                        session,
                        ..
                    },
                ..
            } => {
                let r = model.role(account, role);
                (
                    CallerKind::RoleSession {
                        role_path: r.map_or("/".to_owned(), |r| r.path.clone()),
                        role_name: role.clone(),
                        session: Some(session.clone()),
                    },
                    r.map(|r| r.unique_id.clone()),
                )
            }
            Self::Session {
                kind: SessionKind::Federated { user, name, .. },
                ..
            } => (
                CallerKind::FederatedUser {
                    name: name.clone(),
                    federated_by: user.clone(),
                },
                None,
            ),
            Self::Token { issuer, .. } => (
                CallerKind::WebIdentity {
                    issuer: issuer.clone(),
                },
                None,
            ),
        };
        Caller {
            partition: "aws".to_owned(),
            account: self.account().to_owned(),
            kind,
            unique_id,
        }
    }

    /// The unique id GetCallerIdentity returns as `UserId`.
    pub(crate) fn user_id(&self, model: &Model) -> String {
        let caller = self.caller(model);
        match &caller.kind {
            CallerKind::User { .. } => caller.unique_id.unwrap_or_default(),
            CallerKind::Root => caller.account,
            CallerKind::RoleSession { session, .. } => format!(
                "{}:{}",
                caller.unique_id.unwrap_or_default(),
                session.as_deref().unwrap_or_default()
            ),
            CallerKind::FederatedUser { name, .. } => format!("{}:{name}", caller.account),
            CallerKind::WebIdentity { .. } => caller.arn(),
        }
    }

    /// What the caller's session carries (tags, source identity), when
    /// the caller is a role or federated-user session.
    pub(crate) fn session_context(&self) -> Option<&super::session_context::SessionContext> {
        match self {
            Self::Session { kind, .. } => kind.context(),
            _ => None,
        }
    }

    /// `aws:PrincipalTag/*`: a user's IAM tags; a role session's role tags
    /// overridden by its session tags; a federated user's session tags over
    /// the tags of the user who federated it (IAM User Guide, "Pass session
    /// tags in AWS STS").
    pub(crate) fn principal_tags(&self, model: &Model) -> Vec<(String, String)> {
        use super::session_context::principal_tags;
        let session: &[(String, String)] =
            self.session_context().map_or(&[], |c| c.tags.as_slice());
        match self {
            Self::Session {
                kind: SessionKind::Role { account, role, .. },
                ..
            } => model
                .role(account, role)
                .map_or_else(|| session.to_vec(), |r| principal_tags(&r.tags, session)),
            _ => match self
                .user()
                .and_then(|(account, name)| model.user(account, name))
            {
                Some(user) => principal_tags(&user.tags, session),
                None => session.to_vec(),
            },
        }
    }

    /// Whether the credentials are temporary.
    pub(crate) fn is_temporary(&self) -> bool {
        matches!(self, Self::Session { .. })
    }

    /// Whether the caller is a role session (so AssumeRole is role chaining).
    pub(crate) fn is_role_session(&self) -> bool {
        matches!(
            self,
            Self::Session {
                kind: SessionKind::Role { .. },
                ..
            }
        )
    }

    /// `aws:MultiFactorAuthPresent`: absent for long-term keys (unless MFA
    /// was passed with the call), present for temporary credentials.
    pub(crate) fn mfa_present(&self) -> Option<bool> {
        match self {
            Self::User { .. } | Self::Root { .. } | Self::Token { .. } => None,
            Self::Session {
                kind: SessionKind::Role { mfa, .. } | SessionKind::SessionToken { mfa, .. },
                ..
            } => Some(*mfa),
            Self::Session {
                kind: SessionKind::Federated { .. },
                ..
            } => Some(false),
        }
    }
}
