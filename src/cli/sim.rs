//! `xacct sim PATH...`: runs every run of every scenario and checks its
//! expectations and `lint` section; exit 0 only when everything passes.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::exit::Exit;
use crate::render;
use crate::sim::check_paths;

/// The output format of `xacct sim`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SimOutput {
    /// A line per run and a summary.
    #[default]
    Text,
    /// One JSON document.
    Json,
    /// JUnit XML, for CI systems.
    Junit,
}

/// Arguments of `xacct sim`.
#[derive(Debug, Args)]
pub struct SimArgs {
    /// Scenario files, or directories of them (every *.yaml inside).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The output format.
    #[arg(long, value_enum, default_value_t = SimOutput::Text)]
    pub output: SimOutput,
}

/// Runs `xacct sim`.
pub(super) fn execute(args: &SimArgs) -> Exit {
    let runtime = match super::runtime(false) {
        Ok(rt) => rt,
        Err(message) => {
            super::eprint(&format!("error: {message}\n"));
            return Exit::Unexpected;
        }
    };
    let checks = check_paths(&args.paths, &runtime, crate::backend::max_attempts());
    match args.output {
        SimOutput::Text => {
            let (out, errors) = render::sim::text(&checks);
            super::eprint(&errors);
            super::print(&out);
        }
        SimOutput::Json => super::print(&render::sim::json(&checks)),
        SimOutput::Junit => super::print(&render::sim::junit(&checks)),
    }
    if !checks.errors.is_empty() {
        Exit::InvalidInput
    } else if checks.failed() > 0 {
        Exit::CheckFailed
    } else {
        Exit::Ok
    }
}
