//! What every operation of the world returns: its result together with
//! the caller it resolved and the reason it decided as it did. Each face
//! (the seam, the endpoint, the narration) reads these from the answer it
//! got, never from shared state, so concurrent calls cannot mix them up.

use super::aws_error::AwsError;
use xacct_iam::Decision;

/// Why a call was allowed or refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Why {
    /// The decision, when the IAM engine made it.
    pub decision: Option<Decision>,
    /// One sentence.
    pub summary: String,
    /// Policy excerpts: `trust policy `s3-viewer` statement 0 applies: {...}`.
    pub details: Vec<String>,
}

impl Why {
    /// A refusal (or acceptance) that is not an IAM decision.
    pub fn rule(summary: impl Into<String>) -> Self {
        Self {
            decision: None,
            summary: summary.into(),
            details: Vec::new(),
        }
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

/// An operation's result, with its own caller and reason.
#[derive(Debug, Clone)]
pub struct Answer<T> {
    /// What the operation returned, or AWS's error.
    pub result: Result<T, AwsError>,
    /// Who called.
    pub caller: Who,
    /// Why it was decided so, when a rule or the IAM engine decided.
    pub why: Option<Why>,
}

impl<T> Answer<T> {
    /// An answer refused before the operation ran (authentication, a
    /// scripted fault).
    pub fn refused(caller: Who, error: AwsError, why: Why) -> Self {
        Self {
            result: Err(error),
            caller,
            why: Some(why),
        }
    }

    /// The same answer with its result transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Answer<U> {
        Answer {
            result: self.result.map(f),
            caller: self.caller,
            why: self.why,
        }
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
