//! The real aws-sdk-sts and aws-sdk-s3 clients (through the product's own
//! implementation of the seam) run every scenario against `xacct serve`'s
//! endpoint on loopback, and must meet the same expectations as `xacct sim`:
//! one harness, both modes. Plus SigV4 refusals, unknown operations,
//! oversized bodies and faults over real HTTP.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use aws_smithy_async::time::StaticTimeSource;
use xacct::cloud::aws::AwsCloud;
use xacct::cloud::{Credentials, ErrorClass, S3, Sts};
use xacct::flow;
use xacct::serve::{Endpoint, Limits, Logger, start};
use xacct::sim::{self, Loaded};

use crate::support::scenario_files;

fn quiet() -> Logger {
    Arc::new(|_| {})
}

/// The endpoint served on a free loopback port, with the default limits.
async fn listen(endpoint: Arc<Endpoint>) -> xacct::serve::Running {
    start(
        endpoint,
        "127.0.0.1:0".parse().expect("addr"),
        quiet(),
        Limits::default(),
    )
    .await
    .expect("listens")
}

/// The SDK-backed cloud pointed at `url`, signing with the scenario's clock.
async fn sdk_cloud(url: &str, loaded: &Loaded) -> AwsCloud {
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(loaded.world.region().to_owned()))
        .endpoint_url(url)
        .credentials_provider(aws_credential_types::Credentials::new(
            "AKIDUNUSEDBYCALLS001",
            "unused",
            None,
            None,
            "tests",
        ))
        .time_source(StaticTimeSource::new(loaded.start))
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
        .load()
        .await;
    AwsCloud::from_config(&config)
}

/// An SDK configuration signing as `creds`, at the scenario's clock.
async fn signed_as(
    loaded: &Loaded,
    addr: std::net::SocketAddr,
    creds: &Credentials,
) -> aws_types::SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(loaded.world.region().to_owned()))
        .endpoint_url(format!("http://{addr}"))
        .credentials_provider(aws_credential_types::Credentials::new(
            creds.access_key_id.clone(),
            creds.secret_access_key.expose(),
            None,
            None,
            "t",
        ))
        .time_source(StaticTimeSource::new(loaded.start))
        .load()
        .await
}

/// The product's credentials from an STS answer's (expiry left to the server).
fn from_sts(c: &aws_sdk_sts::types::Credentials) -> Credentials {
    Credentials {
        access_key_id: c.access_key_id().to_owned(),
        secret_access_key: xacct::secret::Secret::new(c.secret_access_key()),
        session_token: Some(xacct::secret::Secret::new(c.session_token())),
        expiration: None,
    }
}

/// The server decides expiry; the SDK is given the credentials as they are.
fn without_expiry(mut creds: Credentials) -> Credentials {
    creds.expiration = None;
    creds
}

/// One call as a face saw it: the operation, the caller, `allowed` or the
/// error code, and the reason.
type Seen = (String, String, String, Option<String>);

