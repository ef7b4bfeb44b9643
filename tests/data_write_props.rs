//! Object writes as a property: for random identity policies, bucket
//! policies (one that requires `bucket-owner-full-control`), Object
//! Ownership, the ACL sent, Block Public Access on ACLs and the bucket's
//! default SSE-KMS key with its key policy, a PutObject (then a
//! DeleteObject) from the partner account or the bucket's own is decided
//! alike by the simulated S3, by
//! `xacct serve` through the real SDK over HTTP, and by a reference built
//! from the IAM engine and S3's documented rules: BucketOwnerEnforced
//! refuses every ACL but `bucket-owner-full-control` and `private`, which
//! grant the owner alone (`AccessControlListNotSupported`); `block_public_acls` refuses a public
//! ACL; `s3:PutObject` with `s3:x-amz-acl` and the encryption keys in the
//! request, identity and bucket policy (across accounts both); then
//! `kms:GenerateDataKey` on the key, its policy and, across accounts, the
//! identity policy (the AWS managed key serves its own account only).

use proptest::prelude::*;
use xacct::cloud::{ObjectAnswer, ObjectCall, ObjectKey, ObjectPut};
use xacct::sim::{self, Service, Starter};
use xacct_iam::{Caller, Context, Decision};

use crate::data_props::{engine, policy};

const A: &str = "111111111111";
const B: &str = "222222222222";
const KEY_ARN: &str = "arn:aws:kms:us-east-1:222222222222:key/k";

#[derive(Debug, Clone)]
struct Case {
    writer_in_a: bool,
    identity: &'static str,
    bucket_policy: Option<&'static str>,
    ownership: &'static str,
    acl: Option<&'static str>,
    block_public_acls: bool,
    key_policy: Option<&'static str>,
    aws_managed_key: bool,
}

