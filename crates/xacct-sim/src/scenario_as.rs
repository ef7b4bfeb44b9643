//! Who starts a scenario run (`as`): a principal ARN of the world, or a
//! web identity token described by its issuer and claims.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Who starts a run.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AsSpec {
    /// A principal ARN of the world.
    Arn(String),
    /// A web identity token (`{ web_identity: {...} }`).
    WebIdentity(WebIdentityAs),
    /// A session that already carries tags or a source identity
    /// (`{ session: ARN, tags, transitive_tag_keys, source_identity }`).
    Session(SessionAs),
}

/// The map form `{ session: ARN, ... }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionAs {
    /// The assumed-role session ARN.
    pub session: String,
    /// Its session tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Which of them are transitive.
    #[serde(default)]
    pub transitive_tag_keys: Vec<String>,
    /// Its source identity.
    #[serde(default)]
    pub source_identity: Option<String>,
}

impl AsSpec {
    /// The principal ARN, for an ARN or session `as`.
    pub fn arn(&self) -> Option<&str> {
        match self {
            Self::Arn(arn) => Some(arn),
            Self::Session(s) => Some(&s.session),
            Self::WebIdentity(_) => None,
        }
    }

    /// The web identity, for a web identity `as`.
    pub fn web_identity(&self) -> Option<&WebIdentitySpec> {
        match self {
            Self::Arn(_) | Self::Session(_) => None,
            Self::WebIdentity(w) => Some(&w.web_identity),
        }
    }

    /// What the starting session carries (nothing unless the map form says).
    pub fn session_context(&self) -> super::session_context::SessionContext {
        match self {
            Self::Session(s) => super::session_context::SessionContext {
                tags: s.tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                transitive: s.transitive_tag_keys.clone(),
                source_identity: s.source_identity.clone(),
                policy_arns: Vec::new(),
            },
            Self::Arn(_) | Self::WebIdentity(_) => Default::default(),
        }
    }
}

/// The map form `{ web_identity: {...} }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebIdentityAs {
    /// The token the run starts from.
    pub web_identity: WebIdentitySpec,
}

/// A web identity token, described by its issuer and claims.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebIdentitySpec {
    /// The issuer, host[/path]; the token's `iss` is `https://` and this.
    pub provider: String,
    /// The claims; `iat`, `nbf` and `exp` default to the clock, the clock
    /// and an hour later.
    #[serde(default)]
    pub claims: BTreeMap<String, serde_json::Value>,
    /// The token's `exp` (RFC 3339); earlier than the clock is expired.
    #[serde(default)]
    pub expires: Option<String>,
    /// `invalid`: the token is signed with a key the issuer does not have.
    #[serde(default)]
    pub signature: Option<String>,
}
