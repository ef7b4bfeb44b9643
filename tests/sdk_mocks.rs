//! The SDK-backed implementation under aws-smithy-mocks: modelled outputs and
//! errors map to the product's types and classes; aws-smithy-http-client's
//! request capture shows which credentials sign each call.

use aws_sdk_s3::operation::list_buckets::ListBucketsOutput;
use aws_sdk_sts::operation::assume_role::{AssumeRoleError, AssumeRoleOutput};
use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput;
use aws_sdk_sts::types::error::{
    ExpiredTokenException, MalformedPolicyDocumentException, PackedPolicyTooLargeException,
    RegionDisabledException,
};
use aws_sdk_sts::types::{AssumedRoleUser, Credentials as StsCredentials};
use aws_smithy_mocks::{MockResponse, RuleMode, mock, mock_client};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::DateTime;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::error::ErrorMetadata;
use xacct::cloud::aws::AwsCloud;
use xacct::cloud::{CloudError, Credentials, ErrorClass, S3, Sts};

use crate::support::*;

fn unused_s3() -> aws_sdk_s3::Client {
    mock_client!(aws_sdk_s3, [])
}

fn unused_sts() -> aws_sdk_sts::Client {
    mock_client!(aws_sdk_sts, [])
}

fn assume_output() -> AssumeRoleOutput {
    let creds = StsCredentials::builder()
        .access_key_id(TEMP_KEY_ID)
        .secret_access_key(TEMP_SECRET)
        .session_token(TEMP_TOKEN)
        .expiration(DateTime::from_secs(1_893_459_600))
        .build()
        .expect("all required fields are set");
    let user = AssumedRoleUser::builder()
        .arn(ASSUMED_ARN)
        .assumed_role_id("AROAEXAMPLES3VIEWER01:homess3viewersession")
        .build()
        .expect("all required fields are set");
    AssumeRoleOutput::builder()
        .credentials(creds)
        .assumed_role_user(user)
        .packed_policy_size(6)
        .build()
}

#[tokio::test]
async fn assume_role_output_maps_to_product_types() {
    let rule = mock!(aws_sdk_sts::Client::assume_role)
        .match_requests(|req| {
            req.role_arn() == Some(ROLE_ARN)
                && req.role_session_name() == Some(SESSION)
                && req.external_id() == Some("ext-1234")
                && req.duration_seconds() == Some(900)
        })
        .then_output(assume_output);
    let cloud = AwsCloud::from_clients(mock_client!(aws_sdk_sts, [&rule]), unused_s3());
    let mut request = request();
    request.external_id = Some("ext-1234".to_owned());
    request.duration_seconds = Some(900);

    let assumed = cloud.assume_role(&base_credentials(), &request).await;

    let assumed = assumed.expect("the mock answers");
    assert_eq!(assumed.arn, ASSUMED_ARN);
    assert_eq!(
        assumed.assumed_role_id,
        "AROAEXAMPLES3VIEWER01:homess3viewersession"
    );
    assert_eq!(assumed.packed_policy_size, Some(6));
    assert_eq!(assumed.credentials.access_key_id, TEMP_KEY_ID);
    assert_eq!(assumed.credentials.secret_access_key.expose(), TEMP_SECRET);
    assert_eq!(
        assumed
            .credentials
            .session_token
            .as_ref()
            .map(|t| t.expose()),
        Some(TEMP_TOKEN)
    );
    let expiry = assumed.credentials.expiration.map(xacct::render::timestamp);
    assert_eq!(expiry.as_deref(), Some("2030-01-01T01:00:00Z"));
    assert_eq!(rule.num_calls(), 1);
}

async fn assume_error(error: fn() -> AssumeRoleError) -> CloudError {
    let rule = mock!(aws_sdk_sts::Client::assume_role).then_error(error);
    let cloud = AwsCloud::from_clients(mock_client!(aws_sdk_sts, [&rule]), unused_s3());
    cloud
        .assume_role(&base_credentials(), &request())
        .await
        .expect_err("the mock fails")
}

