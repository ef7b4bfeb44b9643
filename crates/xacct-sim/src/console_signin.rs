//! The console federation endpoint (`signin.aws.amazon.com/federation`):
//! `getSigninToken` exchanges a session's temporary credentials for a
//! sign-in token, and `login` turns the token into a console session.
//!
//! AWS's rules, as the IAM User Guide states them ("Enable custom identity
//! broker access to the AWS console"):
//! - Only temporary credentials from `AssumeRole*` or `GetFederationToken`
//!   are accepted; long-term user keys must first become a federation token.
//! - `SessionDuration` (900 to 43200 seconds) sets the console session's
//!   length; without it the console session lasts as long as the
//!   credentials. It may not be sent for `GetFederationToken` credentials.
//! - The sign-in URL is valid for 15 minutes.
//!
//! AWS refuses `SessionDuration` for credentials from role chaining, and
//! refuses credentials it cannot use, with one answer: HTTP 400
//! "Invalid credentials parameter" (AWS Knowledge Center,
//! "invalid-credentials-parameter"; observed in 99designs/aws-vault#77 and
//! Bridgewater/holochrome#8).

use std::time::{Duration, SystemTime};

use super::answer::{Outcome, Who, Why};
use super::aws_error::{AwsError, Service};
use super::identity::Identity;
use super::session::SessionKind;
use super::world::World;
use xacct_aws::cloud::Credentials;
use xacct_aws::secret::Secret;

/// How long a sign-in token (and so the sign-in URL) stays valid.
pub const SIGNIN_TOKEN_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// The bounds of `SessionDuration`.
pub const CONSOLE_SESSION_SECONDS: std::ops::RangeInclusive<i64> = 900..=43_200;

/// The key id under which sign-in tokens are sealed, apart from sessions.
const SIGNIN_KEY: &str = "signin";

/// What `getSigninToken` answers.
#[derive(Debug, Clone)]
pub struct SigninToken {
    /// `SigninToken`: a bearer token for the console, so a secret.
    pub token: Secret,
    /// The session it signs in as.
    pub session_arn: String,
    /// When the console session would end.
    pub console_until: SystemTime,
}

impl AwsError {
    /// The federation endpoint's one refusal: HTTP 400, "Invalid
    /// credentials parameter". AWS sends it as an HTML status page with no
    /// error code; the code here names it in the request log only.
    pub fn invalid_credentials_parameter() -> Self {
        Self::new(
            "InvalidCredentialsParameter",
            400,
            "Invalid credentials parameter",
        )
    }
}

impl World {
    /// `Action=getSigninToken`: a sign-in token for the session `creds`
    /// belong to, with the console session lasting `session_duration`
    /// seconds (the parameter as sent) or as long as the credentials.
    pub(crate) fn get_signin_token(
        &self,
        creds: &Credentials,
        session_duration: Option<&str>,
    ) -> Outcome<SigninToken> {
        let refuse = |caller: Who, why: String| {
            Outcome::refused(
                caller,
                AwsError::invalid_credentials_parameter(),
                Why::rule(why),
            )
        };
        let principal = match self.authenticate(creds, Service::Sts) {
            Ok(principal) => principal,
            Err(refusal) => {
                let why = format!(
                    "the credentials in the Session parameter are not usable: {}",
                    refusal.why.summary
                );
                return refuse(refusal.caller, why);
            }
        };
        let caller = principal.who().clone();
        let kind = match &principal.identity {
            Identity::Session { kind, .. } => kind.clone(),
            _ => {
                return refuse(
                    caller,
                    "long-term keys cannot sign in to the console through the federation endpoint; they must first become temporary credentials (GetFederationToken, or AssumeRole)".to_owned(),
                );
            }
        };
        if matches!(kind, SessionKind::SessionToken { .. }) {
            return refuse(
                caller,
                "GetSessionToken credentials cannot sign in to the console; only AssumeRole* and GetFederationToken credentials can".to_owned(),
            );
        }
        let token = creds.session_token.as_ref().map(Secret::expose);
        let session =
            token.and_then(|t| self.tokens().open(&creds.access_key_id, t, self.now()).ok());
        let chained = session.as_ref().is_some_and(|s| s.chained);
        let session_end = session.map_or_else(|| self.now(), |s| s.expiration());
        let console_until = match session_duration {
            None => session_end,
            Some(text) => {
                if matches!(kind, SessionKind::Federated { .. }) {
                    return refuse(
                        caller,
                        "SessionDuration may not be sent with GetFederationToken credentials (the federated session's own duration applies)".to_owned(),
                    );
                }
                if chained {
                    return refuse(
                        caller,
                        "these credentials come from role chaining (a role session assumed this role), and the federation endpoint refuses SessionDuration for them; leave it out and the console session lasts as long as the credentials (at most one hour)".to_owned(),
                    );
                }
                match text.parse::<i64>() {
                    Ok(secs) if CONSOLE_SESSION_SECONDS.contains(&secs) => {
                        self.now() + Duration::from_secs(secs.unsigned_abs())
                    }
                    _ => {
                        return refuse(
                            caller,
                            format!(
                                "SessionDuration `{text}` is not a number of seconds from 900 to 43200"
                            ),
                        );
                    }
                }
            }
        };
        let sealed = self.tokens().token(
            SIGNIN_KEY,
            kind,
            self.now() + SIGNIN_TOKEN_LIFETIME,
            chained,
        );
        Outcome {
            result: Ok(SigninToken {
                token: sealed,
                session_arn: caller.name.clone(),
                console_until,
            }),
            why: Some(Why::rule(format!(
                "a sign-in token for {}, valid for 15 minutes",
                caller.name
            ))),
            caller,
        }
    }

    /// `Action=login`: the session a sign-in token stands for, if it is
    /// this world's and not older than 15 minutes.
    pub(crate) fn sign_in(&self, token: &str) -> Outcome<String> {
        match self.tokens().open(SIGNIN_KEY, token, self.now()) {
            Ok(session) => {
                let arn = Identity::Session {
                    kind: session.kind,
                    policy: None,
                }
                .caller(self.model())
                .arn();
                Outcome {
                    result: Ok(arn.clone()),
                    why: Some(Why::rule(format!("signed in as {arn}"))),
                    caller: Who {
                        name: arn,
                        account: None,
                    },
                }
            }
            Err(_) => Outcome::refused(
                Who::key("SigninToken"),
                AwsError::invalid_credentials_parameter(),
                Why::rule("the sign-in token is not this endpoint's, or is older than 15 minutes"),
            ),
        }
    }
}
