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
    // The partner always reads the bucket whose key is shared. The other
    // two only conditionally: through an object their owner would write
    // with the shared key (their own objects' keys it cannot use).
    let partner: Vec<(&str, xacct::iam::Verdict, bool)> = edges
        .iter()
        .filter(|e| {
            e.from == "arn:aws:iam::111111111111:user/analyst" && e.access == DataAccess::Read
        })
        .map(|e| (e.bucket.as_str(), e.verdict, e.why.contains("key/shared")))
        .collect();
    assert_eq!(
        partner,
        [
            ("locked-reports", xacct::iam::Verdict::Conditional, true),
            ("shared-reports", xacct::iam::Verdict::Always, true),
            ("default-reports", xacct::iam::Verdict::Conditional, true),
        ]
    );
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

/// A reader that cannot decrypt the bucket's default key may still read an
/// object another principal writes with a key it can decrypt: the
/// analysis must not say "no" (the simulator lets it in once such an
/// object exists).
#[test]
fn a_key_a_writer_may_use_keeps_the_read_edge() {
    let world = r#"name: keys
clock: "2026-01-01T00:00:00Z"
accounts:
  "111111111111":
    users:
      reader:
        policies:
          p: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: ["s3:GetObject", "kms:Decrypt"], Resource: "*" } ] }
  "222222222222":
    users:
      admin:
        policies:
          p: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "*", Resource: "*" } ] }
    kms_keys:
      locked:
        policy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "kms:*", Resource: "*" } ] }
      shared:
        policy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: ["arn:aws:iam::222222222222:root", "arn:aws:iam::111111111111:root"] }, Action: "kms:*", Resource: "*" } ] }
    buckets:
      - name: data
        encryption: { kms_key: "arn:aws:kms:us-east-1:222222222222:key/locked" }
        policy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::data/*" } ] }
runs:
  - as: arn:aws:iam::111111111111:user/reader
"#;
    let loaded =
        sim::build(sim::parse(world, "keys.yaml").expect("parses"), "keys.yaml").expect("builds");
    let edges = loaded.world.data_edges();
    let read = edges.iter().find(|e| {
        e.from == "arn:aws:iam::111111111111:user/reader"
            && e.bucket == "data"
            && e.access == DataAccess::Read
    });
    assert!(
        read.is_some_and(|e| e.why.contains("key/shared")),
        "{edges:?}"
    );
    // The simulator agrees once the admin writes with the shared key.
    let who = |arn: &str| {
        let creds = sim::credentials_for(
            &loaded,
            &sim::Starter {
                arn,
                ..Default::default()
            },
        )
        .expect("creds");
        loaded
            .world
            .authenticate(&creds, sim::Service::S3)
            .expect("authenticated")
    };
    let at = xacct::cloud::ObjectKey {
        bucket: "data".to_owned(),
        key: "k".to_owned(),
    };
    let put = xacct::cloud::ObjectCall::Put(xacct::cloud::ObjectPut {
        at: at.clone(),
        body: b"x".to_vec().into(),
        acl: None,
        kms_key: Some("arn:aws:kms:us-east-1:222222222222:key/shared".to_owned()),
        when: xacct::cloud::Preconditions::default(),
        headers: xacct::cloud::ObjectHeaders::default(),
    });
    assert!(
        loaded
            .world
            .call(
                &who("arn:aws:iam::222222222222:user/admin"),
                sim::Request::Object(put)
            )
            .result
            .is_ok()
    );
    let got = loaded
        .world
        .call(
            &who("arn:aws:iam::111111111111:user/reader"),
            sim::Request::Object(xacct::cloud::ObjectCall::get(at)),
        )
        .result;
    assert!(got.is_ok(), "{got:?}");
}

#[test]
fn a_can_read_name_in_a_world_account_must_exist() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/data-partner-read.yaml"),
    )
    .expect("read")
    .replace(
        "only: [arn:aws:iam::111111111111:user/analyst]",
        "only: [arn:aws:iam::111111111111:user/analsyt]",
    );
    let refused = sim::build(
        sim::parse(&text, "data-partner-read.yaml").expect("parses"),
        "data-partner-read.yaml",
    )
    .err()
    .map(|e| e.message)
    .unwrap_or_default();
    assert!(
        refused.contains("can_read.only[0]")
            && refused.contains("did you mean arn:aws:iam::111111111111:user/analyst"),
        "{refused}"
    );
}
