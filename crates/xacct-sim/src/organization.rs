//! An AWS Organization in a world (`scenario-format.md`, "Organizations"):
//! the OU tree, the SCPs and RCPs attached to its root, OUs and accounts
//! (the built-in `FullAWSAccess` / `RCPFullAWSAccess` where a node names
//! none), and for each member account the path of nodes whose policies
//! bound it, as the AWS Organizations User Guide evaluates them.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::organization_spec::{NodeSpec, OrganizationSpec};
use super::scenario::ScenarioError;
use xacct_iam::{Policy, PolicyKind, parse_as};

/// One node on an account's path: its label and attached policies.
#[derive(Debug, Clone)]
pub(crate) struct OrgNode {
    /// `root r-ab12`, `OU Production (ou-ab12-11111111)`, `account 222222222222`.
    pub label: String,
    /// `Root`, the OU's name, or the account id.
    pub name: String,
    /// The node's id.
    pub id: String,
    /// Attached SCP names.
    pub scps: Vec<String>,
    /// Attached RCP names.
    pub rcps: Vec<String>,
}

/// The organization, compiled.
#[derive(Debug, Clone)]
pub(crate) struct Organization {
    /// `o-...`.
    pub id: String,
    /// The management account.
    pub management: String,
    /// Each member account's path: root, OUs, the account itself.
    pub paths: BTreeMap<String, Vec<OrgNode>>,
    /// The root and every OU, each with its parent's id (none for the
    /// root), in tree order.
    pub units: Vec<(Option<String>, OrgNode)>,
    /// SCP documents by name (the built-in `FullAWSAccess` included).
    pub scps: BTreeMap<String, Policy>,
    /// RCP documents by name (the built-in `RCPFullAWSAccess` included).
    pub rcps: BTreeMap<String, Policy>,
    /// Member accounts whose status is `SUSPENDED`.
    pub suspended: std::collections::BTreeSet<String>,
    /// Delegated administrators of the organization.
    pub delegated: std::collections::BTreeSet<String>,
}

/// The SCP and RCP names each node attaches, with the key path that names
/// them (checked once the walk is done).
type Used = (Vec<(String, String)>, Vec<(String, String)>);

/// Lowercase hex of a hash of `parts`, `len` characters.
fn derived(parts: &[&str], len: usize) -> String {
    let digest = Sha256::digest(parts.join("/").as_bytes());
    hex::encode(digest).chars().take(len).collect()
}

const FULL_SCP: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const FULL_RCP: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;

