//! `xacct import --profile P [--role-arn ARN]...`: each account read live
//! through the SDK (the profile's or the default chain's credentials for the
//! first, AssumeRole from them for each role), then imported like files.

use std::time::Duration;

use super::world_file::{ImportError, ImportInputs, Imported, import};
use crate::clock::Clock;
use crate::cloud::aws::{
    AwsCloud, ConnectOptions, base_credentials, load_sdk_config, read_account, read_organization,
};
use crate::cloud::{AssumeRoleRequest, CloudError, Sts};
use crate::creds::{self, Backend, CredsError};

/// Which accounts to read live, and how to reach AWS.
#[derive(Debug, Clone, Default)]
pub struct LiveOptions {
    /// Named profiles, one account each; none means the default chain (when
    /// `live` is set or roles are named).
    pub profiles: Vec<String>,
    /// Roles to assume from the first profile's credentials, one account each.
    pub role_arns: Vec<String>,
    /// Read through the default credential chain even without a profile.
    pub live: bool,
    /// Also read the organization (its tree, SCPs and RCPs) through the
    /// first account's credentials, which must be the management account's.
    pub org: bool,
    /// The region.
    pub region: Option<String>,
    /// One endpoint for IAM, STS and S3 (`xacct serve`, a VPC endpoint).
    pub endpoint_url: Option<String>,
    /// The limit on each call, retries included.
    pub call_timeout: Duration,
    /// The limit on finding each account's base credentials.
    pub credentials_limit: Duration,
}

impl LiveOptions {
    /// Whether anything is to be read live.
    pub fn any(&self) -> bool {
        self.live || !self.profiles.is_empty() || !self.role_arns.is_empty()
    }
}

/// A role profile whose chain could not be walked: its input, or the
/// failed hop's answer, labelled with the hop.
fn chain_failed(label: &str, error: CredsError) -> LiveImportError {
    match error {
        CredsError::Base(error) => LiveImportError::Cloud {
            source_label: label.to_owned(),
            error,
        },
        CredsError::Hop(f) => LiveImportError::Cloud {
            source_label: format!(
                "{label}, hop {} of {} ({} assuming {})",
                f.hop, f.of, f.caller, f.role_arn
            ),
            error: f.error,
        },
        CredsError::Input(errors) => LiveImportError::Input(ImportError(
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )),
        CredsError::Scenario(e) => {
            LiveImportError::Input(ImportError(format!("scenario {}: {}", e.file, e.message)))
        }
        CredsError::Cache(e) => LiveImportError::Input(ImportError(e.to_string())),
        CredsError::Prompt(e) => LiveImportError::Input(ImportError(e.to_string())),
    }
}

/// A live import that failed: the input, or AWS's answer to one call.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LiveImportError {
    /// Input or a world that would not load.
    #[error("{0}")]
    Input(#[from] ImportError),
    /// A call failed; `source` says which.
    #[error("{source_label}: {} failed: {}", error.operation, error.message)]
    Cloud {
        /// `profile P`, `role ARN`, `the default credentials`.
        source_label: String,
        /// AWS's answer.
        error: CloudError,
    },
}

/// A failed call of `label`'s (`profile P`, `role ARN`) as the import's error.
fn failure(label: &str) -> impl Fn(CloudError) -> LiveImportError + '_ {
    move |error| LiveImportError::Cloud {
        source_label: label.to_owned(),
        error,
    }
}

/// Reads every account `live` names into `inputs.live`, then imports all of
/// `inputs`; `step` hears what is being read (for a progress display).
pub async fn import_live(
    mut inputs: ImportInputs,
    live: &LiveOptions,
    step: &(dyn Fn(&str) + Sync),
    clock: &dyn Clock,
) -> Result<Imported, LiveImportError> {
    if live.org && !live.any() {
        return Err(LiveImportError::Input(ImportError(
            "--org reads the organization through a live account: add --profile P (the management account's) or --live".to_owned(),
        )));
    }
    let profiles: Vec<Option<String>> = if !live.any() {
        Vec::new()
    } else if live.profiles.is_empty() {
        vec![None]
    } else {
        live.profiles.iter().cloned().map(Some).collect()
    };
    // Every profile's credentials first, then every account: an MFA code
    // is asked for before the progress display starts drawing over the
    // terminal.
    let mut sessions = Vec::with_capacity(profiles.len());
    for profile in profiles {
        let label = profile.as_ref().map_or_else(
            || "the default credentials".to_owned(),
            |p| format!("profile {p}"),
        );
        let config = load_sdk_config(&ConnectOptions {
            profile: profile.clone(),
            region: live.region.clone(),
            endpoint_url: live.endpoint_url.clone(),
            operation_timeout: Some(live.call_timeout),
            ..ConnectOptions::default()
        })
        .await;
        // A role profile's chain is walked through the same endpoint, as
        // `xacct run` and `xacct creds` walk it.
        let backend = Backend::Live {
            region: live.region.clone(),
            endpoint_url: live.endpoint_url.clone(),
            timeout: live.call_timeout,
            credentials_timeout: live.credentials_limit,
        };
        let credentials = match creds::profile_session(profile.as_deref(), &backend, clock).await {
            Ok(Some(got)) => got.obtained.credentials,
            Ok(None) => base_credentials(&config, profile.as_deref(), live.credentials_limit)
                .await
                .map_err(failure(&label))?,
            Err(f) => return Err(chain_failed(&label, f.error)),
        };
        sessions.push((label, config, credentials));
    }
    let mut first = None;
    for (label, config, credentials) in sessions {
        let failed = failure(&label);
        let cloud = AwsCloud::from_config(&config);
        let snapshot = read_account(&cloud, &config, &credentials, step)
            .await
            .map_err(failed)?;
        // The world's region is the one the accounts were read in (their
        // KMS keys are that region's).
        if inputs.region.is_none() {
            inputs.region = config.region().map(|r| r.as_ref().to_owned());
        }
        inputs.live.push((label.clone(), snapshot));
        if first.is_none() {
            first = Some((config, cloud, credentials));
        }
    }
    if let (true, Some((config, _, credentials))) = (live.org, &first) {
        step("the organization");
        let org = read_organization(config, credentials)
            .await
            .map_err(|error| LiveImportError::Cloud {
                source_label: "the organization".to_owned(),
                error,
            })?;
        inputs.organization = Some(org);
    }
    if let Some((config, cloud, credentials)) = &first {
        for arn in &live.role_arns {
            let label = format!("role {arn}");
            let failed = failure(&label);
            step(&format!("assuming {arn}"));
            let request = AssumeRoleRequest {
                role_arn: arn.clone(),
                session_name: "xacct-import".to_owned(),
                duration_seconds: None,
                external_id: None,
                mfa: None,
                session_policy: None,
                source_identity: None,
                ..Default::default()
            };
            let assumed = cloud
                .assume_role(credentials, &request)
                .await
                .map_err(&failed)?;
            let snapshot = read_account(cloud, config, &assumed.credentials, step)
                .await
                .map_err(failed)?;
            inputs.live.push((label.clone(), snapshot));
        }
    }
    Ok(import(&inputs)?)
}
