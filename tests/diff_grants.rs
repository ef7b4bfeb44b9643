//! `xacct diff`'s grants: probed three ways, so a grant under a condition
//! the world does not fix counts; a policy allowing by exclusion is new
//! access no probe can count; a change of tags or organization membership
//! is a change of the identity side.

use std::process::{Command, Output};

fn xacct(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(args)
        .output()
        .expect("xacct runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A one-user world: `dev` with `tags` (YAML flow map) and `statements`
/// (YAML flow sequences, one per line).
fn world(dir: &std::path::Path, name: &str, tags: &str, statements: &[&str]) -> String {
    let path = dir.join(format!("{name}.yaml"));
    let mut text = format!(
        "name: {name}\nimported: []\naccounts:\n  \"111111111111\":\n    users:\n      dev:\n        tags: {tags}\n        policies:\n"
    );
    for (i, s) in statements.iter().enumerate() {
        text.push_str(&format!(
            "          p{i}:\n            Statement:\n              - {s}\n"
        ));
    }
    std::fs::write(&path, text).expect("written");
    path.display().to_string()
}

const READ_LOGS: &str =
    r#"{ Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/*" }"#;

#[test]
fn a_grant_under_a_condition_counts_as_new_access() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = world(dir.path(), "old", "{}", &[READ_LOGS]);
    let new = world(
        dir.path(),
        "new",
        "{}",
        &[
            READ_LOGS,
            r#"{ Effect: Allow, Action: "s3:PutObject", Resource: "arn:aws:s3:::logs/*", Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } }"#,
        ],
    );
    let out = xacct(&["diff", &old, &new, "--grants", "full"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("  + s3:PutObject on arn:aws:s3:::logs/probe"),
        "{text}"
    );
}

#[test]
fn a_policy_allowing_by_exclusion_is_unprobed_new_access() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = world(dir.path(), "old", "{}", &[READ_LOGS]);
    let new = world(
        dir.path(),
        "new",
        "{}",
        &[
            READ_LOGS,
            r#"{ Effect: Allow, NotAction: "iam:*", Resource: "*" }"#,
        ],
    );
    let out = xacct(&["diff", &old, &new]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("p1 allow(s) everything but what it lists (NotAction/NotResource): not probed, taken as new access"),
        "{text}"
    );
    assert!(
        text.contains("1 policy(ies) allowing by exclusion"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&xacct(&["diff", &old, &new, "--output", "json"])))
            .expect("JSON");
    assert_eq!(json["grants"]["unprobed"], 1);
    assert_eq!(json["grants"]["principals"][0]["unprobed"][0], "p1");
    assert_eq!(json["opens_access"], true);
    // Taking it away narrows: no new access.
    assert_eq!(xacct(&["diff", &new, &old]).status.code(), Some(0));
}

#[test]
fn a_tag_change_is_probed_like_a_policy_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let abac = r#"{ Effect: Allow, Action: "s3:DeleteObject", Resource: "arn:aws:s3:::logs/*", Condition: { StringEquals: { "aws:PrincipalTag/team": "admin" } } }"#;
    let old = world(dir.path(), "old", "{ team: data }", &[READ_LOGS, abac]);
    let new = world(dir.path(), "new", "{ team: admin }", &[READ_LOGS, abac]);
    let out = xacct(&["diff", &old, &new, "--grants", "full"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("  + s3:DeleteObject on arn:aws:s3:::logs/probe"),
        "{text}"
    );
    assert!(text.contains("tags changed"), "{text}");
}

#[test]
fn a_grant_that_needs_a_resource_policy_counts() {
    // A KMS key's policy decides with the caller's (KMS Developer Guide,
    // "Key policies"); a queue of another account needs its queue policy.
    // Neither is probed, so the grant turns on the identity side.
    let dir = tempfile::tempdir().expect("tempdir");
    let old = world(dir.path(), "old", "{}", &[READ_LOGS]);
    let new = world(
        dir.path(),
        "new",
        "{}",
        &[
            READ_LOGS,
            r#"{ Effect: Allow, Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:111111111111:key/*" }"#,
            r#"{ Effect: Allow, Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:222222222222:jobs" }"#,
        ],
    );
    let out = xacct(&["diff", &old, &new, "--grants", "full"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("  + kms:Decrypt on arn:aws:kms:us-east-1:111111111111:key/probe"),
        "{text}"
    );
    assert!(
        text.contains("  + sqs:SendMessage on arn:aws:sqs:us-east-1:222222222222:jobs"),
        "{text}"
    );
    // Nothing else appears: the stand-in lets nobody in by itself.
    assert!(!text.contains("s3:GetObject on"), "{text}");
}
