//! `sts:GetSessionToken`: a session with the user's own permissions, the
//! usual way to prove MFA before calling AssumeRole.

use std::time::Duration;

use super::super::answer::{Outcome, Why};
use super::super::aws_error::AwsError;
use super::super::identity::Identity;
use super::super::session::SessionKind;
use super::super::world::{Principal, World};
use super::long_term::LongTermCaller;
use xacct_aws::cloud::{Credentials, MfaToken};

impl World {
    /// `sts:GetSessionToken`, with the MFA device serial and code when given.
    pub(crate) fn get_session_token(
        &self,
        who: &Principal,
        duration: Option<i64>,
        mfa: Option<&MfaToken>,
    ) -> Outcome<Credentials> {
        let mut why = None;
        let result = self.session_token(&who.identity, duration, mfa, &mut why);
        Outcome {
            result,
            caller: who.who().clone(),
            why,
        }
    }

    fn session_token(
        &self,
        identity: &Identity,
        duration: Option<i64>,
        mfa: Option<&MfaToken>,
        why: &mut Option<Why>,
    ) -> Result<Credentials, AwsError> {
        let caller = LongTermCaller::of(
            identity,
            AwsError::session_token_with_session_credentials(),
            "GetSessionToken must be called with long-term keys, not temporary credentials",
            why,
        )?;
        let (duration, bad_duration) = caller.duration(duration);
        let mut violations: Vec<String> = bad_duration.into_iter().collect();
        if let Some(mfa) = mfa {
            violations.extend(super::assume_role::mfa_violations(mfa));
        }
        if !violations.is_empty() {
            *why = Some(Why::rule(
                "the parameters break the STS model's constraints",
            ));
            return Err(AwsError::validation(&violations));
        }
        let LongTermCaller { account, user } = caller;
        let mfa_used = self.check_mfa(identity, mfa, why)?;
        *why = Some(Why::rule(
            "GetSessionToken needs no permission: it only authenticates the caller",
        ));
        let expiration: std::time::SystemTime =
            self.now() + Duration::from_secs(u64::try_from(duration).unwrap_or(43200));
        Ok(self.issue(
            SessionKind::SessionToken {
                account,
                user,
                mfa: mfa_used,
            },
            expiration,
        ))
    }
}