/// The calls of one run through the in-process seam (`xacct run --scenario`).
fn through_the_seam(loaded: &Loaded, i: usize) -> Vec<Seen> {
    // A runtime of its own, on a thread of its own: the test's runtime
    // may not block.
    let outcome = std::thread::scope(|s| {
        s.spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("runtime");
            sim::run_all(loaded, &runtime, sim::DEFAULT_MAX_ATTEMPTS)
        })
        .join()
        .expect("runs")
    })
    .unwrap_or_else(|e| panic!("{e}"));
    outcome[i]
        .log
        .iter()
        .map(|r| {
            let outcome = match &r.outcome {
                Ok(_) => "allowed".to_owned(),
                Err(e) => e.code.clone(),
            };
            let reason = r.why.as_ref().map(|w| w.summary.clone());
            (r.operation.to_owned(), r.caller.clone(), outcome, reason)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_meets_its_expectations_through_the_real_sdk_over_http() {
    let mut failures = Vec::new();
    let (mut runs, mut faulted) = (0, 0);
    for file in scenario_files() {
        let loaded = sim::load(&file).unwrap_or_else(|e| panic!("{e}"));
        for (i, run) in loaded.scenario.runs.iter().enumerate() {
            let seam = through_the_seam(&loaded, i);
            loaded.world.reset();
            loaded.clock.set(loaded.start);
            let endpoint = Arc::new(Endpoint::new(loaded.world.clone()));
            let seen: Arc<std::sync::Mutex<Vec<Seen>>> = Arc::default();
            let log = seen.clone();
            let logger: Logger = Arc::new(move |line| {
                let mut lines = log.lock().expect("log");
                lines.push((
                    line.operation.clone(),
                    line.caller.clone(),
                    line.outcome.clone(),
                    line.reason.clone(),
                ));
            });
            let server = start(
                endpoint,
                "127.0.0.1:0".parse().expect("addr"),
                logger,
                Limits::default(),
            )
            .await
            .expect("listens");
            let cloud = sdk_cloud(&format!("http://{}", server.addr), &loaded).await;
            let start = match sim::start_for(&loaded, run).unwrap_or_else(|e| panic!("{e}")) {
                flow::Start::Keys(base) => flow::Start::Keys(without_expiry(base)),
                web => web,
            };
            let driven = sim::drive(&cloud, run, &start, &sim::request(run, loaded.start)).await;
            for m in driven.mismatches {
                failures.push(format!(
                    "{} / {}: {}: expected {}, got {}",
                    loaded.scenario.name,
                    sim::run_label(run, i),
                    m.field,
                    m.expected,
                    m.got
                ));
            }
            server.stop().await;
            // Both faces went through the world's one front door: the same
            // calls (faults and retries included), the same callers,
            // answers and reasons.
            // The flow's first calls run concurrently, so calls are
            // compared operation by operation, each in its own order.
            let mut served = seen.lock().expect("log").clone();
            served.sort_by(|a, b| a.0.cmp(&b.0));
            let mut seam = seam;
            seam.sort_by(|a, b| a.0.cmp(&b.0));
            faulted += served
                .iter()
                .filter(|s| s.3.as_deref() == Some("a fault scripted in the scenario"))
                .count();
            if served != seam {
                failures.push(format!(
                    "{} / {}: the endpoint saw\n  {served:?}\nthe seam saw\n  {seam:?}",
                    loaded.scenario.name,
                    sim::run_label(run, i),
                ));
            }
            runs += 1;
        }
    }
    assert!(runs >= 30, "{runs} runs");
    assert!(faulted > 0, "scripted faults were among the calls compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

async fn success_server() -> (Loaded, xacct::serve::Running, AwsCloud) {
    let loaded = sim::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/success.yaml"))
        .expect("load");
    let endpoint = Arc::new(Endpoint::new(loaded.world.clone()));
    let server = listen(endpoint).await;
    let cloud = sdk_cloud(&format!("http://{}", server.addr), &loaded).await;
    (loaded, server, cloud)
}

fn homes(loaded: &Loaded) -> Credentials {
    sim::credentials_for(
        loaded,
        &sim::Starter {
            arn: "arn:aws:iam::111111111111:user/homes",
            ..Default::default()
        },
    )
    .expect("homes")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_an_unknown_key_and_a_forged_token_are_refused() {
    let (loaded, server, cloud) = success_server().await;
    let mut wrong = homes(&loaded);
    wrong.secret_access_key =
        xacct::secret::Secret::new("wrong-secret-wrong-secret-wrong-secret00");
    let err = cloud
        .get_caller_identity(&wrong)
        .await
        .expect_err("bad signature");
    assert_eq!(
        (err.code.as_deref(), err.status, err.class),
        (
            Some("SignatureDoesNotMatch"),
            Some(403),
            ErrorClass::BadCredentials
        )
    );
    assert!(err.message.starts_with("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key"), "{}", err.message);
    let err = cloud.list_buckets(&wrong).await.expect_err("bad signature");
    assert_eq!(
        err.message,
        "The request signature we calculated does not match the signature you provided. Check your key and signing method."
    );

    let unknown = Credentials::long_term("AKIAUNKNOWNEXAMPLE01", "x");
    let err = cloud
        .get_caller_identity(&unknown)
        .await
        .expect_err("unknown key");
    assert_eq!(
        (err.code.as_deref(), err.status),
        (Some("InvalidClientTokenId"), Some(403))
    );
    let err = cloud.list_buckets(&unknown).await.expect_err("unknown key");
    assert_eq!(
        (err.code.as_deref(), err.status),
        (Some("InvalidAccessKeyId"), Some(403))
    );

    let request = xacct::cloud::AssumeRoleRequest {
        role_arn: "arn:aws:iam::222222222222:role/s3-viewer".into(),
        session_name: "s1".into(),
        ..Default::default()
    };
    let assumed = cloud
        .assume_role(&homes(&loaded), &request)
        .await
        .expect("allowed");
    let mut forged = without_expiry(assumed.credentials.clone());
    forged.session_token = Some(xacct::secret::Secret::new("FQoGZXIvYXdzEBYaDforgedtoken"));
    let err = cloud.list_buckets(&forged).await.expect_err("forged token");
    assert_eq!(
        (err.code.as_deref(), err.status),
        (Some("InvalidToken"), Some(400))
    );
    let mut tokenless = without_expiry(assumed.credentials.clone());
    tokenless.session_token = None;
    let err = cloud
        .get_caller_identity(&tokenless)
        .await
        .expect_err("missing token");
    assert_eq!(err.code.as_deref(), Some("InvalidClientTokenId"));
    let ok = cloud
        .list_buckets(&without_expiry(assumed.credentials.clone()))
        .await
        .expect("the real token works");
    assert_eq!(ok.len(), 1);

    loaded.clock.advance(Duration::from_secs(3601));
    let err = cloud
        .list_buckets(&without_expiry(assumed.credentials))
        .await
        .expect_err("expired");
    assert!(
        matches!(
            err.code.as_deref(),
            Some("ExpiredToken" | "RequestTimeTooSkewed")
        ),
        "{err:?}"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clock_skew_beyond_fifteen_minutes_is_refused() {
    let (loaded, server, cloud) = success_server().await;
    loaded.clock.advance(Duration::from_secs(16 * 60));
    let err = cloud
        .get_caller_identity(&homes(&loaded))
        .await
        .expect_err("skewed");
    assert_eq!(
        (err.code.as_deref(), err.status),
        (Some("SignatureDoesNotMatch"), Some(403))
    );
    assert!(err.message.starts_with("Signature expired: 20260101T000000Z is now earlier than 20260101T000100Z (20260101T001600Z - 15 min.)"), "{}", err.message);
    let err = cloud
        .list_buckets(&homes(&loaded))
        .await
        .expect_err("skewed");
    assert_eq!(
        (err.code.as_deref(), err.status),
        (Some("RequestTimeTooSkewed"), Some(403))
    );
    server.stop().await;
}

/// Raw HTTP, for what SDKs never send.
async fn raw(addr: std::net::SocketAddr, request: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connects");
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_unsigned_unknown_and_oversized_requests_get_aws_shaped_4xx() {
    let (loaded, server, cloud) = success_server().await;
    let addr = server.addr;
    let unsigned = raw(addr, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 43\r\nConnection: close\r\n\r\nAction=GetCallerIdentity&Version=2011-06-15").await;
    assert!(unsigned.starts_with("HTTP/1.1 403"), "{unsigned}");
    assert!(
        unsigned.contains("<Code>MissingAuthenticationToken</Code>"),
        "{unsigned}"
    );
    let anonymous = raw(
        addr,
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(
        anonymous.starts_with("HTTP/1.1 403")
            && anonymous
                .contains("<Error><Code>AccessDenied</Code><Message>Access Denied</Message>"),
        "{anonymous}"
    );
    let big = "A".repeat(70 * 1024);
    let oversized = raw(addr, &format!("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\nAction=X&{big}", big.len() + 9)).await;
    assert!(
        oversized.starts_with("HTTP/1.1 413"),
        "{}",
        &oversized[..oversized.len().min(300)]
    );
    let garbage = raw(addr, "THIS IS NOT HTTP\r\n\r\n").await;
    assert!(
        garbage.starts_with("HTTP/1.1 400") || garbage.is_empty(),
        "{garbage}"
    );
    let bad_auth = raw(addr, "GET / HTTP/1.1\r\nHost: x\r\nAuthorization: AWS4-HMAC-SHA256 Credential=A/B\r\nConnection: close\r\n\r\n").await;
    assert!(bad_auth.starts_with("HTTP/1.1 400"), "{bad_auth}");
    // The server still answers real clients afterwards.
    let id = cloud
        .get_caller_identity(&homes(&loaded))
        .await
        .expect("still serving");
    assert_eq!(id.arn, "arn:aws:iam::111111111111:user/homes");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_actions_and_operations_are_not_500s() {
    let (loaded, server, _cloud) = success_server().await;
    let creds = homes(&loaded);
    let config = signed_as(&loaded, server.addr, &creds).await;
    let sts = aws_sdk_sts::Client::new(&config);
    let err = sts
        .decode_authorization_message()
        .encoded_message("x")
        .send()
        .await
        .expect_err("not simulated");
    let raw = err.raw_response().map(|r| r.status().as_u16());
    assert_eq!(raw, Some(400));
    assert_eq!(
        aws_smithy_types::error::metadata::ProvideErrorMetadata::code(&err),
        Some("InvalidAction")
    );
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(true)
            .build(),
    );
    let err = s3
        .get_bucket_acl()
        .bucket("account-a-bucket")
        .send()
        .await
        .expect_err("not simulated");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(501));
    assert_eq!(
        aws_smithy_types::error::metadata::ProvideErrorMetadata::code(&err),
        Some("NotImplemented")
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_and_federation_tokens_over_http() {
    let (loaded, server, cloud) = success_server().await;
    let creds = homes(&loaded);
    let config = signed_as(&loaded, server.addr, &creds).await;
    let sts = aws_sdk_sts::Client::new(&config);

    let session = sts
        .get_session_token()
        .duration_seconds(900)
        .send()
        .await
        .expect("GetSessionToken");
    let c = session.credentials().expect("credentials");
    assert!(c.access_key_id().starts_with("ASIA"));
    let temp = from_sts(c);
    let id = cloud
        .get_caller_identity(&temp)
        .await
        .expect("session credentials work");
    assert_eq!(id.arn, "arn:aws:iam::111111111111:user/homes");

    let fed = sts
        .get_federation_token()
        .name("homes-console")
        .send()
        .await;
    // homes' policy does not allow sts:GetFederationToken.
    let err = fed.expect_err("not allowed");
    assert_eq!(
        aws_smithy_types::error::metadata::ProvideErrorMetadata::code(&err),
        Some("AccessDenied")
    );
    assert_eq!(
        aws_smithy_types::error::metadata::ProvideErrorMetadata::message(&err),
        Some(
            "User: arn:aws:iam::111111111111:user/homes is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::111111111111:federated-user/homes-console"
        )
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn federated_sessions_from_the_endpoint_cannot_assume_roles() {
    let loaded =
        sim::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/federated-user.yaml"))
            .expect("load");
    let endpoint = Arc::new(Endpoint::new(loaded.world.clone()));
    let server = listen(endpoint).await;
    let cloud = sdk_cloud(&format!("http://{}", server.addr), &loaded).await;
    let creds = homes(&loaded);
    let config = signed_as(&loaded, server.addr, &creds).await;
    let out = aws_sdk_sts::Client::new(&config)
        .get_federation_token()
        .name("homes-console")
        .policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:List*","Resource":"*"}]}"#)
        .send()
        .await
        .expect("GetFederationToken");
    assert_eq!(
        out.federated_user().map(|u| u.arn()),
        Some("arn:aws:sts::111111111111:federated-user/homes-console")
    );
    let c = out.credentials().expect("credentials");
    let fed = from_sts(c);
    let request = xacct::cloud::AssumeRoleRequest {
        role_arn: "arn:aws:iam::222222222222:role/s3-viewer".into(),
        session_name: "x1".into(),
        ..Default::default()
    };
    let err = cloud
        .assume_role(&fed, &request)
        .await
        .expect_err("refused");
    assert_eq!(
        (err.code.as_deref(), err.status, err.message.as_str()),
        (
            Some("AccessDenied"),
            Some(403),
            "Roles may not be assumed by federated users"
        )
    );
    let buckets = cloud
        .list_buckets(&fed)
        .await
        .expect("the session policy allows listing");
    assert_eq!(buckets.len(), 1);
    server.stop().await;
}
