//! The simulated Organizations read API: who may read the organization.
//! AWS Organizations answers these calls in the management account (or a
//! delegated administrator) when the caller's policies allow
//! the `organizations:` action; a member account gets
//! `AccessDeniedException`, an account outside any organization
//! `AWSOrganizationsNotInUseException` (Organizations API Reference, common
//! errors of each operation).

use super::answer::{Outcome, Why};
use super::aws_error::AwsError;
use super::decide::decide;
use super::identity::Identity;
use super::organization::Organization;
use super::session::SessionKind;
use super::world::{Principal, World};
use xacct_aws::cloud::{AccountStatus, OrgAccount, OrgListing, OrgParent};

impl World {
    /// An Organizations read call (`organizations:ListAccounts`, ...): the
    /// organization, once `who` may read it.
    pub(crate) fn organization_read(
        &self,
        who: &Principal,
        action: &str,
    ) -> Outcome<&Organization> {
        let identity = &who.identity;
        let account = identity.account();
        let refuse = |error: AwsError, why: Why| Outcome::refused(who.who().clone(), error, why);
        let Some(org) = self
            .model()
            .organization
            .as_ref()
            .filter(|o| o.paths.contains_key(account))
        else {
            return refuse(
                AwsError::new(
                    "AWSOrganizationsNotInUseException",
                    400,
                    "Your account is not a member of an organization.",
                ),
                Why::rule(format!(
                    "account {account} belongs to no organization in the world"
                )),
            );
        };
        let denied = || {
            AwsError::new(
                "AccessDeniedException",
                400,
                "You don't have permissions to access this resource.",
            )
        };
        // Any member may describe its organization; the rest is the
        // management account's and its delegated administrators'
        // (Organizations API Reference, DescribeOrganization and the
        // "can be called only from the organization's management account or
        // by a member account that is a delegated administrator" of the
        // List operations).
        if account != org.management
            && !org.delegated.contains(account)
            && action != "organizations:DescribeOrganization"
        {
            return refuse(
                denied(),
                Why::rule(format!(
                    "only the management account {} and delegated administrators read the organization; {account} is a member",
                    org.management
                )),
            );
        }
        let why = match identity {
            Identity::Root { .. }
            | Identity::Session {
                kind: SessionKind::SessionToken { user: None, .. },
                ..
            } => Why::rule("the root user has full access within its own account"),
            Identity::Session {
                kind: SessionKind::Federated { .. },
                ..
            }
            | Identity::Token { .. } => {
                return refuse(
                    denied(),
                    Why::rule("these credentials cannot call AWS Organizations"),
                );
            }
            _ => {
                let decided = decide(self, identity, action, "*", None, &[]);
                if !decided.allowed {
                    return refuse(denied(), decided.why);
                }
                decided.why
            }
        };
        Outcome {
            result: Ok(org),
            caller: who.who().clone(),
            why: Some(why),
        }
    }
}

impl World {
    /// The tree walk a run across the organization makes through the
    /// endpoint (DescribeOrganization, ListRoots, then the OUs and accounts
    /// of each parent), each call allowed or refused as there, as one
    /// answer: every member with its name, status and parents.
    pub(crate) fn org_listing(&self, who: &Principal) -> Outcome<OrgListing> {
        // The calls the walk makes through the endpoint, each allowed or
        // refused as there; the first refusal answers.
        let mut answer = self.organization_read(who, "organizations:DescribeOrganization");
        for action in [
            "organizations:ListRoots",
            "organizations:ListOrganizationalUnitsForParent",
            "organizations:ListAccountsForParent",
        ] {
            if answer.result.is_err() {
                break;
            }
            answer = self.organization_read(who, action);
        }
        let result = answer.result.map(|org| OrgListing {
            organization_id: org.id.clone(),
            management: org.management.clone(),
            accounts: org
                .paths
                .iter()
                .map(|(id, path)| OrgAccount {
                    id: id.clone(),
                    name: self.account_alias(id).unwrap_or(id).to_owned(),
                    status: AccountStatus::of(org.status(id)),
                    parents: path[..path.len().saturating_sub(1)]
                        .iter()
                        .map(|node| OrgParent {
                            id: node.id.clone(),
                            name: node.name.clone(),
                        })
                        .collect(),
                })
                .collect(),
        });
        Outcome {
            result,
            caller: answer.caller,
            why: answer.why,
        }
    }
}
