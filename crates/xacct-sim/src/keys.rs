//! Identifiers and long-term key material of the simulated world: unique
//! ids with AWS's prefixes and long-term keys derived from account and name,
//! so scenario files need not spell them out. The secrets also depend on a
//! key seed: empty by default, so tests and `--print-env` can reproduce
//! them, and random for a server that listens beyond loopback, so no one
//! can derive them from the scenario alone.

use sha2::{Digest, Sha256};

use xacct_aws::key_id::base32;
use xacct_aws::secret::Secret;

fn digest(parts: &[&str]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for p in parts {
        hasher.update(p.as_bytes());
        hasher.update([0u8]);
    }
    hasher.finalize().into()
}

/// An account's canonical user id, as S3's `Owner.ID` gives it: 64 hex
/// digits, derived from the account id.
pub(crate) fn canonical_user(account: &str) -> String {
    hex::encode(Sha256::digest(format!("canonical-user:{account}")))
}

/// A 20-character key id or unique id: `prefix` then base32 of a digest of `parts`.
pub(crate) fn derived_id(prefix: &str, parts: &[&str]) -> String {
    let body = base32(&digest(parts), 20 - prefix.len());
    format!("{prefix}{body}")
}

/// A long-term key id of `account` (the account encoded as AWS encodes
/// it), the rest derived from `parts`.
pub(super) fn account_key_id(prefix: &str, account: &str, parts: &[&str]) -> String {
    xacct_aws::key_id::with_account(prefix, account, &digest(parts))
}

/// What long-term secrets are derived from besides account and name.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct KeySeed(String);

impl std::fmt::Debug for KeySeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "KeySeed(none)"
        } else {
            "KeySeed(** redacted **)"
        })
    }
}

impl KeySeed {
    /// A seed given by the operator (`--key-seed`).
    pub fn new(seed: impl Into<String>) -> Self {
        Self(seed.into())
    }

    /// A fresh random seed (32 hex digits).
    pub fn random() -> Result<Self, super::session::NoRandomness> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)
            .map_err(|e| super::session::NoRandomness::new(e.to_string()))?;
        Ok(Self(hex::encode(bytes)))
    }

    /// Whether secrets follow from the scenario alone.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The seed, for the operator who must pass it to `--print-env`.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// 32 bytes of key material derived from `parts` and the seed.
    pub fn material(&self, parts: &[&str]) -> [u8; 32] {
        let mut all: Vec<&str> = parts.to_vec();
        if !self.0.is_empty() {
            all.push("seed");
            all.push(&self.0);
        }
        digest(&all)
    }

    /// A 40-character secret derived from `parts` and the seed (base64
    /// alphabet, like AWS's).
    pub fn secret(&self, parts: &[&str]) -> Secret {
        use base64::Engine as _;
        let mut material = self.material(parts).to_vec();
        material.extend_from_slice(&digest(&["secret", &hex::encode(&material)]));
        let text = base64::engine::general_purpose::STANDARD.encode(&material);
        Secret::new(&text[..40])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_shaped_like_aws() {
        let a = derived_id("AKIA", &["111111111111", "homes"]);
        assert_eq!(a, derived_id("AKIA", &["111111111111", "homes"]));
        assert_ne!(a, derived_id("AKIA", &["111111111111", "intern"]));
        assert_eq!(a.len(), 20);
        assert!(
            a.starts_with("AKIA")
                && a.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        );
        assert_eq!(derived_id("AROA", &["x"]).len(), 20);
    }

    #[test]
    fn a_seed_changes_every_secret() {
        let plain = KeySeed::default();
        let seeded = KeySeed::random().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plain.secret(&["x"]), KeySeed::default().secret(&["x"]));
        assert_ne!(plain.secret(&["x"]), seeded.secret(&["x"]));
        assert_eq!(seeded.secret(&["x"]).expose().len(), 40);
        assert!(!format!("{seeded:?}").contains(seeded.expose()));
    }
}
