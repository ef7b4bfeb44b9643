//! One line on the likely cause of an AWS error and the next step, keyed on
//! the operation, AWS's error code and (where AWS distinguishes cases only by
//! text) the message.

use crate::cloud::{CloudError, DenialCause, ErrorClass, Operation};

/// The likely cause of a failure and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hint {
    /// Why this most likely happened.
    pub cause: String,
    /// What to try next.
    pub next: String,
}

fn hint(cause: impl Into<String>, next: impl Into<String>) -> Option<Hint> {
    Some(Hint {
        cause: cause.into(),
        next: next.into(),
    })
}

/// What the hint may mention about the run that failed.
#[derive(Debug, Clone, Copy, Default)]
pub struct HintContext<'a> {
    /// The role being assumed.
    pub role_arn: Option<&'a str>,
    /// Whether the failing call used the assumed (temporary) credentials.
    pub with_assumed_credentials: bool,
}

/// Why STS refused a web identity token, by its message.
fn web_identity_token(message: &str) -> Option<Hint> {
    if message.starts_with("No OpenIDConnect provider found") {
        hint(
            "the role's account has no IAM OIDC provider for the token's issuer (a provider in another account does not count)",
            "create the provider in the role's account (`aws iam create-open-id-connect-provider --url https://ISSUER --client-id-list sts.amazonaws.com`)",
        )
    } else if message == "Incorrect token audience" {
        hint(
            "the token's `aud` is not one of the provider's client ids",
            "request the token for the audience the provider lists (sts.amazonaws.com for GitHub Actions and EKS), or add it with `aws iam add-client-id-to-open-id-connect-provider`",
        )
    } else if message.contains("could not be validated") {
        hint(
            "the token's signature does not verify with its issuer's key: it was altered after it was issued",
            "pass the token exactly as the provider issued it (no re-encoding, no edited claims)",
        )
    } else if let Some(claim) = message.strip_prefix("Missing a required claim: ") {
        hint(
            format!("the token has no `{claim}` claim, which STS requires"),
            "request the token from the provider with that claim (for `aud`, the audience sts.amazonaws.com)",
        )
    } else if message.starts_with("The token is not valid yet") {
        hint(
            "the token is dated after the clock of the STS that checks it (its `nbf` or `iat` is ahead)",
            "for a scenario's clock (`xacct run --scenario`, `xacct serve --scenario-clock`), mint the token with `xacct token --scenario-clock`; otherwise check the issuer's clock",
        )
    } else if message.starts_with("The token's expiration date/time") {
        hint(
            "the token's `exp` is more than a day ahead, a lifetime no identity provider AWS trusts gives",
            "use a token freshly issued by the provider, with its own short lifetime",
        )
    } else if message.starts_with("Couldn't retrieve verification key") {
        hint(
            "the token is signed with a key its issuer does not publish: it comes from another issuer, or was forged or altered",
            "use a token freshly issued by the provider the role trusts",
        )
    } else {
        hint(
            "the token is not a well-formed, RSA-signed OIDC ID token of the issuer",
            "pass the ID token itself (a JWT), not an access token, exactly as the provider issued it",
        )
    }
}

