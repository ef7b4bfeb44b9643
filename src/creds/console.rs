//! The console sign-in URL of a session: `getSigninToken` on the
//! federation endpoint with the session's credentials, then the `login`
//! URL with the token and the destination (IAM User Guide, "Enable custom
//! identity broker access to the AWS console"). The URL is a bearer
//! credential for 15 minutes, so it is handled as a secret.

use std::time::Duration;

use http_body_util::{BodyExt as _, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::cloud::Credentials;
use crate::secret::Secret;
use crate::validate::InputError;

/// What to ask the federation endpoint for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleRequest {
    /// The federation endpoint (`https://signin.aws.amazon.com/federation`).
    pub federation_url: String,
    /// The console page to land on.
    pub destination: String,
    /// `SessionDuration`, 900 to 43200 seconds.
    pub session_duration: Option<i64>,
    /// `Issuer`: where the user is sent when the console session ends.
    pub issuer: String,
}

/// The federation endpoint refused, or could not be reached.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ConsoleError {
    /// The HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// What the endpoint said (the title of its error page), or why there
    /// was no answer.
    pub message: String,
}

/// `--session-duration` checked against AWS's range, and against the
/// federation endpoint's refusal of it for a chained role session (HTTP 400
/// "Invalid credentials parameter"), before the endpoint is asked.
pub fn check_session_duration(seconds: Option<i64>, chained: bool) -> Result<(), InputError> {
    let Some(seconds) = seconds else {
        return Ok(());
    };
    let bad = |rule: &str, fix: &str| InputError {
        field: "--session-duration",
        value: seconds.to_string(),
        rule: rule.to_owned(),
        fix: fix.to_owned(),
    };
    if !crate::sim::CONSOLE_SESSION_SECONDS.contains(&seconds) {
        return Err(bad(
            "a console session lasts 900 to 43200 seconds",
            "pass a value in that range, or leave it out to keep the credentials' duration",
        ));
    }
    if chained {
        return Err(bad(
            "the last role is reached by role chaining (its hop uses the previous role's session), and the federation endpoint refuses SessionDuration for chained role sessions (HTTP 400 \"Invalid credentials parameter\")",
            "leave --session-duration out (the console session then lasts as long as the chained credentials, at most one hour), or assume the role in one hop from long-term user keys",
        ));
    }
    Ok(())
}

/// The federation endpoint and the console's home for a region: each
/// partition has its own (aws, aws-cn, aws-us-gov).
pub fn endpoints(region: &str, endpoint_url: Option<&str>) -> (String, String) {
    let (signin, console) = if region.starts_with("cn-") {
        (
            "https://signin.amazonaws.cn",
            "https://console.amazonaws.cn",
        )
    } else if region.starts_with("us-gov-") {
        (
            "https://signin.amazonaws-us-gov.com",
            "https://console.amazonaws-us-gov.com",
        )
    } else {
        (
            "https://signin.aws.amazon.com",
            "https://console.aws.amazon.com",
        )
    };
    let signin = endpoint_url.map_or(signin, |u| u.trim_end_matches('/'));
    (
        format!("{signin}/federation"),
        format!("{console}/console/home?region={region}"),
    )
}

