//! `sts:AssumeRole`: the STS model's constraints, AWS's caller rules, MFA,
//! the IAM decision (trust policy and identity side), the duration caps,
//! then temporary credentials.

use super::super::answer::{Outcome, Why};
use super::super::aws_error::{AwsError, number_violation, text_violations};
use super::super::decide::decide;
use super::super::identity::Identity;
use super::super::session_context::{self, Planned};
use super::super::world::{Principal, World};
use xacct_aws::cloud::params::{
    ASSUME_ROLE_DURATION, EXTERNAL_ID, ROLE_ARN, ROLE_SESSION_NAME, SERIAL_NUMBER, TOKEN_CODE,
};
use xacct_aws::cloud::{AssumeRoleRequest, AssumedRole, MfaToken};
use xacct_iam::{RuleEffect, caller_rule};

/// `SerialNumber` and `TokenCode` against the STS model; one left empty
/// (not sent) is not checked here: the MFA check refuses the pair instead.
pub(super) fn mfa_violations(mfa: &MfaToken) -> Vec<String> {
    let mut out = Vec::new();
    if !mfa.serial.is_empty() {
        out.extend(text_violations(&SERIAL_NUMBER, &mfa.serial));
    }
    if !mfa.code.is_empty() {
        out.extend(text_violations(&TOKEN_CODE, &mfa.code));
    }
    out
}

/// The AssumeRole parameters against the STS model, in AWS's words.
fn violations(request: &AssumeRoleRequest) -> Vec<String> {
    let mut out = text_violations(&ROLE_ARN, &request.role_arn);
    out.extend(text_violations(&ROLE_SESSION_NAME, &request.session_name));
    if let Some(v) = request
        .duration_seconds
        .and_then(|d| number_violation(&ASSUME_ROLE_DURATION, d.into()))
    {
        out.push(v);
    }
    if let Some(id) = &request.external_id {
        out.extend(text_violations(&EXTERNAL_ID, id));
    }
    if let Some(mfa) = &request.mfa {
        out.extend(mfa_violations(mfa));
    }
    out.extend(session_context::violations(request));
    out
}

impl World {
    /// `sts:AssumeRole`.
    pub(crate) fn assume_role(
        &self,
        who: &Principal,
        request: &AssumeRoleRequest,
    ) -> Outcome<AssumedRole> {
        let mut why = None;
        let result = self.assume_role_decided(who, request, &mut why);
        Outcome {
            result,
            caller: who.who().clone(),
            why,
        }
    }

    /// Whether the MFA passed with a call is the caller's device showing
    /// the right code (`Ok(false)` when none was passed).
    pub(crate) fn check_mfa(
        &self,
        identity: &Identity,
        mfa: Option<&MfaToken>,
        why: &mut Option<Why>,
    ) -> Result<bool, AwsError> {
        let Some(mfa) = mfa else { return Ok(false) };
        if mfa.serial.is_empty() || mfa.code.is_empty() {
            *why = Some(Why::rule("MFA needs both the device serial and the code"));
            return Err(AwsError::mfa_incomplete());
        }
        let device = identity
            .user()
            .and_then(|(account, name)| self.model().user(account, name))
            .and_then(|u| u.mfa.as_ref());
        match device {
            Some(d) if d.serial == mfa.serial && d.code.as_deref() == Some(&mfa.code) => Ok(true),
            Some(d) if d.serial == mfa.serial && d.code.is_none() => {
                *why = Some(Why::rule(format!(
                    "the world does not know the code `{}` shows (an imported device: no AWS API returns it); add `code:` to the user's `mfa` to simulate it",
                    d.serial
                )));
                Err(AwsError::mfa_wrong_code())
            }
            Some(d) if d.serial == mfa.serial => {
                *why = Some(Why::rule(
                    "the MFA code is not the one the device shows now",
                ));
                Err(AwsError::mfa_wrong_code())
            }
            _ => {
                *why = Some(Why::rule(format!(
                    "`{}` is not an MFA device of {}",
                    mfa.serial,
                    identity.caller(self.model()).arn()
                )));
                Err(AwsError::mfa_unknown_serial())
            }
        }
    }

