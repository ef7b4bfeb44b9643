//! Mapping SDK failures to [`CloudError`], keeping what AWS said.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::request_id::RequestId;

use crate::cloud::{CloudError, ErrorClass, Operation, error_chain};

/// Maps an SDK error of any operation.
pub(super) fn from_sdk<E>(operation: Operation, err: SdkError<E, HttpResponse>) -> CloudError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let request_id = err.request_id().map(str::to_owned);
    match &err {
        SdkError::ServiceError(context) => {
            let status = context.raw().status().as_u16();
            let meta = context.err().meta();
            let message = meta
                .message()
                .map(str::to_owned)
                .unwrap_or_else(|| error_chain(context.err()));
            let mut mapped =
                CloudError::from_aws(operation, meta.code(), message, Some(status), None);
            mapped.request_id = request_id.or_else(|| meta.request_id().map(str::to_owned));
            mapped
        }
        SdkError::TimeoutError(_) => CloudError::local(
            operation,
            ErrorClass::Unavailable,
            "no answer within the timeout; check the endpoint and the network, or raise --timeout",
        ),
        SdkError::DispatchFailure(failure) => {
            let class = if failure.is_io() || failure.is_timeout() {
                ErrorClass::Unavailable
            } else {
                ErrorClass::Unexpected
            };
            CloudError::local(
                operation,
                class,
                format!("the request could not be sent: {}", error_chain(&err)),
            )
        }
        SdkError::ResponseError(context) => {
            let status = context.raw().status().as_u16();
            let mut mapped = CloudError::local(
                operation,
                ErrorClass::of(None, Some(status)),
                format!(
                    "the answer (HTTP {status}) could not be read as an AWS response: {}",
                    error_chain(&err)
                ),
            );
            mapped.status = Some(status);
            mapped.request_id = request_id;
            mapped
        }
        _ => CloudError::local(
            operation,
            ErrorClass::Unexpected,
            format!("the request could not be built: {}", error_chain(&err)),
        ),
    }
}
