//! Deciding a request like AWS does, with the explanation as data.
//!
//! Explicit deny first; then the grant rules: within one account an identity
//! policy OR a resource policy grants; across accounts both must; a role's
//! trust policy must always allow, even within one account; a trust policy
//! naming the account delegates to that account's identity policies, while
//! naming the caller itself grants on its own within the account. A
//! permissions boundary and a session policy limit what identity policies
//! grant.

use std::sync::Arc;

use super::condition;
use super::context::Context;
use super::parse::PolicyKind;
use super::pattern::glob;
use super::policy::{Actions, Effect, Policy, Principals, ResourcePattern, Resources, Statement};
use super::principal::{Caller, CallerKind, PrincipalMatch, exempt_from_not_principal};

/// One request to decide.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Who is calling.
    pub caller: &'a Caller,
    /// The action, `service:Name` (any case).
    pub action: &'a str,
    /// The resource ARN, or `*` for actions that take no resource.
    pub resource: &'a str,
    /// The account that owns the resource, when its ARN does not say
    /// (S3 bucket ARNs carry no account); `None` means the ARN's account, or
    /// the caller's own when the ARN has none.
    pub resource_account: Option<&'a str>,
    /// The condition keys of the request.
    pub context: &'a Context,
}

/// A policy with the name explanations use for it.
#[derive(Debug, Clone, Copy)]
pub struct NamedPolicy<'a> {
    /// The policy's name (an inline policy name, a file name, ...).
    pub name: &'a str,
    /// The document.
    pub policy: &'a Policy,
}

/// The policies that apply to a request.
#[derive(Debug, Clone, Default)]
pub struct Policies<'a> {
    /// The caller's identity policies.
    pub identity: Vec<NamedPolicy<'a>>,
    /// The resource's policy; for `sts:AssumeRole*` on a role, its trust policy.
    pub resource: Option<NamedPolicy<'a>>,
    /// The caller's permissions boundary.
    pub boundary: Option<NamedPolicy<'a>>,
    /// The session policy of the caller's session.
    pub session: Option<NamedPolicy<'a>>,
}

/// The three outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Allowed.
    Allow,
    /// A matching `Deny` statement refused it.
    ExplicitDeny,
    /// Nothing allowed it.
    ImplicitDeny,
}

impl Decision {
    /// `allow`, `explicit-deny` or `implicit-deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::ExplicitDeny => "explicit-deny",
            Self::ImplicitDeny => "implicit-deny",
        }
    }
}

/// Where a statement is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatementRef {
    /// The policy's name.
    pub policy: Arc<str>,
    /// What kind of policy it is.
    pub kind: PolicyKind,
    /// The statement's index (0-based).
    pub index: usize,
    /// Its `Sid`, if any.
    pub sid: Option<Arc<str>>,
}

/// The element of a statement that did not match the request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Miss {
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
        operator: String,
        /// The key as written.
        key: String,
    },
    /// A policy variable had no value and no default.
    Variable {
        /// The variable's key.
        key: String,
    },
}

/// How one statement fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementTrace {
    /// Where it is.
    pub at: StatementRef,
    /// Its effect.
    pub effect: Effect,
    /// `Ok` when it applies (with how its principal matched, for resource
    /// and trust policies), or the element that did not match.
    pub result: Result<Option<PrincipalMatch>, Miss>,
}

/// A side of the decision that did not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// No identity policy allows it.
    Identity,
    /// The role's trust policy does not allow the caller.
    Trust,
    /// The resource policy does not allow the caller (cross-account).
    Resource,
    /// The permissions boundary does not allow it.
    Boundary,
    /// The session policy does not allow it (or a federated-user session has none).
    Session,
}

impl Side {
    /// A name for explanations and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Identity => "identity-policy",
            Self::Trust => "trust-policy",
            Self::Resource => "resource-policy",
            Self::Boundary => "permissions-boundary",
            Self::Session => "session-policy",
        }
    }
}

/// The decision and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// The outcome.
    pub decision: Decision,
    /// The statements that decided it: the matching denies for an explicit
    /// deny, the allows that granted it for an allow; empty for an implicit deny.
    pub deciding: Vec<StatementRef>,
    /// For an implicit deny, the sides that did not allow.
    pub missing: Vec<Side>,
    /// Whether the caller and the resource are in different accounts.
    pub cross_account: bool,
    /// Whether the resource policy was a role trust policy.
    pub trust: bool,
    /// Every statement evaluated, in order.
    pub trace: Vec<StatementTrace>,
}

