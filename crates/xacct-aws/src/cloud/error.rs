//! One error type for every STS and S3 call, keeping what AWS said.

use std::fmt;

/// The STS or S3 operation a call made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `sts:GetCallerIdentity`.
    GetCallerIdentity,
    /// `sts:AssumeRole`.
    AssumeRole,
    /// `sts:AssumeRoleWithWebIdentity`.
    AssumeRoleWithWebIdentity,
    /// `s3:ListBuckets`.
    ListBuckets,
    /// `s3:ListObjectsV2` (a scenario run's `read_bucket`).
    ListObjects,
    /// `s3:GetObject`.
    GetObject,
    /// `s3:HeadObject`.
    HeadObject,
    /// `s3:PutObject`.
    PutObject,
    /// `s3:DeleteObject`.
    DeleteObject,
    /// `s3:CopyObject`.
    CopyObject,
    /// `s3:PutBucketPolicy` / `s3:DeleteBucketPolicy`.
    PutBucketPolicy,
    /// `iam:GetAccountAuthorizationDetails` (a live import).
    GetAccountAuthorizationDetails,
    /// `iam:ListRoles` (a live import).
    ListRoles,
    /// `iam:ListMFADevices` (a live import).
    ListMfaDevices,
    /// `iam:ListOpenIDConnectProviders` (a live import).
    ListOpenIdConnectProviders,
    /// `iam:GetOpenIDConnectProvider` (a live import).
    GetOpenIdConnectProvider,
    /// `iam:ListAccountAliases` (a live import).
    ListAccountAliases,
    /// The Organizations read API (a live import with `--org`).
    ListOrganization,
    /// `kms:ListKeys` (a live import).
    ListKeys,
}

impl Operation {
    /// The name as `service:Operation`, the way AWS documentation writes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::GetCallerIdentity => "sts:GetCallerIdentity",
            Self::AssumeRole => "sts:AssumeRole",
            Self::AssumeRoleWithWebIdentity => "sts:AssumeRoleWithWebIdentity",
            Self::ListBuckets => "s3:ListBuckets",
            Self::ListObjects => "s3:ListObjectsV2",
            Self::GetObject => "s3:GetObject",
            Self::HeadObject => "s3:HeadObject",
            Self::PutObject => "s3:PutObject",
            Self::DeleteObject => "s3:DeleteObject",
            Self::PutBucketPolicy => "s3:PutBucketPolicy",
            Self::CopyObject => "s3:CopyObject",
            Self::GetAccountAuthorizationDetails => "iam:GetAccountAuthorizationDetails",
            Self::ListRoles => "iam:ListRoles",
            Self::ListMfaDevices => "iam:ListMFADevices",
            Self::ListOpenIdConnectProviders => "iam:ListOpenIDConnectProviders",
            Self::GetOpenIdConnectProvider => "iam:GetOpenIDConnectProvider",
            Self::ListAccountAliases => "iam:ListAccountAliases",
            Self::ListOrganization => "organizations:List*/Describe*",
            Self::ListKeys => "kms:ListKeys",
        }
    }
}

impl Operation {
    /// Whether it is an S3 operation (S3's error shape and request ids).
    pub fn is_s3(self) -> bool {
        matches!(
            self,
            Self::ListBuckets
                | Self::ListObjects
                | Self::GetObject
                | Self::HeadObject
                | Self::PutObject
                | Self::DeleteObject
                | Self::PutBucketPolicy
                | Self::CopyObject
        )
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What kind of failure a call met; each class has its own exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// AWS refused: the caller is not allowed (`AccessDenied`, ...).
    Denied,
    /// The request was malformed or out of range (`ValidationError`, ...).
    InvalidInput,
    /// The credentials are missing, unknown, badly signed or expired.
    BadCredentials,
    /// Throttled, a server fault, a timeout or a network failure that
    /// persisted through the retries.
    Unavailable,
    /// Anything else.
    Unexpected,
}

impl ErrorClass {
    /// Classifies an AWS error from its code and HTTP status.
    pub fn of(code: Option<&str>, status: Option<u16>) -> Self {
        match code {
            Some(
                "AccessDenied"
                | "AccessDeniedException"
                | "Forbidden"
                | "RegionDisabledException"
                | "AllAccessDisabled",
            ) => Self::Denied,
            Some(
                "ValidationError"
                | "MalformedPolicyDocument"
                | "MalformedPolicyDocumentException"
                | "PackedPolicyTooLarge"
                | "PackedPolicyTooLargeException"
                | "InvalidParameterValue"
                | "InvalidParameterCombination"
                | "MissingParameter"
                | "InvalidAction"
                | "InvalidArgument"
                | "AccessControlListNotSupported"
                | "InvalidRange"
                | "NoSuchKey"
                | "NoSuchBucket"
                | "NotFound"
                | "KMS.NotFoundException"
                | "MalformedPolicy"
                | "MethodNotAllowed"
                | "KeyTooLongError"
                | "MetadataTooLarge"
                | "BadRequest"
                | "InvalidRequest"
                | "PreconditionFailed",
            ) => Self::InvalidInput,
            Some(
                "InvalidClientTokenId"
                | "SignatureDoesNotMatch"
                | "ExpiredToken"
                | "ExpiredTokenException"
                | "InvalidAccessKeyId"
                | "InvalidToken"
                | "RequestTimeTooSkewed"
                | "IncompleteSignature"
                | "MissingAuthenticationToken"
                | "UnrecognizedClientException"
                | "RequestExpired"
                | "InvalidIdentityToken"
                | "IDPRejectedClaim",
            ) => Self::BadCredentials,
            Some(
                "Throttling"
                | "ThrottlingException"
                | "ThrottledException"
                | "RequestThrottledException"
                | "TooManyRequestsException"
                | "SlowDown"
                | "RequestLimitExceeded"
                | "ServiceUnavailable"
                | "InternalError"
                | "InternalFailure"
                | "RequestTimeout"
                | "IDPCommunicationError",
            ) => Self::Unavailable,
            _ => match status {
                Some(429 | 500..=599) => Self::Unavailable,
                _ => Self::Unexpected,
            },
        }
    }

