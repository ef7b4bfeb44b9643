//! `xacct creds`: a role's (or a chain's) temporary credentials, printed
//! for a shell, a `.env` file, a credentials file, or `credential_process`.

use clap::Args;

use super::chain_args::ChainArgs;
use crate::clock::Clock;
use crate::exit::Exit;
use crate::render::creds::{CredsFormat, session};

/// Arguments of `xacct creds`.
#[derive(Debug, Args)]
pub struct CredsArgs {
    /// The roles and how to reach them.
    #[command(flatten)]
    pub chain: ChainArgs,
    /// How to print the credentials (credential-process: for
    /// `credential_process = xacct creds ... --format credential-process`).
    #[arg(long, value_enum, default_value_t = CredsFormat::Export)]
    pub format: CredsFormat,
    /// The section name of --format ini (default: the last role's name).
    #[arg(long, value_name = "NAME", value_parser = ini_section)]
    pub ini_section: Option<String>,
}

/// A section name the credentials file reads back as written: not empty,
/// no white space around it, and none of `[`, `]`, `#`, `;` or a control
/// character, which would end the header early or start a comment.
fn ini_section(value: &str) -> Result<String, String> {
    let fits = !value.is_empty()
        && value.trim() == value
        && !value
            .chars()
            .any(|c| c.is_control() || matches!(c, '[' | ']' | '#' | ';'));
    if fits {
        Ok(value.to_owned())
    } else {
        Err("a section name must be non-empty, without white space around it, and hold no `[`, `]`, `#`, `;` or control character, or the credentials file reads another name back; pass e.g. deploy".to_owned())
    }
}

/// Runs `xacct creds`.
pub(super) fn execute(args: &CredsArgs, clock: &dyn Clock) -> Exit {
    let got = match args.chain.obtain(clock) {
        Ok(got) => got,
        Err(exit) => return exit,
    };
    let role_name = got
        .obtained
        .arn
        .split('/')
        .nth(1)
        .unwrap_or("xacct")
        .to_owned();
    let section = args.ini_section.clone().unwrap_or(role_name);
    match session(&got, args.format, &section) {
        Ok(text) => {
            super::print(&text);
            Exit::Ok
        }
        Err(message) => {
            super::eprint(&format!("error: {message}\n"));
            Exit::Unexpected
        }
    }
}
