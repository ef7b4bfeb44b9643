//! Reading an organization through aws-sdk-organizations for `xacct import
//! --org`: DescribeOrganization, the root, every OU under it (breadth
//! first), the accounts of each, and the SCPs and RCPs attached to each node
//! with their documents (DescribePolicy). The SDK pages and retries; every
//! listing is guarded against tokens that cycle and endless paging, an OU
//! met twice or nested deeper than AWS allows ends the read, and an account
//! id that is not 12 digits is refused (exit 5 or 1, naming it).

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_organizations as org;
use aws_sdk_organizations::types::PolicyType;

use super::convert::sdk_credentials;
use super::errors::from_sdk;
use super::page_guard::Pages;
use crate::cloud::{
    CloudError, Credentials, ErrorClass, ListingCaps, MAX_OU_DEPTH, Operation, OrgSnapshot,
    OrgUnitSnapshot,
};
use crate::iam::is_account_id;

/// The built-in policies every organization has.
const BUILT_IN: [&str; 2] = ["FullAWSAccess", "RCPFullAWSAccess"];

struct Reader {
    client: org::Client,
    caps: ListingCaps,
    /// Every root and OU met so far (one met twice: the tree loops).
    visited: BTreeSet<String>,
    /// Accounts listed so far, against the account cap.
    accounts: usize,
    policies: BTreeMap<String, serde_json::Value>,
    /// Policy ids already described.
    described: BTreeMap<String, String>,
}

