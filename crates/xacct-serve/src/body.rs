//! Reading a request body within the endpoint's limits: a declared length
//! over the limit is refused before a byte is read, the body must arrive
//! within the body timeout, and each way it can fail is answered as the
//! service would.

use std::time::Duration;

use http_body_util::BodyExt;
use hyper::body::Incoming as Body;

use xacct_sim::{AwsError, Service};

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BodyError {
    /// Declared or sent beyond the limit.
    TooLarge,
    /// Not all of it arrived before the body timeout.
    Timeout,
    /// The connection ended early, or the chunked encoding is broken.
    Incomplete,
}

impl BodyError {
    /// The error the service answers with. S3's codes and texts are from the
    /// S3 API Reference error list; STS's for these HTTP-level failures are
    /// not documented for the query protocol, so the generic AWS texts are used.
    pub(super) fn aws(self, service: Service, limit: usize) -> AwsError {
        match (self, service) {
            (Self::TooLarge, Service::S3) => {
                AwsError::new("MaxMessageLengthExceeded", 400, "Your request was too big.")
            }
            (Self::TooLarge, Service::Sts | Service::Iam | Service::Organizations) => {
                AwsError::new(
                    "RequestEntityTooLarge",
                    413,
                    format!(
                        "Problems with the request at the HTTP level. The request entity is too large (this endpoint accepts {limit} bytes)."
                    ),
                )
            }
            (Self::Timeout, _) => AwsError::new(
                "RequestTimeout",
                400,
                "Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.",
            ),
            (Self::Incomplete, Service::S3) => AwsError::new(
                "IncompleteBody",
                400,
                "You did not provide the number of bytes specified by the Content-Length HTTP header",
            ),
            (Self::Incomplete, Service::Sts | Service::Iam | Service::Organizations) => {
                AwsError::new(
                    "MalformedHttpRequest",
                    400,
                    "Problems with the request at the HTTP level. The request body is incomplete or its chunked encoding is malformed.",
                )
            }
        }
    }
}

/// Reads a whole body of at most `limit` bytes within `timeout`;
/// `declared` is its `Content-Length`, when sent. The frames are copied
/// once, into a buffer of the declared size, so a large upload is held
/// once while it arrives.
pub(super) async fn read(
    body: Body,
    declared: Option<u64>,
    limit: usize,
    timeout: Duration,
) -> Result<bytes::Bytes, BodyError> {
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLarge);
    }
    let expected = declared.map_or(0, |n| usize::try_from(n).unwrap_or(limit));
    match tokio::time::timeout(timeout, gather(body, expected, limit)).await {
        Err(_) => Err(BodyError::Timeout),
        Ok(result) => result,
    }
}

async fn gather(mut body: Body, expected: usize, limit: usize) -> Result<bytes::Bytes, BodyError> {
    let mut buffer = bytes::BytesMut::with_capacity(expected);
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| BodyError::Incomplete)?;
        if let Ok(data) = frame.into_data() {
            if buffer.len().saturating_add(data.len()) > limit {
                return Err(BodyError::TooLarge);
            }
            buffer.extend_from_slice(&data);
        }
    }
    Ok(buffer.freeze())
}
