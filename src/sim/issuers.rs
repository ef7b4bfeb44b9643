//! The signing keys of the OIDC issuers the world's providers trust, grown
//! from the world's key seed and the issuer, so a token minted by `xacct
//! token` verifies in a separately started `xacct serve` of the same
//! scenario (and seed). A key is made on first use and kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::keys::KeySeed;
use crate::oidc::{Claims, IssuerKey};

/// The issuers' keys of one world.
#[derive(Debug, Default)]
pub struct Issuers {
    seed: KeySeed,
    keys: Mutex<HashMap<String, Arc<IssuerKey>>>,
}

/// No key could be made (see [`crate::oidc::IssuerKey::from_seed`]).
pub type KeyError = String;

impl Issuers {
    /// The issuers of a world whose secrets derive from `seed`.
    pub fn new(seed: KeySeed) -> Self {
        Self {
            seed,
            keys: Mutex::default(),
        }
    }

    fn key_for(&self, label: &str) -> Result<Arc<IssuerKey>, KeyError> {
        // A key is inserted whole or not at all, so a poisoned lock still
        // guards a consistent map.
        if let Some(key) = self
            .keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(label)
        {
            return Ok(key.clone());
        }
        let key = Arc::new(
            IssuerKey::from_seed(self.seed.material(&["oidc-issuer", label]))
                .map_err(|e| e.to_string())?,
        );
        self.keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(label.to_owned(), key.clone());
        Ok(key)
    }

    /// The key `issuer` (host[/path]) signs its tokens with.
    pub fn key(&self, issuer: &str) -> Result<Arc<IssuerKey>, KeyError> {
        self.key_for(issuer)
    }

    /// A token of `issuer` with `claims`; with `forged`, signed by a key
    /// the issuer does not have (what an attacker, or another issuer, holds).
    pub fn mint(&self, issuer: &str, claims: &Claims, forged: bool) -> Result<String, KeyError> {
        let key = if forged {
            self.key_for(&format!("forged:{issuer}"))?
        } else {
            self.key_for(issuer)?
        };
        Ok(key.sign(claims))
    }
}
