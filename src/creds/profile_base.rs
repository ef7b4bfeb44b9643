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

use super::obtain::{Backend, CredsError, Failed, Got, obtain_planned};
use super::profile_chain::{implied_role_profile, profile_plan};
use super::spec::{ChainSpec, default_session_name};
use crate::clock::Clock;

/// The last session of the chain a role profile stands for (`flag`, or
/// the [`implied_role_profile`]), walked through `backend` with no cache;
/// `None` when that profile assumes no role, so that its keys, SSO or
/// `credential_process` give the base credentials themselves. A profile
/// named by `flag` that cannot be read is an error.
pub async fn profile_session(
    flag: Option<&str>,
    backend: &Backend,
    clock: &dyn Clock,
) -> Result<Option<Got>, Failed> {
    let default_name = default_session_name(clock.now());
    let (profile, found) = match flag {
        Some(name) => {
            let found = profile_plan(name, &default_name)
                .await
                .map_err(|e| CredsError::Input(vec![e]))?;
            (name.to_owned(), found)
        }
        None => match implied_role_profile(&default_name).await {
            Some(implied) => implied,
            None => return Ok(None),
        },
    };
    if found.hops.is_empty() {
        return Ok(None);
    }
    let spec = ChainSpec {
        profile: Some(profile),
        no_code_flag: true,
        ..ChainSpec::default()
    };
    let plan = spec
        .plan_from(found, clock.now())
        .map_err(CredsError::Input)?;
    obtain_planned(&spec, Some(plan), backend, None, clock)
        .await
        .map(Some)
}
