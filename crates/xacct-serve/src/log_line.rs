//! One line of the request log.

/// One line of the request log: caller, operation, decision and why (never
/// a secret). Fields that come from the client are escaped when printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// `sts:AssumeRole`, `s3:ListBuckets`, ...
    pub operation: String,
    /// The caller's ARN, or the key id it presented, or `anonymous`.
    pub caller: String,
    /// The caller's account, once authenticated.
    pub account: Option<String>,
    /// The HTTP status.
    pub status: u16,
    /// `allowed`, or the error code.
    pub outcome: String,
    /// Why, when known.
    pub reason: Option<String>,
}