const ALLOW_PUT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::data/*"}]}"#;
const ALLOW_PUT_AND_KMS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::data/*"},{"Effect":"Allow","Action":"kms:GenerateDataKey","Resource":"*"}]}"#;
const DENY_PUT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}"#;
const NOTHING: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#;

const BUCKET_ALLOWS_A: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::data/*"}]}"#;
const BUCKET_REQUIRES_FULL_CONTROL: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::data/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}"#;
const BUCKET_DENIES: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::data/*"}]}"#;

const KEY_OWNER_ONLY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:*","Resource":"*"}]}"#;
const KEY_SHARED: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::222222222222:root","arn:aws:iam::111111111111:root"]},"Action":"kms:*","Resource":"*"}]}"#;

fn case() -> impl Strategy<Value = Case> {
    (
        any::<bool>(),
        prop_oneof![
            Just(NOTHING),
            Just(ALLOW_PUT),
            Just(ALLOW_PUT_AND_KMS),
            Just(DENY_PUT)
        ],
        prop_oneof![
            Just(None),
            Just(Some(BUCKET_ALLOWS_A)),
            Just(Some(BUCKET_REQUIRES_FULL_CONTROL)),
            Just(Some(BUCKET_DENIES))
        ],
        prop_oneof![
            Just("ObjectWriter"),
            Just("BucketOwnerPreferred"),
            Just("BucketOwnerEnforced")
        ],
        prop_oneof![
            Just(None),
            Just(Some("private")),
            Just(Some("bucket-owner-full-control")),
            Just(Some("public-read"))
        ],
        any::<bool>(),
        prop_oneof![
            Just((None, false)),
            Just((Some(KEY_OWNER_ONLY), false)),
            Just((Some(KEY_SHARED), false)),
            Just((None, true))
        ],
    )
        .prop_map(
            |(
                writer_in_a,
                identity,
                bucket_policy,
                ownership,
                acl,
                block_public_acls,
                (key_policy, aws_managed_key),
            )| Case {
                writer_in_a,
                identity,
                bucket_policy,
                ownership,
                acl,
                block_public_acls,
                key_policy,
                aws_managed_key,
            },
        )
}

fn world(case: &Case) -> String {
    let bucket_policy = case
        .bucket_policy
        .map(|p| format!("        policy: {p}\n"))
        .unwrap_or_default();
    let key = case
        .key_policy
        .map(|p| format!("    kms_keys:\n      k:\n        policy: {p}\n"))
        .unwrap_or_default();
    let encryption = match (case.key_policy, case.aws_managed_key) {
        (Some(_), _) => format!("        encryption: {{ kms_key: \"{KEY_ARN}\" }}\n"),
        (None, true) => "        encryption: { kms_key: alias/aws/s3 }\n".to_owned(),
        (None, false) => String::new(),
    };
    format!(
        r#"name: data
clock: "2026-01-01T00:00:00Z"
accounts:
  "{A}":
    users:
      writer:
        policies:
          p: {identity}
  "{B}":
    users:
      writer:
        policies:
          p: {identity}
{key}    buckets:
      - name: data
        ownership: {ownership}
        public_access_block: {{ block_public_acls: {bpa}, ignore_public_acls: false, block_public_policy: false, restrict_public_buckets: false }}
{encryption}{bucket_policy}runs:
  - as: arn:aws:iam::{A}:user/writer
"#,
        identity = case.identity,
        ownership = case.ownership,
        bpa = case.block_public_acls,
    )
}

/// What S3 answers (the error code, or `ok`), by the engine and S3's rules.
fn reference(case: &Case) -> String {
    let account = if case.writer_in_a { A } else { B };
    if case.ownership == "BucketOwnerEnforced"
        && case
            .acl
            .is_some_and(|acl| !matches!(acl, "bucket-owner-full-control" | "private"))
    {
        return "AccessControlListNotSupported".to_owned();
    }
    if case.acl == Some("public-read") && case.block_public_acls {
        return "AccessDenied".to_owned();
    }
    let caller = Caller::parse(&format!("arn:aws:iam::{account}:user/writer")).expect("caller");
    let identity = policy(case.identity);
    let bucket = case.bucket_policy.map(policy);
    let mut context = Context::new();
    context.set("aws:SecureTransport", "true");
    if let Some(acl) = case.acl {
        context.set("s3:x-amz-acl", acl);
    }
    let key = match (case.key_policy, case.aws_managed_key) {
        (Some(_), _) => Some(KEY_ARN.to_owned()),
        (None, true) => Some("aws-managed".to_owned()),
        (None, false) => None,
    };
    if let Some(key) = &key {
        context.set("s3:x-amz-server-side-encryption", "aws:kms");
        let arn = if key == "aws-managed" {
            ""
        } else {
            key.as_str()
        };
        if !arn.is_empty() {
            context.set("s3:x-amz-server-side-encryption-aws-kms-key-id", arn);
        }
    }
    let s3 = engine(
        &caller,
        ("s3:PutObject", "arn:aws:s3:::data/o.txt", B),
        &identity,
        bucket.as_ref(),
        &context,
    );
    if s3 != Decision::Allow {
        return "AccessDenied".to_owned();
    }
    let kms = match (case.key_policy, case.aws_managed_key) {
        (None, false) => true,
        (None, true) => account == B,
        (Some(text), _) => {
            let mut ctx = context.clone();
            ctx.set("kms:ViaService", "s3.us-east-1.amazonaws.com");
            ctx.set("kms:CallerAccount", account);
            engine(
                &caller,
                ("kms:GenerateDataKey", KEY_ARN, B),
                &identity,
                Some(&policy(text)),
                &ctx,
            ) == Decision::Allow
        }
    };
    if kms { "ok" } else { "AccessDenied" }.to_owned()
}

/// DeleteObject by the engine: `s3:DeleteObject` with the identity and
/// bucket policies (S3 answers 204 whether the key exists or not).
fn delete_reference(case: &Case) -> String {
    let account = if case.writer_in_a { A } else { B };
    let caller = Caller::parse(&format!("arn:aws:iam::{account}:user/writer")).expect("caller");
    let mut context = Context::new();
    context.set("aws:SecureTransport", "true");
    let decided = engine(
        &caller,
        ("s3:DeleteObject", "arn:aws:s3:::data/o.txt", B),
        &policy(case.identity),
        case.bucket_policy.map(policy).as_ref(),
        &context,
    );
    if decided == Decision::Allow {
        "ok".to_owned()
    } else {
        "AccessDenied".to_owned()
    }
}

fn delete() -> ObjectCall {
    ObjectCall::Delete(ObjectKey {
        bucket: "data".to_owned(),
        key: "o.txt".to_owned(),
    })
}

fn put(case: &Case) -> ObjectCall {
    ObjectCall::Put(ObjectPut {
        at: ObjectKey {
            bucket: "data".to_owned(),
            key: "o.txt".to_owned(),
        },
        body: b"hello".to_vec().into(),
        acl: case.acl.map(str::to_owned),
        kms_key: None,
        when: xacct::cloud::Preconditions::default(),
        headers: xacct::cloud::ObjectHeaders::default(),
    })
}

fn outcome(result: Result<ObjectAnswer, String>) -> String {
    match result {
        Ok(ObjectAnswer::Stored(_) | ObjectAnswer::Deleted) => "ok".to_owned(),
        Ok(other) => format!("{other:?}"),
        Err(code) => code,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn sim_serve_and_the_engine_agree_on_every_write(case in case()) {
        let text = world(&case);
        let loaded = sim::build(sim::parse(&text, "data.yaml").unwrap_or_else(|e| panic!("{e}\n{text}")), "data.yaml")
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        let account = if case.writer_in_a { A } else { B };
        let arn = format!("arn:aws:iam::{account}:user/writer");
        let creds = sim::credentials_for(&loaded, &Starter { arn: &arn, ..Default::default() }).expect("writer");
        let who = loaded.world.authenticate(&creds, Service::S3).expect("authenticated");
        let call = put(&case);
        let simulated = outcome(match loaded.world.call(&who, sim::Request::Object(call.clone())).result {
            Ok(sim::Response::Object(answer)) => Ok(answer),
            Ok(other) => Err(other.shown()),
            Err(e) => Err(e.code),
        });
        prop_assert_eq!(&simulated, &reference(&case), "{:?}", case);
        // The analysis is sound: a write the simulator allows is an edge
        // (decided on a fresh world: the analysis reads the scenario's).
        if simulated == "ok" {
            let before = sim::build(sim::parse(&text, "data.yaml").expect("parses"), "data.yaml").expect("builds");
            let edges = before.world.data_edges();
            prop_assert!(
                edges.iter().any(|e| e.from == arn && e.bucket == "data" && e.access == sim::DataAccess::Write),
                "{:?}: no write edge from {} in {:?}", case, arn, edges
            );
        }
        // A fresh world for the endpoint: the simulated write changed this one.
        let fresh = sim::build(sim::parse(&text, "data.yaml").expect("parses"), "data.yaml").expect("builds");
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let over_http = outcome(runtime.block_on(crate::support::object_over_http(&fresh, &creds, &call)));
        prop_assert_eq!(&over_http, &simulated, "{:?}", case);
        // DeleteObject: decided by the same policies, 204 either way.
        let deleted = outcome(match loaded.world.call(&who, sim::Request::Object(delete())).result {
            Ok(sim::Response::Object(answer)) => Ok(answer),
            Ok(other) => Err(other.shown()),
            Err(e) => Err(e.code),
        });
        prop_assert_eq!(&deleted, &delete_reference(&case), "{:?}: delete", case);
        let deleted_over_http = outcome(runtime.block_on(crate::support::object_over_http(&fresh, &creds, &delete())));
        prop_assert_eq!(&deleted_over_http, &deleted, "{:?}: delete", case);
    }
}
