//! `xacct serve` against what a hostile or careless client sends: concurrent
//! callers that must not be mixed up in the log, forged log lines, broken
//! bodies, tampered session tokens with unknown actions, unsigned hosts,
//! bad payload hashes, non-UTF-8 header bytes, control characters, and a
//! server reachable beyond loopback.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::{BehaviorVersion, Region};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use xacct::clock::{Clock, SystemClock};
use xacct::cloud::aws::AwsCloud;
use xacct::cloud::{AssumeRoleRequest, Credentials, S3, Sts};
use xacct::serve::{Endpoint, Incoming, Limits, LogLine, Logger, Running, handle, start};
use xacct::sim::{self, Starter};

use crate::signing::{Signer, incoming, raw, sign_request, sts_post};
use crate::spawned::{Spawned, print_env, scenario};

const HOMES: &str = "arn:aws:iam::111111111111:user/homes";
const ROOT: &str = "arn:aws:iam::111111111111:root";
const ROLE: &str = "arn:aws:iam::222222222222:role/s3-viewer";

/// The success scenario's world on the real clock, its endpoint, and the
/// long-term credentials of a principal.
struct World1 {
    loaded: sim::Loaded,
    endpoint: Arc<Endpoint>,
}

impl World1 {
    fn new() -> Self {
        let loaded =
            sim::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/success.yaml"))
                .expect("scenario");
        let world = Arc::new(
            loaded
                .world
                .with_clock(Arc::new(SystemClock))
                .expect("world"),
        );
        let endpoint = Arc::new(Endpoint::new(world));
        Self { loaded, endpoint }
    }

    fn creds(&self, arn: &str) -> Credentials {
        sim::credentials_for(
            &self.loaded,
            &Starter {
                arn,
                ..Default::default()
            },
        )
        .expect("a principal of the scenario")
    }

    async fn serve(&self, log: Logger) -> Running {
        start(
            self.endpoint.clone(),
            "127.0.0.1:0".parse().expect("addr"),
            log,
            Limits::default(),
        )
        .await
        .expect("listens")
    }
}

