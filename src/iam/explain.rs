//! The sentences that explain an evaluation: the decision, the statements
//! that decided it or the sides that were missing, and why each statement
//! did or did not apply. Formats (text, JSON) are built from these.

use super::eval::{Decision, Evaluation, Grant, Side, StatementRef, StatementTrace};
use super::matching::Miss;
use super::principal::CallerKind;
use super::request::Request;

/// `identity policy `read` statement 0 (Sid "X")`.
pub fn statement_name(at: &StatementRef<'_>) -> String {
    let sid = match at.sid {
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
pub fn missing_sentence(side: Side, evaluation: &Evaluation<'_>, request: &Request<'_>) -> String {
    let (action, resource, caller) = (request.action, request.resource, request.caller.arn());
    match side {
        Side::Identity => format!("no identity policy of {caller} allows {action} on {resource}"),
        Side::Trust => format!(
            "the trust policy of {resource} does not allow {caller} (neither its ARN nor its account, with every condition met)"
        ),
        Side::Resource => match evaluation.own_policy {
            Some(rule) => format!(
                "the {} of {resource} does not allow {caller}, and AWS requires it to, even within one account",
                rule.policy_name
            ),
            None => format!(
                "the request crosses accounts and no resource policy of {resource} allows {caller}"
            ),
        },
        Side::Boundary => format!("the permissions boundary does not allow {action} on {resource}"),
        Side::Session => {
            if matches!(request.caller.kind, CallerKind::FederatedUser { .. }) {
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
pub fn miss_sentence(miss: &Miss<'_>) -> String {
    match miss {
        Miss::Principal => "Principal does not name the caller".to_owned(),
        Miss::NotPrincipal => "NotPrincipal lists the caller".to_owned(),
        Miss::Action => "Action does not match".to_owned(),
        Miss::Resource => "Resource does not match".to_owned(),
        Miss::Condition { operator, key } => format!("condition {operator} on {key} is not met"),
        Miss::Variable { key } => {
            format!(
                "policy variable ${{{key}}} has no value, so the element using it matches nothing"
            )
        }
    }
}

fn names(refs: &[StatementRef<'_>]) -> String {
    refs.iter()
        .map(statement_name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line: why the decision is what it is.
pub fn summary(evaluation: &Evaluation<'_>, request: &Request<'_>) -> String {
    let via = names(&evaluation.deciding);
    match (evaluation.decision, evaluation.grant) {
        (Decision::Refused, _) | (Decision::Allow, Some(Grant::Rule)) => {
            let verdict = if evaluation.decision == Decision::Allow {
                "allowed"
            } else {
                "refused"
            };
            match evaluation.rule {
                Some(rule) => format!(
                    "{verdict} by an AWS rule, whatever the policies say: {}",
                    rule.sentence
                ),
                None => verdict.to_owned(),
            }
        }
        (Decision::ExplicitDeny, _) => format!(
            "explicitly denied by {}",
            evaluation
                .deciding
                .iter()
                .map(statement_name)
                .collect::<Vec<_>>()
                .join(" and ")
        ),
        (Decision::ImplicitDeny, _) => format!(
            "implicitly denied: {}",
            evaluation
                .missing
                .iter()
                .map(|s| missing_sentence(*s, evaluation, request))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        (Decision::Allow, Some(Grant::Direct)) => format!(
            "allowed by {via}, which names the caller directly (same account: no identity policy needed)"
        ),
        (Decision::Allow, Some(Grant::Root)) if via.is_empty() => {
            "allowed: the root user has full access within its own account".to_owned()
        }
        (Decision::Allow, Some(Grant::Root)) => format!(
            "allowed by {via}; the root user needs no identity policy of its own, and the resource side allows it"
        ),
        (Decision::Allow, _) => format!("allowed by {via}"),
    }
}

/// One statement's state: `applies (principal matched: ...)` or why not.
pub fn trace_sentence(t: &StatementTrace<'_>) -> String {
    match &t.result {
        Ok(Some(m)) => format!("applies (principal matched: {})", m.describe()),
        Ok(None) => "applies".to_owned(),
        Err(miss) => format!("does not apply: {}", miss_sentence(miss)),
    }
}
