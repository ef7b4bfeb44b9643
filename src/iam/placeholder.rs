//! Placeholders: a value only a deployment knows (a CloudFormation
//! parameter without a default, a value imported from another stack),
//! written `UNRESOLVED(what)` where a principal, a resource or a condition
//! value should be, alone or spliced into an ARN
//! (`arn:aws:iam::UNRESOLVED(parameter ToolsAccount):root`). In a request
//! it names nothing, so it matches nothing; in an analysis it is undecided,
//! so access it might give is never hidden.

/// The text that marks a placeholder.
pub const MARK: &str = "UNRESOLVED(";

/// Whether a value is, or contains, a placeholder.
pub fn is_placeholder(text: &str) -> bool {
    text.contains(MARK)
}
