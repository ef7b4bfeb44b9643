//! The OIDC token of a GitHub Actions job: `GET
//! $ACTIONS_ID_TOKEN_REQUEST_URL&audience=sts.amazonaws.com` with
//! `Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN` answers
//! `{"value": "<JWT>"}` (GitHub Docs, "Configuring OpenID Connect in cloud
//! providers", requesting the token by hand; the job needs `permissions:
//! id-token: write`). The call goes through the SDK's own HTTP client and
//! orchestrator, with its timeouts and standard retries.

use aws_smithy_runtime::client::orchestrator::operation::Operation;
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse, OrchestratorError};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::RetryConfig;
use aws_types::SdkConfig;

use crate::cloud::{CloudError, ErrorClass, Operation as Op};
use crate::secret::Secret;

/// The audience AWS's STS expects from GitHub (the default of
/// aws-actions/configure-aws-credentials).
pub(super) const AUDIENCE: &str = "sts.amazonaws.com";

/// Why the token could not be had.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct FetchError(String);

fn fail(message: String) -> CloudError {
    CloudError::local(
        Op::AssumeRoleWithWebIdentity,
        ErrorClass::BadCredentials,
        message,
    )
}

/// `https://host[:port]` and the rest (path and query) of a URL.
fn split_url(url: &str) -> Option<(&str, &str)> {
    let scheme_end = url.find("://")? + 3;
    let path_at = url[scheme_end..]
        .find('/')
        .map_or(url.len(), |i| scheme_end + i);
    let (origin, rest) = url.split_at(path_at);
    Some((origin, if rest.is_empty() { "/" } else { rest }))
}

/// Fetches the job's token from the environment GitHub Actions sets.
pub async fn github_actions_token(config: &SdkConfig) -> Result<Secret, CloudError> {
    let url = std::env::var("ACTIONS_ID_TOKEN_REQUEST_URL").map_err(|_| {
        fail("ACTIONS_ID_TOKEN_REQUEST_URL is not set: --github-actions works inside a GitHub Actions job whose workflow grants `permissions: id-token: write`; elsewhere pass --web-identity-token-file FILE".to_owned())
    })?;
    let bearer = std::env::var("ACTIONS_ID_TOKEN_REQUEST_TOKEN").map_err(|_| {
        fail("ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set; grant the job `permissions: id-token: write`".to_owned())
    })?;
    let Some((origin, path)) = split_url(&url) else {
        return Err(fail(format!(
            "ACTIONS_ID_TOKEN_REQUEST_URL `{url}` is not an http(s) URL"
        )));
    };
    let separator = if path.contains('?') { '&' } else { '?' };
    let path = format!("{path}{separator}audience={AUDIENCE}");
    let mut builder = Operation::builder()
        .service_name("GitHubActions")
        .operation_name("GetIdToken")
        .endpoint_url(origin)
        .no_auth();
    if let Some(http) = config.http_client() {
        builder = builder.http_client(http);
    }
    if let Some(timeouts) = config.timeout_config() {
        builder = builder.timeout_config(timeouts.clone());
    }
    builder = match config.sleep_impl() {
        Some(sleep) => builder
            .standard_retry(&RetryConfig::standard())
            .sleep_impl(sleep),
        None => builder.no_retry(),
    };
    if let Some(time) = config.time_source() {
        builder = builder.time_source(time);
    }
    let operation = builder
        .serializer(move |bearer: Secret| {
            let mut request = HttpRequest::new(SdkBody::empty());
            request.set_uri(path.clone())?;
            request
                .headers_mut()
                .insert("authorization", format!("bearer {}", bearer.expose()));
            request.headers_mut().insert("accept", "application/json");
            Ok(request)
        })
        .deserializer(parse)
        .build();
    operation.invoke(Secret::new(bearer)).await.map_err(|e| {
        fail(format!(
            "the GitHub Actions token could not be fetched from {origin}: {}",
            crate::cloud::error_chain(&e)
        ))
    })
}

fn parse(response: &HttpResponse) -> Result<Secret, OrchestratorError<FetchError>> {
    let status = response.status().as_u16();
    let body = response.body().bytes().unwrap_or_default();
    if !(200..300).contains(&status) {
        return Err(OrchestratorError::operation(FetchError(format!(
            "HTTP {status} (is `permissions: id-token: write` granted to the job?)"
        ))));
    }
    #[derive(serde::Deserialize)]
    struct Answer {
        value: String,
    }
    serde_json::from_slice::<Answer>(body)
        .map(|a| Secret::new(a.value))
        .map_err(|_| {
            OrchestratorError::operation(FetchError(
                "the answer is not JSON with a string `value`".to_owned(),
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::split_url;

    #[test]
    fn splits_origin_from_path_and_query() {
        assert_eq!(
            split_url("https://x.actions.githubusercontent.com/abc/idtoken?api-version=2.0"),
            Some((
                "https://x.actions.githubusercontent.com",
                "/abc/idtoken?api-version=2.0"
            ))
        );
        assert_eq!(
            split_url("http://127.0.0.1:9"),
            Some(("http://127.0.0.1:9", "/"))
        );
        assert_eq!(split_url("nope"), None);
    }
}
