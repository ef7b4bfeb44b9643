//! The IAM read API over the query protocol (version 2010-05-08):
//! `GetAccountAuthorizationDetails` (with `Filter`), `GetRole`, `ListRoles`,
//! `ListMFADevices`, `ListOpenIDConnectProviders`,
//! `GetOpenIDConnectProvider` and `ListAccountAliases`, paged with
//! `MaxItems` (1 to 1000, default 100) and an opaque `Marker` as IAM pages
//! them; the world decides who may read.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::endpoint::Endpoint;
use super::iam_wire::{boundary_policy, list, managed_policy, role, role_detail, user_detail};
use super::request::{Incoming, Outgoing, param};
use super::{reply, wire};
use crate::sim::{Account, Answer, AwsError, IamTarget, Principal, Service, Why, missing};
use crate::timestamp;

/// The operations this endpoint speaks, and the permission each needs.
const ACTIONS: [&str; 7] = [
    "GetAccountAuthorizationDetails",
    "GetRole",
    "ListRoles",
    "ListMFADevices",
    "ListOpenIDConnectProviders",
    "GetOpenIDConnectProvider",
    "ListAccountAliases",
];

/// One page of a listing: where it starts and how long it may be.
struct Paging {
    start: usize,
    max: usize,
}

fn paging(params: &[(String, String)]) -> Result<Paging, AwsError> {
    let max = match param(params, "MaxItems") {
        None => 100,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=1000).contains(&n) => n,
            _ => {
                return Err(AwsError::validation(&[format!(
                    "Value '{v}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000"
                )]));
            }
        },
    };
    let start = match param(params, "Marker") {
        None => 0,
        Some(m) => STANDARD
            .decode(m)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.strip_prefix("xacct:")?.parse::<usize>().ok())
            .ok_or_else(|| AwsError::new("InvalidInput", 400, "Invalid Marker."))?,
    };
    Ok(Paging { start, max })
}

/// The page of `items`, `IsTruncated` and the `Marker` of the next page.
fn page<T>(items: Vec<T>, paging: &Paging) -> (Vec<T>, String) {
    let total = items.len();
    let end = paging.start.saturating_add(paging.max).min(total);
    let taken: Vec<T> = items
        .into_iter()
        .skip(paging.start)
        .take(end.saturating_sub(paging.start))
        .collect();
    let tail = if end < total {
        format!(
            "{}{}",
            wire::element("IsTruncated", "true"),
            wire::element("Marker", &STANDARD.encode(format!("xacct:{end}")))
        )
    } else {
        wire::element("IsTruncated", "false")
    };
    (taken, tail)
}

/// Which of GetAccountAuthorizationDetails's four lists an entry is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Listed {
    User,
    Role,
    Policy,
}

fn authorization_details(
    account: &Account,
    params: &[(String, String)],
    created: &str,
) -> Result<String, AwsError> {
    let filters: Vec<&str> = params
        .iter()
        .filter(|(k, _)| k.starts_with("Filter.member."))
        .map(|(_, v)| v.as_str())
        .collect();
    for f in &filters {
        if ![
            "User",
            "Role",
            "Group",
            "LocalManagedPolicy",
            "AWSManagedPolicy",
        ]
        .contains(f)
        {
            return Err(AwsError::validation(&[format!(
                "Value '[{f}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]]"
            )]));
        }
    }
    let wanted = |f: &str| filters.is_empty() || filters.contains(&f);
    let mut entries: Vec<(Listed, String)> = Vec::new();
    if wanted("User") {
        entries.extend(
            account
                .users
                .values()
                .map(|u| (Listed::User, user_detail(u, created))),
        );
    }
    if wanted("Role") {
        entries.extend(
            account
                .roles
                .values()
                .map(|r| (Listed::Role, role_detail(r, created))),
        );
    }
    if wanted("LocalManagedPolicy") {
        let users = account.users.values().filter_map(|u| {
            let b = u.boundary.as_ref()?;
            Some(boundary_policy(account, "user", &u.name, b, created))
        });
        let roles = account.roles.values().filter_map(|r| {
            let b = r.boundary.as_ref()?;
            Some(boundary_policy(account, "role", &r.name, b, created))
        });
        entries.extend(users.chain(roles).map(|p| (Listed::Policy, p)));
        entries.extend(account.managed_policies.iter().map(|(name, policy)| {
            let arn = format!("arn:aws:iam::{}:policy/{name}", account.id);
            (Listed::Policy, managed_policy(&arn, policy, "v1", created))
        }));
    }
    if wanted("AWSManagedPolicy") {
        entries.extend(account.attached_aws_managed().into_iter().map(|aws| {
            (
                Listed::Policy,
                managed_policy(aws.arn, &aws.policy, &aws.version, &aws.created),
            )
        }));
    }
    let (taken, tail) = page(entries, &paging(params)?);
    let of = |kind: Listed| -> Vec<String> {
        taken
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, xml)| xml.clone())
            .collect()
    };
    Ok(format!(
        "    {}\n    <GroupDetailList/>\n    {}\n    {}\n    {tail}\n",
        list("UserDetailList", &of(Listed::User)),
        list("RoleDetailList", &of(Listed::Role)),
        list("Policies", &of(Listed::Policy)),
    ))
}

