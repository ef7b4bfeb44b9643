//! The STS query protocol: `Action=...` parameters from the form body or the
//! query string, dispatched to the simulated STS, answered in STS's XML.

use super::auth::verify;
use super::handler::{Endpoint, Incoming, LogLine, Outgoing, form};
use super::wire;
use crate::cloud::{AssumeRoleRequest, Credentials, MfaToken};
use crate::sim::aws_error::{AwsError, Service};
use crate::sim::sts;
use crate::sim::world::{KeyOwner, World};

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn required<'a>(
    params: &'a [(String, String)],
    name: &str,
    field: &str,
) -> Result<&'a str, AwsError> {
    param(params, name).ok_or_else(|| {
        AwsError::validation(&[format!(
            "Value null at '{field}' failed to satisfy constraint: Member must not be null"
        )])
    })
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

pub(super) fn sts_request(
    endpoint: &Endpoint,
    req: &Incoming,
    line: &mut LogLine,
) -> Result<Outgoing, AwsError> {
    let mut params = form(&req.query);
    if req.method == "POST" {
        params.extend(form(&String::from_utf8_lossy(&req.body)));
    }
    let action = param(&params, "Action").unwrap_or_default().to_owned();
    line.operation = format!("sts:{action}");
    if let Some(version) = param(&params, "Version").filter(|v| *v != "2011-06-15") {
        return Err(AwsError::new(
            "InvalidAction",
            400,
            format!("Could not find operation {action} for version {version}"),
        ));
    }
    let creds = verify(endpoint, req, Service::Sts)?;
    line.caller = creds.access_key_id.clone();
    if !matches!(
        action.as_str(),
        "AssumeRole" | "GetCallerIdentity" | "GetFederationToken" | "GetSessionToken"
    ) {
        return Err(AwsError::new(
            "InvalidAction",
            400,
            "The action or operation requested is invalid. Verify that the action is typed correctly.",
        ));
    }
    if let Some(err) = endpoint.faults.take(&line.operation) {
        return Err(err);
    }
    let world = &endpoint.world;
    let request_id = world.request_id();
    let result = match action.as_str() {
        "AssumeRole" => {
            let mfa = match (param(&params, "SerialNumber"), param(&params, "TokenCode")) {
                (None, None) => None,
                (serial, code) => Some(MfaToken {
                    serial: serial.unwrap_or_default().to_owned(),
                    code: code.unwrap_or_default().to_owned(),
                }),
            };
            let request = AssumeRoleRequest {
                role_arn: required(&params, "RoleArn", "roleArn")?.to_owned(),
                session_name: required(&params, "RoleSessionName", "roleSessionName")?.to_owned(),
                duration_seconds: number(&params, "DurationSeconds", "durationSeconds")?
                    .map(|d| i32::try_from(d).unwrap_or(i32::MAX)),
                external_id: param(&params, "ExternalId").map(str::to_owned),
                mfa,
                session_policy: param(&params, "Policy").map(str::to_owned),
            };
            let assumed = sts::assume_role(world, &creds, &request)?;
            let packed = assumed
                .packed_policy_size
                .map(|p| {
                    format!(
                        "    {}\n",
                        wire::element("PackedPolicySize", &p.to_string())
                    )
                })
                .unwrap_or_default();
            format!(
                "    <AssumedRoleUser>\n      {}\n      {}\n    </AssumedRoleUser>\n{}{packed}",
                wire::element("AssumedRoleId", &assumed.assumed_role_id),
                wire::element("Arn", &assumed.arn),
                wire::credentials(&assumed.credentials)
            )
        }
        "GetCallerIdentity" => {
            let id = sts::get_caller_identity(world, &creds)?;
            format!(
                "    {}\n    {}\n    {}\n",
                wire::element("Arn", &id.arn),
                wire::element("UserId", &id.user_id),
                wire::element("Account", &id.account)
            )
        }
        "GetFederationToken" => {
            let name = required(&params, "Name", "name")?;
            let fed = sts::get_federation_token(
                world,
                &creds,
                name,
                param(&params, "Policy"),
                number(&params, "DurationSeconds", "durationSeconds")?,
            )?;
            format!(
                "{}    <FederatedUser>\n      {}\n      {}\n    </FederatedUser>\n",
                wire::credentials(&fed.credentials),
                wire::element("FederatedUserId", &fed.federated_user_id),
                wire::element("Arn", &fed.arn)
            )
        }
        _ => {
            let mfa = match (param(&params, "SerialNumber"), param(&params, "TokenCode")) {
                (None, None) => false,
                (Some(serial), Some(code)) => session_mfa(world, &creds, serial, code)?,
                _ => return Err(AwsError::mfa_incomplete()),
            };
            let session = sts::get_session_token(
                world,
                &creds,
                number(&params, "DurationSeconds", "durationSeconds")?,
                mfa,
            )?;
            wire::credentials(&session)
        }
    };
    Ok(Outgoing {
        status: 200,
        headers: vec![
            ("content-type", "text/xml".to_owned()),
            ("x-amzn-requestid", request_id.clone()),
        ],
        body: wire::sts_success(&action, &result, &request_id),
    })
}

/// Checks the MFA of a GetSessionToken call against the user's device.
fn session_mfa(
    world: &World,
    creds: &Credentials,
    serial: &str,
    code: &str,
) -> Result<bool, AwsError> {
    let device = match world.model.keys.get(&creds.access_key_id) {
        Some(KeyOwner::User(account, name)) => {
            world.model.user(account, name).and_then(|u| u.mfa.clone())
        }
        _ => None,
    };
    match device {
        Some(d) if d.serial == serial && d.code == code => Ok(true),
        Some(d) if d.serial == serial => Err(AwsError::mfa_wrong_code()),
        _ => Err(AwsError::mfa_unknown_serial()),
    }
}
