//! Access decisions of the simulated world, by the IAM engine, with the
//! explanation the demos show: the deciding statements as policy excerpts,
//! or the missing side and why each statement did not apply.

use super::answer::Why;
use super::identity::Identity;
use super::model::Role;
use super::world::World;
use xacct_iam::{
    Context, Decision, NamedPolicy, Policies, Policy, PolicyKind, Request, Side, evaluate, explain,
    statement_to_json,
};

/// The identity side of a caller from outside the world: Allow `*` on `*`.
static OUTSIDE_POLICY: std::sync::LazyLock<Policy> = std::sync::LazyLock::new(|| {
    #[expect(
        clippy::expect_used,
        reason = "a constant policy; the test below parses it"
    )]
    xacct_iam::parse_text(OUTSIDE_TEXT).expect("the outside policy parses")
});

/// [`OUTSIDE_POLICY`] as written.
const OUTSIDE_TEXT: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// The identity-side policies of a caller: its own (a user's, or its role's),
/// its boundary and its session policy, with names for explanations.
fn identity_side<'w>(
    world: &'w World,
    identity: &'w Identity,
) -> (
    Vec<(String, &'w Policy)>,
    Option<&'w Policy>,
    Option<&'w Policy>,
) {
    let model = world.model();
    // A principal the world does not hold: of an account outside it, or
    // one a partial import left out.
    let unknown = match model.accounts.get(identity.account()) {
        None => true,
        Some(account) => {
            account.partial
                && match identity {
                    Identity::User { name, .. } => !account.users.contains_key(name),
                    Identity::Session {
                        kind: super::session::SessionKind::Role { role, .. },
                        ..
                    } => !account.roles.contains_key(role),
                    _ => false,
                }
        }
    };
    if unknown {
        // A caller the world does not hold: its own policies are not
        // known, so they are taken to allow (the worst case its
        // administrators can choose).
        return (
            vec![(
                "(its own account's policies, unknown: taken to allow)".to_owned(),
                &*OUTSIDE_POLICY,
            )],
            None,
            None,
        );
    }
    let session = match identity {
        Identity::Session { policy, .. } => policy.as_ref(),
        _ => None,
    };
    if let Some((account, name)) = identity.user() {
        let user = model.user(account, name);
        let policies = user
            .map(|u| {
                u.policies
                    .iter()
                    .map(|(n, p)| (format!("{name}/{n}"), p))
                    .chain(u.managed.iter().map(|(arn, p)| (arn.clone(), p)))
                    .collect()
            })
            .unwrap_or_default();
        return (policies, user.and_then(|u| u.boundary.as_ref()), session);
    }
    match identity {
        Identity::Session {
            kind: super::session::SessionKind::Role { account, role, .. },
            ..
        } => {
            let r = model.role(account, role);
            let policies = r
                .map(|r| {
                    r.policies
                        .iter()
                        .map(|(n, p)| (format!("{role}/{n}"), p))
                        .chain(r.managed.iter().map(|(arn, p)| (arn.clone(), p)))
                        .collect()
                })
                .unwrap_or_default();
            (policies, r.and_then(|r| r.boundary.as_ref()), session)
        }
        _ => (Vec::new(), None, session),
    }
}

/// An access decision of the world.
#[derive(Debug, Clone)]
pub(super) struct Decided {
    /// Whether the call is allowed.
    pub allowed: bool,
    /// Why, for people.
    pub why: Why,
    /// The request's keys as the engine saw them.
    pub context: Context,
}

/// The resource side of a decision: the account that owns the resource (for
/// RCPs and `aws:ResourceOrg*`, which an S3 ARN does not carry) and its
/// resource-based policy, if any (a role's trust policy, a bucket policy).
#[derive(Debug, Clone, Copy)]
pub(super) struct ResourceSide<'a> {
    /// The name explanations give the policy (the role's, the bucket's).
    pub name: &'a str,
    /// The owning account.
    pub account: &'a str,
    /// The resource-based policy.
    pub policy: Option<&'a Policy>,
}

