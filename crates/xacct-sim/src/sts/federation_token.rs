//! `sts:GetFederationToken`: a federated-user session whose permissions are
//! the user's intersected with the session policy (none without one).

use std::time::Duration;

use super::super::answer::{Outcome, Why};
use super::super::aws_error::{AwsError, text_violations};
use super::super::decide::decide;
use super::super::identity::Identity;
use super::super::session::SessionKind;
use super::super::session_context;
use super::super::world::{Principal, World};
use super::long_term::LongTermCaller;
use super::session_policy::{managed_session_policies, packed_within, session_policy};
use xacct_aws::cloud::params::FEDERATED_NAME;
use xacct_aws::cloud::{AssumeRoleRequest, Credentials, Tag};

/// What GetFederationToken returns.
#[derive(Debug, Clone)]
pub struct FederationToken {
    /// The credentials.
    pub credentials: Credentials,
    /// `FederatedUser.Arn`.
    pub arn: String,
    /// `FederatedUser.FederatedUserId`: `ACCOUNT:NAME`.
    pub federated_user_id: String,
    /// `PackedPolicySize`, when a session policy was passed.
    pub packed_policy_size: Option<i32>,
}

impl World {
    /// `sts:GetFederationToken` with `Tags` and `PolicyArns`: the tags need
    /// `sts:TagSession` in the user's policies, and become the federated
    /// user's principal tags over the user's own (IAM User Guide, "Passing
    /// session tags using GetFederationToken"; transitive keys are not
    /// supported there).
    pub(crate) fn get_federation_token_tagged(
        &self,
        who: &Principal,
        name: &str,
        (policy, duration): (Option<&str>, Option<i64>),
        (tags, policy_arns): (&[Tag], &[String]),
    ) -> Outcome<FederationToken> {
        let mut why = None;
        let extra = AssumeRoleRequest {
            tags: tags.to_vec(),
            policy_arns: policy_arns.to_vec(),
            ..AssumeRoleRequest::default()
        };
        let result =
            self.federation_token(&who.identity, name, (policy, duration), &extra, &mut why);
        Outcome {
            result,
            caller: who.who().clone(),
            why,
        }
    }

    fn federation_token(
        &self,
        identity: &Identity,
        name: &str,
        (policy, duration): (Option<&str>, Option<i64>),
        extra: &AssumeRoleRequest,
        why: &mut Option<Why>,
    ) -> Result<FederationToken, AwsError> {
        let caller = LongTermCaller::of(
            identity,
            AwsError::federation_with_session_credentials(),
            "GetFederationToken must be called with an IAM user's (or the root user's) long-term keys",
            why,
        )?;
        let (duration, bad_duration) = caller.duration(duration);
        let mut violations = text_violations(&FEDERATED_NAME, name);
        violations.extend(bad_duration);
        violations.extend(session_context::violations(extra));
        if !violations.is_empty() {
            *why = Some(Why::rule(
                "the parameters break the STS model's constraints",
            ));
            return Err(AwsError::validation(&violations));
        }
        let planned = session_context::plan(extra, None).inspect_err(|_| {
            *why = Some(Why::rule(
                "the session tags break AWS's rules for passing them (see the message)",
            ));
        })?;
        let context: Vec<(&str, String)> = planned
            .request_keys
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        let LongTermCaller { account, user } = caller;
        let root = user.is_none();
        let arn = format!("arn:aws:sts::{account}:federated-user/{name}");
        if !root {
            let decided = decide(
                self,
                identity,
                "sts:GetFederationToken",
                &arn,
                None,
                &context,
            );
            let allowed = decided.allowed;
            *why = Some(decided.why);
            if !allowed {
                return Err(AwsError::not_authorized(
                    &identity.caller(self.model()).arn(),
                    "sts:GetFederationToken",
                    &arn,
                ));
            }
        } else {
            *why = Some(Why::rule(
                "the root user may call GetFederationToken (for at most an hour)",
            ));
        }
        if !root && planned.tags_session() {
            let decided = decide(self, identity, "sts:TagSession", &arn, None, &context);
            if !decided.allowed {
                *why = Some(decided.why);
                return Err(AwsError::not_authorized(
                    &identity.caller(self.model()).arn(),
                    "sts:TagSession",
                    &arn,
                ));
            }
        }
        session_policy(policy)?;
        managed_session_policies(self.model(), &planned.context.policy_arns, &account)?;
        let packed = packed_within(policy, &planned.context.policy_arns, &planned.context.tags)?;
        let expiration = self.now() + Duration::from_secs(u64::try_from(duration).unwrap_or(43200));
        let credentials = self.issue(
            SessionKind::Federated {
                account: account.clone(),
                user,
                name: name.to_owned(),
                policy: policy.map(str::to_owned),
                context: Box::new(planned.context),
            },
            expiration,
        );
        Ok(FederationToken {
            credentials,
            arn,
            federated_user_id: format!("{account}:{name}"),
            packed_policy_size: packed,
        })
    }
}
