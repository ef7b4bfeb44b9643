//! Whether one statement applies to a request: its principal, action,
//! resource and conditions, in that order, with the first element that does
//! not match as the reason.

use std::borrow::Cow;

use super::condition;
use super::context::Context;
use super::kind::PolicyKind;
use super::policy::{
    ActionPattern, Actions, Effect, Principals, ResourcePattern, Resources, Statement,
};
use super::principal::{PrincipalMatch, exempt_from_not_principal};
use super::request::Request;
use super::rules::{ArnParts, lower};

/// The element of a statement that did not match the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Miss<'a> {
    /// `Principal` does not name the caller.
    Principal,
    /// `NotPrincipal` lists the caller (at every level AWS checks).
    NotPrincipal,
    /// `Action` / `NotAction`.
    Action,
    /// `Resource` / `NotResource`.
    Resource,
    /// A condition did not hold.
    Condition {
        /// The operator as written.
        operator: &'a str,
        /// The key as written.
        key: &'a str,
        /// The policy's values as written.
        values: &'a [String],
    },
    /// A policy variable had no value and no default, so the element that
    /// uses it matched nothing.
    Variable {
        /// The variable's key.
        key: &'a str,
    },
}

/// Actions that take no resource: only a `Resource` that could match any
/// ARN of the service grants them.
fn wildcard_only(action: &str) -> bool {
    matches!(
        action,
        "s3:listallmybuckets"
            | "sts:getcalleridentity"
            | "sts:getsessiontoken"
            | "sts:decodeauthorizationmessage"
            | "sts:getaccesskeyinfo"
            | "iam:listroles"
            | "iam:listusers"
    )
}

/// A request made ready for matching many statements.
pub(super) struct Prepared<'r> {
    /// The request.
    pub request: Request<'r>,
    /// The action, lower-cased (actions match case-insensitively).
    pub action: Cow<'r, str>,
    /// For a wildcard-only action, its service.
    wildcard_only_service: Option<&'r str>,
    /// The resource, when it is an ARN, split.
    pub arn: Option<ArnParts<'r>>,
}

impl<'r> Prepared<'r> {
    /// Prepares a request.
    pub fn new(request: &Request<'r>) -> Self {
        let action = lower(request.action);
        let wildcard_only_service = wildcard_only(&action)
            .then(|| request.action.split(':').next())
            .flatten();
        Self {
            request: *request,
            wildcard_only_service,
            arn: ArnParts::of(request.resource),
            action,
        }
    }
}

/// How a statement fares: `Ok` with how its principal matched (for
/// resource and trust policies) when it applies, or the element that missed.
pub(super) fn match_statement<'p>(
    statement: &'p Statement,
    kind: PolicyKind,
    prepared: &Prepared<'_>,
    has_boundary: bool,
) -> Result<Option<PrincipalMatch>, Miss<'p>> {
    let request = &prepared.request;
    let principal = match (&statement.principals, kind.has_principal()) {
        (Some(Principals::Only(values)), true) => {
            let best = values
                .iter()
                .filter_map(|v| v.matches(request.caller))
                .min_by_key(|m| {
                    u8::from(m.limited_by_boundary_and_session()) * 2 + u8::from(!m.is_direct())
                });
            Some(best.ok_or(Miss::Principal)?)
        }
        (Some(Principals::AllBut(values)), true) => {
            // A Deny with NotPrincipal always applies to principals that have a
            // permissions boundary, whatever it lists.
            let boundary_quirk = statement.effect == Effect::Deny && has_boundary;
            if !boundary_quirk && exempt_from_not_principal(values, request.caller) {
                return Err(Miss::NotPrincipal);
            }
            Some(PrincipalMatch::Anyone)
        }
        _ => None,
    };
    let action_hit =
        |patterns: &[ActionPattern]| patterns.iter().any(|p| p.pattern.matches(&prepared.action));
    let action_ok = match &statement.actions {
        Actions::Only(list) => action_hit(list),
        Actions::AllBut(list) => !action_hit(list),
    };
    if !action_ok {
        return Err(Miss::Action);
    }
    let context: &Context = request.context;
    let lookup = |key: &str| context.single_lower(key);
    if let Some(resources) = &statement.resources {
        // A pattern whose variable has no value matches no resource (IAM
        // User Guide, policy variables with no value).
        let mut unresolved = None;
        let mut hit = |patterns: &'p [ResourcePattern]| {
            patterns
                .iter()
                .any(|p| match resource_matches(p, prepared, &lookup) {
                    Ok(hit) => hit,
                    Err(key) => {
                        unresolved.get_or_insert(key);
                        false
                    }
                })
        };
        let ok = match resources {
            Resources::Only(list) => hit(list),
            Resources::AllBut(list) => !hit(list),
        };
        if !ok {
            return Err(unresolved.map_or(Miss::Resource, |key| Miss::Variable { key }));
        }
    }
    for c in &statement.conditions {
        let present = context.get_lower(&c.key_lower);
        if !condition::evaluate(&c.operator, present, &c.values, &lookup) {
            // A value whose variable has no value matches nothing: a positive
            // operator then fails because of it (a negated one holds).
            let unresolved = c.values.iter().find_map(|v| match v {
                condition::Value::Text(pattern) => pattern
                    .variables()
                    .find(|v| lookup(&v.key).is_none() && v.default.is_none())
                    .map(|v| v.key.as_str()),
                _ => None,
            });
            return Err(match unresolved {
                Some(key) => Miss::Variable { key },
                None => Miss::Condition {
                    operator: &c.operator_name,
                    key: &c.key,
                    values: &c.raw_values,
                },
            });
        }
    }
    Ok(principal)
}

/// Whether a resource pattern matches the request's resource; `Err` names a
/// variable without a value.
fn resource_matches<'p, 'c>(
    pattern: &'p ResourcePattern,
    prepared: &Prepared<'c>,
    lookup: &dyn Fn(&str) -> Option<&'c str>,
) -> Result<bool, &'p str> {
    if let Some(service) = prepared.wildcard_only_service {
        return Ok(covers_service(pattern, service));
    }
    if pattern.raw == "*" {
        return Ok(true);
    }
    if pattern.service.as_deref() != prepared.arn.map(|a| a.service) {
        return Ok(false);
    }
    pattern
        .pattern
        .matches_resolved(lookup, prepared.request.resource)
}

/// Whether a `Resource` value could match any ARN of the service: `*`, or
/// `arn:PARTITION:SERVICE:` followed by nothing but wildcards (AWS's own
/// example grants `s3:ListAllMyBuckets` on `arn:aws:s3:::*`).
fn covers_service(pattern: &ResourcePattern, service: &str) -> bool {
    if pattern.raw == "*" {
        return true;
    }
    let parts: Vec<&str> = pattern.raw.splitn(6, ':').collect();
    parts.len() == 6
        && parts[2].eq_ignore_ascii_case(service)
        && parts[3..5].iter().all(|p| p.chars().all(|c| c == '*'))
        && !parts[5].is_empty()
        && parts[5].chars().all(|c| c == '*')
}