impl<'a> From<&'a Role> for ResourceSide<'a> {
    fn from(role: &'a Role) -> Self {
        Self {
            name: &role.name,
            account: &role.account,
            policy: Some(&role.trust),
        }
    }
}

/// The policies that decide a call: the caller's identity side, the
/// resource's policy, and the SCP and RCP levels that bound it, gathered
/// from the world once for the engine to borrow.
pub(super) struct Gathered<'w> {
    /// The caller as the engine sees it.
    pub caller: xacct_iam::Caller,
    /// The account that owns the resource, when known.
    pub resource_account: Option<&'w str>,
    scp_levels: super::organization::OwnedLevels<'w>,
    rcp_levels: super::organization::OwnedLevels<'w>,
    identity: Vec<(String, &'w Policy)>,
    boundary: Option<&'w Policy>,
    session: Option<&'w Policy>,
    side: Option<(&'w str, &'w Policy)>,
}

impl<'w> Gathered<'w> {
    /// Gathers what decides `identity` calling `action` on `resource`, whose
    /// owner and policy `side` gives.
    pub(super) fn new(
        world: &'w World,
        identity: &'w Identity,
        action: &str,
        resource: &'w str,
        side: Option<ResourceSide<'w>>,
    ) -> Self {
        let resource_account = side.map(|r| r.account).or_else(|| {
            resource
                .split(':')
                .nth(4)
                .filter(|a| xacct_iam::is_account_id(a))
        });
        let (scp_levels, rcp_levels) = match world.model().organization.as_ref() {
            Some(org) => {
                // A web identity is no principal of an account: SCPs do not bind it.
                let scps = if matches!(identity, Identity::Token { .. }) {
                    Vec::new()
                } else {
                    org.scp_levels(identity.account())
                };
                let rcps = resource_account
                    .map(|a| org.rcp_levels(a, action))
                    .unwrap_or_default();
                (scps, rcps)
            }
            None => (Vec::new(), Vec::new()),
        };
        let (identity_policies, boundary, session) = identity_side(world, identity);
        Self {
            caller: identity.caller(world.model()),
            resource_account,
            scp_levels,
            rcp_levels,
            identity: identity_policies,
            boundary,
            session,
            side: side.and_then(|r| r.policy.map(|p| (r.name, p))),
        }
    }

    /// The policies, as the engine takes them.
    pub(super) fn policies(&self) -> Policies<'_> {
        Policies {
            scps: super::organization::borrowed(&self.scp_levels),
            rcps: super::organization::borrowed(&self.rcp_levels),
            identity: self
                .identity
                .iter()
                .map(|(name, policy)| NamedPolicy { name, policy })
                .collect(),
            resource: self.side.map(|(name, policy)| NamedPolicy { name, policy }),
            boundary: self.boundary.map(|policy| NamedPolicy {
                name: "boundary",
                policy,
            }),
            session: self.session.map(|policy| NamedPolicy {
                name: "session",
                policy,
            }),
        }
    }

    /// Every policy with its name, for excerpts in explanations.
    fn named(&self) -> Vec<(&str, &Policy)> {
        self.identity
            .iter()
            .map(|(n, p)| (n.as_str(), *p))
            .chain(self.side)
            .chain(self.boundary.map(|p| ("boundary", p)))
            .chain(self.session.map(|p| ("session", p)))
            .chain(
                self.scp_levels
                    .iter()
                    .chain(&self.rcp_levels)
                    .flat_map(|(_, list)| list.iter().map(|(n, p)| (n.as_str(), *p))),
            )
            .collect()
    }
}

