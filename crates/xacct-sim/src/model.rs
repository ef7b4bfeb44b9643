//! What a scenario describes, compiled: accounts with their users, roles,
//! buckets and policies, and who owns each long-term key. Immutable once
//! built; the world answers calls against it.

use std::collections::{BTreeMap, HashMap};
use std::time::SystemTime;

use xacct_aws::cloud::Credentials;
use xacct_aws::secret::Secret;
use xacct_iam::Policy;

/// A long-term access key.
#[derive(Debug, Clone)]
pub(crate) struct KeyPair {
    /// The access key id.
    pub id: String,
    /// The secret.
    pub secret: Secret,
}

impl KeyPair {
    /// The key as credentials.
    pub(crate) fn credentials(&self) -> Credentials {
        Credentials::long_term(self.id.clone(), self.secret.expose())
    }
}

/// An MFA device.
#[derive(Debug, Clone)]
pub(crate) struct MfaDevice {
    /// Its serial or ARN.
    pub serial: String,
    /// The code it shows now; `None` when the world does not know it
    /// (an imported device).
    pub code: Option<String>,
}

/// An IAM user.
#[derive(Debug, Clone)]
pub(crate) struct User {
    /// The account.
    pub account: String,
    /// The name.
    pub name: String,
    /// The path.
    pub path: String,
    /// `AIDA...`.
    pub unique_id: String,
    /// The long-term key.
    pub key: KeyPair,
    /// The MFA device.
    pub mfa: Option<MfaDevice>,
    /// Inline policies by name.
    pub policies: Vec<(String, Policy)>,
    /// Attached managed policies: ARN and document.
    pub managed: Vec<(String, Policy)>,
    /// The permissions boundary.
    pub boundary: Option<Policy>,
    /// Its IAM tags (`aws:PrincipalTag/*` of its calls).
    pub tags: BTreeMap<String, String>,
}

impl User {
    /// `arn:aws:iam::ACCOUNT:user/PATH/NAME`.
    pub(crate) fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:user{}{}",
            self.account, self.path, self.name
        )
    }
}

/// An IAM role.
#[derive(Debug, Clone)]
pub(crate) struct Role {
    /// The account.
    pub account: String,
    /// The name.
    pub name: String,
    /// The path.
    pub path: String,
    /// `AROA...`.
    pub unique_id: String,
    /// The trust policy.
    pub trust: Policy,
    /// Permission policies by name.
    pub policies: Vec<(String, Policy)>,
    /// Attached managed policies: ARN and document.
    pub managed: Vec<(String, Policy)>,
    /// The permissions boundary.
    pub boundary: Option<Policy>,
    /// `MaxSessionDuration` in seconds.
    pub max_session_duration: u32,
    /// Its IAM tags: `aws:PrincipalTag/*` of its sessions unless a session
    /// tag overrides one, and `iam:ResourceTag/*` when it is assumed.
    pub tags: BTreeMap<String, String>,
}

impl Role {
    /// `arn:aws:iam::ACCOUNT:role/PATH/NAME`.
    pub(crate) fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:role{}{}",
            self.account, self.path, self.name
        )
    }

    /// The keys its tags give a request that assumes it:
    /// `iam:ResourceTag/K` and `aws:ResourceTag/K` for each tag.
    pub(crate) fn resource_tag_keys(&self) -> Vec<(String, String)> {
        self.tags
            .iter()
            .flat_map(|(k, v)| {
                [
                    (format!("iam:ResourceTag/{k}"), v.clone()),
                    (format!("aws:ResourceTag/{k}"), v.clone()),
                ]
            })
            .collect()
    }
}

/// A bucket.
#[derive(Debug, Clone)]
pub(crate) struct Bucket {
    /// The name.
    pub name: String,
    /// When it was created.
    pub created: SystemTime,
    /// Its region.
    pub region: String,
    /// Its bucket policy.
    pub policy: Option<Policy>,
    /// Object Ownership.
    pub ownership: super::data::ownership::Ownership,
    /// Block Public Access.
    pub public_access_block: super::data::public::PublicAccessBlock,
    /// The default SSE-KMS key ARN; `None` for SSE-S3.
    pub default_kms_key: Option<String>,
    /// The objects it starts with, by key.
    pub objects: Vec<(String, super::data::object::Object)>,
}

/// An account.
#[derive(Debug, Clone)]
pub(crate) struct Account {
    /// The 12-digit id.
    pub id: String,
    /// A friendly name.
    pub alias: Option<String>,
    /// Users by name.
    pub users: BTreeMap<String, User>,
    /// Roles by name.
    pub roles: BTreeMap<String, Role>,
    /// The root user's key.
    pub root_key: KeyPair,
    /// Buckets, in the order written.
    pub buckets: Vec<Bucket>,
    /// IAM OIDC identity providers by issuer (host[/path]).
    pub oidc_providers: BTreeMap<String, OidcProvider>,
    /// Customer managed policies by name.
    pub managed_policies: BTreeMap<String, Policy>,
    /// Whether the world holds only some of its principals.
    pub partial: bool,
    /// KMS keys by key ARN.
    pub kms_keys: BTreeMap<String, super::data::kms::KmsKey>,
}

