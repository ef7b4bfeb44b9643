//! A session as environment variables, the way the AWS CLI and the SDKs
//! read them, and the variables that must go because they would win over
//! (or mix with) the session's. `xacct exec`, the `env`/`export`/`dotenv`
//! formats and `xacct run --exec` across accounts all use this one list.

use crate::cloud::Credentials;
use crate::timestamp;

/// Variables removed from a command's environment because the AWS CLI and
/// the SDKs would pick them over (or mix them with) the session's
/// credentials: profiles, other credential sources, the old token name.
pub const OVERRIDING: [&str; 11] = [
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_SESSION_EXPIRATION",
];

/// The variables that carry `creds` (and the region, when known), in the
/// order they are printed. The values include the secret key and token:
/// they go to a child's environment or to stdout, never to argv or a log.
pub fn session_env(creds: &Credentials, region: Option<&str>) -> Vec<(&'static str, String)> {
    let mut vars = vec![
        ("AWS_ACCESS_KEY_ID", creds.access_key_id.clone()),
        (
            "AWS_SECRET_ACCESS_KEY",
            creds.secret_access_key.expose().to_owned(),
        ),
    ];
    if let Some(token) = &creds.session_token {
        vars.push(("AWS_SESSION_TOKEN", token.expose().to_owned()));
    }
    if let Some(at) = creds.expiration {
        vars.push(("AWS_CREDENTIAL_EXPIRATION", timestamp::rfc3339(at)));
    }
    if let Some(region) = region {
        vars.push(("AWS_REGION", region.to_owned()));
        vars.push(("AWS_DEFAULT_REGION", region.to_owned()));
    }
    vars
}

/// Variables to remove besides [`OVERRIDING`]: those of `session_env`'s
/// list that `creds` does not set, so a stale token or expiry in the
/// caller's environment cannot mix with the session.
pub fn unset_for(creds: &Credentials) -> Vec<&'static str> {
    let mut out = OVERRIDING.to_vec();
    if creds.session_token.is_none() {
        out.push("AWS_SESSION_TOKEN");
    }
    if creds.expiration.is_none() {
        out.push("AWS_CREDENTIAL_EXPIRATION");
    }
    out
}
