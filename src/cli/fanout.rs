//! `xacct run --org` / `--accounts`: the same role in many accounts, then
//! their buckets or a command per account. Arguments in, one library call
//! ([`crate::fanout::run_across`]), render, exit code.

use std::sync::Arc;

use super::Output;
use super::fanout_args::RunOutput;
use super::run::{base_failure, input_failure, scenario_failure};
use super::run_args::RunArgs;
use crate::backend::{Live, Simulated};
use crate::clock::Clock;
use crate::cloud::{CloudError, Credentials, ListingCaps, Organizations, S3, Sts};
use crate::exit::Exit;
use crate::fanout::{
    self, AccountOutcome, Accounts, Across, AcrossError, Action, Backoff, ExecSpec, Observer,
    Selection, Stop, Tally,
};
use crate::input::{FileKind, read_text};
use crate::render;
use crate::sim;
use crate::validate::{InputError, role_path_and_name};

/// The most bytes of a command's stdout (and of its stderr) kept per
/// account: 5,000 accounts at the limit stay under 2.5 GiB, and a report is
/// for reading, not for bulk data (write that to files from the command).
const EXEC_OUTPUT_LIMIT: usize = 256 * 1024;

/// A role name as IAM allows it ([`role_path_and_name`]), with an
/// optional path before it that does not start with `/` (as the ARN
/// holds it after `role/`); not an ARN.
fn role_name_error(name: &str) -> Option<InputError> {
    let rule = if name.starts_with("arn:") {
        Some(
            "this is an ARN; every account's role is named the same, so the name is enough"
                .to_owned(),
        )
    } else if name.starts_with('/') {
        Some("a path before the role name does not start with /".to_owned())
    } else {
        role_path_and_name(name)
    }?;
    Some(InputError {
        field: "--role-name",
        value: name.to_owned(),
        rule,
        fix: "pass the role's name, e.g. OrganizationAccountAccessRole, not its ARN".to_owned(),
    })
}

/// What the arguments ask for, or every problem with them.
fn across(
    args: &RunArgs,
    request: crate::cloud::AssumeRoleRequest,
    region: Option<String>,
) -> Result<Across, Vec<InputError>> {
    let f = &args.fanout;
    let mut errors = Vec::new();
    let role_name = f.role_name.clone().unwrap_or_default();
    let accounts = match (&f.accounts, &f.accounts_file) {
        (Some(text), _) => Accounts::Listed {
            field: "--accounts",
            text: text.clone(),
        },
        (None, Some(path)) => match read_text(path, FileKind::AccountList) {
            Ok(text) => Accounts::Listed {
                field: "--accounts-file",
                text,
            },
            Err(e) => {
                errors.push(InputError {
                    field: "--accounts-file",
                    value: path.display().to_string(),
                    rule: e.message,
                    fix: "pass a file of account ids, one per line".to_owned(),
                });
                Accounts::Organization
            }
        },
        (None, None) => Accounts::Organization,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let action = match f.command.split_first() {
        Some((program, rest)) if f.exec => Action::Exec(ExecSpec {
            program: program.clone(),
            args: rest.to_vec(),
            region,
            output_limit: EXEC_OUTPUT_LIMIT,
        }),
        _ => Action::ListBuckets,
    };
    Ok(Across {
        accounts,
        selection: Selection {
            ous: f.ous.clone(),
            exclude: f.exclude.clone(),
            include_management: f.include_management,
        },
        role_name,
        request,
        action,
        concurrency: usize::from(f.concurrency),
        backoff: Backoff::default(),
        caps: ListingCaps {
            pages: f.max_pages as usize,
            accounts: f.max_accounts as usize,
        },
    })
}

/// A progress bar on a terminal (accounts done, the split, the rate), and
/// with `--output jsonl` each account's line as it ends.
struct Progress {
    bar: indicatif::ProgressBar,
    jsonl: bool,
    /// `throttled N times, W at once`, once AWS has throttled.
    pace: std::sync::Mutex<String>,
}

impl Progress {
    fn new(total: u64, jsonl: bool) -> Self {
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} accounts  {msg}  {rate}")
                .map(|style| {
                    // Whole accounts per second (indicatif's own shows four
                    // decimals of noise).
                    style.with_key(
                        "rate",
                        |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                            let rate = state.per_sec();
                            let _ = if rate < 10.0 {
                                write!(w, "{rate:.1} accounts/s")
                            } else {
                                write!(w, "{rate:.0} accounts/s")
                            };
                        },
                    )
                })
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Self {
            bar,
            jsonl,
            pace: std::sync::Mutex::new(String::new()),
        }
    }
}

impl Observer for Progress {
    fn started(&self, accounts: usize) {
        self.bar.set_length(accounts as u64);
    }

    fn paced(&self, throttled: u64, window: usize) {
        if throttled > 0
            && let Ok(mut pace) = self.pace.lock()
        {
            *pace = format!(", throttled {throttled} times, {window} at once");
        }
    }

    fn ended(&self, outcome: &AccountOutcome, tally: &Tally) {
        if self.jsonl {
            self.bar
                .suspend(|| super::print(&render::fanout::jsonl(outcome)));
        }
        let pace = self.pace.lock().map(|p| p.clone()).unwrap_or_default();
        self.bar.set_message(format!(
            "{} ok, {} denied, {} failed, {} skipped{pace}",
            tally.ok, tally.assume_denied, tally.failed, tally.not_attempted
        ));
        self.bar.inc(1);
    }
}

