//! `--explain` against `xacct serve`: the decisions behind the chain's
//! calls, read back from the endpoint by their request ids
//! (`GET /_xacct/why/REQUEST-ID`, which a server on loopback answers).

use std::time::Duration;

use serde::Deserialize;

use super::console::get;

/// What decided one call, as the endpoint tells it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RemoteDecision {
    /// The request id.
    pub request_id: String,
    /// `sts:AssumeRole`, ...
    pub operation: String,
    /// Who called.
    pub caller: String,
    /// The HTTP status.
    pub status: u16,
    /// `allowed`, or the error code.
    pub outcome: String,
    /// One sentence.
    pub summary: Option<String>,
    /// The deciding statements.
    pub details: Vec<String>,
}

/// The decisions behind `request_ids`, in order; an id the endpoint does
/// not know (or an endpoint that is not `xacct serve`) gives the reason.
pub async fn remote_decisions(
    endpoint_url: &str,
    request_ids: &[String],
    timeout: Duration,
) -> Vec<Result<RemoteDecision, String>> {
    let mut out = Vec::new();
    for id in request_ids {
        let url = format!("{}/_xacct/why/{id}", endpoint_url.trim_end_matches('/'));
        let answer = tokio::time::timeout(timeout, get(&url)).await;
        out.push(match answer {
            Err(_) => Err(format!("{url} did not answer in time")),
            Ok(Err(e)) => Err(e.message),
            Ok(Ok((200, body))) => serde_json::from_str(&body)
                .map_err(|e| format!("{url} answered what is not a decision: {e}")),
            Ok(Ok((status, _))) => Err(format!(
                "{url} answered HTTP {status}: explanations come from `xacct serve` listening on loopback"
            )),
        });
    }
    out
}
