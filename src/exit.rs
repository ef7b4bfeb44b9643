//! Exit codes: one per outcome class, documented in the README.

use std::process::ExitCode;

use crate::cloud::ErrorClass;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: everything succeeded (for `policy eval`: allowed).
    Ok,
    /// 1: a check found something (lint findings, a scenario mismatch).
    CheckFailed,
    /// 2: access denied (`AccessDenied`; for `policy eval`: denied).
    Denied,
    /// 3: invalid input: a bad flag or value, a malformed file, or AWS's
    /// `ValidationError`; nothing was attempted or AWS refused the request shape.
    InvalidInput,
    /// 4: credentials missing, unknown, badly signed or expired.
    BadCredentials,
    /// 5: throttled, a server fault, a timeout or a network failure, after retries.
    Unavailable,
    /// 6: anything else.
    Unexpected,
    /// 126: `xacct exec` could not run the command (not executable).
    CommandNotRunnable,
    /// 127: `xacct exec` found no such command.
    CommandNotFound,
    /// 130: stopped by Ctrl-C (a run across accounts prints what was done).
    Interrupted,
}

impl Exit {
    /// The numeric exit code.
    pub fn code(self) -> u8 {
        match self {
            Self::Ok => 0,
            Self::CheckFailed => 1,
            Self::Denied => 2,
            Self::InvalidInput => 3,
            Self::BadCredentials => 4,
            Self::Unavailable => 5,
            Self::Unexpected => 6,
            Self::CommandNotRunnable => 126,
            Self::CommandNotFound => 127,
            Self::Interrupted => 130,
        }
    }
}

impl From<ErrorClass> for Exit {
    fn from(class: ErrorClass) -> Self {
        match class {
            ErrorClass::Denied => Self::Denied,
            ErrorClass::InvalidInput => Self::InvalidInput,
            ErrorClass::BadCredentials => Self::BadCredentials,
            ErrorClass::Unavailable => Self::Unavailable,
            ErrorClass::Unexpected => Self::Unexpected,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit.code())
    }
}
