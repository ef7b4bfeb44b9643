//! Who starts a flow: the base credentials of a run's `as` principal, a
//! user's or root's long-term key, or temporary credentials the world issues
//! for an assumed-role or federated-user session.

use std::time::Duration;

use super::loaded::Loaded;
use super::scenario::{RunSpec, ScenarioError, WebIdentitySpec};
use super::session::SessionKind;
use super::web_token::TokenSpec;
use xacct_aws::cloud::Credentials;
use xacct_aws::flow::Start;
use xacct_aws::timestamp;
use xacct_iam::{Caller, CallerKind, PolicyKind, parse_as};

/// Who starts a flow: the `as` of a run and what a temporary one needs.
#[derive(Debug, Clone, Default)]
pub struct Starter<'a> {
    /// The principal ARN.
    pub arn: &'a str,
    /// For a federated user: who called GetFederationToken.
    pub federated_by: Option<&'a str>,
    /// For a federated user: the session policy.
    pub session_policy: Option<&'a xacct_iam::Document>,
    /// For a temporary principal: when its credentials expire (RFC 3339).
    pub session_expires: Option<&'a str>,
    /// For an assumed-role session: the tags, transitive keys and source
    /// identity it already carries.
    pub context: super::session_context::SessionContext,
}

impl<'a> Starter<'a> {
    /// The starter of a scenario run.
    pub fn of(run: &'a RunSpec) -> Self {
        Self {
            arn: run.as_principal.arn().unwrap_or_default(),
            federated_by: run.federated_by.as_deref(),
            session_policy: run.session_policy.as_ref(),
            session_expires: run.session_expires.as_deref(),
            context: run.as_principal.session_context(),
        }
    }
}

/// What a scenario run starts from: its `as` principal's credentials, or
/// the web identity token it describes, signed by the issuer's key.
pub fn start_for(loaded: &Loaded, run: &RunSpec) -> Result<Start, ScenarioError> {
    match run.as_principal.web_identity() {
        Some(spec) => token_for(loaded, spec).map(Start::WebIdentity),
        None => credentials_for(loaded, &Starter::of(run)).map(Start::Keys),
    }
}

fn token_for(
    loaded: &Loaded,
    spec: &WebIdentitySpec,
) -> Result<xacct_aws::secret::Secret, ScenarioError> {
    let err = |message: String| ScenarioError {
        file: loaded.file.clone(),
        message,
    };
    let expires = match &spec.expires {
        Some(t) => Some(timestamp::parse(t).ok_or_else(|| {
            err(format!(
                "web_identity.expires: `{t}` is not an RFC 3339 time"
            ))
        })?),
        None => None,
    };
    loaded
        .world
        .mint_token(&TokenSpec {
            issuer: spec.provider.clone(),
            claims: spec.claims.clone().into_iter().collect(),
            expires,
            forged: spec.signature.as_deref() == Some("invalid"),
        })
        .map_err(err)
}

/// The credentials of a principal of the world: a user's or root's key, or
/// temporary credentials issued for a role or federated-user session.
pub fn credentials_for(
    loaded: &Loaded,
    starter: &Starter<'_>,
) -> Result<Credentials, ScenarioError> {
    let err = |message: String| ScenarioError {
        file: loaded.file.clone(),
        message,
    };
    let world = &loaded.world;
    let model = world.model();
    let caller = Caller::parse(starter.arn).map_err(|e| err(e.to_string()))?;
    let expiration = starter
        .session_expires
        .and_then(timestamp::parse)
        .unwrap_or(world.now() + Duration::from_secs(3600));
    let missing = || {
        err(format!(
            "`{}` is not a principal of the scenario; use a user, root, assumed-role or federated-user ARN of its accounts",
            starter.arn
        ))
    };
    match caller.kind {
        CallerKind::User { name, .. } => model
            .user(&caller.account, &name)
            .map(|u| u.key.credentials())
            .ok_or_else(missing),
        CallerKind::Root => model
            .accounts
            .get(&caller.account)
            .map(|a| a.root_key.credentials())
            .ok_or_else(missing),
        CallerKind::RoleSession {
            role_name,
            session: Some(session),
            ..
        } => {
            model
                .role(&caller.account, &role_name)
                .ok_or_else(missing)?;
            Ok(world.issue(
                SessionKind::Role {
                    account: caller.account.clone(),
                    role: role_name,
                    session,
                    mfa: false,
                    policy: None,
                    context: Box::new(starter.context.clone()),
                },
                expiration,
            ))
        }
        CallerKind::FederatedUser { name, .. } => {
            let user = starter.federated_by.ok_or_else(|| err(format!("`{}` is a federated user: name the IAM user who called GetFederationToken (federated_by, or --federated-by)", starter.arn)))?;
            model.user(&caller.account, user).ok_or_else(|| {
                err(format!(
                    "federated_by: user `{user}` is not in account {}",
                    caller.account
                ))
            })?;
            let policy = match starter.session_policy {
                Some(doc) => {
                    parse_as(&doc.0, PolicyKind::Session).map_err(|e| {
                        err(format!("session_policy: at {}: {}", e.path, e.message))
                    })?;
                    Some(doc.0.to_string())
                }
                None => None,
            };
            Ok(world.issue(
                SessionKind::Federated {
                    account: caller.account.clone(),
                    user: Some(user.to_owned()),
                    name,
                    policy,
                    context: Default::default(),
                },
                expiration,
            ))
        }
        CallerKind::WebIdentity { .. } => Err(err(format!(
            "`{}` is an OIDC provider; a flow starts from one of its tokens: as: {{ web_identity: {{ provider, claims }} }}",
            starter.arn
        ))),
        CallerKind::RoleSession { session: None, .. } => Err(err(format!(
            "`{}` is a role; a flow starts from a session of it: arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION",
            starter.arn
        ))),
    }
}