/// The target a call names, for its permission check.
fn target<'a>(action: &str, params: &'a [(String, String)], who: &'a Principal) -> IamTarget<'a> {
    match action {
        "GetRole" => IamTarget::Role(param(params, "RoleName").unwrap_or_default()),
        "ListRoles" => IamTarget::Roles,
        "ListMFADevices" => match param(params, "UserName") {
            Some(name) => IamTarget::User(name),
            None => who.user_name().map_or(IamTarget::Account, IamTarget::User),
        },
        _ => IamTarget::Account,
    }
}

/// The world's answer to an authenticated IAM request.
pub(super) fn answer(endpoint: &Endpoint, req: &Incoming, who: &Principal) -> Answer<Outgoing> {
    let params = req.form();
    let action = param(&params, "Action").unwrap_or_default();
    let refuse =
        |error: AwsError, why: &str| Answer::refused(who.who().clone(), error, Why::rule(why));
    if let Some(version) = param(&params, "Version").filter(|v| *v != "2010-05-08") {
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
    if action == "GetRole" && param(&params, "RoleName").is_none() {
        return refuse(missing("roleName"), "GetRole needs RoleName");
    }
    if let Some(err) = endpoint.world.fault(&format!("iam:{action}")) {
        return refuse(err, "a fault scripted in the scenario");
    }
    let world = &endpoint.world;
    let created = timestamp::rfc3339(world.now());
    let read = world.iam_read(who, &format!("iam:{action}"), target(action, &params, who));
    let Answer {
        result,
        caller,
        why,
    } = read;
    let result = result.and_then(|account| body(account, action, &params, who, &created));
    Answer {
        result: result.map(|xml| reply::query(world, Service::Iam, action, &xml)),
        caller,
        why,
    }
}

/// The result element's content for an allowed call.
fn body(
    account: &Account,
    action: &str,
    params: &[(String, String)],
    who: &Principal,
    created: &str,
) -> Result<String, AwsError> {
    let el = wire::element;
    Ok(match action {
        "GetAccountAuthorizationDetails" => authorization_details(account, params, created)?,
        "GetRole" => {
            let name = param(params, "RoleName").unwrap_or_default();
            let r = account.roles.get(name).ok_or_else(|| missing("roleName"))?;
            format!("    <Role>{}</Role>\n", role(r, created))
        }
        "ListRoles" => {
            let prefix = param(params, "PathPrefix").unwrap_or("/");
            let roles: Vec<String> = account
                .roles
                .values()
                .filter(|r| r.path.starts_with(prefix))
                .map(|r| role(r, created))
                .collect();
            let (taken, tail) = page(roles, &paging(params)?);
            format!("    {}\n    {tail}\n", list("Roles", &taken))
        }
        "ListMFADevices" => {
            let name = match param(params, "UserName") {
                Some(name) => Some(name),
                None => who.user_name(),
            };
            let devices: Vec<String> = name
                .and_then(|n| account.users.get(n))
                .and_then(|u| u.mfa.as_ref().map(|d| (u, d)))
                .map(|(u, d)| {
                    format!(
                        "{}{}{}",
                        el("UserName", &u.name),
                        el("SerialNumber", &d.serial),
                        el("EnableDate", created)
                    )
                })
                .into_iter()
                .collect();
            let (taken, tail) = page(devices, &paging(params)?);
            format!("    {}\n    {tail}\n", list("MFADevices", &taken))
        }
        "ListOpenIDConnectProviders" => {
            let arns: Vec<String> = account
                .oidc_providers
                .keys()
                .map(|issuer| {
                    el(
                        "Arn",
                        &format!("arn:aws:iam::{}:oidc-provider/{issuer}", account.id),
                    )
                })
                .collect();
            format!("    {}\n", list("OpenIDConnectProviderList", &arns))
        }
        "GetOpenIDConnectProvider" => {
            let arn = param(params, "OpenIDConnectProviderArn")
                .ok_or_else(|| missing("openIDConnectProviderArn"))?;
            let prefix = format!("arn:aws:iam::{}:oidc-provider/", account.id);
            let provider = arn
                .strip_prefix(&prefix)
                .and_then(|issuer| account.oidc_providers.get(issuer))
                .ok_or_else(|| {
                    AwsError::no_such_entity(&format!(
                        "OpenIDConnect Provider not found for arn {arn}"
                    ))
                })?;
            let ids: Vec<String> = provider.client_ids.iter().map(|c| wire::xml(c)).collect();
            format!(
                "    {}\n    {}\n    <ThumbprintList/>\n    {}\n",
                el("Url", &provider.issuer),
                list("ClientIDList", &ids),
                el("CreateDate", created)
            )
        }
        _ => {
            let aliases: Vec<String> = account.alias.iter().map(|a| wire::xml(a)).collect();
            format!(
                "    {}\n    {}\n",
                list("AccountAliases", &aliases),
                el("IsTruncated", "false")
            )
        }
    })
}
