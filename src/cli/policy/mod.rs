//! `xacct policy eval` and `xacct policy lint`.

mod eval;
mod lint;

use std::path::Path;

use clap::{Args, Subcommand};

use crate::exit::Exit;
use crate::iam::{Policy, PolicyKind, parse_text, parse_text_as};
use crate::input::{FileKind, read_text};

/// Arguments of `xacct policy`.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// What to do with policies.
    #[command(subcommand)]
    pub command: PolicyCommand,
}

/// The `policy` subcommands.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Decide a request against policies, and say why.
    Eval(Box<eval::EvalArgs>),
    /// Find risky trust and identity policies.
    Lint(lint::LintArgs),
}

/// Runs `xacct policy ...`.
pub(super) fn execute(args: &PolicyArgs) -> Exit {
    match &args.command {
        PolicyCommand::Eval(args) => eval::execute(args),
        PolicyCommand::Lint(args) => lint::execute(args),
    }
}

/// A policy file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub(super) struct FileError {
    /// The file.
    pub file: String,
    /// Where in it, when known (`Statement[0].Action`).
    pub path: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Reads and parses a policy file (JSON or YAML); with `kind`, also checks
/// the elements that kind of policy may have.
pub(super) fn read_policy(path: &Path, kind: Option<PolicyKind>) -> Result<Policy, FileError> {
    let file = path.display().to_string();
    let text = read_text(path, FileKind::Policy).map_err(|e| FileError {
        file: file.clone(),
        path: None,
        message: e.message,
    })?;
    let parsed = match kind {
        Some(kind) => parse_text_as(&text, kind),
        None => parse_text(&text),
    };
    parsed.map_err(|e| FileError {
        message: format!("at {}: {}", e.path, e.message),
        path: Some(e.path),
        file,
    })
}
