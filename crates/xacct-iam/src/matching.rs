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
use super::principal::{
    PrincipalMatch, PrincipalName, PrincipalValue, exempt_from_not_principal, is_unnamed_session,
    sessions_of_role,
};
use super::request::Request;
use super::rules::{ArnParts, lower};
use super::unknown::Unknown;

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
    pub(crate) fn new(request: &Request<'r>) -> Self {
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
/// In an open context, the elements it cannot decide go to `unknown`: an
/// `Ok` then means the statement applies only if they hold (an element
/// that surely misses still gives `Err`).
pub(super) fn match_statement<'p>(
    statement: &'p Statement,
    kind: PolicyKind,
    prepared: &Prepared<'_>,
    has_boundary: bool,
    unknown: &mut Vec<Unknown<'p>>,
    closer: &mut Option<Unknown<'p>>,
) -> Result<Option<PrincipalMatch>, Miss<'p>> {
    let request = &prepared.request;
    let context: &Context = request.context;
    // In an analysis, a value naming one session of a role whose session
    // name is unknown, or a placeholder, may or may not name the caller.
    let undecided = |values: &'p [PrincipalValue], not: bool| -> Option<Unknown<'p>> {
        if !context.is_open() {
            return None;
        }
        let sessions = sessions_of_role(values, request.caller);
        let placeholders: Vec<&str> = values
            .iter()
            .filter_map(|v| match &v.name {
                PrincipalName::Unresolved(raw) => Some(raw.as_str()),
                _ => None,
            })
            .collect();
        (!sessions.is_empty() || !placeholders.is_empty()).then_some(Unknown::Principal {
            not,
            sessions,
            placeholders,
        })
    };
    let principal = match (&statement.principals, kind.has_principal()) {
        (Some(Principals::Only(values)), true) => {
            let best = values
                .iter()
                .filter_map(|v| v.matches(request.caller))
                .min_by_key(|m| {
                    u8::from(m.limited_by_boundary_and_session()) * 2 + u8::from(!m.is_direct())
                });
            match best {
                Some(best) => {
                    // A session or placeholder that may name the caller
                    // directly: its grant may reach further than the sure
                    // match's (a second trace entry weighs it).
                    if statement.effect == Effect::Allow
                        && (best.limited_by_boundary_and_session() || !best.is_direct())
                    {
                        *closer = undecided(values, false);
                    }
                    Some(best)
                }
                None => {
                    unknown.push(undecided(values, false).ok_or(Miss::Principal)?);
                    Some(PrincipalMatch::Session)
                }
            }
        }
        (Some(Principals::AllBut(values)), true) => {
            // A Deny with NotPrincipal always applies to principals that have a
            // permissions boundary, whatever it lists.
            let boundary_quirk = statement.effect == Effect::Deny && has_boundary;
            if !boundary_quirk {
                if exempt_from_not_principal(values, request.caller) {
                    // Exempt at the account and role levels; a session of
                    // unknown name (an analysis) is exempt only if its session
                    // is listed too, so only when the list names one of its role.
                    if !(context.is_open() && is_unnamed_session(request.caller)) {
                        return Err(Miss::NotPrincipal);
                    }
                    if let Some(Unknown::Principal { sessions, .. }) = undecided(values, true)
                        && !sessions.is_empty()
                    {
                        unknown.push(Unknown::Principal {
                            not: true,
                            sessions,
                            placeholders: Vec::new(),
                        });
                    }
                } else if let Some(Unknown::Principal { placeholders, .. }) =
                    undecided(values, true)
                    && !placeholders.is_empty()
                {
                    // A placeholder in the list may name the caller, exempting it.
                    unknown.push(Unknown::Principal {
                        not: true,
                        sessions: Vec::new(),
                        placeholders,
                    });
                }
            }
            Some(PrincipalMatch::Anyone)
        }
        _ => None,
    };
    let action_hit = |patterns: &[ActionPattern]| match &statement.action_index {
        Some(index) => index.hit(patterns, &prepared.action),
        None => patterns.iter().any(|p| p.pattern.matches(&prepared.action)),
    };
    let action_ok = match &statement.actions {
        Actions::Only(list) => action_hit(list),
        Actions::AllBut(list) => !action_hit(list),
    };
    if !action_ok {
        return Err(Miss::Action);
    }
    let lookup = |key: &str| context.single_lower(key);
    if let Some(resources) = &statement.resources {
        // A pattern whose variable has no value matches no resource (IAM
        // User Guide, policy variables with no value); one whose variable
        // is unknown (an open context) is undecided.
        let mut unresolved = None;
        let mut undecided: Vec<&'p ResourcePattern> = Vec::new();
        let mut hit = |patterns: &'p [ResourcePattern]| {
            patterns.iter().any(|p| {
                // A placeholder may name any resource its pattern widened
                // matches; a pattern whose variable is unknown, any of its
                // service.
                if context.is_open()
                    && (p.placeholder
                        && (prepared.wildcard_only_service.is_some()
                            || p.pattern.matches(prepared.request.resource))
                        || p.pattern.variables().any(|v| context.is_unknown(&v.key))
                            && covers(p, prepared))
                {
                    undecided.push(p);
                    return false;
                }
                match resource_matches(p, prepared, &lookup) {
                    Ok(hit) => hit,
                    Err(key) => {
                        unresolved.get_or_insert(key);
                        false
                    }
                }
            })
        };
        let (hit, not) = match resources {
            Resources::Only(list) => (hit(list), false),
            Resources::AllBut(list) => (hit(list), true),
        };
        if hit == not {
            // A certain miss, unless undecided patterns may still decide.
            if undecided.is_empty() || hit {
                return Err(unresolved.map_or(Miss::Resource, |key| Miss::Variable { key }));
            }
            unknown.push(Unknown::Resource {
                not,
                patterns: undecided,
            });
        } else if not && !undecided.is_empty() {
            unknown.push(Unknown::Resource {
                not,
                patterns: undecided,
            });
        }
    }
    for c in &statement.conditions {
        if context.is_open() && undecided_condition(c, context) {
            match settled_without_values(c, context, &lookup) {
                Some(true) => continue,
                Some(false) => {
                    return Err(Miss::Condition {
                        operator: &c.operator_name,
                        key: &c.key,
                        values: &c.raw_values,
                    });
                }
                None => {
                    unknown.push(Unknown::Condition(c));
                    continue;
                }
            }
        }
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

/// Whether a condition is undecided in an open context: its key is
/// unknown, or a value uses a variable whose key is.
fn undecided_condition(c: &super::policy::Condition, context: &Context) -> bool {
    context.is_unknown(&c.key_lower)
        || c.raw_values
            .iter()
            .any(|v| super::placeholder::is_placeholder(v))
        || c.values.iter().any(|v| match v {
            condition::Value::Text(pattern) => {
                pattern.variables().any(|v| context.is_unknown(&v.key))
            }
            _ => false,
        })
}

/// A condition on an unknown key whose every value uses a variable known
/// to have no value (and no default) matches no value at all: it is then
/// the same whatever the key holds or whether it is there, and decided.
fn settled_without_values<'c>(
    c: &super::policy::Condition,
    context: &Context,
    lookup: &dyn Fn(&str) -> Option<&'c str>,
) -> Option<bool> {
    let void = c.values.iter().all(|v| match v {
        condition::Value::Text(pattern) => pattern.variables().any(|v| {
            v.default.is_none() && !context.is_unknown(&v.key) && lookup(&v.key).is_none()
        }),
        _ => false,
    });
    if !void
        || c.raw_values
            .iter()
            .any(|v| super::placeholder::is_placeholder(v))
    {
        return None;
    }
    let absent = condition::evaluate(&c.operator, None, &[], lookup);
    let present = condition::evaluate(&c.operator, Some(&["x".to_owned()]), &[], lookup);
    (absent == present).then_some(absent)
}

/// Whether a pattern could match the request's resource whatever its
/// variables hold: the same service, or any resource of a wildcard-only
/// action's service.
fn covers(pattern: &ResourcePattern, prepared: &Prepared<'_>) -> bool {
    match prepared.wildcard_only_service {
        Some(service) => covers_service(pattern, service),
        None => pattern.service.as_deref() == prepared.arn.map(|a| a.service),
    }
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
    // A placeholder names nothing in a request.
    if pattern.placeholder {
        return Ok(false);
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