/// The hint for an error, when one is known.
pub(crate) fn for_error(err: &CloudError, ctx: HintContext<'_>) -> Option<Hint> {
    let role = ctx.role_arn.unwrap_or("the role");
    let message = err.message.as_str();
    match (err.operation, err.code.as_deref()) {
        (Operation::AssumeRole, Some("AccessDenied")) => assume_role_denied(err, role),
        (Operation::ListBuckets, Some("AccessDenied")) => hint(
            "the caller's identity policies do not allow s3:ListAllMyBuckets (it must be granted on Resource \"*\"), or a deny, boundary or SCP blocks it",
            if ctx.with_assumed_credentials {
                format!("allow s3:ListAllMyBuckets on \"*\" in a permission policy of {role}")
            } else {
                "allow s3:ListAllMyBuckets on \"*\" in the base identity's policies".to_owned()
            },
        ),
        (Operation::GetObject | Operation::PutObject, Some("AccessDenied")) => hint(
            "S3 refuses an object call when any of these does not allow it: the caller's identity policy; across accounts the bucket policy too; for an SSE-KMS object the key policy and kms:Decrypt (reads) or kms:GenerateDataKey (writes); for an object another account wrote to an ObjectWriter bucket, its ACL; an SCP of the caller's account or an RCP of the bucket's; Block Public Access for a public bucket policy",
            "run the same call against a scenario of the accounts (`xacct import`, then `xacct run --scenario FILE --as ARN --get s3://... --explain`) to see which policy decides",
        ),
        (Operation::GetObject | Operation::HeadObject, Some("NoSuchKey" | "NotFound")) => hint(
            "no object has this key (S3 says so only to a caller allowed s3:ListBucket; others get AccessDenied)",
            "check the key's spelling and prefix with `aws s3 ls s3://BUCKET/PREFIX`",
        ),
        (_, Some("AccessControlListNotSupported")) => hint(
            "the bucket's Object Ownership is BucketOwnerEnforced: ACLs are disabled",
            "drop --acl, or pass --acl bucket-owner-full-control",
        ),
        (Operation::AssumeRoleWithWebIdentity, Some("AccessDenied")) => hint(
            "the role's trust policy does not allow this token: no statement names the account's OIDC provider as a Federated principal with sts:AssumeRoleWithWebIdentity and every condition on the token's claims met (often `sub`: a pull_request, another branch or environment, StringEquals with a `*`, or the owner's name in another case)",
            format!(
                "compare the token's claims with the trust policy of {role}; `xacct policy eval --principal arn:aws:iam::ACCOUNT:oidc-provider/ISSUER --claim sub=... --claim aud=...` names the claim that does not match"
            ),
        ),
        (Operation::AssumeRoleWithWebIdentity, Some("InvalidIdentityToken")) => {
            web_identity_token(message)
        }
        (Operation::AssumeRoleWithWebIdentity, Some("ExpiredTokenException")) => hint(
            "the identity token's `exp` has passed (GitHub Actions tokens last minutes, EKS projected tokens are refreshed by the kubelet)",
            "request a fresh token from the provider and run again",
        ),
        (_, Some("ExpiredToken" | "ExpiredTokenException")) => {
            if ctx.with_assumed_credentials {
                hint(
                    "the assumed-role session expired before the call",
                    "run again, or ask for a longer session with --duration-seconds",
                )
            } else {
                hint(
                    "the base credentials are temporary and their session has expired",
                    "refresh them (for example `aws sso login`, or re-run the tool that issued them) and run again",
                )
            }
        }
        (
            _,
            Some("InvalidClientTokenId" | "InvalidAccessKeyId" | "UnrecognizedClientException"),
        ) => hint(
            "the endpoint does not know this access key id: it was deleted or mistyped, or the region is an opt-in region that is not enabled",
            "check the key with `aws iam list-access-keys`, or try --region us-east-1",
        ),
        (_, Some("InvalidToken")) => hint(
            "the session token is malformed or belongs to other credentials",
            "export the access key id, secret and session token from the same AssumeRole answer",
        ),
        (_, Some("SignatureDoesNotMatch")) => hint(
            "the secret access key does not belong to the access key id, or the request was altered",
            "check the secret access key of this key id, and the system clock",
        ),
        (_, Some("RequestTimeTooSkewed" | "RequestExpired")) => hint(
            "this machine's clock differs from AWS's by more than 15 minutes",
            "synchronise the clock (NTP) and run again",
        ),
        (_, Some("RegionDisabledException")) => hint(
            "STS is not activated in this region for the account",
            "activate the region in the IAM console (Account settings), or pass another --region",
        ),
        (Operation::AssumeRole, Some("ValidationError")) => assume_role_invalid(message),
        (
            Operation::AssumeRole,
            Some("MalformedPolicyDocument" | "MalformedPolicyDocumentException"),
        ) => hint(
            "the session policy is not a valid IAM policy",
            "fix the session policy JSON (`xacct policy lint` can point at the problem)",
        ),
        (Operation::AssumeRole, Some("InvalidParameterValue"))
            if message.contains("transitive tag key from the calling session") =>
        {
            hint(
                "the calling session inherited that tag as transitive, and a later session of the chain may not set it again",
                "drop that --tag (its inherited value applies), or start the chain afresh",
            )
        }
        (Operation::AssumeRole, Some("InvalidParameterValue")) => hint(
            "a session tag or transitive key breaks STS's rules (keys are case-insensitive; every transitive key must be a session tag)",
            "fix the --tag / --transitive-tag-key values the message names",
        ),
        (Operation::AssumeRole, Some("PackedPolicyTooLarge" | "PackedPolicyTooLargeException")) => {
            hint(
                "the session policy and session tags are too large once packed",
                "shorten the session policy or pass fewer tags",
            )
        }
        _ => match err.class {
            ErrorClass::Unavailable if err.code.is_some() => hint(
                "AWS throttled the requests or had a server fault, and the SDK's retries ran out",
                "wait and run again; spread out calls if many run at once (AWS_MAX_ATTEMPTS raises the retry count)",
            ),
            ErrorClass::Unavailable => hint(
                "the endpoint did not answer",
                "check the network, the region and --endpoint-url",
            ),
            _ => None,
        },
    }
}

