//! The concrete twin of an edge: one AssumeRole (or, for an OIDC
//! provider, AssumeRoleWithWebIdentity) decided as the simulator decides
//! it, for a caller named by its ARN and the request keys given. This is
//! what the analysis must be sound against: whenever it allows, the graph
//! has an edge whose conditions hold in the context it was decided in.

use super::super::decide::decide;
use super::super::identity::Identity;
use super::super::session::SessionKind;
use super::super::world::World;
use xacct_iam::{Arn, Context};

/// A concrete decision and the request context it was decided in.
#[derive(Debug, Clone)]
pub struct Concrete {
    /// Whether the call is allowed.
    pub allowed: bool,
    /// The request's keys, as the engine saw them.
    pub context: Context,
}

/// Who an ARN names as a caller: a user, a role session
/// (`arn:aws:sts::A:assumed-role/ROLE/SESSION`), or whoever presents a
/// token of an OIDC provider; in the world or outside it.
fn identity(arn: &str) -> Result<(Identity, &'static str), String> {
    let parsed: Arn = arn
        .parse()
        .map_err(|e: xacct_iam::ArnError| format!("`{arn}`: {}", e.reason))?;
    let account = parsed.account.clone();
    let resource = parsed.resource.as_str();
    if let Some(user) = resource.strip_prefix("user/") {
        let name = user.rsplit('/').next().unwrap_or(user).to_owned();
        return Ok((Identity::User { account, name }, "sts:AssumeRole"));
    }
    if let Some((role, session)) = resource
        .strip_prefix("assumed-role/")
        .and_then(|r| r.split_once('/'))
    {
        let kind = SessionKind::Role {
            account,
            role: role.to_owned(),
            session: session.to_owned(),
            mfa: false,
            policy: None,
            context: Default::default(),
        };
        let policy = None;
        return Ok((Identity::Session { kind, policy }, "sts:AssumeRole"));
    }
    if let Some(issuer) = resource.strip_prefix("oidc-provider/") {
        return Ok((
            Identity::Token {
                account,
                issuer: issuer.to_owned(),
            },
            "sts:AssumeRoleWithWebIdentity",
        ));
    }
    Err(format!(
        "`{arn}` names no caller: use a user, assumed-role or oidc-provider ARN"
    ))
}

impl World {
    /// Decides `caller` assuming `role` with the request keys `keys` (the
    /// session's tags as `aws:PrincipalTag/K`, MFA, the source IP, ...),
    /// as the simulator decides AssumeRole; `Err` for a caller ARN that
    /// names no caller or a role that does not exist.
    pub fn decide_assume(
        &self,
        caller: &str,
        role: &str,
        keys: &[(String, String)],
    ) -> Result<Concrete, String> {
        let (identity, action) = identity(caller)?;
        let target = self
            .model()
            .role_by_arn(role)
            .ok_or_else(|| format!("no role {role} in the world"))?;
        // As AssumeRole does: the role's tags are the request's resource tags.
        let tags = target.resource_tag_keys();
        let pairs: Vec<(&str, String)> = keys
            .iter()
            .chain(&tags)
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        let decided = decide(self, &identity, action, role, Some(target.into()), &pairs);
        Ok(Concrete {
            allowed: decided.allowed,
            context: decided.context,
        })
    }
}
