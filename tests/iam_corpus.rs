//! The IAM decision corpus: every file in `tests/iam-corpus/` holds cases
//! (caller, action, resource, context, policies by type) with the expected
//! decision, the deciding statements or missing sides, the element that
//! failed in named statements, and the source of the expectation.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use serde::Deserialize;
use xacct::iam::CallerKind;
use xacct::iam::{Caller, Context, Policy, PolicyKind, parse_as};
use xacct::iam::{Level, Miss, NamedPolicy, Policies, Request, evaluate, is_trust_action};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    source: String,
    principal: String,
    #[serde(default)]
    federated_by: Option<String>,
    #[serde(default)]
    principal_id: Option<String>,
    action: String,
    resource: String,
    #[serde(default)]
    resource_account: Option<String>,
    #[serde(default)]
    context: BTreeMap<String, OneOrMany>,
    policies: CasePolicies,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CasePolicies {
    #[serde(default)]
    identity: Vec<serde_json::Value>,
    #[serde(default)]
    resource: Option<serde_json::Value>,
    #[serde(default)]
    boundary: Option<serde_json::Value>,
    #[serde(default)]
    session: Option<serde_json::Value>,
    /// SCP levels from the organization root down, each a list of policies
    /// (named `scp-LEVEL-INDEX`, the level's node `scp level LEVEL`).
    #[serde(default)]
    scps: Vec<Vec<serde_json::Value>>,
    /// RCP levels likewise (`rcp-LEVEL-INDEX`).
    #[serde(default)]
    rcps: Vec<Vec<serde_json::Value>>,
}

/// Guardrail levels as named policies: (node, [(name, policy)]).
type Levels = Vec<(String, Vec<(String, Policy)>)>;

fn levels(list: &[Vec<serde_json::Value>], kind: PolicyKind, prefix: &str, case: &str) -> Levels {
    list.iter()
        .enumerate()
        .map(|(l, docs)| {
            (
                format!("{prefix} level {l}"),
                docs.iter()
                    .enumerate()
                    .map(|(i, v)| (format!("{prefix}-{l}-{i}"), policy(v, kind, case)))
                    .collect(),
            )
        })
        .collect()
}

fn as_levels(levels: &Levels) -> Vec<Level<'_>> {
    levels
        .iter()
        .map(|(node, policies)| Level {
            node,
            policies: policies
                .iter()
                .map(|(name, policy)| NamedPolicy { name, policy })
                .collect(),
        })
        .collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    decision: String,
    /// `policy#statement`, e.g. `identity-0#1`, `trust#0`.
    #[serde(default)]
    deciding: Option<Vec<String>>,
    #[serde(default)]
    missing: Option<Vec<String>>,
    /// `policy#statement` → `principal`, `not-principal`, `action`,
    /// `resource`, `condition OPERATOR KEY`, `variable KEY`, or `applies`.
    #[serde(default)]
    statements: BTreeMap<String, String>,
    /// The id of the AWS rule that decided, when one must.
    #[serde(default)]
    rule: Option<String>,
    /// Text the one-line explanation must contain.
    #[serde(default)]
    summary_contains: Option<String>,
    /// Text the one-line explanation must not contain.
    #[serde(default)]
    summary_lacks: Option<String>,
}

fn policy(value: &serde_json::Value, kind: PolicyKind, case: &str) -> Policy {
    parse_as(value, kind).unwrap_or_else(|e| panic!("{case}: {kind:?} policy: {e}"))
}

fn describe(result: &Result<Option<xacct::iam::PrincipalMatch>, Miss>) -> String {
    match result {
        Ok(_) => "applies".to_owned(),
        Err(Miss::Principal) => "principal".to_owned(),
        Err(Miss::NotPrincipal) => "not-principal".to_owned(),
        Err(Miss::Action) => "action".to_owned(),
        Err(Miss::Resource) => "resource".to_owned(),
        Err(Miss::Condition { operator, key, .. }) => format!("condition {operator} {key}"),
        Err(Miss::Variable { key }) => format!("variable {key}"),
    }
}

