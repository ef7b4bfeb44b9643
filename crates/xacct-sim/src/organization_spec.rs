//! `organization:` in a scenario, as written (`scenario-format.md`,
//! "Organizations"): the OU tree and the policies attached to its nodes.

use std::collections::BTreeMap;

use serde::Deserialize;

use xacct_iam::Document;

/// `organization:` in a scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationSpec {
    /// `o-` and 10 to 32 lowercase letters or digits; derived when absent.
    #[serde(default)]
    pub id: Option<String>,
    /// The management account, which SCPs do not bind.
    pub management_account: String,
    /// SCP and RCP documents by name.
    #[serde(default)]
    pub policies: BTreeMap<String, Document>,
    /// The root.
    pub root: NodeSpec,
    /// Policies attached to accounts themselves.
    #[serde(default)]
    pub account_policies: BTreeMap<String, Attached>,
    /// Member accounts whose `Status` is `SUSPENDED` (listed, never entered
    /// by a run across the organization).
    #[serde(default)]
    pub suspended: Vec<String>,
    /// Member accounts registered as delegated administrators: they may
    /// call the Organizations read API as the management account does.
    #[serde(default)]
    pub delegated_administrators: Vec<String>,
}

/// The root or an OU.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct NodeSpec {
    /// `r-...` / `ou-...-...`; derived when absent.
    pub id: Option<String>,
    /// Attached SCPs; `[FullAWSAccess]` when absent.
    pub scps: Option<Vec<String>>,
    /// Attached RCPs; `[RCPFullAWSAccess]` when absent.
    pub rcps: Option<Vec<String>>,
    /// Accounts directly under this node.
    pub accounts: Vec<String>,
    /// Child OUs by name.
    pub units: BTreeMap<String, NodeSpec>,
}

/// An account's own attachments.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Attached {
    /// Attached SCPs; `[FullAWSAccess]` when absent.
    pub scps: Option<Vec<String>>,
    /// Attached RCPs; `[RCPFullAWSAccess]` when absent.
    pub rcps: Option<Vec<String>>,
}
