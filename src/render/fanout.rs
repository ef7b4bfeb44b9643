//! A run across accounts as text (a summary, a table, the failures), JSON
//! (a summary and one object per account with the fields of a single run),
//! or JSON Lines (one account object per line, written as each ends).

use serde::Serialize;

use super::json::{AssumeJson, IdentityJson, ListingJson, assume, listing, pretty};
use crate::fanout::{AccountOutcome, Attempt, ExecOutput, FanoutReport, Status, Work};
use crate::hints::HintContext;

/// `--exec`'s result in one account.
#[derive(Debug, Serialize)]
pub struct ExecJson<'a> {
    /// The command's exit code; `null` when a signal ended it or it never started.
    pub exit_code: Option<i32>,
    /// Its stdout, up to the limit.
    pub stdout: &'a str,
    /// Its stderr, up to the limit.
    pub stderr: &'a str,
    /// Bytes beyond the limit, not kept.
    pub dropped_bytes: usize,
    /// Why it could not start.
    pub error: Option<&'a str>,
}

/// The likely cause of a refused AssumeRole.
#[derive(Debug, Serialize)]
pub struct CauseJson {
    /// `unstated`, `scp`, `rcp`, `caller-policy`, `trust-policy`,
    /// `tag-session`, `set-source-identity`, `aws-rule`.
    pub kind: &'static str,
    /// For people.
    pub explanation: String,
}

/// One account.
#[derive(Debug, Serialize)]
pub struct AccountJson<'a> {
    /// Whether every step in this account succeeded, as in a single run.
    pub ok: bool,
    /// `ok`, `assume-denied`, `failed` or `not-attempted`.
    pub status: &'static str,
    /// The account id.
    pub account_id: &'a str,
    /// Its name in the organization.
    pub account_name: Option<&'a str>,
    /// `Root/Production/EU`.
    pub ou_path: Option<&'a str>,
    /// The role asked for.
    pub role_arn: &'a str,
    /// The role session name asked for.
    pub session_name: &'a str,
    /// Why it was not entered: `excluded`, `management`, `inactive`, `interrupted`.
    pub not_attempted: Option<&'static str>,
    /// The same, for people.
    pub reason: Option<String>,
    /// The likely cause of a refused AssumeRole, by kind (the error's own
    /// `likely_cause` says it for people).
    pub denial_cause: Option<CauseJson>,
    /// The AssumeRole call, as in a single run.
    pub assume_role: Option<AssumeJson<'a>>,
    /// The account's listing, as a single run's `target`.
    pub target: Option<ListingJson<'a>>,
    /// `--exec`'s result.
    pub exec: Option<ExecJson<'a>>,
}

fn exec_json(result: &Result<ExecOutput, String>) -> ExecJson<'_> {
    match result {
        Ok(out) => ExecJson {
            exit_code: out.code,
            stdout: &out.stdout,
            stderr: &out.stderr,
            dropped_bytes: out.dropped,
            error: None,
        },
        Err(e) => ExecJson {
            exit_code: None,
            stdout: "",
            stderr: "",
            dropped_bytes: 0,
            error: Some(e),
        },
    }
}

/// The JSON object of one account.
pub fn account(outcome: &AccountOutcome) -> AccountJson<'_> {
    let t = &outcome.target;
    let ctx = HintContext {
        role_arn: Some(&outcome.role_arn),
        with_assumed_credentials: false,
    };
    let mut json = AccountJson {
        ok: outcome.status() == Status::Ok,
        status: outcome.status().name(),
        account_id: &t.id,
        account_name: t.name.as_deref(),
        ou_path: t.ou_path.as_deref(),
        role_arn: &outcome.role_arn,
        session_name: &outcome.session_name,
        not_attempted: None,
        reason: None,
        denial_cause: outcome.denial_cause().map(|c| CauseJson {
            kind: c.name(),
            explanation: c.explain(outcome.role_name()),
        }),
        assume_role: None,
        target: None,
        exec: None,
    };
    match &outcome.attempt {
        Attempt::Skipped(skip) => {
            json.not_attempted = Some(skip.name());
            json.reason = Some(skip.reason());
        }
        Attempt::Entered { assume: a, work } => {
            json.assume_role = Some(assume(a, ctx));
            match (work, a) {
                (Some(Work::Buckets(buckets)), Ok(assumed)) => {
                    json.target = Some(listing(
                        Some(IdentityJson {
                            arn: &assumed.arn,
                            account: Some(&t.id),
                            user_id: Some(&assumed.assumed_role_id),
                        }),
                        buckets,
                        HintContext {
                            with_assumed_credentials: true,
                            ..ctx
                        },
                    ));
                }
                (Some(Work::Exec(result)), _) => json.exec = Some(exec_json(result)),
                _ => {}
            }
        }
    }
    json
}

/// One JSON Lines line for an account.
pub fn jsonl(outcome: &AccountOutcome) -> String {
    let mut line = serde_json::to_string(&account(outcome)).unwrap_or_else(|e| {
        format!(
            "{{\"account_id\":\"{}\",\"error\":\"could not render JSON: {e}\"}}",
            outcome.target.id
        )
    });
    line.push('\n');
    line
}

