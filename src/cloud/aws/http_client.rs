//! The HTTP client every call goes through, the credential providers'
//! included. For an `http://` endpoint (a local emulator) the endpoint's
//! calls go out as plain HTTP and no TLS is set up at start-up; a call
//! that still goes to an `https://` address (an SSO portal, GitHub's token
//! endpoint, AWS's STS for a provider the endpoint does not reach) gets
//! rustls, built the first time one is made.

use std::sync::{Arc, OnceLock};

use aws_smithy_http_client::tls;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;

/// rustls with ring and the system's trusted roots. The roots are read
/// when the first connector is built, not here.
fn with_tls() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https()
}

/// The client for calls to `endpoint_url` (or to AWS when there is none).
pub(super) fn http_client(endpoint_url: Option<&str>) -> SharedHttpClient {
    if endpoint_url.is_some_and(|url| url.starts_with("http://")) {
        SharedHttpClient::new(ByScheme {
            plain: aws_smithy_http_client::Builder::new().build_http(),
            tls: with_tls(),
        })
    } else {
        with_tls()
    }
}

/// Plain HTTP for `http://` addresses, TLS for the others.
#[derive(Debug)]
struct ByScheme {
    plain: SharedHttpClient,
    tls: SharedHttpClient,
}

impl HttpClient for ByScheme {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(SchemeConnector {
            plain: self.plain.http_connector(settings, components),
            tls: Arc::new(LazyTls {
                client: self.tls.clone(),
                settings: settings.clone(),
                components: components.clone(),
                connector: OnceLock::new(),
            }),
        })
    }
}

/// The TLS connector for one set of settings, built on first use.
#[derive(Debug)]
struct LazyTls {
    client: SharedHttpClient,
    settings: HttpConnectorSettings,
    components: RuntimeComponents,
    connector: OnceLock<SharedHttpConnector>,
}

#[derive(Debug)]
struct SchemeConnector {
    plain: SharedHttpConnector,
    tls: Arc<LazyTls>,
}

impl HttpConnector for SchemeConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        if request.uri().starts_with("http://") {
            self.plain.call(request)
        } else {
            let tls = &self.tls;
            tls.connector
                .get_or_init(|| tls.client.http_connector(&tls.settings, &tls.components))
                .call(request)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;

    fn call(client: &SharedHttpClient, uri: &str) -> String {
        let components = RuntimeComponentsBuilder::for_tests()
            .with_time_source(Some(aws_smithy_async::time::SystemTimeSource::new()))
            .with_sleep_impl(Some(aws_smithy_async::rt::sleep::TokioSleep::new()))
            .build()
            .expect("test components");
        let connector = client.http_connector(&HttpConnectorSettings::default(), &components);
        let request = HttpRequest::get(uri).expect("a request");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        match runtime.block_on(connector.call(request)) {
            Ok(response) => format!("status {}", response.status().as_u16()),
            Err(e) => format!("{e:?}"),
        }
    }

    /// Over an `http://` endpoint, an `https://` call is made with TLS (it
    /// fails to connect to a closed port, not on its scheme), where a
    /// plain-HTTP-only client refuses it outright.
    #[test]
    fn an_https_call_gets_tls_beside_a_plain_endpoint() {
        let client = http_client(Some("http://127.0.0.1:9"));
        let answer = call(&client, "https://127.0.0.1:9/");
        assert!(!answer.contains("scheme is not http"), "{answer}");
        let plain_only = aws_smithy_http_client::Builder::new().build_http();
        let refused = call(&plain_only, "https://127.0.0.1:9/");
        assert!(refused.contains("scheme is not http"), "{refused}");
    }
}
