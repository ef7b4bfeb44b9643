//! The command line: argument parsing and dispatch. Each subcommand lives in
//! its own file and only parses, calls the library and prints.

mod byte_size;
mod cache;
mod chain_args;
mod completions;
mod connection_args;
mod console;
mod creds;
mod demo;
mod diff;
mod exec;
mod fanout;
mod fanout_args;
mod graph;
mod import;
mod import_options;
mod object_args;
mod policy;
mod run;
mod run_args;
mod seed_args;
mod serve;
mod serve_role_env;
mod session_args;
mod sim;
mod token;
mod whose_key;

use std::ffi::OsString;
use std::io::Write as _;

use clap::{Parser, Subcommand, ValueEnum};

use crate::clock::SystemClock;
use crate::exit::Exit;

pub use run_args::RunArgs;

/// AWS cross-account access: list account A's buckets, assume a role in
/// account B, list B's buckets; with clear errors and exit codes.
#[derive(Debug, Parser)]
#[command(
    name = "xacct",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(after_help = EXIT_CODES)]
pub struct Cli {
    /// Log diagnostics to stderr (-v: xacct's steps; -vv: also the SDK's). Secrets are never logged.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The exit codes, shown at the end of `--help`.
pub const EXIT_CODES: &str = "Exit codes: 0 ok, 1 check failed, 2 access denied, 3 invalid input, \
4 bad or missing credentials, 5 throttled or unavailable, 6 unexpected error, 126/127 `xacct exec` could not run / found no command (otherwise the command's own code), \
130 interrupted (a run across accounts).";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the cross-account flow against AWS (or any endpoint that speaks STS and S3).
    Run(Box<RunArgs>),
    /// Print a role's (or a chain's) temporary credentials: shell lines, JSON, credential_process, ini, .env.
    Creds(Box<creds::CredsArgs>),
    /// Run a command as a role: the session in its environment, its exit code returned.
    Exec(Box<exec::ExecArgs>),
    /// Open the AWS console as a role (a federation sign-in URL), or print the URL.
    Console(Box<console::ConsoleArgs>),
    /// List or clear the cached role sessions (never showing their secrets).
    Cache(cache::CacheArgs),
    /// Narrate a scenario step by step: who calls what, and why AWS allows or refuses it.
    Demo(demo::DemoArgs),
    /// Run scenario files against the simulated AWS and check their expectations.
    Sim(sim::SimArgs),
    /// Serve a scenario's world as a local STS, S3, IAM-read and Organizations-read endpoint (SigV4 verified) for any SDK or the AWS CLI.
    Serve(serve::ServeArgs),
    /// Print a web identity token (JWT) of a scenario's OIDC issuer that `xacct serve` of that scenario accepts.
    Token(token::TokenArgs),
    /// Who can assume which role in a world, decided by the IAM engine; or the paths from a principal to a role.
    Graph(graph::GraphArgs),
    /// Who gains or loses a way into a role between two worlds; exit 1 when access appears.
    Diff(diff::DiffArgs),
    /// Build a scenario world from authorization details, Terraform or CloudFormation, or live accounts.
    Import(import::ImportArgs),
    /// Evaluate and lint IAM policies offline.
    Policy(policy::PolicyArgs),
    /// The account an access key id carries, decoded offline from the key id.
    WhoseKey(whose_key::WhoseKeyArgs),
    /// Print a shell completion script.
    Completions(completions::CompletionsArgs),
}

/// Parses arguments without touching the system (no I/O, no exit).
pub fn parse<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    Cli::try_parse_from(args)
}

/// Runs the command line and returns how it ended.
pub fn main<I, T>(args: I) -> Exit
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match parse(args) {
        Ok(cli) => cli,
        Err(err) => return usage_error(&err),
    };
    crate::logging::init(cli.verbose);
    match cli.command {
        Command::Run(args) if args.fanout.active() => fanout::execute(&args, &SystemClock),
        Command::Run(args) => run::execute(&args, &SystemClock),
        Command::Creds(args) => creds::execute(&args, &SystemClock),
        Command::Exec(args) => exec::execute(&args, &SystemClock),
        Command::Console(args) => console::execute(&args, &SystemClock),
        Command::Cache(args) => cache::execute(&args, &SystemClock),
        Command::Demo(args) => demo::execute(&args),
        Command::Sim(args) => sim::execute(&args),
        Command::Serve(args) => serve::execute(&args),
        Command::WhoseKey(args) => whose_key::execute(&args),
        Command::Token(args) => token::execute(&args),
        Command::Import(args) => import::execute(&args, &SystemClock),
        Command::Graph(args) => graph::execute(&args),
        Command::Diff(args) => diff::execute(&args),
        Command::Policy(args) => policy::execute(&args),
        Command::Completions(args) => completions::execute(&args),
    }
}

/// The output format of commands that speak to people and scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Output {
    /// For people.
    #[default]
    Text,
    /// For scripts: stable field names, no secrets.
    Json,
}

/// Writes text to stdout and flushes (a closed pipe is not an error worth a panic).
pub(crate) fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Writes text to stderr, every control character but line breaks and
/// tabs escaped ([`crate::render::terminal_lines`]): errors quote what
/// endpoints and files said.
pub(crate) fn eprint(text: &str) {
    let text = crate::render::terminal_lines(text);
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// A tokio runtime for one command: two workers for live calls and the
/// server, a current-thread one for the simulator.
pub(crate) fn runtime(multi_thread: bool) -> Result<tokio::runtime::Runtime, String> {
    let mut builder = if multi_thread {
        let mut b = tokio::runtime::Builder::new_multi_thread();
        b.worker_threads(2);
        b
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    builder
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the async runtime: {e}"))
}

/// Help and version go to stdout with exit 0; a usage error goes to stderr
/// with the invalid-input exit code.
fn usage_error(err: &clap::Error) -> Exit {
    use clap::error::ErrorKind;
    let _ = err.print();
    match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = std::io::stdout().flush();
            Exit::Ok
        }
        _ => Exit::InvalidInput,
    }
}