    fn assume_role_decided(
        &self,
        who: &Principal,
        request: &AssumeRoleRequest,
        why: &mut Option<Why>,
    ) -> Result<AssumedRole, AwsError> {
        let identity = &who.identity;
        let caller = identity.caller(self.model());
        let caller_arn = who.who().name.clone();
        let violations = violations(request);
        if !violations.is_empty() {
            *why = Some(Why::rule(
                "the parameters break the STS model's constraints",
            ));
            return Err(AwsError::validation(&violations));
        }
        if let Some(rule) =
            caller_rule(&caller, "sts:AssumeRole").filter(|r| r.effect == RuleEffect::Refuse)
        {
            *why = Some(Why::rule(rule.sentence));
            return Err(match caller.kind {
                xacct_iam::CallerKind::Root => AwsError::root_may_not_assume(),
                _ => AwsError::federated_may_not_assume(),
            });
        }
        let planned = session_context::plan(request, identity.session_context()).inspect_err(|_| {
            *why = Some(Why::rule(
                "the session tags or source identity break AWS's rules for passing them (see the message)",
            ));
        })?;
        let role = self.model().role_by_arn(&request.role_arn);
        let owned = request_keys(&planned, role);
        let mut context: Vec<(&str, String)> =
            vec![("sts:RoleSessionName", request.session_name.clone())];
        context.extend(owned.iter().map(|(k, v)| (k.as_str(), v.clone())));
        if let Some(id) = &request.external_id {
            context.push(("sts:ExternalId", id.clone()));
        }
        let mfa_used = self.check_mfa(identity, request.mfa.as_ref(), why)?;
        let mfa_present = mfa_used || identity.mfa_present() == Some(true);
        if mfa_used || identity.is_temporary() {
            context.push(("aws:MultiFactorAuthPresent", mfa_present.to_string()));
        }
        if mfa_used {
            context.push(("aws:MultiFactorAuthAge", "0".to_owned()));
        }
        let decided = match role {
            Some(role) => decide(
                self,
                identity,
                "sts:AssumeRole",
                &request.role_arn,
                Some(role.into()),
                &context,
            ),
            None => super::super::decide::Decided {
                allowed: false,
                why: Why::rule(format!(
                    "no role {} exists; AWS answers exactly as for a role whose trust policy does not allow the caller",
                    request.role_arn
                )),
                context: xacct_iam::Context::new(),
            },
        };
        *why = Some(decided.why);
        let Some(role) = role.filter(|_| decided.allowed) else {
            return Err(AwsError::not_authorized(
                &caller_arn,
                "sts:AssumeRole",
                &request.role_arn,
            ));
        };
        let duration = request.duration_seconds.map_or(3600, i64::from);
        if identity.is_role_session() && duration > 3600 {
            *why = Some(Why::rule(format!(
                "{caller_arn} is itself a role session, so the new session (role chaining) may last at most 3600 seconds, not {duration}"
            )));
            return Err(AwsError::over_chaining_limit());
        }
        if let (Some(line), Some(why)) = (planned.context.describe(), why.as_mut()) {
            why.note(format!("the new session will carry {line}"));
        }
        self.permissions_only(identity, &caller_arn, role, &planned, &context, why)?;
        self.open_role_session(
            role,
            request,
            (mfa_present, identity.is_role_session()),
            planned.context,
            why,
        )
    }

    /// `sts:TagSession` when the session gets tags (passed or inherited),
    /// `sts:SetSourceIdentity` when it gets a source identity (passed or
    /// kept): permissions-only actions decided like AssumeRole itself, the
    /// trust policy always, the caller's policies across accounts.
    pub(super) fn permissions_only(
        &self,
        identity: &Identity,
        caller_arn: &str,
        role: &super::super::model::Role,
        planned: &Planned,
        context: &[(&str, String)],
        why: &mut Option<Why>,
    ) -> Result<(), AwsError> {
        let needed = [
            ("sts:TagSession", planned.tags_session()),
            ("sts:SetSourceIdentity", planned.sets_source_identity()),
        ];
        let arn = role.arn();
        for (action, _) in needed.iter().filter(|(_, needed)| *needed) {
            let decided = decide(self, identity, action, &arn, Some(role.into()), context);
            if !decided.allowed {
                let mut reason = decided.why;
                reason.summary = format!(
                    "{}: {action} is needed because the session {}",
                    reason.summary,
                    if *action == "sts:TagSession" {
                        "gets session tags (passed, or transitive ones inherited from the caller's session)"
                    } else {
                        "gets a source identity (passed, or kept from the caller's session)"
                    }
                );
                *why = Some(reason);
                return Err(AwsError::not_authorized(caller_arn, action, &arn));
            }
            if let Some(why) = why.as_mut() {
                why.note(format!("{action}: {}", decided.why.summary));
            }
        }
        Ok(())
    }
}

/// The request's own condition keys: the planned tag and source identity
/// keys, and the role's tags as `iam:ResourceTag/*` and `aws:ResourceTag/*`.
fn request_keys(
    planned: &Planned,
    role: Option<&super::super::model::Role>,
) -> Vec<(String, String)> {
    let mut out = planned.request_keys.clone();
    out.extend(
        role.map(super::super::model::Role::resource_tag_keys)
            .unwrap_or_default(),
    );
    out
}
