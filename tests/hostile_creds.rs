//! Credentials from a hostile STS endpoint (a proxy or lab emulator given
//! with `--endpoint-url`): values carrying newlines, quotes and `$(...)`
//! are refused before any format prints them (exit 6, naming the field and
//! the endpoint, never the value); slow, oversized and cut-off answers end
//! in an error or honest credentials, never a hang; and each format
//! `xacct creds` prints is read back by its consumer exactly: bash `source`
//! and `set -a`, `env`, and the credentials-file parser the AWS CLI uses.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::creds::{DEPLOY, HUB, Setup};
use crate::hostile::Hostile;
use crate::support::{BASE_KEY_ID, BASE_SECRET, STS_ASSUME_OK};

/// `xacct creds` against `url`, with the base keys in the environment and
/// nothing else of the caller's.
fn creds_at(url: &str, home: &Path, format: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args([
            "creds",
            "--no-cache",
            "--endpoint-url",
            url,
            "--region",
            "us-east-1",
        ])
        .args([
            "--role-arn",
            "arn:aws:iam::222222222222:role/s3-viewer",
            "--format",
            format,
        ])
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .env("AWS_ACCESS_KEY_ID", BASE_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", BASE_SECRET)
        .stdin(Stdio::null())
        .output()
        .expect("xacct runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injected_credentials_are_refused_in_every_format_naming_the_field() {
    let injections = [
        (
            "<AccessKeyId>ASIAEXAMPLETEMPKEY01</AccessKeyId>",
            "<AccessKeyId>ASIA'$(touch /tmp/xacct-pwned)'X</AccessKeyId>",
            "Credentials.AccessKeyId",
        ),
        (
            "<SecretAccessKey>TempSecretMustNotPrint/K7MDENG/bPxRfiCYEX</SecretAccessKey>",
            "<SecretAccessKey>abcdefghijklmnop\ncredential_process = sh -c 'touch /tmp/xacct-pwned'</SecretAccessKey>",
            "Credentials.SecretAccessKey",
        ),
        (
            "<SessionToken>FQoGZXIvYXdzEBYaDTempTokenMustNotPrintEXAMPLEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==</SessionToken>",
            "<SessionToken>token\nEVIL=1\nLD_PRELOAD=/tmp/x.so</SessionToken>",
            "Credentials.SessionToken",
        ),
    ];
    let home = tempfile::tempdir().expect("a home");
    for (honest, injected, field) in injections {
        assert!(STS_ASSUME_OK.contains(honest), "{honest}");
        let hostile = Hostile::start().await;
        hostile
            .assume_role(&STS_ASSUME_OK.replace(honest, injected))
            .await;
        let url = hostile.url();
        for format in [
            "env",
            "export",
            "dotenv",
            "ini",
            "json",
            "credential-process",
        ] {
            let (url, home_path) = (url.clone(), home.path().to_owned());
            let out = tokio::task::spawn_blocking(move || creds_at(&url, &home_path, format))
                .await
                .expect("joined");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(6), "{field} {format}: {stderr}");
            assert!(out.stdout.is_empty(), "{format}: nothing is printed");
            assert!(
                stderr.contains(field) && stderr.contains(&hostile.url()),
                "{stderr}"
            );
            for piece in ["touch", "EVIL", "LD_PRELOAD", "credential_process"] {
                assert!(
                    !stderr.contains(piece),
                    "the value is never shown: {stderr}"
                );
            }
        }
    }
    assert!(!Path::new("/tmp/xacct-pwned").exists());
}

/// Runs `script` in bash with `file` holding `text`; returns its stdout.
fn bash(script: &str, file: &Path, text: &str) -> String {
    std::fs::write(file, text).expect("written");
    let out = Command::new("bash")
        .args(["-c", script, "bash", file.to_str().expect("utf-8")])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn each_format_is_read_back_exactly_by_its_consumer() {
    let setup = Setup::new();
    let chain = ["--no-cache", "--role-arn", HUB, "--role-arn", DEPLOY];
    let json = setup.creds(&[&chain[..], &["--format", "json"]].concat());
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("session");
    let printed = "printf '%s\\n%s\\n%s\\n' \"$AWS_ACCESS_KEY_ID\" \"$AWS_SECRET_ACCESS_KEY\" \"$AWS_SESSION_TOKEN\"";
    // The session is cached by nothing (--no-cache): each format asks again,
    // so each is compared with what it printed itself, through its JSON twin.
    let want = |out: &Output| -> String {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    for (format, script) in [
        ("export", format!(". \"$1\"; {printed}")),
        ("dotenv", format!("set -a; . \"$1\"; set +a; {printed}")),
        (
            "env",
            format!(
                "env $(cat \"$1\") bash -c '{}'",
                printed.replace('\'', "'\\''")
            ),
        ),
    ] {
        let text = want(&setup.creds(&[&chain[..], &["--format", format]].concat()));
        let read = bash(&script, &file, &text);
        let lines: Vec<&str> = read.lines().collect();
        assert_eq!(lines.len(), 3, "{format}: {read}");
        assert!(
            lines[0].starts_with("ASIA") && text.contains(lines[0]),
            "{format}: {read}"
        );
        assert!(
            text.contains(lines[1]) && text.contains(lines[2]),
            "{format}"
        );
        assert!(
            !lines[1].contains(['\'', '"']) && !lines[2].contains(['\'', '"']),
            "{format}: quotes stay out of the values"
        );
    }
    assert!(doc["SessionToken"].as_str().is_some_and(|t| !t.is_empty()));
    // The credentials file: the parser the AWS CLI and boto3 use
    // (botocore's configloader reads it with Python's RawConfigParser).
    let ini =
        want(&setup.creds(&[&chain[..], &["--format", "ini", "--ini-section", "deploy"]].concat()));
    std::fs::write(&file, &ini).expect("written");
    let python = Command::new("python3")
        .args([
            "-c",
            "import configparser,sys\np=configparser.RawConfigParser()\np.read(sys.argv[1])\ns=p['deploy']\nprint(s['aws_access_key_id']);print(s['aws_secret_access_key']);print(s['aws_session_token']);print(len(p.sections()), len(s))",
            file.to_str().expect("utf-8"),
        ])
        .output()
        .expect("python3 runs");
    let read = String::from_utf8_lossy(&python.stdout);
    let lines: Vec<&str> = read.lines().collect();
    assert_eq!(
        lines.len(),
        4,
        "{read} {}",
        String::from_utf8_lossy(&python.stderr)
    );
    for value in &lines[..3] {
        assert!(
            ini.contains(&format!("= {value}\n")),
            "{value} read back whole: {ini}"
        );
    }
    assert_eq!(lines[3], "1 3", "one section, three keys, nothing injected");
}

#[test]
fn exec_leaves_no_stale_service_endpoint_beside_the_one_the_session_came_from() {
    let setup = Setup::new();
    let url = setup.url();
    let out = setup
        .xacct(&[
            "exec",
            "--no-cache",
            "--endpoint-url",
            &url,
            "--role-arn",
            HUB,
            "--",
            "env",
        ])
        .env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9")
        .env("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9")
        .env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
        .output()
        .expect("xacct runs");
    let env = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        env.lines().any(|l| l == format!("AWS_ENDPOINT_URL={url}")),
        "{env}"
    );
    assert!(
        !env.contains("AWS_ENDPOINT_URL_") && !env.contains("AWS_IGNORE_CONFIGURED"),
        "{env}"
    );
}

/// `xacct creds --format json` for the s3-viewer role through `hostile`.
async fn creds_json(hostile: &Hostile, extra: &[&str]) -> (Option<i32>, String, String) {
    let mut args = vec![
        "creds",
        "--no-cache",
        "--role-arn",
        "arn:aws:iam::222222222222:role/s3-viewer",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    hostile.run(&args).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_oversized_and_malformed_answers_end_with_an_error_not_a_hang() {
    // An answer that never comes: --timeout ends the call.
    let slow = Hostile::start().await;
    slow.assume_role_slow(std::time::Duration::from_secs(600))
        .await;
    let (code, _, stderr) = creds_json(&slow, &["--timeout", "2"]).await;
    assert_eq!(code, Some(5), "{stderr}");
    // Eight mebibytes of XML around honest credentials: they are taken,
    // and nothing of the padding goes anywhere.
    let padded = Hostile::start().await;
    let padding = "x".repeat(8 << 20);
    padded
        .assume_role(&STS_ASSUME_OK.replace(
            "<RequestId>",
            &format!("<Padding>{padding}</Padding><RequestId>"),
        ))
        .await;
    let (code, stdout, stderr) = creds_json(&padded, &[]).await;
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.len() < 4096, "{} bytes printed", stdout.len());
    // XML cut off in the middle: an error, nothing printed as credentials.
    let cut = Hostile::start().await;
    cut.assume_role("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>")
        .await;
    let (code, stdout, stderr) = creds_json(&cut, &[]).await;
    assert!(matches!(code, Some(1..=6)), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stdout.is_empty(), "nothing printed as credentials");
}
