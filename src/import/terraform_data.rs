//! The data settings of a `terraform show -json` file: `aws_kms_key`
//! (its policy, under its key id, or its resource name before apply), and
//! for each bucket `aws_s3_bucket_policy`,
//! `aws_s3_bucket_ownership_controls`,
//! `aws_s3_bucket_public_access_block` and
//! `aws_s3_bucket_server_side_encryption_configuration` (its default
//! SSE-KMS key, by value or by reference to an `aws_kms_key`). A setting
//! whose bucket is not in the file, or a document known only after apply,
//! is left out and said so.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::auth_details::AccountImport;
use super::terraform_resource::{Resource, policy, text};

/// How the file's resources are found: each address's account, the
/// bucket a resource's `bucket` names, the address a field refers to.
pub(super) struct Lookup<'a> {
    /// The account of a resource, by address.
    pub account_of: &'a dyn Fn(&str) -> Result<String, String>,
    /// The bucket a resource's `bucket` field names (its value, or the
    /// name of the `aws_s3_bucket` it refers to).
    pub bucket_of: &'a dyn Fn(&Resource<'_>) -> Option<String>,
    /// The address a field inside a resource's nested blocks refers to.
    pub refers: &'a dyn Fn(&Resource<'_>, &[&str]) -> Option<String>,
}

/// The first element of a nested block list (`rule = [{...}]`).
fn block<'v>(values: &'v Map<String, Value>, field: &str) -> Option<&'v Map<String, Value>> {
    values.get(field)?.as_array()?.first()?.as_object()
}

/// A key id as the world writes it: letters, digits and dashes.
fn key_id(r: &Resource<'_>) -> String {
    text(r.values, "key_id").map_or_else(
        || {
            let name = r.address.rsplit('.').next().unwrap_or(&r.address);
            name.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect()
        },
        str::to_owned,
    )
}

fn account_entry<'m>(
    accounts: &'m mut BTreeMap<String, AccountImport>,
    account: &str,
) -> &'m mut AccountImport {
    accounts
        .entry(account.to_owned())
        .or_insert_with(|| AccountImport {
            account: account.to_owned(),
            ..AccountImport::default()
        })
}

/// Reads the data settings of `all` into `accounts`.
pub(super) fn read_data(
    all: &[Resource<'_>],
    lookup: &Lookup<'_>,
    accounts: &mut BTreeMap<String, AccountImport>,
    notes: &mut Vec<String>,
    file: &str,
) -> Result<(), String> {
    // Keys first, so encryption settings can refer to them.
    let mut key_ids: BTreeMap<&str, String> = BTreeMap::new();
    for r in all.iter().filter(|r| r.kind == "aws_kms_key") {
        let at = format!("{file}: {}", r.address);
        let Some(doc) = text(r.values, "policy").filter(|p| !p.is_empty()) else {
            notes.push(format!(
                "{at}: its policy is known only after apply, or is the default one AWS gives (left out: a bucket encrypted with it is decided as SSE-S3)"
            ));
            continue;
        };
        let doc = policy(doc, &format!("{at}.policy"))?;
        let id = key_id(r);
        let account = (lookup.account_of)(&r.address)?;
        account_entry(accounts, &account)
            .kms_keys
            .insert(id.clone(), doc);
        key_ids.insert(&r.address, id);
    }
    for r in all {
        let kind = r.kind;
        if !matches!(
            kind,
            "aws_s3_bucket_policy"
                | "aws_s3_bucket_ownership_controls"
                | "aws_s3_bucket_public_access_block"
                | "aws_s3_bucket_server_side_encryption_configuration"
        ) {
            continue;
        }
        let at = format!("{file}: {}", r.address);
        let Some(bucket) = (lookup.bucket_of)(r) else {
            notes.push(format!(
                "{at}: its bucket is known only after apply and no reference names it (left out)"
            ));
            continue;
        };
        let account = (lookup.account_of)(&r.address)?;
        let entry = account_entry(accounts, &account);
        let Some(facts) = entry.buckets.iter_mut().find(|b| b.name == bucket) else {
            notes.push(format!(
                "{at}: the bucket `{bucket}` is not defined in {file} (left out)"
            ));
            continue;
        };
        match kind {
            "aws_s3_bucket_policy" => match text(r.values, "policy") {
                Some(doc) => facts.policy = Some(policy(doc, &format!("{at}.policy"))?),
                None => notes.push(format!(
                    "{at}: its policy is known only after apply (left out: the bucket is imported without a policy)"
                )),
            },
            "aws_s3_bucket_ownership_controls" => {
                facts.ownership = block(r.values, "rule")
                    .and_then(|rule| text(rule, "object_ownership"))
                    .map(str::to_owned);
            }
            "aws_s3_bucket_public_access_block" => {
                let flag = |f: &str| r.values.get(f).and_then(Value::as_bool).unwrap_or(false);
                facts.public_access_block = Some([
                    flag("block_public_acls"),
                    flag("ignore_public_acls"),
                    flag("block_public_policy"),
                    flag("restrict_public_buckets"),
                ]);
            }
            _ => {
                let default = block(r.values, "rule")
                    .and_then(|rule| block(rule, "apply_server_side_encryption_by_default"));
                let Some(default) = default else { continue };
                if text(default, "sse_algorithm") != Some("aws:kms") {
                    continue;
                }
                let written = text(default, "kms_master_key_id").filter(|k| !k.is_empty());
                facts.kms_key = match written {
                    Some(key) => Some(key.to_owned()),
                    None => match (lookup.refers)(
                        r,
                        &["rule", "apply_server_side_encryption_by_default", "kms_master_key_id"],
                    ) {
                        Some(address) => key_ids.get(address.as_str()).cloned(),
                        None => Some("alias/aws/s3".to_owned()),
                    },
                };
            }
        }
    }
    Ok(())
}
