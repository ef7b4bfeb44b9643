//! Identifiers and key material of the simulated world: long-term keys
//! derived deterministically from account and name (so scenario files need
//! not spell them out), unique ids with AWS's prefixes, and temporary
//! credentials whose session tokens are HMACs under a per-world secret, so
//! they cannot be forged.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::secret::Secret;

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Upper-case base32 of a digest, `len` characters.
fn base32(bytes: &[u8], len: usize) -> String {
    let mut out = String::with_capacity(len);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 && out.len() < len {
            bits -= 5;
            out.push(BASE32[((acc >> bits) & 31) as usize] as char);
        }
    }
    out
}

fn digest(parts: &[&str]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for p in parts {
        hasher.update(p.as_bytes());
        hasher.update([0u8]);
    }
    hasher.finalize().into()
}

/// A 20-character key id or unique id: `prefix` then base32 of a digest of `parts`.
pub fn derived_id(prefix: &str, parts: &[&str]) -> String {
    let body = base32(&digest(parts), 20 - prefix.len());
    format!("{prefix}{body}")
}

/// A 40-character secret derived from `parts` (base64 alphabet, like AWS's).
pub fn derived_secret(parts: &[&str]) -> Secret {
    use base64::Engine as _;
    let mut material = digest(parts).to_vec();
    material.extend_from_slice(&digest(&["secret", &hex::encode(&material)]));
    let text = base64::engine::general_purpose::STANDARD.encode(&material);
    Secret::new(&text[..40])
}

/// The per-world secret that signs session tokens.
#[derive(Clone)]
pub struct TokenKey([u8; 32]);

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey(** redacted **)")
    }
}

impl TokenKey {
    /// A fresh random key (falls back to a digest of the time only if the
    /// operating system has no randomness to give).
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        if getrandom::fill(&mut key).is_err() {
            key = digest(&[
                "xacct-token-key",
                &format!("{:?}", std::thread::current().id()),
            ]);
        }
        Self(key)
    }

    fn mac(&self, parts: &[&str]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable_mac());
        for p in parts {
            mac.update(p.as_bytes());
            mac.update(&[0u8]);
        }
        mac.finalize().into_bytes().into()
    }

    /// Temporary credentials for session number `serial`: an ASIA key id, a
    /// secret and a session token, all bound to this key.
    pub fn temporary(&self, serial: u64) -> (String, Secret, Secret) {
        use base64::Engine as _;
        let n = serial.to_string();
        let id = format!("ASIA{}", base32(&self.mac(&["id", &n]), 16));
        let secret = base64::engine::general_purpose::STANDARD.encode(self.mac(&["secret", &n]));
        let mut token_bytes = b"xacct-session:".to_vec();
        token_bytes.extend_from_slice(id.as_bytes());
        token_bytes.extend_from_slice(&self.mac(&["token", &id]));
        token_bytes.extend_from_slice(&self.mac(&["token-2", &id]));
        let token = base64::engine::general_purpose::STANDARD.encode(token_bytes);
        (id, Secret::new(&secret[..40]), Secret::new(token))
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
        assert_eq!(derived_secret(&["x"]).expose().len(), 40);
    }

    #[test]
    fn temporary_credentials_depend_on_the_key() {
        let (k1, k2) = (TokenKey::random(), TokenKey::random());
        let (id1, _, token1) = k1.temporary(1);
        let (id2, _, token2) = k2.temporary(1);
        assert!(id1.starts_with("ASIA") && id1.len() == 20);
        assert_ne!(id1, id2);
        assert_ne!(token1, token2);
        assert_eq!(k1.temporary(1).0, id1);
    }
}