/// The keys of a concrete request: `context` first, then what the caller
/// and its session carry, the clock, and the organization's keys.
fn request_context(
    world: &World,
    identity: &Identity,
    gathered: &Gathered<'_>,
    context: &[(&str, String)],
) -> Context {
    let mut ctx = Context::new();
    for (k, v) in context {
        ctx.push(k, v.clone());
    }
    if let Some(mfa) = identity.mfa_present() {
        ctx.set_default("aws:MultiFactorAuthPresent", mfa.to_string());
    }
    for (key, value) in identity.principal_tags(world.model()) {
        ctx.set_default(&format!("aws:PrincipalTag/{key}"), value);
    }
    if let Some(id) = identity
        .session_context()
        .and_then(|c| c.source_identity.as_deref())
    {
        ctx.set_default("aws:SourceIdentity", id);
    }
    ctx.set_default("aws:SecureTransport", "true");
    ctx.fill_from(&gathered.caller, world.now());
    if let Some(org) = world.model().organization.as_ref() {
        // A web identity token's bearer is no principal of an account.
        let caller_account = match identity {
            Identity::Token { .. } => "",
            _ => identity.account(),
        };
        org.fill_context(&mut ctx, caller_account, gathered.resource_account);
    }
    ctx
}

/// Decides `action` on `resource` for `identity`; `side` is the resource's
/// owner and policy (for AssumeRole, the role and its trust policy).
/// `context` adds request keys.
pub(super) fn decide(
    world: &World,
    identity: &Identity,
    action: &str,
    resource: &str,
    side: Option<ResourceSide<'_>>,
    context: &[(&str, String)],
) -> Decided {
    let gathered = Gathered::new(world, identity, action, resource, side);
    let caller = &gathered.caller;
    let ctx = request_context(world, identity, &gathered, context);
    let carried = identity.session_context();
    let policies = gathered.policies();
    let request = Request {
        caller,
        action,
        resource,
        resource_account: gathered.resource_account,
        context: &ctx,
    };
    let evaluation = evaluate(&request, &policies);
    let all = gathered.named();
    let statement = |policy: &str, index: usize| {
        all.iter()
            .find(|(n, _)| *n == policy)
            .and_then(|(_, p)| p.statements.get(index))
    };
    let mut why = Why::decided(
        Some(evaluation.decision),
        explain::summary(&evaluation, &request),
    );
    if let Some(line) = carried.and_then(super::session_context::SessionContext::describe) {
        why.note(format!("the caller's session carries {line}"));
    }
    match evaluation.decision {
        Decision::Refused => {}
        // What an allowed call shows is kept as data: the statements.
        Decision::Allow | Decision::ExplicitDeny => {
            for r in &evaluation.deciding {
                if let Some(s) = statement(r.policy, r.index) {
                    why.statement(r.kind, r.policy, r.index, s.clone());
                }
            }
        }
        // A refusal's misses are worded now, while the request's context
        // is at hand.
        Decision::ImplicitDeny => {
            let missing = evaluation
                .trace
                .iter()
                .filter(|t| t.result.is_err())
                .filter(|t| {
                    // Show the statements of the sides that were missing.
                    evaluation.missing.iter().any(|side| {
                        matches!(
                            (side, t.at.kind),
                            (Side::Trust, PolicyKind::Trust)
                                | (Side::Resource, PolicyKind::Resource)
                                | (Side::Identity, PolicyKind::Identity)
                                | (Side::Boundary, PolicyKind::Boundary)
                                | (Side::Session, PolicyKind::Session)
                                | (Side::Scp(_), PolicyKind::Scp)
                                | (Side::Rcp(_), PolicyKind::Rcp)
                        )
                    })
                });
            for t in missing {
                let miss = t
                    .result
                    .as_ref()
                    .err()
                    .map(|m| explain::miss_sentence(m, &ctx))
                    .unwrap_or_default();
                let excerpt = statement(t.at.policy, t.at.index)
                    .map(|s| statement_to_json(s).to_string())
                    .unwrap_or_default();
                why.note(format!(
                    "{} does not apply ({miss}): {excerpt}",
                    explain::statement_name(&t.at),
                ));
            }
        }
    }
    Decided {
        allowed: evaluation.decision == Decision::Allow,
        why,
        context: ctx,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_outside_policy_parses() {
        assert!(xacct_iam::parse_text(super::OUTSIDE_TEXT).is_ok());
    }
}
