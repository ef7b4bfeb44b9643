//! `xacct serve` answers IAM's read API to the real aws-sdk-iam: paging,
//! permissions decided by the world, IAM's errors; and `xacct import
//! --role-arn` reads a second account through an assumed role.

use std::path::Path;
use std::process::Command;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_iam as iam;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::spawned::Spawned;

/// A world with an auditor user in A who may read IAM and assume `audit`
/// in B, whose policy reads IAM too; and `half-audit`, which may not list roles.
const AUDIT: &str = r#"name: audit
clock: "2026-01-01T00:00:00Z"
imported: []
accounts:
  "111111111111":
    users:
      auditor:
        mfa: { serial: "arn:aws:iam::111111111111:mfa/auditor", code: "123456" }
        policies:
          read:
            Statement:
              - { Effect: Allow, Action: ["iam:Get*", "iam:List*", "sts:AssumeRole", "s3:ListAllMyBuckets"], Resource: "*" }
      intern: {}
  "222222222222":
    alias: account-b
    roles:
      audit:
        max_session_duration: 7200
        trust_policy:
          Statement:
            - { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:user/auditor" }, Action: sts:AssumeRole }
        policies:
          read:
            Statement:
              - { Effect: Allow, Action: ["iam:Get*", "iam:List*", "s3:ListAllMyBuckets"], Resource: "*" }
        permissions_boundary:
          Statement:
            - { Effect: Allow, Action: ["iam:*", "s3:*"], Resource: "*" }
      half-audit:
        trust_policy:
          Statement:
            - { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:user/auditor" }, Action: sts:AssumeRole }
        policies:
          read:
            Statement:
              - { Effect: Allow, Action: ["iam:GetAccountAuthorizationDetails"], Resource: "*" }
    buckets: [b-bucket]
"#;

fn keys(file: &Path, arn: &str) -> xacct::cloud::Credentials {
    let loaded = xacct::sim::load(file).expect("loads");
    let starter = xacct::sim::Starter {
        arn,
        ..Default::default()
    };
    xacct::sim::credentials_for(&loaded, &starter).expect("keys")
}

async fn client(addr: std::net::SocketAddr, creds: &xacct::cloud::Credentials) -> iam::Client {
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("http://{addr}"))
        .credentials_provider(aws_credential_types::Credentials::new(
            creds.access_key_id.clone(),
            creds.secret_access_key.expose(),
            None,
            None,
            "t",
        ))
        .load()
        .await;
    iam::Client::new(&config)
}

fn world(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("audit.yaml");
    std::fs::write(&file, AUDIT).expect("written");
    file
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorization_details_page_with_max_items_and_marker() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = world(dir.path());
    let served = Spawned::serve(&file.display().to_string(), &[]);
    let root = keys(&file, "arn:aws:iam::222222222222:root");
    let iam = client(served.addr, &root).await;
    let whole = iam
        .get_account_authorization_details()
        .send()
        .await
        .expect("allowed to root");
    assert!(!whole.is_truncated());
    assert_eq!(whole.role_detail_list().len(), 2);
    // One boundary, sent as a customer managed policy the role points to.
    assert_eq!(whole.policies().len(), 1);
    let audit = whole
        .role_detail_list()
        .iter()
        .find(|r| r.role_name() == Some("audit"))
        .expect("audit");
    assert_eq!(
        audit
            .permissions_boundary()
            .and_then(|b| b.permissions_boundary_arn()),
        whole.policies()[0].arn()
    );
    // URL-encoded JSON, as IAM sends policy documents.
    let trust = audit.assume_role_policy_document().expect("trust");
    assert!(trust.starts_with("%7B%22"), "{trust}");
    let first = iam
        .get_account_authorization_details()
        .max_items(1)
        .send()
        .await
        .expect("a page");
    assert!(first.is_truncated());
    assert_eq!(first.role_detail_list().len() + first.policies().len(), 1);
    let mut seen = 1;
    let mut marker = first.marker().map(str::to_owned);
    while let Some(m) = marker {
        let page = iam
            .get_account_authorization_details()
            .max_items(1)
            .marker(m)
            .send()
            .await
            .expect("next page");
        seen += page.role_detail_list().len() + page.policies().len();
        marker = page.marker().map(str::to_owned);
    }
    assert_eq!(seen, 3, "every entry exactly once across pages");
    let bad = iam
        .get_account_authorization_details()
        .max_items(0)
        .send()
        .await
        .expect_err("MaxItems 0 is out of range");
    assert_eq!(bad.code(), Some("ValidationError"));
    let roles = iam.list_roles().send().await.expect("ListRoles");
    let audit = roles
        .roles()
        .iter()
        .find(|r| r.role_name() == "audit")
        .expect("audit listed");
    assert_eq!(audit.max_session_duration(), Some(7200));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn iam_reads_are_decided_by_the_callers_policies_and_answered_as_iam_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = world(dir.path());
    let served = Spawned::serve(&file.display().to_string(), &[]);
    let intern = keys(&file, "arn:aws:iam::111111111111:user/intern");
    let iam = client(served.addr, &intern).await;
    let err = iam
        .get_account_authorization_details()
        .send()
        .await
        .expect_err("the intern has no IAM permission");
    let raw = err.raw_response().expect("an answer");
    assert_eq!(raw.status().as_u16(), 403);
    assert_eq!(err.code(), Some("AccessDenied"));
    // Observed IAM wording (the "because" clause AWS has added since 2021).
    assert_eq!(
        err.message(),
        Some(
            "User: arn:aws:iam::111111111111:user/intern is not authorized to perform: iam:GetAccountAuthorizationDetails on resource: * because no identity-based policy allows the iam:GetAccountAuthorizationDetails action"
        )
    );
    let auditor = keys(&file, "arn:aws:iam::111111111111:user/auditor");
    let iam = client(served.addr, &auditor).await;
    let missing = iam
        .get_role()
        .role_name("nope")
        .send()
        .await
        .expect_err("no such role");
    assert_eq!(missing.code(), Some("NoSuchEntity"));
    assert_eq!(
        missing.message(),
        Some("The role with name nope cannot be found.")
    );
    let devices = iam
        .list_mfa_devices()
        .user_name("auditor")
        .send()
        .await
        .expect("ListMFADevices");
    assert_eq!(
        devices.mfa_devices()[0].serial_number(),
        "arn:aws:iam::111111111111:mfa/auditor"
    );
    // Times are the world's creation, the same in every answer, not the
    // time of the request (the endpoint runs on the wall clock here).
    let world_created = 1_577_836_800; // 2020-01-01T00:00:00Z
    assert_eq!(devices.mfa_devices()[0].enable_date().secs(), world_created);
    let details = iam
        .get_account_authorization_details()
        .send()
        .await
        .expect("the auditor reads IAM");
    let created: Vec<i64> = details
        .user_detail_list()
        .iter()
        .filter_map(|u| u.create_date().map(|t| t.secs()))
        .collect();
    assert!(!created.is_empty());
    assert!(created.iter().all(|t| *t == world_created), "{created:?}");
    let log = served.log_when(|l| l.iter().any(|line| line.contains("iam:ListMFADevices")));
    assert!(
        log.iter().any(|l| l.contains("iam:GetAccountAuthorizationDetails arn:aws:iam::111111111111:user/intern -> 403 AccessDenied")),
        "{log:?}"
    );
}

fn import_through_roles(
    file: &Path,
    addr: std::net::SocketAddr,
    role: &str,
) -> std::process::Output {
    let auditor = keys(file, "arn:aws:iam::111111111111:user/auditor");
    Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(["import", "--live", "--role-arn", role])
        .args(["--endpoint-url", &format!("http://{addr}")])
        .env("AWS_ACCESS_KEY_ID", &auditor.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", auditor.secret_access_key.expose())
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("xacct runs")
}

#[test]
fn import_reads_other_accounts_through_assumed_roles_and_names_a_refused_call() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = world(dir.path());
    let served = Spawned::serve(&file.display().to_string(), &[]);
    let out = import_through_roles(&file, served.addr, "arn:aws:iam::222222222222:role/audit");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let text = String::from_utf8_lossy(&out.stdout);
    let world: serde_json::Value = serde_saphyr::from_str(&text).expect("YAML");
    let b = &world["accounts"]["222222222222"];
    assert_eq!(b["alias"], "account-b");
    assert_eq!(b["roles"]["audit"]["max_session_duration"], 7200);
    assert!(b["roles"]["audit"]["permissions_boundary"].is_object());
    assert_eq!(b["buckets"][0]["name"], "b-bucket");
    let a = &world["accounts"]["111111111111"];
    // The serial is imported; the code, which no API returns, is not.
    assert_eq!(
        a["users"]["auditor"]["mfa"],
        serde_json::json!({"serial": "arn:aws:iam::111111111111:mfa/auditor"})
    );
    assert!(!text.contains("123456"));
    let refused = import_through_roles(
        &file,
        served.addr,
        "arn:aws:iam::222222222222:role/half-audit",
    );
    assert_eq!(refused.status.code(), Some(2), "AccessDenied exits 2");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("role arn:aws:iam::222222222222:role/half-audit: iam:ListRoles failed: User: arn:aws:sts::222222222222:assumed-role/half-audit/xacct-import is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::222222222222:role/ because no identity-based policy allows the iam:ListRoles action"),
        "{stderr}"
    );
    assert!(
        refused.stdout.is_empty(),
        "nothing half-imported is written"
    );
}