/// An IAM OIDC identity provider of an account.
#[derive(Debug, Clone)]
pub(crate) struct OidcProvider {
    /// The issuer, host[/path] (the provider ARN's resource after `oidc-provider/`).
    pub issuer: String,
    /// The audiences it accepts.
    pub client_ids: Vec<String>,
}

impl Account {
    /// `arn:aws:iam::ACCOUNT:root`.
    pub(crate) fn root_arn(&self) -> String {
        format!("arn:aws:iam::{}:root", self.id)
    }

    /// The AWS managed policies attached to its users and roles, each
    /// once, in ARN order (what GetAccountAuthorizationDetails lists under
    /// `Policies` for the AWSManagedPolicy filter).
    pub(crate) fn attached_aws_managed(&self) -> Vec<&'static super::aws_managed::AwsManaged> {
        let mut arns: Vec<&str> = self
            .users
            .values()
            .flat_map(|u| &u.managed)
            .chain(self.roles.values().flat_map(|r| &r.managed))
            .map(|(arn, _)| arn.as_str())
            .collect();
        arns.sort_unstable();
        arns.dedup();
        arns.into_iter()
            .filter_map(super::aws_managed::aws_managed)
            .collect()
    }
}

/// Who owns a long-term key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyOwner {
    /// An IAM user (account, name).
    User(String, String),
    /// An account's root user.
    Root(String),
}

/// The immutable part of a world: what the scenario describes.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    /// The region.
    pub region: String,
    /// Accounts by id.
    pub accounts: BTreeMap<String, Account>,
    /// Long-term keys by id.
    pub keys: HashMap<String, KeyOwner>,
    /// The organization, when the accounts belong to one.
    pub organization: Option<super::organization::Organization>,
    /// What secrets and issuer keys are derived from besides the scenario.
    pub(crate) seed: super::keys::KeySeed,
    /// The scenario's scripted faults, armed afresh in every world built
    /// on this model.
    pub(crate) faults: Vec<super::scenario::FaultSpec>,
}

impl Model {
    /// A user by account and name.
    pub(crate) fn user(&self, account: &str, name: &str) -> Option<&User> {
        self.accounts.get(account)?.users.get(name)
    }

    /// A KMS key by ARN: a key of an account of the world, or an
    /// account's `aws/s3` key.
    pub(crate) fn kms_key(&self, arn: &str) -> Option<super::data::kms::KmsKey> {
        let (region, account, _) = super::data::kms::key_arn_parts(arn)?;
        let owner = self.accounts.get(account)?;
        match owner.kms_keys.get(arn) {
            Some(key) => Some(key.clone()),
            None if arn == super::data::kms::aws_s3_key_arn(account, region) => {
                super::data::kms::aws_s3_key(account, region).ok()
            }
            None => None,
        }
    }

    /// A role by account and name.
    pub(crate) fn role(&self, account: &str, name: &str) -> Option<&Role> {
        self.accounts.get(account)?.roles.get(name)
    }

    /// The role a role ARN names, if it exists (path included).
    pub(crate) fn role_by_arn(&self, arn: &str) -> Option<&Role> {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let [_, _, "iam", "", account, resource] = parts[..] else {
            return None;
        };
        let rest = resource.strip_prefix("role")?;
        let name = rest.rsplit('/').next()?;
        self.role(account, name)
            .filter(|r| format!("{}{}", r.path, r.name) == rest)
    }

    /// The document of a managed policy: an AWS managed policy of the
    /// catalogue, or a customer managed policy of an account of the world.
    pub(crate) fn managed_policy(&self, arn: &str) -> Option<&Policy> {
        if let Some(aws) = super::aws_managed::aws_managed(arn) {
            return Some(&aws.policy);
        }
        let rest = arn.strip_prefix("arn:aws:iam::")?;
        let (account, resource) = rest.split_once(':')?;
        let name = resource.strip_prefix("policy/")?.rsplit('/').next()?;
        self.accounts.get(account)?.managed_policies.get(name)
    }

    /// A session's policies as one session-policy side: the inline policy
    /// and the managed policies of `PolicyArns` (a statement of any of them
    /// allows, as AWS intersects their union with the identity side).
    pub(crate) fn session_policies(
        &self,
        inline: Option<Policy>,
        arns: &[String],
    ) -> Option<Policy> {
        if arns.is_empty() {
            return inline;
        }
        let mut statements = inline.map(|p| p.statements).unwrap_or_default();
        for arn in arns {
            statements.extend(
                self.managed_policy(arn)
                    .map(|p| p.statements.clone())
                    .unwrap_or_default(),
            );
        }
        Some(Policy {
            version: Some(xacct_iam::Version::V2012),
            id: None,
            statements,
            single_statement: false,
        })
    }

    /// The long-term key of a key owner.
    pub(crate) fn key_of(&self, owner: &KeyOwner) -> Option<&KeyPair> {
        match owner {
            KeyOwner::User(account, name) => self.user(account, name).map(|u| &u.key),
            KeyOwner::Root(account) => self.accounts.get(account).map(|a| &a.root_key),
        }
    }

    /// The long-term principals with their key ids (never secrets): every
    /// user, then each account's root.
    pub(crate) fn principals(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for account in self.accounts.values() {
            for user in account.users.values() {
                out.push((user.arn(), user.key.id.clone()));
            }
            out.push((account.root_arn(), account.root_key.id.clone()));
        }
        out
    }
}
