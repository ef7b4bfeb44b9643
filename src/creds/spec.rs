//! What the user asked for on the command line (roles, a profile, the
//! per-hop parameters) turned into a checked [`Plan`].

use std::time::SystemTime;

use super::plan::{Hop, HopOrigin, Plan};
use super::profile_chain::profile_plan;
use crate::cloud::AssumeRoleRequest;
use crate::validate::{self, InputError};

/// A chain as the flags give it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChainSpec {
    /// `--role-arn`, in order: assumed after the profile's own roles.
    pub role_arns: Vec<String>,
    /// `--profile`: its `role_arn` chain (if any) comes first, and the
    /// profile at its root gives the base credentials.
    pub profile: Option<String>,
    /// `--external-id`, for every `--role-arn` hop.
    pub external_id: Option<String>,
    /// `--mfa-serial`, for the first hop (made with the base credentials,
    /// whose user owns the device).
    pub mfa_serial: Option<String>,
    /// `--mfa-code`: used for every hop that names a device.
    pub mfa_code: Option<String>,
    /// `--duration-seconds`, for every `--role-arn` hop.
    pub duration_seconds: Option<i64>,
    /// `--session-name`, for every `--role-arn` hop.
    pub session_name: Option<String>,
    /// `--source-identity`, set on the first hop (AWS keeps it through the
    /// chain).
    pub source_identity: Option<String>,
    /// `--tag KEY=VALUE`, on the first hop.
    pub tags: Vec<String>,
    /// `--transitive-tag-key`, on the first hop (AWS carries those tags on).
    pub transitive_tag_keys: Vec<String>,
    /// `--policy-arn`, on the first hop.
    pub policy_arns: Vec<String>,
    /// The profile was not named but implied (the SDK's default chain
    /// would take `AWS_PROFILE`'s role): its session stands for the base
    /// credentials, so the flags of the first hop go to the first
    /// `--role-arn` hop, as they did when the SDK assumed that role.
    pub profile_implied: bool,
    /// The command takes no `--mfa-code` for the profile's hops (`run`,
    /// `import`): without a terminal, the MFA prompt says how else.
    pub no_code_flag: bool,
}

impl ChainSpec {
    /// The plan: the profile's hops, then the flags' hops; every problem
    /// found before any call.
    pub async fn plan(&self, now: SystemTime) -> Result<Plan, Vec<InputError>> {
        let profile = match &self.profile {
            Some(profile) => profile_plan(profile, &default_session_name(now))
                .await
                .map_err(|e| vec![e])?,
            None => Plan::default(),
        };
        self.plan_from(profile, now)
    }

    /// The plan, from the hops of the profile already read (`profile`,
    /// [`Plan::default`] for none): the flags' hops are added and checked.
    pub(super) fn plan_from(
        &self,
        mut plan: Plan,
        now: SystemTime,
    ) -> Result<Plan, Vec<InputError>> {
        let default_name = default_session_name(now);
        let mut errors = Vec::new();
        let duration_seconds =
            validate::optional_duration(self.duration_seconds).unwrap_or_else(|e| {
                errors.push(e);
                None
            });
        if let Some(code) = &self.mfa_code
            && let Err(e) = validate::mfa_code(code)
        {
            errors.push(e);
        }
        for arn in &self.role_arns {
            plan.hops.push(Hop {
                request: AssumeRoleRequest {
                    role_arn: arn.clone(),
                    session_name: self
                        .session_name
                        .clone()
                        .unwrap_or_else(|| default_name.clone()),
                    duration_seconds,
                    external_id: self.external_id.clone(),
                    ..AssumeRoleRequest::default()
                },
                mfa_serial: None,
                named: self.session_name.is_some(),
                origin: HopOrigin::Flag,
            });
        }
        let first = if self.profile_implied {
            plan.hops
                .iter()
                .position(|h| h.origin == HopOrigin::Flag)
                .unwrap_or_default()
        } else {
            0
        };
        if let Some(first) = plan.hops.get_mut(first) {
            if self.mfa_serial.is_some() {
                first.mfa_serial.clone_from(&self.mfa_serial);
            }
            errors.extend(validate::session_flags(
                (&self.tags, &self.transitive_tag_keys),
                self.source_identity.as_ref(),
                &self.policy_arns,
                &mut first.request,
            ));
        } else {
            errors.push(InputError {
                field: "--role-arn",
                value: String::new(),
                rule: match &self.profile {
                    Some(p) => format!("the profile `{p}` has no role_arn, and no --role-arn was given, so there is no role to assume"),
                    None => "no role to assume was given".to_owned(),
                },
                fix: "pass --role-arn ARN (repeat it for a chain), or --profile NAME of a profile with role_arn".to_owned(),
            });
        }
        // A code with no device to go with it would be dropped without a
        // word (`run` refuses --mfa-code without --mfa-serial alike).
        if let Some(code) = &self.mfa_code
            && !plan.needs_mfa()
            && !plan.hops.is_empty()
        {
            errors.push(InputError {
                field: "--mfa-code",
                value: code.clone(),
                rule: "no hop of the chain names an MFA device (no --mfa-serial, no mfa_serial in the profile), so the code would go nowhere".to_owned(),
                fix: "pass --mfa-serial with the caller's device ARN, or leave out --mfa-code".to_owned(),
            });
        }
        if let Err(more) = plan.check() {
            errors.extend(more);
        }
        if errors.is_empty() {
            Ok(plan)
        } else {
            Err(errors)
        }
    }
}

/// `xacct-<unix seconds>`, like the AWS CLI's `botocore-session-<unix seconds>`.
pub fn default_session_name(now: SystemTime) -> String {
    let secs = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    format!("xacct-{secs}")
}
