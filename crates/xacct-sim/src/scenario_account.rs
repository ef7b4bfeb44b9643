//! The accounts of a scenario file: users, roles, the root user, buckets,
//! OIDC providers and customer managed policies, as written (unknown keys
//! refused).

use std::collections::BTreeMap;

use serde::Deserialize;

use xacct_iam::Document as Json;

/// One account.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct AccountSpec {
    /// A friendly name.
    pub alias: Option<String>,
    /// Whether the world holds only some of its principals (`xacct import`
    /// of a template or a plan): the analysis then stands in for the
    /// others, whose policies it does not know.
    pub partial: bool,
    /// IAM users by name.
    pub users: BTreeMap<String, UserSpec>,
    /// IAM roles by name.
    pub roles: BTreeMap<String, RoleSpec>,
    /// The root user's keys.
    pub root: Option<RootSpec>,
    /// The account's buckets.
    pub buckets: Vec<super::bucket_spec::BucketSpec>,
    /// IAM OIDC identity providers by issuer (host[/path], no `https://`).
    pub oidc_providers: BTreeMap<String, OidcProviderSpec>,
    /// Customer managed policies by name.
    pub managed_policies: BTreeMap<String, Json>,
    /// KMS keys by key id (or UUID), with their key policies.
    pub kms_keys: BTreeMap<String, super::bucket_spec::KmsKeySpec>,
}

/// An IAM OIDC identity provider.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcProviderSpec {
    /// The audiences IAM accepts for it (`ClientIDList`).
    pub client_ids: Vec<String>,
}

/// An access key pair.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySpec {
    /// The access key id.
    pub id: String,
    /// The secret access key.
    pub secret: String,
}

/// An MFA device and the code it shows "now".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MfaSpec {
    /// The device serial or ARN.
    pub serial: String,
    /// The current six-digit code. Absent in an imported world (no API
    /// returns it): then every code is refused as wrong, and the explanation
    /// says to add it.
    #[serde(default)]
    pub code: Option<String>,
}

/// An IAM user.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct UserSpec {
    /// The path (default `/`).
    pub path: Option<String>,
    /// Inline identity policies by name.
    pub policies: BTreeMap<String, Json>,
    /// A permissions boundary.
    pub permissions_boundary: Option<Json>,
    /// The long-term key; derived from account and name when absent.
    pub access_key: Option<KeySpec>,
    /// A virtual MFA device.
    pub mfa: Option<MfaSpec>,
    /// IAM tags.
    pub tags: BTreeMap<String, String>,
    /// Attached managed policies (ARNs).
    pub managed_policies: Vec<String>,
}

/// The root user.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct RootSpec {
    /// The root user's key.
    pub access_key: Option<KeySpec>,
}

/// An IAM role.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    /// The path (default `/`).
    #[serde(default)]
    pub path: Option<String>,
    /// The longest session, 3600..43200 (default 3600).
    #[serde(default)]
    pub max_session_duration: Option<u32>,
    /// Who may assume it.
    pub trust_policy: Json,
    /// Permission policies by name.
    #[serde(default)]
    pub policies: BTreeMap<String, Json>,
    /// A permissions boundary.
    #[serde(default)]
    pub permissions_boundary: Option<Json>,
    /// IAM tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Attached managed policies (ARNs).
    #[serde(default)]
    pub managed_policies: Vec<String>,
}
