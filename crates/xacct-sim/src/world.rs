//! The simulated world: the model a scenario describes, its clock, and the
//! key that makes its temporary credentials. Its state is private; the
//! front door is a few operations: the secret for a key and token (what a
//! signature check needs), authentication of credentials, and the STS and
//! S3 operations (in their own files), each answered through
//! [`World::call`] with its caller, reason and request id.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use super::answer::{Who, Why};
use super::aws_error::{AwsError, Service};
use super::faults::Faults;
use super::identity::Identity;
use super::issuers::Issuers;
use super::model::{KeyOwner, Model};
use super::request_id::RequestId;
use super::session::{NoRandomness, SessionKind, TokenKey, TokenProblem};
use xacct_aws::clock::SharedClock;
use xacct_aws::cloud::Credentials;
use xacct_aws::secret::Secret;
use xacct_iam::{PolicyKind, parse_text_as};

/// A world: the model, the clock, and what issues credentials.
///
/// The model stays inside the simulator: every other crate, `serve`
/// included, reads the world only through its operations and views.
///
/// ```compile_fail
/// fn peek(world: &xacct_sim::World) {
///     let _ = world.model();
/// }
/// ```
///
/// ```compile_fail
/// use xacct_sim::Model;
/// ```
///
/// ```
/// fn look(world: &xacct_sim::World) -> usize {
///     world.inventory().accounts.len()
/// }
/// ```
#[derive(Debug)]
pub struct World {
    model: Model,
    clock: SharedClock,
    tokens: TokenKey,
    serial: AtomicU64,
    issuers: Issuers,
    faults: Faults,
    store: super::data::store::Store,
}

/// An authenticated caller, as the operations take it.
#[derive(Debug, Clone)]
pub struct Principal {
    pub(crate) identity: Identity,
    who: Who,
    /// The region the request was signed for, when a signature carried one.
    signed_region: Option<String>,
}

impl Principal {
    /// Who it is: its ARN and account.
    pub fn who(&self) -> &Who {
        &self.who
    }

    /// The same caller on a request signed for `region`: S3 then sends a
    /// request for a bucket in another region back to it
    /// ([`World::call`]).
    pub fn signed_for(mut self, region: &str) -> Self {
        self.signed_region = Some(region.to_owned());
        self
    }

    /// The region the request was signed for, if any.
    pub(crate) fn signed_region(&self) -> Option<&str> {
        self.signed_region.as_deref()
    }

    /// The IAM user behind the caller (its own keys, or its GetSessionToken
    /// or GetFederationToken session), as IAM defaults `UserName` to it.
    pub fn user_name(&self) -> Option<&str> {
        self.identity.user().map(|(_, name)| name)
    }
}

/// What a signature check needs: the secret to verify with, and who signed
/// if it verifies.
#[derive(Debug, Clone)]
pub struct Signer {
    /// The secret access key of the presented key id.
    pub secret: Secret,
    /// The caller the key and token stand for.
    pub principal: Principal,
}

/// A caller refused before any operation ran, with AWS's error and why.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// Who presented the credentials.
    pub caller: Who,
    /// AWS's answer.
    pub error: AwsError,
    /// Why.
    pub why: Why,
}

impl World {
    /// A world with a fresh random token key.
    pub(crate) fn new(model: Model, clock: SharedClock) -> Result<Self, NoRandomness> {
        Ok(Self {
            issuers: Issuers::new(model.seed.clone()),
            faults: Faults::new(&model.faults),
            store: super::data::store::Store::seeded(&model),
            model,
            clock,
            tokens: TokenKey::random()?,
            serial: AtomicU64::new(0),
        })
    }

    /// The same world on another clock, with a fresh token key: what
    /// `xacct serve` answers with on the wall clock.
    pub fn with_clock(&self, clock: SharedClock) -> Result<Self, NoRandomness> {
        Self::new(self.model.clone(), clock)
    }

    /// What the scenario describes.
    pub(crate) fn model(&self) -> &Model {
        &self.model
    }

    /// The signing keys of the issuers its OIDC providers trust.
    pub(crate) fn issuers(&self) -> &Issuers {
        &self.issuers
    }

    /// The key `issuer` (host[/path]) signs its tokens with, as `xacct
    /// token` signs them: to craft tokens a verifier must refuse.
    pub fn issuer_key(
        &self,
        issuer: &str,
    ) -> Result<std::sync::Arc<xacct_aws::oidc::IssuerKey>, String> {
        self.issuers.key(issuer)
    }

    /// The long-term principals with their key ids (never secrets).
    pub fn principals(&self) -> Vec<(String, String)> {
        self.model.principals()
    }

    /// The region the world answers for.
    pub fn region(&self) -> &str {
        &self.model.region
    }

    /// An account's alias (its name in the organization's answers).
    pub fn account_alias(&self, account: &str) -> Option<&str> {
        self.model.accounts.get(account)?.alias.as_deref()
    }

    /// The world's "now".
    pub fn now(&self) -> SystemTime {
        self.clock.now()
    }

    /// Starts the serial numbers, the scripted faults and the buckets'
    /// objects afresh (each scenario run starts alike).
    pub fn reset(&self) {
        self.serial.store(0, Ordering::Relaxed);
        self.faults.rearm();
        self.store.reset(&self.model);
    }

