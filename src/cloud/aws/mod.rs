//! The real implementation of the seam, over the AWS SDK for Rust.

/// Sends an SDK request with a configuration for this operation alone (the
/// caller's credentials, a bucket's region): `send_as!(request, config)` is
/// `request.customize().config_override(config).send().await`.
macro_rules! send_as {
    ($request:expr, $config:expr) => {
        $request.customize().config_override($config).send().await
    };
}

mod account_reader;
mod bucket_reader;
mod connect;
mod convert;
mod errors;
mod github_oidc;
mod http_client;
mod kms_reader;
mod objects;
mod org_accounts;
mod org_reader;
mod page_guard;
mod wire_credentials;

pub use account_reader::read_account;
pub use connect::{
    ConnectOptions, CredentialSource, FALLBACK_REGION, base_credentials, environment_region,
    load_sdk_config, no_such_profile,
};
pub use github_oidc::github_actions_token;
pub use kms_reader::{KmsKeys, read_kms_keys};
pub use org_reader::read_organization;

use aws_sdk_organizations as org;
use aws_sdk_s3 as s3;
use aws_sdk_sts as sts;
use aws_types::SdkConfig;

use super::{
    AssumeRoleRequest, AssumedRole, Bucket, CallerIdentity, CloudError, Credentials, Operation,
    OrgListing,
};
use crate::cloud::ListingCaps;
use crate::secret::Secret;
use convert::{assumed_role, bucket, caller_identity, sdk_credentials, web_identity_role};
use errors::from_sdk;
use page_guard::Pages;

/// STS and S3 through the AWS SDK. Every call carries the caller's own
/// credentials as a per-operation override, so one pair of clients serves the
/// base credentials and the assumed ones alike.
#[derive(Debug, Clone)]
pub struct AwsCloud {
    sts: sts::Client,
    s3: s3::Client,
    /// The configuration the Organizations client is built from, on first
    /// use (only a run across an organization lists one).
    config: Option<SdkConfig>,
    org: std::sync::OnceLock<org::Client>,
}

impl AwsCloud {
    /// The STS endpoint answers come from, for messages: `--endpoint-url`,
    /// or AWS's regional endpoint.
    fn endpoint(&self) -> String {
        let config = self.config.as_ref();
        match config.and_then(|c| c.endpoint_url()) {
            Some(url) => url.to_owned(),
            None => format!(
                "AWS STS ({})",
                config
                    .and_then(|c| c.region())
                    .map_or("the default region", |r| r.as_ref())
            ),
        }
    }

    /// Clients built from one SDK configuration (region, endpoint, retry and
    /// timeout settings). With a custom endpoint, S3 uses path-style addressing.
    pub fn from_config(config: &SdkConfig) -> Self {
        let s3_config = s3::config::Builder::from(config)
            .force_path_style(config.endpoint_url().is_some())
            .build();
        Self {
            sts: sts::Client::new(config),
            s3: s3::Client::from_conf(s3_config),
            config: Some(config.clone()),
            org: std::sync::OnceLock::new(),
        }
    }

    /// Wraps clients built elsewhere (for example mocked clients in tests).
    /// Without an Organizations client, listing an organization fails.
    pub fn from_clients(sts: sts::Client, s3: s3::Client) -> Self {
        Self {
            sts,
            s3,
            config: None,
            org: std::sync::OnceLock::new(),
        }
    }
}

/// A per-operation STS configuration that signs with `caller`.
fn sts_as(caller: &Credentials) -> sts::config::Builder {
    sts::config::Builder::default().credentials_provider(sdk_credentials(caller))
}

/// A per-operation S3 configuration that signs with `caller`.
fn s3_as(caller: &Credentials) -> s3::config::Builder {
    s3::config::Builder::default().credentials_provider(sdk_credentials(caller))
}

impl super::Sts for AwsCloud {
    async fn get_caller_identity(
        &self,
        caller: &Credentials,
    ) -> Result<CallerIdentity, CloudError> {
        let output = send_as!(self.sts.get_caller_identity(), sts_as(caller))
            .map_err(|e| from_sdk(Operation::GetCallerIdentity, e))?;
        Ok(caller_identity(&output))
    }

