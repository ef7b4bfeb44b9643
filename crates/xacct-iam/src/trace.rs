//! The trace of an evaluation: where each statement is, and how it fared
//! against the request (applies, missed on an element, or, in an analysis,
//! applies only if its undecided elements hold).

use super::kind::PolicyKind;
use super::matching::Miss;
use super::policy::Effect;
use super::principal::PrincipalMatch;
use super::unknown::Unknown;

/// Where a statement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatementRef<'a> {
    /// The policy's name.
    pub policy: &'a str,
    /// What kind of policy it is.
    pub kind: PolicyKind,
    /// The statement's index (0-based).
    pub index: usize,
    /// Its `Sid`, if any.
    pub sid: Option<&'a str>,
}

/// How one statement fared.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementTrace<'a> {
    /// Where it is.
    pub at: StatementRef<'a>,
    /// Its effect.
    pub effect: Effect,
    /// `Ok` when it applies (with how its principal matched, for resource
    /// and trust policies), or the element that did not match.
    pub result: Result<Option<PrincipalMatch>, Miss<'a>>,
    /// In an open context (an analysis), what it could not decide: with an
    /// `Ok` result, the statement applies only if these hold. Always empty
    /// for a request's concrete context.
    pub unknown: Vec<Unknown<'a>>,
}

impl StatementTrace<'_> {
    /// Whether the statement surely applies.
    pub fn applies(&self) -> bool {
        self.result.is_ok() && self.unknown.is_empty()
    }

    /// Whether it applies only if its undecided elements hold.
    pub fn undecided(&self) -> bool {
        self.result.is_ok() && !self.unknown.is_empty()
    }
}