    /// The objects of its buckets.
    pub(crate) fn store(&self) -> &super::data::store::Store {
        &self.store
    }

    /// The scripted fault that answers a call to `operation`, if one is
    /// still armed.
    pub(super) fn fault(&self, operation: &str) -> Option<AwsError> {
        self.faults.take(operation)
    }

    fn next_serial(&self) -> u64 {
        self.serial.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// The next request id: every answer of [`World::call`] carries one,
    /// and a face draws one for what it refuses before the world's door (a
    /// request it cannot read, a signature that does not verify).
    pub fn request_id(&self) -> RequestId {
        RequestId::new(self.tokens.request_id(self.next_serial()))
    }

    /// The key that seals session tokens.
    pub(crate) fn tokens(&self) -> &TokenKey {
        &self.tokens
    }

    /// Issues temporary credentials for a session.
    pub(crate) fn issue(&self, kind: SessionKind, expiration: SystemTime) -> Credentials {
        self.issue_session(kind, expiration, false)
    }

    /// Issues temporary credentials for a session, saying whether it was
    /// opened by role chaining.
    pub(crate) fn issue_session(
        &self,
        kind: SessionKind,
        expiration: SystemTime,
        chained: bool,
    ) -> Credentials {
        let id = self.tokens.key_id(self.next_serial(), kind.account());
        Credentials {
            secret_access_key: self.tokens.secret(&id),
            session_token: Some(self.tokens.token(&id, kind, expiration, chained)),
            expiration: Some(expiration),
            access_key_id: id,
        }
    }

    fn principal(&self, identity: Identity) -> Principal {
        let who = Who {
            name: identity.caller(&self.model).arn(),
            account: Some(identity.account().to_owned()),
        };
        Principal {
            identity,
            who,
            signed_region: None,
        }
    }

    /// The secret a request signed with `key_id` (and `token`) must be
    /// signed with, and who it stands for; or AWS's refusal, as `service`
    /// words it. Session tokens are checked here, before any operation.
    pub fn signer(
        &self,
        key_id: &str,
        token: Option<&str>,
        service: Service,
    ) -> Result<Signer, Box<Refusal>> {
        let refuse = |error: AwsError, why: &str| {
            Box::new(Refusal {
                caller: Who::key(key_id),
                error,
                why: Why::rule(why),
            })
        };
        if let Some(owner) = self.model.keys.get(key_id) {
            if token.is_some() {
                return Err(refuse(
                    AwsError::invalid_token(service),
                    "a session token came with a long-term access key",
                ));
            }
            let Some(key) = self.model.key_of(owner) else {
                return Err(refuse(
                    AwsError::unknown_key(service, key_id),
                    "the access key id is not one of the world's",
                ));
            };
            let identity = match owner {
                KeyOwner::User(account, name) => Identity::User {
                    account: account.clone(),
                    name: name.clone(),
                },
                KeyOwner::Root(account) => Identity::Root {
                    account: account.clone(),
                },
            };
            return Ok(Signer {
                secret: key.secret.clone(),
                principal: self.principal(identity),
            });
        }
        let Some(token) = token else {
            return Err(refuse(
                AwsError::unknown_key(service, key_id),
                "the access key id is not one of the world's (temporary keys need their session token)",
            ));
        };
        let session = match self.tokens.open(key_id, token, self.now()) {
            Ok(session) => session,
            Err(TokenProblem::Invalid) => {
                return Err(refuse(
                    AwsError::invalid_token(service),
                    "the session token was not issued by this world for this access key id",
                ));
            }
            Err(TokenProblem::Expired) => {
                return Err(refuse(
                    AwsError::expired_token(service),
                    "the temporary credentials are past their expiration",
                ));
            }
        };
        let policy_text = match &session.kind {
            SessionKind::Role { policy, .. } | SessionKind::Federated { policy, .. } => {
                policy.as_deref()
            }
            SessionKind::SessionToken { .. } => None,
        };
        let inline = match policy_text.map(|t| parse_text_as(t, PolicyKind::Session)) {
            None => None,
            Some(Ok(policy)) => Some(policy),
            Some(Err(_)) => {
                return Err(refuse(
                    AwsError::invalid_token(service),
                    "the session token carries a session policy that does not parse",
                ));
            }
        };
        let arns = session
            .kind
            .context()
            .map(|c| c.policy_arns.as_slice())
            .unwrap_or_default();
        let policy = self.model.session_policies(inline, arns);
        Ok(Signer {
            secret: self.tokens.secret(key_id),
            principal: self.principal(Identity::Session {
                kind: session.kind,
                policy,
            }),
        })
    }

    /// Authenticates credentials handed over in process (the seam): the
    /// key and token as [`World::signer`] checks them, then the secret.
    pub fn authenticate(
        &self,
        creds: &Credentials,
        service: Service,
    ) -> Result<Principal, Box<Refusal>> {
        let signer = self.signer(
            &creds.access_key_id,
            creds.session_token.as_ref().map(Secret::expose),
            service,
        )?;
        if signer.secret != creds.secret_access_key {
            return Err(Box::new(Refusal {
                caller: Who::key(&creds.access_key_id),
                error: AwsError::signature_mismatch(service, &creds.access_key_id),
                why: Why::rule("the secret access key does not belong to the access key id"),
            }));
        }
        Ok(signer.principal)
    }
}
