//! Human explanations of evaluations: the decision, the statements that
//! decided it or the sides that were missing, and why each statement did or
//! did not apply.

use std::fmt::Write as _;

use super::eval::{Decision, Evaluation, Miss, Request, Side, StatementRef, StatementTrace};
use super::parse::PolicyKind;

/// `identity policy `read` statement 0 (Sid "X")`.
pub fn statement_name(at: &StatementRef) -> String {
    let sid = match &at.sid {
        Some(sid) if !sid.is_empty() => format!(" (Sid \"{sid}\")"),
        _ => String::new(),
    };
    format!(
        "{} `{}` statement {}{sid}",
        at.kind.describe(),
        at.policy,
        at.index
    )
}

/// What a missing side means, in one sentence.
pub fn missing_sentence(side: Side, request: &Request<'_>) -> String {
    let (action, resource, caller) = (request.action, request.resource, request.caller.arn());
    match side {
        Side::Identity => format!("no identity policy of {caller} allows {action} on {resource}"),
        Side::Trust => format!(
            "the trust policy of {resource} does not allow {caller} (neither its ARN nor its account, with every condition met)"
        ),
        Side::Resource => format!(
            "the request crosses accounts and no resource policy of {resource} allows {caller}"
        ),
        Side::Boundary => format!("the permissions boundary does not allow {action} on {resource}"),
        Side::Session => {
            if matches!(
                request.caller.kind,
                super::principal::CallerKind::FederatedUser { .. }
            ) {
                format!(
                    "the session policy of {caller} does not allow {action} (a federated-user session without a session policy has no permissions)"
                )
            } else {
                format!("the session policy does not allow {action} on {resource}")
            }
        }
    }
}

/// Why a statement did not apply.
pub fn miss_sentence(miss: &Miss) -> String {
    match miss {
        Miss::Principal => "Principal does not name the caller".to_owned(),
        Miss::NotPrincipal => "NotPrincipal lists the caller".to_owned(),
        Miss::Action => "Action does not match".to_owned(),
        Miss::Resource => "Resource does not match".to_owned(),
        Miss::Condition { operator, key } => format!("condition {operator} on {key} is not met"),
        Miss::Variable { key } => format!("policy variable ${{{key}}} has no value"),
    }
}

/// One line: why the decision is what it is.
pub fn summary(evaluation: &Evaluation, request: &Request<'_>) -> String {
    match evaluation.decision {
        Decision::ExplicitDeny => format!(
            "explicitly denied by {}",
            evaluation
                .deciding
                .iter()
                .map(statement_name)
                .collect::<Vec<_>>()
                .join(" and ")
        ),
        Decision::ImplicitDeny => format!(
            "implicitly denied: {}",
            evaluation
                .missing
                .iter()
                .map(|s| missing_sentence(*s, request))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        Decision::Allow => {
            let direct = evaluation.deciding.len() == 1
                && matches!(
                    evaluation.deciding[0].kind,
                    PolicyKind::Trust | PolicyKind::Resource
                );
            let via = evaluation
                .deciding
                .iter()
                .map(statement_name)
                .collect::<Vec<_>>()
                .join(", ");
            if direct {
                format!(
                    "allowed by {via}, which names the caller directly (same account: no identity policy needed)"
                )
            } else {
                format!("allowed by {via}")
            }
        }
    }
}

fn trace_line(t: &StatementTrace) -> String {
    let state = match &t.result {
        Ok(Some(m)) => format!("applies (principal matched: {})", m.describe()),
        Ok(None) => "applies".to_owned(),
        Err(miss) => format!("does not apply: {}", miss_sentence(miss)),
    };
    format!("{} {} - {state}", statement_name(&t.at), t.effect.as_str())
}

/// The full explanation, for `xacct policy eval` and the demos.
pub fn render(evaluation: &Evaluation, request: &Request<'_>) -> String {
    let mut out = String::new();
    let decision = match evaluation.decision {
        Decision::Allow => "ALLOW",
        Decision::ExplicitDeny => "DENY (explicit)",
        Decision::ImplicitDeny => "DENY (implicit)",
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
    let _ = writeln!(out, "why:      {}", summary(evaluation, request));
    if !evaluation.trace.is_empty() {
        let _ = writeln!(out, "statements:");
        for t in &evaluation.trace {
            let _ = writeln!(out, "  - {}", trace_line(t));
        }
    }
    out
}
