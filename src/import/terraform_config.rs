//! The configuration half of `terraform show -json`: each resource's
//! configured expressions by full address (child modules' calls
//! included), what an attribute refers to when its value is known only
//! after apply, and the account each provider configuration names or (its
//! `data.aws_caller_identity`) reads.

use std::collections::BTreeMap;

use serde_json::Value;

/// A resource's configuration and the address prefix of its module
/// (`module.NAME.`; empty for the root module).
pub(super) type Configured<'v> = BTreeMap<String, (&'v Value, String)>;

/// The configuration of every module's resources by full address
/// (`module.NAME.aws_iam_role.x`), child modules' calls included.
pub(super) fn configured(root: &Value) -> Configured<'_> {
    fn walk<'v>(module: &'v Value, prefix: &str, out: &mut Configured<'v>) {
        for r in module["resources"].as_array().into_iter().flatten() {
            if let Some(address) = r["address"].as_str() {
                out.insert(format!("{prefix}{address}"), (r, prefix.to_owned()));
            }
        }
        for (name, call) in module["module_calls"].as_object().into_iter().flatten() {
            walk(&call["module"], &format!("{prefix}module.{name}."), out);
        }
    }
    let mut out = BTreeMap::new();
    walk(&root["configuration"]["root_module"], "", &mut out);
    out
}

/// The account of each provider configuration key (`aws`, `aws.prod`).
pub(super) fn provider_accounts(root: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(providers) = root["configuration"]["provider_config"].as_object() else {
        return out;
    };
    for (key, p) in providers {
        let expr = &p["expressions"];
        let from_role = expr["assume_role"][0]["role_arn"]["constant_value"]
            .as_str()
            .and_then(|arn| arn.parse::<crate::iam::Arn>().ok())
            .map(|arn| arn.account);
        let from_allowed = expr["allowed_account_ids"]["constant_value"][0]
            .as_str()
            .map(str::to_owned);
        if let Some(account) = from_role.or(from_allowed) {
            out.insert(key.clone(), account);
        }
    }
    out
}

/// The resource addresses a configured attribute refers to, in its
/// module (`aws_iam_role.x.id` in module `m` → `module.m.aws_iam_role.x`).
pub(super) fn references(config: &Configured<'_>, address: &str, field: &str) -> Vec<String> {
    let Some((resource, prefix)) = config.get(address) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for r in resource["expressions"][field]["references"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        let parts: Vec<&str> = r.split('.').collect();
        if parts.len() >= 2 && parts[0].starts_with("aws_") {
            let full = format!("{prefix}{}.{}", parts[0], parts[1]);
            if !out.contains(&full) {
                out.push(full);
            }
        }
    }
    out
}

/// The resource address an attribute inside nested blocks refers to
/// (`rule`, then `apply_server_side_encryption_by_default`, then
/// `kms_master_key_id`): each block the first of its list.
pub(super) fn nested_reference(
    config: &Configured<'_>,
    address: &str,
    path: &[&str],
) -> Option<String> {
    let (resource, prefix) = config.get(address)?;
    let mut at = &resource["expressions"];
    for field in path {
        at = &at[*field];
        if let Some(first) = at.as_array().and_then(|a| a.first()) {
            at = first;
        }
    }
    at["references"]
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .find_map(|r| {
            let parts: Vec<&str> = r.split('.').collect();
            (parts.len() >= 2 && parts[0].starts_with("aws_"))
                .then(|| format!("{prefix}{}.{}", parts[0], parts[1]))
        })
}

/// The one resource address a configured attribute refers to.
pub(super) fn reference(config: &Configured<'_>, address: &str, field: &str) -> Option<String> {
    references(config, address, field).into_iter().next()
}

/// The account each provider configuration's `data.aws_caller_identity`
/// read during the plan (or kept in the state), by provider key.
pub(super) fn caller_identities(root: &Value, config: &Configured<'_>) -> BTreeMap<String, String> {
    fn walk<'v>(module: &'v Value, out: &mut Vec<&'v Value>) {
        for r in module["resources"].as_array().into_iter().flatten() {
            if r["mode"].as_str() == Some("data")
                && r["type"].as_str() == Some("aws_caller_identity")
            {
                out.push(r);
            }
        }
        for child in module["child_modules"].as_array().into_iter().flatten() {
            walk(child, out);
        }
    }
    let mut found = Vec::new();
    for at in [
        &root["prior_state"]["values"]["root_module"],
        &root["planned_values"]["root_module"],
        &root["values"]["root_module"],
    ] {
        walk(at, &mut found);
    }
    let mut out = BTreeMap::new();
    for r in found {
        let (Some(address), Some(id)) = (r["address"].as_str(), r["values"]["account_id"].as_str())
        else {
            continue;
        };
        if !crate::iam::is_account_id(id) {
            continue;
        }
        let key = config
            .get(address)
            .and_then(|(c, _)| c["provider_config_key"].as_str())
            .unwrap_or("aws");
        out.entry(key.to_owned()).or_insert_with(|| id.to_owned());
    }
    out
}
