//! The soundness invariant of the analysis, as properties: for random
//! policies and worlds and random concrete request contexts, whenever the
//! engine (or the simulator) allows an AssumeRole, the analysis has an edge
//! that is *always*, or *conditional* with conditions that hold in that
//! context; so when it says *never*, no context allows. And an *always*
//! edge is allowed in every context.
//!
//! The conditions are drawn from every operator family (String, Numeric,
//! Date, Bool, Binary, IpAddress, Arn, Null), with `...IfExists`,
//! `ForAnyValue:` / `ForAllValues:`, negations and policy variables, on
//! keys the analysis knows (the caller's) and keys it cannot (the
//! request's).

use proptest::prelude::*;
use serde_json::{Value, json};
use xacct::iam::{
    Caller, CallerKind, Context, Decision, NamedPolicy, Need, Policies, Policy, Request, Verdict,
    analyze, evaluate, parse_text,
};

/// Conditions of every family, on request keys (unknown to the analysis)
/// and caller keys (known), some with policy variables.
fn condition() -> impl Strategy<Value = (&'static str, &'static str, Vec<&'static str>)> {
    prop::sample::select(vec![
        ("StringEquals", "sts:ExternalId", vec!["x-1"]),
        ("StringNotEquals", "sts:ExternalId", vec!["x-1"]),
        ("StringEqualsIfExists", "sts:ExternalId", vec!["x-2"]),
        ("StringLike", "sts:RoleSessionName", vec!["${aws:username}"]),
        ("StringNotLike", "sts:RoleSessionName", vec!["ops-*"]),
        (
            "StringEqualsIgnoreCase",
            "aws:PrincipalTag/team",
            vec!["Data"],
        ),
        ("StringLikeIfExists", "aws:SourceIdentity", vec!["admin-*"]),
        ("NumericLessThan", "aws:MultiFactorAuthAge", vec!["3600"]),
        (
            "NumericGreaterThanEquals",
            "aws:MultiFactorAuthAge",
            vec!["60"],
        ),
        ("NumericEqualsIfExists", "aws:MultiFactorAuthAge", vec!["0"]),
        (
            "DateLessThan",
            "aws:CurrentTime",
            vec!["2026-06-01T00:00:00Z"],
        ),
        (
            "DateGreaterThan",
            "aws:CurrentTime",
            vec!["2026-01-01T00:00:00Z"],
        ),
        ("Bool", "aws:MultiFactorAuthPresent", vec!["true"]),
        ("BoolIfExists", "aws:MultiFactorAuthPresent", vec!["false"]),
        ("Bool", "aws:SecureTransport", vec!["true"]),
        ("BinaryEquals", "aws:SourceVpc", vec!["dnBjLTE="]),
        ("IpAddress", "aws:SourceIp", vec!["203.0.113.0/24"]),
        ("NotIpAddress", "aws:SourceIp", vec!["198.51.100.0/24"]),
        (
            "ArnLike",
            "aws:PrincipalArn",
            vec!["arn:aws:iam::111111111111:role/ops-*"],
        ),
        (
            "ArnEquals",
            "aws:PrincipalArn",
            vec!["arn:aws:iam::111111111111:user/dev"],
        ),
        (
            "ArnNotLike",
            "aws:PrincipalArn",
            vec!["arn:aws:iam::333333333333:*"],
        ),
        ("Null", "sts:ExternalId", vec!["false"]),
        ("Null", "aws:PrincipalTag/team", vec!["true"]),
        ("ForAnyValue:StringEquals", "aws:TagKeys", vec!["env"]),
        (
            "ForAllValues:StringLike",
            "aws:TagKeys",
            vec!["env", "team"],
        ),
        (
            "StringEquals",
            "aws:RequestedRegion",
            vec!["eu-west-1", "us-east-1"],
        ),
        (
            "StringEquals",
            "aws:RequestTag/team",
            vec!["${aws:PrincipalTag/team}"],
        ),
        ("StringEquals", "aws:PrincipalAccount", vec!["111111111111"]),
        ("StringNotEquals", "aws:PrincipalType", vec!["AssumedRole"]),
        ("StringEquals", "aws:username", vec!["dev"]),
        ("StringEquals", "aws:PrincipalIsAWSService", vec!["false"]),
        // Placeholders for values only a deployment knows.
        (
            "StringEquals",
            "aws:PrincipalAccount",
            vec!["UNRESOLVED(parameter Trusted)"],
        ),
        (
            "StringNotEquals",
            "sts:ExternalId",
            vec!["UNRESOLVED(parameter Ext)"],
        ),
    ])
}

