//! The `xacct` binary end to end: exit codes per class, text and JSON
//! output, input validation before any network call, and no secret in any
//! output. AWS is a wiremock server on loopback.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use wiremock::MockServer;

use crate::support::*;

/// The binary with an empty environment: no credentials, no config files,
/// the instance-metadata endpoint disabled.
fn xacct(home: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_xacct"));
    cmd.env_clear()
        .env("HOME", home)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
        .env("NO_COLOR", "1");
    cmd
}

/// Runs `xacct run` against the server with base credentials in the
/// environment; the blocking child runs off the async runtime.
async fn run_against(server: &MockServer, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let uri = server.uri();
    let extra: Vec<String> = extra.iter().map(|s| (*s).to_owned()).collect();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    tokio::task::spawn_blocking(move || {
        let home = tempfile::tempdir().expect("temp dir");
        let mut cmd = xacct(home.path());
        cmd.env("AWS_ACCESS_KEY_ID", BASE_KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", BASE_SECRET)
            .env("AWS_REGION", "us-east-1")
            .args(["run", "--endpoint-url", &uri])
            .args(&extra);
        // The test's own flags come first, so they win over these defaults.
        for (flag, value) in [("--role-arn", ROLE_ARN), ("--session-name", SESSION)] {
            if !extra.iter().any(|a| a == flag) {
                cmd.args([flag, value]);
            }
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("the binary runs")
    })
    .await
    .expect("the blocking task completes")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_no_secret(output: &Output) {
    for secret in SECRETS {
        assert!(!stdout(output).contains(secret), "stdout shows a secret");
        assert!(!stderr(output).contains(secret), "stderr shows a secret");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn success_prints_both_accounts_buckets_and_the_assumed_role() {
    let server = MockServer::start().await;
    mount_success(&server).await;
    let output = run_against(&server, &[], &[]).await;
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}{}", stderr(&output));
    let a = text
        .find("===== Account A Buckets =====\n")
        .expect("A heading");
    let b = text
        .find("===== Account B Buckets =====\n")
        .expect("B heading");
    assert!(a < b);
    assert!(text[a..b].contains("\naccount-a-bucket\n"), "{text}");
    assert!(text[b..].contains("\naccount-b-bucket\n"), "{text}");
    assert!(
        text.contains("as arn:aws:iam::111111111111:user/homes (account 111111111111)"),
        "{text}"
    );
    assert!(
        text.contains(&format!("assumed:    {ASSUMED_ARN}")),
        "{text}"
    );
    assert!(text.contains("expires:    2030-01-01T01:00:00Z"), "{text}");
    assert_no_secret(&output);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_most_verbose_logs_show_the_calls_but_no_secret() {
    let server = MockServer::start().await;
    mount_success(&server).await;
    let output = run_against(&server, &["-vvv"], &[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let logs = stderr(&output);
    assert!(
        logs.contains("assuming the role"),
        "xacct's own steps are logged: {logs}"
    );
    assert!(
        logs.contains("AssumeRole") && logs.contains("ListBuckets"),
        "the SDK's calls are logged: {logs}"
    );
    assert_no_secret(&output);
}

#[tokio::test(flavor = "multi_thread")]
async fn json_output_has_stable_fields_and_no_secret() {
    let server = MockServer::start().await;
    mount_success(&server).await;
    let output = run_against(&server, &["--output", "json"], &[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["ok"], true);
    assert_eq!(json["role_arn"], ROLE_ARN);
    assert_eq!(json["session_name"], SESSION);
    assert_eq!(
        json["source"]["identity"]["arn"],
        "arn:aws:iam::111111111111:user/homes"
    );
    assert_eq!(json["source"]["buckets"][0]["name"], "account-a-bucket");
    assert_eq!(
        json["source"]["buckets"][0]["created"],
        "2019-03-01T10:00:00Z"
    );
    assert_eq!(json["assume_role"]["assumed_role_arn"], ASSUMED_ARN);
    assert_eq!(json["assume_role"]["access_key_id"], TEMP_KEY_ID);
    assert_eq!(json["assume_role"]["expiration"], "2030-01-01T01:00:00Z");
    assert_eq!(json["target"]["identity"]["arn"], ASSUMED_ARN);
    assert_eq!(json["target"]["buckets"][0]["name"], "account-b-bucket");
    assert_no_secret(&output);
}

#[tokio::test(flavor = "multi_thread")]
async fn access_denied_exits_2_with_aws_message_hint_and_request_id() {
    let server = MockServer::start().await;
    mount_assume_failure(&server, 403, STS_DENIED).await;
    let output = run_against(&server, &[], &[]).await;
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("AccessDenied (HTTP 403): User: arn:aws:iam::111111111111:user/homes is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/s3-viewer"), "{text}");
    assert!(
        text.contains(
            "likely cause: AWS's message states no reason: the trust policy of arn:aws:iam::222222222222:role/s3-viewer"
        ),
        "{text}"
    );
    assert!(
        text.contains("request id:   a1b2c3d4-0001-4000-8000-000000000001"),
        "{text}"
    );
    assert!(
        !text.contains("Account B Buckets"),
        "the flow stops at AssumeRole: {text}"
    );

    let server = MockServer::start().await;
    mount_assume_failure(&server, 403, STS_DENIED).await;
    let output = run_against(&server, &["--output", "json"], &[]).await;
    assert_eq!(output.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["ok"], false);
    assert_eq!(json["assume_role"]["error"]["code"], "AccessDenied");
    assert_eq!(json["assume_role"]["error"]["class"], "denied");
    assert_eq!(json["assume_role"]["error"]["exit_code"], 2);
    assert_eq!(json["assume_role"]["error"]["status"], 403);
    assert!(json["target"].is_null());
}

#[tokio::test(flavor = "multi_thread")]
async fn federated_and_root_refusals_explain_themselves() {
    for (body, cause) in [
        (STS_DENIED_FEDERATED, "GetFederationToken"),
        (STS_DENIED_ROOT, "root user"),
    ] {
        let server = MockServer::start().await;
        mount_assume_failure(&server, 403, body).await;
        let output = run_against(&server, &[], &[]).await;
        assert_eq!(output.status.code(), Some(2));
        assert!(stdout(&output).contains(cause), "{}", stdout(&output));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_codes_follow_the_error_class() {
    type Case<'a> = (u16, &'a str, i32, &'a [(&'a str, &'a str)]);
    let cases: [Case<'_>; 3] = [
        (403, STS_EXPIRED, 4, &[]),
        (400, STS_VALIDATION_CHAINING, 3, &[]),
        (400, STS_THROTTLING, 5, &[("AWS_MAX_ATTEMPTS", "1")]),
    ];
    for (status, body, code, env) in cases {
        let server = MockServer::start().await;
        mount_assume_failure(&server, status, body).await;
        let output = run_against(&server, &[], env).await;
        assert_eq!(output.status.code(), Some(code), "{}", stdout(&output));
        assert!(
            stdout(&output).contains("likely cause:"),
            "{}",
            stdout(&output)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_input_is_refused_before_any_call() {
    let server = MockServer::start().await;
    let cases: &[(&[&str], &str)] = &[
        (
            &["--role-arn", "arn:aws:iam::123:role/x"],
            "`arn:aws:iam::123:role/x`: the account `123` must be 12 digits",
        ),
        (
            &["--role-arn", "arn:aws:iam::222222222222:user/homes"],
            "users cannot be assumed",
        ),
        (
            &["--session-name", "has space"],
            "invalid --session-name `has space`: character ' ' at position 4",
        ),
        (
            &["--session-name", "x"],
            "must be 2 to 64 characters long, not 1",
        ),
        (
            &["--duration-seconds", "600"],
            "invalid --duration-seconds `600`: must be between 900 and 43200",
        ),
        (
            &["--duration-seconds", "43201"],
            "must be between 900 and 43200",
        ),
        (
            &["--external-id", "bad id!"],
            "invalid --external-id `bad id!`",
        ),
        (
            &[
                "--mfa-serial",
                "arn:aws:iam::111111111111:mfa/homes",
                "--mfa-code",
                "12345",
            ],
            "invalid --mfa-code `12345`: must be exactly six digits",
        ),
        (
            &["--mfa-serial", "arn:aws:iam::111111111111:mfa/homes"],
            "--mfa-code <CODE>",
        ),
        (
            &["--session-policy", "/nonexistent/policy.json"],
            "invalid --session-policy `/nonexistent/policy.json`: cannot read the file (No such file or directory",
        ),
    ];
    for (args, expected) in cases {
        let output = run_against(&server, args, &[]).await;
        assert_eq!(
            output.status.code(),
            Some(3),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(expected),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    let received = server.received_requests().await.unwrap_or_default();
    assert!(
        received.is_empty(),
        "no request may be sent for invalid input"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_input_in_json_mode_is_json() {
    let server = MockServer::start().await;
    let output = run_against(
        &server,
        &["--duration-seconds", "100", "--output", "json"],
        &[],
    )
    .await;
    assert_eq!(output.status.code(), Some(3));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["input_errors"][0]["field"], "--duration-seconds");
    assert_eq!(json["input_errors"][0]["value"], "100");
}

#[test]
#[expect(
    clippy::disallowed_methods,
    reason = "measures the real time a child process takes"
)]
fn no_credentials_fails_fast_with_how_to() {
    let home = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let output = xacct(home.path())
        .args(["run", "--role-arn", ROLE_ARN])
        .output()
        .expect("the binary runs");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(output.status.code(), Some(4));
    let text = stderr(&output);
    assert!(text.contains("no AWS credentials were found"), "{text}");
    assert!(
        text.contains("AWS_ACCESS_KEY_ID") && text.contains("--profile"),
        "{text}"
    );
}

#[test]
fn a_missing_profile_is_named() {
    let home = tempfile::tempdir().expect("temp dir");
    let output = xacct(home.path())
        .args(["run", "--profile", "nosuch", "--role-arn", ROLE_ARN])
        .output()
        .expect("the binary runs");
    // As `xacct creds` and the AWS CLI say it: no such profile (exit 3),
    // not a failure of the instance metadata service.
    assert_eq!(output.status.code(), Some(3));
    let text = stderr(&output);
    assert!(
        text.contains("there is no profile `nosuch`") && !text.contains("IMDS"),
        "{text}"
    );
    // With profiles in the config file, it names them.
    let config = home.path().join("config");
    std::fs::write(&config, "[profile prod]\nregion = eu-west-1\n[default]\n").expect("config");
    let output = xacct(home.path())
        .env("AWS_CONFIG_FILE", &config)
        .args(["run", "--profile", "prdo", "--role-arn", ROLE_ARN])
        .output()
        .expect("the binary runs");
    let text = stderr(&output);
    assert!(text.contains("(they name: default, prod)"), "{text}");
    assert!(
        !text.contains("ProviderError") && !text.contains("{ source"),
        "no Rust debug output: {text}"
    );
}

#[test]
fn version_help_and_completions() {
    let home = tempfile::tempdir().expect("temp dir");
    let version = xacct(home.path()).arg("--version").output().expect("runs");
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(
        stdout(&version).trim(),
        format!("xacct {}", env!("CARGO_PKG_VERSION"))
    );

    for args in [
        &["--help"][..],
        &["run", "--help"],
        &["completions", "--help"],
    ] {
        let help = xacct(home.path()).args(args).output().expect("runs");
        assert_eq!(help.status.code(), Some(0), "{args:?}");
        assert!(
            stdout(&help).contains("Usage: xacct"),
            "{args:?}: {}",
            stdout(&help)
        );
    }
    let run_help = stdout(
        &xacct(home.path())
            .args(["run", "--help"])
            .output()
            .expect("runs"),
    );
    for flag in [
        "--role-arn",
        "--session-name",
        "--duration-seconds",
        "--external-id",
        "--mfa-serial",
        "--mfa-code",
        "--profile",
        "--region",
        "--endpoint-url",
        "--output",
    ] {
        assert!(run_help.contains(flag), "run --help lacks {flag}");
    }

    for shell in ["bash", "zsh", "fish"] {
        let script = xacct(home.path())
            .args(["completions", shell])
            .output()
            .expect("runs");
        assert_eq!(script.status.code(), Some(0), "{shell}");
        let text = stdout(&script);
        assert!(
            text.contains("xacct") && text.contains("role-arn"),
            "{shell}: {text}"
        );
    }
}

#[test]
fn usage_errors_exit_with_the_invalid_input_code() {
    let home = tempfile::tempdir().expect("temp dir");
    for args in [
        &["run"][..],
        &["frobnicate"],
        &["run", "--role-arn", ROLE_ARN, "--output", "xml"],
    ] {
        let output = xacct(home.path()).args(args).output().expect("runs");
        assert_eq!(output.status.code(), Some(3), "{args:?}");
        assert!(!stderr(&output).is_empty());
    }
}

/// The live path end to end: `xacct run` with keys in the environment, its
/// own SDK configuration and HTTP client, against `xacct serve`.
#[test]
fn a_live_run_against_xacct_serve_lists_both_accounts() {
    let server =
        crate::spawned::Spawned::serve(&crate::spawned::scenario("success.yaml"), &["--quiet"]);
    let home = tempfile::tempdir().expect("temp dir");
    let env = xacct(home.path())
        .args([
            "serve",
            &crate::spawned::scenario("success.yaml"),
            "--print-env",
            "arn:aws:iam::111111111111:user/homes",
            "--port",
            &server.addr.port().to_string(),
        ])
        .output()
        .expect("runs");
    let mut cmd = xacct(home.path());
    for line in String::from_utf8_lossy(&env.stdout).lines() {
        if let Some((key, value)) = line.strip_prefix("export ").and_then(|l| l.split_once('=')) {
            cmd.env(key, value);
        }
    }
    let out = cmd
        .args([
            "run",
            "--role-arn",
            "arn:aws:iam::222222222222:role/s3-viewer",
        ])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    assert!(
        text.contains("account-a-bucket") && text.contains("account-b-bucket"),
        "{text}"
    );
    assert!(
        text.contains("as arn:aws:iam::111111111111:user/homes"),
        "{text}"
    );
}
