//! One HTTP request in, one AWS-shaped answer out: routing by the SigV4
//! scope's service and the request's shape, signature verification, then the
//! simulated world's STS or S3 operation. Pure apart from the world's state,
//! so it is tested without sockets.

use super::sigv4;
use super::wire;
use crate::sim::aws_error::{AwsError, Service};
use crate::sim::decide::Why;
use crate::sim::faults::Faults;
use crate::sim::world::World;

pub use super::auth::{MAX_SKEW, verify};
use super::s3_api::s3_request;
use super::sts_api::sts_request;

/// The longest body accepted (STS form bodies are small; S3 ListBuckets has none).
pub const BODY_LIMIT: usize = 64 * 1024;

/// A request as the server received it.
#[derive(Debug, Clone, Default)]
pub struct Incoming {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path as sent (still percent-encoded).
    pub path: String,
    /// The raw query string, without `?`.
    pub query: String,
    /// Header names lower-cased, values as sent.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Incoming {
    /// Every value of a header, joined with `,` as SigV4 canonicalises them.
    pub fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(","))
    }
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The HTTP status.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: String,
}

/// One line of the request log: caller, operation, decision and why (never a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// `sts:AssumeRole`, ...
    pub operation: String,
    /// The caller's ARN, or its key id, or `anonymous`.
    pub caller: String,
    /// The HTTP status.
    pub status: u16,
    /// `allowed`, or the error code.
    pub outcome: String,
    /// Why, when known.
    pub reason: Option<String>,
}

/// The simulated endpoint: a world, its faults, the regions it answers for.
#[derive(Debug)]
pub struct Endpoint {
    /// The world.
    pub world: std::sync::Arc<World>,
    /// Scripted faults.
    pub faults: Faults,
    /// Regions a signature may be scoped to.
    pub regions: Vec<String>,
}

impl Endpoint {
    /// An endpoint over a world: it accepts the world's region, and
    /// `us-east-1` (where clients of the global STS endpoint sign).
    pub fn new(world: std::sync::Arc<World>, faults: Faults) -> Self {
        let region = world.model.region.clone();
        let mut regions = vec![region];
        if !regions.iter().any(|r| r == "us-east-1") {
            regions.push("us-east-1".to_owned());
        }
        Self {
            world,
            faults,
            regions,
        }
    }
}

pub(super) fn s3_request_id(world: &World) -> String {
    format!(
        "{:016X}",
        world.next_serial().wrapping_mul(0x9E37_79B9_7F4A_7C15)
    )
}

fn error_response(endpoint: &Endpoint, service: Service, err: &AwsError) -> Outgoing {
    match service {
        Service::Sts => {
            let id = endpoint.world.request_id();
            Outgoing {
                status: err.status,
                headers: vec![
                    ("content-type", "text/xml".to_owned()),
                    ("x-amzn-requestid", id.clone()),
                ],
                body: wire::sts_error(err, &id),
            }
        }
        Service::S3 => {
            let id = s3_request_id(&endpoint.world);
            let host = format!("{id}{id}");
            Outgoing {
                status: err.status,
                headers: vec![
                    ("content-type", "application/xml".to_owned()),
                    ("x-amz-request-id", id.clone()),
                    ("x-amz-id-2", host.clone()),
                    ("server", "AmazonS3".to_owned()),
                ],
                body: wire::s3_error(err, &id, &host),
            }
        }
    }
}

/// Which service a request is for: the SigV4 scope says; without one, a
/// request carrying `Action=` is STS and anything else S3.
pub fn route(req: &Incoming) -> Service {
    if let Some(auth) = req
        .header("authorization")
        .and_then(|a| sigv4::parse_auth_header(&a).ok())
    {
        return if auth.service == "sts" {
            Service::Sts
        } else {
            Service::S3
        };
    }
    let has_action = |s: &str| form(s).iter().any(|(k, _)| k == "Action");
    if has_action(&req.query)
        || (req.method == "POST" && has_action(&String::from_utf8_lossy(&req.body)))
    {
        Service::Sts
    } else {
        Service::S3
    }
}

pub(super) fn form(text: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Answers one request, and says what to log.
pub fn handle(endpoint: &Endpoint, req: &Incoming) -> (Outgoing, LogLine) {
    let service = route(req);
    let mut line = LogLine {
        operation: String::new(),
        caller: "anonymous".to_owned(),
        status: 200,
        outcome: "allowed".to_owned(),
        reason: None,
    };
    let result = match service {
        Service::Sts => sts_request(endpoint, req, &mut line),
        Service::S3 => s3_request(endpoint, req, &mut line),
    };
    if let Some(record) = endpoint.world.take_log().pop() {
        line.caller = record.caller;
        line.reason = record.why.map(|w: Why| w.summary);
    }
    let response = match result {
        Ok(response) => response,
        Err(err) => {
            line.outcome = err.code.clone();
            error_response(endpoint, service, &err)
        }
    };
    line.status = response.status;
    (response, line)
}
