//! `--exec -- COMMAND ARGS...`: the command run once per account with that
//! account's temporary credentials in its environment (never in its
//! arguments), its output captured up to a limit.

use std::process::Stdio;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::Command;

use crate::cloud::Credentials;
use crate::creds::{session_env, unset_for};

/// What to run in each account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecSpec {
    /// The program.
    pub program: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// `AWS_REGION` and `AWS_DEFAULT_REGION` for the command.
    pub region: Option<String>,
    /// The most bytes of stdout (and of stderr) kept per account.
    pub output_limit: usize,
}

/// How the command ended in one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecOutput {
    /// The exit code; `None` when a signal ended it.
    pub code: Option<i32>,
    /// What it wrote to stdout (lossy UTF-8), at most the limit.
    pub stdout: String,
    /// What it wrote to stderr, at most the limit.
    pub stderr: String,
    /// Bytes written beyond the limit, stdout and stderr together.
    pub dropped: usize,
}

impl ExecOutput {
    /// Whether the command exited with 0.
    pub fn succeeded(&self) -> bool {
        self.code == Some(0)
    }
}

/// Who the command runs as.
#[derive(Debug, Clone, Copy)]
pub(super) struct ExecAccount<'a> {
    /// The account id.
    pub id: &'a str,
    /// The account's name, when known.
    pub name: Option<&'a str>,
    /// The role session's credentials.
    pub credentials: &'a Credentials,
}

/// Reads all of `reader`, keeping the first `limit` bytes.
async fn capture<R: AsyncRead + Unpin>(reader: Option<R>, limit: usize) -> (Vec<u8>, usize) {
    let Some(mut reader) = reader else {
        return (Vec::new(), 0);
    };
    let mut kept = Vec::new();
    let mut dropped = 0;
    let mut buf = [0u8; 8192];
    loop {
        match reader.read(&mut buf).await {
            Ok(0) | Err(_) => return (kept, dropped),
            Ok(n) => {
                let room = limit.saturating_sub(kept.len()).min(n);
                kept.extend_from_slice(buf.get(..room).unwrap_or_default());
                dropped += n - room;
            }
        }
    }
}

/// Runs the command for one account; `Err` says why it could not start.
pub(super) async fn run(spec: &ExecSpec, account: ExecAccount<'_>) -> Result<ExecOutput, String> {
    let creds = account.credentials;
    let mut command = Command::new(&spec.program);
    command
        .args(&spec.args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    // Its own process group: a Ctrl-C at the terminal reaches xacct, which
    // lets the command finish, and not the command itself.
    #[cfg(unix)]
    command.process_group(0);
    for name in unset_for(creds) {
        command.env_remove(name);
    }
    command
        .envs(session_env(creds, spec.region.as_deref()))
        .env("XACCT_ACCOUNT_ID", account.id)
        .env("XACCT_ACCOUNT_NAME", account.name.unwrap_or(account.id));
    let mut child = command
        .spawn()
        .map_err(|e| format!("could not start `{}`: {e}", spec.program))?;
    let (out, err, status) = tokio::join!(
        capture(child.stdout.take(), spec.output_limit),
        capture(child.stderr.take(), spec.output_limit),
        child.wait(),
    );
    let status = status.map_err(|e| format!("waiting for `{}` failed: {e}", spec.program))?;
    Ok(ExecOutput {
        code: status.code(),
        stdout: redacted(&out.0, creds),
        stderr: redacted(&err.0, creds),
        dropped: out.1 + err.1,
    })
}

/// The command's output as text, the session's secret key and token
/// replaced: a command that prints its environment (`env`, `aws configure
/// export-credentials`) must not put them in a report or a CI artifact.
fn redacted(bytes: &[u8], creds: &Credentials) -> String {
    let mut text = String::from_utf8_lossy(bytes).into_owned();
    let secrets = [
        Some(creds.secret_access_key.expose()),
        creds.session_token.as_ref().map(|t| t.expose()),
    ];
    for secret in secrets.into_iter().flatten().filter(|s| !s.is_empty()) {
        text = text.replace(secret, "** redacted **");
    }
    text
}
