//! Walking a chain: each hop's AssumeRole made with the previous hop's
//! session (the first with the base credentials), every hop recorded, and
//! a failing hop reported with who called, which role, and AWS's answer.

use std::time::SystemTime;

use super::plan::Plan;
use crate::cloud::{CloudError, Credentials, MfaToken, Sts};
use crate::flow::Start;

/// One hop that succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HopDone {
    /// The role assumed.
    pub role_arn: String,
    /// The session's ARN.
    pub arn: String,
    /// When the session ends.
    pub expiration: Option<SystemTime>,
    /// The request id of its AssumeRole, when it came over the wire.
    pub request_id: Option<String>,
    /// The source identity the session carries, when AWS sent one.
    pub source_identity: Option<String>,
}

/// The chain's last session.
#[derive(Debug, Clone)]
pub struct Obtained {
    /// Its credentials.
    pub credentials: Credentials,
    /// Its ARN.
    pub arn: String,
    /// Every hop made (none when the session came from the cache).
    pub hops: Vec<HopDone>,
    /// Whether it came from the cache (no STS call was made).
    pub from_cache: bool,
}

/// The hop that failed.
#[derive(Debug, Clone)]
pub struct HopFailure {
    /// Its number, from 1.
    pub hop: usize,
    /// How many hops the chain has.
    pub of: usize,
    /// Who called: the previous hop's session, or the base identity.
    pub caller: String,
    /// The role it tried to assume.
    pub role_arn: String,
    /// AWS's answer.
    pub error: CloudError,
    /// The hops made before it.
    pub done: Vec<HopDone>,
}

/// Assumes every role of `plan` in turn, starting from `start` (base
/// credentials, or a web identity token for the first hop's
/// AssumeRoleWithWebIdentity); `mfa_code` goes with every hop that names
/// an MFA device.
pub(super) async fn walk<C: Sts + Sync>(
    cloud: &C,
    start: &Start,
    plan: &Plan,
    mfa_code: Option<&str>,
) -> Result<Obtained, Box<HopFailure>> {
    let mut current = match start {
        Start::Keys(base) => Some(base.clone()),
        Start::WebIdentity(_) => None,
    };
    let mut done: Vec<HopDone> = Vec::new();
    let mut arn = String::new();
    for (i, hop) in plan.hops.iter().enumerate() {
        let mut request = hop.request.clone();
        request.mfa = hop.mfa_serial.as_ref().map(|serial| MfaToken {
            serial: serial.clone(),
            code: mfa_code.unwrap_or_default().to_owned(),
        });
        let answer = match (&current, start) {
            (Some(caller), _) => cloud.assume_role(caller, &request).await,
            (None, Start::WebIdentity(token)) => {
                cloud.assume_role_with_web_identity(token, &request).await
            }
            (None, Start::Keys(base)) => cloud.assume_role(base, &request).await,
        };
        match answer {
            Ok(assumed) => {
                done.push(HopDone {
                    role_arn: request.role_arn.clone(),
                    arn: assumed.arn.clone(),
                    expiration: assumed.credentials.expiration,
                    request_id: assumed.request_id.clone(),
                    source_identity: assumed.source_identity.clone(),
                });
                arn = assumed.arn;
                current = Some(assumed.credentials);
            }
            Err(error) => {
                let caller = match (done.last(), start) {
                    (Some(previous), _) => previous.arn.clone(),
                    (None, Start::WebIdentity(_)) => {
                        "the web identity token of web_identity_token_file".to_owned()
                    }
                    (None, Start::Keys(base)) => cloud
                        .get_caller_identity(base)
                        .await
                        .map(|id| id.arn)
                        .unwrap_or_else(|_| {
                            format!("the base credentials ({})", base.access_key_id)
                        }),
                };
                return Err(Box::new(HopFailure {
                    hop: i + 1,
                    of: plan.hops.len(),
                    caller,
                    role_arn: request.role_arn,
                    error,
                    done,
                }));
            }
        }
    }
    // No hop: the base credentials themselves; a token alone gives none.
    let credentials = match (current, start) {
        (Some(credentials), _) => credentials,
        (None, Start::Keys(base)) => base.clone(),
        (None, Start::WebIdentity(_)) => {
            return Err(Box::new(HopFailure {
                hop: 1,
                of: 0,
                caller: "the web identity token of web_identity_token_file".to_owned(),
                role_arn: String::new(),
                error: CloudError::local(
                    crate::cloud::Operation::AssumeRoleWithWebIdentity,
                    crate::cloud::ErrorClass::InvalidInput,
                    "a web identity token is exchanged for a role's session, and the chain names no role".to_owned(),
                ),
                done,
            }));
        }
    };
    Ok(Obtained {
        credentials,
        arn,
        hops: done,
        from_cache: false,
    })
}
