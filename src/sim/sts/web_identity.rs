//! `sts:AssumeRoleWithWebIdentity`: an unsigned call that trades an OIDC
//! token for a role session. AWS's order: the STS model's constraints; a
//! role ARN; the token's shape; the IAM OIDC provider for its `iss` in the role's account;
//! the audience among the provider's client ids; the signature by the
//! issuer's key; the expiry; then the trust policy, with the token's claims
//! as condition keys (`HOST:sub`, `HOST:aud`, ...), and the role's
//! MaxSessionDuration. The session is a role session like AssumeRole's.

use std::time::SystemTime;

use super::super::answer::{Answer, Who, Why};
use super::super::aws_error::{AwsError, number_violation, text_violations};
use super::super::decide::{Decided, decide};
use super::super::identity::Identity;
use super::super::model::OidcProvider;
use super::super::session_context;
use super::super::world::World;
use crate::cloud::params::{ASSUME_ROLE_DURATION, ROLE_ARN, ROLE_SESSION_NAME, WEB_IDENTITY_TOKEN};
use crate::cloud::{AssumeRoleRequest, AssumedRole, WebIdentityAnswer};
use crate::iam::issuers;
use crate::oidc::jwt::claim_text;
use crate::oidc::{Jwt, Verdict};

const ACTION: &str = "sts:AssumeRoleWithWebIdentity";

/// Not a JWT, or not RSA-signed (observed AWS answer, quoted in AWS
/// Cognito's troubleshooting guide and in openshift/hypershift).
const NOT_A_JWT: &str = "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)";

/// The token's `kid` is not among the issuer's keys (observed AWS answer,
/// raw body in aws-sdk-rust issue 827; the two spaces are AWS's).
const UNKNOWN_KEY: &str = "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";

/// A known key whose signature does not verify. AWS's exact text is not
/// published; this is the wording reported in external-secrets issue 6648.
const NOT_VALIDATED: &str = "The web identity token provided could not be validated";

/// The parameters against the STS model, in AWS's words.
fn violations(token: &str, request: &AssumeRoleRequest) -> Vec<String> {
    let mut out = text_violations(&ROLE_ARN, &request.role_arn);
    out.extend(text_violations(&ROLE_SESSION_NAME, &request.session_name));
    out.extend(text_violations(&WEB_IDENTITY_TOKEN, token));
    if let Some(v) = request
        .duration_seconds
        .and_then(|d| number_violation(&ASSUME_ROLE_DURATION, d.into()))
    {
        out.push(v);
    }
    out
}

/// The account a role ARN names (`arn:PARTITION:iam::ACCOUNT:role/...`).
fn role_account(arn: &str) -> Option<String> {
    let arn: crate::iam::Arn = arn.parse().ok()?;
    (arn.service == "iam" && arn.resource.starts_with("role/")).then_some(arn.account)
}

fn seconds(t: SystemTime) -> i64 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// What the token proved once verified: who issued it and to whom.
struct Verified<'w> {
    jwt: Jwt,
    provider: &'w OidcProvider,
    audience: String,
}

impl World {
    /// `sts:AssumeRoleWithWebIdentity` with `token`.
    pub fn assume_role_with_web_identity(
        &self,
        token: &str,
        request: &AssumeRoleRequest,
    ) -> Answer<AssumedRole> {
        let mut caller = Who {
            name: "an unverified web identity token".to_owned(),
            account: None,
        };
        let mut why = None;
        let result = self.web_identity_decided(token, request, &mut caller, &mut why);
        Answer {
            result,
            caller,
            why,
        }
    }

