//! The SDK-backed client over real HTTP (wiremock on loopback) with AWS's
//! own XML bodies from `mocks/`.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};
use xacct::cloud::{ErrorClass, MfaToken, Operation, S3};
use xacct::flow;

use crate::support::*;

#[tokio::test]
async fn whole_flow_switches_to_the_assumed_credentials() {
    let server = MockServer::start().await;
    mount_identity_and_listings(&server).await;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(FormHas(vec![
            ("Action", "AssumeRole".to_owned()),
            ("Version", "2011-06-15".to_owned()),
            ("RoleArn", ROLE_ARN.to_owned()),
            ("RoleSessionName", SESSION.to_owned()),
        ]))
        .and(FormLacks("DurationSeconds"))
        .and(FormLacks("ExternalId"))
        .and(FormLacks("SerialNumber"))
        .and(FormLacks("TokenCode"))
        .and(SignedWith(BASE_KEY_ID))
        .respond_with(sts(200, STS_ASSUME_OK))
        .expect(1)
        .mount(&server)
        .await;

    let report = flow::run(
        &cloud(&server).await,
        &flow::Start::Keys(base_credentials()),
        &request(),
    )
    .await;

    assert!(report.first_error().is_none(), "{:?}", report.errors());
    let identity = report
        .source_identity
        .as_ref()
        .and_then(|i| i.as_ref().ok());
    assert_eq!(
        identity.map(|i| i.arn.as_str()),
        Some("arn:aws:iam::111111111111:user/homes")
    );
    let names = |r: &Result<Vec<xacct::cloud::Bucket>, _>| {
        r.as_ref()
            .map(|b| b.iter().map(|b| b.name.clone()).collect::<Vec<_>>())
            .ok()
    };
    assert_eq!(
        names(report.source_buckets.as_ref().expect("a listing")),
        Some(vec!["account-a-bucket".to_owned()])
    );
    let assumed = report.assumed();
    assert_eq!(assumed.map(|a| a.arn.as_str()), Some(ASSUMED_ARN));
    assert_eq!(
        assumed.map(|a| a.assumed_role_id.as_str()),
        Some("AROAEXAMPLES3VIEWER01:homess3viewersession")
    );
    assert_eq!(
        assumed.map(|a| a.credentials.access_key_id.as_str()),
        Some(TEMP_KEY_ID)
    );
    assert_eq!(
        report.target_buckets.as_ref().and_then(names),
        Some(vec!["account-b-bucket".to_owned()]),
        "the second listing must be signed with the ASIA key and carry the session token"
    );
}

