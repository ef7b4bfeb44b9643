//! The IAM policy engine: a pure module (no async, no SDK, no I/O). Policy
//! documents in, decisions with their explanation out, plus a linter for the
//! risky trust and identity policies that cross-account setups invite.

pub mod arn;
pub mod condition;
pub mod context;
pub mod eval;
pub mod explain;
pub mod lint;
pub mod parse;
mod parse_elements;
pub mod pattern;
pub mod policy;
pub mod principal;
pub mod print;

pub use context::Context;
pub use eval::{Decision, Evaluation, NamedPolicy, Policies, Request, evaluate};
pub use parse::{ParseError, PolicyKind, parse, parse_text};
pub use policy::Policy;
pub use principal::Caller;
