//! The simulated world: accounts, users, roles, buckets, their policies
//! compiled by the IAM engine, and the temporary credentials it has issued.
//! Built from a [`Scenario`], with every policy and reference checked.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::SystemTime;

use super::keys::{TokenKey, derived_id, derived_secret};
use super::scenario::{BucketSpec, KeySpec, Scenario, ScenarioError};
use crate::clock::SharedClock;
use crate::iam::arn::is_account_id;
use crate::iam::parse::{PolicyKind, check_kind};
use crate::iam::{Policy, parse};
use crate::secret::Secret;

/// A long-term access key.
#[derive(Debug, Clone)]
pub struct KeyPair {
    /// The access key id.
    pub id: String,
    /// The secret.
    pub secret: Secret,
}

/// An MFA device.
#[derive(Debug, Clone)]
pub struct MfaDevice {
    /// Its serial or ARN.
    pub serial: String,
    /// The code it shows now.
    pub code: String,
}

/// An IAM user.
#[derive(Debug, Clone)]
pub struct User {
    /// The account.
    pub account: String,
    /// The name.
    pub name: String,
    /// The path.
    pub path: String,
    /// `AIDA...`.
    pub unique_id: String,
    /// The long-term key.
    pub key: KeyPair,
    /// The MFA device.
    pub mfa: Option<MfaDevice>,
    /// Inline policies by name.
    pub policies: Vec<(String, Policy)>,
    /// The permissions boundary.
    pub boundary: Option<Policy>,
}

impl User {
    /// `arn:aws:iam::ACCOUNT:user/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:user{}{}",
            self.account, self.path, self.name
        )
    }
}

/// An IAM role.
#[derive(Debug, Clone)]
pub struct Role {
    /// The account.
    pub account: String,
    /// The name.
    pub name: String,
    /// The path.
    pub path: String,
    /// `AROA...`.
    pub unique_id: String,
    /// The trust policy.
    pub trust: Policy,
    /// Permission policies by name.
    pub policies: Vec<(String, Policy)>,
    /// The permissions boundary.
    pub boundary: Option<Policy>,
    /// `MaxSessionDuration` in seconds.
    pub max_session_duration: u32,
}

impl Role {
    /// `arn:aws:iam::ACCOUNT:role/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:role{}{}",
            self.account, self.path, self.name
        )
    }
}

/// A bucket.
#[derive(Debug, Clone)]
pub struct Bucket {
    /// The name.
    pub name: String,
    /// When it was created.
    pub created: SystemTime,
}

/// An account.
#[derive(Debug, Clone)]
pub struct Account {
    /// The 12-digit id.
    pub id: String,
    /// A friendly name.
    pub alias: Option<String>,
    /// Users by name.
    pub users: BTreeMap<String, User>,
    /// Roles by name.
    pub roles: BTreeMap<String, Role>,
    /// The root user's key.
    pub root_key: KeyPair,
    /// Buckets, in the order written.
    pub buckets: Vec<Bucket>,
}

/// Who owns a long-term key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOwner {
    /// An IAM user (account, name).
    User(String, String),
    /// An account's root user.
    Root(String),
}

/// What a temporary credential stands for.
#[derive(Debug, Clone)]
pub enum SessionKind {
    /// A role session from AssumeRole.
    Role {
        /// The role's account.
        account: String,
        /// The role's name.
        role: String,
        /// The session name.
        session: String,
        /// Whether MFA was used to get it.
        mfa: bool,
        /// The session policy passed to AssumeRole.
        policy: Option<Policy>,
    },
    /// A federated-user session from GetFederationToken.
    Federated {
        /// The account.
        account: String,
        /// The user who called GetFederationToken.
        user: String,
        /// The federated user's name.
        name: String,
        /// The session policy (none: no permissions).
        policy: Option<Policy>,
    },
    /// A GetSessionToken session of a user.
    SessionToken {
        /// The account.
        account: String,
        /// The user.
        user: String,
        /// Whether MFA was used to get it.
        mfa: bool,
    },
}

