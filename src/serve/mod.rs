//! `xacct serve`: the simulated world over HTTP, speaking the STS query
//! protocol and S3's REST-XML ListBuckets with SigV4 verified, so any AWS SDK
//! or the AWS CLI can run against it with `--endpoint-url`.

pub mod auth;
pub mod handler;
mod s3_api;
pub mod server;
pub mod sigv4;
mod sts_api;
pub mod wire;

pub use handler::{Endpoint, Incoming, LogLine, Outgoing, handle};
pub use server::{Running, start};
