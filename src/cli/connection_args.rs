//! Where the calls go and how long they may take: the connection flags
//! `xacct run`, the commands of a role chain (`creds`, `exec`, `console`)
//! and `xacct import`'s live reads share, declared once and flattened into
//! each.

use std::time::Duration;

use clap::Args;

use crate::validate::{self, InputError};

/// The region, the endpoint and the time limits.
#[derive(Debug, Args)]
pub(crate) struct ConnectionArgs {
    /// The region (default: AWS_REGION, the profile's, then us-east-1).
    #[arg(long, value_name = "REGION", value_parser = checked(validate::region))]
    pub(crate) region: Option<String>,
    /// One endpoint for every call (STS, S3, IAM, Organizations, KMS and the
    /// console's federation endpoint), e.g. http://127.0.0.1:4566 or the URL
    /// of `xacct serve`.
    #[arg(long, value_name = "URL", value_parser = checked(validate::endpoint_url))]
    pub(crate) endpoint_url: Option<String>,
    /// The limit in seconds on each call, retries included.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub(crate) timeout: u64,
    /// The limit in seconds on finding the base credentials.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub(crate) credentials_timeout: u64,
}

/// A flag's value parser that keeps the value when `check` passes it, and
/// otherwise says the rule it broke and what to pass instead (clap names
/// the flag and the value; the command exits with invalid input).
fn checked(
    check: fn(&str) -> Result<(), InputError>,
) -> impl Fn(&str) -> Result<String, String> + Clone {
    move |value: &str| {
        check(value)
            .map(|()| value.to_owned())
            .map_err(|e| format!("{}; {}", e.rule, e.fix))
    }
}

impl ConnectionArgs {
    /// The limit on each call (at least a second).
    pub(crate) fn call_timeout(&self) -> Duration {
        Duration::from_secs(self.timeout.max(1))
    }

    /// The limit on finding the base credentials (at least a second).
    pub(crate) fn credentials_limit(&self) -> Duration {
        Duration::from_secs(self.credentials_timeout.max(1))
    }

    /// AWS, or the endpoint these flags name, for a chain of roles.
    pub(crate) fn backend(&self) -> crate::creds::Backend {
        crate::creds::Backend::Live {
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            timeout: self.call_timeout(),
            credentials_timeout: self.credentials_limit(),
        }
    }
}
