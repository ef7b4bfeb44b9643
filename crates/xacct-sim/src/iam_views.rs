//! What the IAM read API answers with, as data: roles, users, managed
//! policies, MFA devices and OIDC providers as IAM describes them (policy
//! documents as JSON text, ARNs and ids worked out), built from the model
//! so that no face needs the model itself. A world has no managed policies
//! of its own for boundaries, so a permissions boundary is described as a
//! customer managed policy named for its owner
//! (`arn:aws:iam::ACCOUNT:policy/xacct-boundary/KIND-NAME`), which an
//! import reads back as that owner's boundary.

use super::keys::derived_id;

/// When a world's users, roles, MFA devices, OIDC providers and customer
/// managed policies (and, unless a scenario says otherwise, its buckets)
/// were created: a fixed time before any scenario's clock, so that IAM's
/// `CreateDate` and S3's `CreationDate` are the same in every answer, as
/// AWS's are.
pub(crate) const WORLD_CREATED: &str = "2020-01-01T00:00:00Z";
use super::model::{Account, OidcProvider, Role, User};
use xacct_iam::{Policy, policy_to_json};

/// A role as GetRole, ListRoles and GetAccountAuthorizationDetails give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleView {
    /// `Path`.
    pub path: String,
    /// `RoleName`.
    pub name: String,
    /// `RoleId` (`AROA...`).
    pub id: String,
    /// `Arn`.
    pub arn: String,
    /// `AssumeRolePolicyDocument`, as JSON.
    pub trust: String,
    /// `MaxSessionDuration`.
    pub max_session_duration: u32,
    /// `PermissionsBoundary.PermissionsBoundaryArn`.
    pub boundary: Option<String>,
    /// `RolePolicyList`: name and JSON document of each inline policy.
    pub inline: Vec<(String, String)>,
    /// `AttachedManagedPolicies`: the ARN of each.
    pub attached: Vec<String>,
    /// `Tags`.
    pub tags: Vec<(String, String)>,
    /// `CreateDate` (RFC 3339).
    pub created: String,
}

/// A user as GetAccountAuthorizationDetails gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserView {
    /// `Path`.
    pub path: String,
    /// `UserName`.
    pub name: String,
    /// `UserId` (`AIDA...`).
    pub id: String,
    /// `Arn`.
    pub arn: String,
    /// `PermissionsBoundary.PermissionsBoundaryArn`.
    pub boundary: Option<String>,
    /// `UserPolicyList`: name and JSON document of each inline policy.
    pub inline: Vec<(String, String)>,
    /// `AttachedManagedPolicies`: the ARN of each.
    pub attached: Vec<String>,
    /// `Tags`.
    pub tags: Vec<(String, String)>,
    /// `CreateDate` (RFC 3339).
    pub created: String,
}

/// A `ManagedPolicyDetail`: one managed policy and its default version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyView {
    /// `Arn` (its name and path are the ARN's).
    pub arn: String,
    /// `PolicyId` (`ANPA...`).
    pub id: String,
    /// The default version's document, as JSON.
    pub document: String,
    /// `DefaultVersionId`.
    pub version: String,
    /// `AttachmentCount`.
    pub attachments: u32,
    /// `PermissionsBoundaryUsageCount`.
    pub boundary_uses: u32,
    /// When the policy and its version were created (RFC 3339): an AWS
    /// managed policy's from the catalogue, else [`WORLD_CREATED`].
    pub created: String,
}

/// An MFA device of ListMFADevices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaDeviceView {
    /// `UserName`.
    pub user: String,
    /// `SerialNumber`.
    pub serial: String,
    /// `EnableDate` (RFC 3339).
    pub enabled: String,
}

/// GetOpenIDConnectProvider's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcProviderView {
    /// `Url`: the issuer, host[/path].
    pub url: String,
    /// `ClientIDList`.
    pub client_ids: Vec<String>,
    /// `CreateDate` (RFC 3339).
    pub created: String,
}

fn json(policy: &Policy) -> String {
    policy_to_json(policy).to_string()
}

