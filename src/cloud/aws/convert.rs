//! Conversions between SDK values and the product's own types.

use std::time::SystemTime;

use aws_sdk_s3::types::Bucket as SdkBucket;
use aws_sdk_sts::operation::assume_role::AssumeRoleOutput;
use aws_sdk_sts::operation::assume_role_with_web_identity::AssumeRoleWithWebIdentityOutput;
use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput;
use aws_smithy_types::DateTime;

use crate::cloud::{
    AssumedRole, Bucket, CallerIdentity, CloudError, Credentials, ErrorClass, Operation,
    WebIdentityAnswer,
};
use crate::secret::Secret;

/// The SDK's credentials value for explicit credentials.
pub(super) fn sdk_credentials(creds: &Credentials) -> aws_credential_types::Credentials {
    aws_credential_types::Credentials::new(
        creds.access_key_id.clone(),
        creds.secret_access_key.expose().to_owned(),
        creds.session_token.as_ref().map(|t| t.expose().to_owned()),
        creds.expiration,
        "xacct",
    )
}

/// The product's credentials from the SDK's.
pub(super) fn from_sdk_credentials(creds: &aws_credential_types::Credentials) -> Credentials {
    Credentials {
        access_key_id: creds.access_key_id().to_owned(),
        secret_access_key: Secret::new(creds.secret_access_key()),
        session_token: creds.session_token().map(Secret::new),
        expiration: creds.expiry(),
    }
}

fn system_time(value: &DateTime) -> Option<SystemTime> {
    SystemTime::try_from(*value).ok()
}

pub(super) fn caller_identity(output: &GetCallerIdentityOutput) -> CallerIdentity {
    CallerIdentity {
        account: output.account().unwrap_or_default().to_owned(),
        arn: output.arn().unwrap_or_default().to_owned(),
        user_id: output.user_id().unwrap_or_default().to_owned(),
    }
}

pub(super) fn assumed_role(
    output: &AssumeRoleOutput,
    endpoint: &str,
) -> Result<AssumedRole, CloudError> {
    use aws_sdk_sts::operation::RequestId as _;
    let mut assumed = role_session(
        (Operation::AssumeRole, endpoint),
        output.credentials(),
        output.assumed_role_user(),
        output.packed_policy_size(),
    )?;
    assumed.request_id = output.request_id().map(str::to_owned);
    assumed.source_identity = output.source_identity().map(str::to_owned);
    Ok(assumed)
}

pub(super) fn web_identity_role(
    output: &AssumeRoleWithWebIdentityOutput,
    endpoint: &str,
) -> Result<AssumedRole, CloudError> {
    let mut assumed = role_session(
        (Operation::AssumeRoleWithWebIdentity, endpoint),
        output.credentials(),
        output.assumed_role_user(),
        output.packed_policy_size(),
    )?;
    assumed.web_identity = Some(WebIdentityAnswer {
        subject: output
            .subject_from_web_identity_token()
            .unwrap_or_default()
            .to_owned(),
        provider: output.provider().unwrap_or_default().to_owned(),
        audience: output.audience().unwrap_or_default().to_owned(),
    });
    assumed.source_identity = output.source_identity().map(str::to_owned);
    Ok(assumed)
}

fn role_session(
    (operation, endpoint): (Operation, &str),
    creds: Option<&aws_sdk_sts::types::Credentials>,
    user: Option<&aws_sdk_sts::types::AssumedRoleUser>,
    packed_policy_size: Option<i32>,
) -> Result<AssumedRole, CloudError> {
    let missing = |what: &str| {
        CloudError::local(
            operation,
            ErrorClass::Unexpected,
            format!(
                "the {} answer has no {what}; the endpoint does not speak STS as AWS does",
                operation.name().trim_start_matches("sts:")
            ),
        )
    };
    let creds = creds.ok_or_else(|| missing("Credentials"))?;
    let user = user.ok_or_else(|| missing("AssumedRoleUser"))?;
    let expiration = system_time(creds.expiration());
    super::wire_credentials::check(
        operation,
        endpoint,
        (
            creds.access_key_id(),
            creds.secret_access_key(),
            creds.session_token(),
        ),
        expiration,
    )?;
    Ok(AssumedRole {
        credentials: Credentials {
            access_key_id: creds.access_key_id().to_owned(),
            secret_access_key: Secret::new(creds.secret_access_key()),
            session_token: Some(Secret::new(creds.session_token())),
            expiration,
        },
        arn: user.arn().to_owned(),
        assumed_role_id: user.assumed_role_id().to_owned(),
        packed_policy_size,
        web_identity: None,
        request_id: None,
        source_identity: None,
    })
}

pub(super) fn bucket(value: &SdkBucket) -> Bucket {
    Bucket {
        name: value.name().unwrap_or_default().to_owned(),
        created: value.creation_date().and_then(system_time),
    }
}
