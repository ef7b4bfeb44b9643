//! SCPs and RCPs in a decision: guardrails that grant nothing, with one
//! level per node from the organization root to the account, each of which
//! must allow ("an explicit Allow statement at every level from the root
//! through each OU in the direct path to the account", AWS Organizations
//! User Guide, SCP evaluation). Their denies count like any other. Also
//! the named policy every kind of policy is handed over as.

use super::kind::PolicyKind;
use super::policy::Policy;

/// A policy with the name explanations use for it.
#[derive(Debug, Clone, Copy)]
pub struct NamedPolicy<'a> {
    /// The policy's name (an inline policy name, a file name, ...).
    pub name: &'a str,
    /// The document.
    pub policy: &'a Policy,
}

/// The guardrail policies attached to one node of an organization (its
/// root, an OU, an account): at least one of them must allow.
#[derive(Debug, Clone, Default)]
pub struct Level<'a> {
    /// The node, for explanations: `OU Production (ou-ab12-11111111)`.
    pub node: &'a str,
    /// The policies attached to it.
    pub policies: Vec<NamedPolicy<'a>>,
}

/// Where one level's statements are in the trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelSpan<'a> {
    /// SCP or RCP.
    pub kind: PolicyKind,
    /// The node.
    pub node: &'a str,
    /// The first statement's index in the trace.
    pub start: usize,
    /// One past the last.
    pub end: usize,
}