    fn verify_token(
        &self,
        token: &str,
        account: &str,
        why: &mut Option<Why>,
    ) -> Result<Verified<'_>, AwsError> {
        let mut refuse = |reason: String, error: AwsError| {
            *why = Some(Why::rule(reason));
            error
        };
        let jwt = Jwt::decode(token)
            .map_err(|e| e.to_string())
            .and_then(|jwt| match jwt.header_text("alg") {
                Some("RS256") => Ok(jwt),
                alg => Err(format!(
                    "its algorithm is {alg:?}; AWS accepts RSA-signed tokens (RS256)"
                )),
            })
            .map_err(|reason| {
                refuse(
                    format!("the web identity token is not usable: {reason}"),
                    AwsError::invalid_identity_token(NOT_A_JWT),
                )
            })?;
        let Some(iss) = jwt.claim_text("iss") else {
            return Err(refuse(
                "the token has no `iss` claim, so no provider can be found for it".to_owned(),
                AwsError::invalid_identity_token(NOT_A_JWT),
            ));
        };
        let issuer = iss.strip_prefix("https://").unwrap_or(&iss);
        let provider = self
            .model()
            .accounts
            .get(account)
            .and_then(|a| a.oidc_providers.get(issuer));
        let Some(provider) = provider else {
            return Err(refuse(
                format!(
                    "account {account} (the role's) has no IAM OIDC provider for the issuer `{iss}`; a provider with that URL in another account does not count"
                ),
                AwsError::invalid_identity_token(format!(
                    "No OpenIDConnect provider found in your account for {iss}"
                )),
            ));
        };
        let audiences = jwt.audiences();
        if audiences.is_empty() {
            return Err(refuse(
                "the token has no `aud` claim".to_owned(),
                AwsError::invalid_identity_token("Missing a required claim: aud"),
            ));
        }
        let Some(audience) = audiences
            .iter()
            .find(|a| provider.client_ids.contains(a))
            .cloned()
        else {
            return Err(refuse(
                format!(
                    "the token's audience {:?} is none of the provider's client ids {:?}",
                    audiences, provider.client_ids
                ),
                AwsError::invalid_identity_token("Incorrect token audience"),
            ));
        };
        let key = self.issuers().key(&provider.issuer).map_err(|e| {
            refuse(
                format!("no signing key for `{}`: {e}", provider.issuer),
                AwsError::new("IDPCommunicationError", 400, e.clone()),
            )
        })?;
        match key.check(&jwt) {
            Verdict::Valid => {}
            Verdict::UnknownKey | Verdict::NotRs256 => {
                return Err(refuse(
                    format!(
                        "the token names signing key {:?}, which `{}` does not publish (its key is {}): it was not issued by that issuer",
                        jwt.header_text("kid").unwrap_or_default(),
                        provider.issuer,
                        key.kid()
                    ),
                    AwsError::invalid_identity_token(UNKNOWN_KEY),
                ));
            }
            Verdict::BadSignature => {
                return Err(refuse(
                    format!(
                        "the token's signature does not verify with the key of `{}`: it was altered or signed by someone else",
                        provider.issuer
                    ),
                    AwsError::invalid_identity_token(NOT_VALIDATED),
                ));
            }
        }
        let now = seconds(self.now());
        match jwt.claim_time("exp") {
            Some(exp) if exp > now => {}
            Some(exp) => {
                return Err(refuse(
                    format!(
                        "the token expired at {exp}, and now is {now} (seconds since the epoch)"
                    ),
                    AwsError::web_token_expired(now, exp),
                ));
            }
            None => {
                return Err(refuse(
                    "the token has no `exp` claim".to_owned(),
                    AwsError::invalid_identity_token("Missing a required claim: exp"),
                ));
            }
        }
        Ok(Verified {
            jwt,
            provider,
            audience,
        })
    }

    fn web_identity_decided(
        &self,
        token: &str,
        request: &AssumeRoleRequest,
        caller: &mut Who,
        why: &mut Option<Why>,
    ) -> Result<AssumedRole, AwsError> {
        let violations = violations(token, request);
        if !violations.is_empty() {
            *why = Some(Why::rule(
                "the parameters break the STS model's constraints",
            ));
            return Err(AwsError::validation(&violations));
        }
        let Some(account) = role_account(&request.role_arn) else {
            *why = Some(Why::rule(format!(
                "`{}` is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)",
                request.role_arn
            )));
            // Observed AWS answer, quoted in the AWS knowledge center's IRSA
            // troubleshooting page.
            return Err(AwsError::new(
                "ValidationError",
                400,
                "Request ARN is invalid",
            ));
        };
        let Verified {
            jwt,
            provider,
            audience,
        } = self.verify_token(token, &account, why)?;
        let identity = Identity::Token {
            account: account.clone(),
            issuer: provider.issuer.clone(),
        };
        let subject = jwt.claim_text("sub").unwrap_or_default();
        *caller = Who {
            name: format!(
                "arn:aws:iam::{account}:oidc-provider/{} (sub {subject})",
                provider.issuer
            ),
            account: Some(account.clone()),
        };
        // AssumeRoleWithWebIdentity takes no Tags and no SourceIdentity:
        // both come from the token only (STS API reference; IAM User Guide).
        let mut tagged = request.clone();
        (tagged.tags, tagged.transitive_tag_keys) = token_tags(&jwt.claims);
        tagged.source_identity = jwt.claim_text("https://aws.amazon.com/source_identity");
        let limits = session_context::violations(&tagged);
        if !limits.is_empty() {
            *why = Some(Why::rule(
                "the token's session tags or source identity, or the PolicyArns, break the STS model's constraints",
            ));
            return Err(AwsError::validation(&limits));
        }
        let planned = session_context::plan(&tagged, None).inspect_err(|_| {
            *why = Some(Why::rule(
                "the token's session tags break AWS's rules for passing them (see the message)",
            ));
        })?;
        let role = self.model().role_by_arn(&request.role_arn);
        let mut owned = claim_context(&jwt, provider, &audience, request);
        owned.extend(planned.request_keys.iter().cloned());
        // The role's tags, as for AssumeRole: the request's resource tags.
        owned.extend(
            role.map(super::super::model::Role::resource_tag_keys)
                .unwrap_or_default(),
        );
        let context: Vec<(&str, String)> =
            owned.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        let decided = match role {
            Some(role) => decide(
                self,
                &identity,
                ACTION,
                &request.role_arn,
                Some(role.into()),
                &context,
            ),
            None => Decided {
                allowed: false,
                why: Why::rule(format!(
                    "no role {} exists; AWS answers exactly as for a role whose trust policy does not allow the token",
                    request.role_arn
                )),
                context: crate::iam::Context::new(),
            },
        };
        *why = Some(decided.why);
        let Some(role) = role.filter(|_| decided.allowed) else {
            return Err(AwsError::web_identity_not_authorized());
        };
        self.permissions_only(&identity, &caller.name, role, &planned, &context, why)
            .map_err(|_| AwsError::web_identity_not_authorized())?;
        let mut assumed =
            self.open_role_session(role, request, (false, false), planned.context, why)?;
        assumed.web_identity = Some(WebIdentityAnswer {
            subject,
            // Observed AWS answers name the provider by its ARN (EKS IRSA
            // and OpenShift outputs of assume-role-with-web-identity); the
            // API reference says only "the value of the iss field".
            provider: format!("arn:aws:iam::{account}:oidc-provider/{}", provider.issuer),
            audience,
        });
        Ok(assumed)
    }
}
/// The request's condition keys: `sts:RoleSessionName` and the token's
/// claims as AWS fills them ([`crate::iam::issuers::claim_keys`]).
fn claim_context(
    jwt: &Jwt,
    provider: &OidcProvider,
    audience: &str,
    request: &AssumeRoleRequest,
) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for (name, value) in &jwt.claims {
        match value {
            serde_json::Value::Array(list) => pairs.extend(
                list.iter()
                    .filter_map(|v| v.as_str())
                    .map(|v| (name.clone(), v.to_owned())),
            ),
            _ => pairs.extend(claim_text(&jwt.claims, name).map(|v| (name.clone(), v))),
        }
    }
    let mut out = vec![(
        "sts:RoleSessionName".to_owned(),
        request.session_name.clone(),
    )];
    out.extend(issuers::claim_keys(
        &provider.issuer,
        &pairs,
        Some(audience),
    ));
    out
}

/// Session tags a token carries in its `https://aws.amazon.com/tags` claim
/// (`principal_tags`: key to a one-value list; `transitive_tag_keys`), as
/// the IAM User Guide's "Passing session tags using AssumeRoleWithWebIdentity"
/// shows it.
fn token_tags(claims: &crate::oidc::Claims) -> (Vec<crate::cloud::Tag>, Vec<String>) {
    let Some(tags) = claims.get("https://aws.amazon.com/tags") else {
        return (Vec::new(), Vec::new());
    };
    let principal = tags
        .get("principal_tags")
        .and_then(serde_json::Value::as_object)
        .map(|map| {
            map.iter()
                .map(|(k, v)| {
                    let value = match v {
                        serde_json::Value::Array(list) => list
                            .first()
                            .and_then(serde_json::Value::as_str)
                            .unwrap_or_default(),
                        other => other.as_str().unwrap_or_default(),
                    };
                    crate::cloud::Tag::new(k, value)
                })
                .collect()
        })
        .unwrap_or_default();
    let transitive = tags
        .get("transitive_tag_keys")
        .and_then(serde_json::Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    (principal, transitive)
}
