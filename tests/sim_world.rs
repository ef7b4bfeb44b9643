//! The simulated world's rules as properties: a denied AssumeRole never
//! yields credentials; credentials never work after their expiration; a
//! listing returns exactly the caller's account's buckets. Plus scenario
//! errors that name the place, and no secret in sim or demo output.

use std::time::Duration;

use proptest::prelude::*;
use xacct::cloud::{AssumeRoleRequest, AssumedRole, Bucket, CallerIdentity, Credentials};
use xacct::sim::{self, AwsError, FederationToken, Loaded, Service, Starter};

/// The world's front door as the seam uses it: authenticate, then the operation.
fn assume(
    loaded: &Loaded,
    creds: &Credentials,
    request: &AssumeRoleRequest,
) -> Result<AssumedRole, AwsError> {
    let who = loaded
        .world
        .authenticate(creds, Service::Sts)
        .map_err(|r| r.error)?;
    crate::support::call(
        &loaded.world,
        &who,
        sim::Request::AssumeRole(request.clone()),
        crate::support::assumed,
    )
    .result
}

fn identity(loaded: &Loaded, creds: &Credentials) -> Result<CallerIdentity, AwsError> {
    let who = loaded
        .world
        .authenticate(creds, Service::Sts)
        .map_err(|r| r.error)?;
    crate::support::call(
        &loaded.world,
        &who,
        sim::Request::GetCallerIdentity,
        |r| match r {
            sim::Response::CallerIdentity(id) => Some(id),
            _ => None,
        },
    )
    .result
}

fn list(loaded: &Loaded, creds: &Credentials) -> Result<Vec<Bucket>, AwsError> {
    let who = loaded
        .world
        .authenticate(creds, Service::S3)
        .map_err(|r| r.error)?;
    crate::support::call(
        &loaded.world,
        &who,
        sim::Request::ListBuckets(sim::BucketListing::default()),
        |r| match r {
            sim::Response::Buckets(page) => Some(page.buckets),
            _ => None,
        },
    )
    .result
}

fn federation(
    loaded: &Loaded,
    creds: &Credentials,
    name: &str,
) -> Result<FederationToken, AwsError> {
    let who = loaded
        .world
        .authenticate(creds, Service::Sts)
        .map_err(|r| r.error)?;
    let request = sim::Request::GetFederationToken(sim::FederationRequest {
        name: name.to_owned(),
        ..Default::default()
    });
    crate::support::call(&loaded.world, &who, request, |r| match r {
        sim::Response::FederationToken(token) => Some(token),
        _ => None,
    })
    .result
}

