//! The simulated world behind the same STS/S3 seam as the real client, so
//! the flow's own code runs against it. Each call is authenticated, then
//! answered by [`World::call`] (scripted faults included), and failed calls
//! are retried exactly as the SDK's standard retry policy would: the same
//! throttling and transient error codes (taken from the SDK's own
//! classifier lists), the same statuses, the same number of attempts. Each
//! call's record (caller, answer, reason) goes to this cloud's own log.

use std::sync::{Arc, Mutex, PoisonError};

use super::answer::{Answer, CallRecord};
use super::aws_error::{AwsError, Service};
use super::bucket_page::BucketListing;
use super::data::bucket_ops::BucketCall;
use super::object_page::ObjectListing;
use super::operation::{Request, Response, UnsignedRequest, WebIdentityRequest};
use super::world::{Refusal, World};
use xacct_aws::cloud::{
    AssumeRoleRequest, AssumedRole, Bucket, CallerIdentity, CloudError, Credentials, ListingCaps,
    ObjectAnswer, ObjectCall, Operation, OrgListing, Organizations, S3, S3Objects, Sts,
};
use xacct_aws::secret::Secret;

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
    max_attempts: u32,
    log: Arc<Mutex<Vec<CallRecord>>>,
}

/// Takes the output an operation is known to give out of its [`Response`].
macro_rules! output {
    ($response:expr, $variant:ident) => {
        match $response {
            Response::$variant(value) => Ok(value),
            other => Err(other),
        }
    };
}