/// The whole run as one JSON document.
pub fn json(report: &FanoutReport) -> String {
    let t = &report.tally;
    let accounts: Vec<AccountJson<'_>> = report.accounts.iter().map(account).collect();
    pretty(&serde_json::json!({
        "ok": report.exit() == crate::exit::Exit::Ok,
        "exit_code": report.exit().code(),
        "summary": {
            "accounts": t.total(),
            "ok": t.ok,
            "assume_denied": t.assume_denied,
            "failed": t.failed,
            "not_attempted": t.not_attempted,
            "interrupted": report.interrupted,
            "throttled_after_retries": report.limiter.throttled,
            "lowest_concurrency": report.limiter.lowest_window,
            "concurrency": report.limiter.max_window,
        },
        "accounts": accounts,
    }))
}

/// What went wrong in one account, on one line; `None` when it is ok.
fn problem(outcome: &AccountOutcome) -> Option<String> {
    match &outcome.attempt {
        Attempt::Skipped(skip) => Some(skip.reason()),
        Attempt::Entered { assume: Err(e), .. } => Some(e.to_string()),
        Attempt::Entered {
            work: Some(Work::Buckets(Err(e))),
            ..
        } => Some(e.to_string()),
        Attempt::Entered {
            work: Some(Work::Exec(Err(e))),
            ..
        } => Some(e.clone()),
        Attempt::Entered {
            work: Some(Work::Exec(Ok(out))),
            ..
        } if !out.succeeded() => Some(match out.code {
            Some(code) => format!("the command exited with {code}"),
            None => "the command was ended by a signal".to_owned(),
        }),
        _ => None,
    }
}

/// The short detail of the table's last column.
fn detail(outcome: &AccountOutcome) -> String {
    if let Some(cause) = outcome.denial_cause() {
        return cause.name().to_owned();
    }
    match &outcome.attempt {
        Attempt::Skipped(skip) => skip.name().to_owned(),
        Attempt::Entered {
            work: Some(Work::Buckets(Ok(buckets))),
            ..
        } => format!("{} buckets", buckets.len()),
        Attempt::Entered {
            work: Some(Work::Exec(Ok(out))),
            ..
        } => match out.code {
            Some(code) => format!("exit {code}"),
            None => "signal".to_owned(),
        },
        Attempt::Entered { assume: Err(e), .. } => e.code.clone().unwrap_or_default(),
        Attempt::Entered {
            work: Some(Work::Buckets(Err(e))),
            ..
        } => format!("ListBuckets: {}", e.code.as_deref().unwrap_or("failed")),
        _ => String::new(),
    }
}

/// The whole run for people: a summary, a table, the failures and, with
/// `--exec`, each account's output.
pub fn text(report: &FanoutReport) -> String {
    let t = &report.tally;
    let mut out = String::new();
    let width = |f: &dyn Fn(&AccountOutcome) -> usize, min: usize| {
        report.accounts.iter().map(f).max().unwrap_or(0).max(min)
    };
    let name_w = width(&|o| o.target.name.as_deref().map_or(1, str::len), 4);
    let path_w = width(&|o| o.target.ou_path.as_deref().map_or(1, str::len), 2);
    out.push_str(&format!(
        "{:<12}  {:<name_w$}  {:<path_w$}  {:<13}  DETAIL\n",
        "ACCOUNT", "NAME", "OU", "STATUS"
    ));
    for o in &report.accounts {
        out.push_str(&format!(
            "{:<12}  {:<name_w$}  {:<path_w$}  {:<13}  {}\n",
            super::terminal_safe(&o.target.id),
            super::terminal_safe(o.target.name.as_deref().unwrap_or("-")),
            super::terminal_safe(o.target.ou_path.as_deref().unwrap_or("-")),
            o.status().name(),
            super::terminal_safe(&detail(o)),
        ));
    }
    let failures: Vec<&AccountOutcome> = report
        .accounts
        .iter()
        .filter(|o| matches!(o.status(), Status::AssumeDenied | Status::Failed))
        .collect();
    if !failures.is_empty() {
        out.push_str("\nFailures:\n");
        for o in failures {
            let problem = problem(o).unwrap_or_default();
            out.push_str(&format!(
                "  {}: {}\n",
                o.target.id,
                super::terminal_safe(&problem)
            ));
            if let Some(cause) = o.denial_cause() {
                out.push_str(&format!(
                    "    likely cause: {}\n",
                    cause.explain(o.role_name())
                ));
            }
        }
    }
    for o in &report.accounts {
        if let Attempt::Entered {
            work: Some(Work::Exec(Ok(run))),
            ..
        } = &o.attempt
        {
            out.push_str(&format!(
                "\n===== {} {} =====\n",
                super::terminal_safe(&o.target.id),
                super::terminal_safe(o.target.name.as_deref().unwrap_or(""))
            ));
            out.push_str(&run.stdout);
            if !run.stderr.is_empty() {
                out.push_str(&format!("--- stderr ---\n{}", run.stderr));
            }
            if run.dropped > 0 {
                out.push_str(&format!("[{} more bytes not kept]\n", run.dropped));
            }
        }
    }
    out.push_str(&format!(
        "\n{} accounts: {} ok, {} assume-denied, {} failed, {} not attempted{}\n",
        t.total(),
        t.ok,
        t.assume_denied,
        t.failed,
        t.not_attempted,
        if report.interrupted {
            " (interrupted)"
        } else {
            ""
        }
    ));
    if report.limiter.throttled > 0 {
        out.push_str(&format!(
            "AWS still throttled {} calls after the SDK's retries; concurrency went down to {} of {} and each was retried with backoff.\n",
            report.limiter.throttled, report.limiter.lowest_window, report.limiter.max_window
        ));
    }
    out
}
