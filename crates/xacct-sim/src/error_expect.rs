//! An expected AWS error, as a scenario writes it wherever a call may fail.

use serde::Deserialize;

/// An expected AWS error.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorExpect {
    /// The AWS error code.
    pub error: String,
    /// The HTTP status.
    #[serde(default)]
    pub status: Option<u16>,
    /// The exact message.
    #[serde(default)]
    pub message: Option<String>,
    /// A part of the message.
    #[serde(default)]
    pub message_contains: Option<String>,
    /// Where this expectation comes from (a doc page, observed behaviour).
    #[serde(default)]
    pub source: Option<String>,
}