impl SimCloud {
    /// A cloud over `world` (its scripted faults included).
    pub fn new(world: Arc<World>) -> Self {
        Self {
            world,
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

    /// One signed call: authentication, then the world's answer, retried
    /// as the SDK retries.
    fn call(
        &self,
        operation: Operation,
        caller: &Credentials,
        request: &Request,
    ) -> Result<Response, CloudError> {
        let service = match operation {
            _ if operation.is_s3() => Service::S3,
            Operation::ListOrganization => Service::Organizations,
            _ => Service::Sts,
        };
        self.attempts(operation, request.name(), request.target(), || {
            match self.world.authenticate(caller, service) {
                Ok(principal) => self.world.call(&principal, request.clone()),
                Err(refusal) => {
                    let Refusal { caller, error, why } = *refusal;
                    Answer::refused(self.world.request_id(), caller, error, why)
                }
            }
        })
    }

    /// Attempts until an answer is final, each one recorded.
    fn attempts(
        &self,
        operation: Operation,
        name: &'static str,
        target: Option<&str>,
        answer: impl Fn() -> Answer<Response>,
    ) -> Result<Response, CloudError> {
        let mut attempt = 1;
        loop {
            let answer = answer();
            self.record(answer.record(name, target.map(str::to_owned), Response::shown));
            match answer.result {
                Ok(value) => return Ok(value),
                Err(err) if attempt < self.max_attempts && is_retryable(&err) => attempt += 1,
                Err(err) => {
                    let id = if operation.is_s3() {
                        answer.request_id.s3()
                    } else {
                        answer.request_id.query()
                    };
                    return Err(err.into_cloud(operation, &id));
                }
            }
        }
    }

    /// The error for an answer of the wrong kind (the world answers each
    /// request with its own output, so this names a bug, not a refusal).
    fn mismatched(&self, operation: Operation, got: &Response) -> CloudError {
        AwsError::new(
            "InternalFailure",
            500,
            format!(
                "the simulator answered {} with {}",
                operation.name(),
                got.shown()
            ),
        )
        .into_cloud(operation, &self.world.request_id().query())
    }
}

impl Sts for SimCloud {
    async fn get_caller_identity(
        &self,
        caller: &Credentials,
    ) -> Result<CallerIdentity, CloudError> {
        let operation = Operation::GetCallerIdentity;
        let response = self.call(operation, caller, &Request::GetCallerIdentity)?;
        output!(response, CallerIdentity).map_err(|r| self.mismatched(operation, &r))
    }

    async fn assume_role(
        &self,
        caller: &Credentials,
        request: &AssumeRoleRequest,
    ) -> Result<AssumedRole, CloudError> {
        let operation = Operation::AssumeRole;
        let response = self.call(operation, caller, &Request::AssumeRole(request.clone()))?;
        output!(response, AssumedRole).map_err(|r| self.mismatched(operation, &r))
    }

    async fn assume_role_with_web_identity(
        &self,
        token: &Secret,
        request: &AssumeRoleRequest,
    ) -> Result<AssumedRole, CloudError> {
        let operation = Operation::AssumeRoleWithWebIdentity;
        let input = UnsignedRequest::AssumeRoleWithWebIdentity(WebIdentityRequest {
            token: token.clone(),
            request: request.clone(),
        });
        let response =
            self.attempts(operation, operation.name(), Some(&request.role_arn), || {
                self.world.call_unsigned(input.clone())
            })?;
        output!(response, AssumedRole).map_err(|r| self.mismatched(operation, &r))
    }
}

impl Organizations for SimCloud {
    /// One `organizations:ListAccounts` call (faults scripted for that
    /// name apply) answering with the whole tree.
    async fn list_org_accounts(
        &self,
        caller: &Credentials,
        caps: ListingCaps,
    ) -> Result<OrgListing, CloudError> {
        let operation = Operation::ListOrganization;
        let response = self.call(operation, caller, &Request::ListOrganization)?;
        let listing =
            output!(response, Organization).map_err(|r| self.mismatched(operation, &r))?;
        caps.check_accounts(listing.accounts.len())?;
        Ok(listing)
    }
}

impl S3 for SimCloud {
    /// `s3:ListObjectsV2` on `bucket`: its keys under `prefix` (a scenario
    /// run's `read_bucket` and `list_objects` steps).
    async fn list_objects(
        &self,
        caller: &Credentials,
        bucket: &str,
        prefix: Option<&str>,
    ) -> Result<Vec<String>, CloudError> {
        let operation = Operation::ListObjects;
        let mut listing = ObjectListing::under(prefix);
        let mut keys = Vec::new();
        loop {
            let request = Request::ListObjects {
                bucket: bucket.to_owned(),
                listing: listing.clone(),
            };
            let response = self.call(operation, caller, &request)?;
            let page = output!(response, Objects).map_err(|r| self.mismatched(operation, &r))?;
            keys.extend(page.objects.into_iter().map(|(key, _)| key));
            match page.next {
                Some(next) => listing.continuation_token = Some(next),
                None => return Ok(keys),
            }
        }
    }

    async fn list_buckets(&self, caller: &Credentials) -> Result<Vec<Bucket>, CloudError> {
        let operation = Operation::ListBuckets;
        let request = Request::ListBuckets(BucketListing::default());
        let response = self.call(operation, caller, &request)?;
        output!(response, Buckets)
            .map(|page| page.buckets)
            .map_err(|r| self.mismatched(operation, &r))
    }
}

impl S3Objects for SimCloud {
    async fn object(
        &self,
        caller: &Credentials,
        call: &ObjectCall,
    ) -> Result<ObjectAnswer, CloudError> {
        let operation = call.operation();
        let response = self.call(operation, caller, &Request::Object(call.clone()))?;
        output!(response, Object).map_err(|r| self.mismatched(operation, &r))
    }

    async fn set_bucket_policy(
        &self,
        caller: &Credentials,
        bucket: &str,
        policy: Option<&str>,
    ) -> Result<(), CloudError> {
        let operation = Operation::PutBucketPolicy;
        let call = match policy {
            Some(text) => BucketCall::PutPolicy(text.to_owned()),
            None => BucketCall::DeletePolicy,
        };
        let request = Request::Bucket {
            bucket: bucket.to_owned(),
            call,
        };
        let response = self.call(operation, caller, &request)?;
        output!(response, Bucket)
            .map(|_| ())
            .map_err(|r| self.mismatched(operation, &r))
    }
}
