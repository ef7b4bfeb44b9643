//! `xacct whose-key KEY-ID`: the account an access key id carries, read
//! offline from the key id itself (no call, no credentials).

use clap::{Args, ValueEnum};

use crate::exit::Exit;
use crate::key_id::account_of;
use crate::render;

/// How to print the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WhoseKeyOutput {
    /// `ACCOUNT<TAB>KEY-ID: kind`.
    Text,
    /// `{"AccessKeyId", "Kind", "Account"}`.
    Json,
}

/// Arguments of `xacct whose-key`.
#[derive(Debug, Args)]
pub struct WhoseKeyArgs {
    /// The access key id (AKIA... or ASIA...).
    #[arg(value_name = "KEY-ID")]
    pub key_id: String,
    /// The output format.
    #[arg(long, value_enum, default_value_t = WhoseKeyOutput::Text)]
    pub output: WhoseKeyOutput,
}

/// Runs `xacct whose-key`.
pub(super) fn execute(args: &WhoseKeyArgs) -> Exit {
    match account_of(&args.key_id) {
        Ok(account) => {
            super::print(&match args.output {
                WhoseKeyOutput::Text => render::whose_key::text(&args.key_id, &account),
                WhoseKeyOutput::Json => render::whose_key::json(&args.key_id, &account),
            });
            Exit::Ok
        }
        Err(e) => {
            super::eprint(&format!("error: {e}\n"));
            Exit::InvalidInput
        }
    }
}