/// Actions that take no resource: only a `Resource` that could match any
/// ARN of the service grants them.
const WILDCARD_ONLY: &[&str] = &[
    "s3:listallmybuckets",
    "sts:getcalleridentity",
    "sts:getsessiontoken",
    "sts:decodeauthorizationmessage",
    "sts:getaccesskeyinfo",
    "iam:listroles",
    "iam:listusers",
];

/// Whether an action is one of the role-assuming STS actions whose resource
/// policy is the role's trust policy.
pub fn is_trust_action(action: &str) -> bool {
    let lower = action.to_ascii_lowercase();
    lower.starts_with("sts:assumerole")
        || lower == "sts:tagsession"
        || lower == "sts:setsourceidentity"
}

struct Prepared<'a> {
    request: Request<'a>,
    action: String,
    wildcard_only_service: Option<&'a str>,
}

/// Decides a request.
pub fn evaluate(request: &Request<'_>, policies: &Policies<'_>) -> Evaluation {
    let action = request.action.to_ascii_lowercase();
    let wildcard_only_service = WILDCARD_ONLY
        .contains(&action.as_str())
        .then(|| request.action.split(':').next())
        .flatten();
    let prepared = Prepared {
        request: *request,
        action,
        wildcard_only_service,
    };
    let trust = policies.resource.is_some()
        && is_trust_action(request.action)
        && request.resource.contains(":role/");
    let resource_kind = if trust {
        PolicyKind::Trust
    } else {
        PolicyKind::Resource
    };

    let mut trace = Vec::new();
    let mut run = |named: &NamedPolicy<'_>, kind: PolicyKind| {
        let name: Arc<str> = Arc::from(named.name);
        for (index, statement) in named.policy.statements.iter().enumerate() {
            trace.push(StatementTrace {
                at: StatementRef {
                    policy: Arc::clone(&name),
                    kind,
                    index,
                    sid: statement.sid.clone(),
                },
                effect: statement.effect,
                result: match_statement(statement, kind, &prepared, policies.boundary.is_some()),
            });
        }
    };
    policies
        .identity
        .iter()
        .for_each(|p| run(p, PolicyKind::Identity));
    if let Some(p) = &policies.resource {
        run(p, resource_kind);
    }
    if let Some(p) = &policies.boundary {
        run(p, PolicyKind::Boundary);
    }
    if let Some(p) = &policies.session {
        run(p, PolicyKind::Session);
    }
    decide(request, policies, trace, trust)
}

fn decide(
    request: &Request<'_>,
    policies: &Policies<'_>,
    trace: Vec<StatementTrace>,
    trust: bool,
) -> Evaluation {
    let caller = request.caller;
    let resource_account = request
        .resource_account
        .or_else(|| arn_account(request.resource))
        .unwrap_or(caller.account.as_str());
    let cross_account = resource_account != caller.account;
    let finish = |trace: Vec<StatementTrace>, decision, deciding: &[usize], missing: Vec<Side>| {
        let deciding = deciding.iter().map(|&i| trace[i].at.clone()).collect();
        Evaluation {
            decision,
            deciding,
            missing,
            cross_account,
            trust,
            trace,
        }
    };

    // Indices of the statements that apply, by effect and kind.
    let applying = |effect: Effect, kind: Option<PolicyKind>| -> Vec<usize> {
        trace
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                t.effect == effect && t.result.is_ok() && kind.is_none_or(|k| t.at.kind == k)
            })
            .map(|(i, _)| i)
            .collect()
    };
    let denies = applying(Effect::Deny, None);
    if !denies.is_empty() {
        return finish(trace, Decision::ExplicitDeny, &denies, Vec::new());
    }
    let root = caller.kind == CallerKind::Root;
    let identity = applying(Effect::Allow, Some(PolicyKind::Identity));
    let boundary = applying(Effect::Allow, Some(PolicyKind::Boundary));
    let session = applying(Effect::Allow, Some(PolicyKind::Session));
    let granted = applying(
        Effect::Allow,
        Some(if trust {
            PolicyKind::Trust
        } else {
            PolicyKind::Resource
        }),
    );
    let principal_match = |i: usize| trace[i].result.as_ref().ok().copied().flatten();

    let identity_ok = root || !identity.is_empty();
    let boundary_ok = root || policies.boundary.is_none() || !boundary.is_empty();
    let federated = matches!(caller.kind, CallerKind::FederatedUser { .. });
    let session_ok = match policies.session {
        None => !federated,
        Some(_) => !session.is_empty(),
    };
    let limits = || [boundary.as_slice(), session.as_slice()].concat();

    // Within one account, a grant naming the caller itself needs no identity policy.
    if !cross_account {
        let direct: Vec<usize> = granted
            .iter()
            .copied()
            .filter(|&i| principal_match(i).is_some_and(PrincipalMatch::is_direct))
            .collect();
        if let Some(&i) = direct
            .iter()
            .find(|&&i| principal_match(i).is_some_and(|m| !m.limited_by_boundary_and_session()))
        {
            return finish(trace, Decision::Allow, &[i], Vec::new());
        }
        if !direct.is_empty() && boundary_ok && session_ok {
            return finish(
                trace,
                Decision::Allow,
                &[direct, limits()].concat(),
                Vec::new(),
            );
        }
    }
    let resource_required = trust || cross_account;
    let through_identity = identity_ok && boundary_ok && session_ok;
    if through_identity && (!resource_required || !granted.is_empty()) {
        let resource_side: &[usize] = if resource_required { &granted } else { &[] };
        return finish(
            trace,
            Decision::Allow,
            &[identity.as_slice(), resource_side, &limits()].concat(),
            Vec::new(),
        );
    }

    let mut missing = Vec::new();
    if resource_required && granted.is_empty() {
        missing.push(if trust { Side::Trust } else { Side::Resource });
    }
    if !identity_ok {
        missing.push(Side::Identity);
    }
    if !boundary_ok {
        missing.push(Side::Boundary);
    }
    if !session_ok {
        missing.push(Side::Session);
    }
    finish(trace, Decision::ImplicitDeny, &[], missing)
}

