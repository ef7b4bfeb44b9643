//! Inputs that used to hang, exhaust memory, panic or pass unnoticed:
//! device files, FIFOs and oversized files; times beyond year 9999;
//! duplicate JSON keys; and the patterns and statement lists that made
//! matching and linting quadratic.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::{Value, json};
use xacct::iam::{Caller, Context, NamedPolicy, Pattern, Policies, PolicyKind, Request, Target};

/// Runs `xacct ARGS`, failing the test if it has not finished within 20 s
/// (the inputs here used to block forever or read for minutes).
fn xacct(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(args)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "AKIAUNUSEDINTESTS001")
        .env("AWS_SECRET_ACCESS_KEY", "unused")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xacct starts");
    for _ in 0..400 {
        if child.try_wait().expect("try_wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("xacct {args:?} did not finish within 20 s");
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn mkfifo(dir: &Path, name: &str) -> String {
    let path = dir.join(name);
    let status = Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    path.display().to_string()
}

#[test]
fn devices_fifos_and_oversized_files_get_a_clear_error_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo_policy = mkfifo(dir.path(), "policy.json");
    let fifo_scenario = mkfifo(dir.path(), "fifo.yaml");
    let big = dir.path().join("big.json");
    let statement = r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},"#;
    let body = statement.repeat(100_000 / statement.len());
    std::fs::write(
        &big,
        format!(
            "{{\"Version\":\"2012-10-17\",\"Statement\":[{}]}}",
            body.trim_end_matches(',')
        ),
    )
    .expect("writes");
    let big = big.display().to_string();
    let role = "arn:aws:iam::222222222222:role/s3-viewer";
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["policy", "lint", "/dev/zero"], "not a regular file"),
        (vec!["policy", "lint", &fifo_policy], "not a regular file"),
        (vec!["policy", "lint", &big], "over the 64 KiB limit"),
        (
            vec![
                "policy",
                "eval",
                "--principal",
                "arn:aws:iam::111111111111:user/a",
                "--action",
                "s3:GetObject",
                "--resource",
                "*",
                "--identity-policy",
                "/dev/urandom",
            ],
            "not a regular file",
        ),
        (
            vec![
                "run",
                "--role-arn",
                role,
                "--session-policy",
                "/dev/urandom",
            ],
            "not a regular file",
        ),
        (
            vec!["run", "--role-arn", role, "--session-policy", &fifo_policy],
            "not a regular file",
        ),
        (vec!["sim", &fifo_scenario], "not a regular file"),
        (vec!["demo", "/dev/zero"], "not a regular file"),
        (
            vec!["serve", &fifo_scenario, "--port", "0"],
            "not a regular file",
        ),
    ];
    for (args, expected) in cases {
        let out = xacct(&args);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(
            !stderr(&out).contains("panicked"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

const LATE: &str = r#"
name: late
clock: "9999-12-31T23:00:00Z"
accounts:
  "111111111111":
    users:
      homes:
        policies:
          p: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "*", Resource: "*" } ] }
  "222222222222":
    roles:
      r: { trust_policy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "111111111111" }, Action: sts:AssumeRole } ] } }
runs:
  - { as: "arn:aws:iam::111111111111:user/homes", role_arn: "arn:aws:iam::222222222222:role/r" }
"#;

#[test]
fn times_beyond_year_9999_are_refused_as_invalid_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let late = dir.path().join("late.yaml");
    std::fs::write(&late, LATE).expect("writes");
    let late = late.display().to_string();
    for args in [
        vec!["sim", &late],
        vec![
            "run",
            "--scenario",
            &late,
            "--as",
            "arn:aws:iam::111111111111:user/homes",
            "--role-arn",
            "arn:aws:iam::222222222222:role/r",
        ],
        vec!["serve", &late, "--scenario-clock", "--port", "0"],
    ] {
        let out = xacct(&args);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr(&out));
        let text = format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
        assert!(text.contains("is too late"), "{args:?}: {text}");
    }
    let expiring = dir.path().join("expiring.yaml");
    std::fs::write(
        &expiring,
        LATE.replace("name: late", "name: expiring")
            .replace("9999-12-31T23:00:00Z", "9999-12-29T00:00:00Z")
            .replace(
                "{ as: \"arn:aws:iam::111111111111:user/homes\",",
                "{ as: \"arn:aws:sts::222222222222:assumed-role/r/s\", session_expires: \"10000-01-01T00:00:00Z\",",
            ),
    )
    .expect("writes");
    let out = xacct(&["sim", &expiring.display().to_string()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("session_expires"), "{}", stderr(&out));
}

#[test]
fn duplicate_json_keys_are_refused_wherever_a_policy_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let hidden = dir.path().join("hidden.json");
    std::fs::write(
        &hidden,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}],"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/homes"},"Action":"sts:AssumeRole"}]}"#,
    )
    .expect("writes");
    let out = xacct(&["policy", "lint", &hidden.display().to_string()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the key `Statement` appears twice"),
        "{}",
        stderr(&out)
    );

    let scenario = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/success.yaml"),
    )
    .expect("reads")
    .replacen(
        "- Effect: Allow",
        "- Effect: Deny\n                Effect: Allow",
        1,
    )
    .replace("name: success", "name: dup");
    let file = dir.path().join("dup.yaml");
    std::fs::write(&file, scenario).expect("writes");
    let out = xacct(&["sim", &file.display().to_string()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("duplicate mapping key: Effect; a key may appear only once"),
        "{}",
        stderr(&out)
    );
}

/// Runs `work` on a thread and fails if it takes longer than `limit`. A
/// guard against quadratic blow-up, not a performance measurement (the
/// benchmarks measure).
fn finishes_within(limit: Duration, what: &str, work: impl FnOnce() + Send + 'static) {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        work();
        let _ = done.send(());
    });
    assert!(
        finished.recv_timeout(limit).is_ok(),
        "{what} did not finish within {limit:?}"
    );
}

