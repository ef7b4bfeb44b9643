//! The simulated IAM read API: a caller reads its own account's users,
//! roles, MFA devices, OIDC providers and alias when its policies allow the
//! `iam:` action, as `xacct import` does against a live account.
//!
//! AWS's rules (IAM User Guide, `id_credentials_temp_request.md`, note on
//! which APIs temporary credentials may call): GetFederationToken sessions
//! cannot call IAM at all, GetSessionToken sessions only when MFA was used;
//! the root user may do anything in its own account. Refusals word the
//! resource as IAM does (observed: `... is not authorized to perform:
//! iam:GetRole on resource: role NAME because no identity-based policy
//! allows the iam:GetRole action`).

use super::answer::{Outcome, Why};
use super::aws_error::AwsError;
use super::decide::decide;
use super::identity::Identity;
use super::model::{Account, Role};
use super::session::SessionKind;
use super::world::{Principal, World};
use xacct_iam::Decision;

/// What an IAM read call names, for its permission check and its refusal.
#[derive(Debug, Clone, Copy)]
pub(crate) enum IamTarget<'a> {
    /// The account as a whole (`*`): GetAccountAuthorizationDetails,
    /// ListOpenIDConnectProviders, ListAccountAliases.
    Account,
    /// All roles (ListRoles).
    Roles,
    /// One role by name (GetRole).
    Role(&'a str),
    /// One user by name (ListMFADevices).
    User(&'a str),
}

impl World {
    /// Whether `who` may call `action` (`iam:ListRoles`, ...) on `target`
    /// in its own account, and why.
    fn iam_permitted(
        &self,
        identity: &Identity,
        action: &str,
        target: IamTarget<'_>,
    ) -> (Result<(), AwsError>, Why) {
        let account = identity.account();
        let caller = identity.caller(self.model()).arn();
        let (resource, worded) = match target {
            IamTarget::Account => ("*".to_owned(), "*".to_owned()),
            IamTarget::Roles => (
                format!("arn:aws:iam::{account}:role/*"),
                format!("arn:aws:iam::{account}:role/"),
            ),
            IamTarget::Role(name) => (
                self.model()
                    .role(account, name)
                    .map_or_else(|| format!("arn:aws:iam::{account}:role/{name}"), Role::arn),
                format!("role {name}"),
            ),
            IamTarget::User(name) => (
                self.model().user(account, name).map_or_else(
                    || format!("arn:aws:iam::{account}:user/{name}"),
                    super::model::User::arn,
                ),
                format!("user {name}"),
            ),
        };
        let refusal = |because: &str, why: Why| {
            (
                Err(AwsError::not_authorized(
                    &caller,
                    action,
                    &format!("{worded} {because}"),
                )),
                why,
            )
        };
        // The root user goes through the engine too: it needs no identity
        // policy in its own account, but a member account's SCPs bind it.
        match identity {
            Identity::Token { .. } => {
                return refusal(
                    "because no identity-based policy allows the action",
                    Why::rule("a web identity token is not an IAM caller"),
                );
            }
            Identity::Session {
                kind: SessionKind::Federated { .. },
                ..
            } => {
                return refusal(
                    &format!("because no identity-based policy allows the {action} action"),
                    Why::rule("GetFederationToken credentials cannot call IAM"),
                );
            }
            Identity::Session {
                kind: SessionKind::SessionToken { mfa: false, .. },
                ..
            } => {
                return refusal(
                    &format!("because no identity-based policy allows the {action} action"),
                    Why::rule(
                        "GetSessionToken credentials cannot call IAM unless MFA was used to get them",
                    ),
                );
            }
            _ => {}
        }
        let decided = decide(self, identity, action, &resource, None, &[]);
        if decided.allowed {
            return (Ok(()), decided.why);
        }
        let because = match decided.why.decision {
            Some(Decision::ExplicitDeny) => {
                "with an explicit deny in an identity-based policy".to_owned()
            }
            _ => format!("because no identity-based policy allows the {action} action"),
        };
        refusal(&because, decided.why)
    }

    /// An IAM read call on the caller's own account: the account to answer
    /// from, once `action` is allowed on `target`.
    pub(crate) fn iam_read(
        &self,
        who: &Principal,
        action: &str,
        target: IamTarget<'_>,
    ) -> Outcome<&Account> {
        let identity = &who.identity;
        let (result, why) = match self.iam_permitted(identity, action, target) {
            (Err(error), why) => (Err(error), why),
            (Ok(()), why) => match self.model().accounts.get(identity.account()) {
                None => (
                    Err(AwsError::new(
                        "AccessDenied",
                        403,
                        format!("The account {} is not in this world", identity.account()),
                    )),
                    Why::rule("the caller's account is not in the world"),
                ),
                Some(account) => match target {
                    IamTarget::Role(name) if !account.roles.contains_key(name) => (
                        Err(AwsError::no_such_entity(&format!(
                            "The role with name {name} cannot be found."
                        ))),
                        Why::rule(format!("account {} has no role `{name}`", account.id)),
                    ),
                    IamTarget::User(name) if !account.users.contains_key(name) => (
                        Err(AwsError::no_such_entity(&format!(
                            "The user with name {name} cannot be found."
                        ))),
                        Why::rule(format!("account {} has no user `{name}`", account.id)),
                    ),
                    _ => (Ok(account), why),
                },
            },
        };
        Outcome {
            result,
            caller: who.who().clone(),
            why: Some(why),
        }
    }
}
