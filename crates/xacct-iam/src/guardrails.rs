//! SCPs and RCPs in a decision: guardrails that grant nothing, with one
//! level per node from the organization root to the account, each of which
//! must allow ("an explicit Allow statement at every level from the root
//! through each OU in the direct path to the account", AWS Organizations
//! User Guide, SCP evaluation). Their denies count like any other. Also
//! the named policy every kind of policy is handed over as.

use super::caller::{Caller, CallerKind};
use super::kind::PolicyKind;
use super::policy::Policy;

/// The services whose resources RCPs bound (AWS Organizations User Guide,
/// "Resource control policies", list of supported services); a request to
/// any other service is not bounded by RCPs at all.
pub const RCP_SERVICES: [&str; 11] = [
    "s3",
    "sts",
    "kms",
    "sqs",
    "secretsmanager",
    "dynamodb",
    "ecr",
    "logs",
    "cognito-identity",
    "es",
    "aoss",
];

/// Whether RCPs bound `action`: its service is one they cover.
pub fn rcps_cover(action: &str) -> bool {
    let service = action.split(':').next().unwrap_or_default();
    RCP_SERVICES.iter().any(|s| s.eq_ignore_ascii_case(service))
}

/// Whether SCPs bind the caller: a service-linked role (`AWSServiceRoleFor...`,
/// under `/aws-service-role/`) is exempt (AWS Organizations User Guide, SCPs:
/// "SCPs don't affect service-linked roles").
pub fn scps_bind(caller: &Caller) -> bool {
    !matches!(&caller.kind, CallerKind::RoleSession { role_name, role_path, .. }
        if role_name.starts_with("AWSServiceRoleFor") || role_path.starts_with("/aws-service-role/"))
}

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