    /// The class name used in JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Self::Denied => "denied",
            Self::InvalidInput => "invalid-input",
            Self::BadCredentials => "bad-credentials",
            Self::Unavailable => "unavailable",
            Self::Unexpected => "unexpected",
        }
    }
}

/// A failed STS or S3 call: what AWS said, and how the product classes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{operation} failed: {}", self.summary())]
pub struct CloudError {
    /// The operation that failed.
    pub operation: Operation,
    /// The failure class.
    pub class: ErrorClass,
    /// AWS's error code (`AccessDenied`, ...); `None` when no answer came.
    pub code: Option<String>,
    /// AWS's message, or a description of the local failure.
    pub message: String,
    /// The HTTP status of AWS's answer.
    pub status: Option<u16>,
    /// AWS's request id.
    pub request_id: Option<String>,
}

impl CloudError {
    /// An error AWS answered with; the class follows from code and status.
    pub fn from_aws(
        operation: Operation,
        code: Option<&str>,
        message: impl Into<String>,
        status: Option<u16>,
        request_id: Option<&str>,
    ) -> Self {
        Self {
            operation,
            class: ErrorClass::of(code, status),
            code: code.map(str::to_owned),
            message: message.into(),
            status,
            request_id: request_id.map(str::to_owned),
        }
    }

    /// AWS's `AccessDenied` (HTTP 403) to an AssumeRole, with its message:
    /// what the refusal classifier and the hints read.
    pub fn assume_role_denied(message: impl Into<String>) -> Self {
        Self::from_aws(
            Operation::AssumeRole,
            Some("AccessDenied"),
            message,
            Some(403),
            None,
        )
    }

    /// A failure with no answer from AWS (network, timeout, no credentials).
    pub fn local(operation: Operation, class: ErrorClass, message: impl Into<String>) -> Self {
        Self {
            operation,
            class,
            code: None,
            message: message.into(),
            status: None,
            request_id: None,
        }
    }

    /// `Code (HTTP status): message`, or the bare message without a code.
    pub fn summary(&self) -> String {
        match (&self.code, self.status) {
            (Some(code), Some(status)) => format!("{code} (HTTP {status}): {}", self.message),
            (Some(code), None) => format!("{code}: {}", self.message),
            (None, _) => self.message.clone(),
        }
    }
}

/// An error and its sources as one line of their own messages (never Rust
/// type names or debug dumps), skipping a message its parent already says.
pub fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = next {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_aws_codes() {
        assert_eq!(
            ErrorClass::of(Some("AccessDenied"), Some(403)),
            ErrorClass::Denied
        );
        assert_eq!(
            ErrorClass::of(Some("ValidationError"), Some(400)),
            ErrorClass::InvalidInput
        );
        assert_eq!(
            ErrorClass::of(Some("KeyTooLongError"), Some(400)),
            ErrorClass::InvalidInput
        );
        assert_eq!(
            ErrorClass::of(Some("MetadataTooLarge"), Some(400)),
            ErrorClass::InvalidInput
        );
        assert_eq!(
            ErrorClass::of(Some("ExpiredToken"), Some(403)),
            ErrorClass::BadCredentials
        );
        assert_eq!(
            ErrorClass::of(Some("Throttling"), Some(400)),
            ErrorClass::Unavailable
        );
        assert_eq!(
            ErrorClass::of(Some("Whatever"), Some(503)),
            ErrorClass::Unavailable
        );
        assert_eq!(
            ErrorClass::of(Some("Whatever"), Some(400)),
            ErrorClass::Unexpected
        );
        assert_eq!(ErrorClass::of(None, None), ErrorClass::Unexpected);
    }
}
