//! Deciding a request like AWS does, with the explanation as data.
//!
//! AWS's rules come first (an action that needs no permission, a caller that
//! may never make a call: see [`super::rules`]). Then an explicit deny wins;
//! then the grant rules: within one account an identity policy OR a
//! resource policy grants; across accounts both must; a resource whose own
//! policy must always allow (a role's trust policy, a KMS key policy) needs
//! it even within one account; a resource policy naming the account
//! delegates to that account's identity policies, while naming the caller
//! itself grants on its own within the account. A permissions boundary and a
//! session policy limit what identity policies grant.

use super::caller::CallerKind;
use super::guardrails::{Level, LevelSpan, NamedPolicy, rcps_cover, scps_bind};
use super::kind::PolicyKind;
use super::matching::{Prepared, match_statement};
use super::principal::PrincipalMatch;
use super::request::Request;
use super::rules::{
    CallerRule, OwnPolicyRule, RuleEffect, caller_rule, cross_account_rule, own_policy_rule_for,
};
use super::tally::{Part, Tally, direct, part};
pub use super::trace::{StatementRef, StatementTrace};

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
    /// The SCPs of the caller's account, one level per node from the
    /// organization root to the account; empty outside an organization
    /// (and for the management account, which SCPs do not bind).
    pub scps: Vec<Level<'a>>,
    /// The RCPs of the resource's account, level by level likewise.
    pub rcps: Vec<Level<'a>>,
}

/// The outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Allowed.
    Allow,
    /// A matching `Deny` statement refused it.
    ExplicitDeny,
    /// Nothing allowed it.
    ImplicitDeny,
    /// An AWS rule refused it whatever the policies say.
    Refused,
}

impl Decision {
    /// `allow`, `explicit-deny`, `implicit-deny` or `refused`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::ExplicitDeny => "explicit-deny",
            Self::ImplicitDeny => "implicit-deny",
            Self::Refused => "refused",
        }
    }
}

/// A side of the decision that did not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// No identity policy allows it.
    Identity,
    /// The role's trust policy does not allow the caller.
    Trust,
    /// The resource's policy does not allow the caller (across accounts, or
    /// a resource whose own policy must always allow, such as a KMS key).
    Resource,
    /// The permissions boundary does not allow it.
    Boundary,
    /// The session policy does not allow it (or a federated-user session has none).
    Session,
    /// No SCP of one level (an index into `Evaluation::levels`) allows it.
    Scp(usize),
    /// No RCP of one level (an index into `Evaluation::levels`) allows it.
    Rcp(usize),
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
            Self::Scp(_) => "service-control-policy",
            Self::Rcp(_) => "resource-control-policy",
        }
    }
}

/// Why an allowed request was allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grant {
    /// An AWS rule: the action needs no permission.
    Rule,
    /// Within one account, a resource policy that names the caller itself.
    Direct,
    /// The root user needs no identity policy in its own account (the
    /// resource side allowed where it must).
    Root,
    /// Identity policies, and the resource policy where it must allow.
    Policies,
}

/// The decision and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation<'a> {
    /// The outcome.
    pub decision: Decision,
    /// The AWS rule that decided, when one did.
    pub rule: Option<&'static CallerRule>,
    /// For an allow, how it was granted.
    pub grant: Option<Grant>,
    /// When the resource's own policy must allow (trust policy, key policy).
    pub own_policy: Option<&'static OwnPolicyRule>,
    /// The statements that decided it: the matching denies for an explicit
    /// deny, the allows that granted it for an allow; empty otherwise.
    pub deciding: Vec<StatementRef<'a>>,
    /// For an implicit deny, the sides that did not allow.
    pub missing: Vec<Side>,
    /// Whether the caller and the resource are in different accounts.
    pub cross_account: bool,
    /// Whether the resource policy was a role trust policy.
    pub trust: bool,
    /// Every statement evaluated, in order.
    pub trace: Vec<StatementTrace<'a>>,
    /// The SCP and RCP levels, and where their statements are in `trace`.
    pub levels: Vec<LevelSpan<'a>>,
}

