//! `xacct exec -- COMMAND ARGS...`: the command run as the role. xacct
//! replaces itself with the command (exec), so the command gets the
//! terminal's signals directly and its exit code is xacct's; the session
//! is in its environment only, never in its arguments.

use std::process::Command;

use clap::Args;

use super::chain_args::ChainArgs;
use crate::clock::Clock;
use crate::creds::{session_env, unset_for};
use crate::exit::Exit;

/// Arguments of `xacct exec`.
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// The roles and how to reach them.
    #[command(flatten)]
    pub chain: ChainArgs,
    /// The command and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// Runs `xacct exec`; returns only when the command could not be started.
pub(super) fn execute(args: &ExecArgs, clock: &dyn Clock) -> Exit {
    let got = match args.chain.obtain(clock) {
        Ok(got) => got,
        Err(exit) => return exit,
    };
    let Some((program, rest)) = args.command.split_first() else {
        return Exit::InvalidInput;
    };
    let creds = &got.obtained.credentials;
    let mut command = Command::new(program);
    command.args(rest);
    for name in unset_for(creds) {
        command.env_remove(name);
    }
    command
        .envs(session_env(creds, Some(&got.region)))
        .env("XACCT_SESSION_ARN", &got.obtained.arn);
    if let Some(url) = &args.chain.connection.endpoint_url {
        // The session came from this endpoint, so the child talks to it
        // alone: a service's own `AWS_ENDPOINT_URL_STS` (or `_S3`, ...)
        // left in the environment would win over it, and send the session
        // token to a stale endpoint.
        for (name, _) in std::env::vars_os() {
            let stale = name.to_str().is_some_and(|n| {
                n.starts_with("AWS_ENDPOINT_URL_") || n == "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"
            });
            if stale {
                command.env_remove(name);
            }
        }
        command.env("AWS_ENDPOINT_URL", url);
    }
    let error = run(&mut command);
    super::eprint(&format!("error: could not run `{program}`: {error}\n"));
    match error.kind() {
        std::io::ErrorKind::NotFound => Exit::CommandNotFound,
        _ => Exit::CommandNotRunnable,
    }
}

/// Replaces this process with the command (Unix), and returns only on
/// failure.
#[cfg(unix)]
fn run(command: &mut Command) -> std::io::Error {
    use std::os::unix::process::CommandExt as _;
    command.exec()
}

/// Runs the command and exits with its code (where exec does not exist).
#[cfg(not(unix))]
fn run(command: &mut Command) -> std::io::Error {
    match command.status() {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(e) => e,
    }
}
