//! `xacct cache list | clear`: the cached role sessions of `xacct creds`,
//! `exec` and `console`, shown without their secrets, or deleted.

use clap::{Args, Subcommand};

use crate::clock::Clock;
use crate::creds::{Cache, default_dir};
use crate::exit::Exit;
use crate::render;

/// Arguments of `xacct cache`.
#[derive(Debug, Args)]
pub struct CacheArgs {
    /// What to do with the cache.
    #[command(subcommand)]
    pub action: CacheAction,
}

/// The cache's subcommands.
#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// Show each cached session: its role chain, base key id, expiry (never a secret).
    List,
    /// Delete cached sessions: all, or those whose chain passes through a role.
    Clear {
        /// Only the sessions whose chain passes through this role.
        #[arg(long, value_name = "ARN")]
        role_arn: Option<String>,
    },
}

/// Runs `xacct cache`.
pub(super) fn execute(args: &CacheArgs, clock: &dyn Clock) -> Exit {
    let dir = match default_dir() {
        Ok(dir) => dir,
        Err(e) => {
            super::eprint(&format!("error: {e}\n"));
            return Exit::InvalidInput;
        }
    };
    let cache = Cache::new(dir.clone());
    let shown = dir.display().to_string();
    match &args.action {
        CacheAction::List => match cache.list() {
            Ok(entries) => {
                super::print(&render::creds::cache_list(&shown, &entries, clock.now()));
                Exit::Ok
            }
            Err(e) => {
                super::eprint(&format!("error: {e}\n"));
                Exit::InvalidInput
            }
        },
        CacheAction::Clear { role_arn } => match cache.clear(role_arn.as_deref()) {
            Ok(deleted) => {
                super::print(&format!(
                    "deleted {} cached session(s) from {shown}\n",
                    deleted.len()
                ));
                Exit::Ok
            }
            Err(e) => {
                super::eprint(&format!("error: {e}\n"));
                Exit::Unexpected
            }
        },
    }
}
