//! The decision log of `xacct serve` (`GET /_xacct/why/ID`) is not public:
//! a decision is told to the caller whose request it was (the GET signed
//! with its credentials) or to whoever holds the server's explain key, and
//! request ids are unguessable. (An adversarial pass read every decision,
//! a trust policy's expected external id included, with no credentials,
//! by counting up sequential ids.)

use std::sync::Arc;
use std::time::SystemTime;

use xacct::serve::{EXPLAIN_KEY_HEADER, Endpoint, Outgoing, handle};
use xacct::sim;

use crate::signing::{Signer, incoming, sign_request, sts_post};

const ALICE_KEY: &str = "AKIAALICEEXAMPLE0001";
const ALICE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const BOB_KEY: &str = "AKIABOBEXAMPLE000001";
const BOB_SECRET: &str = "bobsecretbobsecretbobsecretbobsecret0001";
const KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

const WORLD: &str = r#"
name: why-log
clock: "2026-01-01T00:00:00Z"
accounts:
  "111111111111":
    users:
      alice:
        access_key: { id: AKIAALICEEXAMPLE0001, secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" }
        policies:
          assume: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "sts:AssumeRole", Resource: "*" }] }
      bob:
        access_key: { id: AKIABOBEXAMPLE000001, secret: "bobsecretbobsecretbobsecretbobsecret0001" }
        policies:
          assume: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "sts:AssumeRole", Resource: "*" }] }
    roles:
      shared:
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: sts:AssumeRole }
        policies:
          assume: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "sts:AssumeRole", Resource: "*" }] }
  "222222222222":
    roles:
      vendor:
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:iam::111111111111:root" }
              Action: sts:AssumeRole
              Condition: { StringEquals: { "sts:ExternalId": customer-7f3a } }
runs:
  - { as: "arn:aws:iam::111111111111:user/alice", role_arn: "arn:aws:iam::222222222222:role/vendor" }
"#;

fn served() -> (Endpoint, SystemTime) {
    let loaded =
        sim::build(sim::parse(WORLD, "why.yaml").expect("parses"), "why.yaml").expect("builds");
    let start = loaded.start;
    (
        Endpoint::new(Arc::clone(&loaded.world)).with_explanations(KEY.to_owned()),
        start,
    )
}

fn signer<'a>(key: &'a str, secret: &'a str, at: SystemTime) -> Signer<'a> {
    Signer {
        key,
        secret,
        token: None,
        region: "us-east-1",
        service: "sts",
        at,
    }
}

/// Alice's AssumeRole without the external id: refused, and its request id.
fn refused_request(endpoint: &Endpoint, at: SystemTime) -> String {
    refused_as(endpoint, &signer(ALICE_KEY, ALICE_SECRET, at))
}

/// The vendor role refused to `by` (no external id): the request id.
fn refused_as(endpoint: &Endpoint, by: &Signer<'_>) -> String {
    let form = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2Fvendor&RoleSessionName=session";
    let request = sts_post("127.0.0.1:4580", form, by);
    let (response, _) = handle(endpoint, &incoming(&request));
    assert_eq!(response.status, 403, "{}", response.body);
    header(&response, "x-amzn-requestid")
}

fn header(response: &Outgoing, name: &str) -> String {
    response
        .headers
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.clone())
        .expect("the header")
}

/// `GET /_xacct/why/ID`, with `extra` headers, signed by `by` if given.
fn why(endpoint: &Endpoint, id: &str, extra: &[(&str, &str)], by: Option<Signer<'_>>) -> Outgoing {
    let mut builder = http::Request::builder()
        .method("GET")
        .uri(format!("http://127.0.0.1:4580/_xacct/why/{id}"))
        .header("host", "127.0.0.1:4580");
    for (k, v) in extra {
        builder = builder.header(*k, *v);
    }
    let mut request = builder.body(Vec::new()).expect("request");
    if let Some(by) = by {
        sign_request(&mut request, &by);
    }
    handle(endpoint, &incoming(&request)).0
}

#[test]
fn a_decision_is_told_to_its_caller_and_the_key_holder_alone() {
    let (endpoint, at) = served();
    let id = refused_request(&endpoint, at);

    // No credentials: refused, and nothing of the decision is said.
    let anonymous = why(&endpoint, &id, &[], None);
    assert_eq!(anonymous.status, 403, "{}", anonymous.body);
    assert!(!anonymous.body.contains("customer-7f3a"));
    assert!(
        anonymous.body.contains(EXPLAIN_KEY_HEADER),
        "{}",
        anonymous.body
    );

    // A wrong key: refused.
    let wrong = why(
        &endpoint,
        &id,
        &[(EXPLAIN_KEY_HEADER, &KEY.replace('0', "1"))],
        None,
    );
    assert_eq!(wrong.status, 403, "{}", wrong.body);

    // Another caller, signed: answered as if nothing were kept.
    let bob = why(&endpoint, &id, &[], Some(signer(BOB_KEY, BOB_SECRET, at)));
    assert_eq!(bob.status, 404, "{}", bob.body);
    assert!(!bob.body.contains("customer-7f3a") && !bob.body.contains("vendor"));

    // A forged signature with alice's key id: refused.
    let forged = why(&endpoint, &id, &[], Some(signer(ALICE_KEY, BOB_SECRET, at)));
    assert_eq!(forged.status, 403, "{}", forged.body);

    // Alice, signed: her own decision, with the statement that decided it.
    let alice = why(
        &endpoint,
        &id,
        &[],
        Some(signer(ALICE_KEY, ALICE_SECRET, at)),
    );
    assert_eq!(alice.status, 200, "{}", alice.body);
    assert!(
        alice
            .body
            .contains("\"Caller\":\"arn:aws:iam::111111111111:user/alice\""),
        "{}",
        alice.body
    );
    assert!(alice.body.contains("customer-7f3a"), "{}", alice.body);

    // The key holder: every decision.
    let operator = why(&endpoint, &id, &[(EXPLAIN_KEY_HEADER, KEY)], None);
    assert_eq!(operator.status, 200, "{}", operator.body);
    assert_eq!(operator.body, alice.body);
}

