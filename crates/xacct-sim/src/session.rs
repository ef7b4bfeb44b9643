//! Temporary credentials that carry their own session, as AWS's do: the
//! session token holds what the session stands for and when it ends,
//! authenticated by an HMAC under the world's secret key, and the secret
//! access key follows from the key id under the same key. The world keeps no
//! table of issued sessions, so replaying AssumeRole for hours costs no
//! memory, and a token from another world (or another server run) is refused.

use std::time::{Duration, SystemTime};

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::session_context::SessionContext;
use xacct_aws::secret::Secret;

/// What a temporary credential stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(crate) enum SessionKind {
    /// A role session from AssumeRole.
    Role {
        /// The role's account.
        account: String,
        /// The role's name.
        role: String,
        /// The session name.
        session: String,
        /// Whether MFA was used to get it (or by the session that chained it).
        mfa: bool,
        /// The session policy passed to AssumeRole, as written.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy: Option<String>,
        /// Session tags, source identity and managed session policies.
        #[serde(default, skip_serializing_if = "SessionContext::is_empty")]
        context: Box<SessionContext>,
    },
    /// A federated-user session from GetFederationToken.
    Federated {
        /// The account.
        account: String,
        /// The IAM user who called GetFederationToken; `None` for the root user.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user: Option<String>,
        /// The federated user's name.
        name: String,
        /// The session policy (none: no permissions), as written.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy: Option<String>,
        /// Session tags and managed session policies.
        #[serde(default, skip_serializing_if = "SessionContext::is_empty")]
        context: Box<SessionContext>,
    },
    /// A GetSessionToken session.
    SessionToken {
        /// The account.
        account: String,
        /// The IAM user; `None` for the root user.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user: Option<String>,
        /// Whether MFA was used to get it.
        mfa: bool,
    },
}

impl SessionKind {
    /// What the session carries besides its identity (nothing for a
    /// GetSessionToken session).
    pub(crate) fn context(&self) -> Option<&SessionContext> {
        match self {
            Self::Role { context, .. } | Self::Federated { context, .. } => Some(context.as_ref()),
            Self::SessionToken { .. } => None,
        }
    }

    /// The account the session acts in.
    pub(crate) fn account(&self) -> &str {
        match self {
            Self::Role { account, .. }
            | Self::Federated { account, .. }
            | Self::SessionToken { account, .. } => account,
        }
    }
}

/// A session as its token carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Session {
    /// The access key id the token belongs to.
    pub key: String,
    /// What the session stands for.
    #[serde(flatten)]
    pub kind: SessionKind,
    /// When it stops working, as seconds and nanoseconds since the Unix epoch.
    expires: (i64, u32),
    /// Whether a role session was opened with another role session's
    /// credentials (role chaining), which the console federation endpoint
    /// holds against a `SessionDuration`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub chained: bool,
}

impl Session {
    /// When the credentials stop working.
    pub(crate) fn expiration(&self) -> SystemTime {
        from_unix(self.expires)
    }
}

fn to_unix(at: SystemTime) -> (i64, u32) {
    match at.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => (
            i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            d.subsec_nanos(),
        ),
        Err(e) => {
            let d = e.duration();
            let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
            match d.subsec_nanos() {
                0 => (-secs, 0),
                n => (-secs - 1, 1_000_000_000 - n),
            }
        }
    }
}

fn from_unix((secs, nanos): (i64, u32)) -> SystemTime {
    let base = if secs >= 0 {
        SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs.unsigned_abs()))
    } else {
        SystemTime::UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs()))
    };
    base.and_then(|t| t.checked_add(Duration::from_nanos(u64::from(nanos))))
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// Why a session token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenProblem {
    /// Not a token of this world, tampered with, or another key's.
    Invalid,
    /// A genuine token past its expiration.
    Expired,
}

/// The per-world secret that signs session tokens and derives session
/// secrets, held as HMAC-SHA256 already keyed with it: every request draws an
/// id from it and every session issued three more tags, so the key's two blocks are
/// hashed once per world rather than once per tag.
#[derive(Clone)]
pub(crate) struct TokenKey(Hmac<Sha256>);

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey(** redacted **)")
    }
}

/// The operating system had no randomness to give.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the operating system gave no randomness for the simulated world's keys ({0})")]
pub struct NoRandomness(String);

impl NoRandomness {
    /// The system's reason.
    pub(crate) fn new(reason: String) -> Self {
        Self(reason)
    }
}

const MAC_LEN: usize = 32;

