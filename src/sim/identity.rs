//! Who is calling: credentials resolved to an identity of the world, with
//! AWS's answers for unknown keys, forged or expired tokens and wrong secrets.

use super::aws_error::{AwsError, Service};
use super::world::{KeyOwner, SessionKind, World};
use crate::cloud::Credentials;
use crate::iam::principal::{Caller, CallerKind};

/// A caller of the simulated STS or S3.
#[derive(Debug, Clone)]
pub enum Identity {
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
    /// Temporary credentials: a role, federated-user or GetSessionToken session.
    Session(SessionKind),
}

impl Identity {
    /// The account the identity acts in.
    pub fn account(&self) -> &str {
        match self {
            Self::User { account, .. } | Self::Root { account } => account,
            Self::Session(kind) => kind.account(),
        }
    }

    /// The caller as the IAM engine sees it.
    pub fn caller(&self, world: &World) -> Caller {
        let model = &world.model;
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
            | Self::Session(SessionKind::SessionToken {
                account,
                user: name,
                ..
            }) => user(account, name),
            Self::Root { .. } => (CallerKind::Root, None),
            Self::Session(SessionKind::Role {
                account,
                role,
                session,
                ..
            }) => {
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
            Self::Session(SessionKind::Federated { user, name, .. }) => (
                CallerKind::FederatedUser {
                    name: name.clone(),
                    federated_by: Some(user.clone()),
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

    /// The ARN AWS shows for this caller.
    pub fn arn(&self, world: &World) -> String {
        self.caller(world).arn()
    }

    /// The unique id GetCallerIdentity returns as `UserId`.
    pub fn user_id(&self, world: &World) -> String {
        match self {
            Self::User { account, name }
            | Self::Session(SessionKind::SessionToken {
                account,
                user: name,
                ..
            }) => world
                .model
                .user(account, name)
                .map(|u| u.unique_id.clone())
                .unwrap_or_default(),
            Self::Root { account } => account.clone(),
            Self::Session(SessionKind::Role {
                account,
                role,
                session,
                ..
            }) => {
                let id = world
                    .model
                    .role(account, role)
                    .map(|r| r.unique_id.clone())
                    .unwrap_or_default();
                format!("{id}:{session}")
            }
            Self::Session(SessionKind::Federated { account, name, .. }) => {
                format!("{account}:{name}")
            }
        }
    }

    /// Whether the credentials are temporary.
    pub fn is_temporary(&self) -> bool {
        matches!(self, Self::Session(_))
    }

    /// `aws:MultiFactorAuthPresent`: absent for long-term keys (unless MFA
    /// was passed with the call), present for temporary credentials.
    pub fn mfa_present(&self) -> Option<bool> {
        match self {
            Self::User { .. } | Self::Root { .. } => None,
            Self::Session(
                SessionKind::Role { mfa, .. } | SessionKind::SessionToken { mfa, .. },
            ) => Some(*mfa),
            Self::Session(SessionKind::Federated { .. }) => Some(false),
        }
    }
}

/// Resolves credentials to an identity, as `service` would.
pub fn authenticate(
    world: &World,
    creds: &Credentials,
    service: Service,
) -> Result<Identity, AwsError> {
    let key = creds.access_key_id.as_str();
    if let Some(owner) = world.model.keys.get(key) {
        if creds.session_token.is_some() {
            return Err(AwsError::invalid_token(service));
        }
        let (pair, identity) = match owner {
            KeyOwner::User(account, name) => (
                world.model.user(account, name).map(|u| &u.key),
                Identity::User {
                    account: account.clone(),
                    name: name.clone(),
                },
            ),
            KeyOwner::Root(account) => (
                world.model.accounts.get(account).map(|a| &a.root_key),
                Identity::Root {
                    account: account.clone(),
                },
            ),
        };
        return match pair {
            Some(pair) if pair.secret == creds.secret_access_key => Ok(identity),
            _ => Err(AwsError::signature_mismatch(service, key)),
        };
    }
    let session = world
        .state
        .lock()
        .ok()
        .and_then(|s| s.sessions.get(key).cloned());
    let Some(session) = session else {
        return Err(AwsError::unknown_key(service, key));
    };
    match &creds.session_token {
        None => return Err(AwsError::unknown_key(service, key)),
        Some(token) if *token != session.token => return Err(AwsError::invalid_token(service)),
        Some(_) => {}
    }
    if world.clock.now() >= session.expiration {
        return Err(AwsError::expired_token(service));
    }
    if session.secret != creds.secret_access_key {
        return Err(AwsError::signature_mismatch(service, key));
    }
    Ok(Identity::Session(session.kind))
}
