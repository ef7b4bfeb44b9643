//! The credentials commands' output: a session in each format a shell, a
//! `.env` file, a credentials file or an SDK's `credential_process` reads
//! (the only functions here that print secrets, on stdout, because that is
//! what they are asked for); a failed chain explained hop by hop; the
//! cache's entries (never their secrets).

use std::fmt::Write as _;
use std::time::SystemTime;

use clap::ValueEnum;

use super::text::failure;
use crate::creds::{CredsError, Got, HopFailure, Listed, OVERRIDING, RemoteDecision, session_env};
use crate::hints::HintContext;
use crate::secret::Secret;
use crate::timestamp;

/// How `xacct creds` prints the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum CredsFormat {
    /// `NAME=value` lines (for `env $(...)` or an EnvironmentFile).
    Env,
    /// `export NAME='value'` lines for `eval "$(xacct creds ...)"`, after
    /// an `unset` of the variables that would override them.
    #[default]
    Export,
    /// The session with its expiry and the hops made.
    Json,
    /// The `Version: 1` JSON that `credential_process` must print.
    CredentialProcess,
    /// A section of `~/.aws/credentials`.
    Ini,
    /// A `.env` file body (`NAME='value'`).
    Dotenv,
}

/// Characters a bare `NAME=value` line (`env $(...)`, an EnvironmentFile)
/// can carry without a shell or a parser reading them as syntax: what keys,
/// base64 secrets and tokens, timestamps and regions are made of.
fn bare(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-' | ':' | '.' | ',' | '@')
}

/// Whether `value` can be written in `format` exactly as it is read back.
/// The credentials were checked against STS's shapes when they arrived;
/// this is the second wall, per consumer: nothing is printed that a shell,
/// a `.env` parser or a credentials file would read differently.
fn writable(format: CredsFormat, name: &str, value: &str) -> Result<(), String> {
    let fits = match format {
        CredsFormat::Env => !value.is_empty() && value.chars().all(bare),
        CredsFormat::Dotenv => !value.chars().any(|c| c == '\'' || c.is_control()),
        CredsFormat::Ini => {
            !value.chars().any(char::is_control) && value.trim() == value && !value.is_empty()
        }
        CredsFormat::Export => !value.chars().any(char::is_control),
        CredsFormat::Json | CredsFormat::CredentialProcess => true,
    };
    if fits {
        Ok(())
    } else {
        Err(format!(
            "{name} holds a character that --format {} cannot carry safely, so nothing was printed; use --format json",
            format
                .to_possible_value()
                .map(|v| v.get_name().to_owned())
                .unwrap_or_default()
        ))
    }
}

/// The session of `got` in `format`; `section` names the ini section. An
/// error when a value cannot be written safely for that format's consumer.
pub fn session(got: &Got, format: CredsFormat, section: &str) -> Result<String, String> {
    let creds = &got.obtained.credentials;
    let vars = session_env(creds, Some(&got.region));
    for (name, value) in &vars {
        writable(format, name, value)?;
    }
    writable(format, "the ini section", section)?;
    let mut out = String::new();
    match format {
        CredsFormat::Env => {
            for (name, value) in &vars {
                let _ = writeln!(out, "{name}={value}");
            }
        }
        CredsFormat::Export => {
            let _ = writeln!(out, "unset {}", OVERRIDING.join(" "));
            for (name, value) in &vars {
                let _ = writeln!(out, "export {name}={}", shell_quote(value));
            }
        }
        CredsFormat::Dotenv => {
            // Single quotes: no interpolation in bash `source`/`set -a`,
            // python-dotenv or Docker Compose.
            for (name, value) in &vars {
                let _ = writeln!(out, "{name}='{value}'");
            }
        }
        CredsFormat::Ini => {
            let _ = writeln!(out, "[{section}]");
            let _ = writeln!(out, "aws_access_key_id = {}", creds.access_key_id);
            let _ = writeln!(
                out,
                "aws_secret_access_key = {}",
                creds.secret_access_key.expose()
            );
            if let Some(token) = &creds.session_token {
                let _ = writeln!(out, "aws_session_token = {}", token.expose());
            }
            if let Some(at) = creds.expiration {
                let _ = writeln!(
                    out,
                    "# {} expires {}",
                    super::terminal_safe(&got.obtained.arn),
                    timestamp::rfc3339(at)
                );
            }
        }
        CredsFormat::CredentialProcess => {
            let mut doc = serde_json::json!({
                "Version": 1,
                "AccessKeyId": creds.access_key_id,
                "SecretAccessKey": creds.secret_access_key.expose(),
            });
            if let Some(token) = &creds.session_token {
                doc["SessionToken"] = token.expose().into();
            }
            if let Some(at) = creds.expiration {
                doc["Expiration"] = timestamp::rfc3339(at).into();
            }
            out = format!("{doc}\n");
        }
        CredsFormat::Json => {
            let doc = serde_json::json!({
                "AccessKeyId": creds.access_key_id,
                "SecretAccessKey": creds.secret_access_key.expose(),
                "SessionToken": creds.session_token.as_ref().map(Secret::expose),
                "Expiration": creds.expiration.map(timestamp::rfc3339),
                "Arn": got.obtained.arn,
                "Region": got.region,
                "FromCache": got.obtained.from_cache,
                "Hops": got.obtained.hops.iter().map(|h| serde_json::json!({
                    "RoleArn": h.role_arn,
                    "Arn": h.arn,
                    "Expiration": h.expiration.map(timestamp::rfc3339),
                    "SourceIdentity": h.source_identity,
                })).collect::<Vec<_>>(),
            });
            out = serde_json::to_string_pretty(&doc).unwrap_or_default();
            out.push('\n');
        }
    }
    Ok(out)
}