impl SessionKind {
    /// The account the session acts in.
    pub fn account(&self) -> &str {
        match self {
            Self::Role { account, .. }
            | Self::Federated { account, .. }
            | Self::SessionToken { account, .. } => account,
        }
    }
}

/// Issued temporary credentials.
#[derive(Debug, Clone)]
pub struct Session {
    /// What they stand for.
    pub kind: SessionKind,
    /// The secret.
    pub secret: Secret,
    /// The session token.
    pub token: Secret,
    /// When they were issued.
    pub issued: SystemTime,
    /// When they stop working.
    pub expiration: SystemTime,
}

/// The immutable part of a world: what the scenario describes.
#[derive(Debug, Clone)]
pub struct Model {
    /// The scenario's name.
    pub name: String,
    /// The region.
    pub region: String,
    /// Accounts by id.
    pub accounts: BTreeMap<String, Account>,
    /// Long-term keys by id.
    pub keys: HashMap<String, KeyOwner>,
}

/// The mutable part: issued sessions, a counter for ids, and the log of
/// calls with why each was decided as it was.
#[derive(Debug, Default)]
pub struct State {
    /// Sessions by access key id.
    pub sessions: HashMap<String, Session>,
    /// The number of credentials and requests issued.
    pub serial: u64,
    /// Every call answered, in order.
    pub log: Vec<CallRecord>,
}

/// One call the world answered.
#[derive(Debug, Clone)]
pub struct CallRecord {
    /// `sts:AssumeRole`, `s3:ListBuckets`, ...
    pub operation: &'static str,
    /// The caller's ARN, or its access key id when it is unknown.
    pub caller: String,
    /// What the call was about (the role ARN for AssumeRole).
    pub target: Option<String>,
    /// A short description of the answer, or the error.
    pub outcome: Result<String, super::aws_error::AwsError>,
    /// Why, when a rule or the IAM engine decided it.
    pub why: Option<super::decide::Why>,
}

/// A world: the model, the clock, and what has been issued.
#[derive(Debug)]
pub struct World {
    /// What the scenario describes.
    pub model: Model,
    /// "Now".
    pub clock: SharedClock,
    /// Signs session tokens.
    pub token_key: TokenKey,
    /// Issued sessions.
    pub state: Mutex<State>,
}

fn policy(
    value: &serde_json::Value,
    kind: PolicyKind,
    at: &str,
    file: &str,
) -> Result<Policy, ScenarioError> {
    let fail = |e: crate::iam::ParseError| ScenarioError {
        file: file.to_owned(),
        message: format!("{at}: at {}: {}", e.path, e.message),
    };
    let parsed = parse(value).map_err(fail)?;
    check_kind(&parsed, kind).map_err(fail)?;
    Ok(parsed)
}

fn policies(
    map: &BTreeMap<String, serde_json::Value>,
    at: &str,
    file: &str,
) -> Result<Vec<(String, Policy)>, ScenarioError> {
    map.iter()
        .map(|(name, doc)| {
            Ok((
                name.clone(),
                policy(
                    doc,
                    PolicyKind::Identity,
                    &format!("{at}.policies.{name}"),
                    file,
                )?,
            ))
        })
        .collect()
}

fn boundary(
    doc: Option<&serde_json::Value>,
    at: &str,
    file: &str,
) -> Result<Option<Policy>, ScenarioError> {
    doc.map(|b| {
        policy(
            b,
            PolicyKind::Boundary,
            &format!("{at}.permissions_boundary"),
            file,
        )
    })
    .transpose()
}

