//! `xacct whose-key KEY-ID`: the account an access key id carries, read
//! offline from the key id itself (no call, no credentials); with `-` (or
//! no key id), one key id per line of stdin, as CloudTrail triage pipes
//! them (`jq -r '.Records[].userIdentity.accessKeyId'`).

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
    /// The access key id (AKIA... or ASIA...); `-` or none: one per line of stdin.
    #[arg(value_name = "KEY-ID")]
    pub key_id: Option<String>,
    /// The output format.
    #[arg(long, value_enum, default_value_t = WhoseKeyOutput::Text)]
    pub output: WhoseKeyOutput,
}

/// Runs `xacct whose-key`.
pub(super) fn execute(args: &WhoseKeyArgs) -> Exit {
    match args.key_id.as_deref() {
        Some(key_id) if key_id != "-" => answer(args, key_id, ""),
        _ => {
            use std::io::BufRead as _;
            let mut exit = Exit::Ok;
            for (n, line) in std::io::stdin().lock().lines().enumerate() {
                let line = match line {
                    Ok(line) => line,
                    Err(e) => {
                        super::eprint(&format!("error: stdin line {}: {e}\n", n + 1));
                        return Exit::InvalidInput;
                    }
                };
                let key_id = line.trim();
                if key_id.is_empty() || key_id == "null" {
                    continue;
                }
                if answer(args, key_id, &format!("stdin line {}: ", n + 1)) != Exit::Ok {
                    exit = Exit::InvalidInput;
                }
            }
            exit
        }
    }
}

/// Prints one key id's answer; `at` says where it came from in errors.
fn answer(args: &WhoseKeyArgs, key_id: &str, at: &str) -> Exit {
    match account_of(key_id) {
        Ok(account) => {
            super::print(&match args.output {
                WhoseKeyOutput::Text => render::whose_key::text(key_id, &account),
                WhoseKeyOutput::Json => render::whose_key::json(key_id, &account),
            });
            Exit::Ok
        }
        Err(e) => {
            super::eprint(&format!("error: {at}{e}\n"));
            Exit::InvalidInput
        }
    }
}
