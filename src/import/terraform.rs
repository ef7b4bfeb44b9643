//! `terraform show -json` output, of a plan (`planned_values`) or of a
//! state (`values`): the AWS provider's IAM and S3 resources, each in the
//! account of its provider configuration (an `assume_role` ARN or
//! `allowed_account_ids`, else the `data.aws_caller_identity` the plan
//! read through it, else `--account`). A value Terraform knows only after
//! apply is resolved through the configuration's reference (a policy's
//! `role = aws_iam_role.x.id`), or reported; never guessed. A policy
//! document known only after apply becomes a placeholder (see
//! [`crate::iam::is_placeholder`]): a trust policy that a principal a
//! deployment names may assume, an identity policy that may allow
//! anything; so the analysis takes what it cannot see as unknown, never
//! as absent.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::auth_details::{AccountImport, Principal};
use super::terraform_config::{
    caller_identities, configured, nested_reference, provider_accounts, reference, references,
};
use super::terraform_resource::{Resource, policy, text};
use super::unknown_policy::{unknown_managed_note, unknown_policy, unknown_trust};

fn resources<'v>(module: &'v Value, out: &mut Vec<Resource<'v>>) {
    for r in module["resources"].as_array().into_iter().flatten() {
        let (Some(address), Some(kind), Some(values)) = (
            r["address"].as_str(),
            r["type"].as_str(),
            r["values"].as_object(),
        ) else {
            continue;
        };
        if r["mode"].as_str() == Some("data") {
            continue;
        }
        out.push(Resource {
            address: address.to_owned(),
            kind,
            values,
        });
    }
    for child in module["child_modules"].as_array().into_iter().flatten() {
        resources(child, out);
    }
}

/// The strings of a list field (empty when unknown or absent).
fn strings(values: &Map<String, Value>, field: &str) -> Vec<String> {
    values
        .get(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// Where a policy goes: the owner (a role or user, by `field`) in an account.
struct Place<'a> {
    account: String,
    field: &'a str,
    owner: &'a str,
    at: &'a str,
    file: &'a str,
}

/// Adds a policy to its owner, or notes that the owner is not in the file.
/// `role` or `user`: whom an `aws_iam_{role,user}_policy[_attachment]`
/// resource attaches a policy to.
fn owner_field(kind: &str) -> &'static str {
    if kind.starts_with("aws_iam_role_") {
        "role"
    } else {
        "user"
    }
}

/// The note for a policy whose owner is not known before apply.
fn unplaced(at: &str, field: &str) -> String {
    format!("{at}: its {field} is known only after apply and no reference names it (left out)")
}

fn attach(
    accounts: &mut BTreeMap<String, AccountImport>,
    notes: &mut Vec<String>,
    place: &Place<'_>,
    name: String,
    doc: Value,
) {
    let entry = accounts
        .entry(place.account.clone())
        .or_insert_with(|| AccountImport {
            account: place.account.clone(),
            ..AccountImport::default()
        });
    let map = if place.field == "role" {
        &mut entry.roles
    } else {
        &mut entry.users
    };
    match map.get_mut(place.owner) {
        Some(p) => {
            p.policies.insert(name, doc);
        }
        None => notes.push(format!(
            "{}: the {} `{}` is not defined in {} (left out)",
            place.at, place.field, place.owner, place.file
        )),
    }
}