fn meta(code: &str, message: &str) -> ErrorMetadata {
    ErrorMetadata::builder().code(code).message(message).build()
}

#[tokio::test]
async fn modelled_errors_map_to_their_classes() {
    let expired = assume_error(|| {
        AssumeRoleError::ExpiredTokenException(
            ExpiredTokenException::builder()
                .message("The security token included in the request is expired")
                .meta(meta(
                    "ExpiredTokenException",
                    "The security token included in the request is expired",
                ))
                .build(),
        )
    })
    .await;
    assert_eq!(expired.class, ErrorClass::BadCredentials);
    assert_eq!(expired.code.as_deref(), Some("ExpiredTokenException"));
    assert_eq!(
        expired.message,
        "The security token included in the request is expired"
    );

    let region = assume_error(|| {
        let text = "STS is not activated in this region for account:111111111111. Your account administrator can activate STS in this region using the IAM Console.";
        AssumeRoleError::RegionDisabledException(
            RegionDisabledException::builder()
                .message(text)
                .meta(meta("RegionDisabledException", text))
                .build(),
        )
    })
    .await;
    assert_eq!(region.class, ErrorClass::Denied);
    assert_eq!(region.code.as_deref(), Some("RegionDisabledException"));
    assert!(
        region
            .message
            .starts_with("STS is not activated in this region")
    );

    let malformed = assume_error(|| {
        AssumeRoleError::MalformedPolicyDocumentException(
            MalformedPolicyDocumentException::builder()
                .meta(meta("MalformedPolicyDocument", "Syntax errors in policy."))
                .build(),
        )
    })
    .await;
    assert_eq!(malformed.class, ErrorClass::InvalidInput);
    assert_eq!(malformed.message, "Syntax errors in policy.");

    let packed = assume_error(|| {
        AssumeRoleError::PackedPolicyTooLargeException(
            PackedPolicyTooLargeException::builder()
                .meta(meta(
                    "PackedPolicyTooLarge",
                    "Packed policy consumes 112% of allotted space",
                ))
                .build(),
        )
    })
    .await;
    assert_eq!(packed.class, ErrorClass::InvalidInput);
    assert_eq!(packed.code.as_deref(), Some("PackedPolicyTooLarge"));
}

#[tokio::test]
async fn unmodelled_access_denied_is_parsed_from_the_wire_body() {
    let rule = mock!(aws_sdk_sts::Client::assume_role).then_http_response(|| {
        HttpResponse::new(
            StatusCode::try_from(403).expect("valid status"),
            SdkBody::from(STS_DENIED),
        )
    });
    let cloud = AwsCloud::from_clients(mock_client!(aws_sdk_sts, [&rule]), unused_s3());
    let err = cloud
        .assume_role(&base_credentials(), &request())
        .await
        .expect_err("denied");
    assert_eq!(err.class, ErrorClass::Denied);
    assert_eq!(err.code.as_deref(), Some("AccessDenied"));
    assert_eq!(err.status, Some(403));
    assert!(
        err.message
            .starts_with("User: arn:aws:iam::111111111111:user/homes is not authorized")
    );

    let generic = assume_error(|| {
        AssumeRoleError::generic(meta(
            "AccessDenied",
            "Not authorized to perform sts:AssumeRole",
        ))
    })
    .await;
    assert_eq!(generic.class, ErrorClass::Denied);
}

#[tokio::test]
async fn caller_identity_maps_every_field() {
    let rule = mock!(aws_sdk_sts::Client::get_caller_identity).then_output(|| {
        GetCallerIdentityOutput::builder()
            .account("111111111111")
            .arn("arn:aws:iam::111111111111:user/homes")
            .user_id("AIDAEXAMPLEHOMES00001")
            .build()
    });
    let cloud = AwsCloud::from_clients(mock_client!(aws_sdk_sts, [&rule]), unused_s3());
    let id = cloud
        .get_caller_identity(&base_credentials())
        .await
        .expect("the mock answers");
    assert_eq!(id.account, "111111111111");
    assert_eq!(id.arn, "arn:aws:iam::111111111111:user/homes");
    assert_eq!(id.user_id, "AIDAEXAMPLEHOMES00001");
}

