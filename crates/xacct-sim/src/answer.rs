//! What every operation of the world returns: its result together with
//! the caller it resolved and the reason it decided as it did. Each face
//! (the seam, the endpoint, the narration) reads these from the answer it
//! got, never from shared state, so concurrent calls cannot mix them up.

use super::aws_error::AwsError;
use super::request_id::RequestId;
use std::sync::Arc;

use xacct_iam::{Decision, PolicyKind, Statement, StatementRef, explain, statement_to_json};

/// Why a call was allowed or refused: the decision and one sentence, then
/// the lines that explain it, kept as data (the deciding statements
/// themselves, shared with the world) and rendered only when a face shows
/// them ([`Why::details`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Why {
    /// The decision, when the IAM engine made it.
    pub decision: Option<Decision>,
    /// One sentence.
    pub summary: String,
    details: Vec<Detail>,
}

/// One line of an explanation, as data.
#[derive(Debug, Clone, PartialEq)]
enum Detail {
    /// A sentence.
    Text(String),
    /// A statement that decided, and where it stands.
    Statement {
        /// The kind of policy it is in.
        kind: PolicyKind,
        /// The policy's name.
        policy: String,
        /// Its index in the policy.
        index: usize,
        /// The statement.
        statement: Arc<Statement>,
    },
}

impl Why {
    /// A refusal (or acceptance) that is not an IAM decision.
    pub fn rule(summary: impl Into<String>) -> Self {
        Self::decided(None, summary)
    }

    /// A decision and its sentence, with no lines yet.
    pub(crate) fn decided(decision: Option<Decision>, summary: impl Into<String>) -> Self {
        Self {
            decision,
            summary: summary.into(),
            details: Vec::new(),
        }
    }

    /// Adds a sentence after the lines so far.
    pub fn note(&mut self, line: impl Into<String>) {
        self.details.push(Detail::Text(line.into()));
    }

    /// This decision followed by another one the call also needed (S3's,
    /// then the KMS key's): the lines of both, the second introduced by
    /// `label` and its summary; the second's decision and summary lead
    /// when it refused.
    pub(crate) fn and_then(mut self, label: &str, other: Why) -> Self {
        let refused = other.decision.is_some_and(|d| d != Decision::Allow);
        self.details
            .push(Detail::Text(format!("{label}: {}", other.summary)));
        self.details.extend(other.details);
        if refused {
            self.decision = other.decision;
            self.summary = other.summary;
        }
        self
    }

    /// Adds a deciding statement after the lines so far: shown as
    /// ``identity policy `homes/read` statement 1: {...}``.
    pub(crate) fn statement(
        &mut self,
        kind: PolicyKind,
        policy: &str,
        index: usize,
        statement: Arc<Statement>,
    ) {
        self.details.push(Detail::Statement {
            kind,
            policy: policy.to_owned(),
            index,
            statement,
        });
    }

    /// The lines that explain the decision, rendered now: policy excerpts
    /// (``trust policy `s3-viewer` statement 0: {...}``) and sentences.
    pub fn details(&self) -> Vec<String> {
        self.details
            .iter()
            .map(|detail| match detail {
                Detail::Text(text) => text.clone(),
                Detail::Statement {
                    kind,
                    policy,
                    index,
                    statement,
                } => {
                    let at = StatementRef {
                        policy,
                        kind: *kind,
                        index: *index,
                        sid: statement.sid.as_deref(),
                    };
                    format!(
                        "{}: {}",
                        explain::statement_name(&at),
                        statement_to_json(statement)
                    )
                }
            })
            .collect()
    }
}

/// Who made a call, as far as the world could tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    /// The caller's ARN, or the access key id it presented when it could not
    /// be authenticated.
    pub name: String,
    /// The caller's account, once authenticated.
    pub account: Option<String>,
}

impl Who {
    /// A caller known only by the key id it presented.
    pub fn key(key_id: &str) -> Self {
        Self {
            name: key_id.to_owned(),
            account: None,
        }
    }
}

/// An operation's result, with its own caller and reason, as the
/// operations give it to [`World::call`](super::world::World), which adds
/// the request id.
#[derive(Debug, Clone)]
pub(crate) struct Outcome<T> {
    /// What the operation returned, or AWS's error.
    pub result: Result<T, AwsError>,
    /// Who called.
    pub caller: Who,
    /// Why it was decided so, when a rule or the IAM engine decided.
    pub why: Option<Why>,
}

impl<T> Outcome<T> {
    /// An outcome refused before the operation ran.
    pub(crate) fn refused(caller: Who, error: AwsError, why: Why) -> Self {
        Self {
            result: Err(error),
            caller,
            why: Some(why),
        }
    }

    /// The same outcome with its result transformed.
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Outcome<U> {
        Outcome {
            result: self.result.map(f),
            caller: self.caller,
            why: self.why,
        }
    }

    /// The answer to the request `request_id`.
    pub(crate) fn answer(self, request_id: RequestId) -> Answer<T> {
        Answer {
            result: self.result,
            caller: self.caller,
            why: self.why,
            request_id,
        }
    }
}

/// A call's answer: its result, its own caller and reason, and the id of
/// the request, drawn once by the world for the call.
#[derive(Debug, Clone)]
pub struct Answer<T> {
    /// What the operation returned, or AWS's error.
    pub result: Result<T, AwsError>,
    /// Who called.
    pub caller: Who,
    /// Why it was decided so, when a rule or the IAM engine decided.
    pub why: Option<Why>,
    /// The request's id.
    pub request_id: RequestId,
}

impl<T> Answer<T> {
    /// An answer refused before the operation ran (authentication, a
    /// request a face cannot read), under the id drawn for it.
    pub fn refused(request_id: RequestId, caller: Who, error: AwsError, why: Why) -> Self {
        Outcome::refused(caller, error, why).answer(request_id)
    }

    /// The same answer with its result transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Answer<U> {
        Answer {
            result: self.result.map(f),
            caller: self.caller,
            why: self.why,
            request_id: self.request_id,
        }
    }

    /// The same answer with its result transformed by what needs the
    /// request id too (an encoder of the wire answer).
    pub fn map_with_id<U>(self, f: impl FnOnce(T, RequestId) -> U) -> Answer<U> {
        let id = self.request_id;
        self.map(|value| f(value, id))
    }

    /// The record of this call for a narration.
    pub fn record(
        &self,
        operation: &'static str,
        target: Option<String>,
        shown: impl FnOnce(&T) -> String,
    ) -> CallRecord {
        CallRecord {
            operation,
            caller: self.caller.name.clone(),
            target,
            outcome: self.result.as_ref().map(shown).map_err(Clone::clone),
            why: self.why.clone(),
        }
    }
}

/// One call the world answered, for a narration.
#[derive(Debug, Clone)]
pub struct CallRecord {
    /// `sts:AssumeRole`, `s3:ListBuckets`, ...
    pub operation: &'static str,
    /// The caller's ARN, or its access key id when it is unknown.
    pub caller: String,
    /// What the call was about (the role ARN for AssumeRole).
    pub target: Option<String>,
    /// A short description of the answer, or the error.
    pub outcome: Result<String, AwsError>,
    /// Why, when a rule or the IAM engine decided it.
    pub why: Option<Why>,
}
