//! The organization as its read API shows it: the children of a parent,
//! the parent of a child, the policies attached to a target, each policy's
//! id and type. Ids of policies are AWS's for the built-in ones
//! (`p-FullAWSAccess`, `p-RCPFullAWSAccess`) and derived from the name for
//! the others.

use sha2::{Digest, Sha256};

use super::organization::{OrgNode, Organization};
use xacct_iam::Policy;

/// SCP or RCP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrgPolicyType {
    /// `SERVICE_CONTROL_POLICY`.
    Scp,
    /// `RESOURCE_CONTROL_POLICY`.
    Rcp,
}

impl OrgPolicyType {
    /// The API's name for the type.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Scp => "SERVICE_CONTROL_POLICY",
            Self::Rcp => "RESOURCE_CONTROL_POLICY",
        }
    }

    /// The type an API name means.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "SERVICE_CONTROL_POLICY" => Some(Self::Scp),
            "RESOURCE_CONTROL_POLICY" => Some(Self::Rcp),
            _ => None,
        }
    }
}

/// A node that can be a target of policies or a child: the root, an OU or
/// an account.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'o> {
    /// The root or an OU.
    Unit(&'o OrgNode),
    /// An account (its own node: id, attachments).
    Account(&'o OrgNode),
}

impl Organization {
    /// A policy's id.
    pub(crate) fn policy_id(name: &str) -> String {
        if name == "FullAWSAccess" || name == "RCPFullAWSAccess" {
            return format!("p-{name}");
        }
        let digest = Sha256::digest(name.as_bytes());
        format!("p-{}", &hex::encode(digest)[..8])
    }

    /// The policy with this id: its name, type and document.
    pub(crate) fn policy_by_id(&self, id: &str) -> Option<(&str, OrgPolicyType, &Policy)> {
        let scp = self
            .scps
            .iter()
            .find(|(n, _)| Self::policy_id(n) == id)
            .map(|(n, p)| (n.as_str(), OrgPolicyType::Scp, p));
        scp.or_else(|| {
            self.rcps
                .iter()
                .find(|(n, _)| Self::policy_id(n) == id)
                .map(|(n, p)| (n.as_str(), OrgPolicyType::Rcp, p))
        })
    }

    /// The root.
    pub(crate) fn root(&self) -> Option<&OrgNode> {
        self.units.first().map(|(_, n)| n)
    }

    /// The root or OU with this id.
    pub(crate) fn unit(&self, id: &str) -> Option<&OrgNode> {
        self.units.iter().map(|(_, n)| n).find(|n| n.id == id)
    }

    /// The OUs directly under `parent`.
    pub(crate) fn child_units(&self, parent: &str) -> Vec<&OrgNode> {
        self.units
            .iter()
            .filter(|(p, _)| p.as_deref() == Some(parent))
            .map(|(_, n)| n)
            .collect()
    }

    /// The member accounts directly under `parent`.
    pub(crate) fn child_accounts(&self, parent: &str) -> Vec<&str> {
        self.paths
            .iter()
            .filter(|(_, path)| path.len() >= 2 && path[path.len() - 2].id == parent)
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// The parent of an OU or account: its id, and whether it is the root.
    pub(crate) fn parent_of(&self, child: &str) -> Option<(&str, bool)> {
        let parent = match self.paths.get(child) {
            Some(path) if path.len() >= 2 => Some(path[path.len() - 2].id.as_str()),
            _ => self
                .units
                .iter()
                .find(|(_, n)| n.id == child)
                .and_then(|(p, _)| p.as_deref()),
        }?;
        let is_root = self.root().is_some_and(|r| r.id == parent);
        Some((parent, is_root))
    }

    /// The root, an OU or an account by id.
    pub(crate) fn target(&self, id: &str) -> Option<Target<'_>> {
        if let Some(unit) = self.unit(id) {
            return Some(Target::Unit(unit));
        }
        self.paths
            .get(id)
            .and_then(|p| p.last())
            .map(Target::Account)
    }

    /// The names of the policies of `kind` attached to a target.
    pub(crate) fn attached(target: Target<'_>, kind: OrgPolicyType) -> &[String] {
        let (Target::Unit(node) | Target::Account(node)) = target;
        match kind {
            OrgPolicyType::Scp => &node.scps,
            OrgPolicyType::Rcp => &node.rcps,
        }
    }
}