#[test]
fn a_50k_character_wildcard_matches_without_backtracking() {
    finishes_within(Duration::from_secs(10), "50k-character wildcards", || {
        let text = "a".repeat(50_000);
        let stars = format!("{}b", "*a".repeat(25_000));
        assert!(!Pattern::wildcard(&stars).matches(&text));
        let questions = format!("*{}b*", "a?".repeat(25_000));
        assert!(!Pattern::wildcard(&questions).matches(&text));
        let near_miss = format!("*{}b*", "a".repeat(25_000));
        assert!(!Pattern::wildcard(&near_miss).matches(&text));
        let long_literal = format!("*{}*", "a".repeat(49_999));
        assert!(Pattern::wildcard(&long_literal).matches(&text));
        let resource = format!("arn:aws:s3:::{text}");
        let policy = xacct::iam::parse(&json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::{stars}")}]
        }))
        .expect("parses");
        let caller = Caller::parse("arn:aws:iam::111111111111:user/a").expect("caller");
        let context = Context::new();
        let request = Request {
            caller: &caller,
            action: "s3:GetObject",
            resource: &resource,
            resource_account: None,
            context: &context,
        };
        let policies = Policies {
            scps: Vec::new(),
            rcps: Vec::new(),
            identity: vec![NamedPolicy {
                name: "p",
                policy: &policy,
            }],
            ..Policies::default()
        };
        assert_eq!(
            xacct::iam::evaluate(&request, &policies).decision,
            xacct::iam::Decision::ImplicitDeny
        );
    });
}

#[test]
fn a_50k_character_non_ascii_wildcard_matches_in_linear_time() {
    // Compared character by character, these took O(n·k): minutes.
    finishes_within(
        Duration::from_secs(10),
        "50k-character non-ASCII wildcards",
        || {
            let text = "é".repeat(50_000);
            let questions = format!("*{}b*", "é?".repeat(12_500));
            assert!(!Pattern::wildcard(&questions).matches(&text));
            let near_miss = format!("*{}b*", "é".repeat(25_000));
            assert!(!Pattern::wildcard(&near_miss).matches(&text));
            let long_literal = format!("*{}*", "é".repeat(49_999));
            assert!(Pattern::wildcard(&long_literal).matches(&text));
            let middle = format!("é*{}*é", "ü?".repeat(10_000));
            let hit = format!("é{}é", "üx".repeat(10_000));
            assert!(Pattern::wildcard(&middle).matches(&hit));
        },
    );
}

#[test]
fn forty_thousand_statement_ids_lint_in_linear_time() {
    finishes_within(Duration::from_secs(10), "linting 40,000 Sids", || {
        let statements: Vec<_> = (0..40_000)
            .map(|i| json!({"Sid": format!("S{}", i % 39_999), "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}))
            .collect();
        let policy = xacct::iam::parse(&json!({"Version": "2012-10-17", "Statement": statements}))
            .expect("parses");
        let findings = xacct::iam::lint(
            &policy,
            Target {
                name: "big",
                kind: PolicyKind::Identity,
                account: None,
            },
        );
        assert_eq!(
            findings
                .iter()
                .filter(|f| f.rule == "duplicate-sid")
                .count(),
            1
        );
    });
}

#[test]
fn a_template_whose_intrinsics_would_make_gigabytes_is_refused_naming_the_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let role = |name: Value| {
        json!({"Type": "AWS::IAM::Role", "Properties": {
            "RoleName": name,
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}}})
    };
    let parameters = json!({"P": {"Type": "String", "Default": "x".repeat(100_000)}});
    // 25,000 `${P}` in one Fn::Sub: 2.5 GB from a 200 KB template (it
    // tried to allocate 3 GB and aborted).
    let sub = json!({"Parameters": parameters, "Resources": {
        "R": role(json!({"Fn::Sub": "${P}".repeat(25_000)}))}});
    // 10,000 parts of a Fn::Join, each a Ref to P: 1 GB.
    let join = json!({"Parameters": parameters, "Resources": {
        "R": role(json!({"Fn::Join": ["", vec![json!({"Ref": "P"}); 10_000]]}))}});
    // 700 Fn::Split of P on every character: 70 million values, 5 GB.
    let split = json!({"Parameters": parameters, "Resources": {
        "R": role(json!({"Fn::Join": ["", vec![json!({"Fn::Join": ["", {"Fn::Split": ["", {"Ref": "P"}]}]}); 700]]}))}});
    // A YAML alias of a 100 KB scalar used 12,000 times: 1.2 GB.
    let mut alias = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  P:\n    Type: String\n    Default: &a {}\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: r\n      Tags:\n",
        "x".repeat(100_000)
    );
    alias.push_str(&"        - *a\n".repeat(12_000));
    let cases = [
        (
            "sub.json",
            sub.to_string(),
            "Resources.R.Properties.RoleName: Fn::Sub makes a value of more than 1048576 bytes",
        ),
        (
            "join.json",
            join.to_string(),
            ": resolving the template's intrinsic functions has made more than 67108864 bytes",
        ),
        (
            "split.json",
            split.to_string(),
            ": resolving the template's intrinsic functions has made more than 67108864 bytes",
        ),
        (
            "alias.yaml",
            alias,
            "not a CloudFormation template in YAML (error: line",
        ),
    ];
    for (name, text, expected) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, text).expect("writes");
        let out = xacct(&[
            "import",
            &file.display().to_string(),
            "--account",
            "111111111111",
        ]);
        assert_eq!(out.status.code(), Some(3), "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{name}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{name}: nothing is written");
    }
}
