//! Where a command's calls go, opened one way for every command that calls
//! AWS (`xacct run`, a run across accounts, and the role-chain commands
//! `creds`, `exec` and `console`): AWS, or any endpoint that speaks it,
//! through the SDK ([`Live`]); or a scenario's simulated AWS in process
//! ([`Simulated`]), whose seam retries as the SDK does, `AWS_MAX_ATTEMPTS`
//! included.

use std::path::Path;
use std::time::Duration;

use aws_types::SdkConfig;

use crate::cloud::aws::{AwsCloud, ConnectOptions, base_credentials, load_sdk_config};
use crate::cloud::{CloudError, Credentials};
use crate::sim::{self, Loaded, ScenarioError, SimCloud, Starter};

/// The number of attempts per call: `AWS_MAX_ATTEMPTS` when set, as the
/// SDK reads it, else the SDK's default.
pub fn max_attempts() -> u32 {
    std::env::var("AWS_MAX_ATTEMPTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(sim::DEFAULT_MAX_ATTEMPTS)
}

/// AWS through the SDK: the configuration every client shares, and the seam.
#[derive(Debug)]
pub struct Live {
    /// The SDK configuration (region, endpoint, credential chain, HTTP client).
    pub config: SdkConfig,
    /// The seam over the SDK's clients.
    pub cloud: AwsCloud,
}

impl Live {
    /// The SDK configured as `options` say, and its clients.
    pub async fn open(options: &ConnectOptions) -> Self {
        let config = load_sdk_config(options).await;
        let cloud = AwsCloud::from_config(&config);
        Self { config, cloud }
    }

    /// The base credentials of the default chain or `profile`, waited for
    /// at most `limit`.
    pub async fn base(
        &self,
        profile: Option<&str>,
        limit: Duration,
    ) -> Result<Credentials, CloudError> {
        base_credentials(&self.config, profile, limit).await
    }
}

/// A scenario's world in process: the loaded scenario and the seam over it.
#[derive(Debug)]
pub struct Simulated {
    /// The scenario, its world and its clock.
    pub loaded: Loaded,
    /// The seam over the world, retrying as the SDK would.
    pub cloud: SimCloud,
}

impl Simulated {
    /// Loads the scenario at `path`.
    pub fn open(path: &Path) -> Result<Self, ScenarioError> {
        let loaded = sim::load(path)?;
        let cloud = SimCloud::new(loaded.world.clone()).with_max_attempts(max_attempts());
        Ok(Self { loaded, cloud })
    }

    /// The credentials of the principal `starter` names.
    pub fn base(&self, starter: &Starter<'_>) -> Result<Credentials, ScenarioError> {
        sim::credentials_for(&self.loaded, starter)
    }
}