fn inline(policies: &[(String, Policy)]) -> Vec<(String, String)> {
    policies.iter().map(|(n, p)| (n.clone(), json(p))).collect()
}

fn attached(managed: &[(String, Policy)]) -> Vec<String> {
    managed.iter().map(|(arn, _)| arn.clone()).collect()
}

fn tags(tags: &std::collections::BTreeMap<String, String>) -> Vec<(String, String)> {
    tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// The boundary policy's ARN for an owner (`role`/`user` and its name).
fn boundary_arn(account: &str, kind: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:policy/xacct-boundary/{kind}-{name}")
}

impl RoleView {
    pub(crate) fn of(r: &Role) -> Self {
        Self {
            path: r.path.clone(),
            name: r.name.clone(),
            id: r.unique_id.clone(),
            arn: r.arn(),
            trust: json(&r.trust),
            max_session_duration: r.max_session_duration,
            boundary: r
                .boundary
                .as_ref()
                .map(|_| boundary_arn(&r.account, "role", &r.name)),
            inline: inline(&r.policies),
            attached: attached(&r.managed),
            tags: tags(&r.tags),
            created: WORLD_CREATED.to_owned(),
        }
    }
}

impl MfaDeviceView {
    /// The device of `user`, when it has one.
    pub(crate) fn of(user: &User) -> Option<Self> {
        user.mfa.as_ref().map(|d| Self {
            user: user.name.clone(),
            serial: d.serial.clone(),
            enabled: WORLD_CREATED.to_owned(),
        })
    }
}

impl OidcProviderView {
    pub(crate) fn of(provider: &OidcProvider) -> Self {
        Self {
            url: provider.issuer.clone(),
            client_ids: provider.client_ids.clone(),
            created: WORLD_CREATED.to_owned(),
        }
    }
}

impl UserView {
    pub(crate) fn of(u: &User) -> Self {
        Self {
            path: u.path.clone(),
            name: u.name.clone(),
            id: u.unique_id.clone(),
            arn: u.arn(),
            boundary: u
                .boundary
                .as_ref()
                .map(|_| boundary_arn(&u.account, "user", &u.name)),
            inline: inline(&u.policies),
            attached: attached(&u.managed),
            tags: tags(&u.tags),
            created: WORLD_CREATED.to_owned(),
        }
    }
}

/// Every managed policy an account's GetAccountAuthorizationDetails lists
/// for the filters wanted: boundaries and customer managed policies
/// (`LocalManagedPolicy`), then the AWS managed ones attached
/// (`AWSManagedPolicy`).
pub(crate) fn policies(account: &Account, local: bool, aws: bool) -> Vec<PolicyView> {
    let mut out = Vec::new();
    if local {
        let boundary = |kind: &str, name: &str, policy: &Policy| PolicyView {
            arn: boundary_arn(&account.id, kind, name),
            id: derived_id("ANPA", &[&account.id, "boundary", kind, name]),
            document: json(policy),
            version: "v1".to_owned(),
            attachments: 0,
            boundary_uses: 1,
            created: WORLD_CREATED.to_owned(),
        };
        let users = account
            .users
            .values()
            .filter_map(|u| Some(boundary("user", &u.name, u.boundary.as_ref()?)));
        let roles = account
            .roles
            .values()
            .filter_map(|r| Some(boundary("role", &r.name, r.boundary.as_ref()?)));
        out.extend(users.chain(roles));
        out.extend(account.managed_policies.iter().map(|(name, policy)| {
            let arn = format!("arn:aws:iam::{}:policy/{name}", account.id);
            managed(arn, policy, "v1", WORLD_CREATED.to_owned())
        }));
    }
    if aws {
        out.extend(
            account
                .attached_aws_managed()
                .into_iter()
                .map(|p| managed(p.arn.to_owned(), &p.policy, &p.version, p.created.clone())),
        );
    }
    out
}

fn managed(arn: String, policy: &Policy, version: &str, created: String) -> PolicyView {
    PolicyView {
        id: derived_id("ANPA", &[&arn]),
        arn,
        document: json(policy),
        version: version.to_owned(),
        attachments: 1,
        boundary_uses: 0,
        created,
    }
}
