//! The arguments of a run across accounts (`xacct run --org` /
//! `--accounts`) and the output formats of `xacct run`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::Output;

/// The output formats of `xacct run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum RunOutput {
    /// For people.
    #[default]
    Text,
    /// For scripts: stable field names, no secrets.
    Json,
    /// Across accounts: one JSON object per account per line, as each ends.
    Jsonl,
    /// Across accounts: JUnit XML, one test case per account.
    Junit,
}

impl RunOutput {
    /// The format for failures and single runs: text, or JSON for the rest.
    pub fn plain(self) -> Output {
        match self {
            Self::Text => Output::Text,
            _ => Output::Json,
        }
    }
}

/// The arguments of a run across accounts.
#[derive(Debug, Args)]
pub struct FanoutArgs {
    /// Run in every account of the organization the base credentials'
    /// account manages (it must be the management account or a delegated
    /// administrator).
    #[arg(long, group = "across", requires = "role_name", conflicts_with_all = ["accounts", "accounts_file", "web_identity_token_file", "github_actions", "explain"])]
    pub org: bool,
    /// Run in these accounts (12-digit ids separated by commas).
    #[arg(
        long,
        value_name = "ID,ID,...",
        group = "across",
        requires = "role_name",
        conflicts_with_all = ["accounts_file", "web_identity_token_file", "github_actions", "explain"]
    )]
    pub accounts: Option<String>,
    /// Run in the accounts listed in FILE (ids separated by commas, spaces
    /// or lines; `#` starts a comment).
    #[arg(long, value_name = "FILE", group = "across", requires = "role_name", conflicts_with_all = ["web_identity_token_file", "github_actions", "explain"])]
    pub accounts_file: Option<PathBuf>,
    /// The role to assume in each account (its name, with its path if any).
    #[arg(long, value_name = "NAME", conflicts_with = "role_arn")]
    pub role_name: Option<String>,
    /// With --org: only accounts at or below this OU (an ou-/r- id or a path
    /// of names such as Production/EU); repeatable.
    #[arg(long = "ou", value_name = "OU_ID|PATH", requires = "org")]
    pub ous: Vec<String>,
    /// Report this account but do not enter it; repeatable.
    #[arg(long, value_name = "ACCOUNT", requires = "across")]
    pub exclude: Vec<String>,
    /// With --org: enter the management account too (left out by default).
    #[arg(long, requires = "org")]
    pub include_management: bool,
    /// The most accounts in flight at once (lowered by itself while AWS throttles).
    #[arg(long, value_name = "N", default_value_t = 16, requires = "across",
          value_parser = clap::value_parser!(u16).range(1..=512))]
    pub concurrency: u16,
    /// With --org: the most accounts the organization's listing may give
    /// before it is taken as endless (a hostile or broken endpoint).
    #[arg(long, value_name = "N", default_value_t = 10_000, requires = "org",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_accounts: u32,
    /// With --org: the most pages one listing (a parent's OUs or accounts)
    /// may take before it is taken as endless.
    #[arg(long, value_name = "N", default_value_t = 10_000, requires = "org",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_pages: u32,
    /// Instead of listing buckets, run the command after `--` in each
    /// account with its credentials in the environment (AWS_ACCESS_KEY_ID,
    /// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, XACCT_ACCOUNT_ID,
    /// XACCT_ACCOUNT_NAME); its output is captured per account.
    #[arg(long, requires_all = ["command", "across"])]
    pub exec: bool,
    /// The command for --exec and its arguments.
    #[arg(last = true, value_name = "COMMAND", requires = "exec")]
    pub command: Vec<String>,
}

impl FanoutArgs {
    /// Whether these arguments ask for a run across accounts.
    pub fn active(&self) -> bool {
        self.org || self.accounts.is_some() || self.accounts_file.is_some()
    }
}