fn run_case(case: &Case) -> Result<(), String> {
    let mut caller = Caller::parse(&case.principal).map_err(|e| e.to_string())?;
    if let CallerKind::FederatedUser { federated_by, .. } = &mut caller.kind {
        federated_by.clone_from(&case.federated_by);
    }
    caller.unique_id.clone_from(&case.principal_id);
    let mut context = Context::new();
    for (key, value) in &case.context {
        match value {
            OneOrMany::One(v) => context.set(key, v.clone()),
            OneOrMany::Many(vs) => context.set_many(key, vs.clone()),
        };
    }
    context.fill_from(
        &caller,
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600),
    );
    let trust = is_trust_action(&case.action) && case.resource.contains(":role/");
    let resource_name = if trust { "trust" } else { "resource" };
    let identity: Vec<(String, Policy)> = case
        .policies
        .identity
        .iter()
        .enumerate()
        .map(|(i, v)| {
            (
                format!("identity-{i}"),
                policy(v, PolicyKind::Identity, &case.name),
            )
        })
        .collect();
    let resource_kind = if trust {
        PolicyKind::Trust
    } else {
        PolicyKind::Resource
    };
    let resource = case
        .policies
        .resource
        .as_ref()
        .map(|v| policy(v, resource_kind, &case.name));
    let boundary = case
        .policies
        .boundary
        .as_ref()
        .map(|v| policy(v, PolicyKind::Boundary, &case.name));
    let session = case
        .policies
        .session
        .as_ref()
        .map(|v| policy(v, PolicyKind::Session, &case.name));
    let scps = levels(&case.policies.scps, PolicyKind::Scp, "scp", &case.name);
    let rcps = levels(&case.policies.rcps, PolicyKind::Rcp, "rcp", &case.name);
    let policies = Policies {
        scps: as_levels(&scps),
        rcps: as_levels(&rcps),
        identity: identity
            .iter()
            .map(|(name, policy)| NamedPolicy { name, policy })
            .collect(),
        resource: resource.as_ref().map(|policy| NamedPolicy {
            name: resource_name,
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
        action: &case.action,
        resource: &case.resource,
        resource_account: case.resource_account.as_deref(),
        context: &context,
    };
    let evaluation = evaluate(&request, &policies);
    let mut problems = Vec::new();
    if evaluation.decision.as_str() != case.expect.decision {
        problems.push(format!(
            "decision: expected {}, got {}",
            case.expect.decision,
            evaluation.decision.as_str()
        ));
    }
    if let Some(expected) = &case.expect.deciding {
        let mut got: Vec<String> = evaluation
            .deciding
            .iter()
            .map(|r| format!("{}#{}", r.policy, r.index))
            .collect();
        let mut want = expected.clone();
        got.sort();
        want.sort();
        if got != want {
            problems.push(format!("deciding: expected {want:?}, got {got:?}"));
        }
    }
    if let Some(expected) = &case.expect.missing {
        let mut got: Vec<&str> = evaluation.missing.iter().map(|s| s.as_str()).collect();
        let mut want: Vec<&str> = expected.iter().map(String::as_str).collect();
        got.sort_unstable();
        want.sort_unstable();
        if got != want {
            problems.push(format!("missing: expected {want:?}, got {got:?}"));
        }
    }
    for (at, want) in &case.expect.statements {
        let got = evaluation
            .trace
            .iter()
            .find(|t| format!("{}#{}", t.at.policy, t.at.index) == *at)
            .map(|t| describe(&t.result));
        if got.as_deref() != Some(want.as_str()) {
            problems.push(format!("statement {at}: expected {want}, got {got:?}"));
        }
    }
    if let Some(want) = &case.expect.rule {
        let got = evaluation.rule.map(|r| r.id);
        if got != Some(want.as_str()) {
            problems.push(format!("rule: expected {want}, got {got:?}"));
        }
    } else if let Some(rule) = evaluation.rule {
        problems.push(format!("rule: expected none, got {}", rule.id));
    }
    let summary = xacct::iam::explain::summary(&evaluation, &request);
    if let Some(want) = &case.expect.summary_contains
        && !summary.contains(want.as_str())
    {
        problems.push(format!(
            "summary: expected to contain `{want}`, got `{summary}`"
        ));
    }
    if let Some(unwanted) = &case.expect.summary_lacks
        && summary.contains(unwanted.as_str())
    {
        problems.push(format!(
            "summary: expected not to contain `{unwanted}`, got `{summary}`"
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[test]
fn every_corpus_case_decides_as_aws_does() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/iam-corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus files in {}", dir.display());
    let (mut total, mut failures) = (0, Vec::new());
    for path in files {
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file: File =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for case in &file.cases {
            total += 1;
            assert!(
                !case.source.trim().is_empty(),
                "{}: every case names its source",
                case.name
            );
            if let Err(problem) = run_case(case) {
                failures.push(format!(
                    "{} / {}: {problem}",
                    path.file_name()
                        .map(|f| f.to_string_lossy())
                        .unwrap_or_default(),
                    case.name
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} corpus cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(total >= 60, "the corpus has {total} cases");
}
