//! `xacct completions SHELL`: a completion script on stdout.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Cli;
use crate::exit::Exit;

/// Arguments of `xacct completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write the script for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Writes the script.
pub(super) fn execute(args: &CompletionsArgs) -> Exit {
    clap_complete::generate(
        args.shell,
        &mut Cli::command(),
        "xacct",
        &mut std::io::stdout(),
    );
    Exit::Ok
}
