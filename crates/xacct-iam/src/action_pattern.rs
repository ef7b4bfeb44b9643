//! One `Action` / `NotAction` value, as written and as matched.

use super::pattern::Pattern;

/// One `Action` / `NotAction` value.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionPattern {
    /// As written.
    pub raw: String,
    /// Lower-cased pattern (actions match case-insensitively).
    pub pattern: Pattern,
}
