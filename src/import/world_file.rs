//! The imported world as a scenario file: accounts sorted by id, users and
//! roles by name, policy keys sorted, lists in AWS's order, no timestamps;
//! checked by the simulator's own loader before it is handed back, so a
//! world that would not load is never written.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::auth_details::{AccountImport, read_auth_details, read_auth_details_all};
use super::sorted::Sorted;
use super::terraform::read_terraform;

/// What to import.
#[derive(Debug, Clone, Default)]
pub struct ImportInputs {
    /// `get-account-authorization-details` files: (name for errors, text).
    pub auth_details: Vec<(String, String)>,
    /// `list-buckets` files: (account id, name for errors, text).
    pub buckets: Vec<(String, String, String)>,
    /// `terraform show -json` files: (name for errors, text).
    pub terraform: Vec<(String, String)>,
    /// CloudFormation templates, JSON or YAML: (name for errors, text).
    pub cloudformation: Vec<(String, String)>,
    /// Accounts read live through the SDK: (what they were read with, for
    /// errors: `profile P`, `role ARN`; what the account answered).
    pub live: Vec<(String, crate::cloud::AccountSnapshot)>,
    /// The organization, read live with `--org`.
    pub organization: Option<crate::cloud::OrgSnapshot>,
    /// A directory of `aws organizations` output (`--org-dir`).
    pub org_dir: Option<std::path::PathBuf>,
    /// The account of every input that does not say its own: CloudFormation
    /// templates, and Terraform resources whose provider names none.
    pub account: Option<String>,
    /// The accounts of one input, by the name it is given under (`--account
    /// FILE=ID[,ID...]`), over `account`; a CloudFormation template given
    /// several is deployed to each (a pipeline's deployer role in test and
    /// production).
    pub accounts: BTreeMap<String, Vec<String>>,
    /// CloudFormation parameter values for every template (`--parameter
    /// KEY=VALUE`, `--parameters FILE`).
    pub parameters: BTreeMap<String, String>,
    /// Parameter values for one template, by its name (`--parameters
    /// TEMPLATE=FILE`), over `parameters`.
    pub template_parameters: BTreeMap<String, BTreeMap<String, String>>,
    /// The world's name (the output file's stem).
    pub name: String,
    /// The world's region (a live import's); `us-east-1` when absent.
    pub region: Option<String>,
}

/// The world, as scenario text, and what could not be carried over.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The scenario file's text (YAML).
    pub text: String,
    /// One sentence per thing left out.
    pub notes: Vec<String>,
    /// How many accounts, users and roles were imported.
    pub counts: (usize, usize, usize),
}

/// Input that is not what it claims to be; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ImportError(pub String);

#[derive(Serialize)]
struct WorldOut {
    name: String,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<String>,
    imported: Vec<String>,
    accounts: BTreeMap<String, AccountOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization: Option<super::org_out::OrgOut>,
}

#[derive(Serialize, Default)]
struct AccountOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    alias: Option<String>,
    /// Only some of its principals were imported (a template or a plan).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    partial: bool,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    users: BTreeMap<String, super::principal_out::PrincipalOut>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    roles: BTreeMap<String, super::principal_out::PrincipalOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    buckets: Vec<super::bucket_out::BucketOut>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    kms_keys: BTreeMap<String, super::bucket_out::KeyOut>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    oidc_providers: BTreeMap<String, super::principal_out::ProviderOut>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    managed_policies: BTreeMap<String, Sorted>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListBuckets {
    #[serde(default)]
    buckets: Vec<ListedBucket>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListedBucket {
    name: String,
    #[serde(default)]
    creation_date: Option<String>,
}

/// One live account as the file importer would read it, with what only
/// the live APIs tell (durations, MFA serials, OIDC providers, alias,
/// buckets).
fn from_snapshot(
    label: &str,
    snapshot: &crate::cloud::AccountSnapshot,
) -> Result<AccountImport, ImportError> {
    let text = snapshot.authorization_details.to_string();
    let mut part = read_auth_details(&text, label, Some(&snapshot.account)).map_err(ImportError)?;
    for (name, role) in &mut part.roles {
        role.max_session_duration = snapshot.max_session_durations.get(name).copied();
    }
    for (name, user) in &mut part.users {
        user.mfa_serial = snapshot.mfa_serials.get(name).cloned();
    }
    part.oidc_providers.clone_from(&snapshot.oidc_providers);
    part.alias.clone_from(&snapshot.alias);
    part.buckets.clone_from(&snapshot.buckets);
    part.kms_keys.clone_from(&snapshot.kms_keys);
    part.notes
        .extend(snapshot.notes.iter().map(|n| format!("{label}: {n}")));
    Ok(part)
}

