//! The credentials commands' one library call: plan the chain, find the
//! base credentials, use the cache or walk the chain (asking for the MFA
//! code once, and only when a call needs it), and store the result.

use std::borrow::Cow;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use sha2::{Digest as _, Sha256};

use super::cache::{Cache, CacheKey, Cached, KeyHop};
use super::cache_dir::CacheError;
use super::mfa_prompt::{PromptError, ask_code};
use super::plan::Plan;
use super::profile_chain::implied_role_profile;
use super::spec::{ChainSpec, default_session_name};
use super::walk::{HopFailure, Obtained, walk};
use crate::backend::{Live, Simulated};
use crate::clock::Clock;
use crate::cloud::aws::{ConnectOptions, FALLBACK_REGION, environment_region};
use crate::cloud::{CloudError, Sts};
use crate::flow::Start;
use crate::input::read_token;
use crate::secret::Secret;
use crate::sim::{CallRecord, ScenarioError, Starter};
use crate::validate::InputError;

/// Where the calls go.
#[derive(Debug, Clone)]
pub enum Backend {
    /// AWS, or any endpoint that speaks STS (`xacct serve`).
    Live {
        /// `--region`.
        region: Option<String>,
        /// `--endpoint-url`.
        endpoint_url: Option<String>,
        /// The limit on each call, retries included.
        timeout: Duration,
        /// The limit on finding the base credentials.
        credentials_timeout: Duration,
    },
    /// A scenario's world, in process (no cache: its sessions end with the
    /// process).
    Scenario {
        /// The scenario file.
        path: PathBuf,
        /// Who starts the chain.
        as_principal: String,
    },
}

/// The cache to use, and how long before expiry an entry is refreshed.
#[derive(Debug, Clone)]
pub struct CacheUse {
    /// The cache.
    pub cache: Cache,
    /// `--refresh-window`.
    pub window: Duration,
}

/// What the chain gave.
#[derive(Debug, Clone)]
pub struct Got {
    /// The last session.
    pub obtained: Obtained,
    /// The region the calls went to (for `AWS_REGION`).
    pub region: String,
    /// The simulated calls, for `--explain` (empty for a live run).
    pub calls: Vec<CallRecord>,
    /// Whether the last session comes from role chaining (the chain has
    /// two hops or more).
    pub chained: bool,
    /// Why the session could not be stored in the cache: the credentials
    /// are still good, so this is a warning, not a failure.
    pub not_cached: Option<CacheError>,
}

/// Why no credentials were had.
#[derive(Debug, Clone)]
pub enum CredsError {
    /// A flag, the profile or the chain breaks a rule (nothing was called).
    Input(Vec<InputError>),
    /// The scenario could not be loaded or used.
    Scenario(ScenarioError),
    /// The cache could not be used.
    Cache(CacheError),
    /// The MFA code could not be had.
    Prompt(PromptError),
    /// No base credentials.
    Base(CloudError),
    /// A hop failed.
    Hop(Box<HopFailure>),
}

/// A failure, with the simulated calls made before it.
#[derive(Debug, Clone)]
pub struct Failed {
    /// What went wrong.
    pub error: CredsError,
    /// The calls, for `--explain`.
    pub calls: Vec<CallRecord>,
}

impl From<CredsError> for Failed {
    fn from(error: CredsError) -> Self {
        Self {
            error,
            calls: Vec::new(),
        }
    }
}

/// Gets the chain's last session as `spec` asks, from `backend`.
pub async fn obtain(
    spec: &ChainSpec,
    backend: &Backend,
    cache: Option<&CacheUse>,
    clock: &dyn Clock,
) -> Result<Got, Failed> {
    obtain_planned(spec, None, backend, cache, clock).await
}

