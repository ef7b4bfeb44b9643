//! What a live import reads from one account, before it becomes part of a
//! world.

use std::collections::BTreeMap;

/// One account's IAM and buckets as the IAM and S3 read APIs answered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountSnapshot {
    /// The 12-digit account id (from GetCallerIdentity).
    pub account: String,
    /// GetAccountAuthorizationDetails, every page joined, in the AWS CLI's
    /// JSON shape (policy documents URL-encoded as IAM sends them).
    pub authorization_details: serde_json::Value,
    /// Each role's `MaxSessionDuration` (ListRoles), by role name.
    pub max_session_durations: BTreeMap<String, u32>,
    /// Each user's MFA device serial (ListMFADevices), by user name.
    pub mfa_serials: BTreeMap<String, String>,
    /// OIDC providers: issuer (host[/path]) and client ids.
    pub oidc_providers: BTreeMap<String, Vec<String>>,
    /// The account alias.
    pub alias: Option<String>,
    /// Buckets with what decides access to their data.
    pub buckets: Vec<BucketFacts>,
    /// Customer managed KMS keys of the region: key id and key policy.
    pub kms_keys: BTreeMap<String, serde_json::Value>,
    /// What could not be read, one sentence each.
    pub notes: Vec<String>,
}

/// What an import knows of a bucket: its name, and whatever its source
/// tells of what decides access to its data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BucketFacts {
    /// The name.
    pub name: String,
    /// When it was created (RFC 3339).
    pub created: Option<String>,
    /// Its region (GetBucketLocation; `us-east-1` for an empty constraint).
    pub region: Option<String>,
    /// The bucket policy.
    pub policy: Option<serde_json::Value>,
    /// Object Ownership (`BucketOwnerEnforced`, ...).
    pub ownership: Option<String>,
    /// Block Public Access, in S3's order (BlockPublicAcls,
    /// IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets).
    pub public_access_block: Option<[bool; 4]>,
    /// The default SSE-KMS key (an ARN, a key id or an alias as written).
    pub kms_key: Option<String>,
}

impl BucketFacts {
    /// A bucket known by its name alone.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }
}

/// What a live import reads of an organization: the tree with each node's
/// attached SCP and RCP names, and the documents of the policies they name
/// (the built-in `FullAWSAccess` / `RCPFullAWSAccess` left out).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgSnapshot {
    /// `o-...`.
    pub id: String,
    /// The management account.
    pub management: String,
    /// Customer SCPs and RCPs by name: their documents (JSON).
    pub policies: BTreeMap<String, serde_json::Value>,
    /// The root and, below it, the OUs.
    pub root: OrgUnitSnapshot,
    /// Accounts' own attachments: (SCP names, RCP names).
    pub account_policies: BTreeMap<String, (Vec<String>, Vec<String>)>,
}

/// The root or an OU.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgUnitSnapshot {
    /// `r-...` / `ou-...`.
    pub id: String,
    /// Attached SCP names.
    pub scps: Vec<String>,
    /// Attached RCP names.
    pub rcps: Vec<String>,
    /// Accounts directly under it.
    pub accounts: Vec<String>,
    /// OUs directly under it, by name.
    pub units: BTreeMap<String, OrgUnitSnapshot>,
}
