//! The STS actions AWS takes without a signature: AssumeRoleWithWebIdentity
//! (the token is the credential; the SDKs and the AWS CLI send it unsigned).
//! They skip SigV4 but go through the same limits, the same version and
//! fault handling, and answer in the same XML as the signed actions.

use super::endpoint::Endpoint;
use super::request::{Incoming, Outgoing, param};
use xacct_aws::cloud::AssumeRoleRequest;
use xacct_aws::secret::Secret;
use xacct_sim::{Answer, AwsError, UnsignedRequest, WebIdentityRequest, Who, Why, World, missing};

/// Actions answered without SigV4.
const UNSIGNED: [&str; 1] = ["AssumeRoleWithWebIdentity"];

/// The unsigned action an STS operation (`sts:ACTION`, as the handler
/// already read it from the request) is, if it is one.
pub(super) fn unsigned_action(operation: &str) -> Option<&'static str> {
    let action = operation.strip_prefix("sts:")?;
    UNSIGNED.iter().copied().find(|a| *a == action)
}

fn anonymous(world: &World, error: AwsError, why: &str) -> Answer<Outgoing> {
    Answer::refused(
        world.request_id(),
        Who {
            name: "an unverified web identity token".to_owned(),
            account: None,
        },
        error,
        Why::rule(why),
    )
}

/// The world's answer to an unsigned STS request.
pub(super) fn answer(endpoint: &Endpoint, req: &Incoming, action: &str) -> Answer<Outgoing> {
    let params = req.form();
    if let Some(version) = param(params, "Version").filter(|v| *v != "2011-06-15") {
        return anonymous(
            &endpoint.world,
            AwsError::new(
                "InvalidAction",
                400,
                format!("Could not find operation {action} for version {version}"),
            ),
            "STS speaks API version 2011-06-15",
        );
    }
    let decoded = (|| -> Result<WebIdentityRequest, AwsError> {
        let token = param(params, "WebIdentityToken").ok_or_else(|| missing("webIdentityToken"))?;
        let duration = match param(params, "DurationSeconds") {
            None => None,
            Some(v) => Some(v.parse::<i64>().map_err(|_| {
                AwsError::validation(&[format!(
                    "Value '{v}' at 'durationSeconds' failed to satisfy constraint: Member must be a number"
                )])
            })?),
        };
        Ok(WebIdentityRequest {
            token: Secret::new(token),
            request: AssumeRoleRequest {
                role_arn: param(params, "RoleArn")
                    .ok_or_else(|| missing("roleArn"))?
                    .to_owned(),
                session_name: param(params, "RoleSessionName")
                    .ok_or_else(|| missing("roleSessionName"))?
                    .to_owned(),
                duration_seconds: duration.map(|d| i32::try_from(d).unwrap_or(i32::MAX)),
                external_id: None,
                mfa: None,
                session_policy: param(params, "Policy").map(str::to_owned),
                // Not a parameter of this call: the token carries it.
                source_identity: None,
                tags: Vec::new(),
                transitive_tag_keys: Vec::new(),
                policy_arns: super::sts_lists::policy_arns(params),
            },
        })
    })();
    match decoded {
        Ok(input) => {
            let world = &endpoint.world;
            world
                .call_unsigned(UnsignedRequest::AssumeRoleWithWebIdentity(input))
                .map_with_id(|response, id| super::sts_api::encode(id, action, response))
        }
        Err(err) => anonymous(
            &endpoint.world,
            err,
            "a parameter is missing or not a number",
        ),
    }
}
