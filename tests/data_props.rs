//! Object access as a property: for random identity policies, bucket
//! policies, Block Public Access, Object Ownership with the object's writer
//! and ACL, and SSE-KMS keys with their key policies, a GetObject and a
//! HeadObject are decided alike by the simulated S3 (`xacct sim`'s front
//! door), by `xacct serve` through the real SDK over HTTP, and by a
//! reference built from the IAM engine (what `policy eval` runs) and S3's
//! documented rules (HeadObject reads metadata: the key does not decide it):
//! across accounts identity and bucket policy must both allow; an object
//! another account owns is readable only as its ACL grants, with the
//! reader's own identity policy; a public policy under
//! `restrict_public_buckets` grants no outside account; a key policy must
//! allow `kms:Decrypt`, across accounts the identity policy too.

use proptest::prelude::*;
use xacct::cloud::{ObjectAnswer, ObjectCall, ObjectKey};
use xacct::sim::{self, Service, Starter};
use xacct_iam::{Caller, Context, Decision, NamedPolicy, Policies, PolicyKind, Request};

const A: &str = "111111111111";
const B: &str = "222222222222";
const KEY_ARN: &str = "arn:aws:kms:us-east-1:222222222222:key/k";

#[derive(Debug, Clone, Copy)]
enum Identity {
    Nothing,
    AllowGet,
    AllowGetAndDecrypt,
    DenyGet,
}

#[derive(Debug, Clone, Copy)]
enum BucketPolicy {
    None,
    AllowAccountA,
    AllowReaderOfA,
    Public,
    DenyAll,
}

#[derive(Debug, Clone, Copy)]
enum Kms {
    None,
    OwnerOnly,
    SharedWithA,
    AwsManaged,
}

#[derive(Debug, Clone)]
struct Case {
    reader_in_a: bool,
    identity: Identity,
    bucket_policy: BucketPolicy,
    restrict_public: bool,
    ownership: &'static str,
    writer_is_a: bool,
    acl: &'static str,
    kms: Kms,
}

fn case() -> impl Strategy<Value = Case> {
    (
        any::<bool>(),
        prop_oneof![
            Just(Identity::Nothing),
            Just(Identity::AllowGet),
            Just(Identity::AllowGetAndDecrypt),
            Just(Identity::DenyGet)
        ],
        prop_oneof![
            Just(BucketPolicy::None),
            Just(BucketPolicy::AllowAccountA),
            Just(BucketPolicy::AllowReaderOfA),
            Just(BucketPolicy::Public),
            Just(BucketPolicy::DenyAll)
        ],
        any::<bool>(),
        prop_oneof![
            Just("ObjectWriter"),
            Just("BucketOwnerPreferred"),
            Just("BucketOwnerEnforced")
        ],
        any::<bool>(),
        prop_oneof![
            Just("private"),
            Just("bucket-owner-read"),
            Just("bucket-owner-full-control")
        ],
        prop_oneof![
            Just(Kms::None),
            Just(Kms::OwnerOnly),
            Just(Kms::SharedWithA),
            Just(Kms::AwsManaged)
        ],
    )
        .prop_map(
            |(
                reader_in_a,
                identity,
                bucket_policy,
                restrict_public,
                ownership,
                writer_is_a,
                acl,
                kms,
            )| {
                Case {
                    reader_in_a,
                    identity,
                    bucket_policy,
                    restrict_public,
                    ownership,
                    writer_is_a,
                    // ACLs are disabled under BucketOwnerEnforced.
                    acl: if ownership == "BucketOwnerEnforced" && acl == "bucket-owner-read" {
                        "private"
                    } else {
                        acl
                    },
                    kms,
                }
            },
        )
}

fn identity_text(identity: Identity) -> &'static str {
    match identity {
        Identity::Nothing => {
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#
        }
        Identity::AllowGet => {
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}]}"#
        }
        Identity::AllowGetAndDecrypt => {
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"},{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}"#
        }
        Identity::DenyGet => {
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}"#
        }
    }
}

fn bucket_policy_text(policy: BucketPolicy) -> Option<&'static str> {
    match policy {
        BucketPolicy::None => None,
        BucketPolicy::AllowAccountA => Some(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}]}"#,
        ),
        BucketPolicy::AllowReaderOfA => Some(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/reader"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}]}"#,
        ),
        BucketPolicy::Public => Some(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}]}"#,
        ),
        BucketPolicy::DenyAll => Some(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}]}"#,
        ),
    }
}

