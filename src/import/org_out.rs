//! An organization read live, written as the world's `organization:`
//! section (`scenario-format.md`, "Organizations"): attachments that are
//! only the built-in full-access policy are left out, since a node without
//! `scps` / `rcps` has them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::sorted::Sorted;
use crate::cloud::{OrgSnapshot, OrgUnitSnapshot};

/// `organization:`.
#[derive(Serialize)]
pub(super) struct OrgOut {
    id: String,
    management_account: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    policies: BTreeMap<String, Sorted>,
    root: NodeOut,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    account_policies: BTreeMap<String, AttachedOut>,
}

#[derive(Serialize)]
struct NodeOut {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    scps: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rcps: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    accounts: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    units: BTreeMap<String, NodeOut>,
}

#[derive(Serialize)]
struct AttachedOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    scps: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rcps: Option<Vec<String>>,
}

/// `None` when the list is just the built-in default, or empty (AWS keeps
/// at least one policy of an enabled type on every node, so an empty list
/// means the type was not read: the default holds).
fn unless_default(list: &[String], default: &str) -> Option<Vec<String>> {
    let mut sorted = list.to_vec();
    sorted.sort();
    (!sorted.is_empty() && sorted != [default]).then_some(sorted)
}

fn node(n: &OrgUnitSnapshot) -> NodeOut {
    let mut accounts = n.accounts.clone();
    accounts.sort();
    NodeOut {
        id: n.id.clone(),
        scps: unless_default(&n.scps, "FullAWSAccess"),
        rcps: unless_default(&n.rcps, "RCPFullAWSAccess"),
        accounts,
        units: n.units.iter().map(|(k, v)| (k.clone(), node(v))).collect(),
    }
}

/// The section for `org`.
pub(super) fn organization(org: &OrgSnapshot) -> OrgOut {
    OrgOut {
        id: org.id.clone(),
        management_account: org.management.clone(),
        policies: org
            .policies
            .iter()
            .map(|(k, v)| (k.clone(), Sorted(v.clone())))
            .collect(),
        root: node(&org.root),
        account_policies: org
            .account_policies
            .iter()
            .filter_map(|(account, (scps, rcps))| {
                let out = AttachedOut {
                    scps: unless_default(scps, "FullAWSAccess"),
                    rcps: unless_default(rcps, "RCPFullAWSAccess"),
                };
                (out.scps.is_some() || out.rcps.is_some()).then(|| (account.clone(), out))
            })
            .collect(),
    }
}
