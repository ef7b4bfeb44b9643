//! The who-can-read analysis on the shipped data scenarios: a read through
//! a role is found and named hop by hop, a public bucket is readable from
//! outside, an RCP keeps outside accounts off, and the findings name the
//! public bucket and the KMS key another account may use (and not the key
//! that trusts its own account only).

use std::path::Path;

use xacct::sim::{self, AssertSpec, CanRead, CannotRead, DataAccess, Loaded, NotReadable};

fn load(name: &str) -> Loaded {
    sim::load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(name),
    )
    .expect("loads")
}

fn check(loaded: &Loaded, fact: AssertSpec) -> String {
    let graph = loaded.world.graph();
    fact.check(&loaded.world, &graph)
        .iter()
        .map(|m| format!("{}: {}", m.expected, m.got))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_read_through_a_role_is_found_hop_by_hop() {
    let loaded = load("data-flow-read.yaml");
    let got = check(
        &loaded,
        AssertSpec::CannotRead(CannotRead {
            from: "arn:aws:iam::111111111111:user/homes".to_owned(),
            bucket: "account-b-bucket".to_owned(),
            unless: Vec::new(),
        }),
    );
    assert!(
        got.contains(
            "arn:aws:iam::111111111111:user/homes -> arn:aws:iam::222222222222:role/s3-viewer"
        ) && got
            .contains("then arn:aws:iam::222222222222:role/s3-viewer reads s3://account-b-bucket"),
        "{got}"
    );
    let only_homes = check(
        &loaded,
        AssertSpec::CanRead(CanRead {
            bucket: "account-b-bucket".to_owned(),
            only: vec!["arn:aws:iam::111111111111:user/homes".to_owned()],
            unless: Vec::new(),
        }),
    );
    assert!(
        only_homes.contains("s3-viewer can too") && only_homes.contains("user/homes cannot"),
        "{only_homes}"
    );
}

#[test]
fn a_public_bucket_is_readable_from_outside_and_a_blocked_one_is_not() {
    let loaded = load("data-public-bucket.yaml");
    let open = check(
        &loaded,
        AssertSpec::NotReadableFromOutsideOrg(NotReadable {
            bucket: "open-site".to_owned(),
            unless: Vec::new(),
        }),
    );
    assert!(open.contains("* reads s3://open-site"), "{open}");
    let blocked = check(
        &loaded,
        AssertSpec::NotReadableFromOutsideOrg(NotReadable {
            bucket: "site".to_owned(),
            unless: Vec::new(),
        }),
    );
    assert_eq!(
        blocked, "",
        "restrict_public_buckets keeps outsiders off site"
    );
    let edges = loaded.world.data_edges();
    let findings = loaded.world.data_findings(&edges);
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "bucket-public" && f.role == "s3://open-site"),
        "{findings:?}"
    );
    assert!(
        !findings.iter().any(|f| f.role == "s3://site"),
        "{findings:?}"
    );
}

#[test]
fn kms_keys_open_to_another_account_are_found() {
    let loaded = load("data-kms-cross-account.yaml");
    let edges = loaded.world.data_edges();
    let findings = loaded.world.data_findings(&edges);
    let keys: Vec<&str> = findings
        .iter()
        .filter(|f| f.rule == "kms-key-open-to-other-accounts")
        .map(|f| f.role.as_str())
        .collect();
    assert_eq!(keys, ["arn:aws:kms:eu-west-1:222222222222:key/shared"]);
    // The partner reads the bucket whose key is shared, and neither of the others.
    let partner: Vec<&str> = edges
        .iter()
        .filter(|e| {
            e.from == "arn:aws:iam::111111111111:user/analyst" && e.access == DataAccess::Read
        })
        .map(|e| e.bucket.as_str())
        .collect();
    assert_eq!(partner, ["shared-reports"]);
}

#[test]
fn an_rcp_keeps_outside_accounts_off_the_organization_s_buckets() {
    let loaded = load("data-rcp-org-only.yaml");
    let outside: Vec<String> = loaded
        .world
        .data_edges()
        .into_iter()
        .filter(|e| e.bucket == "member-data" && e.from.contains("support"))
        .map(|e| e.from)
        .collect();
    assert!(outside.is_empty(), "{outside:?}");
}
