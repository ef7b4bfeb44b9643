//! The arguments of `xacct run`: the role and how to assume it, the
//! connection, the output, and what to read or write after the flow;
//! checked into the AssumeRole request and the connection options.

use std::path::PathBuf;
use std::time::SystemTime;

use clap::Args;

use super::fanout_args::{FanoutArgs, RunOutput};
use crate::backend::Live;
use crate::clock::Clock;
use crate::cloud::aws::ConnectOptions;
use crate::cloud::{AssumeRoleRequest, MfaToken};
use crate::creds::{self, CredsError};
use crate::input::{FileKind, read_text, read_token};
use crate::secret::Secret;
use crate::validate::{self, InputError};

/// Arguments of `xacct run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The role to assume: arn:PARTITION:iam::ACCOUNT:role/NAME (across
    /// accounts: --role-name instead; with --get/--put and no role, the
    /// base credentials read and write directly).
    #[arg(long, value_name = "ARN", required_unless_present_any = ["org", "accounts", "accounts_file", "get", "put"])]
    pub role_arn: Option<String>,
    /// The role session name (2-64 of letters, digits, _+=,.@-); default xacct-<unix time>.
    #[arg(long, value_name = "NAME")]
    pub session_name: Option<String>,
    /// The session length, 900-43200 seconds (AWS's default: 3600).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub duration_seconds: Option<i64>,
    /// The external id the role's trust policy requires.
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,
    /// The MFA device serial or ARN (with --mfa-code).
    #[arg(long, value_name = "SERIAL", requires = "mfa_code")]
    pub mfa_serial: Option<String>,
    /// The six-digit MFA code (with --mfa-serial).
    #[arg(long, value_name = "CODE", requires = "mfa_serial")]
    pub mfa_code: Option<String>,
    /// A file holding an inline session policy (JSON) that narrows the session.
    #[arg(long, value_name = "FILE")]
    pub session_policy: Option<PathBuf>,
    /// Start from the OIDC token in this file (AssumeRoleWithWebIdentity)
    /// instead of base credentials: a GitHub Actions or EKS token, or one
    /// from `xacct token`.
    /// AssumeRoleWithWebIdentity takes no tags or source identity: the
    /// token's claims carry them.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["as_principal", "external_id", "mfa_serial", "github_actions", "tags", "transitive_tag_keys", "source_identity"])]
    pub web_identity_token_file: Option<PathBuf>,
    /// Inside GitHub Actions: fetch the job's OIDC token (audience
    /// sts.amazonaws.com) from ACTIONS_ID_TOKEN_REQUEST_URL and start from it.
    #[arg(long, conflicts_with_all = ["as_principal", "external_id", "mfa_serial", "scenario", "tags", "transitive_tag_keys", "source_identity"])]
    pub github_actions: bool,
    /// Run against the simulated AWS of this scenario file instead of AWS.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["profile", "region", "endpoint_url"])]
    pub scenario: Option<PathBuf>,
    /// With --scenario: who starts the flow (a user, root, assumed-role or federated-user ARN).
    #[arg(long = "as", value_name = "ARN", requires = "scenario")]
    pub as_principal: Option<String>,
    /// With --scenario and a federated-user --as: the IAM user who called GetFederationToken.
    #[arg(long, value_name = "USER", requires = "scenario")]
    pub federated_by: Option<String>,
    /// With --scenario: after the report, show each call's decision and the statements that decided it.
    #[arg(long, requires = "scenario")]
    pub explain: bool,
    /// A named profile for the base credentials and region.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The region, the endpoint and the time limits.
    #[command(flatten)]
    pub(crate) connection: super::connection_args::ConnectionArgs,
    /// The output format (jsonl and junit: across accounts only).
    #[arg(long, value_enum, default_value_t = RunOutput::Text)]
    pub output: RunOutput,
    /// Session tags, source identity and managed session policies.
    #[command(flatten)]
    pub session: super::session_args::SessionArgs,
    /// A run across accounts.
    #[command(flatten)]
    pub fanout: FanoutArgs,
    /// Object calls after the flow.
    #[command(flatten)]
    pub objects: super::object_args::ObjectArgs,
}

