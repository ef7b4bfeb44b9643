//! `xacct serve`'s output: the banner with the endpoint and the principals,
//! the `export` lines of `--print-env`, and one request-log line per
//! request, with everything a client sent escaped so it cannot forge lines
//! or drive the terminal.

use std::time::SystemTime;

use crate::cloud::Credentials;
use crate::serve::LogLine;

use super::terminal_safe;

/// Most characters of one field of a log line: a client's text (a caller
/// it claims, an operation it names) cannot make a line longer than a few
/// of these, however large its request.
pub const LOG_FIELD_MAX: usize = crate::serve::LOG_FIELD_MAX;

/// A client's text for the log: escaped, then cut to [`LOG_FIELD_MAX`]
/// characters with the count of what was left out.
fn escape(text: &str) -> String {
    let escaped = terminal_safe(text);
    let length = escaped.chars().count();
    if length <= LOG_FIELD_MAX {
        return escaped;
    }
    let kept: String = escaped.chars().take(LOG_FIELD_MAX).collect();
    format!("{kept}...[{} more characters]", length - LOG_FIELD_MAX)
}

/// One request-log line: `TIME OPERATION CALLER -> STATUS OUTCOME - REASON`,
/// each field escaped and capped.
pub fn log_line(line: &LogLine, now: SystemTime) -> String {
    let reason = line
        .reason
        .as_ref()
        .map(|r| format!(" - {}", escape(r)))
        .unwrap_or_default();
    // Status 0: a line about the connection, not about one answer.
    let status = match line.status {
        0 => "-".to_owned(),
        n => n.to_string(),
    };
    format!(
        "{} {} {} -> {status} {}{reason}",
        crate::timestamp::rfc3339(now),
        escape(&line.operation),
        escape(&line.caller),
        escape(&line.outcome)
    )
}

/// What the banner shows.
#[derive(Debug, Clone)]
pub struct Banner<'a> {
    /// The scenario's name.
    pub scenario: &'a str,
    /// The scenario file as given.
    pub file: &'a str,
    /// The region.
    pub region: &'a str,
    /// `http://HOST:PORT`.
    pub url: &'a str,
    /// The port.
    pub port: u16,
    /// The long-term principals and their key ids.
    pub principals: &'a [(String, String)],
    /// The role of the scenario's first run, for the example commands.
    pub role_arn: Option<&'a str>,
    /// The key seed to pass to `--print-env`, when secrets are seeded.
    pub key_seed: Option<&'a str>,
    /// The OIDC issuers the world's providers trust, for `xacct token`.
    pub issuers: &'a [String],
    /// A role whose trust policy names an OIDC provider.
    pub web_identity_role: Option<&'a str>,
    /// Whether "now" is the scenario's clock (tokens must be dated by it).
    pub scenario_clock: bool,
}

/// The banner printed when the server is up.
pub fn banner(b: &Banner<'_>) -> String {
    let mut out = format!(
        "xacct serve: scenario {} (region {})\nendpoint: {}\n",
        b.scenario, b.region, b.url
    );
    out.push_str("STS, S3 and the IAM read API share the port; every request must carry a valid SigV4 signature.\n\nprincipals (access key ids):\n");
    for (arn, key) in b.principals {
        out.push_str(&format!("  {arn:<50} {key}\n"));
    }
    let first = b
        .principals
        .first()
        .map(|(arn, _)| arn.as_str())
        .unwrap_or_default();
    let seed = b
        .key_seed
        .map(|s| format!(" --key-seed {s}"))
        .unwrap_or_default();
    if b.key_seed.is_some() {
        out.push_str(
            "\nsecret keys are seeded for this run; the command below passes the seed to --print-env\n",
        );
    }
    out.push_str(&format!(
        "\nin another shell:\n  eval \"$(xacct serve {} --port {}{seed} --print-env {first})\"\n  aws --endpoint-url {url} sts get-caller-identity\n  aws --endpoint-url {url} s3api list-buckets\n",
        b.file,
        b.port,
        url = b.url
    ));
    if let Some(role) = b.role_arn {
        out.push_str(&format!(
            "  aws --endpoint-url {url} sts assume-role --role-arn {role} --role-session-name demo\n  xacct run --endpoint-url {url} --role-arn {role}\n",
            url = b.url
        ));
    }
    if let (Some(issuer), Some(role)) = (b.issuers.first(), b.web_identity_role) {
        let mut flags = b
            .key_seed
            .map(|s| format!(" --key-seed {s}"))
            .unwrap_or_default();
        if b.scenario_clock {
            flags.push_str(" --scenario-clock");
        }
        out.push_str(&format!(
            "web identity (AssumeRoleWithWebIdentity is unsigned; tokens of {}):\n  aws --endpoint-url {url} sts assume-role-with-web-identity --role-arn {role} --role-session-name demo --web-identity-token \"$(xacct token {file} --provider {issuer}{flags})\"\n",
            b.issuers.join(", "),
            url = b.url,
            file = b.file,
        ));
    }
    out.push_str("Ctrl-C stops the server.\n");
    out
}