fn conditions() -> impl Strategy<Value = Option<Value>> {
    prop::collection::vec(condition(), 0..3).prop_map(|list| {
        if list.is_empty() {
            return None;
        }
        let mut block = serde_json::Map::new();
        for (op, key, values) in list {
            let entry = block.entry(op).or_insert_with(|| json!({}));
            entry[key] = json!(values);
        }
        Some(Value::Object(block))
    })
}

/// A trust policy statement naming callers of the test.
fn trust_statement() -> impl Strategy<Value = Value> {
    (
        prop::bool::weighted(0.8),
        prop_oneof![
            1 => Just(json!("*")),
            // One value, or a list: a sure indirect match (the account)
            // beside a direct one the analysis cannot decide.
            6 => prop::sample::subsequence(
                vec![
                    "111111111111",
                    "arn:aws:iam::111111111111:root",
                    "arn:aws:iam::111111111111:user/dev",
                    "arn:aws:iam::111111111111:role/ops-build",
                    "arn:aws:sts::111111111111:assumed-role/ops-build/ci",
                    "222222222222",
                    "arn:aws:iam::UNRESOLVED(parameter Trusted):root",
                ],
                1..=3,
            )
            .prop_map(|v| if v.len() == 1 { json!({"AWS": v[0]}) } else { json!({"AWS": v}) }),
        ],
        prop::bool::weighted(0.1),
        conditions(),
    )
        .prop_map(|(allow, principal, not, condition)| {
            let mut s = json!({
                "Effect": if allow { "Allow" } else { "Deny" },
                "Action": "sts:AssumeRole",
            });
            s[if not { "NotPrincipal" } else { "Principal" }] = if not {
                json!({"AWS": ["arn:aws:iam::111111111111:root", "arn:aws:iam::111111111111:role/ops-build", "arn:aws:sts::111111111111:assumed-role/ops-build/ci"]})
            } else {
                principal
            };
            if let Some(c) = condition {
                s["Condition"] = c;
            }
            s
        })
}

/// An identity policy statement about AssumeRole.
fn identity_statement() -> impl Strategy<Value = Value> {
    (
        prop::bool::weighted(0.8),
        prop::sample::select(vec!["sts:AssumeRole", "sts:*", "*"]),
        prop::sample::select(vec![
            ("Resource", "*"),
            ("Resource", "arn:aws:iam::222222222222:role/target"),
            ("Resource", "arn:aws:iam::*:role/${aws:PrincipalTag/team}*"),
            ("Resource", "arn:aws:iam::*:role/${aws:username}"),
            ("NotResource", "arn:aws:iam::111111111111:role/*"),
            ("Resource", "UNRESOLVED(parameter RoleArn)"),
            ("NotResource", "UNRESOLVED(parameter Other)"),
        ]),
        conditions(),
    )
        .prop_map(|(allow, action, (element, resource), condition)| {
            let mut s = json!({
                "Effect": if allow { "Allow" } else { "Deny" },
                "Action": action,
            });
            s[element] = json!(resource);
            if let Some(c) = condition {
                s["Condition"] = c;
            }
            s
        })
}

