//! Secrets (secret keys, session tokens) never reach output, logs or Debug.

use std::time::{Duration, SystemTime};

use wiremock::MockServer;
use xacct::{flow, render};

use crate::support::*;

fn assert_no_secret(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows a secret: {text}");
    }
}

#[tokio::test]
async fn no_secret_in_debug_or_reports() {
    let server = MockServer::start().await;
    mount_success(&server).await;

    let report = flow::run(
        &cloud(&server).await,
        &flow::Start::Keys(base_credentials()),
        &request(),
    )
    .await;
    assert!(report.first_error().is_none(), "{:?}", report.errors());
    let assumed = report.assumed().expect("assumed");
    assert_eq!(
        assumed
            .credentials
            .session_token
            .as_ref()
            .map(|t| t.expose()),
        Some(TEMP_TOKEN)
    );

    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_893_456_000);
    assert_no_secret("the report's Debug", &format!("{report:?} {report:#?}"));
    assert_no_secret("the text report", &render::text::report(&report, now));
    assert_no_secret("the JSON report", &render::json::report(&report, now));
}

#[test]
fn credentials_debug_is_redacted() {
    let creds = base_credentials();
    let shown = format!("{creds:?}");
    assert!(
        shown.contains(BASE_KEY_ID),
        "the key id is not secret and helps debugging"
    );
    assert_no_secret("Credentials Debug", &shown);
}

#[test]
fn a_request_s_debug_shows_no_token_signature_or_body() {
    let req = xacct::serve::Incoming::new(
        "POST".to_owned(),
        "/".to_owned(),
        "WebIdentityToken=eyJqueryTokenSecret".to_owned(),
        vec![
            (
                "authorization".to_owned(),
                b"AWS4-HMAC-SHA256 Credential=AKID/x, Signature=abcdef0123".to_vec(),
            ),
            (
                "x-amz-security-token".to_owned(),
                b"FwoGZXIvYXdzSessionTokenSecret".to_vec(),
            ),
        ],
        b"Action=AssumeRoleWithWebIdentity&WebIdentityToken=eyJbodyTokenSecret".to_vec(),
    );
    let shown = format!("{req:?} {req:#?}");
    for secret in [
        "eyJqueryTokenSecret",
        "abcdef0123",
        "FwoGZXIvYXdzSessionTokenSecret",
        "eyJbodyTokenSecret",
    ] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("authorization") && shown.contains("POST"));
}
