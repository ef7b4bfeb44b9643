//! The signing keys of the OIDC issuers the world's providers trust, grown
//! from the world's key seed and the issuer, so a token minted by `xacct
//! token` verifies in a separately started `xacct serve` of the same
//! scenario (and seed). A key is made on first use and kept for the
//! process: the same seed material always grows the same key, so worlds
//! loaded again (each scenario run of the tests, each `xacct sim` file)
//! share it instead of searching for primes again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::keys::KeySeed;
use xacct_aws::oidc::{Claims, IssuerKey};

/// The issuers' keys of one world.
#[derive(Debug, Default)]
pub(crate) struct Issuers {
    seed: KeySeed,
}

/// Every key grown in this process, by its seed material.
fn grown() -> &'static Mutex<HashMap<[u8; 32], Arc<IssuerKey>>> {
    static KEYS: OnceLock<Mutex<HashMap<[u8; 32], Arc<IssuerKey>>>> = OnceLock::new();
    KEYS.get_or_init(Mutex::default)
}

/// No key could be made (see [`xacct_aws::oidc::IssuerKey::from_seed`]).
pub(super) type KeyError = String;

impl Issuers {
    /// The issuers of a world whose secrets derive from `seed`.
    pub(crate) fn new(seed: KeySeed) -> Self {
        Self { seed }
    }

    fn key_for(&self, label: &str) -> Result<Arc<IssuerKey>, KeyError> {
        let material = self.seed.material(&["oidc-issuer", label]);
        // A key is inserted whole or not at all, so a poisoned lock still
        // guards a consistent map. The lock is not held while a key grows.
        if let Some(key) = grown()
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&material)
        {
            return Ok(key.clone());
        }
        let key = Arc::new(IssuerKey::from_seed(material).map_err(|e| e.to_string())?);
        grown()
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(material, key.clone());
        Ok(key)
    }

    /// The key `issuer` (host[/path]) signs its tokens with.
    pub(crate) fn key(&self, issuer: &str) -> Result<Arc<IssuerKey>, KeyError> {
        self.key_for(issuer)
    }

    /// A token of `issuer` with `claims`; with `forged`, signed by a key
    /// the issuer does not have (what an attacker, or another issuer, holds).
    pub(crate) fn mint(
        &self,
        issuer: &str,
        claims: &Claims,
        forged: bool,
    ) -> Result<String, KeyError> {
        let key = if forged {
            self.key_for(&format!("forged:{issuer}"))?
        } else {
            self.key_for(issuer)?
        };
        Ok(key.sign(claims))
    }
}
