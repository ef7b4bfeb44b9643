//! `xacct serve`: the simulated world over HTTP, speaking the STS query
//! protocol and S3's REST-XML ListBuckets with SigV4 verified, so any AWS SDK
//! or the AWS CLI can run against it with `--endpoint-url`.
//!
//! This module decodes, verifies and encodes; the world decides. Every
//! protocol shares one authentication path ([`auth`]) and one set of
//! [`Limits`]; the one STS action AWS takes unsigned
//! (AssumeRoleWithWebIdentity, whose token is the credential) skips SigV4
//! but not the limits.

mod auth;
mod aws_chunked;
mod body;
mod chunk_signatures;
mod endpoint;
mod federation;
mod handler;
mod iam_api;
mod iam_wire;
mod idle;
mod limits;
mod log_budget;
mod log_line;
mod log_rate;
mod memory;
mod org_api;
mod reply;
mod request;
mod s3_api;
mod s3_buckets;
mod s3_host;
mod s3_multipart;
mod s3_objects;
mod s3_payload;
mod s3_refusals;
mod s3_route;
mod s3_upload_list;
mod server;
pub mod sigv4;
mod sts_api;
mod sts_lists;
mod sts_unsigned;
mod unknown_service;
mod why_log;
mod why_route;
mod wire;
mod write_deadline;
mod xml_read;

pub use auth::{MAX_SKEW, verify};
pub use endpoint::Endpoint;
pub use handler::{LogLine, handle};
pub use limits::Limits;
pub use log_line::FIELD_MAX as LOG_FIELD_MAX;
pub use log_rate::BURST_SECONDS as LOG_BURST_SECONDS;
pub use request::{Incoming, Outgoing};
pub use server::{Logger, Running, start};
pub use why_route::KEY_HEADER as EXPLAIN_KEY_HEADER;
pub use wire::xml as xml_text;
