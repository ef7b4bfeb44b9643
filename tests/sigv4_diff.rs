//! SigV4 verification against an independent signer: requests signed by
//! aws-sigv4 (the AWS SDK for Rust's own signer) with random methods, query
//! strings, headers, bodies and services must verify, and any change to a
//! signed part must not.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use xacct::serve::{Endpoint, Incoming, verify};
use xacct::sim;
use xacct::sim::Service;

use crate::signing::{Signer, sign_request};

fn endpoint() -> (Endpoint, String, String, SystemTime) {
    let text = r#"
name: sig
clock: "2026-01-01T00:00:00Z"
accounts:
  "111111111111":
    users:
      alice: { access_key: { id: AKIAALICEEXAMPLE0001, secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" } }
runs:
  - { as: "arn:aws:iam::111111111111:user/alice", role_arn: "arn:aws:iam::111111111111:role/r", role_arn_is: missing }
"#;
    let loaded =
        sim::build(sim::parse(text, "sig.yaml").expect("parses"), "sig.yaml").expect("builds");
    let start = loaded.start;
    (
        Endpoint::new(Arc::clone(&loaded.world)),
        "AKIAALICEEXAMPLE0001".into(),
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
        start,
    )
}

#[expect(
    clippy::too_many_arguments,
    reason = "a test helper taking each input the signer takes"
)]
fn signed(
    method: &str,
    query: &str,
    extra: &[(String, String)],
    body: &[u8],
    service: &str,
    at: SystemTime,
    key: &str,
    secret: &str,
) -> Incoming {
    let uri = if query.is_empty() {
        "http://127.0.0.1:4580/".to_owned()
    } else {
        format!("http://127.0.0.1:4580/?{query}")
    };
    let mut builder = http::Request::builder()
        .method(method)
        .uri(&uri)
        .header("host", "127.0.0.1:4580");
    for (k, v) in extra {
        builder = builder.header(k.as_str(), v.as_str());
    }
    let mut request = builder.body(body.to_vec()).expect("request");
    sign_request(
        &mut request,
        &Signer {
            key,
            secret,
            token: None,
            region: "us-east-1",
            service,
            at,
        },
    );
    let parsed: http::Uri = request.uri().clone();
    Incoming::new(
        method.to_owned(),
        parsed.path().to_owned(),
        parsed.query().unwrap_or_default().to_owned(),
        request
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.as_bytes().to_vec()))
            .collect(),
        body.to_vec(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn requests_signed_by_the_sdk_signer_verify(
        method in prop::sample::select(vec!["GET", "POST"]),
        query in prop::collection::vec(("[a-zA-Z0-9_.~-]{1,8}", "[ -~]{0,10}"), 0..4),
        extra in prop::collection::vec(("x-amz-meta-[a-z]{1,6}", "[!-~]{1,8}( [!-~]{1,8})?"), 0..3),
        body in prop::collection::vec(any::<u8>(), 0..64),
        s3 in any::<bool>(),
        skew in 0u64..800,
    ) {
        let (endpoint, key, secret, now) = endpoint();
        let query: String = query
            .iter()
            .map(|(k, v)| format!("{}={}", k, percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)))
            .collect::<Vec<_>>()
            .join("&");
        let service = if s3 { "s3" } else { "sts" };
        let body = if s3 { Vec::new() } else { body };
        let at = now - Duration::from_secs(skew);
        let req = signed(method, &query, &extra, &body, service, at, &key, &secret);
        let svc = if s3 { Service::S3 } else { Service::Sts };
        prop_assert!(verify(&endpoint, &req, svc).is_ok(), "{:?}", verify(&endpoint, &req, svc));

        // Any change to a signed part breaks it.
        let mut tampered = req.clone();
        tampered.query = format!("{}{}x=1", tampered.query, if tampered.query.is_empty() { "" } else { "&" });
        prop_assert!(verify(&endpoint, &tampered, svc).is_err());
        if !s3 {
            let mut body_changed = req.clone();
            let mut changed = body_changed.body.to_vec();
            changed.push(b'!');
            body_changed.body = changed.into();
            prop_assert_eq!(verify(&endpoint, &body_changed, svc).map(|_| ()).map_err(|e| e.error.code), Err("SignatureDoesNotMatch".to_owned()));
        }
        let mut wrong_secret = req.clone();
        let other = signed(method, &query, &extra, &body, service, at, &key, "another-secret-entirely-0000000000000000");
        wrong_secret.headers = other.headers;
        prop_assert_eq!(verify(&endpoint, &wrong_secret, svc).map(|_| ()).map_err(|e| e.error.code), Err("SignatureDoesNotMatch".to_owned()));
    }
}
