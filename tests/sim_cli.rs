//! `xacct sim`, `xacct demo` and `xacct run --scenario` end to end.

use std::path::Path;
use std::process::{Command, Output};

fn xacct_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xacct"))
        .current_dir(dir)
        .args(args)
        .env_remove("AWS_MAX_ATTEMPTS")
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn xacct(args: &[&str]) -> Output {
    xacct_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn sim_passes_every_scenario_with_a_summary_line() {
    let out = xacct(&["sim", "scenarios/"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(
        text.lines()
            .all(|l| l.starts_with("PASS ") || l.ends_with(" passed, 0 failed")),
        "{text}"
    );
    let last = text.lines().last().unwrap_or_default();
    let passed: usize = last
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_default();
    assert!(passed >= 40, "{last}");
}

#[test]
fn a_broken_expectation_fails_with_a_readable_mismatch() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/success.yaml"),
    )
    .expect("read");
    let broken = text.replace(
        "target_buckets: [account-b-bucket]",
        "target_buckets: [account-b-bucket, missing-bucket]",
    );
    std::fs::write(dir.path().join("success.yaml"), broken).expect("write");
    let out = xacct_in(dir.path(), &["sim", "success.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("FAIL success: homes reads both accounts"),
        "{text}"
    );
    assert!(
        text.contains("target_buckets: expected [account-b-bucket, missing-bucket]"),
        "{text}"
    );
    assert!(text.contains("got      [account-b-bucket]"), "{text}");
    assert!(text.ends_with("1 passed, 1 failed\n"), "{text}");

    let json = xacct_in(dir.path(), &["sim", "success.yaml", "--output", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(value["failed"], 1);
    assert_eq!(
        value["results"][0]["mismatches"][0]["field"],
        "target_buckets"
    );

    let junit = stdout(&xacct_in(
        dir.path(),
        &["sim", "success.yaml", "--output", "junit"],
    ));
    assert!(junit.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"xacct sim\" tests=\"2\" failures=\"1\""), "{junit}");
    assert!(junit.contains("<failure message=\"target_buckets: expected [account-b-bucket, missing-bucket], got [account-b-bucket]\">"), "{junit}");
}

#[test]
fn a_bad_scenario_names_the_file_and_the_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("typo.yaml"),
        "name: typo\naccounts: {}\nrunz: []\n",
    )
    .expect("write");
    let out = xacct_in(dir.path(), &["sim", "typo.yaml"]);
    assert_eq!(out.status.code(), Some(3));
    let text = stderr(&out);
    assert!(
        text.contains("typo.yaml: ") && text.contains("runz") && text.contains("line 3"),
        "{text}"
    );

    std::fs::write(
        dir.path().join("other.yaml"),
        "name: not-other\naccounts: {}\nruns: []\n",
    )
    .expect("write");
    let out = xacct_in(dir.path(), &["sim", "other.yaml"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("other.yaml: name: `not-other` must match the file name `other`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn demo_works_from_an_empty_directory_in_80_columns_never_cutting_a_word() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = xacct_in(dir.path(), &["demo"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("xacct demo: success\n"), "{text}");
    assert!(
        text.contains("xacct demo: root-principal-overreach\n"),
        "{text}"
    );
    assert!(
        text.contains("user/homes (111111111111) --may assume--> role/s3-viewer (222222222222)"),
        "{text}"
    );
    assert!(
        text.contains("trust policy `s3-viewer` statement 0"),
        "the deciding statement is shown: {text}"
    );
    assert!(
        text.contains("medium trust-account-principal at arn:aws:iam::222222222222:role/s3-viewer"),
        "{text}"
    );
    assert!(
        text.contains("RUN 2: the intern gets in too - the overreach"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no colour when not on a terminal");
    fits(&text, 80);
}

/// Every line fits `columns`, but for one word too long for any line (an
/// ARN) or a policy excerpt, which stays whole so it can be copied; and
/// every line that starts a policy excerpt is whole JSON.
fn fits(text: &str, columns: usize) {
    for line in text.lines() {
        let word = line.trim();
        let json = word.starts_with('{');
        if json {
            assert!(
                serde_json::from_str::<serde_json::Value>(word).is_ok(),
                "a policy excerpt is whole JSON: {word}"
            );
        }
        assert!(
            line.chars().count() <= columns || json || line.split_whitespace().count() == 1,
            "longer than {columns} columns: {line}"
        );
    }
}

#[test]
fn demo_wraps_at_the_given_width_and_never_inside_a_json_string() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A statement whose Sid and condition value hold spaces: split on
    // spaces, its excerpt would break inside a JSON string.
    std::fs::write(
        dir.path().join("spaces.yaml"),
        r#"name: spaces
accounts:
  "111111111111":
    users:
      homes:
        policies:
          read:
            Statement:
              - Sid: "Read the reports of the partner team"
                Effect: Allow
                Action: s3:ListAllMyBuckets
                Resource: "*"
                Condition: { StringEquals: { "aws:PrincipalTag/team": "partner reports and more" } }
    buckets: [b]
runs:
  - name: homes lists
    as: arn:aws:iam::111111111111:user/homes
    expect: { source_buckets: [] }
"#,
    )
    .expect("write");
    let narrow = xacct_in(dir.path(), &["demo", "spaces.yaml"]);
    let text = stdout(&narrow);
    assert!(
        text.contains(r#""Sid":"Read the reports of the partner team""#),
        "the excerpt is whole: {text}"
    );
    fits(&text, 80);

    let wide = Command::new(env!("CARGO_BIN_EXE_xacct"))
        .current_dir(dir.path())
        .args(["demo", "spaces.yaml"])
        .env("COLUMNS", "140")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    let wide = stdout(&wide);
    fits(&wide, 140);
    assert!(
        wide.lines()
            .any(|l| !l.trim_start().starts_with('{') && l.chars().count() > 80),
        "COLUMNS=140 uses the width: {wide}"
    );
    assert!(
        wide.lines().count() < text.lines().count(),
        "wider lines, fewer of them"
    );
}

#[test]
fn demo_of_a_file_shows_refusals_with_aws_messages() {
    let out = xacct(&["demo", "scenarios/federated-user.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.contains("REFUSED: GetFederationToken sessions may call no STS operation but"),
        "{text}"
    );
    assert!(
        text.contains("-> AccessDenied (HTTP 403): Roles may not be assumed by federated users"),
        "{text}"
    );
}

#[test]
fn run_against_a_scenario_prints_the_live_report() {
    let out = xacct(&[
        "run",
        "--scenario",
        "scenarios/success.yaml",
        "--as",
        "arn:aws:iam::111111111111:user/homes",
        "--role-arn",
        "arn:aws:iam::222222222222:role/s3-viewer",
        "--session-name",
        "homess3viewersession",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("===== Account A Buckets =====\nas arn:aws:iam::111111111111:user/homes (account 111111111111)\naccount-a-bucket\n"), "{text}");
    assert!(
        text.contains(
            "assumed:    arn:aws:sts::222222222222:assumed-role/s3-viewer/homess3viewersession\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("expires:    2026-01-01T01:00:00Z (in 1h 0m)\n"),
        "{text}"
    );
    assert!(text.ends_with("===== Account B Buckets =====\nas arn:aws:sts::222222222222:assumed-role/s3-viewer/homess3viewersession\naccount-b-bucket\n"), "{text}");
}

#[test]
fn explain_names_the_deciding_statement() {
    let out = xacct(&[
        "run",
        "--scenario",
        "scenarios/explicit-deny.yaml",
        "--as",
        "arn:aws:iam::111111111111:user/homes",
        "--role-arn",
        "arn:aws:iam::222222222222:role/s3-viewer",
        "--explain",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(text.contains("===== Why ====="), "{text}");
    assert!(
        text.contains("REFUSED: explicitly denied by identity policy `homes/no-production`"),
        "{text}"
    );
    assert!(text.contains("(Sid \"NoAccountB\")"), "{text}");
}

#[test]
fn run_against_a_scenario_exits_with_the_class_of_aws_error() {
    let refused = xacct(&[
        "run",
        "--scenario",
        "scenarios/root-principal-fixed.yaml",
        "--as",
        "arn:aws:iam::111111111111:user/intern",
        "--role-arn",
        "arn:aws:iam::222222222222:role/s3-viewer",
        "--output",
        "json",
    ]);
    assert_eq!(refused.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&refused.stdout).expect("JSON");
    assert_eq!(
        json["assume_role"]["error"]["message"],
        "User: arn:aws:iam::111111111111:user/intern is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/s3-viewer"
    );

    let federated = xacct(&[
        "run",
        "--scenario",
        "scenarios/federated-user.yaml",
        "--as",
        "arn:aws:sts::111111111111:federated-user/f1",
        "--federated-by",
        "homes",
        "--role-arn",
        "arn:aws:iam::222222222222:role/s3-viewer",
    ]);
    assert_eq!(federated.status.code(), Some(2), "{}", stdout(&federated));
    assert!(stdout(&federated).contains("Roles may not be assumed by federated users"));

    let chained = xacct(&[
        "run",
        "--scenario",
        "scenarios/role-chaining.yaml",
        "--as",
        "arn:aws:sts::111111111111:assumed-role/jump/ci",
        "--role-arn",
        "arn:aws:iam::222222222222:role/s3-viewer",
        "--duration-seconds",
        "7200",
    ]);
    assert_eq!(chained.status.code(), Some(3));
    assert!(
        stdout(&chained).contains("1 hour session limit for roles assumed by role chaining"),
        "{}",
        stdout(&chained)
    );

    let unknown = xacct(&[
        "run",
        "--scenario",
        "scenarios/success.yaml",
        "--as",
        "arn:aws:iam::111111111111:user/nobody",
        "--role-arn",
        "arn:aws:iam::222222222222:role/s3-viewer",
    ]);
    assert_eq!(unknown.status.code(), Some(3));
    assert!(
        stderr(&unknown).contains("is not a principal of the scenario"),
        "{}",
        stderr(&unknown)
    );
    let missing_as = xacct(&[
        "run",
        "--scenario",
        "scenarios/success.yaml",
        "--role-arn",
        "arn:aws:iam::222222222222:role/s3-viewer",
    ]);
    assert_eq!(missing_as.status.code(), Some(3));
}

#[test]
fn no_secret_in_sim_demo_or_simulated_run_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/success.yaml"),
    )
    .expect("read");
    let secret = "GivenSecretMustNotPrint/0123456789abcdefXYZ";
    let with_key = text.replace(
        "      homes:\n        policies:",
        &format!("      homes:\n        access_key: {{ id: AKIAHOMESEXAMPLE0001, secret: \"{secret}\" }}\n        policies:"),
    );
    std::fs::write(dir.path().join("success.yaml"), with_key).expect("write");
    let outputs = [
        xacct_in(dir.path(), &["sim", "success.yaml"]),
        xacct_in(dir.path(), &["sim", "success.yaml", "--output", "json"]),
        xacct_in(dir.path(), &["demo", "success.yaml"]),
        xacct_in(
            dir.path(),
            &[
                "-vvv",
                "run",
                "--scenario",
                "success.yaml",
                "--as",
                "arn:aws:iam::111111111111:user/homes",
                "--role-arn",
                "arn:aws:iam::222222222222:role/s3-viewer",
            ],
        ),
    ];
    for out in &outputs {
        assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
        assert!(!stdout(out).contains(secret) && !stderr(out).contains(secret));
    }
    assert!(
        stdout(&outputs[3]).contains("AKIA")
            || stderr(&outputs[3]).contains("AKIAHOMESEXAMPLE0001"),
        "the key id (not secret) may be shown"
    );
}

#[test]
fn no_temporary_secret_in_the_narration() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let loaded =
        xacct::sim::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/success.yaml"))
            .expect("load");
    let outcomes = xacct::sim::run_all(&loaded, &rt, 3).expect("runs");
    let secrets: Vec<String> = outcomes
        .iter()
        .filter_map(|o| o.report.assumed())
        .flat_map(|a| {
            let c = &a.credentials;
            [c.secret_access_key.expose().to_owned()]
                .into_iter()
                .chain(c.session_token.as_ref().map(|t| t.expose().to_owned()))
        })
        .collect();
    assert!(!secrets.is_empty(), "the run issued temporary credentials");
    let style = xacct::render::narrate::Style::new(false);
    let mut text = xacct::render::narrate::world(&loaded, style);
    for (i, o) in outcomes.iter().enumerate() {
        text.push_str(&xacct::render::narrate::run(i, o, style));
        text.push_str(&format!("{:?}", o.report));
        text.push_str(&xacct::render::text::report(&o.report, loaded.start));
        text.push_str(&xacct::render::json::report(&o.report, loaded.start));
    }
    for secret in secrets {
        assert!(
            !text.contains(&secret),
            "a temporary secret or token reached the output"
        );
    }
}

#[test]
fn a_world_without_runs_graphs_demos_and_serves() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("noruns.yaml");
    std::fs::write(
        &file,
        r#"name: noruns
accounts:
  "111111111111":
    users:
      dev:
        policies:
          p: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "sts:AssumeRole", Resource: "*" } ] }
  "222222222222":
    roles:
      ops:
        trust_policy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole" } ] }
"#,
    )
    .expect("written");
    let path = file.to_str().expect("path");
    let graph = xacct(&["graph", path]);
    assert_eq!(graph.status.code(), Some(0), "{}", stderr(&graph));
    assert!(stdout(&graph).contains("user/dev --assume--> arn:aws:iam::222222222222:role/ops"));
    let demo = xacct(&["demo", path]);
    assert_eq!(demo.status.code(), Some(0), "{}", stderr(&demo));
    let sim = xacct(&["sim", path]);
    assert_eq!(sim.status.code(), Some(0), "{}", stderr(&sim));
    let server = crate::spawned::Spawned::serve(path, &["--quiet"]);
    assert!(server.banner.contains("noruns"));
}

#[test]
fn serve_on_port_0_writes_its_endpoint_to_the_ready_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let ready = dir.path().join("ready.json");
    let scenario = crate::spawned::scenario("success.yaml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(["serve", &scenario, "--port", "0", "--quiet", "--ready-file"])
        .arg(&ready)
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("starts");
    let mut text = String::new();
    for _ in 0..500 {
        if let Ok(t) = std::fs::read_to_string(&ready) {
            text = t;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let port = doc["port"].as_u64().expect("a port");
    assert!(port > 0);
    // The explain key: in the ready file and in the user's private key
    // file for the port, both of mode 0600; gone once the server stops.
    use std::os::unix::fs::PermissionsExt as _;
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("exists").permissions().mode() & 0o777;
    let key = doc["explain_key"].as_str().expect("an explain key");
    assert!(
        key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()),
        "{key}"
    );
    assert_eq!(mode(&ready), 0o600);
    let key_file = dir
        .path()
        .join(format!("cache/xacct-explain/127.0.0.1-{port}"));
    assert_eq!(
        std::fs::read_to_string(&key_file).expect("the key file"),
        key
    );
    assert_eq!(mode(&key_file), 0o600);
    assert_eq!(mode(key_file.parent().expect("its directory")), 0o700);
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    let _ = child.wait();
    assert!(!key_file.exists(), "the key file is removed at stop");
    assert_eq!(doc["endpoint"], format!("http://127.0.0.1:{port}"));
    assert_eq!(
        (doc["region"].as_str(), doc["scenario"].as_str()),
        (Some("ap-northeast-1"), Some("success"))
    );
}

#[test]
fn demo_tells_several_files_in_order() {
    let out = xacct(&[
        "demo",
        "scenarios/success.yaml",
        "scenarios/external-id.yaml",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let first = text.find("xacct demo: success").expect("the first");
    let second = text.find("xacct demo: external-id").expect("the second");
    assert!(first < second);
}

#[test]
fn print_env_of_a_role_prints_a_session_from_the_running_endpoint() {
    let scenario = crate::spawned::scenario("success.yaml");
    let server = crate::spawned::Spawned::serve(&scenario, &["--quiet"]);
    let port = server.addr.port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args([
            "serve",
            &scenario,
            "--port",
            &port,
            "--print-env",
            "arn:aws:iam::222222222222:role/s3-viewer",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let get = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("export {name}=")))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(get("AWS_ACCESS_KEY_ID").starts_with("ASIA"), "{text}");
    assert!(!get("AWS_SESSION_TOKEN").is_empty(), "{text}");
    assert!(stderr(&out).contains("assumed-role/s3-viewer/xacct-print-env"));
    // No user gets into a role that needs a condition.
    let mfa = crate::spawned::scenario("mfa-required.yaml");
    let out = Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args([
            "serve",
            &mfa,
            "--port",
            &port,
            "--print-env",
            "arn:aws:iam::222222222222:role/admin",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("without conditions"),
        "{}",
        stderr(&out)
    );
}
