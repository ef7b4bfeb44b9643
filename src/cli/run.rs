//! `xacct run`: the cross-account flow against AWS or any endpoint that
//! speaks STS and S3.

use std::path::PathBuf;
use std::time::SystemTime;

use clap::Args;

use super::Output;
use super::fanout_args::{FanoutArgs, RunOutput};
use crate::backend::{Live, Simulated};
use crate::clock::Clock;
use crate::cloud::aws::{ConnectOptions, github_actions_token};
use crate::cloud::{
    AssumeRoleRequest, CloudError, ErrorClass, MfaToken, ObjectCall, Operation, S3, S3Objects, Sts,
};
use crate::creds::{self, CredsError};
use crate::exit::Exit;
use crate::flow::{self, Report, Start};
use crate::input::{FileKind, read_text, read_token};
use crate::render;
use crate::secret::Secret;
use crate::sim;
use crate::validate::{self, InputError};

/// Arguments of `xacct run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The role to assume: arn:PARTITION:iam::ACCOUNT:role/NAME (across
    /// accounts: --role-name instead; with --get/--put and no role, the
    /// base credentials read and write directly).
    #[arg(long, value_name = "ARN", required_unless_present_any = ["org", "accounts", "accounts_file", "get", "put"])]
    pub role_arn: Option<String>,
    /// The role session name (2-64 of letters, digits, _+=,.@-); default xacct-<unix time>.
    #[arg(long, value_name = "NAME")]
    pub session_name: Option<String>,
    /// The session length, 900-43200 seconds (AWS's default: 3600).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub duration_seconds: Option<i64>,
    /// The external id the role's trust policy requires.
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,
    /// The MFA device serial or ARN (with --mfa-code).
    #[arg(long, value_name = "SERIAL", requires = "mfa_code")]
    pub mfa_serial: Option<String>,
    /// The six-digit MFA code (with --mfa-serial).
    #[arg(long, value_name = "CODE", requires = "mfa_serial")]
    pub mfa_code: Option<String>,
    /// A file holding an inline session policy (JSON) that narrows the session.
    #[arg(long, value_name = "FILE")]
    pub session_policy: Option<PathBuf>,
    /// Start from the OIDC token in this file (AssumeRoleWithWebIdentity)
    /// instead of base credentials: a GitHub Actions or EKS token, or one
    /// from `xacct token`.
    /// AssumeRoleWithWebIdentity takes no tags or source identity: the
    /// token's claims carry them.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["as_principal", "external_id", "mfa_serial", "github_actions", "tags", "transitive_tag_keys", "source_identity"])]
    pub web_identity_token_file: Option<PathBuf>,
    /// Inside GitHub Actions: fetch the job's OIDC token (audience
    /// sts.amazonaws.com) from ACTIONS_ID_TOKEN_REQUEST_URL and start from it.
    #[arg(long, conflicts_with_all = ["as_principal", "external_id", "mfa_serial", "scenario", "tags", "transitive_tag_keys", "source_identity"])]
    pub github_actions: bool,
    /// Run against the simulated AWS of this scenario file instead of AWS.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["profile", "region", "endpoint_url"])]
    pub scenario: Option<PathBuf>,
    /// With --scenario: who starts the flow (a user, root, assumed-role or federated-user ARN).
    #[arg(long = "as", value_name = "ARN", requires = "scenario")]
    pub as_principal: Option<String>,
    /// With --scenario and a federated-user --as: the IAM user who called GetFederationToken.
    #[arg(long, value_name = "USER", requires = "scenario")]
    pub federated_by: Option<String>,
    /// With --scenario: after the report, show each call's decision and the statements that decided it.
    #[arg(long, requires = "scenario")]
    pub explain: bool,
    /// A named profile for the base credentials and region.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The region, the endpoint and the time limits.
    #[command(flatten)]
    pub(crate) connection: super::connection_args::ConnectionArgs,
    /// The output format (jsonl and junit: across accounts only).
    #[arg(long, value_enum, default_value_t = RunOutput::Text)]
    pub output: RunOutput,
    /// Session tags, source identity and managed session policies.
    #[command(flatten)]
    pub session: super::session_args::SessionArgs,
    /// A run across accounts.
    #[command(flatten)]
    pub fanout: FanoutArgs,
    /// Object calls after the flow.
    #[command(flatten)]
    pub objects: super::object_args::ObjectArgs,
}