/// A refused AssumeRole, read by the one classifier runs across accounts
/// use too ([`DenialCause`]).
fn assume_role_denied(err: &CloudError, role: &str) -> Option<Hint> {
    match DenialCause::of(err) {
        DenialCause::RootCaller => hint(
            "the base credentials are the account root user's, and the root user cannot assume roles",
            "use an IAM user's access keys, or a role session, as base credentials",
        ),
        DenialCause::FederatedCaller => hint(
            "the base credentials come from GetFederationToken; such sessions may call no STS operation but GetCallerIdentity",
            "use the IAM user's own access keys, or a role session, as base credentials",
        ),
        DenialCause::SessionTags => hint(
            format!(
                "the session gets session tags (passed with --tag, or transitive tags inherited from the calling session), and the trust policy of {role} (or, across accounts, the caller's policy) does not allow sts:TagSession for them"
            ),
            "add sts:TagSession to the trust statement that admits the caller (limit it with aws:TagKeys), or pass no tags (configure-aws-credentials: role-skip-session-tagging)",
        ),
        DenialCause::SourceIdentity => hint(
            format!(
                "the session gets a source identity (--source-identity, or the one the calling session keeps), and the trust policy of {role} (or, across accounts, the caller's policy) does not allow sts:SetSourceIdentity"
            ),
            "add sts:SetSourceIdentity to the trust statement that admits the caller; a source identity set earlier in a chain cannot be dropped",
        ),
        DenialCause::Mfa => hint(
            "the MFA serial or code was not accepted",
            "check that --mfa-serial is the caller's device and that --mfa-code is the code it shows now",
        ),
        DenialCause::Scp => hint(
            "a service control policy of the caller's organization denies it, as AWS's message says",
            "find the SCP on the caller's account or an OU above it (`xacct import --org`, then `xacct policy eval` with it), or ask the organization's administrators",
        ),
        DenialCause::Rcp => hint(
            format!(
                "a resource control policy of the organization that holds {role} denies it, as AWS's message says"
            ),
            "find the RCP on the role's account or an OU above it, or ask that organization's administrators",
        ),
        DenialCause::CallerPolicy => hint(
            format!(
                "the caller's own policies (identity policies, boundary or session policy) do not allow sts:AssumeRole on {role}, as AWS's message says"
            ),
            "allow sts:AssumeRole on the role's ARN in the caller's policies; `xacct policy eval` evaluates them offline",
        ),
        DenialCause::TrustPolicy => hint(
            format!(
                "the trust policy of {role} does not admit this caller, as AWS's message says (a missing or wrong --external-id, or MFA it requires, answers the same way)"
            ),
            "check the role's trust policy (`aws iam get-role --role-name NAME`); `xacct policy eval` evaluates it offline",
        ),
        _ => hint(
            format!(
                "AWS's message states no reason: the trust policy of {role} does not allow this caller (its ARN, or its account with no narrowing condition), or the caller's identity policies do not allow sts:AssumeRole on it; a role that does not exist answers the same way, as do a missing or wrong --external-id or MFA the trust policy requires, and an SCP or RCP of the organization that denies it"
            ),
            "check the role's trust policy (`aws iam get-role --role-name NAME`) and the caller's policies; `xacct policy eval` evaluates them offline",
        ),
    }
}

