//! The sentences that explain an evaluation: the decision, the statements
//! that decided it or the sides that were missing, and why each statement
//! did or did not apply. Formats (text, JSON) are built from these.

use super::caller::CallerKind;
use super::context::Context;
use super::eval::{Decision, Evaluation, Grant, Side, StatementRef, StatementTrace};
use super::matching::Miss;
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
        Side::Trust if matches!(request.caller.kind, CallerKind::WebIdentity { .. }) => format!(
            "the trust policy of {resource} does not allow this token of {caller} (no statement names the provider with every condition on the token's claims met)"
        ),
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
        Side::Scp(i) => format!(
            "no service control policy attached to {} allows {action} on {resource} (every level from the organization root to the caller's account must allow)",
            evaluation.levels.get(i).map_or("a level", |l| l.node)
        ),
        Side::Rcp(i) => format!(
            "no resource control policy attached to {} allows {action} on {resource} (every level from the organization root to the resource's account must allow)",
            evaluation.levels.get(i).map_or("a level", |l| l.node)
        ),
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

/// The claim an OIDC condition key names: `HOST[/PATH]:CLAIM` (service
/// prefixes such as `aws` or `sts` never contain a `.`).
pub fn oidc_claim(key: &str) -> Option<&str> {
    let (issuer, claim) = key.rsplit_once(':')?;
    (issuer.contains('.') && !claim.is_empty()).then_some(claim)
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Why a condition did not hold, with the request's value and the
/// policy's: `claim `sub` = `repo:acme/app:pull_request` does not match
/// StringLike `repo:acme/app:ref:refs/heads/main``, and a hint for the
/// classic mistakes (a wildcard or a case difference under StringEquals).
fn condition_sentence(operator: &str, key: &str, values: &[String], context: &Context) -> String {
    let subject = match oidc_claim(key) {
        Some(claim) => format!("claim `{claim}`"),
        None => key.to_owned(),
    };
    let Some(actual) = context.get(key).filter(|v| !v.is_empty()) else {
        return format!(
            "{subject} is not in the request, so {operator} {} is not met",
            quoted(values)
        );
    };
    let lower = operator.to_ascii_lowercase();
    // ArnEquals matches wildcards like ArnLike (IAM User Guide, ARN
    // condition operators), so only the String operators compare literally.
    let equals = lower.contains("stringequals") || lower.contains("stringnotequals");
    let hint = if equals && !lower.contains("ignorecase") {
        if values.iter().any(|v| v.contains(['*', '?'])) {
            " (StringEquals compares `*` and `?` literally; StringLike treats them as wildcards)"
        } else if actual
            .iter()
            .any(|a| values.iter().any(|v| v.eq_ignore_ascii_case(a)))
        {
            " (they differ only in letter case, and StringEquals is case-sensitive)"
        } else {
            ""
        }
    } else {
        ""
    };
    let verb = if lower.contains("not") {
        "is excluded by"
    } else {
        "does not match"
    };
    format!(
        "{subject} = {} {verb} {operator} {}{hint}",
        quoted(actual),
        quoted(values)
    )
}

/// Why a statement did not apply, with the request's values for a condition.
pub fn miss_sentence(miss: &Miss<'_>, context: &Context) -> String {
    match miss {
        Miss::Principal => "Principal does not name the caller".to_owned(),
        Miss::NotPrincipal => "NotPrincipal lists the caller".to_owned(),
        Miss::Action => "Action does not match".to_owned(),
        Miss::Resource => "Resource does not match".to_owned(),
        Miss::Condition {
            operator,
            key,
            values,
        } => condition_sentence(operator, key, values, context),
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
        (Decision::Allow, Some(Grant::Direct))
            if matches!(request.caller.kind, CallerKind::WebIdentity { .. }) =>
        {
            format!(
                "allowed by {via}, which trusts the token's provider with every condition met (a web identity needs nothing but the trust policy)"
            )
        }
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
pub fn trace_sentence(t: &StatementTrace<'_>, context: &Context) -> String {
    if t.undecided() {
        let needs: Vec<String> = t
            .unknown
            .iter()
            .map(|u| u.need(context).text().to_owned())
            .collect();
        return format!("applies only if {}", needs.join(" and "));
    }
    match &t.result {
        Ok(Some(m)) => format!("applies (principal matched: {})", m.describe()),
        Ok(None) => "applies".to_owned(),
        Err(miss) => format!("does not apply: {}", miss_sentence(miss, context)),
    }
}