/// [`obtain`], with the plan already made from `spec` (`None`: made here).
pub(super) async fn obtain_planned(
    spec: &ChainSpec,
    plan: Option<Plan>,
    backend: &Backend,
    cache: Option<&CacheUse>,
    clock: &dyn Clock,
) -> Result<Got, Failed> {
    match backend {
        Backend::Live {
            region,
            endpoint_url,
            timeout,
            credentials_timeout,
        } => {
            let (spec, plan) = match plan {
                Some(plan) => (Cow::Borrowed(spec), plan),
                None => live_plan(spec, clock.now()).await?,
            };
            let spec = spec.as_ref();
            let options = ConnectOptions {
                profile: plan.base_profile.clone(),
                credential_source: plan.credential_source,
                // --region, then AWS_REGION (or AWS_DEFAULT_REGION), then
                // the named profile's, as the AWS CLI orders them.
                region: match region {
                    Some(region) => Some(region.clone()),
                    None => environment_region().await.or_else(|| plan.region.clone()),
                },
                endpoint_url: endpoint_url.clone(),
                operation_timeout: Some(*timeout),
                without_credentials: plan.web_identity_token_file.is_some(),
                settings_profile: spec.profile.clone(),
            };
            let live = Live::open(&options).await;
            let (start, base_key_id) = match &plan.web_identity_token_file {
                Some(path) => {
                    let token = web_identity_token(path, spec)?;
                    // The token, not its file: another token in the same
                    // file is another caller.
                    let digest = Sha256::digest(token.expose().as_bytes());
                    let id = format!("web-identity:{}", hex::encode(&digest[..16]));
                    (Start::WebIdentity(token), id)
                }
                None => {
                    let base = match plan.base_keys.clone() {
                        Some(Ok(keys)) => keys,
                        Some(Err(e)) => return Err(CredsError::Input(vec![e]).into()),
                        None => live
                            .base(plan.base_profile.as_deref(), *credentials_timeout)
                            .await
                            .map_err(CredsError::Base)?,
                    };
                    let id = base.access_key_id.clone();
                    (Start::Keys(base), id)
                }
            };
            let region = live
                .config
                .region()
                .map_or(FALLBACK_REGION.to_owned(), ToString::to_string);
            let key = cache_key(spec, &plan, &base_key_id, endpoint_url.as_deref(), &region);
            if let Some(cache) = cache
                && let Some(hit) = cache
                    .cache
                    .get(&key, clock.now(), cache.window)
                    .map_err(CredsError::Cache)?
            {
                return Ok(Got {
                    obtained: Obtained {
                        credentials: hit.credentials,
                        arn: hit.arn,
                        hops: Vec::new(),
                        from_cache: true,
                    },
                    region,
                    calls: Vec::new(),
                    chained: plan.hops.len() > 1,
                    not_cached: None,
                });
            }
            let obtained = chain(&live.cloud, &start, &plan, spec).await?;
            let not_cached = cache.and_then(|cache| {
                let entry = Cached {
                    credentials: obtained.credentials.clone(),
                    arn: obtained.arn.clone(),
                };
                cache.cache.put(&key, &entry).err()
            });
            Ok(Got {
                obtained,
                region,
                calls: Vec::new(),
                chained: plan.hops.len() > 1,
                not_cached,
            })
        }
        Backend::Scenario { path, as_principal } => {
            let simulated = Simulated::open(path).map_err(CredsError::Scenario)?;
            let loaded = &simulated.loaded;
            let plan = match plan {
                Some(plan) => plan,
                None => spec
                    .plan(loaded.world.now())
                    .await
                    .map_err(CredsError::Input)?,
            };
            let starter = Starter {
                arn: as_principal,
                ..Starter::default()
            };
            let base = simulated.base(&starter).map_err(CredsError::Scenario)?;
            let result = chain(&simulated.cloud, &Start::Keys(base), &plan, spec).await;
            let calls = simulated.cloud.take_log();
            match result {
                Ok(obtained) => Ok(Got {
                    obtained,
                    region: loaded.world.region().to_owned(),
                    calls,
                    chained: plan.hops.len() > 1,
                    not_cached: None,
                }),
                Err(mut failed) => {
                    failed.calls = calls;
                    Err(failed)
                }
            }
        }
    }
}

