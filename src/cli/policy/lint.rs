//! `xacct policy lint`: findings for trust and identity policy files.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::read_policy;
use crate::cli::Output;
use crate::exit::Exit;
use crate::iam::{Policy, PolicyKind, Target, is_account_id, lint};
use crate::render;
use crate::render::lint::LintError;

/// Which kind of policy a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// A role trust policy (statements name a Principal).
    Trust,
    /// An identity policy of a user or role.
    Identity,
}

/// Arguments of `xacct policy lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// The policy files (JSON or YAML).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The kind of policy; inferred when not given (a Principal means trust).
    #[arg(long, value_enum)]
    pub kind: Option<Kind>,
    /// The account that owns the policies (the role's account), for the cross-account rules.
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// The output format.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

fn infer(policy: &Policy) -> PolicyKind {
    if policy.statements.iter().any(|s| s.principals.is_some()) {
        PolicyKind::Trust
    } else {
        PolicyKind::Identity
    }
}

/// Runs `xacct policy lint`.
pub(super) fn execute(args: &LintArgs) -> Exit {
    let mut errors = Vec::new();
    if let Some(account) = args.account.as_deref().filter(|a| !is_account_id(a)) {
        errors.push(LintError {
            file: None,
            path: None,
            message: format!("--account `{account}` must be a 12-digit account id"),
        });
    }
    let kind = args.kind.map(|k| match k {
        Kind::Trust => PolicyKind::Trust,
        Kind::Identity => PolicyKind::Identity,
    });
    let mut findings = Vec::new();
    for path in &args.files {
        let policy = match read_policy(path, kind) {
            Ok(policy) => policy,
            Err(e) => {
                errors.push(LintError {
                    file: Some(e.file),
                    path: e.path,
                    message: e.message,
                });
                continue;
            }
        };
        let name = path.display().to_string();
        let target = Target {
            name: &name,
            kind: kind.unwrap_or_else(|| infer(&policy)),
            account: args.account.as_deref(),
        };
        findings.extend(lint(&policy, target));
    }
    match args.output {
        Output::Text => {
            let (out, err) = render::lint::text(&findings, &errors);
            super::super::print(&out);
            super::super::eprint(&err);
        }
        Output::Json => super::super::print(&render::lint::json(&findings, &errors)),
    }
    if !errors.is_empty() {
        Exit::InvalidInput
    } else if findings.is_empty() {
        Exit::Ok
    } else {
        Exit::CheckFailed
    }
}
