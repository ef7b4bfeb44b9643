//! `xacct token --output json`: the token, its issuer and its decoded
//! header and claims (what a reader of the token would see at jwt.io).

use serde_json::json;

use crate::oidc::Jwt;

/// The token with its issuer, header and claims, as pretty JSON.
pub fn json(token: &str) -> String {
    let decoded = Jwt::decode(token).ok();
    let issuer = decoded
        .as_ref()
        .and_then(|j| j.claim_text("iss"))
        .map(|iss| iss.trim_start_matches("https://").to_owned());
    super::json::pretty(&json!({
        "token": token,
        "issuer": issuer,
        "header": decoded.as_ref().map(|j| &j.header),
        "claims": decoded.as_ref().map(|j| &j.claims),
    }))
}
