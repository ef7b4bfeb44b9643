//! What the analysis fixes about an AssumeRole request, and what it leaves
//! unknown. The request context is open (see [`crate::iam::Context::open`]):
//! a key set here is known, a key declared absent is absent, and every
//! other key is unknown, so a condition on it is undecided, never false.
//!
//! Known: the caller's principal keys (`aws:PrincipalArn`,
//! `aws:PrincipalAccount`, `aws:PrincipalType`, a user's `aws:username` and
//! `aws:userid`) for callers of the world and named outside principals;
//! a user's tags (`aws:PrincipalTag/*`, all of them); the organization keys
//! of members of the world's organization; the role's tags
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
use super::callers::{Caller, Known};
use crate::iam::{Context, is_placeholder};

/// The open context of `caller` assuming `role`; `engine` is the caller as
/// the engine sees it.
pub fn open_context(
    world: &World,
    caller: &Caller,
    engine: &crate::iam::Caller,
    role: &Role,
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
            ctx.fill_caller(engine);
            // Only an IAM user has a user name.
            if !matches!(engine.kind, crate::iam::CallerKind::User { .. }) {
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
        if !placeholder {
            ctx.absent("aws:PrincipalTag/");
        }
    }
    let tags = role.resource_tag_keys();
    let placeholder = tags.iter().any(|(_, v)| is_placeholder(v));
    for (key, value) in tags.into_iter().filter(|(_, v)| !is_placeholder(v)) {
        ctx.set(&key, value);
    }
    if !placeholder {
        ctx.absent("iam:ResourceTag/");
        ctx.absent("aws:ResourceTag/");
    }
    if let Some(org) = &model.organization {
        match caller.known {
            // The account is known: its organization keys are (as the
            // simulator fills them: a member's, or none).
            Known::Member | Known::Named | Known::AnyoneOf => {
                org.fill_context(&mut ctx, caller.identity.account(), Some(&role.account));
                ctx.absent("aws:PrincipalOrgID");
                ctx.absent("aws:PrincipalOrgPaths");
            }
            // Anyone outside the world: no member of the organization when
            // every member is one of the world's accounts.
            Known::Anyone | Known::Deploy => {
                org.fill_context(&mut ctx, "", Some(&role.account));
                if org.paths.keys().all(|a| model.accounts.contains_key(a)) {
                    ctx.absent("aws:PrincipalOrgID");
                    ctx.absent("aws:PrincipalOrgPaths");
                }
            }
        }
        ctx.absent("aws:ResourceOrgID");
        ctx.absent("aws:ResourceOrgPaths");
    }
    ctx
}