impl RunArgs {
    /// The AssumeRole request these arguments ask for, checked against AWS's
    /// constraints; every problem is returned, not only the first.
    pub fn request(&self, now: SystemTime) -> Result<AssumeRoleRequest, Vec<InputError>> {
        let mut errors = Vec::new();
        let duration_seconds =
            validate::optional_duration(self.duration_seconds).unwrap_or_else(|e| {
                errors.push(e);
                None
            });
        let session_policy = match &self.session_policy {
            Some(path) => match read_text(path, FileKind::Policy) {
                Ok(text) => Some(text),
                Err(e) => {
                    errors.push(InputError {
                        field: "--session-policy",
                        value: path.display().to_string(),
                        rule: e.message,
                        fix: "a session policy is a JSON file of at most 2048 characters"
                            .to_owned(),
                    });
                    None
                }
            },
            None => None,
        };
        let mut request = AssumeRoleRequest {
            // Across accounts, each account's ARN comes from --role-name;
            // this one only carries the name through the checks.
            role_arn: self.role_arn.clone().unwrap_or_else(|| {
                format!(
                    "arn:aws:iam::000000000000:role/{}",
                    self.fanout.role_name.as_deref().unwrap_or_default()
                )
            }),
            session_name: self
                .session_name
                .clone()
                .unwrap_or_else(|| crate::creds::default_session_name(now)),
            duration_seconds,
            external_id: self.external_id.clone(),
            mfa: match (&self.mfa_serial, &self.mfa_code) {
                (Some(serial), Some(code)) => Some(MfaToken {
                    serial: serial.clone(),
                    code: code.clone(),
                }),
                _ => None,
            },
            session_policy,
            ..Default::default()
        };
        errors.extend(self.session.apply(&mut request));
        // A direct run (--get/--put, no role) assumes nothing: no role ARN to check.
        let direct = self.role_arn.is_none() && self.fanout.role_name.is_none();
        if direct {
            request.role_arn.clear();
        }
        if let Err(more) = validate::assume_role_request(&request) {
            errors.extend(
                more.into_iter()
                    .filter(|e| !(direct && e.field == "--role-arn")),
            );
        }
        if errors.is_empty() {
            Ok(request)
        } else {
            Err(errors)
        }
    }

    /// The base credentials of the default chain or `--profile`, waited
    /// for at most `--credentials-timeout`; a role profile's chain (named
    /// by `--profile`, or by `AWS_PROFILE` when the environment holds no
    /// keys) walked hop by hop through the same endpoint as the run.
    pub(super) async fn base_credentials(
        &self,
        live: &Live,
        clock: &dyn Clock,
    ) -> Result<crate::cloud::Credentials, CredsError> {
        let backend = self.connection.backend();
        match creds::profile_session(self.profile.as_deref(), &backend, clock).await {
            Ok(Some(got)) => Ok(got.obtained.credentials),
            Ok(None) => live
                .base(self.profile.as_deref(), self.connection.credentials_limit())
                .await
                .map_err(CredsError::Base),
            Err(failed) => Err(failed.error),
        }
    }

    pub(super) fn connect_options(&self) -> ConnectOptions {
        ConnectOptions {
            profile: self.profile.clone(),
            credential_source: None,
            region: self.connection.region.clone(),
            endpoint_url: self.connection.endpoint_url.clone(),
            operation_timeout: Some(self.connection.call_timeout()),
            ..ConnectOptions::default()
        }
    }
}

/// The token of `--web-identity-token-file`, a failure to read it worded
/// for that flag.
fn token_file(path: &std::path::Path) -> Result<Secret, Vec<InputError>> {
    read_token(path).map_err(|e| {
        vec![InputError {
            field: "--web-identity-token-file",
            value: path.display().to_string(),
            rule: e.message,
            fix: "pass the file that holds the OIDC token (AWS_WEB_IDENTITY_TOKEN_FILE in EKS, or `xacct token ... > FILE`)".to_owned(),
        }]
    })
}

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