    async fn assume_role(
        &self,
        caller: &Credentials,
        request: &AssumeRoleRequest,
    ) -> Result<AssumedRole, CloudError> {
        let call = self
            .sts
            .assume_role()
            .role_arn(&request.role_arn)
            .role_session_name(&request.session_name)
            .set_duration_seconds(request.duration_seconds)
            .set_external_id(request.external_id.clone())
            .set_serial_number(request.mfa.as_ref().map(|m| m.serial.clone()))
            .set_token_code(request.mfa.as_ref().map(|m| m.code.clone()))
            .set_policy(request.session_policy.clone())
            .set_source_identity(request.source_identity.clone())
            .set_tags(sdk_tags(&request.tags))
            .set_transitive_tag_keys(
                (!request.transitive_tag_keys.is_empty())
                    .then(|| request.transitive_tag_keys.clone()),
            )
            .set_policy_arns(policy_descriptors(&request.policy_arns));
        let output =
            send_as!(call, sts_as(caller)).map_err(|e| from_sdk(Operation::AssumeRole, e))?;
        assumed_role(&output, &self.endpoint())
    }

    async fn assume_role_with_web_identity(
        &self,
        token: &Secret,
        request: &AssumeRoleRequest,
    ) -> Result<AssumedRole, CloudError> {
        let output = self
            .sts
            .assume_role_with_web_identity()
            .role_arn(&request.role_arn)
            .role_session_name(&request.session_name)
            .web_identity_token(token.expose())
            .set_duration_seconds(request.duration_seconds)
            .set_policy(request.session_policy.clone())
            .set_policy_arns(policy_descriptors(&request.policy_arns))
            .send()
            .await
            .map_err(|e| from_sdk(Operation::AssumeRoleWithWebIdentity, e))?;
        web_identity_role(&output, &self.endpoint())
    }
}

impl super::Organizations for AwsCloud {
    async fn list_org_accounts(
        &self,
        caller: &Credentials,
        caps: ListingCaps,
    ) -> Result<OrgListing, CloudError> {
        let client = self
            .config
            .as_ref()
            .map(|config| self.org.get_or_init(|| org::Client::new(config)));
        match client {
            Some(client) => org_accounts::list_org_accounts(client, caller, caps).await,
            None => Err(CloudError::local(
                Operation::ListOrganization,
                super::ErrorClass::Unexpected,
                "this client was built without AWS Organizations",
            )),
        }
    }
}

impl super::S3 for AwsCloud {
    async fn list_objects(
        &self,
        caller: &Credentials,
        bucket: &str,
        prefix: Option<&str>,
    ) -> Result<Vec<String>, CloudError> {
        let pages = Pages::new(
            Operation::ListObjects,
            format!("ListObjectsV2 of {bucket:?}"),
            ListingCaps::default(),
        );
        pages
            .collect(|token| async {
                let page = send_as!(
                    self.s3
                        .list_objects_v2()
                        .bucket(bucket)
                        .set_prefix(prefix.map(str::to_owned))
                        .set_continuation_token(token),
                    s3_as(caller)
                )
                .map_err(|e| from_sdk(Operation::ListObjects, e))?;
                let keys = page
                    .contents()
                    .iter()
                    .filter_map(|o| o.key().map(str::to_owned))
                    .collect();
                Ok((keys, page.next_continuation_token().map(str::to_owned)))
            })
            .await
    }

    async fn list_buckets(&self, caller: &Credentials) -> Result<Vec<Bucket>, CloudError> {
        let pages = Pages::new(
            Operation::ListBuckets,
            "ListBuckets".to_owned(),
            ListingCaps::default(),
        );
        pages
            .collect(|token| async {
                let page = send_as!(
                    self.s3.list_buckets().set_continuation_token(token),
                    s3_as(caller)
                )
                .map_err(|e| from_sdk(Operation::ListBuckets, e))?;
                let buckets = page.buckets().iter().map(bucket).collect();
                Ok((buckets, page.continuation_token().map(str::to_owned)))
            })
            .await
    }
}

/// `Tags` for the SDK; `None` (not sent) when there are none.
fn sdk_tags(tags: &[crate::cloud::Tag]) -> Option<Vec<aws_sdk_sts::types::Tag>> {
    if tags.is_empty() {
        return None;
    }
    tags.iter()
        .map(|t| {
            aws_sdk_sts::types::Tag::builder()
                .key(&t.key)
                .value(&t.value)
                .build()
                .ok()
        })
        .collect()
}

/// `PolicyArns` for the SDK; `None` (not sent) when there are none.
fn policy_descriptors(arns: &[String]) -> Option<Vec<aws_sdk_sts::types::PolicyDescriptorType>> {
    (!arns.is_empty()).then(|| {
        arns.iter()
            .map(|a| {
                aws_sdk_sts::types::PolicyDescriptorType::builder()
                    .arn(a)
                    .build()
            })
            .collect()
    })
}