fn document(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// One concrete request's keys: each request key absent or a value drawn
/// to fall on either side of the policies' values.
fn request_keys() -> impl Strategy<Value = Vec<(&'static str, &'static str)>> {
    let one = |key: &'static str, values: Vec<&'static str>| {
        prop::option::of(prop::sample::select(values)).prop_map(move |v| v.map(|v| (key, v)))
    };
    (
        (
            one("sts:ExternalId", vec!["x-1", "x-2"]),
            one("sts:RoleSessionName", vec!["dev", "ops-x", "ci"]),
            one("aws:SourceIdentity", vec!["admin-1", "bob"]),
            one("aws:MultiFactorAuthAge", vec!["0", "100", "7200"]),
            one("aws:MultiFactorAuthPresent", vec!["true", "false"]),
            one(
                "aws:CurrentTime",
                vec![
                    "2026-03-01T00:00:00Z",
                    "2026-09-01T00:00:00Z",
                    "2025-06-01T00:00:00Z",
                ],
            ),
        ),
        (
            one("aws:SecureTransport", vec!["true", "false"]),
            one(
                "aws:SourceIp",
                vec!["203.0.113.9", "198.51.100.7", "192.0.2.1"],
            ),
            one("aws:SourceVpc", vec!["dnBjLTE=", "dnBjLTI="]),
            one("aws:RequestedRegion", vec!["eu-west-1", "ap-south-1"]),
            one("aws:RequestTag/team", vec!["data", "ops"]),
            prop::option::of(prop::sample::select(vec!["env", "team", "other"]))
                .prop_map(|v| v.map(|v| ("aws:TagKeys", v))),
        ),
        // A role session's tags are the caller's to choose.
        one("aws:PrincipalTag/team", vec!["data", "Data", "ops"]),
    )
        .prop_map(|((a, b, c, d, e, f), (g, h, i, j, k, l), tag)| {
            [a, b, c, d, e, f, g, h, i, j, k, l, tag]
                .into_iter()
                .flatten()
                .collect()
        })
}

/// The callers: a user (with or without a tag) and any session of a role.
fn caller(which: u8) -> (Caller, Caller, Vec<(&'static str, &'static str)>) {
    let (concrete, fixed_tags) = match which {
        0 | 1 => {
            let caller = Caller {
                unique_id: Some("AIDAEXAMPLEDEV".to_owned()),
                ..Caller::parse("arn:aws:iam::111111111111:user/dev").expect("caller")
            };
            let tags = if which == 1 {
                vec![("aws:PrincipalTag/team", "data")]
            } else {
                Vec::new()
            };
            (caller, tags)
        }
        _ => (
            Caller {
                unique_id: Some("AROAEXAMPLEOPS".to_owned()),
                ..Caller::parse("arn:aws:sts::111111111111:assumed-role/ops-build/ci")
                    .expect("caller")
            },
            Vec::new(),
        ),
    };
    let mut analysed = concrete.clone();
    if let CallerKind::RoleSession { session, .. } = &mut analysed.kind {
        *session = None;
    }
    (concrete, analysed, fixed_tags)
}

fn compile(doc: &Value) -> Policy {
    parse_text(&doc.to_string()).expect("a generated policy parses")
}

/// The values a deployment may give the placeholders the policies hold.
fn deployment() -> impl Strategy<Value = Vec<(&'static str, &'static str)>> {
    let roles = vec![
        "arn:aws:iam::222222222222:role/target",
        "arn:aws:iam::111111111111:role/target",
        "arn:aws:iam::111111111111:role/other",
    ];
    (
        prop::sample::select(vec!["111111111111", "222222222222", "333333333333"]),
        prop::sample::select(vec!["x-1", "x-2"]),
        prop::sample::select(roles.clone()),
        prop::sample::select(roles),
    )
        .prop_map(|(trusted, ext, role, other)| {
            vec![
                ("UNRESOLVED(parameter Trusted)", trusted),
                ("UNRESOLVED(parameter Ext)", ext),
                ("UNRESOLVED(parameter RoleArn)", role),
                ("UNRESOLVED(parameter Other)", other),
            ]
        })
}

/// A trust policy, identity policies and a boundary, for the engine.
type PolicySet = (Policy, Option<Policy>, Option<Policy>);

fn policies_of((trust, identity, boundary): &PolicySet) -> Policies<'_> {
    Policies {
        identity: identity
            .iter()
            .map(|policy| NamedPolicy { name: "id", policy })
            .collect(),
        resource: Some(NamedPolicy {
            name: "target",
            policy: trust,
        }),
        boundary: boundary.as_ref().map(|policy| NamedPolicy {
            name: "boundary",
            policy,
        }),
        ..Policies::default()
    }
}

/// `doc` as deployed: each placeholder replaced by its value.
fn deployed(doc: &Value, values: &[(&str, &str)]) -> Policy {
    let mut text = doc.to_string();
    for (placeholder, value) in values {
        text = text.replace(placeholder, value);
    }
    parse_text(&text).expect("a deployed policy parses")
}

