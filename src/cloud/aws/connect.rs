//! Building the SDK configuration for a live run and resolving the base
//! credentials, with bounded waits so a machine without credentials fails in
//! seconds instead of hanging on the instance-metadata endpoint.

use std::time::Duration;

use aws_config::default_provider::credentials::DefaultCredentialsChain;
use aws_config::environment::{
    EnvironmentVariableCredentialsProvider, EnvironmentVariableRegionProvider,
};
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::{ProfileFileCredentialsProvider, ProfileFileRegionProvider};
use aws_config::provider_config::ProviderConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_types::SdkConfig;

use super::convert::from_sdk_credentials;
use super::http_client::http_client;
use crate::cloud::{CloudError, Credentials, ErrorClass, Operation};

/// The region used when neither `--region`, `AWS_REGION` nor the profile names one.
pub const FALLBACK_REGION: &str = "us-east-1";

/// Where a profile's `credential_source` says the first caller's
/// credentials come from (AWS CLI User Guide, "Use an IAM role in the AWS
/// CLI": the three values it takes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialSource {
    /// `Environment`: `AWS_ACCESS_KEY_ID` and the rest.
    Environment,
    /// `Ec2InstanceMetadata`: the instance's role, from IMDS.
    Ec2InstanceMetadata,
    /// `EcsContainer`: the task's role, from the container endpoint.
    EcsContainer,
}

impl CredentialSource {
    /// The values `credential_source` may take, as AWS spells them.
    pub const NAMES: [&'static str; 3] = ["Environment", "Ec2InstanceMetadata", "EcsContainer"];

    /// The source a `credential_source` value names, in any case as
    /// aws-config reads it (`ec2instancemetadata` too).
    pub fn parse(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().as_str() {
            "environment" => Some(Self::Environment),
            "ec2instancemetadata" => Some(Self::Ec2InstanceMetadata),
            "ecscontainer" => Some(Self::EcsContainer),
            _ => None,
        }
    }
}

/// How to reach AWS: the user's choices from the command line.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    /// A named profile of `~/.aws/config` / `~/.aws/credentials`.
    pub profile: Option<String>,
    /// The one place the base credentials come from, when a profile's
    /// `credential_source` says so (and no profile gives them).
    pub credential_source: Option<CredentialSource>,
    /// The region; otherwise `AWS_REGION`, the profile, then [`FALLBACK_REGION`].
    pub region: Option<String>,
    /// One endpoint for both STS and S3 (a local emulator, a VPC endpoint).
    pub endpoint_url: Option<String>,
    /// The limit on one whole operation, retries included.
    pub operation_timeout: Option<Duration>,
    /// Look for no base credentials (a flow that starts from a web
    /// identity token needs none, and must not wait for any).
    pub without_credentials: bool,
    /// The profile whose settings (`endpoint_url`, `services`, FIPS and
    /// dual-stack) the configuration reads, when it is not `profile`: a
    /// chain takes its base credentials from the profile at its root, and
    /// its settings from the profile named.
    pub settings_profile: Option<String>,
}

/// How long one attempt at the instance-metadata endpoint may take to connect or answer.
const IMDS_TIMEOUT: Duration = Duration::from_secs(1);
/// The default limit on one operation, retries included.
const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(60);

