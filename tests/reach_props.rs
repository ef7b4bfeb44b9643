//! The soundness invariant of the engine's analysis, as a property: for
//! random policies and random concrete request contexts, whenever the
//! engine allows an AssumeRole, the analysis has an edge
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

use super::policy_strategies::{conditions, document, identity_statement, request_keys};
use xacct::iam::{
    Caller, CallerKind, Context, Decision, NamedPolicy, Need, Policies, Policy, Request, Verdict,
    analyze, evaluate, parse_text,
};

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
