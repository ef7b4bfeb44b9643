//! The session a role profile stands for, for a command that takes its base
//! credentials from a profile rather than walking a chain of its own
//! (`xacct run`, a run across accounts): the profile's `role_arn` chain is
//! walked hop by hop through the command's own endpoint, as `xacct creds
//! --profile` walks it.
//!
//! Left to the SDK's profile provider, a role profile's AssumeRole would go
//! to AWS's STS whatever `--endpoint-url` says (its STS client is built
//! from the provider configuration, which carries no endpoint), and it
//! would ignore `mfa_serial` and `duration_seconds`.

use super::obtain::{Backend, CredsError, Failed, Got, obtain};
use super::profile_chain::profile_plan;
use super::spec::{ChainSpec, default_session_name};
use crate::clock::Clock;

/// The profile the credentials come from: `flag` (`--profile`) when given;
/// otherwise, as the SDK's default chain orders its sources, none when the
/// environment holds keys, else `AWS_PROFILE`, else `default`.
fn profile_in_use(flag: Option<&str>) -> Option<(String, bool)> {
    if let Some(name) = flag {
        return Some((name.to_owned(), true));
    }
    if std::env::var_os("AWS_ACCESS_KEY_ID").is_some() {
        return None;
    }
    let name = std::env::var("AWS_PROFILE")
        .ok()
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "default".to_owned());
    Some((name, false))
}

/// The last session of the chain the profile in use stands for (`flag`,
/// else `AWS_PROFILE` or `default` when the environment holds no keys),
/// walked through `backend` with no cache; `None` when that profile assumes
/// no role, so that its keys, SSO or `credential_process` give the base
/// credentials themselves. A profile named by `flag` that cannot be read
/// is an error; one only the environment names is left to the SDK's chain,
/// which goes on to its other sources.
pub async fn profile_session(
    flag: Option<&str>,
    backend: &Backend,
    clock: &dyn Clock,
) -> Result<Option<Got>, Failed> {
    let Some((profile, named)) = profile_in_use(flag) else {
        return Ok(None);
    };
    let plan = match profile_plan(&profile, &default_session_name(clock.now())).await {
        Ok(plan) => plan,
        Err(e) if named => return Err(CredsError::Input(vec![e]).into()),
        Err(_) => return Ok(None),
    };
    if plan.hops.is_empty() {
        return Ok(None);
    }
    let spec = ChainSpec {
        profile: Some(profile),
        ..ChainSpec::default()
    };
    obtain(&spec, backend, None, clock).await.map(Some)
}