impl Organization {
    /// Compiles `spec`; `err` words an error at a key path.
    pub(crate) fn build(
        spec: &OrganizationSpec,
        err: &dyn Fn(String) -> ScenarioError,
    ) -> Result<Self, ScenarioError> {
        let at = "organization";
        let id = spec
            .id
            .clone()
            .unwrap_or_else(|| format!("o-{}", derived(&[&spec.management_account], 10)));
        if !id.starts_with("o-") || id.len() < 12 {
            return Err(err(format!(
                "{at}.id: `{id}` is not an organization id (o- and 10 to 32 lowercase letters or digits)"
            )));
        }
        let mut scps = BTreeMap::new();
        let mut rcps = BTreeMap::new();
        let builtin = |text: &str, kind| {
            xacct_iam::parse_text_as(text, kind)
                .map_err(|e| err(format!("{at}: the built-in policy: {}", e.message)))
        };
        scps.insert(
            "FullAWSAccess".to_owned(),
            builtin(FULL_SCP, PolicyKind::Scp)?,
        );
        rcps.insert(
            "RCPFullAWSAccess".to_owned(),
            builtin(FULL_RCP, PolicyKind::Rcp)?,
        );
        let mut org = Self {
            id,
            management: spec.management_account.clone(),
            paths: BTreeMap::new(),
            units: Vec::new(),
            scps,
            rcps,
            suspended: spec.suspended.iter().cloned().collect(),
            delegated: spec.delegated_administrators.iter().cloned().collect(),
        };
        let root_id = spec
            .root
            .id
            .clone()
            .unwrap_or_else(|| format!("r-{}", derived(&[&org.id, "root"], 4)));
        let mut used = (Vec::new(), Vec::new());
        org.walk(
            &spec.root,
            &root_id,
            ("Root", format!("root {root_id}")),
            &mut Vec::new(),
            &format!("{at}.root"),
            spec,
            &mut used,
            err,
        )?;
        for (names, kind, key) in [
            (&used.0, PolicyKind::Scp, "scps"),
            (&used.1, PolicyKind::Rcp, "rcps"),
        ] {
            for (name, where_) in names {
                let map = if kind == PolicyKind::Scp {
                    &mut org.scps
                } else {
                    &mut org.rcps
                };
                if map.contains_key(name) {
                    continue;
                }
                let doc = spec.policies.get(name).ok_or_else(|| {
                    err(format!(
                        "{where_}.{key}: `{name}` is neither a policy under organization.policies nor a built-in one (FullAWSAccess, RCPFullAWSAccess)"
                    ))
                })?;
                let policy = parse_as(&doc.0, kind).map_err(|e| {
                    err(format!(
                        "{at}.policies.{name}: at {}: {}",
                        e.path, e.message
                    ))
                })?;
                map.insert(name.clone(), policy);
            }
        }
        for (key, list) in [
            ("suspended", &org.suspended),
            ("delegated_administrators", &org.delegated),
        ] {
            if let Some(stray) = list.iter().find(|a| !org.paths.contains_key(*a)) {
                return Err(err(format!(
                    "{at}.{key}: `{stray}` is not a member account; list it under the root or an OU"
                )));
            }
        }
        if !org.paths.contains_key(&org.management) {
            return Err(err(format!(
                "{at}.management_account: `{}` is not under the root or any OU; list it in root.accounts",
                org.management
            )));
        }
        Ok(org)
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one recursive walk over the tree"
    )]
    fn walk(
        &mut self,
        node: &NodeSpec,
        id: &str,
        (name, label): (&str, String),
        above: &mut Vec<OrgNode>,
        at: &str,
        spec: &OrganizationSpec,
        used: &mut Used,
        err: &dyn Fn(String) -> ScenarioError,
    ) -> Result<(), ScenarioError> {
        let attached = |list: &Option<Vec<String>>, full: &str| {
            list.clone().unwrap_or_else(|| vec![full.to_owned()])
        };
        let this = OrgNode {
            label,
            name: name.to_owned(),
            id: id.to_owned(),
            scps: attached(&node.scps, "FullAWSAccess"),
            rcps: attached(&node.rcps, "RCPFullAWSAccess"),
        };
        used.0
            .extend(this.scps.iter().map(|n| (n.clone(), at.to_owned())));
        used.1
            .extend(this.rcps.iter().map(|n| (n.clone(), at.to_owned())));
        self.units
            .push((above.last().map(|p| p.id.clone()), this.clone()));
        above.push(this);
        for account in &node.accounts {
            if !xacct_iam::is_account_id(account) {
                return Err(err(format!(
                    "{at}.accounts: `{account}` is not a 12-digit account id"
                )));
            }
            if self.paths.contains_key(account) {
                return Err(err(format!(
                    "{at}.accounts: `{account}` is listed twice; an account belongs to one parent"
                )));
            }
            let own = spec
                .account_policies
                .get(account)
                .cloned()
                .unwrap_or_default();
            let node = OrgNode {
                label: format!("account {account}"),
                name: account.clone(),
                id: account.clone(),
                scps: attached(&own.scps, "FullAWSAccess"),
                rcps: attached(&own.rcps, "RCPFullAWSAccess"),
            };
            let own_at = format!("organization.account_policies.{account}");
            used.0
                .extend(node.scps.iter().map(|n| (n.clone(), own_at.clone())));
            used.1
                .extend(node.rcps.iter().map(|n| (n.clone(), own_at.clone())));
            let mut path = above.clone();
            path.push(node);
            self.paths.insert(account.clone(), path);
        }
        let root_part = above
            .first()
            .map(|r| r.id.trim_start_matches("r-").to_owned())
            .unwrap_or_default();
        for (name, child) in &node.units {
            let child_id = child
                .id
                .clone()
                .unwrap_or_else(|| format!("ou-{root_part}-{}", derived(&[&self.id, at, name], 8)));
            let label = format!("OU {name} ({child_id})");
            self.walk(
                child,
                &child_id,
                (name, label),
                above,
                &format!("{at}.units.{name}"),
                spec,
                used,
                err,
            )?;
        }
        above.pop();
        Ok(())
    }

    /// `o-.../r-.../ou-.../` for a member account (aws:PrincipalOrgPaths).
    pub(crate) fn org_path(&self, account: &str) -> Option<String> {
        let path = self.paths.get(account)?;
        let mut out = format!("{}/", self.id);
        for node in &path[..path.len().saturating_sub(1)] {
            out.push_str(&node.id);
            out.push('/');
        }
        Some(out)
    }
}

