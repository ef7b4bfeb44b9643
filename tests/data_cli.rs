//! `xacct run --get/--put` end to end: a direct read through a bucket
//! policy, a refusal with its exit code and explanation, a write refused
//! by Object Ownership, the flow then a read as the role session, and the
//! flags' own errors.

use std::path::Path;
use std::process::{Command, Output};

fn xacct(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xacct"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(args)
        .env_remove("AWS_MAX_ATTEMPTS")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

const PARTNER: &str = "scenarios/data-partner-read.yaml";
const REPORT: &str = "s3://shared-reports/reports/2026-01.csv";

#[test]
fn a_direct_read_through_the_bucket_policy_reports_the_object() {
    let out = xacct(&[
        "run",
        "--scenario",
        PARTNER,
        "--as",
        "arn:aws:iam::111111111111:user/analyst",
        "--get",
        REPORT,
    ]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains(
            "read s3://shared-reports/reports/2026-01.csv as arn:aws:iam::111111111111:user/analyst"
        ),
        "{shown}"
    );
    assert!(shown.contains("19 bytes"), "{shown}");
    assert!(
        !shown.contains("Assume Role"),
        "a direct run assumes no role: {shown}"
    );
}

#[test]
fn a_refused_read_exits_2_and_explain_names_the_missing_side() {
    let out = xacct(&[
        "run",
        "--scenario",
        PARTNER,
        "--as",
        "arn:aws:iam::111111111111:user/intern",
        "--get",
        REPORT,
        "--explain",
    ]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains("AccessDenied (HTTP 403): Access Denied"),
        "{shown}"
    );
    assert!(shown.contains("no identity policy of"), "{shown}");
    let json = xacct(&[
        "run",
        "--scenario",
        PARTNER,
        "--as",
        "arn:aws:iam::111111111111:user/intern",
        "--get",
        REPORT,
        "--output",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(value["objects"][0]["operation"], "s3:GetObject");
    assert_eq!(value["objects"][0]["error"]["code"], "AccessDenied");
    assert!(value.get("assume_role").is_none(), "{value}");
}

#[test]
fn a_write_with_an_acl_to_an_enforced_bucket_is_invalid_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("up.csv");
    std::fs::write(&file, "a,b\n").expect("written");
    let file = file.display().to_string();
    let out = xacct(&[
        "run",
        "--scenario",
        "scenarios/data-object-ownership.yaml",
        "--as",
        "arn:aws:iam::111111111111:user/uploader",
        "--put",
        &file,
        "s3://inbox/new.csv",
        "--acl",
        "public-read",
    ]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(3), "{shown}");
    assert!(shown.contains("AccessControlListNotSupported"), "{shown}");
    assert!(shown.contains("drop --acl"), "{shown}");
    let out = xacct(&[
        "run",
        "--scenario",
        "scenarios/data-object-ownership.yaml",
        "--as",
        "arn:aws:iam::111111111111:user/uploader",
        "--put",
        &file,
        "s3://inbox/new.csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn after_the_flow_the_role_session_reads() {
    let out = xacct(&[
        "run",
        "--scenario",
        "scenarios/data-flow-read.yaml",
        "--as",
        "arn:aws:iam::111111111111:user/homes",
        "--role-arn",
        "arn:aws:iam::222222222222:role/s3-viewer",
        "--get",
        "s3://account-b-bucket/hello.txt",
    ]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("read s3://account-b-bucket/hello.txt as arn:aws:sts::222222222222:assumed-role/s3-viewer/"),
        "{shown}"
    );
    assert!(shown.contains("21 bytes"), "{shown}");
}

#[test]
fn bad_object_flags_name_the_value_and_send_nothing() {
    let out = xacct(&[
        "run",
        "--scenario",
        PARTNER,
        "--as",
        "arn:aws:iam::111111111111:user/analyst",
        "--get",
        "shared-reports/report.csv",
        "--put",
        "/nonexistent/file",
        "s3://b/k",
    ]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(3), "{shown}");
    assert!(
        shown.contains("invalid --get `shared-reports/report.csv`"),
        "{shown}"
    );
    assert!(
        shown.contains("invalid --put `/nonexistent/file`"),
        "{shown}"
    );
    assert!(
        !shown.contains("Account A Buckets"),
        "nothing was sent: {shown}"
    );
}

#[test]
fn an_object_too_large_to_hold_is_refused_at_load_with_its_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let original =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(PARTNER)).expect("read");
    let huge = original.replace(
        r#"- { key: internal/notes.txt, body: "not for partners" }"#,
        "- { key: internal/notes.txt, size: 99999999999 }",
    );
    assert_ne!(huge, original, "the scenario changed");
    let file = dir.path().join("data-partner-read.yaml");
    std::fs::write(&file, huge).expect("written");
    let out = xacct(&["sim", &file.display().to_string()]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(3), "{shown}");
    assert!(
        shown.contains("buckets[0].objects[1].size: 99999999999 bytes is over the 67108864 bytes"),
        "{shown}"
    );
}
