//! IAM's query-protocol XML for the read API, element for element as the
//! IAM API Reference gives `Role`, `UserDetail`, `RoleDetail`,
//! `ManagedPolicyDetail` and `MFADevice`: lists as `<member>` items, policy
//! documents URL-encoded (RFC 3986) as IAM sends them, timestamps in
//! ISO 8601. A world has no managed policies of its own, so a permissions
//! boundary is sent as a customer managed policy named for its owner
//! (`arn:aws:iam::ACCOUNT:policy/xacct-boundary/KIND-NAME`), listed among
//! `Policies`, which an import reads back as that owner's boundary.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::wire::element;
use crate::iam::{Policy, policy_to_json};
use crate::sim::{Account, Role, User};

/// What RFC 3986 leaves unescaped: letters, digits and `-._~`.
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A policy document as IAM sends it: its JSON, URL-encoded.
pub(super) fn document(policy: &Policy) -> String {
    let json = policy_to_json(policy).to_string();
    utf8_percent_encode(&json, ENCODED).to_string()
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

/// The boundary policy's ARN for an owner (`role`/`user` and its name).
pub(super) fn boundary_arn(account: &str, kind: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:policy/xacct-boundary/{kind}-{name}")
}

fn boundary(account: &str, kind: &str, name: &str, policy: Option<&Policy>) -> String {
    policy.map_or_else(String::new, |_| {
        format!(
            "<PermissionsBoundary>{}{}</PermissionsBoundary>",
            element("PermissionsBoundaryType", "PermissionsBoundaryPolicy"),
            element("PermissionsBoundaryArn", &boundary_arn(account, kind, name))
        )
    })
}

fn inline(policies: &[(String, Policy)]) -> Vec<String> {
    policies
        .iter()
        .map(|(name, p)| {
            format!(
                "{}{}",
                element("PolicyName", name),
                element("PolicyDocument", &document(p))
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

fn role_head(r: &Role, created: &str) -> String {
    let head = head("Role", &r.path, &r.name, &r.unique_id, &r.arn(), created);
    format!(
        "{head}{}",
        element("AssumeRolePolicyDocument", &document(&r.trust))
    )
}

/// A `Role` (GetRole, ListRoles): `created` is the world's clock.
pub(super) fn role(r: &Role, created: &str) -> String {
    format!(
        "{}{}{}",
        role_head(r, created),
        element("MaxSessionDuration", &r.max_session_duration.to_string()),
        boundary(&r.account, "role", &r.name, r.boundary.as_ref()),
    )
}

/// `Tags`: `<member><Key/><Value/></member>` items.
fn tags(tags: &std::collections::BTreeMap<String, String>) -> String {
    let members: Vec<String> = tags
        .iter()
        .map(|(k, v)| format!("{}{}", element("Key", k), element("Value", v)))
        .collect();
    list("Tags", &members)
}

/// `AttachedManagedPolicies`: `PolicyName` and `PolicyArn` of each.
fn attached(managed: &[(String, Policy)]) -> String {
    let members: Vec<String> = managed
        .iter()
        .map(|(arn, _)| {
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
pub(super) fn role_detail(r: &Role, created: &str) -> String {
    format!(
        "{}<InstanceProfileList/>{}{}{}{}",
        role_head(r, created),
        list("RolePolicyList", &inline(&r.policies)),
        attached(&r.managed),
        boundary(&r.account, "role", &r.name, r.boundary.as_ref()),
        tags(&r.tags),
    )
}

/// A `UserDetail` of GetAccountAuthorizationDetails.
pub(super) fn user_detail(u: &User, created: &str) -> String {
    format!(
        "{}{}<GroupList/>{}{}{}",
        head("User", &u.path, &u.name, &u.unique_id, &u.arn(), created),
        list("UserPolicyList", &inline(&u.policies)),
        attached(&u.managed),
        boundary(&u.account, "user", &u.name, u.boundary.as_ref()),
        tags(&u.tags),
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
fn policy_detail(
    (arn, id): (&str, &str),
    policy: &Policy,
    version: &str,
    (attachments, boundary_uses): (u32, u32),
    created: &str,
) -> String {
    let body = format!(
        "{}{}{}{}",
        element("Document", &document(policy)),
        element("VersionId", version),
        element("IsDefaultVersion", "true"),
        element("CreateDate", created)
    );
    format!(
        "{}{}{}{}{}{}{}{}{}{}{}",
        element("PolicyName", arn.rsplit('/').next().unwrap_or(arn)),
        element("PolicyId", id),
        element("Arn", arn),
        element("Path", &path_of(arn)),
        element("DefaultVersionId", version),
        element("AttachmentCount", &attachments.to_string()),
        element("PermissionsBoundaryUsageCount", &boundary_uses.to_string()),
        element("IsAttachable", "true"),
        element("CreateDate", created),
        element("UpdateDate", created),
        list("PolicyVersionList", &[body]),
    )
}

/// A `ManagedPolicyDetail` for a managed policy (customer managed of the
/// account, or AWS managed from the catalogue).
pub(super) fn managed_policy(arn: &str, policy: &Policy, version: &str, created: &str) -> String {
    let id = crate::sim::derived_id("ANPA", &[arn]);
    policy_detail((arn, &id), policy, version, (1, 0), created)
}

/// A `ManagedPolicyDetail` for a boundary (`kind` `user` or `role`).
pub(super) fn boundary_policy(
    account: &Account,
    kind: &str,
    name: &str,
    policy: &Policy,
    created: &str,
) -> String {
    let arn = boundary_arn(&account.id, kind, name);
    let id = crate::sim::derived_id("ANPA", &[&account.id, "boundary", kind, name]);
    policy_detail((&arn, &id), policy, "v1", (0, 1), created)
}
