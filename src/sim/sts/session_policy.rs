//! The inline session policy of AssumeRole and GetFederationToken: the STS
//! model's limits, then the IAM grammar, each refused in AWS's words.

use super::super::aws_error::{AwsError, text_violations};
use crate::cloud::params::POLICY;
use crate::iam::{Policy, PolicyKind, parse_text_as};

/// The session policy, compiled; `None` when none was passed.
pub(super) fn session_policy(text: Option<&str>) -> Result<Option<Policy>, AwsError> {
    let Some(text) = text else { return Ok(None) };
    let violations = text_violations(&POLICY, text);
    if !violations.is_empty() {
        return Err(AwsError::validation(&violations));
    }
    parse_text_as(text, PolicyKind::Session)
        .map(Some)
        .map_err(|e| {
            AwsError::malformed_policy(&format!(
                "Syntax errors in policy. ({}: {})",
                e.path, e.message
            ))
        })
}

/// `PackedPolicySize`: the share of the packed-policy allowance a session
/// policy uses, in percent (an estimate from its length; AWS packs it
/// in a compressed binary form whose size is not published).
pub(super) fn packed_size(text: Option<&str>) -> Option<i32> {
    text.map(|p| i32::try_from(p.len() * 100 / 2048).unwrap_or(100).max(1))
}
