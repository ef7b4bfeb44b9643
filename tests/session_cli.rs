//! `xacct whose-key` and the session flags of `xacct run`, end to end.

use std::process::{Command, Output};

fn xacct(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xacct"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env_remove("AWS_MAX_ATTEMPTS")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn whose_key_reads_the_account_and_says_when_a_key_predates_the_encoding() {
    let out = xacct(&["whose-key", "ASIAY34FZKBOKMUTVV7A"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("609629065308\tASIAY34FZKBOKMUTVV7A: temporary"));

    let out = xacct(&["whose-key", "AKIAIOSFODNN7EXAMPLE", "--output", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["Account"], serde_json::Value::Null);
    assert_eq!(json["AccessKeyId"], "AKIAIOSFODNN7EXAMPLE");

    let out = xacct(&["whose-key", "AKIA not a key"]);
    assert_eq!(out.status.code(), Some(3));
    let err = text(&out.stderr);
    assert!(
        err.contains("`AKIA not a key` is not an access key id") && err.contains("20 characters"),
        "{err}"
    );
}

#[test]
fn the_key_ids_a_world_makes_carry_their_account() {
    let out = xacct(&[
        "serve",
        "scenarios/session-policy-arns.yaml",
        "--print-env",
        "arn:aws:iam::333333333333:root",
    ]);
    let env = text(&out.stdout);
    let key = env
        .lines()
        .find_map(|l| l.strip_prefix("export AWS_ACCESS_KEY_ID="))
        .expect("a key id");
    let out = xacct(&["whose-key", key]);
    assert!(
        text(&out.stdout).starts_with("333333333333\t"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn run_passes_session_tags_and_a_source_identity_to_the_world() {
    let base = [
        "run",
        "--scenario",
        "scenarios/session-chain-context.yaml",
        "--as",
        "arn:aws:iam::111111111111:user/alice",
        "--role-arn",
        "arn:aws:iam::222222222222:role/hub",
        "--session-name",
        "alice",
        "--output",
        "json",
    ];
    let tagged = [
        &base[..],
        &[
            "--tag",
            "project=apollo",
            "--transitive-tag-key",
            "project",
            "--source-identity",
            "alice",
        ],
    ]
    .concat();
    let out = xacct(&tagged);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["assume_role"]["source_identity"], "alice", "{json}");
    assert!(
        json["assume_role"]["packed_policy_size"]
            .as_i64()
            .is_some_and(|p| p > 0)
    );

    // hub's trust policy wants the caller's own name as source identity.
    let wrong = [&base[..], &["--source-identity", "admin"]].concat();
    let out = xacct(&wrong);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));

    // Bad flags are refused before any call, each naming its flag.
    let bad = [
        &base[..],
        &["--tag", "team", "--transitive-tag-key", "project"],
    ]
    .concat();
    let out = xacct(&bad);
    assert_eq!(out.status.code(), Some(3));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let fields: Vec<&str> = json["input_errors"]
        .as_array()
        .expect("input errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["--tag", "--transitive-tag-key"], "{json}");
}

#[test]
fn a_web_identity_start_takes_no_tags_or_source_identity() {
    // AssumeRoleWithWebIdentity has neither parameter: the token carries them.
    for flag in [
        ["--tag", "team=data"],
        ["--source-identity", "alice"],
        ["--transitive-tag-key", "team"],
    ] {
        let out = xacct(&[
            "run",
            "--web-identity-token-file",
            "token.jwt",
            "--role-arn",
            "arn:aws:iam::222222222222:role/deployer",
            flag[0],
            flag[1],
        ]);
        assert_eq!(out.status.code(), Some(3));
        assert!(
            text(&out.stderr).contains("cannot be used with"),
            "{}",
            text(&out.stderr)
        );
    }
    // A scenario says the same of a web identity run.
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("web-tags.yaml");
    std::fs::write(
        &file,
        r#"
name: web-tags
accounts:
  "111111111111":
    oidc_providers:
      token.actions.githubusercontent.com: { client_ids: [sts.amazonaws.com] }
    roles:
      r:
        trust_policy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com" }, Action: sts:AssumeRoleWithWebIdentity }] }
runs:
  - as: { web_identity: { provider: token.actions.githubusercontent.com, claims: { sub: x, aud: sts.amazonaws.com } } }
    role_arn: arn:aws:iam::111111111111:role/r
    source_identity: alice
"#,
    )
    .expect("written");
    let out = xacct(&["sim", file.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("runs[0].source_identity"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn whose_key_reads_many_key_ids_from_stdin() {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(["whose-key", "-", "--output", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"ASIAY34FZKBOKMUTVV7A\n\nnull\nAKIA not a key\nAKIAIOSFODNN7EXAMPLE\n")
        .expect("written");
    let out = child.wait_with_output().expect("runs");
    // One JSON line per key id; the bad line is named and the rest go on.
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["Account"], "609629065308");
    assert_eq!(lines[1]["AccessKeyId"], "AKIAIOSFODNN7EXAMPLE");
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("stdin line 4: "),
        "{}",
        text(&out.stderr)
    );
}