/// The spec and plan of a live chain. With no profile named, a role
/// profile the SDK's default chain would use is walked here, through the
/// same endpoint, not by the SDK's provider (which would call AWS's STS).
async fn live_plan(
    spec: &ChainSpec,
    now: SystemTime,
) -> Result<(Cow<'_, ChainSpec>, Plan), Failed> {
    let implied = match &spec.profile {
        None => implied_role_profile(&default_session_name(now)).await,
        Some(_) => None,
    };
    let (spec, plan) = match implied {
        Some((profile, found)) => {
            let spec = ChainSpec {
                profile: Some(profile),
                profile_implied: true,
                ..spec.clone()
            };
            let plan = spec.plan_from(found, now);
            (Cow::Owned(spec), plan)
        }
        None => (Cow::Borrowed(spec), spec.plan(now).await),
    };
    Ok((spec, plan.map_err(CredsError::Input)?))
}

/// The token of a profile's `web_identity_token_file`.
fn web_identity_token(path: &std::path::Path, spec: &ChainSpec) -> Result<Secret, Failed> {
    read_token(path).map_err(|e| {
        Failed::from(CredsError::Input(vec![InputError {
            field: "--profile",
            value: spec.profile.clone().unwrap_or_default(),
            rule: format!(
                "its web_identity_token_file `{}` cannot be read: {}",
                path.display(),
                e.message
            ),
            fix: "point web_identity_token_file at the file that holds the OIDC token (in EKS, the one AWS_WEB_IDENTITY_TOKEN_FILE names)".to_owned(),
        }]))
    })
}

/// The MFA code (asked for once, when a hop needs one), then every hop.
async fn chain<C: Sts + Sync>(
    cloud: &C,
    start: &Start,
    plan: &Plan,
    spec: &ChainSpec,
) -> Result<Obtained, Failed> {
    let code = match (
        &spec.mfa_code,
        plan.hops.iter().find_map(|h| h.mfa_serial.as_deref()),
    ) {
        (Some(code), _) => Some(code.clone()),
        (None, Some(serial)) => {
            let elsewhere = match (&spec.profile, spec.no_code_flag) {
                (Some(profile), true) => format!(
                    "this command takes no code for a profile's mfa_serial: run it where a terminal is attached, or under `xacct exec --profile {profile} --mfa-code CODE -- COMMAND`"
                ),
                _ => "pass the code with --mfa-code CODE (or run where a terminal is attached)"
                    .to_owned(),
            };
            Some(ask_code(serial, &elsewhere).map_err(CredsError::Prompt)?)
        }
        (None, None) => None,
    };
    walk(cloud, start, plan, code.as_deref())
        .await
        .map_err(|f| Failed::from(CredsError::Hop(f)))
}

/// What a cached session depends on.
fn cache_key(
    spec: &ChainSpec,
    plan: &Plan,
    base_key_id: &str,
    endpoint: Option<&str>,
    region: &str,
) -> CacheKey {
    CacheKey {
        base_key_id: base_key_id.to_owned(),
        profile: spec.profile.clone(),
        endpoint: endpoint.map(str::to_owned),
        region: Some(region.to_owned()),
        hops: plan
            .hops
            .iter()
            .map(|h| KeyHop {
                role_arn: h.request.role_arn.clone(),
                session_name: h.named.then(|| h.request.session_name.clone()),
                duration_seconds: h.request.duration_seconds,
                external_id: h.request.external_id.clone(),
                mfa_serial: h.mfa_serial.clone(),
                source_identity: h.request.source_identity.clone(),
                policy_sha256: h
                    .request
                    .session_policy
                    .as_ref()
                    .map(|p| hex::encode(Sha256::digest(p.as_bytes()))),
                tags: h
                    .request
                    .tags
                    .iter()
                    .map(|t| (t.key.clone(), t.value.clone()))
                    .collect(),
                transitive_tag_keys: h.request.transitive_tag_keys.clone(),
                policy_arns: h.request.policy_arns.clone(),
            })
            .collect(),
    }
}
