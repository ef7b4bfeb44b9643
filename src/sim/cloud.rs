//! The simulated world behind the same STS/S3 seam as the real client, so
//! the flow's own code runs against it. Scripted faults are answered first,
//! and failed calls are retried exactly as the SDK's standard retry policy
//! would: the same throttling and transient error codes (taken from the SDK's
//! own classifier lists), the same statuses, the same number of attempts.

use std::sync::Arc;

use super::aws_error::AwsError;
use super::faults::Faults;
use super::scenario::FaultSpec;
use super::world::{CallRecord, World};
use super::{s3, sts};
use crate::cloud::{
    AssumeRoleRequest, AssumedRole, Bucket, CallerIdentity, CloudError, Credentials, Operation, S3,
    Sts,
};

/// The SDK's default number of attempts (standard retry mode).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;

/// Whether the SDK's standard retry policy retries an error.
pub fn is_retryable(err: &AwsError) -> bool {
    aws_runtime::retries::classifiers::THROTTLING_ERRORS.contains(&err.code.as_str())
        || aws_runtime::retries::classifiers::TRANSIENT_ERRORS.contains(&err.code.as_str())
        || matches!(err.status, 500 | 502 | 503 | 504)
}

/// The world as an implementation of [`Sts`] and [`S3`].
#[derive(Debug, Clone)]
pub struct SimCloud {
    world: Arc<World>,
    faults: Arc<Faults>,
    max_attempts: u32,
}

impl SimCloud {
    /// A cloud over `world` with the scenario's faults.
    pub fn new(world: Arc<World>, faults: &[FaultSpec]) -> Self {
        Self {
            world,
            faults: Arc::new(Faults::new(faults)),
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }

    /// Sets the number of attempts (1 disables retries), as `AWS_MAX_ATTEMPTS` does for the SDK.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The world.
    pub fn world(&self) -> &Arc<World> {
        &self.world
    }

    fn call<T>(
        &self,
        operation: Operation,
        caller: &Credentials,
        mut op: impl FnMut() -> Result<T, AwsError>,
    ) -> Result<T, CloudError> {
        let mut attempt = 1;
        loop {
            let result = match self.faults.take(operation.name()) {
                Some(err) => {
                    self.world.record(CallRecord {
                        operation: operation.name(),
                        caller: caller.access_key_id.clone(),
                        target: None,
                        outcome: Err(err.clone()),
                        why: Some(super::decide::Why::rule("a fault scripted in the scenario")),
                    });
                    Err(err)
                }
                None => op(),
            };
            match result {
                Ok(value) => return Ok(value),
                Err(err) if attempt < self.max_attempts && is_retryable(&err) => attempt += 1,
                Err(err) => return Err(err.into_cloud(operation, &self.world.request_id())),
            }
        }
    }
}

impl Sts for SimCloud {
    async fn get_caller_identity(
        &self,
        caller: &Credentials,
    ) -> Result<CallerIdentity, CloudError> {
        self.call(Operation::GetCallerIdentity, caller, || {
            sts::get_caller_identity(&self.world, caller)
        })
    }

    async fn assume_role(
        &self,
        caller: &Credentials,
        request: &AssumeRoleRequest,
    ) -> Result<AssumedRole, CloudError> {
        self.call(Operation::AssumeRole, caller, || {
            sts::assume_role(&self.world, caller, request)
        })
    }
}

impl S3 for SimCloud {
    async fn list_buckets(&self, caller: &Credentials) -> Result<Vec<Bucket>, CloudError> {
        self.call(Operation::ListBuckets, caller, || {
            s3::list_buckets(&self.world, caller)
        })
    }
}
