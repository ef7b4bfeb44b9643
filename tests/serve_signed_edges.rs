//! Signed requests at the edges of what the endpoint speaks, through its
//! handler. A signed streaming upload (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`,
//! as SDKs that sign each chunk send it) is accepted whole when every chunk
//! signature chains from the request's, and refused with
//! `SignatureDoesNotMatch` when one byte of a chunk changes or a chunk is
//! unsigned (the algorithm itself is pinned to AWS's published example in
//! `chunk_signatures`). A request signed for a service it does not speak
//! gets that protocol's error shape, naming the service.

use std::sync::Arc;

use xacct::clock::{Clock, SystemClock};
use xacct::serve::sigv4::{sha256_hex, signature, signing_key};
use xacct::serve::{Endpoint, Incoming, handle};
use xacct::sim::{self, Starter};

use crate::signing::{Signer, sign_request};

const WORLD: &str = r#"
name: streaming
clock: "2026-01-01T00:00:00Z"
accounts:
  "111111111111":
    users:
      ops:
        policies:
          p: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "s3:*", Resource: "*" } ] }
    buckets: [home]
runs:
  - as: arn:aws:iam::111111111111:user/ops
"#;

/// A signed streaming PUT of `chunks`, with `tamper` applied to the body
/// once every signature is computed.
fn upload(key: &str, secret: &str, chunks: &[&[u8]], tamper: impl Fn(&mut Vec<u8>)) -> Incoming {
    let size: usize = chunks.iter().map(|c| c.len()).sum();
    let mut request = http::Request::builder()
        .method("PUT")
        .uri("http://127.0.0.1:4580/home/streamed.txt")
        .header("host", "127.0.0.1:4580")
        .header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
        .header("content-encoding", "aws-chunked")
        .header("x-amz-decoded-content-length", size)
        .body(Vec::new())
        .expect("request");
    let at = SystemClock.now();
    let signer = Signer {
        key,
        secret,
        token: None,
        region: "us-east-1",
        service: "s3",
        at,
    };
    sign_request(&mut request, &signer);
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let amz_date = header("x-amz-date");
    let seed = header("authorization")
        .rsplit("Signature=")
        .next()
        .unwrap_or_default()
        .to_owned();
    let date = &amz_date[..8];
    let scope = format!("{date}/us-east-1/s3/aws4_request");
    let signing = signing_key(secret, date, "us-east-1", "s3");
    let mut previous = seed;
    let mut body = Vec::new();
    for data in chunks.iter().copied().chain([&b""[..]]) {
        let to_sign = format!(
            "AWS4-HMAC-SHA256-PAYLOAD\n{amz_date}\n{scope}\n{previous}\n{}\n{}",
            sha256_hex(b""),
            sha256_hex(data)
        );
        previous = signature(&signing, &to_sign);
        body.extend_from_slice(
            format!("{:x};chunk-signature={previous}\r\n", data.len()).as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    tamper(&mut body);
    let headers = request
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.as_bytes().to_vec()))
        .collect();
    Incoming::new(
        "PUT".to_owned(),
        "/home/streamed.txt".to_owned(),
        String::new(),
        headers,
        body,
    )
}

/// The world's endpoint on the real clock, and ops's keys.
fn ops_endpoint() -> (Endpoint, xacct::cloud::Credentials) {
    let loaded = sim::build(
        sim::parse(WORLD, "streaming.yaml").expect("parses"),
        "streaming.yaml",
    )
    .expect("builds");
    let world = Arc::new(
        loaded
            .world
            .with_clock(Arc::new(SystemClock))
            .expect("world"),
    );
    let endpoint = Endpoint::new(world);
    let creds = sim::credentials_for(
        &loaded,
        &Starter {
            arn: "arn:aws:iam::111111111111:user/ops",
            ..Default::default()
        },
    )
    .expect("creds");
    (endpoint, creds)
}

#[test]
fn every_chunk_signature_is_checked() {
    let (endpoint, creds) = ops_endpoint();
    let (key, secret) = (
        creds.access_key_id.as_str(),
        creds.secret_access_key.expose(),
    );
    let chunks: [&[u8]; 2] = [b"hello, ", b"streaming world"];
    let (ok, line) = handle(&endpoint, &upload(key, secret, &chunks, |_| {}));
    assert_eq!(ok.status, 200, "{line:?}");
    let (altered, line) = handle(
        &endpoint,
        &upload(key, secret, &chunks, |body| {
            if let Some(at) = body.windows(5).position(|w| w == b"hello") {
                body[at] = b'j';
            }
        }),
    );
    assert_eq!(
        (altered.status, line.outcome.as_str()),
        (403, "SignatureDoesNotMatch")
    );
    assert!(
        line.reason.is_some_and(|r| r.contains("chunk 1")),
        "the log says which chunk"
    );
    let (unsigned, line) = handle(
        &endpoint,
        &upload(key, secret, &chunks, |body| {
            let text = String::from_utf8_lossy(body).into_owned();
            let cut = text
                .split("\r\n")
                .map(|l| l.split(";chunk-signature=").next().unwrap_or(l).to_owned())
                .collect::<Vec<_>>()
                .join("\r\n");
            *body = cut.into_bytes();
        }),
    );
    assert_eq!(
        (unsigned.status, line.outcome.as_str()),
        (403, "SignatureDoesNotMatch")
    );
}

/// A request signed for a service the endpoint does not speak is answered
/// in that protocol's error shape, naming the service, and logged so.
#[test]
fn a_service_it_does_not_speak_gets_a_clear_error_in_its_own_shape() {
    let (endpoint, creds) = ops_endpoint();
    let signer = Signer {
        key: &creds.access_key_id,
        secret: creds.secret_access_key.expose(),
        token: None,
        region: "us-east-1",
        service: "ec2",
        at: SystemClock.now(),
    };
    let mut request = http::Request::builder()
        .method("POST")
        .uri("http://127.0.0.1:4580/")
        .header("host", "127.0.0.1:4580")
        .header(
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        )
        .body(b"Action=DescribeInstances&Version=2016-11-15".to_vec())
        .expect("request");
    sign_request(&mut request, &signer);
    let headers = request
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.as_bytes().to_vec()))
        .collect();
    let incoming = Incoming::new(
        "POST".to_owned(),
        "/".to_owned(),
        String::new(),
        headers,
        request.body().clone(),
    );
    let (out, line) = handle(&endpoint, &incoming);
    assert_eq!(out.status, 501);
    assert!(
        out.body
            .contains("<Response><Errors><Error><Code>NotImplemented</Code>")
            && out.body.contains("does not speak ec2"),
        "{}",
        out.body
    );
    assert_eq!(
        (line.operation.as_str(), line.outcome.as_str()),
        ("ec2:DescribeInstances", "NotImplemented")
    );
}
