//! The accounts of an organization as the Organizations API lists them, for
//! a run across every account (`xacct run --org`).

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