impl TokenKey {
    /// A fresh random key; fails rather than fall back to a guessable one.
    pub(crate) fn random() -> Result<Self, NoRandomness> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| NoRandomness(e.to_string()))?;
        let mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(&key) {
            Ok(mac) => mac,
            Err(_) => unreachable_mac(),
        };
        Ok(Self(mac))
    }

    fn mac(&self) -> Hmac<Sha256> {
        self.0.clone()
    }

    /// The bytes of request number `serial`'s id: no one who sees some
    /// ids can tell another.
    pub(crate) fn request_id(&self, serial: u64) -> [u8; 16] {
        let tag = self.tag(&[b"request-id", &serial.to_be_bytes()]);
        let mut id = [0u8; 16];
        id.copy_from_slice(&tag[..16]);
        id
    }

    fn tag(&self, parts: &[&[u8]]) -> [u8; MAC_LEN] {
        let mut mac = self.mac();
        for p in parts {
            mac.update(p);
            mac.update(&[0u8]);
        }
        mac.finalize().into_bytes().into()
    }

    /// The access key id of session number `serial` of `account` (the
    /// account encoded as AWS encodes it, so GetAccessKeyInfo can answer
    /// from the key id alone, as the world keeps no table of sessions).
    pub(crate) fn key_id(&self, serial: u64, account: &str) -> String {
        xacct_aws::key_id::with_account(
            "ASIA",
            account,
            &self.tag(&[b"id", serial.to_string().as_bytes()]),
        )
    }

    /// The secret access key that belongs to a session key id.
    pub(crate) fn secret(&self, key_id: &str) -> Secret {
        use base64::Engine as _;
        let text = base64::engine::general_purpose::STANDARD
            .encode(self.tag(&[b"secret", key_id.as_bytes()]));
        Secret::new(&text[..40])
    }

    /// The session token of a session: its JSON, authenticated.
    pub(crate) fn token(
        &self,
        key_id: &str,
        kind: SessionKind,
        expiration: SystemTime,
        chained: bool,
    ) -> Secret {
        use base64::Engine as _;
        let session = Session {
            key: key_id.to_owned(),
            kind,
            expires: to_unix(expiration),
            chained,
        };
        let payload = serde_json::to_vec(&session).unwrap_or_default();
        let mut bytes = self.tag(&[b"token", &payload]).to_vec();
        bytes.extend_from_slice(&payload);
        Secret::new(base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    /// The session a token stands for, if the token is this world's, unaltered,
    /// issued to `key_id`, and not expired at `now`.
    pub(crate) fn open(
        &self,
        key_id: &str,
        token: &str,
        now: SystemTime,
    ) -> Result<Session, TokenProblem> {
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(token)
            .map_err(|_| TokenProblem::Invalid)?;
        if bytes.len() <= MAC_LEN {
            return Err(TokenProblem::Invalid);
        }
        let (tag, payload) = bytes.split_at(MAC_LEN);
        let mut mac = self.mac();
        mac.update(b"token");
        mac.update(&[0u8]);
        mac.update(payload);
        mac.update(&[0u8]);
        mac.verify_slice(tag).map_err(|_| TokenProblem::Invalid)?;
        let session: Session =
            serde_json::from_slice(payload).map_err(|_| TokenProblem::Invalid)?;
        if session.key != key_id {
            return Err(TokenProblem::Invalid);
        }
        if now >= session.expiration() {
            return Err(TokenProblem::Expired);
        }
        Ok(session)
    }
}

#[expect(
    clippy::panic,
    reason = "HMAC accepts keys of any length, so this cannot happen"
)]
fn unreachable_mac() -> Hmac<Sha256> {
    panic!("HMAC-SHA256 rejected a 32-byte key")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> TokenKey {
        TokenKey::random().unwrap_or_else(|e| panic!("{e}"))
    }

    fn role() -> SessionKind {
        SessionKind::Role {
            account: "222222222222".to_owned(),
            role: "r".to_owned(),
            session: "s".to_owned(),
            mfa: false,
            policy: None,
            context: Box::new(SessionContext {
                tags: vec![("team".to_owned(), "data".to_owned())],
                transitive: vec!["team".to_owned()],
                source_identity: Some("alice".to_owned()),
                policy_arns: Vec::new(),
            }),
        }
    }

    #[test]
    fn a_token_opens_only_for_its_key_its_world_and_its_lifetime() {
        let (k1, k2) = (key(), key());
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600);
        let id = k1.key_id(1, "222222222222");
        assert_eq!(
            xacct_aws::key_id::account_of(&id),
            Ok(xacct_aws::key_id::KeyAccount::Account(
                "222222222222".to_owned()
            ))
        );
        assert!(id.starts_with("ASIA") && id.len() == 20);
        assert_ne!(id, k2.key_id(1, "222222222222"));
        let end = now + Duration::from_secs(900);
        let token = k1.token(&id, role(), end, false);
        let session = k1
            .open(&id, token.expose(), now)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((session.expiration(), session.kind), (end, role()));
        assert_eq!(
            k2.open(&id, token.expose(), now),
            Err(TokenProblem::Invalid)
        );
        assert_eq!(
            k1.open(&k1.key_id(2, "222222222222"), token.expose(), now),
            Err(TokenProblem::Invalid)
        );
        assert_eq!(
            k1.open(&id, token.expose(), end),
            Err(TokenProblem::Expired)
        );
        let mut forged = token.expose().to_owned();
        forged.replace_range(50..51, if &forged[50..51] == "A" { "B" } else { "A" });
        assert_eq!(k1.open(&id, &forged, now), Err(TokenProblem::Invalid));
        assert_eq!(k1.open(&id, "not base64!", now), Err(TokenProblem::Invalid));
    }

    #[test]
    fn times_before_the_epoch_round_trip() {
        let at = SystemTime::UNIX_EPOCH - Duration::from_millis(1500);
        assert_eq!(from_unix(to_unix(at)), at);
    }
}
