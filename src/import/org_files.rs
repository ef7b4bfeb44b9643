//! An organization from files of `aws organizations` output in one
//! directory (README, "Import", gives the commands that write it):
//! `describe-organization.json`, `list-roots.json`, for each parent
//! `ous-PARENT.json` (list-organizational-units-for-parent) and
//! `accounts-PARENT.json` (list-accounts-for-parent), and for each policy
//! type `list-policies-TYPE.json` with, per policy, `policy-ID.json`
//! (describe-policy) and `targets-ID.json` (list-targets-for-policy).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use super::org_ids::OrgId;
use crate::cloud::{MAX_OU_DEPTH, OrgSnapshot, OrgUnitSnapshot};
use crate::input::{FileKind, read_text};

fn read(dir: &Path, name: &str) -> Result<Option<Value>, String> {
    let path = dir.join(name);
    if !path.exists() {
        return Ok(None);
    }
    let text = read_text(&path, FileKind::Import)
        .map_err(|e| format!("{}: {}", path.display(), e.message))?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| format!("{}: not JSON ({e})", path.display()))
}

fn required(dir: &Path, name: &str, command: &str) -> Result<Value, String> {
    read(dir, name)?.ok_or_else(|| {
        format!(
            "{}: missing; write it with `aws organizations {command} > {name}`",
            dir.join(name).display()
        )
    })
}

fn strings<'v>(v: &'v Value, list: &str, field: &str) -> Vec<&'v str> {
    v[list]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x[field].as_str())
        .collect()
}

/// The attachments read from the policy files: target id → (SCPs, RCPs).
type Attachments = BTreeMap<String, (Vec<String>, Vec<String>)>;

fn unit(
    dir: &Path,
    id: &str,
    attached: &Attachments,
    (depth, visited): (usize, &mut BTreeSet<String>),
) -> Result<OrgUnitSnapshot, String> {
    if depth > MAX_OU_DEPTH {
        return Err(format!(
            "{}: OU {id} lies deeper than the {MAX_OU_DEPTH} levels under the root AWS Organizations allows; the files loop",
            dir.display()
        ));
    }
    if !visited.insert(id.to_owned()) {
        return Err(format!(
            "{}: {id} is listed a second time (an OU under itself, or under two parents); the files are not one organization's",
            dir.display()
        ));
    }
    let (scps, rcps) = attached.get(id).cloned().unwrap_or_default();
    let listed = format!("accounts-{id}.json");
    let accounts = match read(dir, &listed)? {
        Some(v) => strings(&v, "Accounts", "Id")
            .into_iter()
            .map(|a| {
                OrgId::Account
                    .checked(a, &dir.join(&listed))
                    .map(str::to_owned)
            })
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let mut node = OrgUnitSnapshot {
        id: id.to_owned(),
        scps,
        rcps,
        accounts,
        units: BTreeMap::new(),
    };
    let listed = format!("ous-{id}.json");
    if let Some(ous) = read(dir, &listed)? {
        for ou in ous["OrganizationalUnits"].as_array().into_iter().flatten() {
            let (Some(child), Some(name)) = (ou["Id"].as_str(), ou["Name"].as_str()) else {
                continue;
            };
            let child = OrgId::Parent.checked(child, &dir.join(&listed))?;
            node.units.insert(
                name.to_owned(),
                unit(dir, child, attached, (depth + 1, visited))?,
            );
        }
    }
    Ok(node)
}

/// Reads the organization in `dir`.
pub(super) fn read_org_dir(dir: &Path) -> Result<OrgSnapshot, String> {
    let described = required(dir, "describe-organization.json", "describe-organization")?;
    let org = &described["Organization"];
    let (Some(id), Some(management)) = (org["Id"].as_str(), org["MasterAccountId"].as_str()) else {
        return Err(format!(
            "{}: not `aws organizations describe-organization` output (no Organization.Id and MasterAccountId)",
            dir.join("describe-organization.json").display()
        ));
    };
    let roots = required(dir, "list-roots.json", "list-roots")?;
    let root_id = strings(&roots, "Roots", "Id")
        .first()
        .map(|s| (*s).to_owned())
        .ok_or_else(|| format!("{}: lists no root", dir.join("list-roots.json").display()))?;
    OrgId::Parent.checked(&root_id, &dir.join("list-roots.json"))?;
    let mut attached: Attachments = BTreeMap::new();
    let mut policies = BTreeMap::new();
    for (kind, scp) in [
        ("SERVICE_CONTROL_POLICY", true),
        ("RESOURCE_CONTROL_POLICY", false),
    ] {
        let listed = format!("list-policies-{kind}.json");
        let Some(list) = read(dir, &listed)? else {
            continue;
        };
        for summary in list["Policies"].as_array().into_iter().flatten() {
            let (Some(pid), Some(name)) = (summary["Id"].as_str(), summary["Name"].as_str()) else {
                continue;
            };
            let pid = OrgId::Policy.checked(pid, &dir.join(&listed))?;
            if !summary["AwsManaged"].as_bool().unwrap_or(false) {
                let described = required(
                    dir,
                    &format!("policy-{pid}.json"),
                    &format!("describe-policy --policy-id {pid}"),
                )?;
                let content = described["Policy"]["Content"].as_str().unwrap_or_default();
                let doc: Value = serde_json::from_str(content).map_err(|e| {
                    format!(
                        "{}: Policy.Content is not a policy document ({e})",
                        dir.join(format!("policy-{pid}.json")).display()
                    )
                })?;
                policies.insert(name.to_owned(), doc);
            }
            let targets = required(
                dir,
                &format!("targets-{pid}.json"),
                &format!("list-targets-for-policy --policy-id {pid}"),
            )?;
            for target in strings(&targets, "Targets", "TargetId") {
                let entry = attached.entry(target.to_owned()).or_default();
                if scp {
                    entry.0.push(name.to_owned())
                } else {
                    entry.1.push(name.to_owned())
                }
            }
        }
    }
    let root = unit(dir, &root_id, &attached, (0, &mut BTreeSet::new()))?;
    let mut account_policies = BTreeMap::new();
    let mut stack = vec![&root];
    while let Some(node) = stack.pop() {
        for account in &node.accounts {
            account_policies.insert(
                account.clone(),
                attached.get(account).cloned().unwrap_or_default(),
            );
        }
        stack.extend(node.units.values());
    }
    Ok(OrgSnapshot {
        id: id.to_owned(),
        management: management.to_owned(),
        policies,
        root,
        account_policies,
    })
}
