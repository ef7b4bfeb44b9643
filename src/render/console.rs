//! `xacct console`'s explanations: AWS's limits on console sessions, said
//! before a call where they are known, and the federation endpoint's
//! refusal explained after.

use crate::creds::ConsoleError;
use crate::sim::CONSOLE_SESSION_SECONDS;

/// Why `--session-duration` cannot be sent, before any call: out of
/// AWS's range, or asked for the end of a chain given with `--role-arn`
/// (a chained role session, for which AWS refuses it).
pub fn check(session_duration: Option<i64>, flag_hops: usize) -> Option<String> {
    let seconds = session_duration?;
    if !CONSOLE_SESSION_SECONDS.contains(&seconds) {
        return Some(format!(
            "error: invalid --session-duration `{seconds}`: a console session lasts 900 to 43200 seconds; pass a value in that range, or leave it out to keep the credentials' duration\n"
        ));
    }
    (flag_hops > 1).then(|| {
        format!(
            "error: invalid --session-duration `{seconds}`: the last role is reached by role chaining (hop {flag_hops} uses the previous role's session), and the federation endpoint refuses SessionDuration for chained role sessions (HTTP 400 \"Invalid credentials parameter\"); leave --session-duration out (the console session then lasts as long as the chained credentials, at most one hour), or assume the role in one hop from long-term user keys\n"
        )
    })
}

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
