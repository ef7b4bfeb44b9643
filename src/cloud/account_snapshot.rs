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
    /// Buckets: name and creation date (RFC 3339).
    pub buckets: Vec<(String, Option<String>)>,
}