#[tokio::test]
async fn optional_parameters_reach_the_form_body() {
    let server = MockServer::start().await;
    mount_identity_and_listings(&server).await;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(FormHas(vec![
            ("Action", "AssumeRole".to_owned()),
            ("Version", "2011-06-15".to_owned()),
            ("RoleArn", ROLE_ARN.to_owned()),
            ("RoleSessionName", SESSION.to_owned()),
            ("DurationSeconds", "1800".to_owned()),
            ("ExternalId", "partner-7f3a".to_owned()),
            (
                "SerialNumber",
                "arn:aws:iam::111111111111:mfa/homes".to_owned(),
            ),
            ("TokenCode", "123456".to_owned()),
            (
                "Policy",
                r#"{"Version":"2012-10-17","Statement":[]}"#.to_owned(),
            ),
        ]))
        .respond_with(sts(200, STS_ASSUME_OK))
        .expect(1)
        .mount(&server)
        .await;
    let mut request = request();
    request.duration_seconds = Some(1800);
    request.external_id = Some("partner-7f3a".to_owned());
    request.mfa = Some(MfaToken {
        serial: "arn:aws:iam::111111111111:mfa/homes".to_owned(),
        code: "123456".to_owned(),
    });
    request.session_policy = Some(r#"{"Version":"2012-10-17","Statement":[]}"#.to_owned());

    let report = flow::run(
        &cloud(&server).await,
        &flow::Start::Keys(base_credentials()),
        &request,
    )
    .await;

    assert!(report.assumed().is_some(), "{:?}", report.assume_role);
}

async fn assume_failure(status: u16, body: &str) -> xacct::cloud::CloudError {
    let server = MockServer::start().await;
    mount_assume_failure(&server, status, body).await;
    let report = flow::run(
        &cloud(&server).await,
        &flow::Start::Keys(base_credentials()),
        &request(),
    )
    .await;
    assert!(
        report.target_buckets.is_none(),
        "the flow must stop when AssumeRole fails"
    );
    assert!(
        report.source_buckets.as_ref().is_some_and(Result::is_ok),
        "the source listing is independent of AssumeRole"
    );
    match report.assume_role {
        Some(Err(err)) => err,
        other => panic!("AssumeRole unexpectedly succeeded: {other:?}"),
    }
}

#[tokio::test]
async fn access_denied_keeps_aws_code_message_status_and_request_id() {
    let err = assume_failure(403, STS_DENIED).await;
    assert_eq!(err.operation, Operation::AssumeRole);
    assert_eq!(err.class, ErrorClass::Denied);
    assert_eq!(err.code.as_deref(), Some("AccessDenied"));
    assert_eq!(
        err.message,
        "User: arn:aws:iam::111111111111:user/homes is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/s3-viewer"
    );
    assert_eq!(err.status, Some(403));
    assert_eq!(
        err.request_id.as_deref(),
        Some("a1b2c3d4-0001-4000-8000-000000000001")
    );
}

#[tokio::test]
async fn federated_user_refusal_is_a_denial() {
    let err = assume_failure(403, STS_DENIED_FEDERATED).await;
    assert_eq!(err.class, ErrorClass::Denied);
    assert_eq!(err.message, "Roles may not be assumed by federated users");
}

#[tokio::test]
async fn root_refusal_is_a_denial() {
    let err = assume_failure(403, STS_DENIED_ROOT).await;
    assert_eq!(err.class, ErrorClass::Denied);
    assert_eq!(err.message, "Roles may not be assumed by root accounts.");
}

#[tokio::test]
async fn expired_token_is_a_credentials_error() {
    let err = assume_failure(403, STS_EXPIRED).await;
    assert_eq!(err.class, ErrorClass::BadCredentials);
    assert_eq!(err.code.as_deref(), Some("ExpiredToken"));
    assert_eq!(err.status, Some(403));
    assert_eq!(
        err.message,
        "The security token included in the request is expired"
    );
}

#[tokio::test]
async fn chaining_limit_is_invalid_input() {
    let err = assume_failure(400, STS_VALIDATION_CHAINING).await;
    assert_eq!(err.class, ErrorClass::InvalidInput);
    assert_eq!(err.code.as_deref(), Some("ValidationError"));
}

#[tokio::test]
async fn throttling_twice_then_success_is_survived_with_three_requests() {
    let server = MockServer::start().await;
    mount_identity_and_listings(&server).await;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(action("AssumeRole"))
        .respond_with(sts(400, STS_THROTTLING))
        .up_to_n_times(2)
        .with_priority(1)
        .expect(2)
        .named("AssumeRole throttled")
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(action("AssumeRole"))
        .respond_with(sts(200, STS_ASSUME_OK))
        .with_priority(2)
        .expect(1)
        .named("AssumeRole after throttling")
        .mount(&server)
        .await;

    let report = flow::run(
        &cloud(&server).await,
        &flow::Start::Keys(base_credentials()),
        &request(),
    )
    .await;

    assert!(report.first_error().is_none(), "{:?}", report.errors());
    let requests = server.received_requests().await.unwrap_or_default();
    let assume_calls = requests
        .iter()
        .filter(|r| String::from_utf8_lossy(&r.body).contains("Action=AssumeRole"))
        .count();
    assert_eq!(assume_calls, 3);
}

#[tokio::test]
async fn persistent_throttling_is_unavailable_after_the_retries() {
    let err = assume_failure(400, STS_THROTTLING).await;
    assert_eq!(err.class, ErrorClass::Unavailable);
    assert_eq!(err.code.as_deref(), Some("Throttling"));
    assert_eq!(err.message, "Rate exceeded");
}

#[tokio::test]
async fn s3_access_denied_on_the_source_listing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/"))
        .respond_with(s3(403, S3_DENIED))
        .mount(&server)
        .await;
    let err = cloud(&server)
        .await
        .list_buckets(&base_credentials())
        .await
        .err();
    let err = err.unwrap_or_else(|| panic!("ListBuckets must fail"));
    assert_eq!(err.operation, Operation::ListBuckets);
    assert_eq!(err.class, ErrorClass::Denied);
    assert_eq!(err.code.as_deref(), Some("AccessDenied"));
    assert_eq!(err.message, "Access Denied");
    assert_eq!(err.status, Some(403));
    assert_eq!(err.request_id.as_deref(), Some("8D7F2B1C3E4A5B6C"));
}

#[tokio::test]
async fn listing_follows_continuation_tokens() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/"))
        .and(wiremock::matchers::query_param(
            "continuation-token",
            "page-2-token",
        ))
        .respond_with(s3(200, S3_PAGE_2))
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/"))
        .respond_with(s3(200, S3_PAGE_1))
        .with_priority(2)
        .expect(1)
        .mount(&server)
        .await;
    let buckets = cloud(&server).await.list_buckets(&base_credentials()).await;
    let names: Vec<String> = buckets
        .unwrap_or_default()
        .into_iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(names, ["alpha-bucket", "beta-bucket", "gamma-bucket"]);
}

#[tokio::test]
async fn an_unreachable_endpoint_is_unavailable() {
    // Bind a port, then free it: nothing listens there any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(9);
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .load()
        .await;
    let cloud = xacct::cloud::aws::AwsCloud::from_config(&config);
    let err = cloud.list_buckets(&base_credentials()).await.err();
    assert_eq!(err.map(|e| e.class), Some(ErrorClass::Unavailable));
}