fn path_of(path: Option<&String>, at: &str, file: &str) -> Result<String, ScenarioError> {
    let path = path.cloned().unwrap_or_else(|| "/".to_owned());
    if !path.starts_with('/') || !path.ends_with('/') {
        return Err(ScenarioError {
            file: file.to_owned(),
            message: format!("{at}.path: `{path}` must start and end with `/` (e.g. /team/)"),
        });
    }
    Ok(path)
}

fn key(spec: Option<&KeySpec>, derived: &[&str]) -> KeyPair {
    match spec {
        Some(k) => KeyPair {
            id: k.id.clone(),
            secret: Secret::new(k.secret.clone()),
        },
        None => KeyPair {
            id: derived_id("AKIA", derived),
            secret: derived_secret(derived),
        },
    }
}

/// Parses an RFC 3339 time.
pub fn parse_time(text: &str) -> Option<SystemTime> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(SystemTime::from)
}

impl Model {
    /// Builds and checks the model of a scenario; `file` names it in errors.
    pub fn build(scenario: &Scenario, file: &str) -> Result<Self, ScenarioError> {
        let err = |message: String| ScenarioError {
            file: file.to_owned(),
            message,
        };
        let mut accounts = BTreeMap::new();
        let mut keys = HashMap::new();
        let mut add_key = |id: &str, owner: KeyOwner, at: &str| -> Result<(), ScenarioError> {
            if keys.insert(id.to_owned(), owner).is_some() {
                return Err(err(format!(
                    "{at}.access_key.id: `{id}` is used twice; every access key id must be unique"
                )));
            }
            Ok(())
        };
        for (id, spec) in &scenario.accounts {
            let at = format!("accounts.{id}");
            if !is_account_id(id) {
                return Err(err(format!(
                    "{at}: `{id}` is not a 12-digit account id (quote it: \"111111111111\")"
                )));
            }
            let mut users = BTreeMap::new();
            for (name, u) in &spec.users {
                let at = format!("{at}.users.{name}");
                let user = User {
                    account: id.clone(),
                    name: name.clone(),
                    path: path_of(u.path.as_ref(), &at, file)?,
                    unique_id: derived_id("AIDA", &[id, "user", name]),
                    key: key(u.access_key.as_ref(), &[id, "user", name]),
                    mfa: u.mfa.as_ref().map(|m| MfaDevice {
                        serial: m.serial.clone(),
                        code: m.code.clone(),
                    }),
                    policies: policies(&u.policies, &at, file)?,
                    boundary: boundary(u.permissions_boundary.as_ref(), &at, file)?,
                };
                add_key(&user.key.id, KeyOwner::User(id.clone(), name.clone()), &at)?;
                users.insert(name.clone(), user);
            }
            let mut roles = BTreeMap::new();
            for (name, r) in &spec.roles {
                let at = format!("{at}.roles.{name}");
                let max = r.max_session_duration.unwrap_or(3600);
                if !(3600..=43200).contains(&max) {
                    return Err(err(format!(
                        "{at}.max_session_duration: {max} must be between 3600 and 43200 seconds"
                    )));
                }
                roles.insert(
                    name.clone(),
                    Role {
                        account: id.clone(),
                        name: name.clone(),
                        path: path_of(r.path.as_ref(), &at, file)?,
                        unique_id: derived_id("AROA", &[id, "role", name]),
                        trust: policy(
                            &r.trust_policy,
                            PolicyKind::Trust,
                            &format!("{at}.trust_policy"),
                            file,
                        )?,
                        policies: policies(&r.policies, &at, file)?,
                        boundary: boundary(r.permissions_boundary.as_ref(), &at, file)?,
                        max_session_duration: max,
                    },
                );
            }
            let root_key = key(
                spec.root.as_ref().and_then(|r| r.access_key.as_ref()),
                &[id, "root"],
            );
            add_key(
                &root_key.id,
                KeyOwner::Root(id.clone()),
                &format!("{at}.root"),
            )?;
            let default_created =
                parse_time("2020-01-01T00:00:00Z").unwrap_or(SystemTime::UNIX_EPOCH);
            let buckets = spec
                .buckets
                .iter()
                .enumerate()
                .map(|(i, b)| match b {
                    BucketSpec::Name(name) => Ok(Bucket { name: name.clone(), created: default_created }),
                    BucketSpec::Full(d) => Ok(Bucket {
                        name: d.name.clone(),
                        created: match &d.created {
                            Some(t) => parse_time(t).ok_or_else(|| err(format!("{at}.buckets[{i}].created: `{t}` is not an RFC 3339 time (2013-05-01T00:00:00Z)")))?,
                            None => default_created,
                        },
                    }),
                })
                .collect::<Result<Vec<_>, _>>()?;
            accounts.insert(
                id.clone(),
                Account {
                    id: id.clone(),
                    alias: spec.alias.clone(),
                    users,
                    roles,
                    root_key,
                    buckets,
                },
            );
        }
        Ok(Self {
            name: scenario.name.clone(),
            region: scenario
                .region
                .clone()
                .unwrap_or_else(|| "us-east-1".to_owned()),
            accounts,
            keys,
        })
    }

