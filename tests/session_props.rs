//! Session tags and policy variables as properties: the tag rules (count,
//! key and value lengths and characters, keys equal in any case,
//! transitive keys among the tags, the packed allowance) decide every
//! AssumeRole exactly as a reference model of AWS's documented limits says,
//! in the simulated STS and in the CLI's own check; every tag of an allowed
//! session is a principal tag of its later calls; and a policy variable
//! `${aws:PrincipalTag/KEY}` substitutes exactly the session's value.

use proptest::prelude::*;
use regex::Regex;
use xacct::cloud::{AssumeRoleRequest, Credentials, Tag};
use xacct::sim::{self, Loaded, Service, Starter};
use xacct::validate;

const WORLD: &str = r#"
name: tags
clock: "2026-01-01T00:00:00Z"
accounts:
  "111111111111":
    users:
      alice:
        policies:
          p:
            Version: "2012-10-17"
            Statement:
              - { Effect: Allow, Action: "*", Resource: "*" }
      fed:
        tags: { team: ops }
        policies:
          p:
            Version: "2012-10-17"
            Statement:
              - { Effect: Allow, Action: [sts:GetFederationToken, sts:TagSession], Resource: "arn:aws:sts::111111111111:federated-user/*" }
              - { Effect: Allow, Action: s3:ListBucket, Resource: "arn:aws:s3:::${aws:PrincipalTag/team}-bucket" }
      keeper:
        access_key: { id: AKIAIOSFODNN7EXAMPLE, secret: wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY }
        policies:
          p:
            Version: "2012-10-17"
            Statement:
              - { Effect: Allow, Action: sts:GetAccessKeyInfo, Resource: "*" }
      plain:
        policies:
          p:
            Version: "2012-10-17"
            Statement:
              - { Effect: Allow, Action: sts:GetFederationToken, Resource: "*" }
    roles:
      tagged:
        tags: { Team: platform }
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: [sts:AssumeRole, sts:TagSession] }
        policies:
          team-bucket:
            Version: "2012-10-17"
            Statement:
              - { Effect: Allow, Action: s3:ListBucket, Resource: "arn:aws:s3:::${aws:PrincipalTag/team}-bucket" }
    buckets: [data-bucket, ops-bucket]
runs:
  - as: arn:aws:iam::111111111111:user/alice
    role_arn: arn:aws:iam::111111111111:role/tagged
"#;

fn world() -> Loaded {
    let parsed = sim::parse(WORLD, "tags.yaml").unwrap_or_else(|e| panic!("{e}"));
    sim::build(parsed, "tags.yaml").unwrap_or_else(|e| panic!("{e}"))
}

fn alice(loaded: &Loaded) -> Credentials {
    sim::credentials_for(
        loaded,
        &Starter {
            arn: "arn:aws:iam::111111111111:user/alice",
            ..Default::default()
        },
    )
    .expect("alice")
}

