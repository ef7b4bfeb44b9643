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

/// Most characters of one client field of a printed log line: a caller it
/// claims or an operation it names cannot make a line longer than a few of
/// these, however large its request.
pub const FIELD_MAX: usize = 512;

impl LogLine {
    /// At most how many bytes the line takes once printed: each field is
    /// cut to [`FIELD_MAX`] characters, of up to four bytes each, plus the
    /// note of what was cut.
    pub(super) fn printed_size(&self) -> usize {
        let field = |s: &str| s.len().min(FIELD_MAX * 4 + 32);
        64 + field(&self.operation)
            + field(&self.caller)
            + self.account.as_deref().map_or(0, field)
            + field(&self.outcome)
            + self.reason.as_deref().map_or(0, field)
    }
}
