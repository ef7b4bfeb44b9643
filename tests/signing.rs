//! Requests signed by aws-sigv4, the AWS SDK for Rust's own signer, so
//! tests and benchmarks talk to the endpoint as a real client would. Shared
//! by the test binary and `benches/serve.rs` (through `#[path]`).

#![allow(dead_code, reason = "each user takes the helpers it needs")]

use std::time::SystemTime;

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;

/// Who signs, where, and when.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Signer<'a> {
    /// The access key id.
    pub key: &'a str,
    /// The secret access key.
    pub secret: &'a str,
    /// The session token of temporary credentials.
    pub token: Option<&'a str>,
    /// The region of the scope.
    pub region: &'a str,
    /// `sts` or `s3`.
    pub service: &'a str,
    /// The signing time.
    pub at: SystemTime,
}

/// Signs `request` in place (adds `authorization`, `x-amz-date` and, with a
/// token, `x-amz-security-token`). S3 requests get `x-amz-content-sha256`
/// first, as the SDK sends it.
pub(crate) fn sign_request(request: &mut http::Request<Vec<u8>>, signer: &Signer<'_>) {
    if signer.service == "s3" && !request.headers().contains_key("x-amz-content-sha256") {
        let digest = xacct::serve::sigv4::sha256_hex(request.body());
        request.headers_mut().insert(
            "x-amz-content-sha256",
            http::HeaderValue::from_str(&digest).expect("hex is a header value"),
        );
    }
    let identity = aws_credential_types::Credentials::new(
        signer.key,
        signer.secret,
        signer.token.map(str::to_owned),
        None,
        "test",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(signer.region)
        .name(signer.service)
        .time(signer.at)
        .settings(SigningSettings::default())
        .build()
        .expect("signing parameters")
        .into();
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                v.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let uri = request.uri().to_string();
    let method = request.method().as_str().to_owned();
    let body = request.body().clone();
    // A declared payload hash is signed as declared, as S3 clients do.
    let declared = request
        .headers()
        .get("x-amz-content-sha256")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let payload = match &declared {
        Some(value) => SignableBody::Precomputed(value.clone()),
        None => SignableBody::Bytes(&body),
    };
    let signable = SignableRequest::new(
        &method,
        uri,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        payload,
    )
    .expect("signable");
    let (instructions, _) = sign(signable, &params).expect("signs").into_parts();
    instructions.apply_to_request_http1x(request);
}

/// A signed STS query-protocol POST of `form` (`Action=...&Version=...`).
pub(crate) fn sts_post(host: &str, form: &str, signer: &Signer<'_>) -> http::Request<Vec<u8>> {
    let mut request = http::Request::builder()
        .method("POST")
        .uri(format!("http://{host}/"))
        .header("host", host)
        .header(
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        )
        .body(form.as_bytes().to_vec())
        .expect("request");
    sign_request(&mut request, signer);
    request
}

/// The request as HTTP/1.1 bytes, with `Content-Length` and the given
/// `Connection` header.
pub(crate) fn raw(request: &http::Request<Vec<u8>>, connection: &str) -> Vec<u8> {
    let target = request
        .uri()
        .path_and_query()
        .map_or("/".to_owned(), |p| p.as_str().to_owned());
    let mut out = format!("{} {target} HTTP/1.1\r\n", request.method()).into_bytes();
    for (name, value) in request.headers() {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(
        format!(
            "content-length: {}\r\nconnection: {connection}\r\n\r\n",
            request.body().len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(request.body());
    out
}

/// An http request as the endpoint sees it.
pub(crate) fn incoming(request: &http::Request<Vec<u8>>) -> xacct::serve::Incoming {
    xacct::serve::Incoming::new(
        request.method().as_str().to_owned(),
        request.uri().path().to_owned(),
        request.uri().query().unwrap_or_default().to_owned(),
        request
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.as_bytes().to_vec()))
            .collect(),
        request.body().clone(),
    )
}