/// Runs the plan and prints the report.
async fn run_and_print<C>(cloud: &C, base: &Credentials, across: &Across, args: &RunArgs) -> Exit
where
    C: Sts + S3 + Organizations + Sync,
{
    let output = args.output;
    let stop = Arc::new(Stop::default());
    let on_interrupt = Arc::clone(&stop);
    tokio::spawn(async move {
        // The first Ctrl-C lets the accounts in flight finish; the second
        // abandons them.
        while tokio::signal::ctrl_c().await.is_ok() {
            on_interrupt.request();
            if on_interrupt.is_forced() {
                break;
            }
            super::eprint(
                "\nstopping: no new accounts; waiting for those in flight (Ctrl-C again to abandon them)\n",
            );
        }
    });
    let progress = Progress::new(0, output == RunOutput::Jsonl);
    let report = match fanout::run_across(cloud, base, across, &progress, &stop).await {
        Ok(report) => report,
        Err(AcrossError::Input(errors)) => return input_failure(&errors, output.plain()),
        Err(AcrossError::Cloud(err)) => return across_failure(&err, output.plain()),
        Err(AcrossError::Interrupted) => {
            progress.bar.finish_and_clear();
            super::eprint("interrupted before any account was entered\n");
            return Exit::Interrupted;
        }
    };
    progress.bar.finish_and_clear();
    match output {
        RunOutput::Text => super::print(&render::fanout::text(&report)),
        RunOutput::Json => super::print(&render::fanout::json(&report)),
        RunOutput::Jsonl => {}
        RunOutput::Junit => super::print(&render::fanout_junit::junit(&report, &across.role_name)),
    }
    report.exit()
}

/// A failure before any account was entered, with what to do about a
/// refused organization listing.
fn across_failure(err: &CloudError, output: Output) -> Exit {
    match output {
        Output::Text => {
            super::eprint(&format!("error: {err}\n"));
            if err.operation == crate::cloud::Operation::ListOrganization
                && err.code.as_deref() == Some("AccessDeniedException")
            {
                super::eprint(
                    "hint: only the management account (or a delegated administrator) lists the organization's accounts; run with its credentials, or name the accounts with --accounts / --accounts-file\n",
                );
            }
        }
        Output::Json => super::print(&render::json::failure(err)),
    }
    Exit::from(err.class)
}

/// What is wrong before anything is read: the role name, and a simulated
/// run without anyone to start it.
fn precheck(args: &RunArgs) -> Vec<InputError> {
    let mut errors: Vec<InputError> = args
        .fanout
        .role_name
        .as_deref()
        .and_then(role_name_error)
        .into_iter()
        .collect();
    if let Some(path) = &args.scenario
        && args.as_principal.is_none()
    {
        errors.push(InputError {
            field: "--scenario",
            value: path.display().to_string(),
            rule: "a simulated run needs someone to start it".to_owned(),
            fix: "add --as ARN (a principal of the scenario's management account or a delegated administrator)".to_owned(),
        });
    }
    errors
}

/// Runs `xacct run --org` / `--accounts`.
pub(super) fn execute(args: &RunArgs, clock: &dyn Clock) -> Exit {
    let plain = args.output.plain();
    let errors = precheck(args);
    if !errors.is_empty() {
        return input_failure(&errors, plain);
    }
    if let Some(path) = &args.scenario {
        return execute_simulated(args, path);
    }
    let request = match args.request(clock.now()) {
        Ok(request) => request,
        Err(errors) => return input_failure(&errors, plain),
    };
    let runtime = match super::runtime(true) {
        Ok(runtime) => runtime,
        Err(message) => {
            super::eprint(&format!("error: {message}\n"));
            return Exit::Unexpected;
        }
    };
    runtime.block_on(async {
        let live = Live::open(&args.connect_options()).await;
        let region = live.config.region().map(ToString::to_string);
        let across = match across(args, request, region) {
            Ok(across) => across,
            Err(errors) => return input_failure(&errors, plain),
        };
        let base = match args.base_credentials(&live, clock).await {
            Ok(base) => base,
            Err(err) => return base_failure(&err, plain),
        };
        run_and_print(&live.cloud, &base, &across, args).await
    })
}

/// `--scenario FILE --as ARN`: the same run with the world answering in-process.
fn execute_simulated(args: &RunArgs, path: &std::path::Path) -> Exit {
    let plain = args.output.plain();
    let scenario_error = |e| scenario_failure(e, plain);
    let simulated = match Simulated::open(path) {
        Ok(simulated) => simulated,
        Err(e) => return scenario_error(e),
    };
    let loaded = &simulated.loaded;
    let request = match args.request(loaded.world.now()) {
        Ok(request) => request,
        Err(errors) => return input_failure(&errors, plain),
    };
    let across = match across(args, request, Some(loaded.world.region().to_owned())) {
        Ok(across) => across,
        Err(errors) => return input_failure(&errors, plain),
    };
    let starter = sim::Starter {
        arn: args.as_principal.as_deref().unwrap_or_default(),
        federated_by: args.federated_by.as_deref(),
        ..Default::default()
    };
    let base = match simulated.base(&starter) {
        Ok(base) => base,
        Err(e) => return scenario_error(e),
    };
    let runtime = match super::runtime(false) {
        Ok(runtime) => runtime,
        Err(message) => {
            super::eprint(&format!("error: {message}\n"));
            return Exit::Unexpected;
        }
    };
    runtime.block_on(run_and_print(&simulated.cloud, &base, &across, args))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_shows_in_the_progress_once_it_happens() {
        let progress = Progress::new(3, false);
        progress.paced(0, 8);
        assert_eq!(
            progress.pace.lock().map(|p| p.clone()).ok().as_deref(),
            Some("")
        );
        progress.paced(2, 4);
        assert_eq!(
            progress.pace.lock().map(|p| p.clone()).ok().as_deref(),
            Some(", throttled 2 times, 4 at once")
        );
    }
}
