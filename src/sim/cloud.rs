//! The simulated world behind the same STS/S3 seam as the real client, so
//! the flow's own code runs against it. Scripted faults are answered first,
//! and failed calls are retried exactly as the SDK's standard retry policy
//! would: the same throttling and transient error codes (taken from the SDK's
//! own classifier lists), the same statuses, the same number of attempts.
//! Each call's record (caller, answer, reason) goes to this cloud's own log.

use std::sync::{Arc, Mutex, PoisonError};

use super::answer::{Answer, CallRecord, Who, Why};
use super::aws_error::{AwsError, Service};
use super::faults::Faults;
use super::scenario::FaultSpec;
use super::world::{Refusal, World};
use crate::cloud::{
    AssumeRoleRequest, AssumedRole, Bucket, CallerIdentity, CloudError, Credentials, Operation,
    OrgListing, Organizations, S3, Sts,
};
use crate::secret::Secret;

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
    log: Arc<Mutex<Vec<CallRecord>>>,
}

impl SimCloud {
    /// A cloud over `world` with the scenario's faults.
    pub fn new(world: Arc<World>, faults: &[FaultSpec]) -> Self {
        Self {
            world,
            faults: Arc::new(Faults::new(faults)),
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            log: Arc::default(),
        }
    }

    /// Sets the number of attempts (1 disables retries), as `AWS_MAX_ATTEMPTS` does for the SDK.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The calls answered so far, in order, with why; the log starts empty again.
    pub fn take_log(&self) -> Vec<CallRecord> {
        // A push never leaves the list half-written, so a poisoned lock
        // still guards a whole list.
        std::mem::take(&mut *self.log.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn record(&self, record: CallRecord) {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(record);
    }

    /// One call through faults, authentication, the operation and retries.
    fn call<T>(
        &self,
        operation: Operation,
        caller: &Credentials,
        target: Option<&str>,
        op: impl Fn(&super::world::Principal) -> Answer<T>,
        shown: impl Fn(&T) -> String,
    ) -> Result<T, CloudError> {
        let service = match operation {
            Operation::ListBuckets | Operation::ListObjects => Service::S3,
            Operation::ListOrganization => Service::Organizations,
            _ => Service::Sts,
        };
        self.attempts(
            operation.name(),
            operation,
            &caller.access_key_id,
            target,
            || match self.world.authenticate(caller, service) {
                Ok(principal) => op(&principal),
                Err(refusal) => {
                    let Refusal { caller, error, why } = *refusal;
                    Answer::refused(caller, error, why)
                }
            },
            shown,
        )
    }

    /// One call through faults, the operation and retries; `call` is the
    /// name faults and the log know it by, `presented` names the caller
    /// when a fault answers.
    fn attempts<T>(
        &self,
        call: &'static str,
        operation: Operation,
        presented: &str,
        target: Option<&str>,
        answer: impl Fn() -> Answer<T>,
        shown: impl Fn(&T) -> String,
    ) -> Result<T, CloudError> {
        let mut attempt = 1;
        loop {
            let answer = match self.faults.take(call) {
                Some(err) => Answer::refused(
                    Who::key(presented),
                    err,
                    Why::rule("a fault scripted in the scenario"),
                ),
                None => answer(),
            };
            self.record(answer.record(call, target.map(str::to_owned), &shown));
            match answer.result {
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
        self.call(
            Operation::GetCallerIdentity,
            caller,
            None,
            |p| self.world.get_caller_identity(p),
            |i| i.arn.clone(),
        )
    }

    async fn assume_role(
        &self,
        caller: &Credentials,
        request: &AssumeRoleRequest,
    ) -> Result<AssumedRole, CloudError> {
        self.call(
            Operation::AssumeRole,
            caller,
            Some(&request.role_arn),
            |p| self.world.assume_role(p, request),
            |a| a.arn.clone(),
        )
    }

    async fn assume_role_with_web_identity(
        &self,
        token: &Secret,
        request: &AssumeRoleRequest,
    ) -> Result<AssumedRole, CloudError> {
        self.attempts(
            Operation::AssumeRoleWithWebIdentity.name(),
            Operation::AssumeRoleWithWebIdentity,
            "a web identity token",
            Some(&request.role_arn),
            || {
                self.world
                    .assume_role_with_web_identity(token.expose(), request)
            },
            |a| a.arn.clone(),
        )
    }
}

impl Organizations for SimCloud {
    /// One `organizations:ListAccounts` call (faults scripted for that
    /// name apply) answering with the whole tree.
    async fn list_org_accounts(&self, caller: &Credentials) -> Result<OrgListing, CloudError> {
        let principal = self.world.authenticate(caller, Service::Organizations);
        self.attempts(
            "organizations:ListAccounts",
            Operation::ListOrganization,
            &caller.access_key_id,
            None,
            || match &principal {
                Ok(principal) => self.world.org_listing(principal),
                Err(refusal) => {
                    let Refusal { caller, error, why } = (**refusal).clone();
                    Answer::refused(caller, error, why)
                }
            },
            |listing| format!("{} accounts", listing.accounts.len()),
        )
    }
}

impl S3 for SimCloud {
    /// `s3:ListObjectsV2` on `bucket`: its keys (a scenario run's
    /// `read_bucket`, made with the role session's credentials).
    async fn list_objects(
        &self,
        caller: &Credentials,
        bucket: &str,
    ) -> Result<Vec<String>, CloudError> {
        self.call(
            Operation::ListObjects,
            caller,
            Some(bucket),
            |p| self.world.list_objects(p, bucket),
            |keys| {
                if keys.is_empty() {
                    "(no objects)".to_owned()
                } else {
                    keys.join(", ")
                }
            },
        )
    }

    async fn list_buckets(&self, caller: &Credentials) -> Result<Vec<Bucket>, CloudError> {
        self.call(
            Operation::ListBuckets,
            caller,
            None,
            |p| self.world.list_buckets(p),
            |b| super::s3::shown(b),
        )
    }
}
