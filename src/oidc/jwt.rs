//! Compact JSON Web Tokens (RFC 7519): three base64url parts, a JSON
//! header and claims set, and an RS256 signature (RFC 7518 §3.3) over the
//! first two. Decoding checks the shape only; [`super::IssuerKey::verifies`]
//! checks the signature.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

/// A token's claims set.
pub type Claims = Map<String, Value>;

/// The longest token STS accepts (`WebIdentityToken`, 20,000 characters),
/// so nothing longer is decoded.
pub const MAX_TOKEN_LEN: usize = 20_000;

/// A decoded, not yet verified, token. Its `Debug` shows the header and
/// the claims but neither the signing input nor the signature, which
/// together are the bearer token.
#[derive(Clone)]
pub struct Jwt {
    /// The JOSE header.
    pub header: Map<String, Value>,
    /// The claims set.
    pub claims: Claims,
    /// `BASE64URL(header) . BASE64URL(claims)`: what the signature covers.
    pub signing_input: String,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

impl std::fmt::Debug for Jwt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jwt")
            .field("header", &self.header)
            .field("claims", &self.claims)
            .finish_non_exhaustive()
    }
}

/// Why a text is not a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a JSON Web Token: {0}")]
pub struct JwtError(pub String);

fn part(text: &str, what: &str) -> Result<Vec<u8>, JwtError> {
    URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| JwtError(format!("the {what} is not base64url")))
}

fn object(bytes: &[u8], what: &str) -> Result<Map<String, Value>, JwtError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(JwtError(format!("the {what} is not a JSON object"))),
    }
}

impl Jwt {
    /// Splits and decodes a compact token (no signature check).
    pub fn decode(token: &str) -> Result<Self, JwtError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(JwtError(format!(
                "it is {} characters long, more than {MAX_TOKEN_LEN}",
                token.len()
            )));
        }
        let mut parts = token.split('.');
        let (Some(h), Some(c), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwtError(
                "a token has three parts separated by `.`".to_owned(),
            ));
        };
        Ok(Self {
            header: object(&part(h, "header")?, "header")?,
            claims: object(&part(c, "claims set")?, "claims set")?,
            signing_input: format!("{h}.{c}"),
            signature: part(s, "signature")?,
        })
    }

    /// A header field as text.
    pub fn header_text(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }

    /// A claim as text (a string claim as is, a number or boolean written out).
    pub fn claim_text(&self, name: &str) -> Option<String> {
        claim_text(&self.claims, name)
    }

    /// A numeric date claim (`exp`, `iat`, `nbf`), in seconds since the epoch.
    pub fn claim_time(&self, name: &str) -> Option<i64> {
        match self.claims.get(name)? {
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
            _ => None,
        }
    }

    /// The audiences: `aud` as a string or a list of strings.
    pub fn audiences(&self) -> Vec<String> {
        match self.claims.get("aud") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// A claim as text: strings as they are, numbers and booleans written out.
pub fn claim_text(claims: &Claims, name: &str) -> Option<String> {
    match claims.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The signing input of a header and claims: `BASE64URL(header).BASE64URL(claims)`.
pub fn signing_input(header: &Map<String, Value>, claims: &Claims) -> String {
    let enc = |m: &Map<String, Value>| URL_SAFE_NO_PAD.encode(Value::Object(m.clone()).to_string());
    format!("{}.{}", enc(header), enc(claims))
}

/// Appends a signature to a signing input.
pub fn compact(signing_input: &str, signature: &[u8]) -> String {
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_it_encodes_and_refuses_other_shapes() {
        let mut header = Map::new();
        header.insert("alg".into(), "RS256".into());
        let mut claims = Claims::new();
        claims.insert("sub".into(), "repo:acme/app:ref:refs/heads/main".into());
        claims.insert("exp".into(), 1_767_229_200.into());
        claims.insert("aud".into(), Value::Array(vec!["a".into(), "b".into()]));
        let token = compact(&signing_input(&header, &claims), b"sig");
        let jwt = Jwt::decode(&token).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(jwt.header_text("alg"), Some("RS256"));
        assert_eq!(jwt.claim_time("exp"), Some(1_767_229_200));
        assert_eq!(jwt.audiences(), ["a", "b"]);
        assert_eq!(jwt.signature, b"sig");
        for bad in ["", "a.b", "a.b.c.d", "!!.e30.e30", "e30.WzFd.e30"] {
            assert!(Jwt::decode(bad).is_err(), "{bad}");
        }
        assert!(Jwt::decode(&"a".repeat(MAX_TOKEN_LEN + 1)).is_err());
        let shown = format!("{jwt:?}");
        assert!(shown.contains("sub") && !shown.contains(token.rsplit('.').next().unwrap_or("?")));
        assert!(!shown.contains(&jwt.signing_input));
    }
}
