//! Listing an organization's accounts through aws-sdk-organizations for a
//! run across them: DescribeOrganization for the management account, the
//! root, then each level of OUs, a few parents at once (ListOrganizationalUnitsForParent
//! and ListAccountsForParent, every page, a repeated NextToken or OU
//! ending it as an error), so each account keeps the path
//! that `--ou` selects on. The SDK pages and retries (throttling included).

use aws_sdk_organizations as org;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::collections::BTreeSet;

use futures_util::{StreamExt as _, TryStreamExt as _, stream};

use super::convert::sdk_credentials;
use super::errors::from_sdk;
use super::page_guard::Pages;
use crate::cloud::{
    AccountStatus, CloudError, Credentials, ListingCaps, MAX_OU_DEPTH, Operation, OrgAccount,
    OrgListing, OrgParent,
};

/// The most ListAccountsForParent returns per page (Organizations API Reference).
const PAGE: i32 = 20;
/// Parents whose children are listed at once.
const PARENTS_AT_ONCE: usize = 8;

fn fail<E>(err: SdkError<E, HttpResponse>) -> CloudError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    from_sdk(Operation::ListOrganization, err)
}

/// One parent's children: its OUs and its accounts, every page.
async fn children(
    client: &org::Client,
    parents: &[OrgParent],
    caps: ListingCaps,
) -> Result<(Vec<OrgParent>, Vec<OrgAccount>), CloudError> {
    let Some(parent) = parents.last() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let of = |listing: &str| {
        Pages::new(
            Operation::ListOrganization,
            format!("{listing} of {:?}", parent.id),
            caps,
        )
    };
    let units = of("ListOrganizationalUnitsForParent")
        .collect(|token| async {
            let page = client
                .list_organizational_units_for_parent()
                .parent_id(&parent.id)
                .set_next_token(token)
                .send()
                .await
                .map_err(fail)?;
            let units = page
                .organizational_units()
                .iter()
                .filter_map(|ou| {
                    Some(OrgParent {
                        id: ou.id()?.to_owned(),
                        name: ou.name()?.to_owned(),
                    })
                })
                .collect();
            Ok((units, page.next_token().map(str::to_owned)))
        })
        .await?;
    let accounts = of("ListAccountsForParent")
        .collect(|token| async {
            let page = client
                .list_accounts_for_parent()
                .parent_id(&parent.id)
                .max_results(PAGE)
                .set_next_token(token)
                .send()
                .await
                .map_err(fail)?;
            let accounts = page
                .accounts()
                .iter()
                .filter_map(|account| {
                    let id = account.id()?;
                    Some(OrgAccount {
                        id: id.to_owned(),
                        name: account.name().unwrap_or(id).to_owned(),
                        status: account
                            .status()
                            .map_or(AccountStatus::Active, |s| AccountStatus::of(s.as_str())),
                        parents: parents.to_vec(),
                    })
                })
                .collect();
            Ok((accounts, page.next_token().map(str::to_owned)))
        })
        .await?;
    Ok((units, accounts))
}

/// The organization's id and its management account's, as DescribeOrganization
/// gives them (empty when absent).
pub(super) fn ids(organization: Option<&org::types::Organization>) -> (String, String) {
    (
        organization
            .and_then(|o| o.id())
            .unwrap_or_default()
            .to_owned(),
        organization
            .and_then(|o| o.master_account_id())
            .unwrap_or_default()
            .to_owned(),
    )
}

/// Every account of the organization the caller's account manages.
pub(super) async fn list_org_accounts(
    client: &org::Client,
    caller: &Credentials,
    caps: ListingCaps,
) -> Result<OrgListing, CloudError> {
    let client = org::Client::from_conf(
        client
            .config()
            .to_builder()
            .credentials_provider(sdk_credentials(caller))
            .build(),
    );
    let described = client.describe_organization().send().await.map_err(fail)?;
    let organization = described.organization();
    let roots = client.list_roots().send().await.map_err(fail)?;
    let mut level: Vec<Vec<OrgParent>> = roots
        .roots()
        .iter()
        .filter_map(|r| {
            Some(vec![OrgParent {
                id: r.id()?.to_owned(),
                name: r.name().unwrap_or("Root").to_owned(),
            }])
        })
        .collect();
    let mut accounts = Vec::new();
    let mut visited: BTreeSet<String> = level.iter().flatten().map(|p| p.id.clone()).collect();
    while !level.is_empty() {
        // A few parents at once: the tree's levels can hold hundreds of
        // OUs, and Organizations throttles a burst of them.
        let calls: Vec<_> = level
            .iter()
            .map(|path| children(&client, path, caps))
            .collect();
        let found: Vec<_> = stream::iter(calls)
            .buffered(PARENTS_AT_ONCE)
            .try_collect()
            .await?;
        let mut next = Vec::new();
        for (path, (units, listed)) in level.iter().zip(found) {
            accounts.extend(listed);
            caps.check_accounts(accounts.len())?;
            for unit in units {
                // An OU listed under itself, or under two parents, would
                // make the walk endless.
                if !visited.insert(unit.id.clone()) {
                    return Err(ListingCaps::endless(
                        Operation::ListOrganization,
                        &format!(
                            "ListOrganizationalUnitsForParent gave OU {:?} a second time (under {:?})",
                            unit.id,
                            path.iter()
                                .map(|p| p.id.as_str())
                                .collect::<Vec<_>>()
                                .join("/")
                        ),
                    ));
                }
                // The root is the path's first: its length less one is
                // how deep the OU lies.
                if path.len() > MAX_OU_DEPTH {
                    return Err(ListingCaps::endless(
                        Operation::ListOrganization,
                        &format!(
                            "OU {:?} lies deeper than the {MAX_OU_DEPTH} levels below the root AWS Organizations allows",
                            unit.id
                        ),
                    ));
                }
                if visited.len() > caps.accounts {
                    return Err(ListingCaps::endless(
                        Operation::ListOrganization,
                        &format!(
                            "the organization listed more than {} OUs (no more than its account cap, --max-accounts)",
                            caps.accounts
                        ),
                    ));
                }
                let mut below = path.clone();
                below.push(unit);
                next.push(below);
            }
        }
        level = next;
    }
    let (organization_id, management) = ids(organization);
    Ok(OrgListing {
        organization_id,
        management,
        accounts,
    })
}