impl Reader {
    /// The names of the policies of `kind` attached to `target`, their
    /// documents fetched once each.
    async fn attached(
        &mut self,
        target: &str,
        kind: PolicyType,
    ) -> Result<Vec<String>, CloudError> {
        let mut names = Vec::new();
        let mut pages = self
            .client
            .list_policies_for_target()
            .target_id(target)
            .filter(kind)
            .into_paginator()
            .send();
        let mut ids = Vec::new();
        let mut guard = Pages::new(
            Operation::ListOrganization,
            format!("ListPoliciesForTarget of {target:?}"),
            self.caps,
        );
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| from_sdk(Operation::ListOrganization, e))?;
            guard.next(page.next_token())?;
            for summary in page.policies() {
                if let (Some(id), Some(name)) = (summary.id(), summary.name()) {
                    ids.push((id.to_owned(), name.to_owned()));
                }
            }
        }
        for (id, name) in ids {
            if !BUILT_IN.contains(&name.as_str()) && !self.described.contains_key(&id) {
                let out = self
                    .client
                    .describe_policy()
                    .policy_id(&id)
                    .send()
                    .await
                    .map_err(|e| from_sdk(Operation::ListOrganization, e))?;
                let content = out.policy().and_then(|p| p.content()).unwrap_or("{}");
                let doc = serde_json::from_str(content).map_err(|e| {
                    CloudError::local(
                        Operation::ListOrganization,
                        ErrorClass::Unexpected,
                        format!(
                            "the content of policy {id} ({name}) is not a policy document: {e}"
                        ),
                    )
                })?;
                self.policies.insert(name.clone(), doc);
                self.described.insert(id, name.clone());
            }
            names.push(name);
        }
        Ok(names)
    }

    /// One node (root or OU) `depth` levels below the root, with
    /// everything below it.
    async fn unit(
        &mut self,
        id: &str,
        depth: usize,
        accounts_out: &mut BTreeMap<String, (Vec<String>, Vec<String>)>,
    ) -> Result<OrgUnitSnapshot, CloudError> {
        let fail = |e| from_sdk(Operation::ListOrganization, e);
        if !self.visited.insert(id.to_owned()) {
            return Err(ListingCaps::endless(
                Operation::ListOrganization,
                &format!("the organization's tree gave {id:?} a second time"),
            ));
        }
        if depth > MAX_OU_DEPTH {
            return Err(ListingCaps::endless(
                Operation::ListOrganization,
                &format!(
                    "OU {id:?} lies {depth} levels below the root, deeper than the {MAX_OU_DEPTH} AWS Organizations allows"
                ),
            ));
        }
        let mut node = OrgUnitSnapshot {
            id: id.to_owned(),
            scps: self.attached(id, PolicyType::ServiceControlPolicy).await?,
            rcps: self.attached(id, PolicyType::ResourceControlPolicy).await?,
            ..OrgUnitSnapshot::default()
        };
        let mut pages = self
            .client
            .list_accounts_for_parent()
            .parent_id(id)
            .into_paginator()
            .send();
        let mut guard = Pages::new(
            Operation::ListOrganization,
            format!("ListAccountsForParent of {id:?}"),
            self.caps,
        );
        while let Some(page) = pages.next().await {
            let page = page.map_err(fail)?;
            guard.next(page.next_token())?;
            for account in page.accounts() {
                if let Some(account_id) = account.id() {
                    if !is_account_id(account_id) {
                        return Err(CloudError::local(
                            Operation::ListOrganization,
                            ErrorClass::Unexpected,
                            format!(
                                "ListAccountsForParent of {id:?} listed the account id {account_id:?}, which is not 12 digits; the endpoint does not answer as AWS Organizations does (check --endpoint-url)"
                            ),
                        ));
                    }
                    self.accounts += 1;
                    self.caps.check_accounts(self.accounts)?;
                    if !node.accounts.iter().any(|a| a == account_id) {
                        node.accounts.push(account_id.to_owned());
                    }
                }
            }
        }
        for account in node.accounts.clone() {
            let scps = self
                .attached(&account, PolicyType::ServiceControlPolicy)
                .await?;
            let rcps = self
                .attached(&account, PolicyType::ResourceControlPolicy)
                .await?;
            accounts_out.insert(account, (scps, rcps));
        }
        let mut children = Vec::new();
        let mut pages = self
            .client
            .list_organizational_units_for_parent()
            .parent_id(id)
            .into_paginator()
            .send();
        let mut guard = Pages::new(
            Operation::ListOrganization,
            format!("ListOrganizationalUnitsForParent of {id:?}"),
            self.caps,
        );
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| from_sdk(Operation::ListOrganization, e))?;
            guard.next(page.next_token())?;
            for ou in page.organizational_units() {
                if let (Some(ou_id), Some(name)) = (ou.id(), ou.name()) {
                    children.push((ou_id.to_owned(), name.to_owned()));
                }
            }
        }
        for (child, name) in children {
            let below = Box::pin(self.unit(&child, depth + 1, accounts_out)).await?;
            node.units.insert(name, below);
        }
        Ok(node)
    }
}

/// Reads the organization the caller's account manages.
pub async fn read_organization(
    config: &aws_types::SdkConfig,
    caller: &Credentials,
) -> Result<OrgSnapshot, CloudError> {
    let client = org::Client::from_conf(
        org::config::Builder::from(config)
            .credentials_provider(sdk_credentials(caller))
            .build(),
    );
    let described = client
        .describe_organization()
        .send()
        .await
        .map_err(|e| from_sdk(Operation::ListOrganization, e))?;
    let organization = described.organization();
    let mut reader = Reader {
        client: client.clone(),
        caps: ListingCaps::default(),
        visited: BTreeSet::new(),
        accounts: 0,
        policies: BTreeMap::new(),
        described: BTreeMap::new(),
    };
    let roots = client
        .list_roots()
        .send()
        .await
        .map_err(|e| from_sdk(Operation::ListOrganization, e))?;
    let root_id = roots
        .roots()
        .first()
        .and_then(|r| r.id())
        .unwrap_or_default()
        .to_owned();
    let mut account_policies = BTreeMap::new();
    let root = reader.unit(&root_id, 0, &mut account_policies).await?;
    let (id, management) = super::org_accounts::ids(organization);
    Ok(OrgSnapshot {
        id,
        management,
        policies: reader.policies,
        root,
        account_policies,
    })
}