#[test]
fn request_ids_cannot_be_counted_up_to() {
    let (endpoint, at) = served();
    let ids: Vec<String> = (0..3).map(|_| refused_request(&endpoint, at)).collect();
    for id in &ids {
        let parts: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12], "{id}");
        assert_eq!(&id[14..15], "4", "a version-4 UUID: {id}");
    }
    // Consecutive requests share no counter: neither the first group (32
    // bits) nor the last (48) of one id is the next number after the
    // previous id's.
    for pair in ids.windows(2) {
        let groups = |id: &str| {
            let parts: Vec<String> = id.split('-').map(str::to_owned).collect();
            [parts[0].clone(), parts[4].clone()]
        };
        for (a, b) in groups(&pair[0]).into_iter().zip(groups(&pair[1])) {
            let (a, b) = (
                u64::from_str_radix(&a, 16).expect("hex"),
                u64::from_str_radix(&b, 16).expect("hex"),
            );
            assert_ne!(a.wrapping_add(1), b, "{pair:?}");
        }
    }
    // The same scenario served twice draws other ids.
    let (again, at) = served();
    assert_ne!(refused_request(&again, at), ids[0]);
}

/// A session of the shared role named `name`, assumed by `key`: its key
/// id, secret and token.
fn session(endpoint: &Endpoint, key: &str, secret: &str, at: SystemTime) -> [String; 3] {
    let form = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fshared&RoleSessionName=same-name";
    let request = sts_post("127.0.0.1:4580", form, &signer(key, secret, at));
    let (response, _) = handle(endpoint, &incoming(&request));
    assert_eq!(response.status, 200, "{}", response.body);
    let field = |name: &str| {
        response
            .body
            .split(&format!("<{name}>"))
            .nth(1)
            .and_then(|rest| rest.split(&format!("</{name}>")).next())
            .expect("the field")
            .to_owned()
    };
    [
        field("AccessKeyId"),
        field("SecretAccessKey"),
        field("SessionToken"),
    ]
}

/// A signer with a session's credentials.
fn as_session(creds: &[String; 3], at: SystemTime) -> Signer<'_> {
    Signer {
        token: Some(&creds[2]),
        ..signer(&creds[0], &creds[1], at)
    }
}

#[test]
fn a_session_s_decisions_are_not_told_to_another_session_of_the_same_arn() {
    // Anyone allowed to assume a role picks the session name, and with it
    // the session's ARN: alice's and bob's sessions below share theirs.
    let (endpoint, at) = served();
    let alice = session(&endpoint, ALICE_KEY, ALICE_SECRET, at);
    let bob = session(&endpoint, BOB_KEY, BOB_SECRET, at);
    let id = refused_as(&endpoint, &as_session(&alice, at));
    let other = why(&endpoint, &id, &[], Some(as_session(&bob, at)));
    assert_eq!(other.status, 404, "{}", other.body);
    let own = why(&endpoint, &id, &[], Some(as_session(&alice, at)));
    assert_eq!(own.status, 200, "{}", own.body);
    assert!(
        own.body.contains("assumed-role/shared/same-name"),
        "{}",
        own.body
    );
}

/// A service the endpoint does not speak is refused through the same
/// pipeline as every other answer: its decision is kept and explained.
#[test]
fn a_call_to_a_service_the_endpoint_does_not_speak_is_explained_too() {
    let (endpoint, at) = served();
    let ec2 = Signer {
        service: "ec2",
        ..signer(ALICE_KEY, ALICE_SECRET, at)
    };
    let request = sts_post(
        "127.0.0.1:4580",
        "Action=DescribeInstances&Version=2016-11-15",
        &ec2,
    );
    let (response, line) = handle(&endpoint, &incoming(&request));
    assert_eq!(response.status, 501, "{}", response.body);
    assert!(
        response.body.contains("<Code>NotImplemented</Code>"),
        "{}",
        response.body
    );
    assert_eq!(line.operation, "ec2:DescribeInstances");
    let id = header(&response, "x-amzn-requestid");
    let operator = why(&endpoint, &id, &[(EXPLAIN_KEY_HEADER, KEY)], None);
    assert_eq!(operator.status, 200, "{}", operator.body);
    assert!(
        operator.body.contains("does not speak ec2"),
        "{}",
        operator.body
    );
}
