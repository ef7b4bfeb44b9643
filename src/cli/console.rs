//! `xacct console`: the AWS console, signed in as the role, through the
//! federation endpoint's sign-in URL; opened in the browser or printed.

use std::time::Duration;

use clap::Args;

use super::chain_args::ChainArgs;
use crate::clock::Clock;
use crate::creds::{
    ConsoleRequest, check_session_duration, default_dir, endpoints, open_signin, signin_url,
};
use crate::exit::Exit;
use crate::render;

/// Arguments of `xacct console`.
#[derive(Debug, Args)]
pub struct ConsoleArgs {
    /// The roles and how to reach them.
    #[command(flatten)]
    pub chain: ChainArgs,
    /// The console page to open (default: the console home in the region).
    #[arg(long, value_name = "URL")]
    pub destination: Option<String>,
    /// How long the console session lasts, 900-43200 seconds (AWS refuses
    /// it for a chained role session; without it, as long as the credentials).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub session_duration: Option<i64>,
    /// Print the sign-in URL (a secret for 15 minutes) instead of opening it.
    #[arg(long)]
    pub print: bool,
}

/// Runs `xacct console`.
pub(super) fn execute(args: &ConsoleArgs, clock: &dyn Clock) -> Exit {
    if let Err(e) = check_session_duration(args.session_duration, false) {
        super::eprint(&render::text::input_errors(&[e]));
        return Exit::InvalidInput;
    }
    let got = match args.chain.obtain(clock) {
        Ok(got) => got,
        Err(exit) => return exit,
    };
    if let Err(e) = check_session_duration(args.session_duration, got.chained) {
        super::eprint(&render::text::input_errors(&[e]));
        return Exit::InvalidInput;
    }
    let (federation_url, home) =
        endpoints(&got.region, args.chain.connection.endpoint_url.as_deref());
    let request = ConsoleRequest {
        federation_url,
        destination: args.destination.clone().unwrap_or(home),
        session_duration: args.session_duration,
        issuer: "xacct".to_owned(),
    };
    let runtime = match super::runtime(false) {
        Ok(runtime) => runtime,
        Err(message) => {
            super::eprint(&format!("error: {message}\n"));
            return Exit::Unexpected;
        }
    };
    let timeout = Duration::from_secs(args.chain.connection.timeout.max(1));
    let url = match runtime.block_on(signin_url(&got.obtained.credentials, &request, timeout)) {
        Ok(url) => url,
        Err(err) => {
            super::eprint(&render::console::refused(
                &err,
                &got.obtained.arn,
                args.session_duration,
            ));
            return match err.status {
                Some(status) if status < 500 => Exit::InvalidInput,
                _ => Exit::Unavailable,
            };
        }
    };
    if args.print {
        super::print(&format!("{}\n", url.expose()));
        return Exit::Ok;
    }
    let opened = default_dir().and_then(|dir| open_signin(&url, &dir, clock.now()));
    match opened {
        Ok(_) => {
            super::eprint(&format!(
                "opening the AWS console as {} (the sign-in link works for 15 minutes)\n",
                got.obtained.arn
            ));
            Exit::Ok
        }
        Err(e) => {
            super::eprint(&format!("error: {e}\n"));
            Exit::Unexpected
        }
    }
}
