//! `xacct console`'s explanation of the federation endpoint's refusal.

use crate::creds::ConsoleError;

/// The federation endpoint's refusal, with what most likely caused it.
pub fn refused(err: &ConsoleError, session: &str, session_duration: Option<i64>) -> String {
    let Some(status) = err.status else {
        return format!("error: {}\n", err.message);
    };
    let cause = if session_duration.is_some() {
        "the session comes from role chaining (its caller was itself a role session) or from GetFederationToken, and AWS refuses SessionDuration for both"
    } else {
        "the credentials are expired or not temporary role or federation credentials (long-term user keys must first become a federation token with GetFederationToken)"
    };
    let next = if session_duration.is_some() {
        "run again without --session-duration; the console session then lasts as long as the credentials"
    } else {
        "get fresh role credentials (`xacct cache clear`, then run again)"
    };
    format!(
        "error: the federation endpoint refused a sign-in token for {session}: HTTP {status} {}\n  likely cause: {cause}\n  next step:    {next}\n",
        err.message
    )
}
