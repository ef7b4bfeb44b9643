//! `GET /_xacct/why/REQUEST-ID`: who asks, then the decision if they may
//! read it. The reader is whoever holds the server's explain key (header
//! [`KEY_HEADER`]; `xacct serve` keeps it in a private file that
//! `xacct creds --explain` reads, and in the ready file), or a caller
//! whose GET is signed (SigV4, any service's scope) with the credentials
//! that made the request. Anything else is refused: the log is not public.

use super::auth::verify;
use super::endpoint::Endpoint;
use super::log_line::LogLine;
use super::request::{Incoming, Outgoing};
use super::why_log::{Reader, WhyLog};
use xacct_sim::Service;

/// The header that carries the explain key.
pub const KEY_HEADER: &str = "x-xacct-explain-key";

fn refused(message: &str) -> Outgoing {
    Outgoing {
        user_headers: Vec::new(),
        bytes: None,
        status: 403,
        headers: vec![("content-type", "application/json".to_owned())],
        body: serde_json::json!({ "Message": message }).to_string(),
    }
}

/// The answer to a request for a decision, and its log line; a signed
/// request is verified for `service`, its scope's.
pub(super) fn answer(
    endpoint: &Endpoint,
    log: &WhyLog,
    req: &Incoming,
    service: Service,
) -> (Outgoing, LogLine) {
    let mut line = LogLine {
        operation: "xacct:why".to_owned(),
        caller: "anonymous".to_owned(),
        account: None,
        status: 0,
        outcome: String::new(),
        reason: None,
    };
    let response = if let Some(given) = req.header(KEY_HEADER) {
        if log.is_key(&given) {
            line.caller = "explain key".to_owned();
            log.answer(&req.path, Reader::Operator)
        } else {
            refused(
                "the explain key does not match this server's (it changes every time `xacct serve` starts)",
            )
        }
    } else if let Some(Ok(auth)) = req.auth() {
        let key_id = auth.access_key_id.clone();
        match verify(endpoint, req, service) {
            Ok(principal) => {
                let who = principal.who();
                line.caller.clone_from(&who.name);
                line.account.clone_from(&who.account);
                log.answer(
                    &req.path,
                    Reader::Caller {
                        arn: &who.name,
                        key_id: &key_id,
                    },
                )
            }
            Err(refusal) => {
                line.caller = refusal.caller.name.clone();
                refused(&refusal.error.message)
            }
        }
    } else {
        refused(&format!(
            "a decision is told to the caller whose request it was (sign this GET with its credentials) or to whoever holds the server's explain key (header {KEY_HEADER}; `xacct creds --explain` reads it, and the ready file holds it)"
        ))
    };
    line.status = response.status;
    line.outcome = match response.status {
        200 => "allowed",
        403 => "AccessDenied",
        _ => "NotFound",
    }
    .to_owned();
    (response, line)
}
