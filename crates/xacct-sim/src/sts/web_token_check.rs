//! A web identity token against its issuer and the clock, in AWS's order:
//! the token's shape and claim types; the IAM OIDC provider for its `iss`
//! in the role's account (an https issuer); the audience among the
//! provider's client ids; the signature by the issuer's key; its times.
//! Each refusal is AWS's error, and the explanation names the rule.

use std::time::SystemTime;

use super::super::answer::Why;
use super::super::aws_error::AwsError;
use super::super::world::World;
use xacct_aws::oidc::{Jwt, Verdict};
use xacct_iam::issuers;

/// Not a JWT, or not RSA-signed (observed AWS answer, quoted in AWS
/// Cognito's troubleshooting guide and in openshift/hypershift).
const NOT_A_JWT: &str = "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)";

/// The token's `kid` is not among the issuer's keys (observed AWS answer,
/// raw body in aws-sdk-rust issue 827; the two spaces are AWS's).
const UNKNOWN_KEY: &str = "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";

/// A known key whose signature does not verify. AWS's exact text is not
/// published; this is the wording reported in external-secrets issue 6648.
const NOT_VALIDATED: &str = "The web identity token provided could not be validated";

fn seconds(t: SystemTime) -> i64 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// What the token proved once verified: who issued it and to whom.
pub(super) struct Verified {
    pub jwt: Jwt,
    /// The issuer (host[/path]) of the provider that vouches for it: an IAM
    /// OIDC provider of the role's account, or a provider built into AWS.
    pub issuer: String,
    /// Whether the issuer is built into AWS (no IAM OIDC provider).
    pub built_in: bool,
    pub audience: String,
}

impl World {
    pub(super) fn verify_token(
        &self,
        token: &str,
        account: &str,
        why: &mut Option<Why>,
    ) -> Result<Verified, AwsError> {
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
        // Claims of the wrong type: refused before anything reads them.
        let typed = jwt
            .string_claim("iss")
            .and_then(|_| jwt.string_claim("sub"))
            .and_then(|_| {
                ["exp", "nbf", "iat"]
                    .iter()
                    .try_for_each(|c| jwt.claim_time(c).map(|_| ()))
            });
        if let Err(reason) = typed {
            return Err(refuse(
                format!("the web identity token is not usable: {reason}"),
                AwsError::invalid_identity_token(NOT_A_JWT),
            ));
        }
        let Some(iss) = jwt.claim_text("iss") else {
            return Err(refuse(
                "the token has no `iss` claim, so no provider can be found for it".to_owned(),
                AwsError::invalid_identity_token(NOT_A_JWT),
            ));
        };
        // Google's legacy tokens carry `accounts.google.com` without a
        // scheme (Google's OIDC reference, the discovery document's
        // `issuer`); every other issuer AWS trusts is an https URL.
        let bare = iss.strip_prefix("https://");
        let built_in = issuers::is_built_in(bare.unwrap_or(&iss))
            && (bare.is_some() || iss == "accounts.google.com");
        // An IAM OIDC provider's URL must begin with https:// (IAM User
        // Guide, id_roles_providers_create_oidc), so an issuer that does not
        // can match none.
        let Some(issuer) = bare.or(built_in.then_some(iss.as_str())) else {
            return Err(refuse(
                format!(
                    "the token's issuer `{iss}` does not begin with https://, which every IAM OIDC provider's URL does, so no provider matches it"
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
        // A provider built into AWS has no IAM OIDC provider and no client
        // id list: the trust policy's conditions on its audience decide.
        let audience = if built_in {
            audiences.first().cloned().unwrap_or_default()
        } else {
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
            audience
        };
        let issuer = issuer.to_owned();
        let key = self.issuers().key(&issuer).map_err(|e| {
            refuse(
                format!("no signing key for `{issuer}`: {e}"),
                AwsError::new("IDPCommunicationError", 400, e.clone()),
            )
        })?;
        match key.check(&jwt) {
            Verdict::Valid => {}
            Verdict::UnknownKey | Verdict::NotRs256 => {
                return Err(refuse(
                    format!(
                        "the token names signing key {:?}, which `{issuer}` does not publish (its key is {}): it was not issued by that issuer",
                        jwt.header_text("kid").unwrap_or_default(),
                        key.kid()
                    ),
                    AwsError::invalid_identity_token(UNKNOWN_KEY),
                ));
            }
            Verdict::BadSignature => {
                return Err(refuse(
                    format!(
                        "the token's signature does not verify with the key of `{issuer}`: it was altered or signed by someone else"
                    ),
                    AwsError::invalid_identity_token(NOT_VALIDATED),
                ));
            }
        }
        self.check_times(&jwt, why)?;
        Ok(Verified {
            jwt,
            issuer,
            built_in,
            audience,
        })
    }

    /// The token's times against the clock, with AWS's five minutes of
    /// leeway for clock skew (IAM User Guide, id_roles_providers_oidc: IAM
    /// accepts a token up to five minutes past its `exp`): expired (`exp`);
    /// not yet valid (`nbf` ahead) or issued in the future (`iat` ahead),
    /// which RFC 7519 section 4.1 leaves to the recipient and xacct refuses;
    /// and an `exp` more than a day ahead, a lifetime no issuer AWS trusts
    /// gives a token (AWS's own bound is unpublished: it answers `Token too
    /// old`, mozilla-iam/mozilla-aws-cli issues 146 and 155).
    fn check_times(&self, jwt: &Jwt, why: &mut Option<Why>) -> Result<(), AwsError> {
        const SKEW: i64 = 300;
        const LONGEST: i64 = 86_400;
        let mut refuse = |reason: String, error: AwsError| {
            *why = Some(Why::rule(reason));
            error
        };
        let now = seconds(self.now());
        let time = |c: &str| jwt.claim_time(c).ok().flatten();
        let Some(exp) = time("exp") else {
            return Err(refuse(
                "the token has no `exp` claim".to_owned(),
                AwsError::invalid_identity_token("Missing a required claim: exp"),
            ));
        };
        if now >= exp.saturating_add(SKEW) {
            return Err(refuse(
                format!(
                    "the token expired at {exp}, and now is {now} (seconds since the epoch; AWS allows {SKEW} seconds of clock skew)"
                ),
                AwsError::web_token_expired(now, exp),
            ));
        }
        for (claim, what) in [
            ("nbf", "is not valid before"),
            ("iat", "claims to be issued at"),
        ] {
            if let Some(at) = time(claim).filter(|at| *at > now.saturating_add(SKEW)) {
                return Err(refuse(
                    format!(
                        "the token {what} {at} (`{claim}`), more than {SKEW} seconds after now, {now}: refused (RFC 7519 section 4.1 leaves it to the recipient)"
                    ),
                    AwsError::invalid_identity_token(format!(
                        "The token is not valid yet: `{claim}` is {at}, after the current date/time {now}"
                    )),
                ));
            }
        }
        if exp > now.saturating_add(LONGEST) {
            return Err(refuse(
                format!(
                    "the token expires at {exp}, more than {LONGEST} seconds after now, {now}: no issuer AWS trusts gives a token such a lifetime (xacct's bound; AWS's is unpublished)"
                ),
                AwsError::invalid_identity_token(format!(
                    "The token's expiration date/time {exp} is more than a day after the current date/time {now}"
                )),
            ));
        }
        Ok(())
    }
}
