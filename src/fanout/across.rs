//! The whole run across accounts as one library call: who the base
//! credentials are (for the partition), which accounts (the organization's
//! or a list), then the run.

use super::limiter::{Backoff, Limiter};
use super::outcome::FanoutReport;
use super::runner::{self, Action, Observer, Plan, Stop};
use super::targets::{self, Selection};
use crate::cloud::{
    AssumeRoleRequest, CloudError, Credentials, ListingCaps, Organizations, S3, Sts,
};
use crate::validate::InputError;

/// Where the accounts come from.
#[derive(Debug, Clone)]
pub enum Accounts {
    /// Every account of the organization the caller's account manages.
    Organization,
    /// Account ids as text (commas, spaces, lines, `#` comments), and the
    /// flag they came from.
    Listed {
        /// `--accounts` or `--accounts-file`.
        field: &'static str,
        /// The text.
        text: String,
    },
}

/// What `xacct run --org` / `--accounts` asks for.
#[derive(Debug, Clone)]
pub struct Across {
    /// Where the accounts come from.
    pub accounts: Accounts,
    /// How they are narrowed.
    pub selection: Selection,
    /// The role to assume in each (its name, with a path if any).
    pub role_name: String,
    /// The AssumeRole parameters shared by every account.
    pub request: AssumeRoleRequest,
    /// What to do in each.
    pub action: Action,
    /// The most accounts in flight.
    pub concurrency: usize,
    /// Backoff once the SDK's retries were throttled too.
    pub backoff: Backoff,
    /// How far the organization's listing may go.
    pub caps: ListingCaps,
}

/// Why the run could not start.
#[derive(Debug, Clone)]
pub enum AcrossError {
    /// The selection names what is not there.
    Input(Vec<InputError>),
    /// Who the caller is, or the organization, could not be read.
    Cloud(CloudError),
    /// Ctrl-C came before any account was entered (while the caller or
    /// the organization was being read): nothing was left to wait for.
    Interrupted,
}

/// The partition of an ARN (`arn:PARTITION:...`), `aws` when unreadable.
fn partition(arn: &str) -> String {
    arn.split(':')
        .nth(1)
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
        .to_owned()
}

/// Runs `across` from `base` credentials.
pub async fn run<C>(
    cloud: &C,
    base: &Credentials,
    across: &Across,
    observer: &dyn Observer,
    stop: &Stop,
) -> Result<FanoutReport, AcrossError>
where
    C: Sts + S3 + Organizations + Sync,
{
    // Before any account is entered nothing is in flight: Ctrl-C ends the
    // reading at once (a listing that never ends cannot hold the run).
    let plan = tokio::select! {
        plan = plan(cloud, base, across) => plan?,
        () = stop.reached(1) => return Err(AcrossError::Interrupted),
    };
    Ok(runner::run(cloud, base, &plan, observer, stop).await)
}

/// Who the caller is and which accounts to enter.
async fn plan<C>(cloud: &C, base: &Credentials, across: &Across) -> Result<Plan, AcrossError>
where
    C: Sts + S3 + Organizations + Sync,
{
    let caller = cloud
        .get_caller_identity(base)
        .await
        .map_err(AcrossError::Cloud)?;
    let targets = match &across.accounts {
        Accounts::Organization => {
            // The SDK retries a throttled page; a burst that outlasts its
            // attempts is retried here with backoff, as accounts are.
            let listing = runner::patiently(&Limiter::new(1), &across.backoff, || {
                cloud.list_org_accounts(base, across.caps)
            })
            .await
            .map_err(AcrossError::Cloud)?;
            targets::from_organization(&listing, &across.selection)
        }
        Accounts::Listed { field, text } => targets::from_list(field, text, &across.selection),
    }
    .map_err(AcrossError::Input)?;
    Ok(Plan {
        targets,
        request: across.request.clone(),
        role_name: across.role_name.clone(),
        partition: partition(&caller.arn),
        action: across.action.clone(),
        concurrency: across.concurrency,
        backoff: across.backoff,
    })
}