/// Whether some alternative of the analysis holds (or none is needed)
/// and no exception does, in `context`.
fn conditions_hold(
    when: &[Vec<Need>],
    unless: &[Vec<Need>],
    context: &Context,
    role: &str,
) -> bool {
    let all = |needs: &Vec<Need>| needs.iter().all(|n| n.holds(context, role));
    (when.is_empty() || when.iter().any(all)) && !unless.iter().any(all)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// The engine: `analyze` in the open context against `evaluate` in
    /// concrete ones.
    #[test]
    fn the_engine_s_analysis_is_sound(
        trust in prop::collection::vec(trust_statement(), 1..4),
        identity in prop::collection::vec(identity_statement(), 0..4),
        boundary in prop::option::weighted(0.2, prop::collection::vec(identity_statement(), 1..3)),
        which in 0u8..3,
        cross in any::<bool>(),
        contexts in prop::collection::vec(request_keys(), 1..6),
        values in deployment(),
    ) {
        let role = if cross {
            "arn:aws:iam::222222222222:role/target"
        } else {
            "arn:aws:iam::111111111111:role/target"
        };
        let (trust, identity, boundary) = (
            document(trust),
            (!identity.is_empty()).then(|| document(identity)),
            boundary.map(document),
        );
        // As written (placeholders and all), and as one deployment gives
        // their values: the analysis of the first must cover both.
        let written = (
            compile(&trust),
            identity.as_ref().map(compile),
            boundary.as_ref().map(compile),
        );
        let deployed = (
            deployed(&trust, &values),
            identity.as_ref().map(|d| deployed(d, &values)),
            boundary.as_ref().map(|d| deployed(d, &values)),
        );
        let policies = policies_of(&written);
        let deployed_policies = policies_of(&deployed);
        let (concrete_caller, analysed_caller, fixed_tags) = caller(which);
        let mut open = Context::open();
        open.fill_caller(&analysed_caller);
        open.set("aws:PrincipalIsAWSService", "false");
        if matches!(analysed_caller.kind, CallerKind::User { .. }) {
            for (k, v) in &fixed_tags {
                open.set(k, *v);
            }
            open.absent("aws:PrincipalTag/");
        } else {
            open.absent("aws:username");
        }
        let request = Request {
            caller: &analysed_caller,
            action: "sts:AssumeRole",
            resource: role,
            resource_account: None,
            context: &open,
        };
        let analysis = analyze(&request, &policies);
        let when: Vec<Vec<Need>> = analysis.when.iter().map(|set| analysis.needs(set, &open)).collect();
        let unless: Vec<Vec<Need>> = analysis.unless.iter().map(|&i| analysis.needs(&[i], &open)).collect();
        for keys in contexts {
            let mut concrete = Context::new();
            for (k, v) in &keys {
                // A user's tags are its own, not the request's.
                if k.starts_with("aws:PrincipalTag/") && !fixed_tags.is_empty() {
                    continue;
                }
                if k.starts_with("aws:PrincipalTag/") && matches!(concrete_caller.kind, CallerKind::User { .. }) {
                    continue;
                }
                concrete.push(k, *v);
            }
            for (k, v) in &fixed_tags {
                concrete.set(k, *v);
            }
            concrete.set("aws:PrincipalIsAWSService", "false");
            concrete.fill_caller(&concrete_caller);
            let request = Request { caller: &concrete_caller, action: "sts:AssumeRole", resource: role, resource_account: None, context: &concrete };
            // As deployed: whatever the placeholders turn out to be, an
            // allowed request is one the analysis did not rule out.
            let deployed_allowed = evaluate(&request, &deployed_policies).decision == Decision::Allow;
            if deployed_allowed {
                prop_assert_ne!(analysis.verdict, Verdict::Never, "allowed as deployed with {:?} in {:?}", values, keys);
            }
            if analysis.verdict == Verdict::Always {
                prop_assert!(deployed_allowed, "always, but refused as deployed with {:?} in {:?}", values, keys);
            }
            let allowed = evaluate(&request, &policies).decision == Decision::Allow;
            if allowed {
                prop_assert_ne!(analysis.verdict, Verdict::Never, "allowed in {:?}", keys);
                prop_assert!(
                    conditions_hold(&when, &unless, &concrete, role),
                    "allowed in {:?} but the conditions {:?} / unless {:?} do not hold",
                    keys,
                    when.iter().map(|a| a.iter().map(Need::text).collect::<Vec<_>>()).collect::<Vec<_>>(),
                    unless.iter().map(|a| a.iter().map(Need::text).collect::<Vec<_>>()).collect::<Vec<_>>()
                );
            }
            if analysis.verdict == Verdict::Always {
                prop_assert!(allowed, "always, but refused in {:?}", keys);
            }
        }
    }
}

// ---- worlds: the graph against the simulator ------------------------------

