//! The soundness invariant of the who-can-assume graph, as a property:
//! for random worlds (trust policies of every principal shape, an
//! organization, an OIDC provider) and random concrete contexts, whenever
//! the simulator lets a caller assume a role, the graph has an edge that
//! is *always*, or *conditional* with conditions that hold in that
//! context; an *always* edge is allowed in every context.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::policy_strategies::{conditions, document, identity_statement, request_keys};

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
