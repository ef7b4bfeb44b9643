//! Property tests of the IAM engine: the wildcard matcher against a naive
//! regular-expression reference, the evaluator's invariants (explicit deny
//! absorbs; more Allows never remove access; more Denies never grant; order
//! never matters; equivalent principal forms decide alike), parse/print
//! round trips, and no input panics the parser or the evaluator.

use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use serde_json::{Value, json};
use xacct::iam::Pattern;
use xacct::iam::{
    Caller, Context, Policy, RuleEffect, caller_rule, parse, parse_text, policy_to_json,
};
use xacct::iam::{Decision, Evaluation, NamedPolicy, Policies, Request, evaluate, is_trust_action};

// ---- the wildcard matcher --------------------------------------------------

fn reference_glob(pattern: &str, text: &str) -> bool {
    let mut re = String::from("(?s)^");
    for c in pattern.chars() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    regex::Regex::new(&re).is_ok_and(|r| r.is_match(text))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn wildcard_matcher_agrees_with_a_regex(pattern in "[ab:/é*?]{0,10}", text in "[ab:/é]{0,12}") {
        prop_assert_eq!(Pattern::wildcard(&pattern).matches(&text), reference_glob(&pattern, &text));
    }
}

// ---- generated policies and requests --------------------------------------

const A: &str = "111111111111";

fn action() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "sts:AssumeRole",
        "sts:*",
        "*",
        "s3:Get*",
        "s3:ListAllMyBuckets",
        "s3:GetObject",
        "iam:*",
        "STS:assumerole",
    ])
}

fn resource_pattern() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "*",
        "arn:aws:iam::222222222222:role/s3-viewer",
        "arn:aws:iam::222222222222:role/*",
        "arn:aws:iam::111111111111:role/ops",
        "arn:aws:s3:::*",
        "arn:aws:s3:::reports/*",
    ])
}

fn principal() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!("*"),
        json!({"AWS": "*"}),
        json!({"AWS": A}),
        json!({"AWS": format!("arn:aws:iam::{A}:root")}),
        json!({"AWS": format!("arn:aws:iam::{A}:user/homes")}),
        json!({"AWS": format!("arn:aws:iam::{A}:role/builder")}),
        json!({"AWS": "222222222222"}),
        json!({"Service": "ec2.amazonaws.com"}),
    ])
}

