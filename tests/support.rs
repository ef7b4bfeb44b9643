//! Fixtures and helpers shared by the test modules.

#![allow(dead_code)]

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use wiremock::matchers::{method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};
use xacct::cloud::aws::AwsCloud;
use xacct::cloud::{AssumeRoleRequest, Credentials};

pub(crate) const STS_ASSUME_OK: &str = include_str!("../mocks/sts/assume-role-success.xml");
pub(crate) const STS_IDENTITY_USER: &str =
    include_str!("../mocks/sts/get-caller-identity-user.xml");
pub(crate) const STS_DENIED: &str = include_str!("../mocks/sts/access-denied-not-authorized.xml");
pub(crate) const STS_DENIED_FEDERATED: &str =
    include_str!("../mocks/sts/access-denied-federated.xml");
pub(crate) const STS_DENIED_ROOT: &str = include_str!("../mocks/sts/access-denied-root.xml");
pub(crate) const STS_EXPIRED: &str = include_str!("../mocks/sts/expired-token.xml");
pub(crate) const STS_THROTTLING: &str = include_str!("../mocks/sts/throttling.xml");
pub(crate) const STS_VALIDATION_CHAINING: &str =
    include_str!("../mocks/sts/validation-chaining.xml");
pub(crate) const S3_LIST_A: &str = include_str!("../mocks/s3/list-buckets-account-a.xml");
pub(crate) const S3_LIST_B: &str = include_str!("../mocks/s3/list-buckets-account-b.xml");
pub(crate) const S3_PAGE_1: &str = include_str!("../mocks/s3/list-buckets-page-1.xml");
pub(crate) const S3_PAGE_2: &str = include_str!("../mocks/s3/list-buckets-page-2.xml");
pub(crate) const S3_DENIED: &str = include_str!("../mocks/s3/access-denied.xml");

/// The base (account A) key pair used by every test.
pub(crate) const BASE_KEY_ID: &str = "AKIAEXAMPLEBASEKEY01";
pub(crate) const BASE_SECRET: &str = "BaseSecretMustNotPrint/K7MDENG/bPxRfiCYEX";
/// The temporary credentials inside `STS_ASSUME_OK`.
pub(crate) const TEMP_KEY_ID: &str = "ASIAEXAMPLETEMPKEY01";
pub(crate) const TEMP_SECRET: &str = "TempSecretMustNotPrint/K7MDENG/bPxRfiCYEX";
pub(crate) const TEMP_TOKEN: &str =
    "FQoGZXIvYXdzEBYaDTempTokenMustNotPrintEXAMPLEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
/// Every secret a test may hand out: none may appear in any output.
pub(crate) const SECRETS: [&str; 3] = [BASE_SECRET, TEMP_SECRET, TEMP_TOKEN];

pub(crate) const ROLE_ARN: &str = "arn:aws:iam::222222222222:role/s3-viewer";
pub(crate) const SESSION: &str = "homess3viewersession";
pub(crate) const ASSUMED_ARN: &str =
    "arn:aws:sts::222222222222:assumed-role/s3-viewer/homess3viewersession";

pub(crate) fn base_credentials() -> Credentials {
    Credentials::long_term(BASE_KEY_ID, BASE_SECRET)
}

pub(crate) fn request() -> AssumeRoleRequest {
    AssumeRoleRequest {
        role_arn: ROLE_ARN.to_owned(),
        session_name: SESSION.to_owned(),
        ..Default::default()
    }
}

/// The real SDK-backed client pointed at a wiremock server, with the SDK's
/// standard retry policy but a millisecond backoff so retry tests stay fast.
pub(crate) async fn cloud(server: &MockServer) -> AwsCloud {
    cloud_at(&server.uri()).await
}

/// The same client pointed at any endpoint URL (`xacct serve`, wiremock).
pub(crate) async fn cloud_at(url: &str) -> AwsCloud {
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(aws_credential_types::Credentials::new(
            "AKIDUNUSEDBYCALLS001",
            "unused",
            None,
            None,
            "tests",
        ))
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
        .load()
        .await;
    AwsCloud::from_config(&config)
}

/// An STS answer: XML body, AWS's content type and request-id header.
pub(crate) fn sts(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("x-amzn-RequestId", request_id_of(body))
        .set_body_raw(body.as_bytes().to_vec(), "text/xml")
}

/// The `<RequestId>` of an AWS body, which AWS also sends as a header.
fn request_id_of(body: &str) -> String {
    body.split_once("<RequestId>")
        .and_then(|(_, rest)| rest.split_once("</RequestId>"))
        .map(|(id, _)| id.to_owned())
        .unwrap_or_default()
}

/// An S3 answer, with S3's request-id headers.
pub(crate) fn s3(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("x-amz-request-id", "8D7F2B1C3E4A5B6C")
        .insert_header("x-amz-id-2", "Yl6dT0iDv3rKXJ0aR8mUPb2pOqZ9kWx1cE4sHn7fVjA=")
        .set_body_raw(body.as_bytes().to_vec(), "application/xml")
}

fn form(request: &Request) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(&request.body).unwrap_or_default()
}