impl ImportInputs {
    /// The accounts of the input named `file` (none when not known).
    pub fn accounts_for(&self, file: &str) -> Vec<&str> {
        match self.accounts.get(file) {
            Some(list) => list.iter().map(String::as_str).collect(),
            None => self.account.iter().map(String::as_str).collect(),
        }
    }

    /// The one account of the input named `file`, when known; an input
    /// that is not a template takes one.
    fn account_for(&self, file: &str) -> Result<Option<&str>, ImportError> {
        match self.accounts_for(file).as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            many => Err(ImportError(format!(
                "{file}: --account gives it {} accounts; only a CloudFormation template can be deployed to several",
                many.len()
            ))),
        }
    }

    /// The parameter values of the template named `file`.
    pub fn parameters_for(&self, file: &str) -> BTreeMap<String, String> {
        let mut out = self.parameters.clone();
        if let Some(own) = self.template_parameters.get(file) {
            out.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        out
    }

    /// Every input's name.
    pub fn files(&self) -> impl Iterator<Item = &String> {
        self.auth_details
            .iter()
            .chain(&self.terraform)
            .chain(&self.cloudformation)
            .map(|(file, _)| file)
    }

    /// Refuses an account or parameters given for a file that is not an
    /// input, and a parameter no template declares (a typo never passes).
    pub fn check_options(&self) -> Result<(), ImportError> {
        let files: Vec<&String> = self.files().collect();
        for file in self.accounts.keys().chain(self.template_parameters.keys()) {
            if !files.contains(&file) {
                return Err(ImportError(format!(
                    "`{file}` is given an account or parameters but is not an input; name it exactly as on the command line{}",
                    crate::sim::nearest(file, files.iter().map(|f| f.as_str()))
                        .map(|n| format!(" (did you mean {n}?)"))
                        .unwrap_or_default()
                )));
            }
        }
        let declared: Vec<String> = self
            .cloudformation
            .iter()
            .flat_map(|(_, text)| super::cloudformation::parameter_names(text))
            .collect();
        let given = self
            .parameters
            .keys()
            .chain(self.template_parameters.values().flat_map(BTreeMap::keys));
        for key in given {
            if !declared.contains(key) {
                return Err(ImportError(format!(
                    "parameter `{key}` is declared by no template among the inputs{}",
                    crate::sim::nearest(key, declared.iter().map(String::as_str))
                        .map(|n| format!(" (did you mean {n}?)"))
                        .unwrap_or_default()
                )));
            }
        }
        Ok(())
    }
}

