//! The simulated Organizations read API as typed operations: what each
//! call asks, what it answers, and how Organizations pages it
//! (`MaxResults` 1 to 20, default 20; an opaque `NextToken`), decided by
//! [`World::organization_read`] (who may read) and answered from the
//! organization as [`super::org_views`] describe it.

use super::answer::Outcome;
use super::aws_error::AwsError;
use super::org_tree::OrgPolicyType;
use super::org_views::{OrgAccountView, OrgDescription, OrgEntity, OrgParentView, OrgPolicyView};
use super::organization::Organization;
use super::paging::{Page, Paging};
use super::world::{Principal, World};
use xacct_iam::policy_to_json;

/// `MaxResults` and `NextToken`, as given.
#[derive(Debug, Clone, Default)]
pub struct OrgPaging {
    /// `MaxResults`; a value that is not a whole number is out of range.
    pub max_results: Option<u64>,
    /// `NextToken`.
    pub next_token: Option<String>,
}

/// An Organizations read call and its input (a required input the
/// request left out is `None`, refused as Organizations refuses it).
#[derive(Debug, Clone)]
pub enum OrgRequest {
    /// `organizations:DescribeOrganization`.
    DescribeOrganization,
    /// `organizations:ListRoots`.
    ListRoots(OrgPaging),
    /// `organizations:ListOrganizationalUnitsForParent` with `ParentId`.
    ListUnitsForParent(Option<String>, OrgPaging),
    /// `organizations:ListAccountsForParent` with `ParentId`.
    ListAccountsForParent(Option<String>, OrgPaging),
    /// `organizations:ListAccounts`.
    ListAccounts(OrgPaging),
    /// `organizations:ListParents` with `ChildId`.
    ListParents(Option<String>, OrgPaging),
    /// `organizations:ListPoliciesForTarget` with `TargetId` and `Filter`.
    ListPoliciesForTarget {
        /// `TargetId`.
        target: Option<String>,
        /// `Filter`.
        filter: Option<String>,
        /// The page.
        paging: OrgPaging,
    },
    /// `organizations:DescribePolicy` with `PolicyId`.
    DescribePolicy(Option<String>),
}

/// An Organizations read call's output.
#[derive(Debug, Clone)]
pub enum OrgResponse {
    /// DescribeOrganization's.
    Organization(OrgDescription),
    /// ListRoots's.
    Roots(Page<OrgEntity>),
    /// ListOrganizationalUnitsForParent's.
    Units(Page<OrgEntity>),
    /// ListAccounts's and ListAccountsForParent's.
    Accounts(Page<OrgAccountView>),
    /// ListParents's.
    Parents(Page<OrgParentView>),
    /// ListPoliciesForTarget's.
    Policies(Page<OrgPolicyView>),
    /// DescribePolicy's: the summary and the document as JSON.
    Policy(OrgPolicyView, String),
}

impl OrgRequest {
    /// The action's name as AWS writes it (`organizations:ListRoots`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::DescribeOrganization => "organizations:DescribeOrganization",
            Self::ListRoots(_) => "organizations:ListRoots",
            Self::ListUnitsForParent(..) => "organizations:ListOrganizationalUnitsForParent",
            Self::ListAccountsForParent(..) => "organizations:ListAccountsForParent",
            Self::ListAccounts(_) => "organizations:ListAccounts",
            Self::ListParents(..) => "organizations:ListParents",
            Self::ListPoliciesForTarget { .. } => "organizations:ListPoliciesForTarget",
            Self::DescribePolicy(_) => "organizations:DescribePolicy",
        }
    }
}

fn invalid(message: &str) -> AwsError {
    AwsError::new("InvalidInputException", 400, message)
}

fn required<'a>(value: Option<&'a String>, key: &str) -> Result<&'a str, AwsError> {
    value
        .map(String::as_str)
        .ok_or_else(|| invalid(&format!("You must specify a value for {key}.")))
}

impl OrgPaging {
    fn paging(&self) -> Result<Paging, AwsError> {
        let max = match self.max_results {
            None => 20,
            Some(n @ 1..=20) => usize::try_from(n).unwrap_or(20),
            Some(_) => return Err(invalid("MaxResults must be between 1 and 20.")),
        };
        Paging::from_token(self.next_token.as_deref(), max)
            .ok_or_else(|| invalid("The NextToken is not valid."))
    }
}

