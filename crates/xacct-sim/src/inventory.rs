//! What a world holds, as views: the accounts with their users, roles,
//! buckets, managed policies and OIDC providers, and the organization. A
//! teaching demo shows it and a test of an import checks it, without the
//! model, which stays inside the simulator.

use super::iam_views::{MfaDeviceView, OidcProviderView, RoleView, UserView};
use super::model::Account;
use super::org_views::OrgDescription;
use super::world::World;

/// Every account of a world, and its organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inventory {
    /// The accounts, by id.
    pub accounts: Vec<AccountView>,
    /// The organization, when the world has one.
    pub organization: Option<OrganizationView>,
}

/// One account as IAM and S3 would describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    /// The account id.
    pub id: String,
    /// Its alias, when it has one.
    pub alias: Option<String>,
    /// Its users, by name.
    pub users: Vec<UserView>,
    /// Its roles, by name.
    pub roles: Vec<RoleView>,
    /// Its buckets' names, as written.
    pub buckets: Vec<String>,
    /// The names of its customer managed policies.
    pub managed_policies: Vec<String>,
    /// Its OIDC providers, by issuer.
    pub oidc_providers: Vec<OidcProviderView>,
    /// Its users' MFA devices.
    pub mfa_devices: Vec<MfaDeviceView>,
}

/// An organization and the accounts placed in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationView {
    /// As DescribeOrganization gives it.
    pub description: OrgDescription,
    /// The ids of the accounts placed in its tree.
    pub accounts: Vec<String>,
}

impl Inventory {
    /// The account `id`.
    pub fn account(&self, id: &str) -> Option<&AccountView> {
        self.accounts.iter().find(|a| a.id == id)
    }
}

impl AccountView {
    fn of(account: &Account) -> Self {
        Self {
            id: account.id.clone(),
            alias: account.alias.clone(),
            users: account.users.values().map(UserView::of).collect(),
            roles: account.roles.values().map(RoleView::of).collect(),
            buckets: account.buckets.iter().map(|b| b.name.clone()).collect(),
            managed_policies: account.managed_policies.keys().cloned().collect(),
            oidc_providers: account
                .oidc_providers
                .values()
                .map(OidcProviderView::of)
                .collect(),
            mfa_devices: account
                .users
                .values()
                .filter_map(MfaDeviceView::of)
                .collect(),
        }
    }

    /// The role `name`.
    pub fn role(&self, name: &str) -> Option<&RoleView> {
        self.roles.iter().find(|r| r.name == name)
    }

    /// The user `name`.
    pub fn user(&self, name: &str) -> Option<&UserView> {
        self.users.iter().find(|u| u.name == name)
    }
}

impl World {
    /// Everything the world holds, as views.
    pub fn inventory(&self) -> Inventory {
        let model = self.model();
        Inventory {
            accounts: model.accounts.values().map(AccountView::of).collect(),
            organization: model.organization.as_ref().map(|org| OrganizationView {
                description: OrgDescription::of(org),
                accounts: org.paths.keys().cloned().collect(),
            }),
        }
    }
}