fn key_policy_text(kms: Kms) -> Option<&'static str> {
    match kms {
        Kms::OwnerOnly => Some(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:*","Resource":"*"}]}"#,
        ),
        Kms::SharedWithA => Some(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::222222222222:root","arn:aws:iam::111111111111:root"]},"Action":"kms:*","Resource":"*"}]}"#,
        ),
        Kms::None | Kms::AwsManaged => None,
    }
}

fn world(case: &Case) -> String {
    let identity = identity_text(case.identity);
    let bucket_policy = bucket_policy_text(case.bucket_policy)
        .map(|p| format!("        policy: {p}\n"))
        .unwrap_or_default();
    let key = key_policy_text(case.kms)
        .map(|p| format!("    kms_keys:\n      k:\n        policy: {p}\n"))
        .unwrap_or_default();
    let kms_key = match case.kms {
        Kms::None => String::new(),
        Kms::AwsManaged => ", kms_key: alias/aws/s3".to_owned(),
        _ => format!(", kms_key: \"{KEY_ARN}\""),
    };
    let restrict = case.restrict_public;
    let writer = if case.writer_is_a { A } else { B };
    format!(
        r#"name: data
clock: "2026-01-01T00:00:00Z"
accounts:
  "{A}":
    users:
      reader:
        policies:
          p: {identity}
  "{B}":
    users:
      reader:
        policies:
          p: {identity}
{key}    buckets:
      - name: data
        ownership: {ownership}
        public_access_block: {{ block_public_acls: true, ignore_public_acls: true, block_public_policy: false, restrict_public_buckets: {restrict} }}
{bucket_policy}        objects:
          - {{ key: o.txt, body: "hello", writer: "{writer}", acl: {acl}{kms_key} }}
runs:
  - as: arn:aws:iam::{A}:user/reader
"#,
        ownership = case.ownership,
        acl = case.acl,
    )
}

pub(crate) fn policy(text: &str) -> xacct_iam::Policy {
    xacct_iam::parse_text_as(text, PolicyKind::Resource)
        .or_else(|_| xacct_iam::parse_text_as(text, PolicyKind::Identity))
        .unwrap_or_else(|e| panic!("{e:?}"))
}

/// One engine decision: `identity` policies, the resource's `resource`
/// policy, the resource owned by `owner`.
pub(crate) fn engine(
    caller: &Caller,
    (action, resource, owner): (&str, &str, &str),
    identity: &xacct_iam::Policy,
    resource_policy: Option<&xacct_iam::Policy>,
    context: &Context,
) -> Decision {
    let request = Request {
        caller,
        action,
        resource,
        resource_account: Some(owner),
        context,
    };
    let policies = Policies {
        identity: vec![NamedPolicy {
            name: "p",
            policy: identity,
        }],
        resource: resource_policy.map(|policy| NamedPolicy { name: "r", policy }),
        ..Default::default()
    };
    xacct_iam::evaluate(&request, &policies).decision
}

/// What S3 answers, by the engine and S3's documented rules: whether S3
/// lets the caller at the object (what HeadObject needs), and whether the
/// key lets it decrypt (what GetObject needs besides).
fn reference(case: &Case) -> (bool, bool) {
    let account = if case.reader_in_a { A } else { B };
    let caller = Caller::parse(&format!("arn:aws:iam::{account}:user/reader")).expect("caller");
    let identity = policy(identity_text(case.identity));
    let bucket = bucket_policy_text(case.bucket_policy).map(policy);
    let mut context = Context::new();
    context.set("aws:SecureTransport", "true");
    let arn = "arn:aws:s3:::data/o.txt";
    let writer = if case.writer_is_a { A } else { B };
    let owner = match case.ownership {
        "BucketOwnerEnforced" => B,
        "BucketOwnerPreferred" if case.acl == "bucket-owner-full-control" => B,
        _ => writer,
    };
    let denies = |p: &xacct_iam::Policy| {
        let mut only = p.clone();
        only.statements
            .retain(|s| s.effect == xacct_iam::Effect::Deny);
        only
    };
    let s3 = if owner != B {
        let acl_grants = account == owner
            || (account == B
                && matches!(case.acl, "bucket-owner-read" | "bucket-owner-full-control"));
        let denied = bucket.as_ref().map(denies);
        acl_grants
            && engine(
                &caller,
                ("s3:GetObject", arn, account),
                &identity,
                denied.as_ref(),
                &context,
            ) == Decision::Allow
    } else {
        let restricted = case.restrict_public
            && matches!(case.bucket_policy, BucketPolicy::Public)
            && account != B;
        let effective = match (&bucket, restricted) {
            (Some(p), true) => Some(denies(p)),
            (p, _) => p.clone(),
        };
        engine(
            &caller,
            ("s3:GetObject", arn, B),
            &identity,
            effective.as_ref(),
            &context,
        ) == Decision::Allow
    };
    let kms = match case.kms {
        Kms::None => true,
        Kms::AwsManaged => account == B,
        kms => {
            let key = policy(key_policy_text(kms).expect("a key policy"));
            let mut ctx = context.clone();
            ctx.set("kms:ViaService", "s3.us-east-1.amazonaws.com");
            ctx.set("kms:CallerAccount", account);
            engine(
                &caller,
                ("kms:Decrypt", KEY_ARN, B),
                &identity,
                Some(&key),
                &ctx,
            ) == Decision::Allow
        }
    };
    (s3, kms)
}