/// Matches an STS form body that has every given `key=value` pair.
pub(crate) struct FormHas(pub Vec<(&'static str, String)>);

impl Match for FormHas {
    fn matches(&self, request: &Request) -> bool {
        let pairs = form(request);
        self.0
            .iter()
            .all(|(k, v)| pairs.iter().any(|(pk, pv)| pk == k && pv == v))
    }
}

/// Matches an STS form body that lacks the given key.
pub(crate) struct FormLacks(pub &'static str);

impl Match for FormLacks {
    fn matches(&self, request: &Request) -> bool {
        !form(request).iter().any(|(k, _)| k == self.0)
    }
}

/// Matches a request signed with the given access key id (SigV4 `Credential=`).
pub(crate) struct SignedWith(pub &'static str);

impl Match for SignedWith {
    fn matches(&self, request: &Request) -> bool {
        request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains(&format!("Credential={}/", self.0)))
    }
}

/// Matches a request whose `x-amz-security-token` is the given token, or
/// (with `None`) that carries no token at all.
pub(crate) struct SessionToken(pub Option<&'static str>);

impl Match for SessionToken {
    fn matches(&self, request: &Request) -> bool {
        let token = request
            .headers
            .get("x-amz-security-token")
            .and_then(|v| v.to_str().ok());
        token == self.0
    }
}

pub(crate) fn action(name: &str) -> FormHas {
    FormHas(vec![
        ("Action", name.to_owned()),
        ("Version", "2011-06-15".to_owned()),
    ])
}

/// Mounts GetCallerIdentity, ListBuckets for A (base key, no token) and for
/// B (temporary key and token only).
pub(crate) async fn mount_identity_and_listings(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/"))
        .and(action("GetCallerIdentity"))
        .respond_with(sts(200, STS_IDENTITY_USER))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/"))
        .and(SignedWith(BASE_KEY_ID))
        .and(SessionToken(None))
        .respond_with(s3(200, S3_LIST_A))
        .expect(1)
        .named("ListBuckets with the base credentials")
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/"))
        .and(SignedWith(TEMP_KEY_ID))
        .and(SessionToken(Some(TEMP_TOKEN)))
        .respond_with(s3(200, S3_LIST_B))
        .named("ListBuckets with the assumed credentials")
        .mount(server)
        .await;
}

/// Mounts the whole successful flow.
pub(crate) async fn mount_success(server: &MockServer) {
    mount_identity_and_listings(server).await;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(action("AssumeRole"))
        .respond_with(sts(200, STS_ASSUME_OK))
        .mount(server)
        .await;
}

/// Mounts an AssumeRole failure (and the rest of the flow).
pub(crate) async fn mount_assume_failure(server: &MockServer, status: u16, body: &str) {
    mount_identity_and_listings(server).await;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(action("AssumeRole"))
        .respond_with(sts(status, body))
        .mount(server)
        .await;
}

/// Every scenario file in `scenarios/`, sorted.
pub(crate) fn scenario_files() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .expect("the scenarios folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

/// The world's answer to `request` from `who`, as the operation's own output
/// (`take` picks it out of the response).
pub(crate) fn call<T>(
    world: &xacct::sim::World,
    who: &xacct::sim::Principal,
    request: xacct::sim::Request,
    take: impl FnOnce(xacct::sim::Response) -> Option<T>,
) -> xacct::sim::Answer<T> {
    world
        .call(who, request)
        .map(|response| take(response).expect("the operation's own output"))
}

/// AssumeRole's output, out of a response.
pub(crate) fn assumed(response: xacct::sim::Response) -> Option<xacct::cloud::AssumedRole> {
    match response {
        xacct::sim::Response::AssumedRole(assumed) => Some(assumed),
        _ => None,
    }
}

/// `loaded`'s world served on loopback, and the product's SDK side of the
/// seam pointed at it (each call signs with the credentials it is given;
/// the provider's keys are never used).
pub(crate) async fn served_cloud(loaded: &xacct::sim::Loaded) -> (xacct::serve::Running, AwsCloud) {
    let server = xacct::serve::start(
        std::sync::Arc::new(xacct::serve::Endpoint::new(loaded.world.clone())),
        "127.0.0.1:0".parse().expect("addr"),
        std::sync::Arc::new(|_| {}),
        xacct::serve::Limits::default(),
    )
    .await
    .expect("listens");
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(loaded.world.region().to_owned()))
        .endpoint_url(format!("http://{}", server.addr))
        .credentials_provider(aws_credential_types::Credentials::new(
            "AKIDUNUSED0000000001",
            "unused",
            None,
            None,
            "t",
        ))
        .time_source(aws_smithy_async::time::StaticTimeSource::new(loaded.start))
        .load()
        .await;
    (server, AwsCloud::from_config(&config))
}

/// One object call through a fresh `xacct serve` of `loaded` and the SDK:
/// its answer, or its error code.
pub(crate) async fn object_over_http(
    loaded: &xacct::sim::Loaded,
    creds: &Credentials,
    call: &xacct::cloud::ObjectCall,
) -> Result<xacct::cloud::ObjectAnswer, String> {
    use xacct::cloud::S3Objects;
    let (server, cloud) = served_cloud(loaded).await;
    let got = cloud.object(creds, call).await;
    server.stop().await;
    got.map_err(|e| e.code.unwrap_or_default())
}