#[tokio::test]
async fn list_buckets_follows_pages_and_keeps_creation_dates() {
    let bucket = |name: &str, secs: i64| {
        aws_sdk_s3::types::Bucket::builder()
            .name(name)
            .creation_date(DateTime::from_secs(secs))
            .build()
    };
    let first = mock!(aws_sdk_s3::Client::list_buckets)
        .match_requests(|req| req.continuation_token().is_none())
        .then_output(move || {
            ListBucketsOutput::builder()
                .buckets(bucket("one", 1_600_000_000))
                .continuation_token("t2")
                .build()
        });
    let second = mock!(aws_sdk_s3::Client::list_buckets)
        .match_requests(|req| req.continuation_token() == Some("t2"))
        .then_output(move || {
            ListBucketsOutput::builder()
                .buckets(bucket("two", 1_600_000_001))
                .build()
        });
    let s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, [&first, &second]);
    let cloud = AwsCloud::from_clients(unused_sts(), s3);
    let buckets = cloud
        .list_buckets(&base_credentials())
        .await
        .expect("the mock answers");
    let names: Vec<&str> = buckets.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["one", "two"]);
    assert_eq!(
        buckets[0].created.map(xacct::render::timestamp).as_deref(),
        Some("2020-09-13T12:26:40Z")
    );
}

#[tokio::test]
async fn a_repeated_continuation_token_stops_the_listing() {
    let rule = mock!(aws_sdk_s3::Client::list_buckets).then_output(|| {
        ListBucketsOutput::builder()
            .continuation_token("same")
            .build()
    });
    let s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, [&rule]);
    let err = AwsCloud::from_clients(unused_sts(), s3)
        .list_buckets(&base_credentials())
        .await;
    assert!(err.is_err_and(|e| e.message.contains("ListBuckets repeated a page token")));
    assert_eq!(rule.num_calls(), 2);
}

#[tokio::test]
async fn s3_error_statuses_are_kept() {
    let rule = mock!(aws_sdk_s3::Client::list_buckets).then_compute_response(|_| {
        MockResponse::Http(HttpResponse::new(
            StatusCode::try_from(403).expect("valid status"),
            SdkBody::from(S3_DENIED),
        ))
    });
    let s3 = mock_client!(aws_sdk_s3, [&rule]);
    let err = AwsCloud::from_clients(unused_sts(), s3)
        .list_buckets(&base_credentials())
        .await
        .expect_err("denied");
    assert_eq!((err.class, err.status), (ErrorClass::Denied, Some(403)));
    assert_eq!(err.message, "Access Denied");
}

#[tokio::test]
async fn each_call_is_signed_with_the_credentials_it_is_given() {
    use aws_smithy_http_client::test_util::capture_request;

    let (http, captured) = capture_request(None);
    let sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::Config::builder()
            .with_test_defaults_v2()
            .http_client(http)
            .build(),
    );
    let cloud = AwsCloud::from_clients(sts, unused_s3());
    let temporary = Credentials {
        access_key_id: TEMP_KEY_ID.to_owned(),
        secret_access_key: xacct::secret::Secret::new(TEMP_SECRET),
        session_token: Some(xacct::secret::Secret::new(TEMP_TOKEN)),
        expiration: None,
    };
    // The capture answers 200 with an empty body, which is not a valid
    // GetCallerIdentity answer; only the request matters here.
    let _ = cloud.get_caller_identity(&temporary).await;
    let request = captured.expect_request();
    let auth = request.headers().get("authorization").unwrap_or_default();
    assert!(
        auth.contains(&format!("Credential={TEMP_KEY_ID}/")),
        "{auth}"
    );
    assert_eq!(
        request.headers().get("x-amz-security-token"),
        Some(TEMP_TOKEN)
    );
}