fn at() -> ObjectKey {
    ObjectKey {
        bucket: "data".to_owned(),
        key: "o.txt".to_owned(),
    }
}

fn get() -> ObjectCall {
    ObjectCall::get(at())
}

/// The call's outcome: the body (GetObject), an empty one (HeadObject),
/// or the error code.
fn outcome(answer: Result<ObjectAnswer, String>) -> Result<Vec<u8>, String> {
    match answer {
        Ok(ObjectAnswer::Body(body, _)) => Ok(body.to_vec()),
        Ok(ObjectAnswer::Meta(_)) => Ok(Vec::new()),
        Ok(other) => Err(format!("{other:?}")),
        Err(code) => Err(code),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn sim_serve_and_the_engine_agree_on_every_read(case in case()) {
        let text = world(&case);
        let loaded = sim::build(sim::parse(&text, "data.yaml").unwrap_or_else(|e| panic!("{e}\n{text}")), "data.yaml")
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        let account = if case.reader_in_a { A } else { B };
        let arn = format!("arn:aws:iam::{account}:user/reader");
        let creds = sim::credentials_for(&loaded, &Starter { arn: &arn, ..Default::default() }).expect("reader");
        let who = loaded.world.authenticate(&creds, Service::S3).expect("authenticated");
        let simulate = |call: ObjectCall| outcome(match loaded.world.call(&who, sim::Request::Object(call)).result {
            Ok(sim::Response::Object(answer)) => Ok(answer),
            Ok(other) => Err(other.shown()),
            Err(e) => Err(e.code),
        });
        let simulated = simulate(get());
        let (s3, kms) = reference(&case);
        prop_assert_eq!(simulated.is_ok(), s3 && kms, "{:?}: {:?}", case, simulated);
        // The analysis is sound: a read the simulator allows is an edge.
        if simulated.is_ok() {
            let edges = loaded.world.data_edges();
            prop_assert!(
                edges.iter().any(|e| e.from == arn && e.bucket == "data" && e.access == sim::DataAccess::Read),
                "{:?}: no read edge from {} in {:?}", case, arn, edges
            );
        }
        if let Ok(body) = &simulated {
            prop_assert_eq!(body.as_slice(), b"hello");
        } else {
            prop_assert_eq!(simulated.as_ref().err().map(String::as_str), Some("AccessDenied"));
        }
        // HeadObject reads metadata only: S3 decides it, the key does not
        // (a HEAD refusal has no body, so SDKs report its status text).
        let head = simulate(ObjectCall::head(at()));
        prop_assert_eq!(head.is_ok(), s3, "{:?}: HEAD {:?}", case, head);
        if head.is_err() {
            prop_assert_eq!(head.as_ref().err().map(String::as_str), Some("Forbidden"));
        }
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let over_http = outcome(runtime.block_on(crate::support::object_over_http(&loaded, &creds, &get())));
        prop_assert_eq!(&over_http, &simulated, "{:?}", case);
        let head_over_http = outcome(runtime.block_on(crate::support::object_over_http(&loaded, &creds, &ObjectCall::head(at()))));
        prop_assert_eq!(&head_over_http, &head, "{:?}: HEAD", case);
    }
}
