//! Every answer the endpoint sends, encoded in one place: STS and S3
//! success envelopes and errors, with the request-id headers each service
//! sends.

use super::request::Outgoing;
use super::wire;
use xacct_sim::{AwsError, RequestId, Service};

/// An error as `service` sends it.
/// The answer to a request the world answered with another operation's
/// output: the simulator's bug, answered as the service answers its own
/// internal errors (STS `InternalFailure`, IAM `ServiceFailure`,
/// Organizations `ServiceException`, S3 `InternalError`, each a 500).
pub(super) fn mismatched(
    id: RequestId,
    service: Service,
    operation: &str,
    got: &xacct_sim::Response,
) -> Outgoing {
    let code = match service {
        Service::Sts => "InternalFailure",
        Service::Iam => "ServiceFailure",
        Service::Organizations => "ServiceException",
        Service::S3 => "InternalError",
    };
    let message = format!("the simulator answered {operation} with {}", got.shown());
    error(id, service, &AwsError::new(code, 500, message))
}

pub(super) fn error(id: RequestId, service: Service, err: &AwsError) -> Outgoing {
    match service {
        Service::Sts | Service::Iam => {
            let id = id.query();
            Outgoing {
                user_headers: Vec::new(),
                bytes: None,
                status: err.status,
                headers: vec![
                    ("content-type", "text/xml".to_owned()),
                    ("x-amzn-requestid", id.clone()),
                ],
                body: wire::query_error(namespace(service), err, &id),
            }
        }
        Service::Organizations => {
            let id = id.query();
            let (code, status) = json_error_code(err);
            Outgoing {
                user_headers: Vec::new(),
                bytes: None,
                status,
                headers: vec![
                    ("content-type", "application/x-amz-json-1.1".to_owned()),
                    ("x-amzn-requestid", id),
                ],
                body: serde_json::json!({"__type": code, "Message": err.message}).to_string(),
            }
        }
        Service::S3 => {
            let id = id.s3();
            let host = format!("{id}{id}");
            let mut headers = s3_headers(&id);
            headers.extend(err.headers.iter().cloned());
            // A 304 has no body (RFC 9110 15.4.5).
            let body = if err.status == 304 {
                String::new()
            } else {
                wire::s3_error(err, &id, &host)
            };
            Outgoing {
                user_headers: Vec::new(),
                bytes: None,
                status: err.status,
                headers,
                body,
            }
        }
    }
}

/// S3's `204 No Content` (a delete, a configuration put).
pub(super) fn s3_no_content(id: &RequestId) -> Outgoing {
    Outgoing {
        user_headers: Vec::new(),
        bytes: None,
        status: 204,
        headers: s3_ids(id),
        body: String::new(),
    }
}

/// A 200 with S3's request-id headers and `extra`, and no body.
pub(super) fn s3_headers_only(id: &RequestId, extra: Vec<(&'static str, String)>) -> Outgoing {
    let mut headers = s3_ids(id);
    headers.extend(extra);
    Outgoing {
        user_headers: Vec::new(),
        bytes: None,
        status: 200,
        headers,
        body: String::new(),
    }
}

/// S3's request-id headers, without a content type (an object's answer).
pub(super) fn s3_ids(id: &RequestId) -> Vec<(&'static str, String)> {
    let id = id.s3();
    vec![
        ("x-amz-request-id", id.clone()),
        ("x-amz-id-2", format!("{id}{id}")),
        ("server", "AmazonS3".to_owned()),
    ]
}

fn s3_headers(id: &str) -> Vec<(&'static str, String)> {
    vec![
        ("content-type", "application/xml".to_owned()),
        ("x-amz-request-id", id.to_owned()),
        ("x-amz-id-2", format!("{id}{id}")),
        ("server", "AmazonS3".to_owned()),
    ]
}

/// The XML namespace of a query-protocol service.
fn namespace(service: Service) -> &'static str {
    match service {
        Service::Iam => wire::IAM_NS,
        Service::Sts | Service::S3 | Service::Organizations => wire::STS_NS,
    }
}

/// The JSON protocol's name and status for an error the shared auth path
/// words in the query protocol's terms (the AWS SDKs' JSON-protocol
/// services answer an unknown key with `UnrecognizedClientException`, a bad
/// signature with `InvalidSignatureException`, both 400).
fn json_error_code(err: &AwsError) -> (String, u16) {
    let renamed = match err.code.as_str() {
        "InvalidClientTokenId" => Some(("UnrecognizedClientException", 400)),
        "SignatureDoesNotMatch" => Some(("InvalidSignatureException", 400)),
        "ExpiredToken" => Some(("ExpiredTokenException", 400)),
        "IncompleteSignature" => Some(("IncompleteSignatureException", 400)),
        "MissingAuthenticationToken" => Some(("MissingAuthenticationTokenException", 403)),
        "AccessDenied" => Some(("AccessDeniedException", 400)),
        _ => None,
    };
    renamed.map_or_else(
        || (err.code.clone(), err.status),
        |(code, status)| (code.to_owned(), status),
    )
}

/// A JSON-protocol success of AWS Organizations.
pub(super) fn organizations(id: RequestId, body: &serde_json::Value) -> Outgoing {
    Outgoing {
        user_headers: Vec::new(),
        bytes: None,
        status: 200,
        headers: vec![
            ("content-type", "application/x-amz-json-1.1".to_owned()),
            ("x-amzn-requestid", id.query()),
        ],
        body: body.to_string(),
    }
}

/// An STS success: `<ActionResponse><ActionResult>result</ActionResult>...`.
pub(super) fn sts(id: RequestId, action: &str, result: &str) -> Outgoing {
    query(id, Service::Sts, action, result)
}

/// A query-protocol success of `service` (STS or IAM).
pub(super) fn query(id: RequestId, service: Service, action: &str, result: &str) -> Outgoing {
    let id = id.query();
    Outgoing {
        user_headers: Vec::new(),
        bytes: None,
        status: 200,
        headers: vec![
            ("content-type", "text/xml".to_owned()),
            ("x-amzn-requestid", id.clone()),
        ],
        body: wire::query_success(namespace(service), action, result, &id),
    }
}

/// An S3 success with its XML body.
pub(super) fn s3(id: RequestId, body: String) -> Outgoing {
    Outgoing {
        user_headers: Vec::new(),
        bytes: None,
        status: 200,
        headers: s3_headers(&id.s3()),
        body,
    }
}
