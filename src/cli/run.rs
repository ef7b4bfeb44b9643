//! `xacct run`: the cross-account flow against AWS or any endpoint that
//! speaks STS and S3 (its arguments: [`super::run_args`]).

use std::time::SystemTime;

use super::Output;
use super::fanout_args::RunOutput;
use super::run_args::{RunArgs, token_file};
use crate::backend::{Live, Simulated};
use crate::clock::Clock;
use crate::cloud::aws::github_actions_token;
use crate::cloud::{
    AssumeRoleRequest, CloudError, ErrorClass, ObjectCall, Operation, S3, S3Objects, Sts,
};
use crate::creds::CredsError;
use crate::exit::Exit;
use crate::flow::{self, Report, Start};
use crate::render;
use crate::sim;
use crate::validate::InputError;

/// Runs `xacct run` against AWS, or against a scenario's simulated AWS.
pub(super) fn execute(args: &RunArgs, clock: &dyn Clock) -> Exit {
    if matches!(args.output, RunOutput::Jsonl | RunOutput::Junit) {
        return input_failure(
            &[InputError {
                field: "--output",
                value: format!("{:?}", args.output).to_lowercase(),
                rule: "jsonl and junit report a run across accounts".to_owned(),
                fix: "add --org or --accounts, or use --output text|json".to_owned(),
            }],
            Output::Json,
        );
    }
    let calls = match args.objects.calls() {
        Ok(calls) => calls,
        Err(errors) => return input_failure(&errors, args.output.plain()),
    };
    let plan = Plan {
        direct: args.role_arn.is_none(),
        calls: &calls,
    };
    if plan.direct && (args.web_identity_token_file.is_some() || args.github_actions) {
        return input_failure(
            &[InputError {
                field: "--role-arn",
                value: String::new(),
                rule: "a web identity token is exchanged for a role's session".to_owned(),
                fix: "add --role-arn ARN".to_owned(),
            }],
            args.output.plain(),
        );
    }
    if let Some(path) = &args.scenario {
        return execute_simulated(args, path, &plan);
    }
    let request = match args.request(clock.now()) {
        Ok(request) => request,
        Err(errors) => return input_failure(&errors, args.output.plain()),
    };
    let runtime = match runtime(args.output.plain()) {
        Ok(runtime) => runtime,
        Err(exit) => return exit,
    };
    let token = match &args.web_identity_token_file {
        Some(path) => match token_file(path) {
            Ok(token) => Some(token),
            Err(errors) => return input_failure(&errors, args.output.plain()),
        },
        None => None,
    };
    runtime.block_on(async {
        let mut options = args.connect_options();
        options.without_credentials = token.is_some() || args.github_actions;
        let live = Live::open(&options).await;
        let cloud = &live.cloud;
        let token = match (token, args.github_actions) {
            (Some(token), _) => Some(token),
            (None, true) => match github_actions_token(&live.config).await {
                Ok(token) => Some(token),
                Err(err) => return print_failure(&err, args.output.plain()),
            },
            (None, false) => None,
        };
        if let Some(token) = token {
            let start = Start::WebIdentity(token);
            return run_flow(cloud, (&start, &plan), &request, args.output.plain(), clock).await;
        }
        let base = match args.base_credentials(&live, clock).await {
            Ok(base) => base,
            Err(err) => return base_failure(&err, args.output.plain()),
        };
        run_flow(
            cloud,
            (&Start::Keys(base), &plan),
            &request,
            args.output.plain(),
            clock,
        )
        .await
    })
}

/// The command's async runtime, or the failure printed as the output asks.
/// One thread: the flow's calls are concurrent, not parallel, and a second
/// worker would only add thread start-up and wake-ups.
fn runtime(output: Output) -> Result<tokio::runtime::Runtime, Exit> {
    super::runtime(false).map_err(|message| {
        let err = CloudError::local(
            Operation::GetCallerIdentity,
            ErrorClass::Unexpected,
            message,
        );
        print_failure(&err, output)
    })
}

/// A scenario that cannot be loaded or used, as invalid input.
pub(super) fn scenario_failure(e: sim::ScenarioError, output: Output) -> Exit {
    input_failure(
        &[InputError {
            field: "--scenario",
            value: e.file.clone(),
            rule: e.message,
            fix: "fix the scenario file (see scenarios/README.md), or pass --as with a principal of it".to_owned(),
        }],
        output,
    )
}

