//! What a run across accounts found, account by account, split the way
//! botocove splits it: ok, refused at AssumeRole, failed after assuming
//! (or for another reason), not attempted.

use super::exec::ExecOutput;
use super::limiter::LimiterStats;
use super::targets::{Skip, Target};
use crate::cloud::DenialCause;
use crate::cloud::{AssumedRole, Bucket, CloudError};
use crate::exit::Exit;

/// The step after AssumeRole.
#[derive(Debug, Clone)]
pub enum Work {
    /// The account's buckets (the flow's second half).
    Buckets(Result<Vec<Bucket>, CloudError>),
    /// `--exec`: how the command ended, or why it could not start.
    Exec(Result<ExecOutput, String>),
}

impl Work {
    /// Whether the step succeeded.
    pub fn succeeded(&self) -> bool {
        match self {
            Self::Buckets(result) => result.is_ok(),
            Self::Exec(result) => result.as_ref().is_ok_and(ExecOutput::succeeded),
        }
    }
}

/// What happened in one account.
#[derive(Debug, Clone)]
#[expect(
    clippy::large_enum_variant,
    reason = "nearly every account is entered; boxing would add an allocation to each to save room in the few skipped"
)]
pub enum Attempt {
    /// Reported, not entered.
    Skipped(Skip),
    /// AssumeRole, then the work when it gave credentials.
    Entered {
        /// The AssumeRole call.
        assume: Result<AssumedRole, CloudError>,
        /// The step after it; `None` when AssumeRole failed.
        work: Option<Work>,
    },
}

/// The split an account falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Assumed, and the work succeeded.
    Ok,
    /// AssumeRole was refused (AccessDenied).
    AssumeDenied,
    /// AssumeRole failed otherwise, or the work after it failed.
    Failed,
    /// Not entered (excluded, management, inactive, interrupted).
    NotAttempted,
}

impl Status {
    /// The machine-readable name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::AssumeDenied => "assume-denied",
            Self::Failed => "failed",
            Self::NotAttempted => "not-attempted",
        }
    }
}

/// One account's outcome.
#[derive(Debug, Clone)]
pub struct AccountOutcome {
    /// The account.
    pub target: Target,
    /// The role asked for in it.
    pub role_arn: String,
    /// The role session name asked for.
    pub session_name: String,
    /// What happened.
    pub attempt: Attempt,
}

impl AccountOutcome {
    /// The split it falls in.
    pub fn status(&self) -> Status {
        match &self.attempt {
            Attempt::Skipped(Skip::Malformed) => Status::Failed,
            Attempt::Skipped(_) => Status::NotAttempted,
            Attempt::Entered { assume: Err(e), .. } if DenialCause::of(e) != DenialCause::Other => {
                Status::AssumeDenied
            }
            Attempt::Entered { assume: Err(_), .. } => Status::Failed,
            Attempt::Entered {
                work: Some(work), ..
            } if work.succeeded() => Status::Ok,
            Attempt::Entered { .. } => Status::Failed,
        }
    }

    /// The role's name (with its path), as the ARN ends.
    pub fn role_name(&self) -> &str {
        self.role_arn
            .split_once(":role/")
            .map_or(self.role_arn.as_str(), |(_, name)| name)
    }

    /// The likely cause of a refused AssumeRole.
    pub fn denial_cause(&self) -> Option<DenialCause> {
        match &self.attempt {
            Attempt::Entered { assume: Err(e), .. } => {
                Some(DenialCause::of(e)).filter(|c| *c != DenialCause::Other)
            }
            _ => None,
        }
    }
}

/// How many accounts fell in each split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// [`Status::Ok`].
    pub ok: usize,
    /// [`Status::AssumeDenied`].
    pub assume_denied: usize,
    /// [`Status::Failed`].
    pub failed: usize,
    /// [`Status::NotAttempted`].
    pub not_attempted: usize,
}

impl Tally {
    /// Counts one more account.
    pub fn add(&mut self, status: Status) {
        match status {
            Status::Ok => self.ok += 1,
            Status::AssumeDenied => self.assume_denied += 1,
            Status::Failed => self.failed += 1,
            Status::NotAttempted => self.not_attempted += 1,
        }
    }

    /// Accounts counted.
    pub fn total(&self) -> usize {
        self.ok + self.assume_denied + self.failed + self.not_attempted
    }
}

/// The whole run.
#[derive(Debug, Clone)]
pub struct FanoutReport {
    /// Every account: an organization's in account-id order, a list's in
    /// its own order.
    pub accounts: Vec<AccountOutcome>,
    /// The split.
    pub tally: Tally,
    /// Throttling after the SDK's retries, and how far concurrency fell.
    pub limiter: LimiterStats,
    /// Whether Ctrl-C stopped it early.
    pub interrupted: bool,
}

impl FanoutReport {
    /// 130 when interrupted; else 2 when any AssumeRole was refused, 1 when
    /// anything else failed, 0 when every entered account is ok.
    pub fn exit(&self) -> Exit {
        if self.interrupted {
            Exit::Interrupted
        } else if self.tally.assume_denied > 0 {
            Exit::Denied
        } else if self.tally.failed > 0 {
            Exit::CheckFailed
        } else {
            Exit::Ok
        }
    }
}