/// Reads one `terraform show -json` file; `account` is the account of
/// resources whose provider names none.
pub fn read_terraform(
    text_in: &str,
    file: &str,
    account: Option<&str>,
) -> Result<Vec<AccountImport>, String> {
    // A key twice in one object: serde_json would keep the last silently,
    // and which trust policy was meant is then anyone's guess.
    let root: Value = crate::iam::read_unique(text_in.as_bytes()).map_err(|e| match e {
        crate::iam::JsonError::Twice(key) => format!(
            "{file}: the key `{key}` appears twice in one object; Terraform never writes that, so the file was edited or damaged: fix it (another reader would keep only one of the two)"
        ),
        crate::iam::JsonError::Syntax(e) => {
            format!("{file}: not `terraform show -json` output ({e})")
        }
    })?;
    let module = if root["planned_values"]["root_module"].is_object() {
        &root["planned_values"]["root_module"]
    } else if root["values"]["root_module"].is_object() {
        &root["values"]["root_module"]
    } else {
        return Err(format!(
            "{file}: not `terraform show -json` output (no planned_values.root_module or values.root_module)"
        ));
    };
    let mut all = Vec::new();
    resources(module, &mut all);
    let config = configured(&root);
    let mut providers = provider_accounts(&root);
    // A provider that names no account: the one its caller identity read.
    for (key, id) in caller_identities(&root, &config) {
        providers.entry(key).or_insert(id);
    }
    let account_of = |address: &str| -> Result<String, String> {
        let key = config
            .get(address)
            .and_then(|(c, _)| c["provider_config_key"].as_str())
            .unwrap_or("aws");
        // A child module's own provider is keyed `module.NAME:aws`.
        let bare = key.rsplit(':').next().unwrap_or(key);
        providers
            .get(key)
            .or_else(|| providers.get(bare))
            .cloned()
            .or_else(|| account.map(str::to_owned))
            .ok_or_else(|| {
                format!(
                    "{file}: {address}: its provider (`{key}`) names no account; pass --account ID"
                )
            })
    };
    let mut accounts: BTreeMap<String, AccountImport> = BTreeMap::new();
    let mut notes = Vec::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut managed: BTreeMap<String, Value> = BTreeMap::new();
    // A managed policy's ARN (known in a state) to its address.
    let mut managed_arns: BTreeMap<String, String> = BTreeMap::new();
    // Principals and managed policies first, so attachments can find them.
    for r in &all {
        let at = format!("{file}: {}", r.address);
        let acct = match r.kind {
            "aws_iam_role"
            | "aws_iam_user"
            | "aws_iam_policy"
            | "aws_s3_bucket"
            | "aws_iam_openid_connect_provider" => account_of(&r.address)?,
            _ => continue,
        };
        let entry = accounts
            .entry(acct.clone())
            .or_insert_with(|| AccountImport {
                account: acct.clone(),
                ..AccountImport::default()
            });
        let field = match r.kind {
            "aws_s3_bucket" => "bucket",
            "aws_iam_openid_connect_provider" => "url",
            _ => "name",
        };
        let name = text(r.values, field);
        let Some(name) = name else {
            notes.push(format!(
                "{at}: its {field} is known only after apply (left out)"
            ));
            continue;
        };
        names.insert(r.address.clone(), name.to_owned());
        let path = text(r.values, "path").unwrap_or("/").to_owned();
        match r.kind {
            "aws_iam_role" => {
                let trust = match text(r.values, "assume_role_policy") {
                    Some(trust) => policy(trust, &format!("{at}.assume_role_policy"))?,
                    None => {
                        notes.push(format!("{at}: assume_role_policy is known only after apply: imported as a trust policy that a principal the deployment names may assume (the analysis takes it as a caller outside the organization)"));
                        unknown_trust(&r.address)
                    }
                };
                let mut role = Principal {
                    path,
                    trust: Some(trust),
                    tags: tags(r.values),
                    ..Principal::default()
                };
                for inline in r
                    .values
                    .get("inline_policy")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let (Some(n), Some(p)) = (inline["name"].as_str(), inline["policy"].as_str())
                    {
                        role.policies.insert(
                            n.to_owned(),
                            policy(p, &format!("{at}.inline_policy[{n}]"))?,
                        );
                    }
                }
                entry.roles.insert(name.to_owned(), role);
            }
            "aws_iam_user" => {
                entry.users.insert(
                    name.to_owned(),
                    Principal {
                        path,
                        tags: tags(r.values),
                        ..Principal::default()
                    },
                );
            }
            "aws_iam_policy" => {
                let doc = match text(r.values, "policy") {
                    Some(doc) => policy(doc, &format!("{at}.policy"))?,
                    None => {
                        notes.push(format!("{at}: policy is known only after apply: imported as a policy that may allow anything (the analysis takes what it grants as unknown)"));
                        unknown_policy(&format!("policy of {}, known after apply", r.address))
                    }
                };
                // Kept in the account too, so a session's PolicyArns resolve.
                entry.managed_policies.insert(name.to_owned(), doc.clone());
                managed.insert(r.address.clone(), doc);
                if let Some(arn) = text(r.values, "arn") {
                    managed_arns.insert(arn.to_owned(), r.address.clone());
                }
            }
            "aws_s3_bucket" => entry.buckets.push(crate::cloud::BucketFacts::named(name)),
            _ => {
                let url = name;
                let issuer = url.trim_start_matches("https://").to_owned();
                entry
                    .oidc_providers
                    .insert(issuer, strings(r.values, "client_id_list"));
            }
        }
    }
    // The target of a field: its value, or the name of the resource the
    // configuration refers to.
    let target = |r: &Resource<'_>, field: &str| -> Option<String> {
        text(r.values, field)
            .map(str::to_owned)
            .or_else(|| reference(&config, &r.address, field).and_then(|a| names.get(&a).cloned()))
    };
    let policy_of = |r: &Resource<'_>| -> Result<Option<(String, Value)>, String> {
        let address = reference(&config, &r.address, "policy_arn").or_else(|| {
            text(r.values, "policy_arn").and_then(|arn| managed_arns.get(arn).cloned())
        });
        Ok(address.and_then(|a| {
            managed
                .get(&a)
                .map(|d| (names.get(&a).cloned().unwrap_or(a.clone()), d.clone()))
        }))
    };
    // The owners a list field names (`roles`, `users`): its values, or the
    // names of the resources the configuration refers to.
    let owners = |r: &Resource<'_>, field: &str| -> Vec<String> {
        let known = strings(r.values, field);
        if !known.is_empty() {
            return known;
        }
        references(&config, &r.address, field)
            .iter()
            .filter_map(|a| names.get(a).cloned())
            .collect()
    };
    for r in &all {
        let at = format!("{file}: {}", r.address);
        match r.kind {
            "aws_iam_role_policy" | "aws_iam_user_policy" => {
                let field = owner_field(r.kind);
                let Some(owner) = target(r, field) else {
                    notes.push(unplaced(&at, field));
                    continue;
                };
                let name = text(r.values, "name").unwrap_or(&r.address);
                let doc = match text(r.values, "policy") {
                    Some(doc) => policy(doc, &format!("{at}.policy"))?,
                    None => {
                        notes.push(format!("{at}: policy is known only after apply: imported as a policy that may allow anything (the analysis takes what it grants as unknown)"));
                        unknown_policy(&format!("policy of {}, known after apply", r.address))
                    }
                };
                let place = Place {
                    account: account_of(&r.address)?,
                    field,
                    owner: &owner,
                    at: &at,
                    file,
                };
                attach(&mut accounts, &mut notes, &place, name.to_owned(), doc);
            }
            "aws_iam_role_policy_attachment"
            | "aws_iam_user_policy_attachment"
            | "aws_iam_policy_attachment" => {
                let targets: Vec<(&str, String)> = match r.kind {
                    "aws_iam_policy_attachment" => owners(r, "roles")
                        .into_iter()
                        .map(|o| ("role", o))
                        .chain(owners(r, "users").into_iter().map(|o| ("user", o)))
                        .collect(),
                    kind => {
                        let field = owner_field(kind);
                        let Some(owner) = target(r, field) else {
                            notes.push(unplaced(&at, field));
                            continue;
                        };
                        vec![(field, owner)]
                    }
                };
                let catalogued = || {
                    let aws = crate::sim::aws_managed(text(r.values, "policy_arn")?)?;
                    Some((aws, (aws.name.to_owned(), aws.document.clone())))
                };
                let found = match policy_of(r)? {
                    Some(found) => Some(found),
                    None => catalogued().map(|(aws, found)| {
                        notes.push(crate::sim::catalogue_note(&at, aws));
                        found
                    }),
                };
                let (name, doc) = match found {
                    Some(found) => found,
                    None => {
                        let arn = text(r.values, "policy_arn").unwrap_or("(known after apply)");
                        notes.push(unknown_managed_note(&at, arn));
                        let name = arn.rsplit('/').next().unwrap_or(arn).to_owned();
                        (name, unknown_policy(&format!("managed policy {arn}")))
                    }
                };
                let account = account_of(&r.address)?;
                for (field, owner) in targets {
                    let place = Place {
                        account: account.clone(),
                        field,
                        owner: &owner,
                        at: &at,
                        file,
                    };
                    attach(
                        &mut accounts,
                        &mut notes,
                        &place,
                        format!("managed/{name}"),
                        doc.clone(),
                    );
                }
                if !owners(r, "groups").is_empty() {
                    notes.push(format!(
                        "{at}: its groups are not imported from Terraform yet (left out)"
                    ));
                }
            }
            "aws_iam_role"
            | "aws_iam_user"
            | "aws_iam_policy"
            | "aws_s3_bucket"
            | "aws_iam_openid_connect_provider" => {}
            other if other.starts_with("aws_iam_") => notes.push(format!(
                "{at}: the resource type {other} is not imported yet (left out)"
            )),
            _ => {}
        }
    }
    let bucket_of = |r: &Resource<'_>| target(r, "bucket");
    let refers = |r: &Resource<'_>, path: &[&str]| nested_reference(&config, &r.address, path);
    let lookup = super::terraform_data::Lookup {
        account_of: &account_of,
        bucket_of: &bucket_of,
        refers: &refers,
    };
    super::terraform_data::read_data(&all, &lookup, &mut accounts, &mut notes, file)?;
    let mut out: Vec<AccountImport> = accounts.into_values().collect();
    if let Some(first) = out.first_mut() {
        first.notes = notes;
    }
    Ok(out)
}

/// A resource's tags as IAM keeps them: `tags_all` (with the provider's
/// `default_tags`), else `tags`.
fn tags(values: &serde_json::Map<String, Value>) -> std::collections::BTreeMap<String, String> {
    values
        .get("tags_all")
        .and_then(Value::as_object)
        .or_else(|| values.get("tags").and_then(Value::as_object))
        .map(|map| {
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}