fn world(trust_principal: &str, identity_action: &str, condition: &str) -> Loaded {
    let text = format!(
        r#"
name: prop
clock: "2026-01-01T00:00:00Z"
accounts:
  "111111111111":
    users:
      alice:
        access_key: {{ id: AKIAALICEEXAMPLE0001, secret: AliceSecretMustNotPrint0000000000000000 }}
        policies:
          p:
            Version: "2012-10-17"
            Statement:
              - {{ Effect: Allow, Action: "{identity_action}", Resource: "*" }}
      bob: {{}}
    roles:
      local: {{ trust_policy: {{ Version: "2012-10-17", Statement: [ {{ Effect: Allow, Principal: {{ AWS: "111111111111" }}, Action: sts:AssumeRole }} ] }} }}
    buckets: [a-one, a-two]
  "222222222222":
    roles:
      target:
        max_session_duration: 7200
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - {{ Effect: Allow, Principal: {{ AWS: "{trust_principal}" }}, Action: sts:AssumeRole {condition} }}
        policies:
          list: {{ Version: "2012-10-17", Statement: [ {{ Effect: Allow, Action: s3:ListAllMyBuckets, Resource: "*" }} ] }}
    buckets: [b-one]
runs:
  - {{ as: "arn:aws:iam::111111111111:user/alice", role_arn: "arn:aws:iam::222222222222:role/target" }}
"#
    );
    let parsed = sim::parse(&text, "prop.yaml").unwrap_or_else(|e| panic!("{e}"));
    sim::build(parsed, "prop.yaml").unwrap_or_else(|e| panic!("{e}"))
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_denied_assume_role_never_yields_credentials(
        principal in prop::sample::select(vec!["*", "111111111111", "arn:aws:iam::111111111111:user/alice", "arn:aws:iam::111111111111:user/bob", "333333333333"]),
        action in prop::sample::select(vec!["sts:AssumeRole", "sts:*", "s3:*", "*", "iam:*"]),
        condition in prop::sample::select(vec!["", r#", Condition: { StringEquals: { "sts:ExternalId": "x-1" } }"#, r#", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } }"#]),
        external in prop::option::of(prop::sample::select(vec!["x-1", "x-2"])),
        session in "[a-z!]{1,70}",
        duration in prop::option::of(0i32..50_000),
        role in prop::sample::select(vec!["arn:aws:iam::222222222222:role/target", "arn:aws:iam::222222222222:role/missing", "arn:aws:iam::111111111111:role/local"]),
    ) {
        let loaded = world(principal, action, condition);
        let request = AssumeRoleRequest {
            role_arn: role.to_owned(),
            session_name: session,
            duration_seconds: duration,
            external_id: external.map(str::to_owned),
            ..Default::default()
        };
        match assume(&loaded, &alice(&loaded), &request) {
            Ok(assumed) => {
                prop_assert!(assumed.credentials.access_key_id.starts_with("ASIA"));
                let who = loaded.world.authenticate(&assumed.credentials, Service::Sts);
                prop_assert!(who.is_ok(), "issued credentials must work");
            }
            Err(e) => {
                prop_assert!(matches!(e.status, 400 | 403), "{}", e.code);
            }
        }
    }

    #[test]
    fn credentials_never_work_after_their_expiration(duration in 900i32..7200, late in 0u64..10_000) {
        let loaded = world("arn:aws:iam::111111111111:user/alice", "sts:AssumeRole", "");
        let request = AssumeRoleRequest { role_arn: "arn:aws:iam::222222222222:role/target".to_owned(), session_name: "s1".to_owned(), duration_seconds: Some(duration), ..Default::default() };
        let assumed = assume(&loaded, &alice(&loaded), &request).expect("allowed");
        let expiry = assumed.credentials.expiration.expect("an expiration");
        loaded.clock.set(expiry - Duration::from_secs(1));
        prop_assert!(list(&loaded, &assumed.credentials).is_ok());
        loaded.clock.set(expiry + Duration::from_secs(late));
        let err = list(&loaded, &assumed.credentials).expect_err("expired");
        prop_assert_eq!((err.code.as_str(), err.status), ("ExpiredToken", 400));
        let err = identity(&loaded, &assumed.credentials).expect_err("expired");
        prop_assert_eq!((err.code.as_str(), err.status), ("ExpiredToken", 403));
    }

    #[test]
    fn listing_returns_exactly_the_callers_account_buckets(as_role in any::<bool>()) {
        let loaded = world("arn:aws:iam::111111111111:user/alice", "*", "");
        let creds = if as_role {
            let request = AssumeRoleRequest { role_arn: "arn:aws:iam::222222222222:role/target".to_owned(), session_name: "s1".to_owned(), ..Default::default() };
            assume(&loaded, &alice(&loaded), &request).expect("allowed").credentials
        } else {
            alice(&loaded)
        };
        let mut names: Vec<String> = list(&loaded, &creds).expect("allowed").into_iter().map(|b| b.name).collect();
        names.sort();
        let expected: Vec<&str> = if as_role { vec!["b-one"] } else { vec!["a-one", "a-two"] };
        prop_assert_eq!(names, expected);
    }
}

#[test]
fn forged_tokens_and_wrong_secrets_are_refused_with_aws_codes() {
    let loaded = world("arn:aws:iam::111111111111:user/alice", "*", "");
    let request = AssumeRoleRequest {
        role_arn: "arn:aws:iam::222222222222:role/target".to_owned(),
        session_name: "s1".to_owned(),
        ..Default::default()
    };
    let good = assume(&loaded, &alice(&loaded), &request)
        .expect("allowed")
        .credentials;
    let mut forged = good.clone();
    forged.session_token = Some(xacct::secret::Secret::new("FQoGZXIvYXdzEBYaDforged"));
    assert_eq!(
        list(&loaded, &forged).expect_err("forged").code,
        "InvalidToken"
    );
    assert_eq!(
        identity(&loaded, &forged).expect_err("forged").code,
        "InvalidClientTokenId"
    );
    let mut tokenless = good.clone();
    tokenless.session_token = None;
    assert_eq!(
        identity(&loaded, &tokenless).expect_err("no token").code,
        "InvalidClientTokenId"
    );
    let mut wrong = alice(&loaded);
    wrong.secret_access_key = xacct::secret::Secret::new("not-the-secret");
    assert_eq!(
        list(&loaded, &wrong).expect_err("bad secret").code,
        "SignatureDoesNotMatch"
    );
    let unknown = Credentials::long_term("AKIAUNKNOWNEXAMPLE01", "x");
    let err = list(&loaded, &unknown).expect_err("unknown");
    assert_eq!((err.code.as_str(), err.status), ("InvalidAccessKeyId", 403));
    let err = identity(&loaded, &unknown).expect_err("unknown");
    assert_eq!(
        (err.code.as_str(), err.status, err.message.as_str()),
        (
            "InvalidClientTokenId",
            403,
            "The security token included in the request is invalid."
        )
    );
}

#[test]
fn caller_identity_for_every_kind_of_caller() {
    let loaded = world("arn:aws:iam::111111111111:user/alice", "*", "");
    let id = identity(&loaded, &alice(&loaded)).expect("user");
    assert_eq!(id.arn, "arn:aws:iam::111111111111:user/alice");
    assert!(id.user_id.starts_with("AIDA"));
    let root = sim::credentials_for(
        &loaded,
        &Starter {
            arn: "arn:aws:iam::111111111111:root",
            ..Default::default()
        },
    )
    .expect("root");
    let id = identity(&loaded, &root).expect("root");
    assert_eq!(
        (id.arn.as_str(), id.user_id.as_str()),
        ("arn:aws:iam::111111111111:root", "111111111111")
    );
    let fed = federation(&loaded, &alice(&loaded), "alice-console").expect("federation");
    assert_eq!(
        fed.arn,
        "arn:aws:sts::111111111111:federated-user/alice-console"
    );
    assert_eq!(fed.federated_user_id, "111111111111:alice-console");
    let id = identity(&loaded, &fed.credentials).expect("federated");
    assert_eq!(
        (id.arn.as_str(), id.user_id.as_str()),
        (
            "arn:aws:sts::111111111111:federated-user/alice-console",
            "111111111111:alice-console"
        )
    );
    let err = federation(&loaded, &fed.credentials, "again").expect_err("session credentials");
    assert_eq!(
        err.message,
        "Cannot call GetFederationToken with session credentials"
    );
    let request = AssumeRoleRequest {
        role_arn: "arn:aws:iam::222222222222:role/target".to_owned(),
        session_name: "s1".to_owned(),
        ..Default::default()
    };
    let assumed = assume(&loaded, &alice(&loaded), &request).expect("allowed");
    let id = identity(&loaded, &assumed.credentials).expect("session");
    assert_eq!(id.arn, "arn:aws:sts::222222222222:assumed-role/target/s1");
    assert!(id.user_id.starts_with("AROA") && id.user_id.ends_with(":s1"));
    let root_err = assume(&loaded, &root, &request).expect_err("root");
    assert_eq!(
        root_err.message,
        "Roles may not be assumed by root accounts."
    );
}

#[test]
fn scenario_errors_name_the_file_the_place_and_what_was_expected() {
    let base = "name: x\naccounts: {}\nruns: []\n";
    let err = sim::parse(&format!("{base}colour: red\n"), "x.yaml").expect_err("unknown key");
    assert!(err.to_string().starts_with("x.yaml: "), "{err}");
    assert!(
        err.message.contains("colour") && err.message.contains("line"),
        "{err}"
    );

    let bad_policy = r#"
name: x
accounts:
  "111111111111":
    users:
      u:
        policies:
          p: { Version: "2012-10-17", Statement: [ { Effect: allow, Action: "s3:*", Resource: "*" } ] }
runs:
  - { as: "arn:aws:iam::111111111111:user/u", role_arn: "arn:aws:iam::111111111111:role/r" }
"#;
    let parsed = sim::parse(bad_policy, "x.yaml").expect("valid YAML");
    let err = sim::build(parsed, "x.yaml").expect_err("bad effect");
    assert_eq!(
        err.message,
        "accounts.111111111111.users.u.policies.p: at Statement[0].Effect: `allow` is not an effect; use \"Allow\" or \"Deny\" (case-sensitive)"
    );

    let unknown_as = bad_policy
        .replace("Effect: allow", "Effect: Allow")
        .replace("user/u\"", "user/nobody\"");
    let err = sim::build(
        sim::parse(&unknown_as, "x.yaml").expect("valid YAML"),
        "x.yaml",
    )
    .expect_err("unknown user");
    assert!(
        err.message
            .starts_with("runs[0].as: user `nobody` is not in the scenario"),
        "{err}"
    );

    let numeric_account = bad_policy.replace("\"111111111111\":\n", "111111111111:\n");
    let err = sim::parse(&numeric_account, "x.yaml").err();
    assert!(
        err.is_none_or(|e| e.to_string().starts_with("x.yaml: ")),
        "a numeric account id either parses as text or names the file"
    );
}

#[test]
fn every_call_answers_under_a_request_id_of_its_own_drawn_by_the_world() {
    let loaded = world("arn:aws:iam::111111111111:user/alice", "*", "");
    let who = loaded
        .world
        .authenticate(&alice(&loaded), Service::Sts)
        .expect("alice");
    let mut ids: Vec<String> = (0..3)
        .map(|_| {
            let answer = loaded.world.call(&who, sim::Request::GetCallerIdentity);
            assert!(answer.result.is_ok());
            answer.request_id.query()
        })
        .collect();
    // A refused call carries its id as well.
    let refused = loaded.world.call(
        &who,
        sim::Request::AssumeRole(AssumeRoleRequest {
            role_arn: "arn:aws:iam::222222222222:role/nobody".to_owned(),
            session_name: "s1".to_owned(),
            ..Default::default()
        }),
    );
    assert!(refused.result.is_err());
    ids.push(refused.request_id.query());
    for id in &ids {
        let parts: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12], "{id}");
    }
    let distinct: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len(), "{ids:?}");
}
