//! The last decisions of the endpoint, by request id, for `--explain`
//! from a client: `GET /_xacct/why/REQUEST-ID` answers what decided that
//! request (the deciding statements, or the rule), as JSON. Kept only when
//! the server listens on loopback, where the world's keys are anyone's
//! already (`--print-env`); a bounded number is kept, the oldest dropped.

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
    status: u16,
    outcome: String,
    why: Option<Why>,
}

/// The kept decisions.
#[derive(Debug, Default)]
pub struct WhyLog {
    kept: Mutex<VecDeque<Kept>>,
}

impl WhyLog {
    /// Keeps the decision behind `response`, if it carries a request id.
    pub fn keep(&self, response: &Outgoing, line: &LogLine, why: Option<Why>) {
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

    /// The answer to `GET /_xacct/why/ID`.
    pub fn answer(&self, path: &str) -> Outgoing {
        let id = path.strip_prefix(PREFIX).unwrap_or_default();
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        match kept.iter().rev().find(|d| d.request_id == id) {
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
                    bytes: None,
                    status: 200,
                    headers: vec![("content-type", "application/json".to_owned())],
                    body: serde_json::to_string(&decision).unwrap_or_default(),
                }
            }
            None => Outgoing {
                bytes: None,
                status: 404,
                headers: vec![("content-type", "application/json".to_owned())],
                body: serde_json::json!({
                    "Message": format!("no decision is kept for request id `{id}` (the last {KEPT} are)")
                })
                .to_string(),
            },
        }
    }
}
