//! `xacct diff OLD NEW`: who gains and who loses a way into a role between
//! two worlds (scenarios or imports); exit 1 when access appears, so CI can
//! gate on it.

use std::path::PathBuf;

use clap::Args;

use crate::exit::Exit;
use crate::render;
use crate::sim;

/// Arguments of `xacct diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The world before.
    pub old: PathBuf,
    /// The world after.
    pub new: PathBuf,
}

/// Runs `xacct diff`.
pub fn execute(args: &DiffArgs) -> Exit {
    let load = |path: &PathBuf| sim::load(path).map(|loaded| loaded.world.graph());
    let (old, new) = match (load(&args.old), load(&args.new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), _) | (_, Err(e)) => {
            super::eprint(&format!("error: {e}\n"));
            return Exit::InvalidInput;
        }
    };
    let diff = new.diff(&old);
    super::print(&render::graph::diff(
        &diff,
        &args.old.display().to_string(),
        &args.new.display().to_string(),
    ));
    if diff.added.is_empty() {
        Exit::Ok
    } else {
        Exit::CheckFailed
    }
}
