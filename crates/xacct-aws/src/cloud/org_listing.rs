//! The accounts of an organization as the Organizations API lists them, for
//! a run across every account (`xacct run --org`), and how far a listing
//! may go.

use super::error::{CloudError, ErrorClass, Operation};

/// A root or an OU on an account's way down from the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgParent {
    /// `r-...` or `ou-...`.
    pub id: String,
    /// `Root`, or the OU's name.
    pub name: String,
}

/// Whether an account can be used (`Account.Status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountStatus {
    /// `ACTIVE`.
    Active,
    /// `SUSPENDED`, `PENDING_CLOSURE` or any other state: no role of it can
    /// be assumed, so a run does not try.
    Inactive(String),
}

impl AccountStatus {
    /// The status Organizations names `status` (`ACTIVE`, `SUSPENDED`, ...).
    pub fn of(status: &str) -> Self {
        if status == "ACTIVE" {
            Self::Active
        } else {
            Self::Inactive(status.to_owned())
        }
    }
}

/// One account of the organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAccount {
    /// The 12-digit account id.
    pub id: String,
    /// The account's name.
    pub name: String,
    /// Its state.
    pub status: AccountStatus,
    /// The root and the OUs above it, from the root down.
    pub parents: Vec<OrgParent>,
}

impl OrgAccount {
    /// `Root/Production/EU`: the names from the root down.
    pub fn name_path(&self) -> String {
        self.parents
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// How far an organization's listing may go before it is taken as
/// endless (an endpoint that pages forever, or lists without end): past
/// either cap the listing ends with an error naming it, and `run --org`
/// flags raise them for an organization that really is that large.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListingCaps {
    /// Most pages one listing (one parent's OUs, or its accounts) may take.
    pub pages: usize,
    /// Most accounts the whole organization may list.
    pub accounts: usize,
}

impl Default for ListingCaps {
    /// 10,000 pages of a listing and 10,000 accounts: far beyond the
    /// organizations AWS sees (its default quota is 10 accounts; larger
    /// ones are granted on request).
    fn default() -> Self {
        Self {
            pages: 10_000,
            accounts: 10_000,
        }
    }
}

/// OUs nest at most five levels below the root (AWS Organizations quotas,
/// "OU maximum nesting in a root"): a tree deeper than that is not one
/// AWS would list.
pub const MAX_OU_DEPTH: usize = 5;

impl ListingCaps {
    /// The error that ends a listing of `operation` that would never end
    /// (exit 5).
    pub fn endless(operation: Operation, what: &str) -> CloudError {
        CloudError::local(
            operation,
            ErrorClass::Unavailable,
            format!(
                "{what}: the listing was stopped, since it would never end; the endpoint does not page as AWS Organizations does (check --endpoint-url)"
            ),
        )
    }

    /// An error once `listed` accounts are past the account cap.
    pub fn check_accounts(&self, listed: usize) -> Result<(), CloudError> {
        if listed <= self.accounts {
            return Ok(());
        }
        Err(CloudError::local(
            Operation::ListOrganization,
            ErrorClass::Unavailable,
            format!(
                "the organization listed more than {} accounts: the listing was stopped; if it really has that many, raise --max-accounts",
                self.accounts
            ),
        ))
    }

    /// An error once one listing has taken `pages` pages, past the cap.
    pub fn check_pages(
        &self,
        operation: Operation,
        pages: usize,
        listing: &str,
    ) -> Result<(), CloudError> {
        if pages <= self.pages {
            return Ok(());
        }
        Err(Self::endless(
            operation,
            &format!(
                "{listing} went past {} pages (if the organization really is that large, raise --max-pages)",
                self.pages
            ),
        ))
    }
}

/// Every account of an organization, in the order listed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrgListing {
    /// `o-...`.
    pub organization_id: String,
    /// The management account's id.
    pub management: String,
    /// The accounts.
    pub accounts: Vec<OrgAccount>,
}