/// A trust statement of a world role: principals of the world, of an
/// outside account, anyone, or the world's OIDC provider.
fn world_trust_statement() -> impl Strategy<Value = Value> {
    (
        prop::bool::weighted(0.8),
        prop::sample::select(vec![
            json!("*"),
            json!({"AWS": "111111111111"}),
            json!({"AWS": "arn:aws:iam::111111111111:user/dev"}),
            json!({"AWS": "arn:aws:iam::111111111111:role/ops-build"}),
            json!({"AWS": "arn:aws:iam::222222222222:role/second"}),
            json!({"AWS": "arn:aws:iam::333333333333:root"}),
            json!({"AWS": "arn:aws:iam::333333333333:user/bob"}),
            json!({"AWS": "arn:aws:iam::333333333333:role/partner"}),
            json!({"Federated": "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"}),
        ]),
        conditions(),
        prop::option::of(prop::sample::select(vec![
            json!({"StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/*"}}),
            json!({"StringEquals": {"iam:ResourceTag/team": "data"}}),
            json!({"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}),
            json!({"StringEquals": {"aws:PrincipalOrgID": "o-prop000001"}}),
            json!({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-prop000001/r-pr01/ou-pr01-team0001/*"]}}),
        ])),
    )
        .prop_map(|(allow, principal, condition, extra)| {
            let web = principal.get("Federated").is_some();
            let mut s = json!({
                "Effect": if allow { "Allow" } else { "Deny" },
                "Principal": principal,
                "Action": if web { "sts:AssumeRoleWithWebIdentity" } else { "sts:AssumeRole" },
            });
            let mut block = condition.unwrap_or_else(|| json!({}));
            if let Some(Value::Object(extra)) = extra {
                for (op, entry) in extra {
                    if let Value::Object(keys) = entry {
                        for (k, v) in keys {
                            block[op.as_str()][k.as_str()] = v;
                        }
                    }
                }
            }
            if block.as_object().is_some_and(|o| !o.is_empty()) {
                s["Condition"] = block;
            }
            s
        })
}

/// An organization for some worlds: the outside account 333333333333 a
/// member or not, and an SCP statement with a condition on the second
/// account's unit.
fn organization() -> impl Strategy<Value = String> {
    (prop::option::of((
        any::<bool>(),
        prop::collection::vec(identity_statement(), 1..2),
    )),)
        .prop_map(|(org,)| match org {
            None => String::new(),
            Some((outside_member, scp)) => {
                let outside = if outside_member {
                    ", \"333333333333\""
                } else {
                    ""
                };
                let mut scp = scp;
                scp.push(json!({"Effect": "Allow", "Action": "*", "Resource": "*"}));
                format!(
                    r#"organization:
  id: o-prop000001
  management_account: "111111111111"
  policies:
    guard: {}
  root:
    id: r-pr01
    accounts: ["111111111111"{outside}]
    units:
      Team:
        id: ou-pr01-team0001
        scps: [FullAWSAccess, guard]
        accounts: ["222222222222"]
"#,
                    document(scp)
                )
            }
        })
}

/// A random world of two accounts (a user, an OIDC provider, three roles)
/// whose roles trust principals inside and outside it, in an organization
/// or not.
fn world() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(identity_statement(), 1..3),
        prop::collection::vec(identity_statement(), 1..3),
        prop::collection::vec(world_trust_statement(), 1..4),
        prop::collection::vec(world_trust_statement(), 1..3),
        any::<bool>(),
        any::<bool>(),
        organization(),
    )
        .prop_map(|(dev, ops, target, second, dev_tag, role_tag, org)| {
            let policy = |statements: Vec<Value>| document(statements).to_string();
            let dev_tags = if dev_tag { "tags: { team: data }, " } else { "" };
            let role_tags = if role_tag { "tags: { team: data }, " } else { "" };
            format!(
                r#"name: prop
imported: []
{org}accounts:
  "111111111111":
    oidc_providers:
      token.actions.githubusercontent.com: {{ client_ids: [sts.amazonaws.com] }}
    users:
      dev: {{ {dev_tags}policies: {{ p: {dev} }} }}
    roles:
      ops-build:
        trust_policy: {{ Version: "2012-10-17", Statement: [ {{ Effect: Allow, Principal: {{ AWS: "111111111111" }}, Action: sts:AssumeRole }} ] }}
        policies: {{ p: {ops} }}
  "222222222222":
    roles:
      target: {{ {role_tags}trust_policy: {target} }}
      second: {{ trust_policy: {second}, policies: {{ p: {ops} }} }}
"#,
                dev = policy(dev),
                ops = policy(ops),
                target = policy(target),
                second = policy(second),
            )
        })
}

/// The callers tried concretely, and the nodes that may stand for each.
const CALLERS: [(&str, &[&str]); 9] = [
    (
        "arn:aws:iam::111111111111:user/dev",
        &["arn:aws:iam::111111111111:user/dev"],
    ),
    (
        "arn:aws:sts::111111111111:assumed-role/ops-build/ci",
        &["arn:aws:iam::111111111111:role/ops-build"],
    ),
    (
        "arn:aws:sts::111111111111:assumed-role/ops-build/dev",
        &["arn:aws:iam::111111111111:role/ops-build"],
    ),
    (
        "arn:aws:sts::222222222222:assumed-role/second/x",
        &["arn:aws:iam::222222222222:role/second"],
    ),
    (
        "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
        &["arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"],
    ),
    (
        "arn:aws:iam::333333333333:user/bob",
        &[
            "arn:aws:iam::333333333333:user/bob",
            "arn:aws:iam::333333333333:root",
            "*",
        ],
    ),
    (
        "arn:aws:iam::333333333333:user/eve",
        &["arn:aws:iam::333333333333:root", "*"],
    ),
    (
        "arn:aws:sts::333333333333:assumed-role/partner/p",
        &[
            "arn:aws:iam::333333333333:role/partner",
            "arn:aws:iam::333333333333:root",
            "*",
        ],
    ),
    ("arn:aws:iam::444444444444:user/stranger", &["*"]),
];

/// A token's claims, for the OIDC caller.
fn claims() -> impl Strategy<Value = Vec<(&'static str, &'static str)>> {
    (
        prop::sample::select(vec![
            "repo:acme/app:ref:refs/heads/main",
            "repo:evil/app:ref:refs/heads/main",
        ]),
        prop::sample::select(vec!["sts.amazonaws.com", "other"]),
    )
        .prop_map(|(sub, aud)| {
            vec![
                ("token.actions.githubusercontent.com:sub", sub),
                ("token.actions.githubusercontent.com:aud", aud),
            ]
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    /// The world: `World::graph` against `World::decide_assume` for every
    /// caller and role, in random contexts.
    #[test]
    fn the_graph_is_sound_against_the_simulator(
        text in world(),
        contexts in prop::collection::vec((request_keys(), claims()), 1..5),
    ) {
        let scenario = xacct::sim::parse(&text, "prop.yaml").expect("the world parses");
        let loaded = xacct::sim::build(scenario, "prop.yaml").expect("the world loads");
        let world = &loaded.world;
        let graph = world.graph();
        for role in ["arn:aws:iam::222222222222:role/target", "arn:aws:iam::222222222222:role/second", "arn:aws:iam::111111111111:role/ops-build"] {
            let to = graph.id(role).expect("the role is a node");
            for (caller, nodes) in CALLERS {
                // A role's own sessions are there already: no edge to itself.
                if nodes[0] == role {
                    continue;
                }
                for (keys, claims) in &contexts {
                    let mut pairs: Vec<(String, String)> = keys
                        .iter()
                        .chain(claims)
                        .filter(|(k, _)| !(k.starts_with("aws:PrincipalTag/") && caller.contains(":user/")))
                        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                        .collect();
                    pairs.sort();
                    let concrete = world.decide_assume(caller, role, &pairs).expect("decided");
                    let edges: Vec<_> = nodes
                        .iter()
                        .filter_map(|n| graph.id(n))
                        .flat_map(|from| graph.edges_from(from).iter().filter(|e| e.to == to))
                        .collect();
                    if concrete.allowed {
                        prop_assert!(
                            edges.iter().any(|e| e.conditions.as_ref().is_none_or(|c| c.hold(&concrete.context, role))),
                            "{caller} may assume {role} in {pairs:?}, but the graph has {:?}\n{text}",
                            edges.iter().map(|e| e.needs()).collect::<Vec<_>>()
                        );
                    }
                    // A caller of the world that always gets in, gets in every time.
                    if nodes.len() == 1 && edges.iter().any(|e| !e.is_conditional()) {
                        prop_assert!(concrete.allowed, "{caller} always assumes {role} by the graph, but not in {pairs:?}\n{text}");
                    }
                }
            }
        }
    }
}