fn assume_role_invalid(message: &str) -> Option<Hint> {
    if message.contains("role chaining") {
        hint(
            "the base credentials are themselves a role session, and a chained session lasts at most one hour",
            "pass --duration-seconds 3600 or less, or start from an IAM user's credentials",
        )
    } else if message.contains("source identity is already set") {
        hint(
            "the calling session already carries a source identity, and AWS never changes it",
            "drop --source-identity, or pass the one the session already has",
        )
    } else if message.contains("MaxSessionDuration") {
        hint(
            "the requested duration exceeds the role's maximum session duration",
            "lower --duration-seconds, or raise the role's MaxSessionDuration (up to 43200)",
        )
    } else {
        hint(
            "AWS rejected a parameter of the request",
            "fix the value the message names",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_and_federated_denials_get_their_own_cause() {
        let root = for_error(
            &CloudError::assume_role_denied("Roles may not be assumed by root accounts."),
            HintContext::default(),
        );
        assert!(root.is_some_and(|h| h.cause.contains("root user")));
        let fed = for_error(
            &CloudError::assume_role_denied("Roles may not be assumed by federated users"),
            HintContext::default(),
        );
        assert!(fed.is_some_and(|h| h.cause.contains("GetFederationToken")));
        let plain = for_error(
            &CloudError::assume_role_denied("User: x is not authorized"),
            HintContext {
                role_arn: Some("arn:aws:iam::1:role/r"),
                ..Default::default()
            },
        );
        assert!(plain.is_some_and(|h| h.cause.contains("trust policy of arn:aws:iam::1:role/r")));
    }

    #[test]
    fn the_hint_and_the_cause_read_the_message_alike() {
        let base = "User: arn:aws:iam::111111111111:user/a is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/r";
        for (tail, cause, words) in [
            ("", DenialCause::Unstated, "states no reason"),
            (
                " with an explicit deny in a service control policy",
                DenialCause::Scp,
                "service control policy",
            ),
            (
                " with an explicit deny in a resource control policy",
                DenialCause::Rcp,
                "resource control policy",
            ),
            (
                " because no identity-based policy allows the sts:AssumeRole action",
                DenialCause::CallerPolicy,
                "the caller's own policies",
            ),
            (
                " because no role trust policy allows the sts:AssumeRole action",
                DenialCause::TrustPolicy,
                "does not admit this caller",
            ),
        ] {
            let err = CloudError::assume_role_denied(format!("{base}{tail}"));
            assert_eq!(DenialCause::of(&err), cause, "{tail}");
            let hint = for_error(&err, HintContext::default());
            assert!(hint.is_some_and(|h| h.cause.contains(words)), "{tail}");
        }
    }

    #[test]
    fn expired_token_depends_on_which_credentials() {
        let err = CloudError::from_aws(
            Operation::ListBuckets,
            Some("ExpiredToken"),
            "expired",
            Some(400),
            None,
        );
        let base = for_error(&err, HintContext::default());
        assert!(base.is_some_and(|h| h.next.contains("refresh")));
        let assumed = for_error(
            &err,
            HintContext {
                with_assumed_credentials: true,
                ..Default::default()
            },
        );
        assert!(assumed.is_some_and(|h| h.cause.contains("assumed-role session")));
    }
}