/// A value for a POSIX shell, in single quotes.
fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// One line for stderr on what the chain gave (no secret).
pub fn obtained_note(got: &Got, now: SystemTime) -> String {
    let expires = got
        .obtained
        .credentials
        .expiration
        .map(|at| format!(", expires {}", super::relative(at, now)))
        .unwrap_or_default();
    let source = if got.obtained.from_cache {
        "from the cache".to_owned()
    } else {
        format!("{} hop(s)", got.obtained.hops.len())
    };
    format!("xacct: {} ({source}{expires})\n", got.obtained.arn)
}

/// Why no credentials were had, for stderr.
pub fn error(err: &CredsError) -> String {
    match err {
        CredsError::Input(errors) => super::text::input_errors(errors),
        CredsError::Scenario(e) => format!("error: scenario {}: {}\n", e.file, e.message),
        CredsError::Cache(e) => format!("error: {e}\n"),
        CredsError::Prompt(e) => format!("error: {e}\n"),
        CredsError::Base(e) => format!("error: {}\n", e.message),
        CredsError::Hop(failed) => hop_failure(failed),
    }
}

/// A failed hop: which, who called, which role, AWS's answer, the likely
/// cause and next step, and the hops made before it.
pub fn hop_failure(f: &HopFailure) -> String {
    let mut out = format!(
        "error: hop {} of {} failed: {} could not assume {}\n",
        f.hop, f.of, f.caller, f.role_arn
    );
    for (i, done) in f.done.iter().enumerate() {
        let _ = writeln!(
            out,
            "  hop {} of {}: {} -> {} (ok)",
            i + 1,
            f.of,
            done.role_arn,
            done.arn
        );
    }
    let mut detail = String::new();
    failure(
        &mut detail,
        &f.error,
        HintContext {
            role_arn: Some(&f.role_arn),
            with_assumed_credentials: f.hop > 1,
        },
    );
    for line in detail.lines() {
        let _ = writeln!(out, "  {line}");
    }
    out
}

/// `xacct cache list`: one block per entry, no secrets.
pub fn cache_list(dir: &str, entries: &[Listed], now: SystemTime) -> String {
    if entries.is_empty() {
        return format!("no cached sessions in {dir}\n");
    }
    let mut out = format!("{} cached session(s) in {dir}\n", entries.len());
    for e in entries {
        let name = e
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _ = writeln!(out, "\n{}", super::terminal_safe(&name));
        if let Some(problem) = &e.problem {
            let _ = writeln!(out, "  refused: {}", super::terminal_safe(problem));
        }
        if let Some(arn) = &e.arn {
            let _ = writeln!(out, "  session:  {}", super::terminal_safe(arn));
        }
        if let Some(at) = e.expiration {
            let state = if at > now { "" } else { " (expired)" };
            let _ = writeln!(
                out,
                "  expires:  {} ({}){state}",
                timestamp::rfc3339(at),
                super::relative(at, now)
            );
        }
        if let Some(key) = &e.key {
            let chain: Vec<&str> = key.hops.iter().map(|h| h.role_arn.as_str()).collect();
            let _ = writeln!(
                out,
                "  chain:    {}",
                super::terminal_safe(&chain.join(" -> "))
            );
            let _ = writeln!(
                out,
                "  base key: {}",
                super::terminal_safe(&key.base_key_id)
            );
            if let Some(profile) = &key.profile {
                let _ = writeln!(out, "  profile:  {}", super::terminal_safe(profile));
            }
            if let Some(endpoint) = &key.endpoint {
                let _ = writeln!(out, "  endpoint: {}", super::terminal_safe(endpoint));
            }
        }
    }
    out
}

/// The decisions `xacct serve` kept for the chain's calls.
pub fn remote_why(decisions: &[Result<RemoteDecision, String>]) -> String {
    let mut out = "===== Why (from the endpoint) =====\n".to_owned();
    for (i, decision) in decisions.iter().enumerate() {
        match decision {
            Ok(d) => {
                let _ = writeln!(
                    out,
                    "  {}. {} as {} -> {} {}",
                    i + 1,
                    d.operation,
                    d.caller,
                    d.status,
                    d.outcome
                );
                if let Some(summary) = &d.summary {
                    let _ = writeln!(out, "     {summary}");
                }
                for detail in &d.details {
                    let _ = writeln!(out, "       {detail}");
                }
            }
            Err(reason) => {
                let _ = writeln!(out, "  {}. (not explained: {reason})", i + 1);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::time::SystemTime;

    use super::cache_list;
    use crate::creds::Listed;

    #[test]
    fn a_cache_entry_s_remote_strings_reach_the_terminal_escaped() {
        let listed = Listed {
            path: PathBuf::from("/cache/xacct/entry.json"),
            key: None,
            arn: Some("arn:aws:sts::1:assumed-role/x/\u{1b}]0;pwned\u{7}\nforged line".to_owned()),
            expiration: None,
            problem: Some("bad \u{1b}[2J".to_owned()),
        };
        let text = cache_list("/cache/xacct", &[listed], SystemTime::UNIX_EPOCH);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
        assert!(
            text.contains("\\u{1b}]0;pwned\\u{7}\\nforged line"),
            "{text}"
        );
        assert_eq!(text.lines().filter(|l| l.contains("forged")).count(), 1);
    }
}