/// Tag text: mostly allowed characters (ASCII, a few letters and digits
/// of other scripts, a no-break space), sometimes not (`#`, `!`, a tab).
fn tag_text(max: usize) -> impl Strategy<Value = String> {
    let good: Vec<char> = "abcTEAMxyz019_.:/=+-@ éДß٣\u{a0}".chars().collect();
    let bad: Vec<char> = "#!*\t,".chars().collect();
    proptest::collection::vec(
        prop_oneof![40 => proptest::sample::select(good), 1 => proptest::sample::select(bad)],
        0..max,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// A key: usually a short one from a small set (so keys collide, in some
/// case), sometimes anything, sometimes too long.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::sample::select(vec!["team", "Team", "project", "cost", "COST", "env"]).prop_map(str::to_owned),
        3 => tag_text(12),
        1 => tag_text(140),
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![8 => tag_text(10), 1 => tag_text(270)]
}

fn tags() -> impl Strategy<Value = Vec<Tag>> {
    prop_oneof![
        8 => proptest::collection::vec((key(), value()), 0..8),
        1 => proptest::collection::vec((key(), value()), 45..56),
    ]
    .prop_map(|pairs| pairs.into_iter().map(|(k, v)| Tag::new(k, v)).collect())
}

/// What AWS's documented limits say about a request: its error code, or
/// `None` when it goes through.
fn reference(tags: &[Tag], transitive: &[String]) -> Option<&'static str> {
    let chars = Regex::new(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$").expect("pattern");
    let key = |k: &str| chars.is_match(k) && (1..=128).contains(&k.chars().count());
    let value = |v: &str| chars.is_match(v) && v.chars().count() <= 256;
    if tags.len() > 50
        || tags.iter().any(|t| !key(&t.key) || !value(&t.value))
        || transitive.iter().any(|k| !key(k))
    {
        return Some("ValidationError");
    }
    let lower: Vec<String> = tags.iter().map(|t| t.key.to_lowercase()).collect();
    let mut unique = lower.clone();
    unique.sort();
    unique.dedup();
    if unique.len() != lower.len() {
        return Some("InvalidParameterValue");
    }
    if transitive
        .iter()
        .any(|k| !lower.contains(&k.to_lowercase()))
    {
        return Some("InvalidParameterValue");
    }
    let bytes: usize = tags
        .iter()
        .map(|t| t.key.chars().count() + t.value.chars().count())
        .sum();
    // AWS does not publish its packing: this branch pins xacct's documented
    // estimate (1,076 characters of tag text) as a regression check.
    if bytes > 1076 {
        return Some("PackedPolicyTooLarge");
    }
    None
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_tag_rules_decide_as_the_documented_limits_say(
        tags in tags(),
        transitive in proptest::collection::vec(key(), 0..3),
    ) {
        let loaded = world();
        let request = AssumeRoleRequest {
            role_arn: "arn:aws:iam::111111111111:role/tagged".to_owned(),
            session_name: "s1".to_owned(),
            tags: tags.clone(),
            transitive_tag_keys: transitive.clone(),
            ..Default::default()
        };
        let who = loaded.world.authenticate(&alice(&loaded), Service::Sts).expect("alice");
        let got = crate::support::call(&loaded.world, &who, sim::Request::AssumeRole(request.clone()), crate::support::assumed).result;
        let wanted = reference(&tags, &transitive);
        prop_assert_eq!(got.as_ref().err().map(|e| e.code.as_str()), wanted, "{:?}", got.as_ref().err());
        // The CLI's check before any call agrees on everything it can know
        // (the packed size is AWS's to judge).
        let cli = validate::session_context(&request);
        prop_assert_eq!(
            cli.is_empty(),
            matches!(wanted, None | Some("PackedPolicyTooLarge")),
            "{:?}", cli
        );
        if let Ok(assumed) = got {
            // Every session tag is a principal tag; the role's own Team
            // tag stays unless a session tag overrides it in any case.
            let session = loaded.world.authenticate(&assumed.credentials, Service::Sts).expect("session");
            let why = loaded.world.call(&session, sim::Request::GetCallerIdentity).why.expect("why");
            let line = why.details().into_iter().find(|d| d.starts_with("principal tags: ")).unwrap_or_default();
            for t in &tags {
                let shown = format!("{}={}", t.key, t.value);
                prop_assert!(line.contains(&shown), "{} missing from {}", shown, line);
            }
            let overridden = tags.iter().any(|t| t.key.eq_ignore_ascii_case("team"));
            prop_assert_eq!(line.contains("Team=platform"), !overridden, "{}", line);
            prop_assert!(assumed.packed_policy_size.is_some_and(|p| (1..=100).contains(&p)) || tags.is_empty());
        }
    }

    #[test]
    fn a_principal_tag_variable_substitutes_exactly_the_session_value(
        team in prop_oneof![Just("data".to_owned()), Just("ops".to_owned()), "[a-z]{1,6}"],
        bucket in prop::sample::select(vec!["data-bucket", "ops-bucket"]),
    ) {
        let loaded = world();
        let request = AssumeRoleRequest {
            role_arn: "arn:aws:iam::111111111111:role/tagged".to_owned(),
            session_name: "s1".to_owned(),
            tags: vec![Tag::new("team", team.clone())],
            ..Default::default()
        };
        let who = loaded.world.authenticate(&alice(&loaded), Service::Sts).expect("alice");
        let assumed = crate::support::call(&loaded.world, &who, sim::Request::AssumeRole(request.clone()), crate::support::assumed).result.expect("allowed");
        let session = loaded.world.authenticate(&assumed.credentials, Service::S3).expect("session");
        let listed = loaded.world.call(&session, sim::Request::ListObjects { bucket: bucket.to_owned(), listing: sim::ObjectListing::default() }).result;
        prop_assert_eq!(listed.is_ok(), bucket == format!("{team}-bucket"), "{:?}", listed.err());
    }
}

fn user(loaded: &Loaded, name: &str) -> Credentials {
    sim::credentials_for(
        loaded,
        &Starter {
            arn: &format!("arn:aws:iam::111111111111:user/{name}"),
            ..Default::default()
        },
    )
    .expect("user")
}

#[test]
fn federation_tokens_carry_their_tags_over_the_users_own() {
    let loaded = world();
    let everything = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
    let federate = |name: &str, tags: Vec<Tag>| {
        let who = loaded
            .world
            .authenticate(&user(&loaded, name), Service::Sts)
            .expect("user");
        let request = sim::Request::GetFederationToken(sim::FederationRequest {
            name: "visitor".to_owned(),
            policy: Some(everything.to_owned()),
            tags,
            ..Default::default()
        });
        crate::support::call(&loaded.world, &who, request, |r| match r {
            sim::Response::FederationToken(token) => Some(token),
            _ => None,
        })
        .result
    };
    let lists = |creds: &Credentials, bucket: &str| {
        let who = loaded
            .world
            .authenticate(creds, Service::S3)
            .expect("session");
        loaded
            .world
            .call(
                &who,
                sim::Request::ListObjects {
                    bucket: bucket.to_owned(),
                    listing: sim::ObjectListing::default(),
                },
            )
            .result
            .is_ok()
    };
    // The session tag team=data overrides the user's team=ops.
    let tagged = federate("fed", vec![Tag::new("team", "data")]).expect("allowed");
    assert!(lists(&tagged.credentials, "data-bucket"));
    assert!(!lists(&tagged.credentials, "ops-bucket"));
    assert!(tagged.packed_policy_size.is_some());
    // Without session tags the user's own tag applies.
    let untagged = federate("fed", Vec::new()).expect("allowed");
    assert!(lists(&untagged.credentials, "ops-bucket"));
    assert!(!lists(&untagged.credentials, "data-bucket"));
    // Tags need sts:TagSession in the user's policies.
    let refused = federate("plain", vec![Tag::new("team", "data")]).expect_err("refused");
    assert_eq!(
        (refused.code.as_str(), refused.message.as_str()),
        (
            "AccessDenied",
            "User: arn:aws:iam::111111111111:user/plain is not authorized to perform: sts:TagSession on resource: arn:aws:sts::111111111111:federated-user/visitor"
        )
    );
}

#[test]
fn get_access_key_info_answers_from_the_records_then_from_the_encoding() {
    use xacct::key_id::{KeyAccount, account_of, with_account};
    let loaded = world();
    let who = loaded
        .world
        .authenticate(&user(&loaded, "keeper"), Service::Sts)
        .expect("keeper");
    let info = |key: &str| {
        let request = sim::Request::GetAccessKeyInfo {
            access_key_id: key.to_owned(),
        };
        crate::support::call(&loaded.world, &who, request, |r| match r {
            sim::Response::AccessKeyInfo(account) => Some(account),
            _ => None,
        })
        .result
    };
    // A scenario-written key predates the encoding: only the records know it.
    assert_eq!(
        account_of("AKIAIOSFODNN7EXAMPLE"),
        Ok(KeyAccount::PredatesEncoding)
    );
    assert_eq!(
        info("AKIAIOSFODNN7EXAMPLE").ok().as_deref(),
        Some("111111111111")
    );
    // A key of another account, in the new format, is read from its id.
    let foreign = with_account("ASIA", "999988887777", &[7, 1, 2, 3, 4]);
    assert_eq!(info(&foreign).ok().as_deref(), Some("999988887777"));
    // An old-format key nobody knows, and a malformed one.
    let unknown = info("AKIAAAAAAAAAAAAAAAAA").expect_err("unknown");
    assert_eq!(unknown.code, "InvalidParameterValue");
    let short = info("AKIA").expect_err("too short");
    assert_eq!(short.code, "ValidationError");
    // Without sts:GetAccessKeyInfo, the call is refused.
    let plain = loaded
        .world
        .authenticate(&user(&loaded, "plain"), Service::Sts)
        .expect("plain");
    let request = sim::Request::GetAccessKeyInfo {
        access_key_id: "AKIAIOSFODNN7EXAMPLE".to_owned(),
    };
    let refused = loaded
        .world
        .call(&plain, request)
        .result
        .expect_err("refused");
    assert_eq!(refused.code, "AccessDenied");
}
