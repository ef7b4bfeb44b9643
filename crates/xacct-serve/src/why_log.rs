//! The last decisions of the endpoint, by request id, for `--explain`
//! from a client: `GET /_xacct/why/REQUEST-ID` answers what decided that
//! request (the deciding statements, or the rule), as JSON. Kept only when
//! the server listens on loopback; a bounded number is kept, the oldest
//! dropped. A decision is told only to its own caller (the GET signed with
//! the credentials that made the request) or to whoever holds the server's
//! explain key (see `why_route`); request ids are unguessable (a keyed MAC
//! of the world's serial), so one caller cannot name another's.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

use super::log_line::LogLine;
use super::request::Outgoing;
use xacct_sim::Why;

/// The path prefix of the explanation endpoint.
pub(super) const PREFIX: &str = "/_xacct/why/";

/// How many decisions are kept.
const KEPT: usize = 1024;

/// One decision, as the client is told it.
#[derive(Debug, Clone, serde::Serialize)]
pub(super) struct Decision {
    /// The request id the client saw.
    #[serde(rename = "RequestId")]
    pub request_id: String,
    /// `sts:AssumeRole`, ...
    #[serde(rename = "Operation")]
    pub operation: String,
    /// Who called.
    #[serde(rename = "Caller")]
    pub caller: String,
    /// The HTTP status.
    #[serde(rename = "Status")]
    pub status: u16,
    /// `allowed`, or the error code.
    #[serde(rename = "Outcome")]
    pub outcome: String,
    /// One sentence.
    #[serde(rename = "Summary")]
    pub summary: Option<String>,
    /// The deciding statements.
    #[serde(rename = "Details")]
    pub details: Vec<String>,
}

/// A decision as kept: its reason stays data until a client asks.
#[derive(Debug)]
struct Kept {
    request_id: String,
    operation: String,
    caller: String,
    /// Whether the caller was authenticated (`caller` is its ARN), or is
    /// known only by the key id it presented.
    authenticated: bool,
    /// The access key id the request was signed with (none when unsigned).
    signed_by: Option<String>,
    status: u16,
    outcome: String,
    why: Option<Why>,
}

/// Who asks for a decision.
#[derive(Debug, Clone, Copy)]
pub(super) enum Reader<'a> {
    /// Whoever holds the server's explain key: every decision.
    Operator,
    /// A caller, by the signature of its GET: its own decisions only.
    Caller {
        /// Its ARN.
        arn: &'a str,
        /// The access key id it signed with.
        key_id: &'a str,
    },
}

impl Reader<'_> {
    /// Whether this reader may be told `kept`: the same IAM user or root
    /// (any of its keys), the same session (its own temporary key: anyone
    /// allowed to assume a role may pick another's session name, and with
    /// it the session's ARN), or, for a request that was not authenticated,
    /// the same key id. An unsigned request's decision goes to the key
    /// holder alone.
    fn may_read(self, kept: &Kept) -> bool {
        match self {
            Self::Operator => true,
            Self::Caller { arn, key_id } => match &kept.signed_by {
                None => false,
                Some(signed) if !kept.authenticated || is_temporary(signed) => signed == key_id,
                Some(_) => kept.caller == arn,
            },
        }
    }
}

/// Whether an access key id is a session's (STS issues `ASIA...` ids).
fn is_temporary(key_id: &str) -> bool {
    key_id.starts_with("ASIA")
}

/// The kept decisions, and the key that reads them all.
pub struct WhyLog {
    kept: Mutex<VecDeque<Kept>>,
    key: String,
}

impl std::fmt::Debug for WhyLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WhyLog { key: ** redacted ** }")
    }
}

impl WhyLog {
    /// An empty log read with `key` (the server's explain key).
    pub fn new(key: String) -> Self {
        Self {
            kept: Mutex::new(VecDeque::new()),
            key,
        }
    }

    /// Whether `given` is the explain key, compared in constant time.
    pub(super) fn is_key(&self, given: &str) -> bool {
        let (a, b) = (self.key.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// Keeps the decision behind `response`, if it carries a request id.
    pub fn keep(
        &self,
        response: &Outgoing,
        line: &LogLine,
        signed_by: Option<String>,
        why: Option<Why>,
    ) {
        let Some((_, id)) = response
            .headers
            .iter()
            .find(|(name, _)| *name == "x-amzn-requestid" || *name == "x-amz-request-id")
        else {
            return;
        };
        let decision = Kept {
            request_id: id.clone(),
            operation: line.operation.clone(),
            caller: line.caller.clone(),
            authenticated: line.account.is_some(),
            signed_by,
            status: line.status,
            outcome: line.outcome.clone(),
            why,
        };
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.len() == KEPT {
            kept.pop_front();
        }
        kept.push_back(decision);
    }

    /// The answer to `GET /_xacct/why/ID` for `reader`: a decision it may
    /// not read is answered as one not kept, so its existence is not told.
    pub(super) fn answer(&self, path: &str, reader: Reader<'_>) -> Outgoing {
        let id = path.strip_prefix(PREFIX).unwrap_or_default();
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        let found = kept
            .iter()
            .rev()
            .find(|d| d.request_id == id && reader.may_read(d));
        match found {
            Some(kept) => {
                let decision = Decision {
                    request_id: kept.request_id.clone(),
                    operation: kept.operation.clone(),
                    caller: kept.caller.clone(),
                    status: kept.status,
                    outcome: kept.outcome.clone(),
                    summary: kept.why.as_ref().map(|w| w.summary.clone()),
                    details: kept.why.as_ref().map(Why::details).unwrap_or_default(),
                };
                Outgoing {
                    user_headers: Vec::new(),
                    bytes: None,
                    status: 200,
                    headers: vec![("content-type", "application/json".to_owned())],
                    body: serde_json::to_string(&decision).unwrap_or_default(),
                }
            }
            None => Outgoing {
                user_headers: Vec::new(),
                bytes: None,
                status: 404,
                headers: vec![("content-type", "application/json".to_owned())],
                body: serde_json::json!({
                    "Message": format!("no decision of yours is kept for request id `{}` (the last {KEPT} are; a caller is told only of its own requests)", id.chars().take(128).collect::<String>())
                })
                .to_string(),
            },
        }
    }
}