impl World {
    /// Answers an Organizations read call.
    pub(crate) fn organization(
        &self,
        who: &Principal,
        request: &OrgRequest,
    ) -> Outcome<OrgResponse> {
        let Outcome {
            result,
            caller,
            why,
        } = self.organization_read(who, request.name());
        Outcome {
            result: result.and_then(|org| self.org_answer(org, request)),
            caller,
            why,
        }
    }

    fn org_answer(
        &self,
        org: &Organization,
        request: &OrgRequest,
    ) -> Result<OrgResponse, AwsError> {
        let parent_missing = || {
            AwsError::new(
                "ParentNotFoundException",
                400,
                "We can't find a root or OU with the ParentId that you specified.",
            )
        };
        let account = |id: &str| OrgAccountView::of(org, id, self.account_alias(id));
        Ok(match request {
            OrgRequest::DescribeOrganization => OrgResponse::Organization(OrgDescription::of(org)),
            OrgRequest::ListRoots(paging) => {
                let roots = org
                    .root()
                    .map(|r| OrgEntity::root(org, r))
                    .into_iter()
                    .collect();
                OrgResponse::Roots(Page::of(roots, paging.paging()?))
            }
            OrgRequest::ListUnitsForParent(parent, paging) => {
                let parent = required(parent.as_ref(), "ParentId")?;
                org.unit(parent).ok_or_else(parent_missing)?;
                let units = org
                    .child_units(parent)
                    .into_iter()
                    .map(|n| OrgEntity::unit(org, n))
                    .collect();
                OrgResponse::Units(Page::of(units, paging.paging()?))
            }
            OrgRequest::ListAccountsForParent(parent, paging) => {
                let parent = required(parent.as_ref(), "ParentId")?;
                org.unit(parent).ok_or_else(parent_missing)?;
                let accounts = org
                    .child_accounts(parent)
                    .into_iter()
                    .map(account)
                    .collect();
                OrgResponse::Accounts(Page::of(accounts, paging.paging()?))
            }
            OrgRequest::ListAccounts(paging) => {
                let accounts = org.paths.keys().map(|a| account(a)).collect();
                OrgResponse::Accounts(Page::of(accounts, paging.paging()?))
            }
            OrgRequest::ListParents(child, paging) => {
                let child = required(child.as_ref(), "ChildId")?;
                let (parent, is_root) = org.parent_of(child).ok_or_else(|| {
                    AwsError::new(
                        "ChildNotFoundException",
                        400,
                        "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
                    )
                })?;
                let parent = OrgParentView {
                    id: parent.to_owned(),
                    kind: if is_root {
                        "ROOT"
                    } else {
                        "ORGANIZATIONAL_UNIT"
                    },
                };
                OrgResponse::Parents(Page::of(vec![parent], paging.paging()?))
            }
            OrgRequest::ListPoliciesForTarget {
                target,
                filter,
                paging,
            } => {
                let target = org.target(required(target.as_ref(), "TargetId")?).ok_or_else(|| {
                    AwsError::new(
                        "TargetNotFoundException",
                        400,
                        "We can't find a root, OU, account, or policy with the TargetId that you specified.",
                    )
                })?;
                let kind = OrgPolicyType::parse(required(filter.as_ref(), "Filter")?).ok_or_else(|| {
                    invalid("This endpoint lists SERVICE_CONTROL_POLICY and RESOURCE_CONTROL_POLICY policies.")
                })?;
                let policies = Organization::attached(target, kind)
                    .iter()
                    .map(|n| OrgPolicyView::of(org, n, kind))
                    .collect();
                OrgResponse::Policies(Page::of(policies, paging.paging()?))
            }
            OrgRequest::DescribePolicy(id) => {
                let id = required(id.as_ref(), "PolicyId")?;
                let (name, kind, policy) = org.policy_by_id(id).ok_or_else(|| {
                    AwsError::new(
                        "PolicyNotFoundException",
                        400,
                        "We can't find a policy with the PolicyId that you specified.",
                    )
                })?;
                OrgResponse::Policy(
                    OrgPolicyView::of(org, name, kind),
                    policy_to_json(policy).to_string(),
                )
            }
        })
    }
}
