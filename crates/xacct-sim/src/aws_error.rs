//! The errors the simulated STS and S3 answer with: AWS's codes, HTTP
//! statuses and message templates, byte for byte
//! (`docs/reference/aws-wire-reference.md` §3.2 and §5.3 hold the sources).

use xacct_aws::cloud::params::{Broken, NumberParam, TextParam};
use xacct_aws::cloud::{CloudError, Operation};

/// Which service answers, since STS and S3 word the same failure differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// STS (query protocol, `ErrorResponse` envelope).
    Sts,
    /// S3 (REST-XML, bare `Error` element).
    S3,
    /// IAM (query protocol like STS, its own namespace; a global service
    /// signed for us-east-1).
    Iam,
    /// AWS Organizations (JSON protocol, `X-Amz-Target`; global, signed
    /// for us-east-1).
    Organizations,
}

/// An error as AWS sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    /// The error code.
    pub code: String,
    /// The message.
    pub message: String,
    /// The HTTP status.
    pub status: u16,
    /// Extra elements S3 puts in its error body (`AWSAccessKeyId`,
    /// `HeadersNotSigned`, ...), in order.
    pub details: Vec<(&'static str, String)>,
    /// Headers S3 sends with the error (`x-amz-bucket-region` on a
    /// redirect), in order.
    pub headers: Vec<(&'static str, String)>,
}

impl AwsError {
    /// An error with a code, a status and a message.
    pub fn new(code: &str, status: u16, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
            status,
            details: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// The same error with one more response header.
    pub fn with_header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    /// The same error with one more S3 detail element.
    pub fn with_detail(mut self, element: &'static str, value: &str) -> Self {
        self.details.push((element, value.to_owned()));
        self
    }

    /// The product's error for the seam.
    pub fn into_cloud(self, operation: Operation, request_id: &str) -> CloudError {
        CloudError::from_aws(
            operation,
            Some(&self.code),
            self.message,
            Some(self.status),
            Some(request_id),
        )
    }

    /// AssumeRole refused by the IAM decision (or for a role that does not
    /// exist, which AWS answers the same way): the classic wording.
    pub fn not_authorized(caller_arn: &str, action: &str, resource: &str) -> Self {
        Self::new(
            "AccessDenied",
            403,
            format!(
                "User: {caller_arn} is not authorized to perform: {action} on resource: {resource}"
            ),
        )
    }

    /// AssumeRoleWithWebIdentity refused by the trust policy (or for a role
    /// that does not exist): no caller ARN in the text, since there is no
    /// IAM caller.
    pub fn web_identity_not_authorized() -> Self {
        Self::new(
            "AccessDenied",
            403,
            "Not authorized to perform sts:AssumeRoleWithWebIdentity",
        )
    }

    /// A web identity token AWS cannot accept: unknown provider, wrong
    /// audience, bad signature or not a token.
    pub fn invalid_identity_token(message: impl Into<String>) -> Self {
        Self::new("InvalidIdentityToken", 400, message)
    }

    /// A web identity token past its `exp`, times in seconds since the
    /// epoch (the form AWS answers since 2024: aws-sdk-java-v2 issue 5709;
    /// 2021 answers lacked the space before the second number).
    pub fn web_token_expired(now: i64, exp: i64) -> Self {
        Self::new(
            "ExpiredTokenException",
            400,
            format!(
                "Token expired: current date/time {now} must be before the expiration date/time {exp}"
            ),
        )
    }

    /// An IAM entity that does not exist (`NoSuchEntity`, 404, as the IAM
    /// API Reference's error list gives it).
    pub fn no_such_entity(message: &str) -> Self {
        Self::new("NoSuchEntity", 404, message)
    }

    /// Root credentials calling AssumeRole.
    pub fn root_may_not_assume() -> Self {
        Self::new(
            "AccessDenied",
            403,
            "Roles may not be assumed by root accounts.",
        )
    }

    /// GetFederationToken credentials calling AssumeRole (the text reported by
    /// the original article; AWS's exact code and status are unconfirmed).
    pub fn federated_may_not_assume() -> Self {
        Self::new(
            "AccessDenied",
            403,
            "Roles may not be assumed by federated users",
        )
    }

    /// Session credentials calling GetFederationToken.
    pub fn federation_with_session_credentials() -> Self {
        Self::new(
            "AccessDenied",
            403,
            "Cannot call GetFederationToken with session credentials",
        )
    }

    /// Session credentials calling GetSessionToken (wording modelled on the
    /// GetFederationToken one; AWS's exact text is unconfirmed).
    pub fn session_token_with_session_credentials() -> Self {
        Self::new(
            "AccessDenied",
            403,
            "Cannot call GetSessionToken with session credentials",
        )
    }

    /// Only one of SerialNumber and TokenCode.
    pub fn mfa_incomplete() -> Self {
        Self::new(
            "AccessDenied",
            403,
            "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.",
        )
    }

    /// A serial that is not the caller's device (two spaces, as AWS writes it).
    pub fn mfa_unknown_serial() -> Self {
        Self::new(
            "AccessDenied",
            403,
            "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.",
        )
    }

    /// A wrong one-time code.
    pub fn mfa_wrong_code() -> Self {
        Self::new(
            "AccessDenied",
            403,
            "MultiFactorAuthentication failed with invalid MFA one time pass code.",
        )
    }

    /// DurationSeconds above the role's MaxSessionDuration.
    pub fn over_max_session_duration() -> Self {
        Self::new(
            "ValidationError",
            400,
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        )
    }

    /// DurationSeconds above one hour when chaining roles.
    pub fn over_chaining_limit() -> Self {
        Self::new(
            "ValidationError",
            400,
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
        )
    }

    /// Model constraint violations: `N validation error(s) detected: ...`.
    pub fn validation(violations: &[String]) -> Self {
        let n = violations.len();
        let plural = if n == 1 { "error" } else { "errors" };
        Self::new(
            "ValidationError",
            400,
            format!(
                "{n} validation {plural} detected: {}",
                violations.join("; ")
            ),
        )
    }

    /// Two session tags whose keys differ only in case (STS's answer as
    /// LocalStack reproduces it; IAM's TagRole says the same as InvalidInput).
    pub fn duplicate_tag_keys() -> Self {
        Self::new(
            "InvalidParameterValue",
            400,
            "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        )
    }

    /// A transitive tag key that is not among the session tags.
    pub fn transitive_key_not_a_tag() -> Self {
        Self::new(
            "InvalidParameterValue",
            400,
            "The specified transitive tag key must be included in the requested tags.",
        )
    }

    /// A session tag that would override a transitive tag the caller's
    /// session inherited (observed on AWS, 2026-09-30).
    pub fn transitive_tag_conflict() -> Self {
        Self::new(
            "InvalidParameterValue",
            400,
            "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
        )
    }

    /// A SourceIdentity other than the one the caller's session carries
    /// (observed on AWS, 2026-09-30).
    pub fn source_identity_already_set() -> Self {
        Self::new(
            "ValidationError",
            400,
            "The source identity is already set for this assume role session",
        )
    }

    /// Session policies and tags past the packed allowance.
    pub fn packed_policy_too_large(percent: u32) -> Self {
        Self::new(
            "PackedPolicyTooLarge",
            400,
            format!("Packed policy consumes {percent}% of allotted space"),
        )
    }

    /// A session policy that is not a valid policy.
    pub fn malformed_policy(detail: &str) -> Self {
        Self::new("MalformedPolicyDocument", 400, detail.to_owned())
    }

    /// S3's denial.
    pub fn s3_access_denied() -> Self {
        Self::new("AccessDenied", 403, "Access Denied")
    }

    /// The query services' answer to a key or token they do not know.
    fn invalid_client_token() -> Self {
        Self::new(
            "InvalidClientTokenId",
            403,
            "The security token included in the request is invalid.",
        )
    }

    /// An unknown access key id, or a token that does not belong to it.
    pub fn unknown_key(service: Service, key_id: &str) -> Self {
        match service {
            Service::Sts | Service::Iam | Service::Organizations => Self::invalid_client_token(),
            Service::S3 => Self::new(
                "InvalidAccessKeyId",
                403,
                "The AWS Access Key Id you provided does not exist in our records.",
            )
            .with_detail("AWSAccessKeyId", key_id),
        }
    }

    /// A session token that is malformed, forged or not this key's.
    pub fn invalid_token(service: Service) -> Self {
        match service {
            Service::Sts | Service::Iam | Service::Organizations => Self::invalid_client_token(),
            Service::S3 => Self::new(
                "InvalidToken",
                400,
                "The provided token is malformed or otherwise invalid.",
            ),
        }
    }

    /// Temporary credentials past their expiration.
    pub fn expired_token(service: Service) -> Self {
        match service {
            Service::Sts | Service::Iam | Service::Organizations => Self::new(
                "ExpiredToken",
                403,
                "The security token included in the request is expired",
            ),
            Service::S3 => Self::new("ExpiredToken", 400, "The provided token has expired."),
        }
    }

    /// A secret that does not match the key (a bad signature on the wire).
    pub fn signature_mismatch(service: Service, key_id: &str) -> Self {
        match service {
            Service::Sts | Service::Iam | Service::Organizations => Self::new(
                "SignatureDoesNotMatch",
                403,
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
            ),
            Service::S3 => Self::new(
                "SignatureDoesNotMatch",
                403,
                "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
            )
            .with_detail("AWSAccessKeyId", key_id),
        }
    }
}

/// One constraint violation in AWS's words.
fn violation(value: &str, field: &str, constraint: &str) -> String {
    format!("Value '{value}' at '{field}' failed to satisfy constraint: Member must {constraint}")
}

/// The STS model's text constraints a value breaks, in AWS's words.
pub(super) fn text_violations(param: &TextParam, value: &str) -> Vec<String> {
    text_violations_at(param, value, param.field)
}

/// [`text_violations`] for a member of a list, named by its path
/// (`tags.1.member.key`).
pub(super) fn text_violations_at(param: &TextParam, value: &str, field: &str) -> Vec<String> {
    broken_violations(param, value, field, param.check(value))
}

/// The constraints `value` was found to break, in AWS's words.
pub(super) fn broken_violations(
    param: &TextParam,
    value: &str,
    field: &str,
    broken: Vec<Broken>,
) -> Vec<String> {
    broken
        .into_iter()
        .map(|broken| {
            let constraint = match broken {
                Broken::Pattern { .. } => {
                    format!("satisfy regular expression pattern: {}", param.pattern)
                }
                Broken::TooShort { .. } => {
                    format!("have length greater than or equal to {}", param.min)
                }
                _ => format!("have length less than or equal to {}", param.max),
            };
            if param.sensitive {
                format!(
                    "Value at '{}' failed to satisfy constraint: Member must {constraint}",
                    field
                )
            } else {
                violation(value, field, &constraint)
            }
        })
        .collect()
}

/// The STS model's numeric bound a value breaks, in AWS's words.
pub(super) fn number_violation(param: &NumberParam, value: i64) -> Option<String> {
    let constraint = match param.check(value)? {
        Broken::Below => format!("have value greater than or equal to {}", param.min),
        _ => format!("have value less than or equal to {}", param.max),
    };
    Some(violation(&value.to_string(), param.field, &constraint))
}

/// A required parameter that is missing, in AWS's words.
pub fn missing(field: &str) -> AwsError {
    AwsError::validation(&[format!(
        "Value null at '{field}' failed to satisfy constraint: Member must not be null"
    )])
}
