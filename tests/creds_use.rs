//! Using a role's session: `xacct exec` and `xacct console` against
//! `xacct serve` (its emulated federation endpoint included), what a
//! failing hop says, and where secrets must never appear.

use std::io::{Read as _, Write as _};
use std::os::unix::process::ExitStatusExt as _;
use std::time::Duration;

use crate::creds::{ALICE, DEPLOY, HUB, Setup, text};
use crate::spawned::scenario;

/// One GET on the endpoint; the whole answer as text.
fn get(setup: &Setup, path_and_query: &str) -> String {
    let mut stream = std::net::TcpStream::connect(setup.server.addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path_and_query} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        setup.server.addr
    )
    .expect("writes");
    let mut out = String::new();
    let _ = stream.read_to_string(&mut out);
    out
}

/// `getSigninToken` for a session given as `creds --format json` output.
fn signin_token(setup: &Setup, session: &serde_json::Value, duration: Option<&str>) -> String {
    let json = serde_json::json!({
        "sessionId": session["AccessKeyId"],
        "sessionKey": session["SecretAccessKey"],
        "sessionToken": session["SessionToken"],
    })
    .to_string();
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("Action", "getSigninToken");
    if let Some(d) = duration {
        query.append_pair("SessionDuration", d);
    }
    query.append_pair("Session", &json);
    get(setup, &format!("/federation?{}", query.finish()))
}