fn arn_account(resource: &str) -> Option<&str> {
    let account = resource.split(':').nth(4)?;
    (!account.is_empty()).then_some(account)
}

fn match_statement<'c>(
    statement: &Statement,
    kind: PolicyKind,
    prepared: &Prepared<'c>,
    has_boundary: bool,
) -> Result<Option<PrincipalMatch>, Miss> {
    let request = &prepared.request;
    let principal = match (&statement.principals, kind.has_principal()) {
        (Some(Principals::Only(values)), true) => {
            let best = values
                .iter()
                .filter_map(|v| v.matches(request.caller))
                .min_by_key(|m| {
                    m.limited_by_boundary_and_session() as u8 * 2 + (!m.is_direct()) as u8
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
    let action_hit = |patterns: &[super::policy::ActionPattern]| {
        patterns.iter().any(|p| p.pattern.matches(&prepared.action))
    };
    let action_ok = match &statement.actions {
        Actions::Only(list) => action_hit(list),
        Actions::AllBut(list) => !action_hit(list),
    };
    if !action_ok {
        return Err(Miss::Action);
    }
    let context: &'c Context = prepared.request.context;
    let lookup = |key: &str| context.single(key);
    if let Some(resources) = &statement.resources {
        let hit = |patterns: &[ResourcePattern]| -> Result<bool, Miss> {
            for p in patterns {
                if resource_matches(p, prepared, &lookup)? {
                    return Ok(true);
                }
            }
            Ok(false)
        };
        let ok = match resources {
            Resources::Only(list) => hit(list)?,
            Resources::AllBut(list) => !hit(list)?,
        };
        if !ok {
            return Err(Miss::Resource);
        }
    }
    for c in &statement.conditions {
        for value in &c.values {
            if let condition::Value::Text(pattern) = value
                && let Some(var) = pattern
                    .variables()
                    .find(|v| lookup(&v.key).is_none() && v.default.is_none())
            {
                return Err(Miss::Variable {
                    key: var.key.clone(),
                });
            }
        }
        let present = request.context.get(&c.key_lower);
        if !condition::evaluate(&c.operator, present, &c.values, &lookup) {
            return Err(Miss::Condition {
                operator: c.operator_name.clone(),
                key: c.key.clone(),
            });
        }
    }
    Ok(principal)
}

fn resource_matches<'c>(
    pattern: &ResourcePattern,
    prepared: &Prepared<'c>,
    lookup: &dyn Fn(&str) -> Option<&'c str>,
) -> Result<bool, Miss> {
    if let Some(service) = prepared.wildcard_only_service {
        return Ok(covers_service(pattern, service));
    }
    if pattern.raw == "*" {
        return Ok(true);
    }
    let resource = prepared.request.resource;
    if pattern.service.as_deref() != resource.split(':').nth(2) {
        return Ok(false);
    }
    let pieces = pattern
        .pattern
        .resolve(lookup)
        .map_err(|key| Miss::Variable {
            key: key.to_owned(),
        })?;
    Ok(glob(&pieces, resource))
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
