//! The policy model: documents as IAM's grammar defines them, compiled for
//! evaluation but keeping the text as written (for explanations, linting and
//! printing back).

pub use super::action_pattern::ActionPattern;
use super::condition::{Operator, Value};
use super::pattern::Pattern;
use super::principal::PrincipalValue;

/// The policy language version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// `2008-10-17`: no policy variables.
    V2008,
    /// `2012-10-17`: the current version.
    V2012,
}

impl Version {
    /// The version string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V2008 => "2008-10-17",
            Self::V2012 => "2012-10-17",
        }
    }
}

/// A policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// `Version` as written; `None` when missing (which means 2008-10-17).
    pub version: Option<Version>,
    /// `Id`.
    pub id: Option<String>,
    /// The statements, shared so that an explanation can keep the ones that
    /// decided without copying them.
    pub statements: Vec<std::sync::Arc<Statement>>,
    /// Whether `Statement` was written as a single object rather than a list.
    pub single_statement: bool,
}

impl Policy {
    /// The version in force: missing means 2008-10-17.
    pub fn effective_version(&self) -> Version {
        self.version.unwrap_or(Version::V2008)
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `Allow`.
    Allow,
    /// `Deny`.
    Deny,
}

impl Effect {
    /// The word as IAM writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "Allow",
            Self::Deny => "Deny",
        }
    }
}

/// `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq)]
pub enum Principals {
    /// `Principal`: the statement applies to these.
    Only(Vec<PrincipalValue>),
    /// `NotPrincipal`: the statement applies to everyone else.
    AllBut(Vec<PrincipalValue>),
}

/// `Action` or `NotAction`.
#[derive(Debug, Clone, PartialEq)]
pub enum Actions {
    /// `Action`.
    Only(Vec<ActionPattern>),
    /// `NotAction`.
    AllBut(Vec<ActionPattern>),
}

/// One `Resource` / `NotResource` value.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourcePattern {
    /// As written.
    pub raw: String,
    /// The pattern (case-sensitive; with variables in 2012-10-17); for a
    /// placeholder, what it could name once deployed (each placeholder a
    /// `*`), which no request matches.
    pub pattern: Pattern,
    /// The service segment of an ARN pattern; `None` for `*` and a
    /// placeholder.
    pub service: Option<String>,
    /// Whether it is (or contains) a placeholder for a value only a
    /// deployment knows (see [`super::is_placeholder`]).
    pub placeholder: bool,
}

/// `Resource` or `NotResource`.
#[derive(Debug, Clone, PartialEq)]
pub enum Resources {
    /// `Resource`.
    Only(Vec<ResourcePattern>),
    /// `NotResource`.
    AllBut(Vec<ResourcePattern>),
}

/// One operator/key pair of a `Condition` block with its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The operator as written (`StringEqualsIfExists`, ...).
    pub operator_name: String,
    /// The parsed operator.
    pub operator: Operator,
    /// The key as written.
    pub key: String,
    /// The key lower-cased (key names are case-insensitive).
    pub key_lower: String,
    /// The values as written.
    pub raw_values: Vec<String>,
    /// Whether the values were written as a list.
    pub values_as_list: bool,
    /// The values, compiled for the operator's family.
    pub values: Vec<Value>,
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// `Sid` (shared, so explanations can refer to it without copying).
    pub sid: Option<std::sync::Arc<str>>,
    /// `Effect`.
    pub effect: Effect,
    /// `Principal` / `NotPrincipal` (resource and trust policies only).
    pub principals: Option<Principals>,
    /// `Action` / `NotAction`.
    pub actions: Actions,
    /// `Resource` / `NotResource` (absent in trust policies).
    pub resources: Option<Resources>,
    /// `Condition`, one entry per operator and key.
    pub conditions: Vec<Condition>,
    /// The action list indexed by service, when it is long.
    pub(super) action_index: Option<super::action_index::ActionIndex>,
}
