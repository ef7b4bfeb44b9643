//! The IAM policy engine: a pure module (no async, no SDK, no I/O). Policy
//! documents in, decisions with their explanation out, plus a linter for the
//! risky trust and identity policies that cross-account setups invite.
//!
//! The public surface is the re-exports below; the modules stay private.

mod action_index;
mod action_pattern;
mod analyze;
mod arn;
mod caller;
mod condition;
mod context;
mod document;
mod elements;
mod eval;
pub mod explain;
mod glob;
mod guardrails;
pub mod issuers;
mod kind;
mod lint;
mod matching;
mod not_principal;
mod parse;
mod pattern;
mod piece;
mod placeholder;
mod policy;
mod principal;
mod print;
mod request;
mod rules;
mod syntax;
mod tally;
mod trace;
mod unknown;

pub use analyze::{Analysis, Verdict, analyze};
pub use arn::{Arn, ArnError, is_account_id};
pub use caller::{Caller, CallerError, CallerKind};
pub use condition::{Family, Operator, SetQualifier, Test, Value};
pub use context::Context;
pub use document::{Document, JsonError, read_unique, yaml_message};
pub use eval::{
    Decision, Evaluation, Grant, Policies, Side, StatementRef, StatementTrace, evaluate,
};
pub use guardrails::{Level, LevelSpan, NamedPolicy, RCP_SERVICES, rcps_cover, scps_bind};
pub use kind::PolicyKind;
pub use lint::{Finding, Rule, Severity, Target, lint};
pub use matching::Miss;
pub use not_principal::not_principal_refusal;
pub use parse::{parse, parse_as, parse_text, parse_text_as};
pub use pattern::{Pattern, PatternError};
pub use piece::{Piece, Variable};
pub use placeholder::is_placeholder;
pub use policy::{
    ActionPattern, Actions, Condition, Effect, Policy, Principals, ResourcePattern, Resources,
    Statement, Version,
};
pub use principal::{PrincipalMatch, PrincipalName, PrincipalType, PrincipalValue};
pub use print::{statement_to_json, to_json as policy_to_json};
pub use request::Request;
pub use rules::{CallerRule, OwnPolicyRule, RuleEffect, caller_rule, is_trust_action};
pub use syntax::ParseError;
pub use unknown::{Need, Unknown};
