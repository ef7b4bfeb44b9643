//! The STS query protocol: `Action=...` parameters from the form body or the
//! query string, decoded for the world's operation, answered in STS's XML.

use super::endpoint::Endpoint;
use super::request::{Incoming, Outgoing, param};
use super::{reply, wire};
use xacct_aws::cloud::{AssumeRoleRequest, MfaToken};
use xacct_sim::{
    Answer, AwsError, FederationRequest, Principal, Request, RequestId, Response, Service, missing,
};

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
fn source_identity(value: Option<&str>) -> String {
    value
        .map(|v| format!("    {}\n", wire::element("SourceIdentity", v)))
        .unwrap_or_default()
}

/// The world's answer to an authenticated STS request.
pub(super) fn answer(endpoint: &Endpoint, req: &Incoming, who: &Principal) -> Answer<Outgoing> {
    let params = req.form();
    let action = param(params, "Action").unwrap_or_default();
    if let Some(version) = param(params, "Version").filter(|v| *v != "2011-06-15") {
        return endpoint.refuse(
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
        return endpoint.refuse(
            who,
            AwsError::new(
                "InvalidAction",
                400,
                "The action or operation requested is invalid. Verify that the action is typed correctly.",
            ),
            "this endpoint speaks AssumeRole, AssumeRoleWithWebIdentity (unsigned), GetAccessKeyInfo, GetCallerIdentity, GetFederationToken and GetSessionToken",
        );
    }
    let world = &endpoint.world;
    match decode(action, params) {
        Ok(request) => world
            .call(who, request)
            .map_with_id(|response, id| encode(id, action, response)),
        Err(err) => endpoint.refuse(who, err, "a parameter is missing or not a number"),
    }
}

/// The operation a signed STS request asks for, decoded from its
/// parameters; `Err` when they cannot be.
fn decode(action: &str, params: &[(String, String)]) -> Result<Request, AwsError> {
    Ok(match action {
        "AssumeRole" => Request::AssumeRole(AssumeRoleRequest {
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
        }),
        "GetAccessKeyInfo" => Request::GetAccessKeyInfo {
            access_key_id: required(params, "AccessKeyId", "accessKeyId")?.to_owned(),
        },
        "GetCallerIdentity" => Request::GetCallerIdentity,
        "GetFederationToken" => Request::GetFederationToken(FederationRequest {
            name: required(params, "Name", "name")?.to_owned(),
            duration_seconds: number(params, "DurationSeconds", "durationSeconds")?,
            policy: param(params, "Policy").map(str::to_owned),
            tags: super::sts_lists::tags(params),
            policy_arns: super::sts_lists::policy_arns(params),
        }),
        _ => Request::GetSessionToken {
            duration_seconds: number(params, "DurationSeconds", "durationSeconds")?,
            mfa: mfa(params),
        },
    })
}

/// An STS operation's output in STS's XML, the `{action}Result` element.
pub(super) fn encode(id: RequestId, action: &str, response: Response) -> Outgoing {
    let result = match response {
        Response::AssumedRole(assumed) => {
            let packed = packed(assumed.packed_policy_size);
            let user = format!(
                "    <AssumedRoleUser>\n      {}\n      {}\n    </AssumedRoleUser>\n",
                wire::element("AssumedRoleId", &assumed.assumed_role_id),
                wire::element("Arn", &assumed.arn),
            );
            let credentials = wire::credentials(&assumed.credentials);
            let source = source_identity(assumed.source_identity.as_deref());
            match &assumed.web_identity {
                None => format!("{user}{credentials}{packed}{source}"),
                Some(web) => format!(
                    "    {}\n    {}\n{user}{credentials}{packed}    {}\n{source}",
                    wire::element("SubjectFromWebIdentityToken", &web.subject),
                    wire::element("Audience", &web.audience),
                    wire::element("Provider", &web.provider),
                ),
            }
        }
        Response::AccessKeyInfo(account) => format!("    {}\n", wire::element("Account", &account)),
        Response::CallerIdentity(id) => format!(
            "    {}\n    {}\n    {}\n",
            wire::element("Arn", &id.arn),
            wire::element("UserId", &id.user_id),
            wire::element("Account", &id.account)
        ),
        Response::FederationToken(fed) => format!(
            "{}    <FederatedUser>\n      {}\n      {}\n    </FederatedUser>\n{}",
            wire::credentials(&fed.credentials),
            wire::element("FederatedUserId", &fed.federated_user_id),
            wire::element("Arn", &fed.arn),
            packed(fed.packed_policy_size),
        ),
        Response::SessionToken(creds) => wire::credentials(&creds),
        other => return reply::mismatched(id, Service::Sts, action, &other),
    };
    reply::sts(id, action, &result)
}
