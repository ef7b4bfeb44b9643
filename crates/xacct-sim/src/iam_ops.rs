//! The simulated IAM read API as typed operations: what each call asks,
//! what it answers, and how IAM pages it (`MaxItems` 1 to 1000, default
//! 100; an opaque `Marker`), decided by [`World::iam_read`] (who may read)
//! and answered from the model as [`super::iam_views`] describe it.

use super::answer::Outcome;
use super::aws_error::{AwsError, missing};
use super::iam_read::IamTarget;
use super::iam_views::{MfaDeviceView, OidcProviderView, PolicyView, RoleView, UserView, policies};
use super::model::Account;
use super::paging::{Page, Paging};
use super::world::{Principal, World};

/// `MaxItems` and `Marker`, as given.
#[derive(Debug, Clone, Default)]
pub struct IamPaging {
    /// `MaxItems`.
    pub max_items: Option<String>,
    /// `Marker`.
    pub marker: Option<String>,
}

/// An IAM read call and its input.
#[derive(Debug, Clone)]
pub enum IamRequest {
    /// `iam:GetAccountAuthorizationDetails` with its `Filter` values.
    GetAccountAuthorizationDetails {
        /// `Filter.member.N`.
        filter: Vec<String>,
        /// The page.
        paging: IamPaging,
    },
    /// `iam:GetRole`.
    GetRole {
        /// `RoleName`.
        name: String,
    },
    /// `iam:ListRoles`.
    ListRoles {
        /// `PathPrefix` (default `/`).
        path_prefix: Option<String>,
        /// The page.
        paging: IamPaging,
    },
    /// `iam:ListMFADevices` (of the caller's own user without `UserName`).
    ListMfaDevices {
        /// `UserName`.
        user: Option<String>,
        /// The page.
        paging: IamPaging,
    },
    /// `iam:ListOpenIDConnectProviders`.
    ListOpenIdConnectProviders,
    /// `iam:GetOpenIDConnectProvider`.
    GetOpenIdConnectProvider {
        /// `OpenIDConnectProviderArn`.
        arn: String,
    },
    /// `iam:ListAccountAliases`.
    ListAccountAliases,
}

/// An IAM read call's output.
#[derive(Debug, Clone)]
pub enum IamResponse {
    /// GetAccountAuthorizationDetails's page: users, roles and policies
    /// (one listing, paged as a whole).
    AuthorizationDetails {
        /// `UserDetailList`.
        users: Vec<UserView>,
        /// `RoleDetailList`.
        roles: Vec<RoleView>,
        /// `Policies`.
        policies: Vec<PolicyView>,
        /// The next page's `Marker`.
        next: Option<String>,
    },
    /// GetRole's.
    Role(RoleView),
    /// ListRoles's.
    Roles(Page<RoleView>),
    /// ListMFADevices's.
    MfaDevices(Page<MfaDeviceView>),
    /// ListOpenIDConnectProviders's: the providers' ARNs.
    OidcProviders(Vec<String>),
    /// GetOpenIDConnectProvider's.
    OidcProvider(OidcProviderView),
    /// ListAccountAliases's.
    AccountAliases(Vec<String>),
}

/// The filters GetAccountAuthorizationDetails accepts.
const FILTERS: [&str; 5] = [
    "User",
    "Role",
    "Group",
    "LocalManagedPolicy",
    "AWSManagedPolicy",
];

impl IamRequest {
    /// The action's name as AWS writes it (`iam:GetRole`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::GetAccountAuthorizationDetails { .. } => "iam:GetAccountAuthorizationDetails",
            Self::GetRole { .. } => "iam:GetRole",
            Self::ListRoles { .. } => "iam:ListRoles",
            Self::ListMfaDevices { .. } => "iam:ListMFADevices",
            Self::ListOpenIdConnectProviders => "iam:ListOpenIDConnectProviders",
            Self::GetOpenIdConnectProvider { .. } => "iam:GetOpenIDConnectProvider",
            Self::ListAccountAliases => "iam:ListAccountAliases",
        }
    }

    /// What the call names, for its permission check.
    fn target<'a>(&'a self, who: &'a Principal) -> IamTarget<'a> {
        match self {
            Self::GetRole { name } => IamTarget::Role(name),
            Self::ListRoles { .. } => IamTarget::Roles,
            Self::ListMfaDevices { user, .. } => match user.as_deref().or(who.user_name()) {
                Some(name) => IamTarget::User(name),
                None => IamTarget::Account,
            },
            _ => IamTarget::Account,
        }
    }
}

