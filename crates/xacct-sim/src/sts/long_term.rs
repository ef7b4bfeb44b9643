//! What GetFederationToken and GetSessionToken share: they must be called
//! with long-term keys, of an IAM user or the root user, and their duration
//! bounds and default depend on which.

use super::super::answer::Why;
use super::super::aws_error::{AwsError, number_violation};
use super::super::identity::Identity;
use xacct_aws::cloud::params::TOKEN_DURATION;

/// The caller of a token operation: its account, and the IAM user (`None`
/// for the root user).
pub(super) struct LongTermCaller {
    /// The account.
    pub account: String,
    /// The user; `None` for the root user.
    pub user: Option<String>,
}

impl LongTermCaller {
    /// The long-term caller behind `identity`, or `refusal` (in `why`) for
    /// temporary credentials.
    pub(super) fn of(
        identity: &Identity,
        refusal: AwsError,
        reason: &str,
        why: &mut Option<Why>,
    ) -> Result<Self, AwsError> {
        match identity {
            Identity::User { account, name } => Ok(Self {
                account: account.clone(),
                user: Some(name.clone()),
            }),
            Identity::Root { account } => Ok(Self {
                account: account.clone(),
                user: None,
            }),
            Identity::Session { .. } | Identity::Token { .. } => {
                *why = Some(Why::rule(reason));
                Err(refusal)
            }
        }
    }

    /// The session length asked for, or the default: 43,200 seconds for a
    /// user, 3,600 for the root user, who may not ask for more. The second
    /// value is the violation, in AWS's words, if the length is out of bounds.
    pub(super) fn duration(&self, asked: Option<i64>) -> (i64, Option<String>) {
        let (bounds, default) = match self.user {
            Some(_) => (TOKEN_DURATION, 43_200),
            None => (TOKEN_DURATION.with_max(3600), 3600),
        };
        let duration = asked.unwrap_or(default);
        (duration, number_violation(&bounds, duration))
    }
}
