//! Building the model of a scenario: every policy compiled for its kind,
//! every reference and value checked, each error naming the key path.

use std::collections::{BTreeMap, HashMap};
use std::time::SystemTime;

use super::bucket_spec::BucketSpec;
use super::keys::{KeySeed, account_key_id, derived_id};
use super::model::{
    Account, Bucket, KeyOwner, KeyPair, MfaDevice, Model, OidcProvider, Role, User,
};
use super::scenario::{KeySpec, Scenario, ScenarioError};
use xacct_aws::secret::Secret;
use xacct_aws::timestamp::parse as parse_time;
use xacct_iam::{Document, Policy, PolicyKind, is_account_id, parse_as};

/// Builds model pieces, naming the file in every error.
struct Builder<'a> {
    file: &'a str,
    seed: &'a KeySeed,
    region: &'a str,
}

impl Builder<'_> {
    fn err(&self, message: String) -> ScenarioError {
        ScenarioError {
            file: self.file.to_owned(),
            message,
        }
    }

    fn policy(&self, doc: &Document, kind: PolicyKind, at: &str) -> Result<Policy, ScenarioError> {
        let policy = parse_as(&doc.0, kind)
            .map_err(|e| self.err(format!("{at}: at {}: {}", e.path, e.message)))?;
        // What IAM or S3 refuses to save, a world refuses too.
        match xacct_iam::not_principal_refusal(&policy, kind) {
            Some(why) => Err(self.err(format!("{at}: MalformedPolicyDocument: {why}"))),
            None => Ok(policy),
        }
    }

    fn policies(
        &self,
        map: &BTreeMap<String, Document>,
        at: &str,
    ) -> Result<Vec<(String, Policy)>, ScenarioError> {
        map.iter()
            .map(|(name, doc)| {
                let policy =
                    self.policy(doc, PolicyKind::Identity, &format!("{at}.policies.{name}"))?;
                Ok((name.clone(), policy))
            })
            .collect()
    }

    fn boundary(&self, doc: Option<&Document>, at: &str) -> Result<Option<Policy>, ScenarioError> {
        doc.map(|b| {
            self.policy(
                b,
                PolicyKind::Boundary,
                &format!("{at}.permissions_boundary"),
            )
        })
        .transpose()
    }

    fn tags(
        &self,
        tags: &BTreeMap<String, String>,
        at: &str,
    ) -> Result<BTreeMap<String, String>, ScenarioError> {
        super::managed::check_tags(tags, at).map_err(|m| self.err(m))?;
        Ok(tags.clone())
    }

    fn path(&self, path: Option<&String>, at: &str) -> Result<String, ScenarioError> {
        let path = path.cloned().unwrap_or_else(|| "/".to_owned());
        if !path.starts_with('/') || !path.ends_with('/') {
            return Err(self.err(format!(
                "{at}.path: `{path}` must start and end with `/` (e.g. /team/)"
            )));
        }
        Ok(path)
    }

    fn key(&self, spec: Option<&KeySpec>, derived: &[&str]) -> KeyPair {
        match spec {
            Some(k) => KeyPair {
                id: k.id.clone(),
                secret: Secret::new(k.secret.clone()),
            },
            None => KeyPair {
                id: account_key_id(
                    "AKIA",
                    derived.first().copied().unwrap_or_default(),
                    derived,
                ),
                secret: self.seed.secret(derived),
            },
        }
    }

    fn buckets(
        &self,
        specs: &[BucketSpec],
        owner: &str,
        at: &str,
    ) -> Result<Vec<Bucket>, ScenarioError> {
        let default_created =
            parse_time(super::iam_views::WORLD_CREATED).unwrap_or(SystemTime::UNIX_EPOCH);
        specs
            .iter()
            .enumerate()
            .map(|(i, b)| match b {
                BucketSpec::Name(name) => Ok(Bucket {
                    name: name.clone(),
                    created: default_created,
                    region: self.region.to_owned(),
                    policy: None,
                    ownership: super::data::ownership::Ownership::ObjectWriter,
                    public_access_block: super::data::public::PublicAccessBlock::default(),
                    default_kms_key: None,
                    objects: Vec::new(),
                }),
                BucketSpec::Full(d) => {
                    let path = format!("{at}.buckets[{i}]");
                    let created = match &d.created {
                        Some(t) => parse_time(t).ok_or_else(|| {
                            self.err(format!(
                                "{path}.created: `{t}` is not an RFC 3339 time (2013-05-01T00:00:00Z)"
                            ))
                        })?,
                        None => default_created,
                    };
                    let data = super::data::bucket_build::bucket_data(
                        d,
                        owner,
                        self.region,
                        created,
                        &path,
                    )
                    .map_err(|m| self.err(m))?;
                    Ok(Bucket {
                        name: d.name.clone(),
                        created,
                        region: data.region,
                        policy: match &d.policy {
                            Some(doc) => Some(self.policy(
                                doc,
                                PolicyKind::Resource,
                                &format!("{path}.policy"),
                            )?),
                            None => None,
                        },
                        ownership: data.ownership,
                        public_access_block: data.public_access_block,
                        default_kms_key: data.default_kms_key,
                        objects: data.objects,
                    })
                }
            })
            .collect()
    }

    fn kms_keys(
        &self,
        spec: &super::scenario::AccountSpec,
        account: &str,
        at: &str,
    ) -> Result<BTreeMap<String, super::data::kms::KmsKey>, ScenarioError> {
        spec.kms_keys
            .iter()
            .map(|(id, key)| {
                let path = format!("{at}.kms_keys.{id}");
                if id.is_empty() || id.contains([':', '/']) || id.contains(char::is_whitespace) {
                    return Err(self.err(format!(
                        "{path}: `{id}` is not a key id (letters, digits and dashes, as a UUID)"
                    )));
                }
                let arn = format!("arn:aws:kms:{}:{account}:key/{id}", self.region);
                let policy =
                    self.policy(&key.policy, PolicyKind::Resource, &format!("{path}.policy"))?;
                Ok((
                    arn.clone(),
                    super::data::kms::KmsKey {
                        id: id.clone(),
                        arn,
                        account: account.to_owned(),
                        policy,
                        aws_managed: false,
                    },
                ))
            })
            .collect()
    }

    fn oidc_providers(
        &self,
        spec: &super::scenario::AccountSpec,
        at: &str,
    ) -> Result<BTreeMap<String, OidcProvider>, ScenarioError> {
        spec.oidc_providers
            .iter()
            .map(|(issuer, p)| {
                let at = format!("{at}.oidc_providers.{issuer}");
                // A trailing `/` stays: IAM keeps it in the provider's ARN
                // and its condition keys (an Auth0 issuer `tenant.auth0.com/`).
                if issuer.contains("://") || issuer.trim_end_matches('/').is_empty() {
                    return Err(self.err(format!(
                        "{at}: `{issuer}` must be the issuer URL without `https://` (token.actions.githubusercontent.com)"
                    )));
                }
                if p.client_ids.is_empty() {
                    return Err(self.err(format!(
                        "{at}.client_ids: list at least one audience (sts.amazonaws.com)"
                    )));
                }
                Ok((
                    issuer.clone(),
                    OidcProvider {
                        issuer: issuer.clone(),
                        client_ids: p.client_ids.clone(),
                    },
                ))
            })
            .collect()
    }

    fn account(
        &self,
        id: &str,
        spec: &super::scenario::AccountSpec,
        keys: &mut HashMap<String, KeyOwner>,
    ) -> Result<Account, ScenarioError> {
        let at = format!("accounts.{id}");
        if !is_account_id(id) {
            return Err(self.err(format!(
                "{at}: `{id}` is not a 12-digit account id (quote it: \"111111111111\")"
            )));
        }
        let mut add_key = |key: &KeyPair, owner: KeyOwner, at: &str| {
            if keys.insert(key.id.clone(), owner).is_some() {
                return Err(self.err(format!(
                    "{at}.access_key.id: `{}` is used twice; every access key id must be unique",
                    key.id
                )));
            }
            Ok(())
        };
        let managed = super::managed::customer_managed(&spec.managed_policies, &at)
            .map_err(|m| self.err(m))?;
        let mut users = BTreeMap::new();
        for (name, u) in &spec.users {
            let at = format!("{at}.users.{name}");
            let user = User {
                account: id.to_owned(),
                name: name.clone(),
                path: self.path(u.path.as_ref(), &at)?,
                unique_id: derived_id("AIDA", &[id, "user", name]),
                key: self.key(u.access_key.as_ref(), &[id, "user", name]),
                mfa: u.mfa.as_ref().map(|m| MfaDevice {
                    serial: m.serial.clone(),
                    code: m.code.clone(),
                }),
                policies: self.policies(&u.policies, &at)?,
                managed: super::managed::attached(&u.managed_policies, id, &managed, &at)
                    .map_err(|m| self.err(m))?,
                boundary: self.boundary(u.permissions_boundary.as_ref(), &at)?,
                tags: self.tags(&u.tags, &at)?,
            };
            add_key(&user.key, KeyOwner::User(id.to_owned(), name.clone()), &at)?;
            users.insert(name.clone(), user);
        }
        let mut roles = BTreeMap::new();
        for (name, r) in &spec.roles {
            let at = format!("{at}.roles.{name}");
            let max = r.max_session_duration.unwrap_or(3600);
            if !(3600..=43200).contains(&max) {
                return Err(self.err(format!(
                    "{at}.max_session_duration: {max} must be between 3600 and 43200 seconds"
                )));
            }
            let role = Role {
                account: id.to_owned(),
                name: name.clone(),
                path: self.path(r.path.as_ref(), &at)?,
                unique_id: derived_id("AROA", &[id, "role", name]),
                trust: self.policy(
                    &r.trust_policy,
                    PolicyKind::Trust,
                    &format!("{at}.trust_policy"),
                )?,
                policies: self.policies(&r.policies, &at)?,
                managed: super::managed::attached(&r.managed_policies, id, &managed, &at)
                    .map_err(|m| self.err(m))?,
                boundary: self.boundary(r.permissions_boundary.as_ref(), &at)?,
                max_session_duration: max,
                tags: self.tags(&r.tags, &at)?,
            };
            roles.insert(name.clone(), role);
        }
        let root_key = self.key(
            spec.root.as_ref().and_then(|r| r.access_key.as_ref()),
            &[id, "root"],
        );
        add_key(
            &root_key,
            KeyOwner::Root(id.to_owned()),
            &format!("{at}.root"),
        )?;
        Ok(Account {
            id: id.to_owned(),
            alias: spec.alias.clone(),
            users,
            roles,
            root_key,
            buckets: self.buckets(&spec.buckets, id, &at)?,
            kms_keys: self.kms_keys(spec, id, &at)?,
            oidc_providers: self.oidc_providers(spec, &at)?,
            managed_policies: managed,
            partial: spec.partial,
        })
    }
}

