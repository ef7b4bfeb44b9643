//! What the analysis fixes about an AssumeRole request, and what it leaves
//! unknown. The request context is open (see [`xacct_iam::Context::open`]):
//! a key set here is known, a key declared absent is absent, and every
//! other key is unknown, so a condition on it is undecided, never false.
//!
//! Known: the caller's principal keys (`aws:PrincipalArn`,
//! `aws:PrincipalAccount`, `aws:PrincipalType`, a user's `aws:username`)
//! for callers of the world and named outside principals (not `aws:userid`:
//! the world's unique ids are derived, not AWS's); a user's tags
//! (`aws:PrincipalTag/*`, all of them, unless a template imported its
//! account: its stack may add more); the organization keys
//! of members of the world's organization, and their absence for the
//! world's other callers (an outside account may be in another
//! organization, so its keys stay unknown); the role's tags
//! (`iam:ResourceTag/*`, `aws:ResourceTag/*`) and organization;
//! `aws:PrincipalIsAWSService` (false for every caller tried).
//!
//! Unknown, because the caller chooses or the moment decides: the session
//! name, external id, MFA and its age, source IP and VPC, region, time,
//! transport, source identity, the tags a call passes, a role session's
//! tags (its session may carry any), a token's claims, and everything about
//! an outside account's principals beyond their account.

use super::super::identity::Identity;
use super::super::model::Role;
use super::super::world::World;
use super::caller::{Caller, Known};
use xacct_iam::{Context, is_placeholder};

/// The resource a request of the analysis is on: its account and its tags
/// (as condition keys).
pub(super) struct Target<'a> {
    /// The account that owns it.
    pub account: &'a str,
    /// Its tags as `iam:ResourceTag/K` and `aws:ResourceTag/K` keys.
    pub tags: Vec<(String, String)>,
}

impl<'a> From<&'a Role> for Target<'a> {
    fn from(role: &'a Role) -> Self {
        Self {
            account: &role.account,
            tags: role.resource_tag_keys(),
        }
    }
}

/// The open context of `caller` calling on `target` (a role it assumes, a
/// bucket it reads); `engine` is the caller as the engine sees it.
pub(super) fn open_context(
    world: &World,
    caller: &Caller,
    engine: &xacct_iam::Caller,
    target: Target<'_>,
) -> Context {
    let model = world.model();
    let mut ctx = Context::open();
    // Every signed request by an IAM principal carries it (false); an
    // unsigned web identity call does not.
    if matches!(caller.identity, Identity::Token { .. }) {
        ctx.absent("aws:PrincipalIsAWSService");
    } else {
        ctx.set("aws:PrincipalIsAWSService", "false");
    }
    match caller.known {
        Known::Member | Known::Named => {
            // A named outside principal's ARN is as its trust policy wrote
            // it, path and all; a role known only by its sessions' ARN has
            // a path nobody wrote.
            if caller.known == Known::Named {
                ctx.set("aws:PrincipalArn", caller.arn.clone());
            }
            ctx.fill_caller(engine);
            if caller.path_unknown {
                ctx.forget("aws:PrincipalArn");
            }
            // The world's unique ids are derived (an import carries none of
            // AWS's), so a condition on one is not counted on.
            ctx.forget("aws:userid");
            // Only an IAM user has a user name.
            if !matches!(engine.kind, xacct_iam::CallerKind::User { .. }) {
                ctx.absent("aws:username");
            }
        }
        Known::AnyoneOf => {
            ctx.set("aws:PrincipalAccount", caller.identity.account());
        }
        Known::Anyone | Known::Deploy => {}
    }
    if caller.known == Known::Member
        && let Identity::User { .. } = &caller.identity
    {
        let tags = caller.identity.principal_tags(model);
        // A tag whose value only a deployment knows stays unknown, and so
        // does every tag the world does not name then.
        let placeholder = tags.iter().any(|(_, v)| is_placeholder(v));
        for (key, value) in tags.into_iter().filter(|(_, v)| !is_placeholder(v)) {
            ctx.set(&format!("aws:PrincipalTag/{key}"), value);
        }
        // A template's principals may carry tags its stack adds.
        let partial = model
            .accounts
            .get(caller.identity.account())
            .is_some_and(|a| a.partial);
        if !placeholder && !partial {
            ctx.absent("aws:PrincipalTag/");
        }
    }
    let tags = target.tags;
    let placeholder = tags.iter().any(|(_, v)| is_placeholder(v));
    for (key, value) in tags.into_iter().filter(|(_, v)| !is_placeholder(v)) {
        ctx.set(&key, value);
    }
    if !placeholder {
        ctx.absent("iam:ResourceTag/");
        ctx.absent("aws:ResourceTag/");
    }
    if let Some(org) = &model.organization {
        let account = caller.identity.account();
        let token = matches!(caller.identity, Identity::Token { .. });
        let member = !token && org.paths.contains_key(account);
        org.fill_context(
            &mut ctx,
            if member { account } else { "" },
            Some(target.account),
        );
        // A token's bearer is no principal of an account, and a caller of
        // the world outside the organization is in none (as the world
        // says); anyone else outside it may be in another organization.
        if token || member || caller.known == Known::Member {
            ctx.absent("aws:PrincipalOrgID");
            ctx.absent("aws:PrincipalOrgPaths");
        }
        ctx.absent("aws:ResourceOrgID");
        ctx.absent("aws:ResourceOrgPaths");
    }
    ctx
}