    /// A user by account and name.
    pub fn user(&self, account: &str, name: &str) -> Option<&User> {
        self.accounts.get(account)?.users.get(name)
    }

    /// A role by account and name.
    pub fn role(&self, account: &str, name: &str) -> Option<&Role> {
        self.accounts.get(account)?.roles.get(name)
    }

    /// The role a role ARN names, if it exists (path included).
    pub fn role_by_arn(&self, arn: &str) -> Option<&Role> {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let [_, _, "iam", "", account, resource] = parts[..] else {
            return None;
        };
        let rest = resource.strip_prefix("role")?;
        let name = rest.rsplit('/').next()?;
        self.role(account, name)
            .filter(|r| format!("{}{}", r.path, r.name) == rest)
    }
}

impl World {
    /// A world with a fresh token key and no sessions.
    pub fn new(model: Model, clock: SharedClock) -> Self {
        Self {
            model,
            clock,
            token_key: TokenKey::random(),
            state: Mutex::new(State::default()),
        }
    }

    /// Forgets every issued session (each scenario run starts afresh).
    pub fn reset(&self) {
        if let Ok(mut state) = self.state.lock() {
            *state = State::default();
        }
    }

    /// The next serial number (for credentials and request ids).
    pub fn next_serial(&self) -> u64 {
        self.state
            .lock()
            .map(|mut s| {
                s.serial += 1;
                s.serial
            })
            .unwrap_or_default()
    }

    /// Issues temporary credentials for a session.
    pub fn issue(&self, kind: SessionKind, expiration: SystemTime) -> crate::cloud::Credentials {
        let serial = self.next_serial();
        let (id, secret, token) = self.token_key.temporary(serial);
        let session = Session {
            kind,
            secret: secret.clone(),
            token: token.clone(),
            issued: self.clock.now(),
            expiration,
        };
        if let Ok(mut state) = self.state.lock() {
            state.sessions.insert(id.clone(), session);
        }
        crate::cloud::Credentials {
            access_key_id: id,
            secret_access_key: secret,
            session_token: Some(token),
            expiration: Some(expiration),
        }
    }

    /// Records a call in the log.
    pub fn record(&self, record: CallRecord) {
        if let Ok(mut state) = self.state.lock() {
            state.log.push(record);
        }
    }

    /// Takes the log of calls so far.
    pub fn take_log(&self) -> Vec<CallRecord> {
        self.state
            .lock()
            .map(|mut s| std::mem::take(&mut s.log))
            .unwrap_or_default()
    }

    /// A request id in AWS's UUID shape.
    pub fn request_id(&self) -> String {
        let n = self.next_serial();
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            n,
            n & 0xffff,
            (n >> 4) & 0xfff,
            n & 0xfff,
            n.wrapping_mul(0x9e37_79b9)
        )
    }
}
