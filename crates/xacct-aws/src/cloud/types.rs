//! The values that cross the STS/S3 seam.

use std::time::SystemTime;

use crate::secret::Secret;

/// AWS credentials: long-term (access key id and secret) or temporary (with a
/// session token and an expiration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The access key id (`AKIA...` long-term, `ASIA...` temporary). Not a
    /// secret: AWS shows it in errors and logs.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: Secret,
    /// The session token of temporary credentials.
    pub session_token: Option<Secret>,
    /// When temporary credentials stop working.
    pub expiration: Option<SystemTime>,
}

impl Credentials {
    /// Long-term credentials: an access key id and its secret.
    pub fn long_term(access_key_id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: Secret::new(secret),
            session_token: None,
            expiration: None,
        }
    }
}

/// An MFA device serial (or virtual device ARN) and the code it shows now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaToken {
    /// `SerialNumber`: a hardware serial or `arn:aws:iam::ACCOUNT:mfa/NAME`.
    pub serial: String,
    /// `TokenCode`: the six-digit one-time code.
    pub code: String,
}

/// The parameters of `sts:AssumeRole`, as AWS names them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssumeRoleRequest {
    /// `RoleArn`.
    pub role_arn: String,
    /// `RoleSessionName`.
    pub session_name: String,
    /// `DurationSeconds`; AWS defaults to 3600.
    pub duration_seconds: Option<i32>,
    /// `ExternalId`.
    pub external_id: Option<String>,
    /// `SerialNumber` and `TokenCode`.
    pub mfa: Option<MfaToken>,
    /// `Policy`: an inline session policy (JSON).
    pub session_policy: Option<String>,
    /// `SourceIdentity`: who stands behind the session, kept through chains.
    pub source_identity: Option<String>,
    /// `Tags`: session tags, in the order given.
    pub tags: Vec<Tag>,
    /// `TransitiveTagKeys`: the session tags later sessions of a role chain inherit.
    pub transitive_tag_keys: Vec<String>,
    /// `PolicyArns`: managed policies used as session policies.
    pub policy_arns: Vec<String>,
}

/// A session tag (`Tags.member.N`): a key and its value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tag {
    /// `Key`.
    pub key: String,
    /// `Value`.
    pub value: String,
}

impl Tag {
    /// A tag from its key and value.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// What `sts:AssumeRole` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumedRole {
    /// The temporary credentials.
    pub credentials: Credentials,
    /// `AssumedRoleUser.Arn`: `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    pub arn: String,
    /// `AssumedRoleUser.AssumedRoleId`: `ROLEID:SESSION`.
    pub assumed_role_id: String,
    /// `PackedPolicySize`, a percentage of the allowed size, when AWS sent it.
    pub packed_policy_size: Option<i32>,
    /// What AssumeRoleWithWebIdentity adds; `None` for AssumeRole.
    pub web_identity: Option<WebIdentityAnswer>,
    /// The request id AWS answered with, when the answer came over the wire.
    pub request_id: Option<String>,
    /// `SourceIdentity`: the source identity the session carries, when AWS sent one.
    pub source_identity: Option<String>,
}

/// What `sts:AssumeRoleWithWebIdentity` returns beside the role session.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WebIdentityAnswer {
    /// `SubjectFromWebIdentityToken`: the token's `sub`.
    pub subject: String,
    /// `Provider`: who issued the token.
    pub provider: String,
    /// `Audience`: the token's audience (its client id).
    pub audience: String,
}

/// What `sts:GetCallerIdentity` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerIdentity {
    /// The 12-digit account id.
    pub account: String,
    /// The caller's ARN.
    pub arn: String,
    /// The caller's unique id (`AIDA...`, `AROA...:SESSION`, the account id for root).
    pub user_id: String,
}

/// One S3 bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    /// The bucket name.
    pub name: String,
    /// `CreationDate`, when S3 sent it.
    pub created: Option<SystemTime>,
}
