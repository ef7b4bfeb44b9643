//! The cross-account flow: list the source account's buckets and assume the
//! role at the same time, then list the target account's buckets with the
//! temporary credentials. Printing is separate (see [`crate::render`]).

use crate::cloud::{
    AssumeRoleRequest, AssumedRole, Bucket, CallerIdentity, CloudError, Credentials, S3, Sts,
};

/// Every step's outcome of one run of the flow.
#[derive(Debug, Clone)]
pub struct Report {
    /// What was asked of STS.
    pub request: AssumeRoleRequest,
    /// Who the base credentials belong to (`sts:GetCallerIdentity`). For
    /// information only: an endpoint without GetCallerIdentity does not fail
    /// the run.
    pub source_identity: Result<CallerIdentity, CloudError>,
    /// The source account's buckets, listed with the base credentials.
    pub source_buckets: Result<Vec<Bucket>, CloudError>,
    /// The AssumeRole call.
    pub assume_role: Result<AssumedRole, CloudError>,
    /// The target account's buckets, listed with the temporary credentials;
    /// `None` when AssumeRole failed and the flow stopped.
    pub target_buckets: Option<Result<Vec<Bucket>, CloudError>>,
}

impl Report {
    /// The first step that failed, in flow order (identity excluded).
    pub fn first_error(&self) -> Option<&CloudError> {
        self.source_buckets
            .as_ref()
            .err()
            .or(self.assume_role.as_ref().err())
            .or(self.target_buckets.as_ref().and_then(|t| t.as_ref().err()))
    }

    /// Every failed step, in flow order, the identity look-up included.
    pub fn errors(&self) -> Vec<&CloudError> {
        [
            self.source_identity.as_ref().err(),
            self.source_buckets.as_ref().err(),
            self.assume_role.as_ref().err(),
            self.target_buckets.as_ref().and_then(|t| t.as_ref().err()),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// Runs the flow with `base` credentials against any STS/S3 implementation.
pub async fn run<C>(cloud: &C, base: &Credentials, request: &AssumeRoleRequest) -> Report
where
    C: Sts + S3 + Sync,
{
    tracing::debug!(
        key_id = %base.access_key_id,
        role_arn = %request.role_arn,
        session_name = %request.session_name,
        "listing the source buckets and assuming the role"
    );
    let (source_identity, source_buckets, assume_role) = tokio::join!(
        cloud.get_caller_identity(base),
        cloud.list_buckets(base),
        cloud.assume_role(base, request),
    );
    let target_buckets = match &assume_role {
        Ok(assumed) => {
            tracing::debug!(
                key_id = %assumed.credentials.access_key_id,
                arn = %assumed.arn,
                "listing the target buckets with the assumed credentials"
            );
            Some(cloud.list_buckets(&assumed.credentials).await)
        }
        Err(err) => {
            tracing::debug!(error = %err, "AssumeRole failed; the flow stops");
            None
        }
    };
    Report {
        request: request.clone(),
        source_identity,
        source_buckets,
        assume_role,
        target_buckets,
    }
}
