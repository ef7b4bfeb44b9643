//! The STS query protocol: `Action=...` parameters from the form body or the
//! query string, decoded for the world's operation, answered in STS's XML.

use super::endpoint::Endpoint;
use super::request::{Incoming, Outgoing, param};
use super::{reply, wire};
use crate::cloud::{AssumeRoleRequest, MfaToken};
use crate::sim::{Answer, AwsError, Principal, Why, World, missing};

/// The operations this endpoint speaks.
const ACTIONS: [&str; 5] = [
    "AssumeRole",
    "GetAccessKeyInfo",
    "GetCallerIdentity",
    "GetFederationToken",
    "GetSessionToken",
];

fn required<'a>(
    params: &'a [(String, String)],
    name: &str,
    field: &str,
) -> Result<&'a str, AwsError> {
    param(params, name).ok_or_else(|| missing(field))
}

fn number(params: &[(String, String)], name: &str, field: &str) -> Result<Option<i64>, AwsError> {
    param(params, name)
        .map(|v| {
            v.parse::<i64>().map_err(|_| {
                AwsError::validation(&[format!(
                    "Value '{v}' at '{field}' failed to satisfy constraint: Member must be a number"
                )])
            })
        })
        .transpose()
}

fn mfa(params: &[(String, String)]) -> Option<MfaToken> {
    match (param(params, "SerialNumber"), param(params, "TokenCode")) {
        (None, None) => None,
        (serial, code) => Some(MfaToken {
            serial: serial.unwrap_or_default().to_owned(),
            code: code.unwrap_or_default().to_owned(),
        }),
    }
}

/// `PackedPolicySize`, when the session has a session policy.
fn packed(size: Option<i32>) -> String {
    size.map(|p| {
        format!(
            "    {}\n",
            wire::element("PackedPolicySize", &p.to_string())
        )
    })
    .unwrap_or_default()
}

/// `SourceIdentity`, only when the session carries one (AWS's AssumeRole
/// reference: "only when one was supplied").
pub(super) fn source_identity(value: Option<&str>) -> String {
    value
        .map(|v| format!("    {}\n", wire::element("SourceIdentity", v)))
        .unwrap_or_default()
}

/// An answer that never reached an operation (a request that cannot be decoded).
fn undecodable(who: &Principal, error: AwsError, why: &str) -> Answer<Outgoing> {
    Answer::refused(who.who().clone(), error, Why::rule(why))
}

/// The world's answer to an authenticated STS request.
pub(super) fn answer(endpoint: &Endpoint, req: &Incoming, who: &Principal) -> Answer<Outgoing> {
    let params = req.form();
    let action = param(&params, "Action").unwrap_or_default();
    if let Some(version) = param(&params, "Version").filter(|v| *v != "2011-06-15") {
        return undecodable(
            who,
            AwsError::new(
                "InvalidAction",
                400,
                format!("Could not find operation {action} for version {version}"),
            ),
            "STS speaks API version 2011-06-15",
        );
    }
    if !ACTIONS.contains(&action) {
        return undecodable(
            who,
            AwsError::new(
                "InvalidAction",
                400,
                "The action or operation requested is invalid. Verify that the action is typed correctly.",
            ),
            "this endpoint speaks AssumeRole, AssumeRoleWithWebIdentity (unsigned), GetAccessKeyInfo, GetCallerIdentity, GetFederationToken and GetSessionToken",
        );
    }
    if let Some(err) = endpoint.faults.take(&format!("sts:{action}")) {
        return Answer::refused(
            who.who().clone(),
            err,
            Why::rule("a fault scripted in the scenario"),
        );
    }
    let world = &endpoint.world;
    match dispatch(world, action, &params, who) {
        Ok(answer) => answer,
        Err(err) => undecodable(who, err, "a parameter is missing or not a number"),
    }
}

/// Decodes the parameters and calls the operation; `Err` when the request
/// cannot be decoded.
fn dispatch(
    world: &World,
    action: &str,
    params: &[(String, String)],
    who: &Principal,
) -> Result<Answer<Outgoing>, AwsError> {
    let encode = |result: String| reply::sts(world, action, &result);
    Ok(match action {
        "AssumeRole" => {
            let request = AssumeRoleRequest {
                role_arn: required(params, "RoleArn", "roleArn")?.to_owned(),
                session_name: required(params, "RoleSessionName", "roleSessionName")?.to_owned(),
                duration_seconds: number(params, "DurationSeconds", "durationSeconds")?
                    .map(|d| i32::try_from(d).unwrap_or(i32::MAX)),
                external_id: param(params, "ExternalId").map(str::to_owned),
                mfa: mfa(params),
                session_policy: param(params, "Policy").map(str::to_owned),
                source_identity: param(params, "SourceIdentity").map(str::to_owned),
                tags: super::sts_lists::tags(params),
                transitive_tag_keys: super::sts_lists::strings(params, "TransitiveTagKeys"),
                policy_arns: super::sts_lists::policy_arns(params),
            };
            world.assume_role(who, &request).map(|assumed| {
                let packed = packed(assumed.packed_policy_size);
                encode(format!(
                    "    <AssumedRoleUser>\n      {}\n      {}\n    </AssumedRoleUser>\n{}{packed}{}",
                    wire::element("AssumedRoleId", &assumed.assumed_role_id),
                    wire::element("Arn", &assumed.arn),
                    wire::credentials(&assumed.credentials),
                    source_identity(assumed.source_identity.as_deref()),
                ))
            })
        }
        "GetAccessKeyInfo" => {
            let key_id = required(params, "AccessKeyId", "accessKeyId")?;
            world
                .get_access_key_info(who, key_id)
                .map(|account| encode(format!("    {}\n", wire::element("Account", &account))))
        }
        "GetCallerIdentity" => world.get_caller_identity(who).map(|id| {
            encode(format!(
                "    {}\n    {}\n    {}\n",
                wire::element("Arn", &id.arn),
                wire::element("UserId", &id.user_id),
                wire::element("Account", &id.account)
            ))
        }),
        "GetFederationToken" => {
            let name = required(params, "Name", "name")?;
            let duration = number(params, "DurationSeconds", "durationSeconds")?;
            world
                .get_federation_token_tagged(
                    who,
                    name,
                    (param(params, "Policy"), duration),
                    (
                        &super::sts_lists::tags(params),
                        &super::sts_lists::policy_arns(params),
                    ),
                )
                .map(|fed| {
                    let packed = packed(fed.packed_policy_size);
                    encode(format!(
                        "{}    <FederatedUser>\n      {}\n      {}\n    </FederatedUser>\n{packed}",
                        wire::credentials(&fed.credentials),
                        wire::element("FederatedUserId", &fed.federated_user_id),
                        wire::element("Arn", &fed.arn)
                    ))
                })
        }
        _ => {
            let duration = number(params, "DurationSeconds", "durationSeconds")?;
            world
                .get_session_token(who, duration, mfa(params).as_ref())
                .map(|creds| encode(wire::credentials(&creds)))
        }
    })
}