fn json_session(setup: &Setup, roles: &[&str]) -> serde_json::Value {
    let mut args = vec!["--no-cache", "--format", "json"];
    for role in roles {
        args.extend(["--role-arn", role]);
    }
    let out = setup.creds(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn the_console_url_comes_from_the_emulated_federation_endpoint() {
    let setup = Setup::new();
    let url = setup.url();
    let out = setup
        .xacct(&[
            "console",
            "--endpoint-url",
            &url,
            "--role-arn",
            HUB,
            "--print",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let signin = text(&out.stdout).trim().to_owned();
    let prefix = format!("{url}/federation?Action=login&Issuer=xacct&Destination=");
    assert!(signin.starts_with(&prefix), "{signin}");
    assert!(signin.contains("&SigninToken="), "{signin}");
    // Following the URL signs in: the endpoint redirects to the destination.
    let answer = get(&setup, signin.trim_start_matches(&url));
    assert!(answer.starts_with("HTTP/1.1 302"), "{answer}");
    assert!(
        answer
            .to_lowercase()
            .contains("location: https://console.aws.amazon.com/console/home?region=us-east-1"),
        "{answer}"
    );
    // A token altered in transit does not sign in.
    let forged = signin.replace("SigninToken=", "SigninToken=x");
    assert!(get(&setup, forged.trim_start_matches(&url)).starts_with("HTTP/1.1 400"));
    let log = setup
        .server
        .log_when(|l| l.iter().any(|x| x.contains("signin:login")));
    assert!(
        log.iter().any(|l| l.contains("signin:getSigninToken")
            && l.contains("assumed-role/hub/")
            && l.contains("-> 200 allowed")),
        "{log:?}"
    );
}

#[test]
fn a_chained_session_asking_for_a_session_duration_gets_aws_refusal() {
    let setup = Setup::new();
    // The endpoint itself, as AWS answers (AWS Knowledge Center,
    // "invalid-credentials-parameter": HTTP 400 for SessionDuration with
    // credentials from role chaining).
    let chained = json_session(&setup, &[HUB, DEPLOY]);
    let refused = signin_token(&setup, &chained, Some("3600"));
    assert!(refused.starts_with("HTTP/1.1 400"), "{refused}");
    assert!(
        refused.contains("Invalid credentials parameter"),
        "{refused}"
    );
    assert!(refused.contains("The request sent by the client was syntactically incorrect."));
    let allowed = signin_token(&setup, &chained, None);
    assert!(allowed.starts_with("HTTP/1.1 200"), "{allowed}");
    assert!(allowed.contains("\"SigninToken\":\""), "{allowed}");
    // The first hop is not chained: SessionDuration is accepted.
    let direct = json_session(&setup, &[HUB]);
    assert!(signin_token(&setup, &direct, Some("43200")).starts_with("HTTP/1.1 200"));
    assert!(signin_token(&setup, &direct, Some("43201")).starts_with("HTTP/1.1 400"));
    // Long-term keys must first become a federation token.
    let long_term = serde_json::json!({
        "AccessKeyId": setup.keys.access_key_id,
        "SecretAccessKey": setup.keys.secret_access_key.expose(),
        "SessionToken": "",
    });
    assert!(signin_token(&setup, &long_term, None).starts_with("HTTP/1.1 400"));

    // xacct console knows a --role-arn chain is chained, and says so before
    // asking.
    let url = setup.url();
    let before = setup
        .xacct(&[
            "console",
            "--endpoint-url",
            &url,
            "--role-arn",
            HUB,
            "--role-arn",
            DEPLOY,
            "--session-duration",
            "3600",
            "--print",
        ])
        .output()
        .expect("runs");
    assert_eq!(before.status.code(), Some(3));
    assert!(
        text(&before.stderr).contains("role chaining"),
        "{}",
        text(&before.stderr)
    );
    // From a role session's keys it cannot know: AWS's refusal is explained.
    let mut from_hub = setup.xacct(&[
        "console",
        "--endpoint-url",
        &url,
        "--role-arn",
        DEPLOY,
        "--session-duration",
        "3600",
        "--print",
        "--no-cache",
    ]);
    from_hub
        .env(
            "AWS_ACCESS_KEY_ID",
            direct["AccessKeyId"].as_str().expect("id"),
        )
        .env(
            "AWS_SECRET_ACCESS_KEY",
            direct["SecretAccessKey"].as_str().expect("key"),
        )
        .env(
            "AWS_SESSION_TOKEN",
            direct["SessionToken"].as_str().expect("token"),
        );
    let after = from_hub.output().expect("runs");
    assert_eq!(after.status.code(), Some(3));
    let message = text(&after.stderr);
    assert!(
        message.contains("HTTP 400 Invalid credentials parameter"),
        "{message}"
    );
    assert!(message.contains("role chaining"), "{message}");
    assert!(message.contains("without --session-duration"), "{message}");
}

#[test]
fn exec_runs_the_command_as_the_role_with_its_exit_code_and_signals() {
    let setup = Setup::new();
    let url = setup.url();
    let script = r#"echo "$AWS_ACCESS_KEY_ID|$XACCT_SESSION_ARN|${AWS_PROFILE-unset}|$AWS_REGION|$AWS_ENDPOINT_URL|${AWS_CREDENTIAL_EXPIRATION:+expiry}"; exit 7"#;
    let out = setup
        .xacct(&[
            "exec",
            "--endpoint-url",
            &url,
            "--role-arn",
            HUB,
            "--role-arn",
            DEPLOY,
            "--session-name",
            "alice",
            "--",
            "sh",
            "-c",
            script,
        ])
        .env("AWS_PROFILE", "left-over")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(7), "{}", text(&out.stderr));
    let fields: Vec<String> = text(&out.stdout)
        .trim()
        .split('|')
        .map(str::to_owned)
        .collect();
    assert!(fields[0].starts_with("ASIA"), "{fields:?}");
    assert_eq!(
        fields[1],
        "arn:aws:sts::333333333333:assumed-role/deploy/alice"
    );
    assert_eq!(fields[2], "unset", "AWS_PROFILE is removed");
    assert_eq!(fields[3], "us-east-1");
    assert_eq!(fields[4], url);
    assert_eq!(fields[5], "expiry");

    let missing = setup
        .xacct(&[
            "exec",
            "--endpoint-url",
            &url,
            "--role-arn",
            HUB,
            "--",
            "no-such-command-xacct",
        ])
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(127));
    assert!(text(&missing.stderr).contains("no-such-command-xacct"));

    // xacct becomes the command: a signal to its pid reaches the command,
    // and the session is in the environment, not in the arguments.
    let mut child = setup
        .xacct(&[
            "exec",
            "--endpoint-url",
            &url,
            "--role-arn",
            HUB,
            "--",
            "sleep",
            "30",
        ])
        .spawn()
        .expect("runs");
    let pid = child.id();
    let mut cmdline = String::new();
    for _ in 0..100 {
        cmdline = std::fs::read(format!("/proc/{pid}/cmdline"))
            .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
            .unwrap_or_default();
        if cmdline.starts_with("sleep") {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(cmdline.starts_with("sleep 30"), "{cmdline}");
    let environ = std::fs::read(format!("/proc/{pid}/environ")).expect("environ");
    let environ = String::from_utf8_lossy(&environ);
    let secret = environ
        .split('\0')
        .find_map(|v| v.strip_prefix("AWS_SECRET_ACCESS_KEY="))
        .expect("the secret is in the environment")
        .to_owned();
    assert!(!cmdline.contains(&secret));
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let status = child.wait().expect("waits");
    assert_eq!(status.signal(), Some(15), "{status:?}");
}

#[test]
fn a_failing_hop_names_the_hop_the_caller_the_role_and_aws_answer() {
    let setup = Setup::new();
    // alice may not assume deploy directly: its trust policy names the hubs.
    let out = setup.creds(&["--role-arn", DEPLOY, "--no-cache"]);
    assert_eq!(out.status.code(), Some(2));
    let message = text(&out.stderr);
    assert!(
        message.contains(&format!(
            "hop 1 of 1 failed: {ALICE} could not assume {DEPLOY}"
        )),
        "{message}"
    );
    assert!(message.contains("AccessDenied (HTTP 403)"), "{message}");
    assert!(message.contains("likely cause:"), "{message}");
    assert!(message.contains("next step:"), "{message}");

    // Against xacct serve, --explain reads the decisions back by request id.
    let explained = setup.creds(&[
        "--role-arn",
        HUB,
        "--role-arn",
        "arn:aws:iam::333333333333:role/missing",
        "--no-cache",
        "--explain",
    ]);
    assert_eq!(explained.status.code(), Some(2));
    let why = text(&explained.stderr);
    assert!(why.contains("===== Why (from the endpoint) ====="), "{why}");
    assert!(
        why.contains(&format!("1. sts:AssumeRole as {ALICE} -> 200 allowed")),
        "{why}"
    );
    assert!(why.contains("trust policy `hub` statement 0: {"), "{why}");
    assert!(why.contains("-> 403 AccessDenied"), "{why}");
    assert!(
        why.contains("no role arn:aws:iam::333333333333:role/missing exists"),
        "{why}"
    );
    // Without a simulated AWS there is nothing to explain.
    let live = setup
        .xacct(&["creds", "--role-arn", HUB, "--explain"])
        .output()
        .expect("runs");
    assert_eq!(live.status.code(), Some(3));
    assert!(text(&live.stderr).contains("--endpoint-url of `xacct serve`"));

    // In a scenario, --explain shows the statements that decided each call.
    let explained = setup
        .xacct(&[
            "creds",
            "--scenario",
            &scenario("daily-chain.yaml"),
            "--as",
            ALICE,
            "--role-arn",
            HUB,
            "--role-arn",
            "arn:aws:iam::333333333333:role/missing",
            "--explain",
        ])
        .output()
        .expect("runs");
    assert_eq!(explained.status.code(), Some(2));
    let why = text(&explained.stderr);
    assert!(why.contains("hop 2 of 2 failed"), "{why}");
    assert!(
        why.contains("hop 1 of 2: arn:aws:iam::222222222222:role/hub"),
        "{why}"
    );
    assert!(why.contains("===== Why ====="), "{why}");
    assert!(why.contains("trust policy `hub` statement 0"), "{why}");
    assert!(
        why.contains("no role arn:aws:iam::333333333333:role/missing exists"),
        "{why}"
    );
}

#[test]
fn secrets_stay_out_of_logs_errors_and_the_cache_listing() {
    let setup = Setup::new();
    let out = setup
        .xacct(&[
            "-vv",
            "creds",
            "--endpoint-url",
            &setup.url(),
            "--role-arn",
            HUB,
            "--role-arn",
            DEPLOY,
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let secrets = [
        doc["SecretAccessKey"].as_str().expect("secret").to_owned(),
        doc["SessionToken"].as_str().expect("token").to_owned(),
        setup.keys.secret_access_key.expose().to_owned(),
    ];
    let log = text(&out.stderr);
    assert!(log.contains("sts"), "-vv logs the SDK's steps: {log}");
    let denied = setup.creds(&[
        "--role-arn",
        HUB,
        "--role-arn",
        "arn:aws:iam::333333333333:role/nope",
    ]);
    let listed = setup.xacct(&["cache", "list"]).output().expect("runs");
    for secret in &secrets {
        assert!(!log.contains(secret.as_str()), "a secret in the -vv log");
        assert!(
            !text(&denied.stderr).contains(secret.as_str()),
            "a secret in an error"
        );
        assert!(
            !text(&listed.stdout).contains(secret.as_str()),
            "a secret in cache list"
        );
    }
    assert!(
        text(&listed.stdout).contains("1 cached session(s)"),
        "{}",
        text(&listed.stdout)
    );
}