/// What `--ready-file` says of a listening server.
#[derive(Debug, Clone, Copy)]
pub struct Ready<'a> {
    /// `http://HOST:PORT`.
    pub endpoint: &'a str,
    /// The port it listens on.
    pub port: u16,
    /// The world's region.
    pub region: &'a str,
    /// The scenario's name.
    pub scenario: &'a str,
    /// The server's process id.
    pub pid: u32,
    /// The key that reads every decision (`x-xacct-explain-key`), on
    /// loopback; the file is written private (mode 0600).
    pub explain_key: Option<&'a str>,
}

/// The ready file: one line of JSON.
pub fn ready(r: &Ready<'_>) -> String {
    format!(
        "{}\n",
        serde_json::json!({
            "endpoint": r.endpoint,
            "port": r.port,
            "region": r.region,
            "scenario": r.scenario,
            "pid": r.pid,
            "explain_key": r.explain_key,
        })
    )
}

/// The `export` lines for a principal's keys, long-term or a session's
/// (the secret is printed on purpose: it is a scenario key, as `aws
/// configure export-credentials` prints a real one).
pub fn exports(creds: &Credentials, region: &str, url: &str) -> String {
    let token = match &creds.session_token {
        Some(token) => format!("export AWS_SESSION_TOKEN={}", token.expose()),
        None => "unset AWS_SESSION_TOKEN".to_owned(),
    };
    format!(
        "export AWS_ACCESS_KEY_ID={}\nexport AWS_SECRET_ACCESS_KEY={}\n{token}\nexport AWS_REGION={region}\nexport AWS_DEFAULT_REGION={region}\nexport AWS_ENDPOINT_URL={url}\n",
        creds.access_key_id,
        creds.secret_access_key.expose()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_text_cannot_forge_lines_or_drive_the_terminal() {
        let forged = "AssumeRole\n2026-01-01T00:00:00Z sts:AssumeRole arn:aws:iam::1:root -> 200 allowed\u{1b}[2J\u{202e}";
        let shown = escape(forged);
        assert!(!shown.contains('\n') && !shown.contains('\u{1b}') && !shown.contains('\u{202e}'));
        assert!(shown.contains("\\n") && shown.contains("\\u{1b}"));
        assert_eq!(escape("a\\b"), "a\\\\b");
        assert_eq!(
            escape("arn:aws:iam::111111111111:user/homes"),
            "arn:aws:iam::111111111111:user/homes"
        );
    }

    #[test]
    fn a_huge_client_text_makes_a_short_log_line() {
        // 65 KB of control characters escape to 6 characters each.
        let huge = "\u{1}".repeat(65_536);
        let line = LogLine {
            operation: huge.clone(),
            caller: huge.clone(),
            status: 400,
            outcome: huge.clone(),
            reason: Some(huge),
            account: None,
        };
        let text = log_line(&line, SystemTime::UNIX_EPOCH);
        assert!(
            text.len() < 4 * (LOG_FIELD_MAX + 40) + 64,
            "{} bytes",
            text.len()
        );
        assert!(text.contains("more characters]"), "the cut is said");
    }
}