/// The product's SDK-backed cloud against `running`, with no retries.
async fn cloud(running: &Running) -> AwsCloud {
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("http://{}", running.addr))
        .credentials_provider(aws_credential_types::Credentials::new(
            "AKIDUNUSEDBYCALLS001",
            "unused",
            None,
            None,
            "tests",
        ))
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .load()
        .await;
    AwsCloud::from_config(&config)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_each_log_their_own_caller_and_reason() {
    let world = World1::new();
    let lines: Arc<Mutex<Vec<LogLine>>> = Arc::default();
    let sink = lines.clone();
    let running = world
        .serve(Arc::new(move |line: &LogLine| {
            sink.lock().expect("log").push(line.clone())
        }))
        .await;
    let cloud = Arc::new(cloud(&running).await);
    let (homes, root) = (world.creds(HOMES), world.creds(ROOT));
    let mut tasks = Vec::new();
    for i in 0..200 {
        let (cloud, homes, root) = (cloud.clone(), homes.clone(), root.clone());
        tasks.push(tokio::spawn(async move {
            if i % 2 == 0 {
                cloud
                    .get_caller_identity(&homes)
                    .await
                    .map(|_| ())
                    .expect("homes is known");
            } else {
                cloud
                    .list_buckets(&root)
                    .await
                    .map(|_| ())
                    .expect("root lists its buckets");
            }
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    running.stop().await;
    let lines = lines.lock().expect("log").clone();
    assert_eq!(lines.len(), 200);
    for line in &lines {
        match line.operation.as_str() {
            "sts:GetCallerIdentity" => {
                assert_eq!(line.caller, HOMES, "{line:?}");
                assert_eq!(line.account.as_deref(), Some("111111111111"));
                assert!(
                    line.reason
                        .as_deref()
                        .is_some_and(|r| r.contains("needs no permission")),
                    "{line:?}"
                );
            }
            "s3:ListBuckets" => {
                assert_eq!(line.caller, ROOT, "{line:?}");
                assert!(
                    line.reason
                        .as_deref()
                        .is_some_and(|r| r.contains("root user has full access")),
                    "{line:?}"
                );
            }
            other => panic!("unexpected operation {other}: {line:?}"),
        }
    }
}

/// Sends raw bytes and returns what the server answered before closing.
async fn exchange(addr: std::net::SocketAddr, bytes: &[u8], half_close: bool) -> String {
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    stream.write_all(bytes).await.expect("writes");
    if half_close {
        stream.shutdown().await.expect("half-closes");
    }
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_text_in_the_log_is_escaped_and_every_answer_is_logged() {
    let server = Spawned::serve(&scenario("success.yaml"), &["--body-timeout", "0.5"]);
    let addr = server.addr;
    let forged = "POST /?Action=X%0A2026-01-01T00:00:00Z%20sts:AssumeRole%20arn:aws:iam::111111111111:root%20-%3E%20200%20allowed%1B%5B2J HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    assert!(
        exchange(addr, forged.as_bytes(), false)
            .await
            .starts_with("HTTP/1.1 403")
    );
    let big = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        10u64.pow(18)
    );
    let too_large = exchange(addr, big.as_bytes(), false).await;
    assert!(too_large.starts_with("HTTP/1.1 413"), "{too_large}");
    assert!(
        too_large.contains("<Code>RequestEntityTooLarge</Code>"),
        "{too_large}"
    );
    let truncated = "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-a-few-bytes";
    let answer = exchange(addr, truncated.as_bytes(), true).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("<Code>IncompleteBody</Code>"), "{answer}");
    let bad_chunk = "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nAction=X\r\n0\r\n\r\n";
    let answer = exchange(addr, bad_chunk.as_bytes(), false).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(
        answer.contains("<Code>MalformedHttpRequest</Code>"),
        "{answer}"
    );
    let slow = "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nslow";
    let answer = exchange(addr, slow.as_bytes(), false).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("<Code>RequestTimeout</Code>"), "{answer}");

    let request_lines = |log: &[String]| -> Vec<String> {
        log.iter().filter(|l| l.contains(" -> ")).cloned().collect()
    };
    let log = request_lines(&server.log_when(|log| request_lines(log).len() >= 5));
    assert_eq!(log.len(), 5, "one line per request: {log:#?}");
    assert!(log.iter().all(|l| !l.contains('\u{1b}')), "{log:#?}");
    assert!(
        log[0].contains("sts:X\\n2026-01-01T00:00:00Z") && log[0].contains("\\u{1b}[2J"),
        "the forged line is escaped into the real one: {}",
        log[0]
    );
    for (line, status) in log.iter().zip(["403", "413", "400", "400", "400"]) {
        assert!(line.contains(&format!("-> {status} ")), "{line}");
    }
}

/// A session of homes in s3-viewer, through the SDK against `running`.
async fn session(world: &World1, running: &Running) -> Credentials {
    let request = AssumeRoleRequest {
        role_arn: ROLE.to_owned(),
        session_name: "probe".to_owned(),
        duration_seconds: Some(900),
        ..Default::default()
    };
    let assumed = cloud(running)
        .await
        .assume_role(&world.creds(HOMES), &request)
        .await
        .expect("homes may assume s3-viewer");
    assumed.credentials
}

fn signer<'a>(creds: &'a Credentials, service: &'a str) -> Signer<'a> {
    Signer {
        key: &creds.access_key_id,
        secret: creds.secret_access_key.expose(),
        token: creds.session_token.as_ref().map(|t| t.expose()),
        region: "us-east-1",
        service,
        at: SystemClock.now(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_session_token_is_refused_before_the_action_is_looked_at() {
    let world = World1::new();
    let running = world.serve(Arc::new(|_| {})).await;
    let mut creds = session(&world, &running).await;
    running.stop().await;
    let token = creds.session_token.take().expect("a token");
    let mut tampered = token.expose().to_owned();
    tampered.replace_range(60..61, if &tampered[60..61] == "A" { "B" } else { "A" });
    creds.session_token = Some(xacct::secret::Secret::new(tampered));

    let host = "127.0.0.1:4580";
    let unknown_action = sts_post(
        host,
        "Action=DescribeEverything&Version=2011-06-15",
        &signer(&creds, "sts"),
    );
    let (out, line) = handle(&world.endpoint, &incoming(&unknown_action));
    assert_eq!(
        (out.status, line.outcome.as_str()),
        (403, "InvalidClientTokenId"),
        "{}",
        out.body
    );
    let mut put = http::Request::builder()
        .method("PUT")
        .uri(format!("http://{host}/some-bucket"))
        .header("host", host)
        .body(Vec::new())
        .expect("request");
    sign_request(&mut put, &signer(&creds, "s3"));
    let (out, line) = handle(&world.endpoint, &incoming(&put));
    assert_eq!(
        (out.status, line.outcome.as_str()),
        (400, "InvalidToken"),
        "{}",
        out.body
    );
    // With a genuine token the same requests reach the dispatcher.
    creds.session_token = Some(token);
    let unknown_action = sts_post(
        host,
        "Action=DescribeEverything&Version=2011-06-15",
        &signer(&creds, "sts"),
    );
    let (out, _) = handle(&world.endpoint, &incoming(&unknown_action));
    assert!(
        out.body.contains("<Code>InvalidAction</Code>"),
        "{}",
        out.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_session_token_is_refused_before_the_action_is_looked_at() {
    let loaded = sim::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/success.yaml"))
        .expect("scenario");
    let endpoint = Endpoint::new(loaded.world.clone());
    let homes = sim::credentials_for(
        &loaded,
        &Starter {
            arn: HOMES,
            ..Default::default()
        },
    )
    .expect("homes");
    let who = loaded
        .world
        .authenticate(&homes, sim::Service::Sts)
        .expect("homes");
    let request = AssumeRoleRequest {
        role_arn: ROLE.to_owned(),
        session_name: "probe".to_owned(),
        duration_seconds: Some(900),
        ..Default::default()
    };
    let creds = crate::support::call(
        &loaded.world,
        &who,
        sim::Request::AssumeRole(request),
        crate::support::assumed,
    )
    .result
    .expect("allowed")
    .credentials;
    loaded.clock.advance(Duration::from_secs(901));
    let at = loaded.world.now();
    let signer = Signer {
        at,
        ..signer(&creds, "sts")
    };
    let unknown_action = sts_post(
        "127.0.0.1:4580",
        "Action=DescribeEverything&Version=2011-06-15",
        &signer,
    );
    let (out, line) = handle(&endpoint, &incoming(&unknown_action));
    assert_eq!(
        (out.status, line.outcome.as_str()),
        (403, "ExpiredToken"),
        "{}",
        out.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_strictness_on_the_signed_headers_and_the_payload_hash() {
    let world = World1::new();
    let homes = world.creds(HOMES);
    let host = "127.0.0.1:4580";
    // `host` must be among the signed headers.
    let mut request = sts_post(
        host,
        "Action=GetCallerIdentity&Version=2011-06-15",
        &signer(&homes, "sts"),
    );
    let auth = request.headers()["authorization"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let unsigned_host = auth.replace(
        "SignedHeaders=content-type;host;",
        "SignedHeaders=content-type;",
    );
    assert_ne!(auth, unsigned_host, "{auth}");
    request
        .headers_mut()
        .insert("authorization", unsigned_host.parse().expect("header"));
    let (out, _) = handle(&world.endpoint, &incoming(&request));
    assert_eq!(out.status, 403);
    assert!(out.body.contains("&apos;Host&apos; or &apos;:authority&apos; must be a &apos;SignedHeader&apos; in the AWS Authorization."), "{}", out.body);

    let mut list = http::Request::builder()
        .method("GET")
        .uri(format!("http://{host}/"))
        .header("host", host)
        .header("x-amz-content-sha256", "not-a-digest")
        .body(Vec::new())
        .expect("request");
    sign_request(&mut list, &signer(&homes, "s3"));
    let (out, line) = handle(&world.endpoint, &incoming(&list));
    assert_eq!(
        (out.status, line.outcome.as_str()),
        (400, "InvalidArgument"),
        "{}",
        out.body
    );
    assert!(
        out.body.contains("or a valid sha256 value.")
            && out
                .body
                .contains("<ArgumentValue>not-a-digest</ArgumentValue>"),
        "{}",
        out.body
    );
    for accepted in ["UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"] {
        let mut list = http::Request::builder()
            .method("GET")
            .uri(format!("http://{host}/"))
            .header("host", host)
            .header("x-amz-content-sha256", accepted)
            .body(Vec::new())
            .expect("request");
        sign_request(&mut list, &signer(&homes, "s3"));
        let (out, _) = handle(&world.endpoint, &incoming(&list));
        assert_eq!(out.status, 200, "{accepted}: {}", out.body);
    }
    let mut headerless = incoming(&list);
    if let Some(auth) = headerless
        .headers
        .iter_mut()
        .find(|(k, _)| k == "authorization")
    {
        auth.1 = String::from_utf8_lossy(&auth.1)
            .replace("host;", "")
            .into_bytes();
    }
    let (out, _) = handle(&world.endpoint, &headerless);
    assert!(
        out.status == 403
            && out
                .body
                .contains("<HeadersNotSigned>host</HeadersNotSigned>"),
        "{}",
        out.body
    );
}

#[test]
fn two_authorization_headers_are_refused_even_when_equal() {
    let world = World1::new();
    let homes = world.creds(HOMES);
    let request = sts_post(
        "127.0.0.1:4580",
        "Action=GetCallerIdentity&Version=2011-06-15",
        &signer(&homes, "sts"),
    );
    let (alone, _) = handle(&world.endpoint, &incoming(&request));
    assert_eq!(alone.status, 200, "{}", alone.body);
    let mut twice = incoming(&request);
    let auth = twice
        .headers
        .iter()
        .find(|(k, _)| k == "authorization")
        .cloned()
        .expect("signed");
    twice.headers.push(auth);
    let (out, line) = handle(&world.endpoint, &twice);
    assert_eq!(
        (out.status, line.outcome.as_str()),
        (400, "IncompleteSignature"),
        "{}",
        out.body
    );
    assert!(out.body.contains("2 Authorization headers"), "{}", out.body);
}

#[test]
fn header_bytes_are_signed_and_compared_as_bytes() {
    use xacct::serve::sigv4;
    let world = World1::new();
    let homes = world.creds(HOMES);
    let now = SystemClock.now();
    let amz = xacct::timestamp::amz(now);
    let date = &amz[..8];
    let body = b"Action=GetCallerIdentity&Version=2011-06-15".to_vec();
    // A header value that is not UTF-8, signed over its exact bytes.
    let signed_request = |value: &[u8]| {
        let headers = vec![
            ("host".to_owned(), b"127.0.0.1:4580".to_vec()),
            ("x-amz-date".to_owned(), amz.as_bytes().to_vec()),
            ("x-odd".to_owned(), value.to_vec()),
        ];
        let names: Vec<String> = headers.iter().map(|(k, _)| k.clone()).collect();
        let creq =
            sigv4::canonical_request("POST", "/", "", &headers, &names, &sigv4::sha256_hex(&body));
        let scope = format!("{date}/us-east-1/sts/aws4_request");
        let signature = sigv4::signature(
            &sigv4::signing_key(homes.secret_access_key.expose(), date, "us-east-1", "sts"),
            &sigv4::string_to_sign(&amz, &scope, &creq),
        );
        let mut all = headers;
        all.push((
            "authorization".to_owned(),
            format!(
                "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={}, Signature={signature}",
                homes.access_key_id,
                names.join(";")
            )
            .into_bytes(),
        ));
        Incoming::new(
            "POST".to_owned(),
            "/".to_owned(),
            String::new(),
            all,
            body.clone(),
        )
    };
    let request = signed_request(b"\xff\xfe odd");
    let (out, _) = handle(&world.endpoint, &request);
    assert_eq!(out.status, 200, "{}", out.body);
    // Another invalid byte that lossy UTF-8 would map to the same text.
    let mut altered = request.clone();
    if let Some(h) = altered.headers.iter_mut().find(|(k, _)| k == "x-odd") {
        h.1 = b"\xfe\xff odd".to_vec();
    }
    let (out, line) = handle(&world.endpoint, &altered);
    assert_eq!(
        (out.status, line.outcome.as_str()),
        (403, "SignatureDoesNotMatch"),
        "{}",
        out.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_characters_keep_the_error_xml_well_formed() {
    let world = World1::new();
    let running = world.serve(Arc::new(|_| {})).await;
    let request = AssumeRoleRequest {
        role_arn: ROLE.to_owned(),
        session_name: "bad\u{1}name\u{1b}[2J".to_owned(),
        ..Default::default()
    };
    let err = cloud(&running)
        .await
        .assume_role(&world.creds(HOMES), &request)
        .await
        .expect_err("a bad session name");
    // The SDK parsed AWS's error envelope: the body was well-formed XML.
    assert_eq!(err.code.as_deref(), Some("ValidationError"), "{err:?}");
    assert!(
        err.message.contains("failed to satisfy constraint"),
        "{}",
        err.message
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_beyond_loopback_seeds_its_secrets_and_warns() {
    let server = Spawned::serve(&scenario("success.yaml"), &["--host", "0.0.0.0", "--quiet"]);
    let seed = server
        .banner
        .split("--key-seed ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("the banner names the key seed: {}", server.banner))
        .to_owned();
    let warned = |log: &[String]| {
        log.iter()
            .any(|l| l.starts_with("warning: listening on 0.0.0.0 beyond loopback"))
    };
    let log = server.log_when(warned);
    assert!(warned(&log), "{log:?}");
    let file = scenario("success.yaml");
    let derivable = print_env(&file, HOMES, &[]);
    let seeded = print_env(&file, HOMES, &["--key-seed", &seed]);
    assert_ne!(derivable.secret_access_key, seeded.secret_access_key);
    let host = server.addr.to_string();
    for (creds, status) in [(&derivable, "403"), (&seeded, "200")] {
        let request = sts_post(
            &host,
            "Action=GetCallerIdentity&Version=2011-06-15",
            &signer(creds, "sts"),
        );
        let answer = exchange(server.addr, &raw(&request, "close"), false).await;
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status}")),
            "{answer}"
        );
    }
}

#[test]
fn the_key_seed_comes_from_a_file_or_the_environment_and_is_never_empty_beyond_loopback() {
    let world = scenario("success.yaml");
    let world = world.as_str();
    let keys = |args: &[&str], seed_env: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_xacct"));
        cmd.args(["serve", world, "--print-env", HOMES]).args(args);
        cmd.env_remove("XACCT_KEY_SEED");
        if let Some(seed) = seed_env {
            cmd.env("XACCT_KEY_SEED", seed);
        }
        let out = cmd.output().expect("xacct runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let public = keys(&[], None);
    let flag = keys(&["--key-seed", "s3cret-seed"], None);
    let from_env = keys(&[], Some("s3cret-seed"));
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("seed");
    std::fs::write(&file, "s3cret-seed\n").expect("written");
    let from_file = keys(&["--key-seed-file", file.to_str().expect("utf-8")], None);
    assert_eq!(flag.0, Some(0), "{}", flag.2);
    assert_ne!(flag.1, public.1, "the seed changes the secrets");
    assert_eq!(from_env.1, flag.1, "XACCT_KEY_SEED is the flag's seed");
    assert_eq!(from_file.1, flag.1, "the file's first line is the seed");
    std::fs::write(&file, "\n").expect("written");
    let empty_file = keys(&["--key-seed-file", file.to_str().expect("utf-8")], None);
    assert_eq!(empty_file.0, Some(3));
    assert!(
        empty_file.2.contains("its first line is empty"),
        "{}",
        empty_file.2
    );

    // Beyond loopback an empty seed would make the secrets derivable again.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args([
            "serve",
            world,
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--key-seed",
            "",
        ])
        .env_remove("XACCT_KEY_SEED")
        .output()
        .expect("xacct runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("an empty seed on 0.0.0.0"), "{stderr}");
    // --help names the variable but never shows its value.
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(["serve", "--help"])
        .env("XACCT_KEY_SEED", "s3cret-seed")
        .output()
        .expect("xacct runs");
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("XACCT_KEY_SEED") && !help.contains("s3cret-seed"),
        "{help}"
    );
}
