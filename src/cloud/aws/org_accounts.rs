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
use crate::cloud::{
    AccountStatus, CloudError, Credentials, ErrorClass, Operation, OrgAccount, OrgListing,
    OrgParent,
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

/// Most pages one listing may take; an endpoint that pages on past it (no
/// organization is that large) is broken or hostile.
const MAX_PAGES: usize = 10_000;

/// A listing that cannot end, said as the exit-5 error it ends with.
fn endless(what: String) -> CloudError {
    CloudError::local(
        Operation::ListOrganization,
        ErrorClass::Unavailable,
        format!(
            "{what}: the listing was stopped, since it would never end; the endpoint does not page as AWS Organizations does (check --endpoint-url)"
        ),
    )
}

/// The next page's token, or the end; a token seen before in this
/// listing (a cycle) or a listing past [`MAX_PAGES`] is an error.
fn next_page(
    seen: &mut BTreeSet<String>,
    token: Option<&str>,
    listing: &str,
    parent: &str,
) -> Result<Option<String>, CloudError> {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if !seen.insert(token.to_owned()) {
        return Err(endless(format!(
            "{listing} of {parent:?} repeated a NextToken it had already given"
        )));
    }
    if seen.len() >= MAX_PAGES {
        return Err(endless(format!(
            "{listing} of {parent:?} went past {MAX_PAGES} pages"
        )));
    }
    Ok(Some(token.to_owned()))
}

/// One parent's children: its OUs and its accounts, every page.
async fn children(
    client: &org::Client,
    parents: &[OrgParent],
) -> Result<(Vec<OrgParent>, Vec<OrgAccount>), CloudError> {
    let Some(parent) = parents.last() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut units = Vec::new();
    let (mut seen, mut token) = (BTreeSet::new(), None);
    loop {
        let page = client
            .list_organizational_units_for_parent()
            .parent_id(&parent.id)
            .set_next_token(token)
            .send()
            .await
            .map_err(fail)?;
        for ou in page.organizational_units() {
            if let (Some(id), Some(name)) = (ou.id(), ou.name()) {
                units.push(OrgParent {
                    id: id.to_owned(),
                    name: name.to_owned(),
                });
            }
        }
        token = next_page(
            &mut seen,
            page.next_token(),
            "ListOrganizationalUnitsForParent",
            &parent.id,
        )?;
        if token.is_none() {
            break;
        }
    }
    let mut accounts = Vec::new();
    let (mut seen, mut token) = (BTreeSet::new(), None);
    loop {
        let page = client
            .list_accounts_for_parent()
            .parent_id(&parent.id)
            .max_results(PAGE)
            .set_next_token(token)
            .send()
            .await
            .map_err(fail)?;
        for account in page.accounts() {
            let Some(id) = account.id() else { continue };
            let status = account
                .status()
                .map_or(AccountStatus::Active, |s| AccountStatus::of(s.as_str()));
            accounts.push(OrgAccount {
                id: id.to_owned(),
                name: account.name().unwrap_or(id).to_owned(),
                status,
                parents: parents.to_vec(),
            });
        }
        token = next_page(
            &mut seen,
            page.next_token(),
            "ListAccountsForParent",
            &parent.id,
        )?;
        if token.is_none() {
            break;
        }
    }
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
        let calls: Vec<_> = level.iter().map(|path| children(&client, path)).collect();
        let found: Vec<_> = stream::iter(calls)
            .buffered(PARENTS_AT_ONCE)
            .try_collect()
            .await?;
        let mut next = Vec::new();
        for (path, (units, listed)) in level.iter().zip(found) {
            accounts.extend(listed);
            for unit in units {
                // An OU listed under itself, or under two parents, would
                // make the walk endless.
                if !visited.insert(unit.id.clone()) {
                    return Err(endless(format!(
                        "ListOrganizationalUnitsForParent gave OU {:?} a second time (under {:?})",
                        unit.id,
                        path.iter()
                            .map(|p| p.id.as_str())
                            .collect::<Vec<_>>()
                            .join("/")
                    )));
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