impl IamPaging {
    /// The page asked for, or IAM's error for a `MaxItems` out of range
    /// or a `Marker` this world did not hand out.
    fn paging(&self) -> Result<Paging, AwsError> {
        let max = match &self.max_items {
            None => 100,
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=1000).contains(&n) => n,
                _ => {
                    return Err(AwsError::validation(&[format!(
                        "Value '{v}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000"
                    )]));
                }
            },
        };
        Paging::from_token(self.marker.as_deref(), max)
            .ok_or_else(|| AwsError::new("InvalidInput", 400, "Invalid Marker."))
    }
}

/// One entry of GetAccountAuthorizationDetails's listing.
enum Entry {
    User(UserView),
    Role(RoleView),
    Policy(PolicyView),
}

impl World {
    /// Answers an IAM read call on the caller's own account.
    pub(crate) fn iam(&self, who: &Principal, request: &IamRequest) -> Outcome<IamResponse> {
        let read = self.iam_read(who, request.name(), request.target(who));
        let Outcome {
            result,
            caller,
            why,
        } = read;
        Outcome {
            result: result.and_then(|account| answer(account, request, who)),
            caller,
            why,
        }
    }
}

/// The output of an allowed call.
fn answer(
    account: &Account,
    request: &IamRequest,
    who: &Principal,
) -> Result<IamResponse, AwsError> {
    Ok(match request {
        IamRequest::GetAccountAuthorizationDetails { filter, paging } => {
            authorization_details(account, filter, paging)?
        }
        IamRequest::GetRole { name } => {
            let role = account.roles.get(name).ok_or_else(|| missing("roleName"))?;
            IamResponse::Role(RoleView::of(role))
        }
        IamRequest::ListRoles {
            path_prefix,
            paging,
        } => {
            let prefix = path_prefix.as_deref().unwrap_or("/");
            let roles = account
                .roles
                .values()
                .filter(|r| r.path.starts_with(prefix))
                .map(RoleView::of)
                .collect();
            IamResponse::Roles(Page::of(roles, paging.paging()?))
        }
        IamRequest::ListMfaDevices { user, paging } => {
            let devices = user
                .as_deref()
                .or(who.user_name())
                .and_then(|n| account.users.get(n))
                .and_then(MfaDeviceView::of)
                .into_iter()
                .collect();
            IamResponse::MfaDevices(Page::of(devices, paging.paging()?))
        }
        IamRequest::ListOpenIdConnectProviders => IamResponse::OidcProviders(
            account
                .oidc_providers
                .keys()
                .map(|issuer| format!("arn:aws:iam::{}:oidc-provider/{issuer}", account.id))
                .collect(),
        ),
        IamRequest::GetOpenIdConnectProvider { arn } => {
            let prefix = format!("arn:aws:iam::{}:oidc-provider/", account.id);
            let provider = arn
                .strip_prefix(&prefix)
                .and_then(|issuer| account.oidc_providers.get(issuer))
                .ok_or_else(|| {
                    AwsError::no_such_entity(&format!(
                        "OpenIDConnect Provider not found for arn {arn}"
                    ))
                })?;
            IamResponse::OidcProvider(OidcProviderView::of(provider))
        }
        IamRequest::ListAccountAliases => {
            IamResponse::AccountAliases(account.alias.iter().cloned().collect())
        }
    })
}

fn authorization_details(
    account: &Account,
    filter: &[String],
    paging: &IamPaging,
) -> Result<IamResponse, AwsError> {
    if let Some(f) = filter.iter().find(|f| !FILTERS.contains(&f.as_str())) {
        return Err(AwsError::validation(&[format!(
            "Value '[{f}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]]"
        )]));
    }
    let wanted = |f: &str| filter.is_empty() || filter.iter().any(|g| g == f);
    let mut entries: Vec<Entry> = Vec::new();
    if wanted("User") {
        entries.extend(account.users.values().map(|u| Entry::User(UserView::of(u))));
    }
    if wanted("Role") {
        entries.extend(account.roles.values().map(|r| Entry::Role(RoleView::of(r))));
    }
    entries.extend(
        policies(
            account,
            wanted("LocalManagedPolicy"),
            wanted("AWSManagedPolicy"),
        )
        .into_iter()
        .map(Entry::Policy),
    );
    let page = Page::of(entries, paging.paging()?);
    let (mut users, mut roles, mut policies) = (Vec::new(), Vec::new(), Vec::new());
    for entry in page.items {
        match entry {
            Entry::User(u) => users.push(u),
            Entry::Role(r) => roles.push(r),
            Entry::Policy(p) => policies.push(p),
        }
    }
    Ok(IamResponse::AuthorizationDetails {
        users,
        roles,
        policies,
        next: page.next,
    })
}