/// Loads the SDK configuration: default credential chain (or the profile),
/// region, endpoint, the SDK's standard retry policy, and bounded timeouts.
pub async fn load_sdk_config(options: &ConnectOptions) -> SdkConfig {
    let region = resolve_region(options).await;
    let http = http_client(options.endpoint_url.as_deref());
    let providers = ProviderConfig::without_region().with_http_client(http.clone());
    // A profile named on the command line gives the credentials itself
    // (its keys, SSO, credential_process, role_arn), never the
    // environment's keys: `aws --profile NAME` does the same (botocore's
    // resolver: "an explicitly provided profile will negate an
    // EnvProvider"). Otherwise the default chain asks the environment
    // first; when the environment holds the keys, the chain would answer
    // with them, so the rest of it (profiles, SSO, containers, instance
    // metadata) is not built at all.
    let from_env = EnvironmentVariableCredentialsProvider::new();
    let imds = || {
        aws_config::imds::Client::builder()
            .configure(&providers)
            .connect_timeout(IMDS_TIMEOUT)
            .read_timeout(IMDS_TIMEOUT)
            .max_attempts(1)
            .build()
    };
    let credentials = if options.without_credentials {
        None
    } else if let Some(source) = options.credential_source {
        // That source alone, as the AWS CLI reads `credential_source`.
        Some(match source {
            CredentialSource::Environment => SharedCredentialsProvider::new(from_env),
            CredentialSource::Ec2InstanceMetadata => SharedCredentialsProvider::new(
                aws_config::imds::credentials::ImdsCredentialsProvider::builder()
                    .configure(&providers)
                    .imds_client(imds())
                    .build(),
            ),
            CredentialSource::EcsContainer => SharedCredentialsProvider::new(
                aws_config::ecs::EcsCredentialsProvider::builder()
                    .configure(&providers)
                    .build(),
            ),
        })
    } else if let Some(profile) = &options.profile {
        Some(SharedCredentialsProvider::new(
            ProfileFileCredentialsProvider::builder()
                .configure(&providers)
                .profile_name(profile)
                .build(),
        ))
    } else if from_env.provide_credentials().await.is_ok() {
        Some(SharedCredentialsProvider::new(from_env))
    } else {
        let chain = DefaultCredentialsChain::builder()
            .configure(providers.clone())
            .region(region.clone())
            .imds_client(imds());
        Some(SharedCredentialsProvider::new(chain.build().await))
    };
    let operation_timeout = options
        .operation_timeout
        .unwrap_or(DEFAULT_OPERATION_TIMEOUT);
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(5).min(operation_timeout))
        .operation_attempt_timeout(Duration::from_secs(30).min(operation_timeout))
        .operation_timeout(operation_timeout)
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .region(region)
        .timeout_config(timeouts);
    loader = match credentials {
        Some(credentials) => loader.credentials_provider(credentials),
        None => loader.no_credentials(),
    };
    if let Some(profile) = options
        .settings_profile
        .as_ref()
        .or(options.profile.as_ref())
    {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

/// The region `AWS_REGION` (or `AWS_DEFAULT_REGION`) names, if any.
pub async fn environment_region() -> Option<String> {
    RegionProviderChain::first_try(EnvironmentVariableRegionProvider::new())
        .region()
        .await
        .map(|r| r.to_string())
}

/// The region from the options, the environment or the profile; never from
/// the instance-metadata endpoint, so resolving it cannot hang.
async fn resolve_region(options: &ConnectOptions) -> Region {
    if let Some(region) = &options.region {
        return Region::new(region.clone());
    }
    let mut profile = ProfileFileRegionProvider::builder();
    if let Some(name) = &options.profile {
        profile = profile.profile_name(name);
    }
    RegionProviderChain::first_try(EnvironmentVariableRegionProvider::new())
        .or_else(profile.build())
        .or_else(Region::from_static(FALLBACK_REGION))
        .region()
        .await
        .unwrap_or_else(|| Region::from_static(FALLBACK_REGION))
}

/// How to provide credentials, shown when none were found.
pub(super) const HOW_TO_PROVIDE_CREDENTIALS: &str = "provide credentials in one of these ways: \
set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones); \
pass --profile NAME (or set AWS_PROFILE) for a profile in ~/.aws/credentials or ~/.aws/config; \
run `aws sso login` for an SSO profile; or run on a host with an instance or container role. \
To try xacct without AWS, run `xacct demo`.";

/// The profiles the AWS config and credentials files name, in order;
/// `None` when they cannot be read (the chain's own error says more).
async fn profile_names() -> Option<Vec<String>> {
    let set = aws_config::profile::load(
        &aws_types::os_shim_internal::Fs::real(),
        &aws_types::os_shim_internal::Env::real(),
        &aws_runtime::env_config::file::EnvConfigFiles::default(),
        None,
    )
    .await
    .ok()?;
    let mut names: Vec<String> = set.profiles().map(str::to_owned).collect();
    names.sort();
    Some(names)
}

/// Why `name` gives nothing: the files do not have it; they have `known`.
pub fn no_such_profile(name: &str, known: &[String]) -> String {
    format!(
        "there is no profile `{name}` in ~/.aws/config or ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE){}",
        if known.is_empty() {
            " (they name no profile)".to_owned()
        } else {
            format!(" (they name: {})", known.join(", "))
        }
    )
}

/// Resolves the base credentials from the configured chain, within `limit`.
pub async fn base_credentials(
    config: &SdkConfig,
    profile: Option<&str>,
    limit: Duration,
) -> Result<Credentials, CloudError> {
    let fail = |message: String| {
        CloudError::local(
            Operation::GetCallerIdentity,
            ErrorClass::BadCredentials,
            message,
        )
    };
    // A profile that does not exist: say so, as `xacct creds` and the AWS
    // CLI do, before the chain falls through to the instance metadata
    // service and blames it.
    if let Some(name) = profile
        && let Some(known) = profile_names().await
        && !known.iter().any(|p| p == name)
    {
        return Err(CloudError::local(
            Operation::GetCallerIdentity,
            ErrorClass::InvalidInput,
            format!(
                "{}; add it, or pass one of those",
                no_such_profile(name, &known)
            ),
        ));
    }
    let Some(provider) = config.credentials_provider() else {
        return Err(fail(format!(
            "no credential provider is configured; {HOW_TO_PROVIDE_CREDENTIALS}"
        )));
    };
    match tokio::time::timeout(limit, provider.provide_credentials()).await {
        Err(_) => Err(fail(format!(
            "no credentials were found within {} seconds; {HOW_TO_PROVIDE_CREDENTIALS}",
            limit.as_secs()
        ))),
        Ok(Ok(creds)) => Ok(from_sdk_credentials(&creds)),
        Ok(Err(CredentialsError::CredentialsNotLoaded(_))) => Err(fail(match profile {
            Some(name) => format!(
                "the profile `{name}` gave no credentials: check that it exists in ~/.aws/config or ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE) and has keys, SSO or a role; {HOW_TO_PROVIDE_CREDENTIALS}"
            ),
            None => format!("no AWS credentials were found; {HOW_TO_PROVIDE_CREDENTIALS}"),
        })),
        Ok(Err(err)) => Err(fail(format!(
            "no usable AWS credentials were found (the last source tried said: {}); {HOW_TO_PROVIDE_CREDENTIALS}",
            crate::cloud::error_chain(&err)
        ))),
    }
}