fn condition() -> impl Strategy<Value = Option<Value>> {
    prop::option::of(prop::sample::select(vec![
        json!({"StringEquals": {"sts:ExternalId": "x-1"}}),
        json!({"StringEqualsIfExists": {"sts:ExternalId": "x-1"}}),
        json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
        json!({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}),
        json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111111111111:user/*"}}),
        json!({"StringNotEquals": {"aws:PrincipalType": "AssumedRole"}}),
        json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
        json!({"Null": {"sts:ExternalId": "false"}}),
        json!({"ForAnyValue:StringEquals": {"aws:TagKeys": ["env"]}}),
    ]))
}

fn statement(with_principal: bool) -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        prop::collection::vec(action(), 1..3),
        resource_pattern(),
        principal(),
        condition(),
        any::<bool>(),
    )
        .prop_map(
            move |(allow, actions, resource, principal, condition, not_action)| {
                let mut s = json!({ "Effect": if allow { "Allow" } else { "Deny" } });
                s[if not_action && !with_principal {
                    "NotAction"
                } else {
                    "Action"
                }] = json!(actions);
                if with_principal {
                    s["Principal"] = principal;
                } else {
                    s["Resource"] = json!(resource);
                }
                if let Some(c) = condition {
                    s["Condition"] = c;
                }
                s
            },
        )
}

fn policy_json(with_principal: bool) -> impl Strategy<Value = Value> {
    prop::collection::vec(statement(with_principal), 1..4)
        .prop_map(|statements| json!({ "Version": "2012-10-17", "Statement": statements }))
}

#[derive(Debug, Clone)]
struct Case {
    caller: &'static str,
    action: &'static str,
    resource: &'static str,
    context: Vec<(&'static str, &'static str)>,
    identity: Vec<Value>,
    resource_policy: Option<Value>,
    boundary: Option<Value>,
    session: Option<Value>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::sample::select(vec![
            "arn:aws:iam::111111111111:user/homes",
            "arn:aws:iam::111111111111:user/intern",
            "arn:aws:iam::111111111111:root",
            "arn:aws:sts::111111111111:assumed-role/builder/ci",
            "arn:aws:iam::222222222222:user/local",
        ]),
        prop::sample::select(vec![
            "sts:AssumeRole",
            "s3:GetObject",
            "s3:ListAllMyBuckets",
        ]),
        prop::sample::select(vec![
            "arn:aws:iam::222222222222:role/s3-viewer",
            "arn:aws:iam::111111111111:role/ops",
            "arn:aws:s3:::reports/a",
        ]),
        prop::collection::vec(
            prop::sample::select(vec![
                ("sts:ExternalId", "x-1"),
                ("sts:ExternalId", "x-2"),
                ("aws:MultiFactorAuthPresent", "true"),
                ("aws:SourceIp", "203.0.113.9"),
                ("aws:TagKeys", "env"),
            ]),
            0..3,
        ),
        prop::collection::vec(policy_json(false), 0..3),
        prop::option::of(policy_json(true)),
        prop::option::of(policy_json(false)),
        prop::option::of(policy_json(false)),
    )
        .prop_map(
            |(caller, action, resource, context, identity, resource_policy, boundary, session)| {
                Case {
                    caller,
                    action,
                    resource: if action == "s3:ListAllMyBuckets" {
                        "*"
                    } else {
                        resource
                    },
                    context,
                    identity,
                    resource_policy,
                    boundary,
                    session,
                }
            },
        )
}

/// What the properties compare of an evaluation (it borrows the policies,
/// which live only inside `decide`).
struct Outcome {
    decision: Decision,
    missing: Vec<&'static str>,
}

fn decide(case: &Case) -> Outcome {
    let caller = Caller::parse(case.caller).expect("a valid caller");
    let mut context = Context::new();
    for (k, v) in &case.context {
        context.push(k, *v);
    }
    context.fill_from(
        &caller,
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600),
    );
    let p = |v: &Value| -> Policy { parse(v).expect("generated policies parse") };
    let identity: Vec<Policy> = case.identity.iter().map(p).collect();
    let resource = case.resource_policy.as_ref().map(p);
    let boundary = case.boundary.as_ref().map(p);
    let session = case.session.as_ref().map(p);
    let policies = Policies {
        scps: Vec::new(),
        rcps: Vec::new(),
        identity: identity
            .iter()
            .map(|policy| NamedPolicy {
                name: "identity",
                policy,
            })
            .collect(),
        resource: resource.as_ref().map(|policy| NamedPolicy {
            name: "resource",
            policy,
        }),
        boundary: boundary.as_ref().map(|policy| NamedPolicy {
            name: "boundary",
            policy,
        }),
        session: session.as_ref().map(|policy| NamedPolicy {
            name: "session",
            policy,
        }),
    };
    let request = Request {
        caller: &caller,
        action: case.action,
        resource: case.resource,
        resource_account: None,
        context: &context,
    };
    let evaluation = evaluate(&request, &policies);
    Outcome {
        decision: evaluation.decision,
        missing: sorted_missing(&evaluation),
    }
}

fn push_statement(policy: &mut Value, statement: Value) {
    if let Some(list) = policy["Statement"].as_array_mut() {
        list.push(statement);
    }
}

/// Where a statement can be added: an identity policy, the resource
/// policy, the boundary, or the session policy.
fn add_to(case: &mut Case, slot: usize, statement: Value, with_principal: Value) {
    match slot % 4 {
        0 if !case.identity.is_empty() => push_statement(&mut case.identity[0], statement),
        1 => {
            if let Some(r) = case.resource_policy.as_mut() {
                let mut s = statement;
                if let Some(o) = s.as_object_mut() {
                    o.remove("Resource");
                }
                s["Principal"] = with_principal;
                push_statement(r, s);
            }
        }
        2 => {
            if let Some(b) = case.boundary.as_mut() {
                push_statement(b, statement);
            }
        }
        _ => {
            if let Some(s) = case.session.as_mut() {
                push_statement(s, statement);
            }
        }
    }
}

fn sorted_missing(e: &Evaluation<'_>) -> Vec<&'static str> {
    let mut m: Vec<&'static str> = e.missing.iter().map(|s| s.as_str()).collect();
    m.sort_unstable();
    m
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn a_matching_deny_absorbs_everything(mut case in case()) {
        let deny = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]});
        case.identity.push(deny);
        // AWS's rules come before any policy: GetCallerIdentity stays
        // allowed, and the root user still may not assume a role.
        let caller = Caller::parse(case.caller).expect("a valid caller");
        let expected = match caller_rule(&caller, case.action).map(|r| r.effect) {
            Some(RuleEffect::Allow) => Decision::Allow,
            Some(RuleEffect::Refuse) => Decision::Refused,
            None => Decision::ExplicitDeny,
        };
        prop_assert_eq!(decide(&case).decision, expected);
    }

    #[test]
    fn adding_an_allow_never_removes_access(mut case in case(), extra in statement(false), slot in 0usize..4, who in principal()) {
        let before = decide(&case).decision;
        let mut extra = extra;
        extra["Effect"] = json!("Allow");
        add_to(&mut case, slot, extra, who);
        if before == Decision::Allow {
            prop_assert_eq!(decide(&case).decision, Decision::Allow);
        }
    }

    #[test]
    fn adding_a_deny_never_grants(mut case in case(), extra in statement(false), slot in 0usize..4, who in principal()) {
        let before = decide(&case).decision;
        let mut extra = extra;
        extra["Effect"] = json!("Deny");
        add_to(&mut case, slot, extra, who);
        if before != Decision::Allow {
            prop_assert_ne!(decide(&case).decision, Decision::Allow);
        }
    }

    #[test]
    fn statement_and_policy_order_never_matter(case in case()) {
        let before = decide(&case);
        let mut reversed = case.clone();
        reversed.identity.reverse();
        for p in reversed.identity.iter_mut().chain(reversed.resource_policy.iter_mut()).chain(reversed.boundary.iter_mut()).chain(reversed.session.iter_mut()) {
            if let Some(list) = p["Statement"].as_array_mut() {
                list.reverse();
            }
        }
        let after = decide(&reversed);
        prop_assert_eq!(before.decision, after.decision);
        prop_assert_eq!(before.missing, after.missing);
    }

    #[test]
    fn equivalent_principal_forms_decide_alike(case in case(), pair in 0usize..2) {
        let (a, b) = [
            (json!("*"), json!({"AWS": "*"})),
            (json!({"AWS": A}), json!({"AWS": format!("arn:aws:iam::{A}:root")})),
        ][pair].clone();
        let with = |principal: &Value| {
            let mut c = case.clone();
            c.resource_policy = Some(json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "*"}]}));
            decide(&c)
        };
        let (x, y) = (with(&a), with(&b));
        prop_assert_eq!(x.decision, y.decision);
        prop_assert_eq!(x.missing, y.missing);
    }

    #[test]
    fn parse_print_parse_round_trips(policy in prop_oneof![policy_json(false), policy_json(true)]) {
        let first = parse(&policy).expect("generated policies parse");
        let printed = policy_to_json(&first);
        let second = parse(&printed).expect("printed policies parse");
        prop_assert_eq!(first, second);
    }

    #[test]
    fn no_text_panics_the_parser(text in "\\PC{0,200}") {
        let _ = parse_text(&text);
    }

    #[test]
    fn no_json_shape_panics_the_parser_or_the_evaluator(doc in arbitrary_json(), case in case()) {
        if let Ok(policy) = parse(&doc) {
            let caller = Caller::parse(case.caller).expect("a valid caller");
            let context = Context::new();
            let request = Request { caller: &caller, action: case.action, resource: case.resource, resource_account: None, context: &context };
            let trust = is_trust_action(case.action);
            let policies = Policies {
                scps: Vec::new(),
                rcps: Vec::new(),
                identity: vec![NamedPolicy { name: "p", policy: &policy }],
                resource: trust.then_some(NamedPolicy { name: "r", policy: &policy }),
                boundary: Some(NamedPolicy { name: "b", policy: &policy }),
                session: None,
            };
            let _ = evaluate(&request, &policies);
        }
    }
}

/// JSON shaped like policies, with the IAM keys and odd values mixed in.
fn arbitrary_json() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec![
        "Version",
        "Statement",
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Principal",
        "NotPrincipal",
        "Condition",
        "AWS",
        "Sid",
        "StringLike",
        "NumericLessThan",
        "IpAddress",
        "DateLessThan",
        "ForAllValues:StringEquals",
        "aws:SourceIp",
        "x",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        prop::sample::select(vec![
            "2012-10-17",
            "Allow",
            "Deny",
            "*",
            "sts:AssumeRole",
            "arn:aws:iam::111111111111:root",
            "${aws:username",
            "10.0.0.0/33",
            "arn:aws:s3:::${x}/*",
            "?*"
        ])
        .prop_map(|s| json!(s)),
        "\\PC{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..5).prop_map(|pairs| {
                Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}