/// Guardrail levels with owned labels, for the engine to borrow: (node,
/// [(policy name as explained, policy)]).
pub(super) type OwnedLevels<'o> = Vec<(String, Vec<(String, &'o Policy)>)>;

impl Organization {
    /// A member account's `Status`, as Organizations gives it.
    pub(crate) fn status(&self, account: &str) -> &'static str {
        if self.suspended.contains(account) {
            "SUSPENDED"
        } else {
            "ACTIVE"
        }
    }

    fn levels<'o>(
        &'o self,
        account: &str,
        pick: impl Fn(&OrgNode) -> &Vec<String>,
        docs: &'o BTreeMap<String, Policy>,
    ) -> OwnedLevels<'o> {
        self.paths
            .get(account)
            .into_iter()
            .flatten()
            .map(|node| {
                let policies = pick(node)
                    .iter()
                    .filter_map(|name| {
                        docs.get(name)
                            .map(|p| (format!("{name} on {}", node.label), p))
                    })
                    .collect();
                (node.label.clone(), policies)
            })
            .collect()
    }

    /// The SCP levels that bind a principal of `account`: none for the
    /// management account or an account outside the organization (the
    /// engine exempts service-linked roles itself).
    pub(crate) fn scp_levels(&self, account: &str) -> OwnedLevels<'_> {
        if account == self.management {
            return Vec::new();
        }
        self.levels(account, |n| &n.scps, &self.scps)
    }

    /// The RCP levels that bound `action` on a resource of `account`: none
    /// for the management account, an account outside the organization, or
    /// a service RCPs do not cover.
    pub(crate) fn rcp_levels(&self, account: &str, action: &str) -> OwnedLevels<'_> {
        let service = action
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if account == self.management || !xacct_iam::rcps_cover(&service) {
            return Vec::new();
        }
        self.levels(account, |n| &n.rcps, &self.rcps)
    }
}

impl Organization {
    /// Fills the organization condition keys of a request, as AWS does for
    /// members: `aws:PrincipalOrgID` / `aws:PrincipalOrgPaths` for the
    /// caller's account, `aws:ResourceOrgID` / `aws:ResourceOrgPaths` for
    /// the resource's (IAM User Guide, global condition keys).
    pub(crate) fn fill_context(
        &self,
        ctx: &mut xacct_iam::Context,
        caller_account: &str,
        resource_account: Option<&str>,
    ) {
        if let Some(path) = self.org_path(caller_account) {
            ctx.set_default("aws:PrincipalOrgID", self.id.clone());
            ctx.set_default("aws:PrincipalOrgPaths", path);
        }
        if let Some(path) = resource_account.and_then(|a| self.org_path(a)) {
            ctx.set_default("aws:ResourceOrgID", self.id.clone());
            ctx.set_default("aws:ResourceOrgPaths", path);
        }
    }
}

/// Owned levels as the engine takes them.
pub(super) fn borrowed<'a>(levels: &'a OwnedLevels<'_>) -> Vec<xacct_iam::Level<'a>> {
    levels
        .iter()
        .map(|(node, policies)| xacct_iam::Level {
            node,
            policies: policies
                .iter()
                .map(|(name, policy)| xacct_iam::NamedPolicy { name, policy })
                .collect(),
        })
        .collect()
}