impl Model {
    /// Builds and checks the model of a scenario; `file` names it in errors,
    /// and `seed` goes into every derived secret. The scenario's accounts
    /// are taken: each is dropped once built, so a large world's documents
    /// are never held twice.
    pub(crate) fn build(
        scenario: &mut Scenario,
        file: &str,
        seed: &KeySeed,
    ) -> Result<Self, ScenarioError> {
        let region = scenario
            .region
            .clone()
            .unwrap_or_else(|| "us-east-1".to_owned());
        let builder = Builder {
            file,
            seed,
            region: &region,
        };
        let mut keys = HashMap::new();
        let accounts = std::mem::take(&mut scenario.accounts)
            .into_iter()
            .map(|(id, spec)| {
                let account = builder.account(&id, &spec, &mut keys)?;
                drop(spec);
                Ok((id, account))
            })
            .collect::<Result<BTreeMap<_, _>, ScenarioError>>()?;
        let organization = scenario
            .organization
            .as_ref()
            .map(|spec| {
                super::organization::Organization::build(spec, &|message| builder.err(message))
            })
            .transpose()?;
        let model = Self {
            region: region.clone(),
            accounts,
            organization,
            keys,
            seed: seed.clone(),
            faults: scenario.faults.clone(),
        };
        match model.unknown_kms_key() {
            Some(message) => Err(builder.err(message)),
            None => Ok(model),
        }
    }

    /// The first key reference of a bucket or object that names no key
    /// of the world, worded for the scenario's author.
    fn unknown_kms_key(&self) -> Option<String> {
        self.accounts.values().find_map(|account| {
            account.buckets.iter().find_map(|bucket| {
                bucket
                    .default_kms_key
                    .iter()
                    .chain(bucket.objects.iter().filter_map(|(_, o)| o.kms_key.as_ref()))
                    .find(|arn| self.kms_key(arn).is_none())
                    .map(|arn| {
                        format!(
                            "accounts.{}.buckets `{}`: the KMS key `{arn}` is no key of the world; add it under its account's kms_keys",
                            account.id, bucket.name
                        )
                    })
            })
        })
    }
}
