//! The signing key of a simulated OIDC issuer: an RSA-2048 key pair grown
//! from a 32-byte seed by a ChaCha20 generator, so the same seed always
//! gives the same key (in the same build: the prime search belongs to the
//! `rsa` crate, pinned by `Cargo.lock`). Tokens are signed and verified with
//! RS256 (RSASSA-PKCS1-v1_5 with SHA-256), as GitHub Actions and EKS sign.

use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::jwt::{Claims, Jwt, compact, signing_input};

/// RSA modulus size, as the issuers of the ecosystem use.
const BITS: usize = 2048;

/// An issuer's key pair and its key id.
#[derive(Clone)]
pub struct IssuerKey {
    kid: String,
    signing: SigningKey<Sha256>,
    verifying: VerifyingKey<Sha256>,
}

impl std::fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuerKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// How a token stands against an issuer's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Signed with this key.
    Valid,
    /// `alg` is not RS256.
    NotRs256,
    /// Its `kid` names a key the issuer does not publish.
    UnknownKey,
    /// The signature does not verify with this key.
    BadSignature,
}

/// Key generation failed (it does not, for a 2048-bit key and a working
/// generator; the error is kept rather than a panic).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot make an RSA signing key: {0}")]
pub struct KeyError(String);

impl IssuerKey {
    /// The key grown from `seed`.
    pub fn from_seed(seed: [u8; 32]) -> Result<Self, KeyError> {
        let mut rng = ChaCha20Rng::from_seed(seed);
        let private = rsa::PrivateKey::new(&mut rng, BITS).map_err(|e| KeyError(e.to_string()))?;
        let public = private.to_public_key();
        let kid = hex::encode(&Sha256::digest(public.n_bytes())[..8]);
        Ok(Self {
            kid,
            verifying: VerifyingKey::new(public),
            signing: SigningKey::new(private),
        })
    }

    /// The key id (`kid`) tokens signed with this key carry.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// A signed compact token with these claims.
    pub fn sign(&self, claims: &Claims) -> String {
        let mut header = Map::new();
        header.insert("alg".into(), Value::from("RS256"));
        header.insert("typ".into(), Value::from("JWT"));
        header.insert("kid".into(), Value::from(self.kid.clone()));
        let input = signing_input(&header, claims);
        let signature: Signature = self.signing.sign(input.as_bytes());
        compact(&input, &signature.to_bytes())
    }

    /// A token whose header and claims are these JSON texts exactly as
    /// given, signed with this key: what a verifier must refuse when no
    /// honest issuer writes them (a member twice, a `crit` extension).
    pub fn sign_parts(&self, header: &str, claims: &str) -> String {
        use base64::Engine as _;
        let enc = |t: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(t);
        let input = format!("{}.{}", enc(header), enc(claims));
        let signature: Signature = self.signing.sign(input.as_bytes());
        compact(&input, &signature.to_bytes())
    }

    /// Whether a decoded token is signed with this key: `alg` RS256 (no
    /// other algorithm is accepted, so `none` and HMAC tricks fail), a `kid`
    /// if present equal to this key's, and a valid signature.
    pub fn verifies(&self, jwt: &Jwt) -> bool {
        self.check(jwt) == Verdict::Valid
    }

    /// How a decoded token stands against this key.
    pub fn check(&self, jwt: &Jwt) -> Verdict {
        if jwt.header_text("alg") != Some("RS256") {
            return Verdict::NotRs256;
        }
        if jwt
            .header
            .get("kid")
            .is_some_and(|k| k.as_str() != Some(&self.kid))
        {
            return Verdict::UnknownKey;
        }
        let valid = Signature::try_from(jwt.signature.as_slice()).is_ok_and(|signature| {
            self.verifying
                .verify(jwt.signing_input.as_bytes(), &signature)
                .is_ok()
        });
        if valid {
            Verdict::Valid
        } else {
            Verdict::BadSignature
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_verifies_and_refuses_other_keys_and_algorithms() {
        let key = IssuerKey::from_seed([7; 32]).unwrap_or_else(|e| panic!("{e}"));
        let again = IssuerKey::from_seed([7; 32]).unwrap_or_else(|e| panic!("{e}"));
        let other = IssuerKey::from_seed([8; 32]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(key.kid(), again.kid());
        assert_ne!(key.kid(), other.kid());
        let mut claims = Claims::new();
        claims.insert("sub".into(), "x".into());
        let token = key.sign(&claims);
        let jwt = Jwt::decode(&token).unwrap_or_else(|e| panic!("{e}"));
        assert!(key.verifies(&jwt) && again.verifies(&jwt));
        assert!(!other.verifies(&jwt));
        let mut tampered = jwt.clone();
        tampered.signing_input.push('x');
        assert!(!key.verifies(&tampered));
        let mut none = jwt.clone();
        none.header.insert("alg".into(), "none".into());
        assert!(!key.verifies(&none));
        let mut hs = jwt;
        hs.header.insert("alg".into(), "HS256".into());
        assert!(!key.verifies(&hs));
    }
}