pub(super) fn input_failure(errors: &[InputError], output: Output) -> Exit {
    match output {
        Output::Text => super::eprint(&render::text::input_errors(errors)),
        Output::Json => super::print(&render::json::input_errors(errors)),
    }
    Exit::InvalidInput
}

/// `xacct run --scenario FILE --as ARN`: the same flow and report, with the
/// scenario's world answering instead of AWS.
fn execute_simulated(args: &RunArgs, path: &std::path::Path, plan: &Plan<'_>) -> Exit {
    let scenario_error = |e| scenario_failure(e, args.output.plain());
    if args.as_principal.is_none() && args.web_identity_token_file.is_none() {
        return input_failure(
            &[InputError {
                field: "--scenario",
                value: path.display().to_string(),
                rule: "a simulated run needs someone to start it".to_owned(),
                fix: "add --as ARN (a user, root, assumed-role or federated-user of the scenario) or --web-identity-token-file FILE (a token from `xacct token`)".to_owned(),
            }],
            args.output.plain(),
        );
    }
    let simulated = match Simulated::open(path) {
        Ok(simulated) => simulated,
        Err(e) => return scenario_error(e),
    };
    let (loaded, cloud) = (&simulated.loaded, &simulated.cloud);
    let now = loaded.world.now();
    let request = match args.request(now) {
        Ok(request) => request,
        Err(errors) => return input_failure(&errors, args.output.plain()),
    };
    let starter = sim::Starter {
        arn: args.as_principal.as_deref().unwrap_or_default(),
        federated_by: args.federated_by.as_deref(),
        ..Default::default()
    };
    let start = match &args.web_identity_token_file {
        Some(path) => match token_file(path) {
            Ok(token) => Start::WebIdentity(token),
            Err(errors) => return input_failure(&errors, args.output.plain()),
        },
        None => match simulated.base(&starter) {
            Ok(base) => Start::Keys(base),
            Err(e) => return scenario_error(e),
        },
    };
    let runtime = match runtime(args.output.plain()) {
        Ok(runtime) => runtime,
        Err(exit) => return exit,
    };
    let exit = runtime.block_on(run_flow(
        cloud,
        (&start, plan),
        &request,
        args.output.plain(),
        loaded.clock.as_ref(),
    ));
    if args.explain {
        let style = render::narrate::Style::new(false);
        let why = render::narrate::calls(&cloud.take_log(), style);
        match args.output.plain() {
            Output::Text => super::print(&format!("\n===== Why =====\n{why}")),
            Output::Json => super::eprint(&why),
        }
    }
    exit
}

/// What a run does besides the flow: whether it assumes no role, and its
/// object calls.
pub(super) struct Plan<'a> {
    /// No `--role-arn`: the base credentials list and make the object calls.
    pub direct: bool,
    /// `--get` and `--put`.
    pub calls: &'a [ObjectCall],
}

/// Runs the flow against any implementation of the seam, then the object
/// calls, and prints the report.
pub(super) async fn run_flow<C>(
    cloud: &C,
    (start, plan): (&Start, &Plan<'_>),
    request: &AssumeRoleRequest,
    output: Output,
    clock: &dyn Clock,
) -> Exit
where
    C: Sts + S3 + S3Objects + Sync,
{
    let base = match start {
        Start::Keys(base) => Some(base),
        Start::WebIdentity(_) => None,
    };
    let mut report = match (plan.direct, base) {
        (true, Some(base)) => flow::run_direct(cloud, base).await,
        _ => flow::run(cloud, start, request).await,
    };
    flow::objects(cloud, &mut report, base, plan.calls).await;
    print_report(&report, output, clock.now());
    report
        .first_error()
        .map_or(Exit::Ok, |e| Exit::from(e.class))
}

fn print_report(report: &Report, output: Output, now: SystemTime) {
    super::print(&match output {
        Output::Text => render::text::report(report, now),
        Output::Json => render::json::report(report, now),
    });
}

/// No base credentials: the SDK's chain found none, or a role profile's
/// chain failed (which hop, who called, AWS's answer).
pub(super) fn base_failure(err: &CredsError, output: Output) -> Exit {
    match output {
        Output::Text => super::eprint(&render::creds::error(err)),
        Output::Json => super::print(&render::json::creds_failure(err)),
    }
    super::chain_args::exit_of(err)
}

pub(super) fn print_failure(err: &CloudError, output: Output) -> Exit {
    match output {
        Output::Text => super::eprint(&format!("error: {}\n", err.message)),
        Output::Json => super::print(&render::json::failure(err)),
    }
    Exit::from(err.class)
}
