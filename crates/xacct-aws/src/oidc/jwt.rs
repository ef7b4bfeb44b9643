//! Compact JSON Web Tokens (RFC 7519): three base64url parts, a JSON
//! header and claims set, and an RS256 signature (RFC 7518 §3.3) over the
//! first two. Decoding checks the shape, strictly: base64url without `=`
//! padding (RFC 7515 §2), no member name twice in any object of the header
//! or the claims (RFC 7515 §4 and RFC 7519 §4 allow rejecting them, and a parser that
//! keeps one of two `alg`s is how tokens get past verifiers), and no
//! `crit` extension (RFC 7515 §4.1.11: one the recipient does not
//! understand makes the token invalid, and this one understands none).
//! [`super::IssuerKey::verifies`] checks the signature.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use xacct_iam::{JsonError, read_unique};

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
    if text.contains('=') {
        return Err(JwtError(format!(
            "the {what} carries `=` padding, which base64url leaves out in a token (RFC 7515 section 2)"
        )));
    }
    URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| JwtError(format!("the {what} is not base64url")))
}

fn object(bytes: &[u8], what: &str) -> Result<Map<String, Value>, JwtError> {
    match read_unique(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Err(JsonError::Twice(key)) => Err(JwtError(format!(
            "the {what} names the member `{key}` twice in one object, which a token may not (RFC 7515 section 4, RFC 7519 section 4)"
        ))),
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
        let header = object(&part(h, "header")?, "header")?;
        if header.contains_key("crit") {
            return Err(JwtError(
                "its header lists `crit` extensions, which this recipient does not understand, so the token is invalid (RFC 7515 section 4.1.11)"
                    .to_owned(),
            ));
        }
        Ok(Self {
            header,
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

    /// A numeric date claim (`exp`, `iat`, `nbf`), in seconds since the
    /// epoch: `None` when absent, `Err` when it is not an integer (AWS:
    /// "Timestamps in the token must be formatted as either an integer or a
    /// long integer", STS API Reference, AssumeRoleWithWebIdentity).
    pub fn claim_time(&self, name: &str) -> Result<Option<i64>, String> {
        match self.claims.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| {
                format!("its `{name}` claim {n} is not an integer number of seconds")
            }),
            Some(other) => Err(format!(
                "its `{name}` claim {other} is not a number of seconds"
            )),
        }
    }

    /// A claim that must be a string when present (`iss`, `sub`, RFC 7519
    /// section 4.1): `Err` names a claim of another type (a list `sub` would
    /// otherwise match a condition as a multivalued key).
    pub fn string_claim(&self, name: &str) -> Result<Option<&str>, String> {
        match self.claims.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!(
                "its `{name}` claim {other} is not a string (RFC 7519 section 4.1)"
            )),
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
        assert_eq!(jwt.claim_time("exp"), Ok(Some(1_767_229_200)));
        assert_eq!(jwt.audiences(), ["a", "b"]);
        assert_eq!(jwt.signature, b"sig");
        // Shapes, padding, a duplicate member, a `crit` extension.
        let dup = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","alg":"RS256"}"#);
        let crit = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","crit":["exp"],"exp":1}"#);
        let padded = format!("{token}==");
        let duplicated = format!("{dup}.e30.e30");
        let critical = format!("{crit}.e30.e30");
        for bad in [
            "",
            "a.b",
            "a.b.c.d",
            "!!.e30.e30",
            "e30.WzFd.e30",
            &padded,
            &duplicated,
            &critical,
        ] {
            assert!(Jwt::decode(bad).is_err(), "{bad}");
        }
        assert!(Jwt::decode(&"a".repeat(MAX_TOKEN_LEN + 1)).is_err());
        // A member twice deep inside the claims, named in the error.
        let nested = URL_SAFE_NO_PAD.encode(r#"{"ctx":[{"team":"a","team":"b"}]}"#);
        let err = Jwt::decode(&format!("e30.{nested}.e30")).map(|_| ());
        assert!(
            matches!(&err, Err(JwtError(m)) if m.contains("claims set names the member `team` twice")),
            "{err:?}"
        );
        // Trailing text after the object is no object.
        let trailing = URL_SAFE_NO_PAD.encode(r#"{"a":1} x"#);
        assert!(Jwt::decode(&format!("e30.{trailing}.e30")).is_err());
        let shown = format!("{jwt:?}");
        assert!(shown.contains("sub") && !shown.contains(token.rsplit('.').next().unwrap_or("?")));
        assert!(!shown.contains(&jwt.signing_input));
    }
}