/// Builds the world from `inputs`, or says which file and place is wrong.
pub fn import(inputs: &ImportInputs) -> Result<Imported, ImportError> {
    if inputs.auth_details.is_empty()
        && inputs.terraform.is_empty()
        && inputs.cloudformation.is_empty()
        && inputs.live.is_empty()
    {
        return Err(ImportError(
            "nothing to import: pass `aws iam get-account-authorization-details`, `terraform show -json` or CloudFormation template files, or --profile / --role-arn to read accounts live".to_owned(),
        ));
    }
    let mut parts: Vec<(String, AccountImport)> = Vec::new();
    // Accounts an input lists whole (authorization details, a live read);
    // a template or a plan holds only what it deploys.
    let mut whole: BTreeSet<String> = BTreeSet::new();
    for (file, text) in &inputs.auth_details {
        for part in read_auth_details_all(text, file).map_err(ImportError)? {
            whole.insert(part.account.clone());
            parts.push((file.clone(), part));
        }
    }
    for (file, text) in &inputs.cloudformation {
        let accounts = inputs.accounts_for(file);
        let parameters = inputs.parameters_for(file);
        if accounts.is_empty() {
            // Refused with its own message: the template names no account.
            super::cloudformation::read_cloudformation(text, file, None, &parameters)
                .map_err(ImportError)?;
        }
        for account in accounts {
            let part =
                super::cloudformation::read_cloudformation(text, file, Some(account), &parameters)
                    .map_err(ImportError)?;
            parts.push((file.clone(), part));
        }
    }
    for (label, snapshot) in &inputs.live {
        let part = from_snapshot(label, snapshot)?;
        whole.insert(part.account.clone());
        parts.push((label.clone(), part));
    }
    for (file, text) in &inputs.terraform {
        for part in read_terraform(text, file, inputs.account_for(file)?).map_err(ImportError)? {
            parts.push((file.clone(), part));
        }
    }
    for (file, part) in &mut parts {
        super::refused::drop_refused(part, file);
    }
    let world_region = inputs.region.as_deref().unwrap_or("us-east-1");
    let mut accounts: BTreeMap<String, AccountOut> = BTreeMap::new();
    // Which input defined each user and role, to name both when two do.
    let mut origin: BTreeMap<(String, &str, String), String> = BTreeMap::new();
    let mut notes = Vec::new();
    let mut files = Vec::new();
    let (mut users, mut roles) = (0, 0);
    for (file, part) in parts {
        let AccountImport {
            account,
            users: u,
            roles: r,
            oidc_providers,
            buckets,
            kms_keys,
            alias,
            notes: n,
            managed_policies,
        } = part;
        let out = accounts.entry(account.clone()).or_default();
        out.partial = !whole.contains(&account);
        if alias.is_some() {
            out.alias = alias;
        }
        for (kind, list) in [("user", &u), ("role", &r)] {
            for (name, p) in list {
                let key = (account.clone(), kind, name.clone());
                if let Some(first) = origin.insert(key, file.clone()) {
                    return Err(ImportError(format!(
                        "{kind} `{name}` of account {account} is defined by {first} and again by {file}; each entity must come from one input (import each account's IAM once, and give each template its own --account FILE=ID)"
                    )));
                }
                let target = if kind == "user" {
                    &mut out.users
                } else {
                    &mut out.roles
                };
                target.insert(name.clone(), super::principal_out::principal(p));
            }
        }
        out.managed_policies.extend(
            managed_policies
                .into_iter()
                .map(|(name, doc)| (name, Sorted(doc))),
        );
        for (issuer, client_ids) in oidc_providers {
            out.oidc_providers
                .insert(issuer, super::principal_out::ProviderOut { client_ids });
        }
        let mut n = n;
        out.buckets.extend(
            buckets
                .into_iter()
                .map(|b| super::bucket_out::bucket(b, (&account, world_region), &kms_keys, &mut n)),
        );
        out.kms_keys.extend(super::bucket_out::keys(kms_keys));
        users += u.len();
        roles += r.len();
        // A template deployed to two accounts notes the same thing twice.
        for note in n {
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
        if !files.contains(&file) {
            files.push(file);
        }
    }
    for (account, file, text) in &inputs.buckets {
        let listed: ListBuckets = serde_json::from_str(text).map_err(|e| {
            ImportError(format!("{file}: not `aws s3api list-buckets` output ({e})"))
        })?;
        let Some(out) = accounts.get_mut(account) else {
            return Err(ImportError(format!(
                "{file}: account {account} has no authorization details among the inputs; import its `get-account-authorization-details` file too"
            )));
        };
        files.push(file.clone());
        out.buckets.extend(listed.buckets.into_iter().map(|b| {
            let facts = crate::cloud::BucketFacts {
                created: b.creation_date,
                ..crate::cloud::BucketFacts::named(b.name)
            };
            super::bucket_out::bucket(facts, (account, world_region), &BTreeMap::new(), &mut notes)
        }));
    }
    files.sort();
    let counts = (accounts.len(), users, roles);
    let mut world = WorldOut {
        name: inputs.name.clone(),
        description: format!(
            "Imported by `xacct import`: {} account(s), {users} user(s), {roles} role(s). Group policies are folded into their members' (group/GROUP/NAME), attached managed policies appear by name (managed/NAME).{}",
            counts.0,
            super::principal_out::described(&notes)
        ),
        imported: files,
        region: inputs.region.clone().filter(|r| r != "us-east-1"),
        accounts,
        organization: inputs
            .organization
            .as_ref()
            .map(super::org_out::organization),
    };
    if let Some(dir) = &inputs.org_dir {
        if inputs.organization.is_some() {
            return Err(ImportError(
                "--org and --org-dir both describe the organization; pass one".to_owned(),
            ));
        }
        let org = super::org_files::read_org_dir(dir).map_err(ImportError)?;
        world.organization = Some(super::org_out::organization(&org));
    }
    let text = serde_saphyr::to_string(&world)
        .map_err(|e| ImportError(format!("cannot write the world as YAML: {e}")))?;
    // The tree is written: free it before the check builds the world again.
    drop(world);
    let scenario = crate::sim::parse(&text, &inputs.name).map_err(|e| {
        ImportError(format!(
            "the imported world does not read back ({e}); nothing was written"
        ))
    })?;
    crate::sim::build(scenario, &inputs.name).map_err(|e| {
        ImportError(format!(
            "the imported world does not load ({}); nothing was written",
            e.message
        ))
    })?;
    Ok(Imported {
        text,
        notes,
        counts,
    })
}
