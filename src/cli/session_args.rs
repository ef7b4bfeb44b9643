//! The session-context flags `xacct run` and the credentials commands
//! share: `--tag`, `--transitive-tag-key`, `--source-identity`, `--policy-arn`.

use clap::Args;

use crate::cloud::AssumeRoleRequest;
use crate::validate::{self, InputError};

/// Session tags, source identity and managed session policies.
#[derive(Debug, Clone, Default, Args)]
pub struct SessionArgs {
    /// A session tag KEY=VALUE (repeat, at most 50): the session's
    /// aws:PrincipalTag/KEY; the role's trust policy must allow sts:TagSession.
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    pub tags: Vec<String>,
    /// A session tag key that later sessions of a role chain inherit (repeat).
    #[arg(long = "transitive-tag-key", value_name = "KEY")]
    pub transitive_tag_keys: Vec<String>,
    /// SourceIdentity: who stands behind the session, kept by AWS through
    /// role chains; the trust policy must allow sts:SetSourceIdentity.
    #[arg(long, value_name = "ID")]
    pub source_identity: Option<String>,
    /// A managed policy to use as a session policy (repeat, at most 10).
    #[arg(long = "policy-arn", value_name = "ARN")]
    pub policy_arns: Vec<String>,
}

impl SessionArgs {
    /// Puts the flags into `request`; the values that break STS's rules
    /// are returned, each naming its flag.
    pub fn apply(&self, request: &mut AssumeRoleRequest) -> Vec<InputError> {
        validate::session_flags(
            (&self.tags, &self.transitive_tag_keys),
            self.source_identity.as_ref(),
            &self.policy_arns,
            request,
        )
    }
}
