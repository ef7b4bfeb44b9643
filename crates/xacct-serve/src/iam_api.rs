//! The IAM read API over the query protocol (version 2010-05-08):
//! `GetAccountAuthorizationDetails` (with `Filter`), `GetRole`, `ListRoles`,
//! `ListMFADevices`, `ListOpenIDConnectProviders`,
//! `GetOpenIDConnectProvider` and `ListAccountAliases`, decoded into the
//! world's typed request and its answer encoded in IAM's XML. Who may
//! read, what is listed and how it is paged are the world's.

use super::endpoint::Endpoint;
use super::iam_wire::{list, mfa_device, policy_detail, role, role_detail, user_detail};
use super::request::{Incoming, Outgoing, param};
use super::{reply, wire};
use xacct_sim::{
    Answer, AwsError, IamPaging, IamRequest, IamResponse, Page, Principal, Request, RequestId,
    Response, Service, missing,
};

/// The operations this endpoint speaks.
const ACTIONS: [&str; 7] = [
    "GetAccountAuthorizationDetails",
    "GetRole",
    "ListRoles",
    "ListMFADevices",
    "ListOpenIDConnectProviders",
    "GetOpenIDConnectProvider",
    "ListAccountAliases",
];

/// The world's answer to an authenticated IAM request.
pub(super) fn answer(endpoint: &Endpoint, req: &Incoming, who: &Principal) -> Answer<Outgoing> {
    let params = req.form();
    let action = param(params, "Action").unwrap_or_default();
    let refuse = |error: AwsError, why: &str| endpoint.refuse(who, error, why);
    if let Some(version) = param(params, "Version").filter(|v| *v != "2010-05-08") {
        return refuse(
            AwsError::new(
                "InvalidAction",
                400,
                format!("Could not find operation {action} for version {version}"),
            ),
            "IAM speaks API version 2010-05-08",
        );
    }
    if !ACTIONS.contains(&action) {
        return refuse(
            AwsError::new(
                "InvalidAction",
                400,
                "The action or operation requested is invalid. Verify that the action is typed correctly.",
            ),
            "this endpoint speaks IAM's read API: GetAccountAuthorizationDetails, GetRole, ListRoles, ListMFADevices, ListOpenIDConnectProviders, GetOpenIDConnectProvider, ListAccountAliases",
        );
    }
    let request = match decode(action, params) {
        Ok(request) => request,
        Err((error, why)) => return refuse(error, why),
    };
    let world = &endpoint.world;
    world
        .call(who, Request::Iam(request))
        .map_with_id(|response, id| encode(id, action, response))
}

/// The typed request a call's parameters make, or why they do not.
fn decode(
    action: &str,
    params: &[(String, String)],
) -> Result<IamRequest, (AwsError, &'static str)> {
    let text = |name: &str| param(params, name).map(str::to_owned);
    let paging = || IamPaging {
        max_items: text("MaxItems"),
        marker: text("Marker"),
    };
    Ok(match action {
        "GetAccountAuthorizationDetails" => IamRequest::GetAccountAuthorizationDetails {
            filter: params
                .iter()
                .filter(|(k, _)| k.starts_with("Filter.member."))
                .map(|(_, v)| v.clone())
                .collect(),
            paging: paging(),
        },
        "GetRole" => IamRequest::GetRole {
            name: text("RoleName").ok_or((missing("roleName"), "GetRole needs RoleName"))?,
        },
        "ListRoles" => IamRequest::ListRoles {
            path_prefix: text("PathPrefix"),
            paging: paging(),
        },
        "ListMFADevices" => IamRequest::ListMfaDevices {
            user: text("UserName"),
            paging: paging(),
        },
        "ListOpenIDConnectProviders" => IamRequest::ListOpenIdConnectProviders,
        "GetOpenIDConnectProvider" => IamRequest::GetOpenIdConnectProvider {
            arn: text("OpenIDConnectProviderArn").ok_or((
                missing("openIDConnectProviderArn"),
                "GetOpenIDConnectProvider needs OpenIDConnectProviderArn",
            ))?,
        },
        _ => IamRequest::ListAccountAliases,
    })
}

/// `IsTruncated` and, while more remain, the next page's `Marker`.
fn tail(next: Option<&String>) -> String {
    match next {
        Some(marker) => format!(
            "{}{}",
            wire::element("IsTruncated", "true"),
            wire::element("Marker", marker)
        ),
        None => wire::element("IsTruncated", "false"),
    }
}

/// A listing's result element content: the list and its tail.
fn listing<T>(name: &str, page: &Page<T>, item: impl Fn(&T) -> String) -> String {
    let items: Vec<String> = page.items.iter().map(item).collect();
    format!(
        "    {}\n    {}\n",
        list(name, &items),
        tail(page.next.as_ref())
    )
}

/// An IAM read call's output in IAM's XML.
fn encode(id: RequestId, action: &str, response: Response) -> Outgoing {
    let el = wire::element;
    let Response::Iam(response) = response else {
        return reply::mismatched(id, Service::Iam, action, &response);
    };
    let xml = match response {
        IamResponse::AuthorizationDetails {
            users,
            roles,
            policies,
            next,
        } => {
            let users: Vec<String> = users.iter().map(user_detail).collect();
            let roles: Vec<String> = roles.iter().map(role_detail).collect();
            let policies: Vec<String> = policies.iter().map(policy_detail).collect();
            format!(
                "    {}\n    <GroupDetailList/>\n    {}\n    {}\n    {}\n",
                list("UserDetailList", &users),
                list("RoleDetailList", &roles),
                list("Policies", &policies),
                tail(next.as_ref()),
            )
        }
        IamResponse::Role(r) => format!("    <Role>{}</Role>\n", role(&r)),
        IamResponse::Roles(page) => listing("Roles", &page, role),
        IamResponse::MfaDevices(page) => listing("MFADevices", &page, mfa_device),
        IamResponse::OidcProviders(arns) => {
            let arns: Vec<String> = arns.iter().map(|a| el("Arn", a)).collect();
            format!("    {}\n", list("OpenIDConnectProviderList", &arns))
        }
        IamResponse::OidcProvider(provider) => {
            let ids: Vec<String> = provider.client_ids.iter().map(|c| wire::xml(c)).collect();
            format!(
                "    {}\n    {}\n    <ThumbprintList/>\n    {}\n",
                el("Url", &provider.url),
                list("ClientIDList", &ids),
                el("CreateDate", &provider.created)
            )
        }
        IamResponse::AccountAliases(aliases) => {
            let aliases: Vec<String> = aliases.iter().map(|a| wire::xml(a)).collect();
            format!(
                "    {}\n    {}\n",
                list("AccountAliases", &aliases),
                el("IsTruncated", "false")
            )
        }
    };
    reply::query(id, Service::Iam, action, &xml)
}
