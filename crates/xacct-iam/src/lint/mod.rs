//! The policy linter: findings with a stable rule id, a severity, the place
//! (policy and statement) and a message that says the risk in one sentence
//! and how to fix it.
//!
//! Rule ids that are part of the scenario contract: `trust-account-principal`,
//! `trust-any-principal`, `trust-cross-account-no-external-id`,
//! `trust-not-principal-allow`, `identity-assume-any-role`,
//! `trust-oidc-no-sub`, `trust-oidc-sub-wildcard`, `trust-oidc-no-aud`,
//! `trust-condition-wildcard-in-equals`.

mod common;
mod identity;
mod oidc;
mod rule;
mod trust;

pub use rule::Rule;

use std::fmt;

use super::kind::PolicyKind;
use super::policy::Policy;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing.
    Low,
    /// A real risk in some setups.
    Medium,
    /// A real risk.
    High,
    /// Anyone can get in.
    Critical,
}

impl Severity {
    /// `low`, `medium`, `high`, `critical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The stable rule id.
    pub rule: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// The policy's name (a file, an inline policy name, a role ARN).
    pub policy: String,
    /// The statement's index, when the finding is about one statement.
    pub statement: Option<usize>,
    /// The risk in one sentence, and the fix.
    pub message: String,
}

/// What is being linted.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The policy's name for findings.
    pub name: &'a str,
    /// A trust policy or an identity policy.
    pub kind: PolicyKind,
    /// The account that owns the policy (the role's account for a trust
    /// policy), when known: needed for the cross-account rules.
    pub account: Option<&'a str>,
}

/// Every finding for one policy, in statement order.
pub fn lint(policy: &Policy, target: Target<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut report = |rule: Rule, severity, statement: Option<usize>, message: String| {
        findings.push(Finding {
            rule: rule.id(),
            severity,
            policy: target.name.to_owned(),
            statement,
            message,
        });
    };
    common::check(policy, &mut report);
    match target.kind {
        PolicyKind::Trust | PolicyKind::Resource | PolicyKind::Rcp => {
            trust::check(policy, target.account, &mut report)
        }
        PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Session | PolicyKind::Scp => {
            identity::check(policy, &mut report)
        }
    }
    findings.sort_by_key(|f| (f.statement, std::cmp::Reverse(f.severity)));
    findings
}

/// The reporting callback the rule modules use.
type Report<'a> = dyn FnMut(Rule, Severity, Option<usize>, String) + 'a;
