//! `xacct policy eval`'s output: the decision, the request, why, and every
//! statement's fate, as text or JSON.

use std::fmt::Write as _;

use serde_json::json;

use crate::iam::{Context, Decision, Evaluation, Miss, Request, StatementRef, explain};

/// The full explanation, for people.
pub fn text(evaluation: &Evaluation<'_>, request: &Request<'_>) -> String {
    let mut out = String::new();
    let decision = match evaluation.decision {
        Decision::Allow => "ALLOW",
        Decision::ExplicitDeny => "DENY (explicit)",
        Decision::ImplicitDeny => "DENY (implicit)",
        Decision::Refused => "DENY (AWS rule)",
    };
    let _ = writeln!(out, "decision: {decision}");
    let _ = writeln!(
        out,
        "request:  {} {} on {}",
        request.caller.arn(),
        request.action,
        request.resource
    );
    if evaluation.cross_account {
        let _ = writeln!(
            out,
            "          cross-account: the identity side and the resource side must both allow"
        );
    }
    let _ = writeln!(out, "why:      {}", explain::summary(evaluation, request));
    if let Some(rule) = evaluation.rule {
        let _ = writeln!(out, "source:   {}", rule.source);
    } else if let Some(own) = evaluation.own_policy {
        let _ = writeln!(
            out,
            "note:     the {} must allow ({})",
            own.policy_name, own.source
        );
    }
    if !evaluation.trace.is_empty() {
        let _ = writeln!(out, "statements:");
        for t in &evaluation.trace {
            let _ = writeln!(
                out,
                "  - {} {} - {}",
                explain::statement_name(&t.at),
                t.effect.as_str(),
                explain::trace_sentence(t, request.context)
            );
        }
    }
    out
}

fn at(r: &StatementRef<'_>) -> serde_json::Value {
    json!({ "policy": r.policy, "kind": r.kind.describe(), "statement": r.index, "sid": r.sid })
}

fn mismatch(miss: &Miss<'_>, context: &Context) -> serde_json::Value {
    match miss {
        Miss::Principal => json!({ "element": "principal" }),
        Miss::NotPrincipal => json!({ "element": "not-principal" }),
        Miss::Action => json!({ "element": "action" }),
        Miss::Resource => json!({ "element": "resource" }),
        Miss::Condition {
            operator,
            key,
            values,
        } => json!({
            "element": "condition", "operator": operator, "key": key, "values": values,
            "request_values": context.get(key), "claim": explain::oidc_claim(key),
            "sentence": explain::miss_sentence(miss, context),
        }),
        Miss::Variable { key } => json!({ "element": "variable", "key": key }),
    }
}

/// The evaluation as JSON: `decision`, `summary`, `rule`, `deciding`,
/// `missing`, `statements`.
pub fn json(evaluation: &Evaluation<'_>, request: &Request<'_>) -> String {
    let statements: Vec<_> = evaluation
        .trace
        .iter()
        .map(|t| {
            let mut value = at(&t.at);
            value["effect"] = json!(t.effect.as_str());
            value["applies"] = json!(t.result.is_ok());
            if let Ok(Some(m)) = &t.result {
                value["principal_match"] = json!(m.describe());
            }
            if let Err(miss) = &t.result {
                value["mismatch"] = mismatch(miss, request.context);
            }
            value
        })
        .collect();
    super::json::pretty(&json!({
        "decision": evaluation.decision.as_str(),
        "summary": explain::summary(evaluation, request),
        "rule": evaluation.rule.map(|r| json!({ "id": r.id, "sentence": r.sentence, "source": r.source })),
        "principal": request.caller.arn(),
        "action": request.action,
        "resource": request.resource,
        "cross_account": evaluation.cross_account,
        "deciding": evaluation.deciding.iter().map(at).collect::<Vec<_>>(),
        "missing": evaluation.missing.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "statements": statements,
    }))
}

/// Rejected input: each error on its own `error:` line, or a JSON document.
pub fn input_errors(errors: &[String], as_json: bool) -> String {
    if as_json {
        super::json::pretty(&json!({ "decision": null, "exit_code": 3, "errors": errors }))
    } else {
        errors.iter().map(|e| format!("error: {e}\n")).collect()
    }
}