impl RunArgs {
    /// The AssumeRole request these arguments ask for, checked against AWS's
    /// constraints; every problem is returned, not only the first.
    pub fn request(&self, now: SystemTime) -> Result<AssumeRoleRequest, Vec<InputError>> {
        let mut errors = Vec::new();
        let duration_seconds =
            validate::optional_duration(self.duration_seconds).unwrap_or_else(|e| {
                errors.push(e);
                None
            });
        let session_policy = match &self.session_policy {
            Some(path) => match read_text(path, FileKind::Policy) {
                Ok(text) => Some(text),
                Err(e) => {
                    errors.push(InputError {
                        field: "--session-policy",
                        value: path.display().to_string(),
                        rule: e.message,
                        fix: "a session policy is a JSON file of at most 2048 characters"
                            .to_owned(),
                    });
                    None
                }
            },
            None => None,
        };
        let mut request = AssumeRoleRequest {
            // Across accounts, each account's ARN comes from --role-name;
            // this one only carries the name through the checks.
            role_arn: self.role_arn.clone().unwrap_or_else(|| {
                format!(
                    "arn:aws:iam::000000000000:role/{}",
                    self.fanout.role_name.as_deref().unwrap_or_default()
                )
            }),
            session_name: self
                .session_name
                .clone()
                .unwrap_or_else(|| crate::creds::default_session_name(now)),
            duration_seconds,
            external_id: self.external_id.clone(),
            mfa: match (&self.mfa_serial, &self.mfa_code) {
                (Some(serial), Some(code)) => Some(MfaToken {
                    serial: serial.clone(),
                    code: code.clone(),
                }),
                _ => None,
            },
            session_policy,
            ..Default::default()
        };
        errors.extend(self.session.apply(&mut request));
        // A direct run (--get/--put, no role) assumes nothing: no role ARN to check.
        let direct = self.role_arn.is_none() && self.fanout.role_name.is_none();
        if direct {
            request.role_arn.clear();
        }
        if let Err(more) = validate::assume_role_request(&request) {
            errors.extend(
                more.into_iter()
                    .filter(|e| !(direct && e.field == "--role-arn")),
            );
        }
        if errors.is_empty() {
            Ok(request)
        } else {
            Err(errors)
        }
    }

    /// The base credentials of the default chain or `--profile`, waited
    /// for at most `--credentials-timeout`; a role profile's chain (named
    /// by `--profile`, or by `AWS_PROFILE` when the environment holds no
    /// keys) walked hop by hop through the same endpoint as the run.
    pub(super) async fn base_credentials(
        &self,
        live: &Live,
        clock: &dyn Clock,
    ) -> Result<crate::cloud::Credentials, CredsError> {
        let backend = self.connection.backend();
        match creds::profile_session(self.profile.as_deref(), &backend, clock).await {
            Ok(Some(got)) => Ok(got.obtained.credentials),
            Ok(None) => live
                .base(self.profile.as_deref(), self.connection.credentials_limit())
                .await
                .map_err(CredsError::Base),
            Err(failed) => Err(failed.error),
        }
    }

    pub(super) fn connect_options(&self) -> ConnectOptions {
        ConnectOptions {
            profile: self.profile.clone(),
            credential_source: None,
            region: self.connection.region.clone(),
            endpoint_url: self.connection.endpoint_url.clone(),
            operation_timeout: Some(self.connection.call_timeout()),
            ..ConnectOptions::default()
        }
    }
}

/// The token of `--web-identity-token-file`, a failure to read it worded
/// for that flag.
pub(super) fn token_file(path: &std::path::Path) -> Result<Secret, Vec<InputError>> {
    read_token(path).map_err(|e| {
        vec![InputError {
            field: "--web-identity-token-file",
            value: path.display().to_string(),
            rule: e.message,
            fix: "pass the file that holds the OIDC token (AWS_WEB_IDENTITY_TOKEN_FILE in EKS, or `xacct token ... > FILE`)".to_owned(),
        }]
    })
}
