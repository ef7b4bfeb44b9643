//! The endpoint's limits: how long a client may take to send headers and a
//! body, how long an idle connection stays open, how many connections are
//! served at once, how large a request may be, how long a stop waits for
//! requests in flight, and how fast the request log may grow. One set for
//! every protocol the endpoint speaks.

use std::time::Duration;

/// Limits of one server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Time to receive a request's headers; it also closes a keep-alive
    /// connection that sends no next request (hyper starts it when it waits
    /// for a request head).
    pub header_timeout: Duration,
    /// Time to receive a request's body once its headers are in; also how
    /// long a write of an answer may wait for the client to read.
    pub body_timeout: Duration,
    /// Connections served at once; at the cap a new one closes the
    /// connection idle the longest, or waits for one to finish when every
    /// connection has a request in flight.
    pub max_connections: usize,
    /// The longest body accepted (STS form bodies are small; S3 ListBuckets
    /// has none).
    pub max_body: usize,
    /// The longest body of a `PUT` (an S3 object upload).
    pub max_object: usize,
    /// hyper's read buffer per connection, which bounds the header size too.
    pub max_header_bytes: usize,
    /// How long a stop waits for requests in flight before closing them.
    pub shutdown_grace: Duration,
    /// Bytes of request log a second, for every connection together; the
    /// log may write [`crate::LOG_BURST_SECONDS`] seconds of it at once.
    pub log_rate: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_connections: 1024,
            max_body: 64 * 1024,
            max_object: 64 * 1024 * 1024,
            max_header_bytes: 16 * 1024,
            shutdown_grace: Duration::from_secs(5),
            log_rate: 2 << 20,
        }
    }
}
