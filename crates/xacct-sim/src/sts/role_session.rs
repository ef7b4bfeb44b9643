//! The end of every call that opens a role session (AssumeRole,
//! AssumeRoleWithWebIdentity): the role's MaxSessionDuration, the session
//! policy, then the credentials and the assumed-role user.

use std::time::Duration;

use super::super::answer::Why;
use super::super::aws_error::AwsError;
use super::super::model::Role;
use super::super::session::SessionKind;
use super::super::session_context::SessionContext;
use super::super::world::World;
use super::session_policy::{managed_session_policies, packed_within, session_policy};
use xacct_aws::cloud::{AssumeRoleRequest, AssumedRole};

impl World {
    /// A session of `role` as `request` asks (its duration already checked
    /// against the caller's own caps); `mfa` says whether MFA stands behind
    /// it, `chained` whether a role session asked for it; `context` is what
    /// the session will carry (tags, source identity, managed policies).
    pub(super) fn open_role_session(
        &self,
        role: &Role,
        request: &AssumeRoleRequest,
        (mfa, chained): (bool, bool),
        context: SessionContext,
        why: &mut Option<Why>,
    ) -> Result<AssumedRole, AwsError> {
        let duration = request.duration_seconds.map_or(3600, i64::from);
        if duration > i64::from(role.max_session_duration) {
            *why = Some(Why::rule(format!(
                "{} has MaxSessionDuration {} seconds; {duration} were asked for",
                role.arn(),
                role.max_session_duration
            )));
            return Err(AwsError::over_max_session_duration());
        }
        session_policy(request.session_policy.as_deref())?;
        managed_session_policies(self.model(), &context.policy_arns, &role.account)?;
        let packed = packed_within(
            request.session_policy.as_deref(),
            &context.policy_arns,
            &context.tags,
        )
        .inspect_err(|_| {
            *why = Some(Why::rule(
                "the session policies and tags together are past the packed allowance (xacct's estimate: AWS does not publish its packing)",
            ));
        })?;
        let source_identity = context.source_identity.clone();
        let expiration = self.now() + Duration::from_secs(u64::try_from(duration).unwrap_or(3600));
        let credentials = self.issue_session(
            SessionKind::Role {
                account: role.account.clone(),
                role: role.name.clone(),
                session: request.session_name.clone(),
                mfa,
                policy: request.session_policy.clone(),
                context: Box::new(context),
            },
            expiration,
            chained,
        );
        Ok(AssumedRole {
            credentials,
            arn: format!(
                "arn:aws:sts::{}:assumed-role/{}/{}",
                role.account, role.name, request.session_name
            ),
            assumed_role_id: format!("{}:{}", role.unique_id, request.session_name),
            packed_policy_size: packed,
            web_identity: None,
            request_id: None,
            source_identity,
        })
    }
}
