//! IAM's query-protocol XML for the read API, element for element as the
//! IAM API Reference gives `Role`, `UserDetail`, `RoleDetail`,
//! `ManagedPolicyDetail` and `MFADevice`: lists as `<member>` items, policy
//! documents URL-encoded (RFC 3986) as IAM sends them, timestamps in
//! ISO 8601. What goes in them is the simulator's answer.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::wire::element;
use xacct_sim::{MfaDeviceView, PolicyView, RoleView, UserView};

/// What RFC 3986 leaves unescaped: letters, digits and `-._~`.
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A policy document as IAM sends it: its JSON, URL-encoded.
fn document(json: &str) -> String {
    utf8_percent_encode(json, ENCODED).to_string()
}

/// `<Name><member>..</member>...</Name>`, or `<Name/>` when empty.
pub(super) fn list(name: &str, members: &[String]) -> String {
    if members.is_empty() {
        return format!("<{name}/>");
    }
    let inner: String = members
        .iter()
        .map(|m| format!("<member>{m}</member>"))
        .collect();
    format!("<{name}>{inner}</{name}>")
}

fn boundary(arn: Option<&String>) -> String {
    arn.map_or_else(String::new, |arn| {
        format!(
            "<PermissionsBoundary>{}{}</PermissionsBoundary>",
            element("PermissionsBoundaryType", "PermissionsBoundaryPolicy"),
            element("PermissionsBoundaryArn", arn)
        )
    })
}

fn inline(policies: &[(String, String)]) -> Vec<String> {
    policies
        .iter()
        .map(|(name, json)| {
            format!(
                "{}{}",
                element("PolicyName", name),
                element("PolicyDocument", &document(json))
            )
        })
        .collect()
}

/// What every role and user element starts with: `Path`, the name, the
/// unique id, `Arn` and `CreateDate` (`kind` is `Role` or `User`).
fn head(kind: &str, path: &str, name: &str, id: &str, arn: &str, created: &str) -> String {
    let id_element = if kind == "Role" { "RoleId" } else { "UserId" };
    format!(
        "{}{}{}{}{}",
        element("Path", path),
        element(&format!("{kind}Name"), name),
        element(id_element, id),
        element("Arn", arn),
        element("CreateDate", created)
    )
}

fn role_head(r: &RoleView) -> String {
    let head = head("Role", &r.path, &r.name, &r.id, &r.arn, &r.created);
    format!(
        "{head}{}",
        element("AssumeRolePolicyDocument", &document(&r.trust))
    )
}

/// A `Role` (GetRole, ListRoles).
pub(super) fn role(r: &RoleView) -> String {
    format!(
        "{}{}{}",
        role_head(r),
        element("MaxSessionDuration", &r.max_session_duration.to_string()),
        boundary(r.boundary.as_ref()),
    )
}

/// `Tags`: `<member><Key/><Value/></member>` items.
fn tags(tags: &[(String, String)]) -> String {
    let members: Vec<String> = tags
        .iter()
        .map(|(k, v)| format!("{}{}", element("Key", k), element("Value", v)))
        .collect();
    list("Tags", &members)
}

/// `AttachedManagedPolicies`: `PolicyName` and `PolicyArn` of each.
fn attached(arns: &[String]) -> String {
    let members: Vec<String> = arns
        .iter()
        .map(|arn| {
            format!(
                "{}{}",
                element("PolicyName", arn.rsplit('/').next().unwrap_or(arn)),
                element("PolicyArn", arn)
            )
        })
        .collect();
    list("AttachedManagedPolicies", &members)
}

/// A `RoleDetail` of GetAccountAuthorizationDetails.
pub(super) fn role_detail(r: &RoleView) -> String {
    format!(
        "{}<InstanceProfileList/>{}{}{}{}",
        role_head(r),
        list("RolePolicyList", &inline(&r.inline)),
        attached(&r.attached),
        boundary(r.boundary.as_ref()),
        tags(&r.tags),
    )
}

/// A `UserDetail` of GetAccountAuthorizationDetails.
pub(super) fn user_detail(u: &UserView) -> String {
    format!(
        "{}{}<GroupList/>{}{}{}",
        head("User", &u.path, &u.name, &u.id, &u.arn, &u.created),
        list("UserPolicyList", &inline(&u.inline)),
        attached(&u.attached),
        boundary(u.boundary.as_ref()),
        tags(&u.tags),
    )
}

/// An `MFADevice` of ListMFADevices.
pub(super) fn mfa_device(d: &MfaDeviceView) -> String {
    format!(
        "{}{}{}",
        element("UserName", &d.user),
        element("SerialNumber", &d.serial),
        element("EnableDate", &d.enabled)
    )
}

/// The path of a managed policy ARN (`/` or `/job-function/`).
fn path_of(arn: &str) -> String {
    let resource = arn.split_once(":policy").map_or("/", |(_, r)| r);
    match resource.rfind('/') {
        Some(end) => resource[..=end].to_owned(),
        None => "/".to_owned(),
    }
}

/// A `ManagedPolicyDetail`: its name and path from its ARN, its one
/// (default) version, and how often it is attached and used as a boundary.
pub(super) fn policy_detail(p: &PolicyView) -> String {
    let created = &p.created;
    let body = format!(
        "{}{}{}{}",
        element("Document", &document(&p.document)),
        element("VersionId", &p.version),
        element("IsDefaultVersion", "true"),
        element("CreateDate", created)
    );
    let arn = &p.arn;
    format!(
        "{}{}{}{}{}{}{}{}{}{}{}",
        element("PolicyName", arn.rsplit('/').next().unwrap_or(arn)),
        element("PolicyId", &p.id),
        element("Arn", arn),
        element("Path", &path_of(arn)),
        element("DefaultVersionId", &p.version),
        element("AttachmentCount", &p.attachments.to_string()),
        element(
            "PermissionsBoundaryUsageCount",
            &p.boundary_uses.to_string()
        ),
        element("IsAttachable", "true"),
        element("CreateDate", created),
        element("UpdateDate", created),
        list("PolicyVersionList", &[body]),
    )
}