/// The sign-in URL for `creds` (a role or federated session).
pub async fn signin_url(
    creds: &Credentials,
    request: &ConsoleRequest,
    timeout: Duration,
) -> Result<Secret, ConsoleError> {
    let session = serde_json::json!({
        "sessionId": creds.access_key_id,
        "sessionKey": creds.secret_access_key.expose(),
        "sessionToken": creds.session_token.as_ref().map(Secret::expose).unwrap_or_default(),
    })
    .to_string();
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("Action", "getSigninToken");
    if let Some(seconds) = request.session_duration {
        query.append_pair("SessionDuration", &seconds.to_string());
    }
    query.append_pair("Session", &session);
    let url = Secret::new(format!("{}?{}", request.federation_url, query.finish()));
    let (status, body) = tokio::time::timeout(timeout, get(url.expose(), &[]))
        .await
        .map_err(|_| ConsoleError {
            status: None,
            message: format!(
                "the federation endpoint {} did not answer within {} seconds",
                request.federation_url,
                timeout.as_secs()
            ),
        })??;
    if status != 200 {
        return Err(ConsoleError {
            status: Some(status),
            message: error_title(&body),
        });
    }
    let token = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("SigninToken")?.as_str().map(str::to_owned))
        .ok_or_else(|| ConsoleError {
            status: Some(status),
            message: "the federation endpoint answered 200 without a SigninToken".to_owned(),
        })?;
    let mut login = form_urlencoded::Serializer::new(String::new());
    login
        .append_pair("Action", "login")
        .append_pair("Issuer", &request.issuer)
        .append_pair("Destination", &request.destination)
        .append_pair("SigninToken", &token);
    Ok(Secret::new(format!(
        "{}?{}",
        request.federation_url,
        login.finish()
    )))
}

/// One GET with `headers`; the status and the body as text.
pub(super) async fn get(
    url: &str,
    headers: &[(&str, &str)],
) -> Result<(u16, String), ConsoleError> {
    let unreachable = |e: String| ConsoleError {
        status: None,
        message: format!("the federation endpoint could not be reached: {e}"),
    };
    let uri: hyper::Uri = url
        .parse()
        .map_err(|_| unreachable("the federation URL does not parse".to_owned()))?;
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(rustls::crypto::ring::default_provider())
        .map_err(|e| unreachable(format!("no trusted root certificates: {e}")))?
        .https_or_http()
        .enable_http1()
        .build();
    let client = Client::builder(TokioExecutor::new()).build::<_, Empty<Bytes>>(https);
    // The error of a failed request names the URL, which holds the
    // session's secrets: only its kind is kept.
    let mut request = hyper::Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(Empty::<Bytes>::new())
        .map_err(|_| unreachable("a header does not fit an HTTP request".to_owned()))?;
    let response = client.request(request).await.map_err(|e| {
        unreachable(if e.is_connect() {
            "the connection failed".to_owned()
        } else {
            "the request failed".to_owned()
        })
    })?;
    let status = response.status().as_u16();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|_| unreachable("the answer was cut off".to_owned()))?
        .to_bytes();
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// The message of the endpoint's HTML error page (its `<title>`, without
/// the "HTTP Status NNN - " prefix), or the start of the body.
fn error_title(body: &str) -> String {
    let title = body
        .split_once("<title>")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map(|(t, _)| t.trim());
    match title {
        Some(t) => t
            .split_once(" - ")
            .map_or(t, |(_, message)| message)
            .to_owned(),
        // Anything else is not the federation endpoint's page, and may echo
        // the request (whose Session parameter holds the secrets).
        None => format!(
            "an answer that is not the federation endpoint's error page ({} bytes, not shown)",
            body.len()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_partition_has_its_endpoints() {
        let (fed, home) = endpoints("eu-west-1", None);
        assert_eq!(fed, "https://signin.aws.amazon.com/federation");
        assert_eq!(
            home,
            "https://console.aws.amazon.com/console/home?region=eu-west-1"
        );
        assert!(endpoints("cn-north-1", None).0.contains("amazonaws.cn"));
        assert!(
            endpoints("us-gov-west-1", None)
                .0
                .contains("amazonaws-us-gov.com")
        );
        let (local, _) = endpoints("us-east-1", Some("http://127.0.0.1:4580/"));
        assert_eq!(local, "http://127.0.0.1:4580/federation");
    }

    #[test]
    fn the_refusal_page_gives_its_message() {
        let page = "<html><head><title>HTTP Status 400 - Invalid credentials parameter</title></head></html>";
        assert_eq!(error_title(page), "Invalid credentials parameter");
    }
}
