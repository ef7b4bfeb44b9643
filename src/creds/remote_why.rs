//! `--explain` against `xacct serve`: the decisions behind the chain's
//! calls, read back from the endpoint by their request ids
//! (`GET /_xacct/why/REQUEST-ID`, which a server on loopback answers to
//! whoever holds its explain key: this user's, found by the endpoint's
//! port).

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
    let key = loopback(endpoint_url).and_then(super::explain_key::published);
    let headers: Vec<(&str, &str)> = key
        .as_ref()
        .map(|k| vec![(xacct_serve::EXPLAIN_KEY_HEADER, k.expose())])
        .unwrap_or_default();
    let mut out = Vec::new();
    for id in request_ids {
        let url = format!("{}/_xacct/why/{id}", endpoint_url.trim_end_matches('/'));
        let answer = tokio::time::timeout(timeout, get(&url, &headers)).await;
        out.push(match answer {
            Err(_) => Err(format!("{url} did not answer in time")),
            Ok(Err(e)) => Err(e.message),
            Ok(Ok((200, body))) => serde_json::from_str(&body)
                .map_err(|e| format!("{url} answered what is not a decision: {e}")),
            Ok(Ok((403, _))) => Err(format!(
                "{url} answered HTTP 403: `xacct serve` tells its decisions to the user who started it (its explain key is kept in xacct-explain/IP-PORT beside xacct's cache directory, so XDG_CACHE_HOME must be the same) or to each request's caller"
            )),
            Ok(Ok((status, _))) => Err(format!(
                "{url} answered HTTP {status}: explanations come from `xacct serve` listening on loopback"
            )),
        });
    }
    out
}

/// The address of a loopback endpoint URL given by a literal IP
/// (`http://127.0.0.1:PORT`, `http://[::1]:PORT`): the server the explain
/// key is kept for. A name such as `localhost` is not trusted with it (it
/// may resolve to another loopback address, where another user listens).
fn loopback(url: &str) -> Option<std::net::SocketAddr> {
    let uri: hyper::Uri = url.parse().ok()?;
    let host = uri.host()?.trim_start_matches('[').trim_end_matches(']');
    let ip = host.parse::<std::net::IpAddr>().ok()?;
    ip.is_loopback()
        .then(|| Some(std::net::SocketAddr::new(ip, uri.port_u16()?)))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::loopback;

    #[test]
    fn only_a_literal_loopback_address_names_a_key() {
        let addr = |s: &str| s.parse::<std::net::SocketAddr>().ok();
        assert_eq!(loopback("http://127.0.0.1:4566"), addr("127.0.0.1:4566"));
        assert_eq!(loopback("http://[::1]:8080"), addr("[::1]:8080"));
        assert_eq!(loopback("http://127.0.0.2:4566/"), addr("127.0.0.2:4566"));
        assert_eq!(loopback("http://localhost:9000/"), None);
        assert_eq!(loopback("http://10.0.0.5:4566"), None);
        assert_eq!(loopback("https://sts.amazonaws.com"), None);
    }
}