/// Decides a request.
pub fn evaluate<'a>(request: &Request<'_>, policies: &Policies<'a>) -> Evaluation<'a> {
    let prepared = Prepared::new(request);
    let own_policy = prepared
        .arn
        .and_then(|arn| own_policy_rule_for(&prepared.action, arn.service, arn.rest));
    let resource_kind = own_policy.map_or(PolicyKind::Resource, |r| r.kind);
    let count = policies
        .identity
        .iter()
        .chain(&policies.resource)
        .chain(&policies.boundary)
        .chain(&policies.session)
        .chain(
            policies
                .scps
                .iter()
                .chain(&policies.rcps)
                .flat_map(|l| &l.policies),
        )
        .map(|p| p.policy.statements.len())
        .sum();
    let mut trace = Vec::with_capacity(count);
    let has_boundary = policies.boundary.is_some();
    let run = |trace: &mut Vec<StatementTrace<'a>>, named: &NamedPolicy<'a>, kind: PolicyKind| {
        for (index, statement) in named.policy.statements.iter().enumerate() {
            let mut unknown = Vec::new();
            let mut closer = None;
            let result = match_statement(
                statement,
                kind,
                &prepared,
                has_boundary,
                &mut unknown,
                &mut closer,
            );
            let at = StatementRef {
                policy: named.name,
                kind,
                index,
                sid: statement.sid.as_deref(),
            };
            // In an analysis, a statement that surely names the caller
            // indirectly (its account) but may also name it directly (a
            // session of unknown name, a placeholder) is weighed twice:
            // as it surely applies, and as it applies if the direct name holds.
            if let (Ok(_), Some(closer)) = (&result, closer) {
                let mut also = vec![closer];
                also.extend(unknown.iter().cloned());
                trace.push(StatementTrace {
                    at,
                    effect: statement.effect,
                    result: Ok(Some(PrincipalMatch::Session)),
                    unknown: also,
                });
            }
            trace.push(StatementTrace {
                at,
                effect: statement.effect,
                result,
                unknown,
            });
        }
    };
    policies
        .identity
        .iter()
        .for_each(|p| run(&mut trace, p, PolicyKind::Identity));
    if let Some(p) = &policies.resource {
        run(&mut trace, p, resource_kind);
    }
    if let Some(p) = &policies.boundary {
        run(&mut trace, p, PolicyKind::Boundary);
    }
    if let Some(p) = &policies.session {
        run(&mut trace, p, PolicyKind::Session);
    }
    let mut levels = Vec::new();
    // AWS's own limits on guardrails: service-linked roles are exempt from
    // SCPs, and RCPs bound only the services they cover.
    let none: &[Level<'a>] = &[];
    let scps: &[Level<'a>] = if scps_bind(request.caller) {
        &policies.scps
    } else {
        none
    };
    let rcps: &[Level<'a>] = if rcps_cover(request.action) {
        &policies.rcps
    } else {
        none
    };
    for (kind, list) in [(PolicyKind::Scp, scps), (PolicyKind::Rcp, rcps)] {
        for level in list {
            let start = trace.len();
            level.policies.iter().for_each(|p| run(&mut trace, p, kind));
            levels.push(LevelSpan {
                kind,
                node: level.node,
                start,
                end: trace.len(),
            });
        }
    }
    let resource_account = request
        .resource_account
        .or_else(|| prepared.arn.map(|a| a.account).filter(|a| !a.is_empty()))
        .unwrap_or(request.caller.account.as_str());
    let cross_account = resource_account != request.caller.account;
    let rule = caller_rule(request.caller, &prepared.action).or_else(|| {
        own_policy.and_then(|own| cross_account_rule(own, cross_account, &prepared.action))
    });
    let mut evaluation = Evaluation {
        decision: Decision::ImplicitDeny,
        rule,
        grant: None,
        own_policy,
        deciding: Vec::new(),
        missing: Vec::new(),
        cross_account,
        trust: resource_kind == PolicyKind::Trust,
        trace,
        levels,
    };
    decide(request, policies, &mut evaluation);
    evaluation
}

/// Decides from the trace (again, after [`super::analyze`] has settled its
/// undecided statements one way or the other).
pub(super) fn decide(request: &Request<'_>, policies: &Policies<'_>, e: &mut Evaluation<'_>) {
    e.decision = Decision::ImplicitDeny;
    e.grant = None;
    e.deciding.clear();
    e.missing.clear();
    let finish = |e: &mut Evaluation<'_>,
                  decision,
                  grant,
                  keep: &dyn Fn(usize, &StatementTrace<'_>) -> bool| {
        e.decision = decision;
        e.grant = grant;
        e.deciding = e
            .trace
            .iter()
            .enumerate()
            .filter(|(i, t)| keep(*i, t))
            .map(|(_, t)| t.at)
            .collect();
    };
    if let Some(rule) = e.rule {
        let decision = match rule.effect {
            RuleEffect::Allow => Decision::Allow,
            RuleEffect::Refuse => Decision::Refused,
        };
        let grant = (decision == Decision::Allow).then_some(Grant::Rule);
        return finish(e, decision, grant, &|_, _| false);
    }
    let tally = Tally::of(&e.trace);
    let has = |wanted: Part| tally.parts[wanted as usize];
    if has(Part::Deny) {
        return finish(e, Decision::ExplicitDeny, None, &|_, t| {
            part(t) == Some(Part::Deny)
        });
    }
    let unguarded = unguarded(&e.levels, &e.trace, |t| part(t) == Some(Part::Guard));
    if !unguarded.is_empty() {
        e.missing = unguarded;
        return finish(e, Decision::ImplicitDeny, None, &|_, _| false);
    }
    let caller = request.caller;
    let root = caller.kind == CallerKind::Root;
    let federated = matches!(caller.kind, CallerKind::FederatedUser { .. });
    // A web identity has no identity policies: the trust policy alone decides.
    let web = matches!(caller.kind, CallerKind::WebIdentity { .. });
    let identity_ok = root || web || has(Part::Identity);
    let boundary_ok = root || policies.boundary.is_none() || has(Part::Boundary);
    let session_ok = match policies.session {
        None => !federated,
        Some(_) => has(Part::Session),
    };
    let limit = |t: &StatementTrace<'_>| matches!(part(t), Some(Part::Boundary | Part::Session));

    // Within one account, a grant naming the caller itself needs no identity policy.
    if !e.cross_account {
        if let Some(i) = tally.unlimited_direct {
            return finish(e, Decision::Allow, Some(Grant::Direct), &|j, _| j == i);
        }
        if tally.direct && boundary_ok && session_ok {
            return finish(e, Decision::Allow, Some(Grant::Direct), &|_, t| {
                direct(t) || limit(t)
            });
        }
    }
    let resource_required = e.own_policy.is_some() || e.cross_account;
    let resource_ok = has(Part::Resource);
    if identity_ok && boundary_ok && session_ok && (!resource_required || resource_ok) {
        let grant = if root { Grant::Root } else { Grant::Policies };
        return finish(e, Decision::Allow, Some(grant), &|_, t| match part(t) {
            Some(Part::Identity | Part::Boundary | Part::Session) => true,
            Some(Part::Resource) => resource_required,
            _ => false,
        });
    }
    if resource_required && !resource_ok {
        e.missing
            .push(if e.trust { Side::Trust } else { Side::Resource });
    }
    if !identity_ok {
        e.missing.push(Side::Identity);
    }
    if !boundary_ok {
        e.missing.push(Side::Boundary);
    }
    if !session_ok {
        e.missing.push(Side::Session);
    }
    finish(e, Decision::ImplicitDeny, None, &|_, _| false);
}

/// The SCP levels that allow nothing the request asks: every level needs
/// one statement for which `allows` holds. RCP levels always allow:
/// RCPFullAWSAccess is attached to every node and cannot be detached
/// (AWS Organizations User Guide, "Resource control policies"), so every
/// RCP AWS publishes is Deny-only and only their denies count.
pub(crate) fn unguarded(
    levels: &[LevelSpan<'_>],
    trace: &[StatementTrace<'_>],
    allows: impl Fn(&StatementTrace<'_>) -> bool,
) -> Vec<Side> {
    levels
        .iter()
        .enumerate()
        .filter(|(_, l)| l.kind == PolicyKind::Scp)
        .filter(|(_, l)| !trace[l.start..l.end].iter().any(&allows))
        .map(|(i, _)| Side::Scp(i))
        .collect()
}
