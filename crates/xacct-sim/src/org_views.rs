//! What the Organizations read API answers with, as data: the
//! organization, its roots, OUs, accounts, parents and policies as the
//! Organizations API Reference describes them (ARNs, emails, statuses and
//! ids worked out), so no face needs the model.

use super::org_tree::OrgPolicyType;
use super::organization::{OrgNode, Organization};

/// DescribeOrganization's `Organization`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgDescription {
    /// `Id` (`o-...`).
    pub id: String,
    /// `Arn`.
    pub arn: String,
    /// `MasterAccountId`.
    pub management: String,
    /// `MasterAccountArn`.
    pub management_arn: String,
    /// `MasterAccountEmail`.
    pub management_email: String,
}

/// A root, OU or account: its id, ARN and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgEntity {
    /// `Id`.
    pub id: String,
    /// `Arn`.
    pub arn: String,
    /// `Name`.
    pub name: String,
}

/// An `Account` of ListAccounts and ListAccountsForParent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAccountView {
    /// Its id, ARN and name (the alias, else the id).
    pub entity: OrgEntity,
    /// `Email`.
    pub email: String,
    /// `Status`: `ACTIVE` or `SUSPENDED`.
    pub status: &'static str,
    /// `JoinedMethod`: `CREATED` (the management account) or `INVITED`.
    pub joined: &'static str,
}

/// A `Parent` of ListParents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgParentView {
    /// `Id`.
    pub id: String,
    /// `Type`: `ROOT` or `ORGANIZATIONAL_UNIT`.
    pub kind: &'static str,
}

/// A `PolicySummary`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgPolicyView {
    /// Its id, ARN and name.
    pub entity: OrgEntity,
    /// `Type`: `SERVICE_CONTROL_POLICY` or `RESOURCE_CONTROL_POLICY`.
    pub kind: &'static str,
    /// `AwsManaged`: `FullAWSAccess` and `RCPFullAWSAccess`.
    pub aws_managed: bool,
}

fn arn(org: &Organization, kind: &str, id: &str) -> String {
    format!(
        "arn:aws:organizations::{}:{kind}/{}/{id}",
        org.management, org.id
    )
}

fn email(account: &str) -> String {
    format!("aws+{account}@example.com")
}

impl OrgDescription {
    pub(crate) fn of(org: &Organization) -> Self {
        Self {
            id: org.id.clone(),
            arn: format!(
                "arn:aws:organizations::{}:organization/{}",
                org.management, org.id
            ),
            management: org.management.clone(),
            management_arn: arn(org, "account", &org.management),
            management_email: email(&org.management),
        }
    }
}

impl OrgEntity {
    pub(crate) fn root(org: &Organization, node: &OrgNode) -> Self {
        Self {
            id: node.id.clone(),
            arn: arn(org, "root", &node.id),
            name: "Root".to_owned(),
        }
    }

    pub(crate) fn unit(org: &Organization, node: &OrgNode) -> Self {
        Self {
            id: node.id.clone(),
            arn: arn(org, "ou", &node.id),
            name: node.name.clone(),
        }
    }
}

impl OrgAccountView {
    pub(crate) fn of(org: &Organization, id: &str, name: Option<&str>) -> Self {
        Self {
            entity: OrgEntity {
                id: id.to_owned(),
                arn: arn(org, "account", id),
                name: name.unwrap_or(id).to_owned(),
            },
            email: email(id),
            status: org.status(id),
            joined: if id == org.management {
                "CREATED"
            } else {
                "INVITED"
            },
        }
    }
}

impl OrgPolicyView {
    pub(crate) fn of(org: &Organization, name: &str, kind: OrgPolicyType) -> Self {
        let id = Organization::policy_id(name);
        let folder = kind.as_str().to_ascii_lowercase();
        let aws_managed = id == "p-FullAWSAccess" || id == "p-RCPFullAWSAccess";
        // AWS managed: `arn:aws:organizations::aws:policy/TYPE/ID`;
        // customer: `arn:aws:organizations::MGMT:policy/ORG/TYPE/ID`.
        let arn = if aws_managed {
            format!("arn:aws:organizations::aws:policy/{folder}/{id}")
        } else {
            format!(
                "arn:aws:organizations::{}:policy/{}/{folder}/{id}",
                org.management, org.id
            )
        };
        Self {
            entity: OrgEntity {
                id,
                arn,
                name: name.to_owned(),
            },
            kind: kind.as_str(),
            aws_managed,
        }
    }
}
