//! One three-valued decision of the analysis: a caller of the world (or a
//! stand-in for callers outside it) calling an action on a resource (a
//! role it assumes, a bucket's objects, a KMS key), in the open context
//! of [`super::known`], and the conditions a conditional answer carries.

use super::super::decide::{Gathered, ResourceSide};
use super::super::model::Role;
use super::super::world::World;
use super::caller::{Caller, Known};
use super::edge::Conditions;
use super::known::{Target, open_context};
use xacct_iam::{
    Analysis, CallerKind, Context, Family, Need, Request, SetQualifier, Verdict, analyze,
};

/// The call decided: the action, the resource's ARN, its owner and policy,
/// the resource as the context sees it, and keys the call always carries.
pub(super) struct On<'a> {
    /// The action.
    pub action: &'a str,
    /// The resource's ARN.
    pub resource: &'a str,
    /// Its owner and resource-based policy.
    pub side: ResourceSide<'a>,
    /// Its account and tags, for the context.
    pub target: Target<'a>,
    /// Keys every such call carries (`kms:ViaService` for S3's use of a key).
    pub extra: &'a [(&'a str, String)],
}

/// The engine's three-valued answer for `caller` making the call `on`,
/// with the open context it was decided in (to fill the conditions' text).
pub(super) fn assess_on<T>(
    world: &World,
    caller: &Caller,
    on: On<'_>,
    then: impl FnOnce(&Analysis<'_>, &Context, &Request<'_>) -> T,
) -> T {
    let mut gathered = Gathered::new(
        world,
        &caller.identity,
        on.action,
        on.resource,
        Some(on.side),
    );
    // The analysis tries any session of a role, whatever its name.
    if let CallerKind::RoleSession { session, .. } = &mut gathered.caller.kind {
        *session = None;
    }
    let mut context = open_context(world, caller, &gathered.caller, on.target);
    for (key, value) in on.extra {
        context.set(key, value.clone());
    }
    let policies = gathered.policies();
    let request = Request {
        caller: &gathered.caller,
        action: on.action,
        resource: on.resource,
        resource_account: gathered.resource_account,
        context: &context,
    };
    let analysis = analyze(&request, &policies);
    then(&analysis, &context, &request)
}

/// [`assess_on`] for `caller` assuming `role`.
pub(super) fn assess<T>(
    world: &World,
    caller: &Caller,
    role: &Role,
    then: impl FnOnce(&Analysis<'_>, &Context, &Request<'_>) -> T,
) -> T {
    let arn = role.arn();
    let on = On {
        action: caller.action,
        resource: &arn,
        side: role.into(),
        target: role.into(),
        extra: &[],
    };
    assess_on(world, caller, on, then)
}

/// Whether a stand-in for principals outside the world (anyone, or any
/// principal of an outside account) surely cannot meet a need: a positive
/// test of `aws:PrincipalArn` or `aws:PrincipalAccount` whose every value
/// names, without a wildcard, an account the stand-in cannot be in (one of
/// the world's, or another than its own).
fn beyond_stand_in(need: &Need, caller: &Caller, world: &World) -> bool {
    let Some(c) = need.condition() else {
        return false;
    };
    let op = &c.operator;
    let positive = !op.negated
        && !op.if_exists
        && op.set != SetQualifier::ForAllValues
        && matches!(op.family, Family::String | Family::Arn);
    let arn = c.key_lower == "aws:principalarn";
    if !positive || !(arn || c.key_lower == "aws:principalaccount") {
        return false;
    }
    c.raw_values.iter().all(|v| {
        let account = if arn {
            v.split(':').nth(4)
        } else {
            Some(v.as_str())
        };
        account.is_some_and(|a| {
            xacct_iam::is_account_id(a)
                && match caller.known {
                    Known::Anyone => world.model().accounts.contains_key(a),
                    _ => a != caller.identity.account(),
                }
        })
    })
}

/// The verdict of an analysis and, when conditional, its conditions; a
/// stand-in for outside callers is never let in by a condition it cannot
/// meet.
pub(super) fn three_valued(
    world: &World,
    caller: &Caller,
    a: &Analysis<'_>,
    context: &Context,
) -> (Verdict, Option<Box<Conditions>>) {
    if a.verdict != Verdict::Conditional {
        return (a.verdict, None);
    }
    let mut when: Vec<Vec<Need>> = a.when.iter().map(|set| a.needs(set, context)).collect();
    if matches!(caller.known, Known::Anyone | Known::AnyoneOf) && !when.is_empty() {
        when.retain(|alt| !alt.iter().any(|n| beyond_stand_in(n, caller, world)));
        if when.is_empty() {
            return (Verdict::Never, None);
        }
    }
    let unless = a.unless.iter().map(|&i| a.needs(&[i], context)).collect();
    (a.verdict, Some(Box::new(Conditions { when, unless })))
}
