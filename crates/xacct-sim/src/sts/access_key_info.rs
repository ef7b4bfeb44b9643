//! `sts:GetAccessKeyInfo`: the account that owns an access key id. A
//! long-term key of the world is answered from the world's records; any
//! other key from the account AWS encodes in newer key ids (the world's
//! session keys carry theirs), as [`xacct_aws::key_id`] reads it.

use super::super::answer::{Outcome, Why};
use super::super::aws_error::{AwsError, text_violations};
use super::super::decide::decide;
use super::super::model::KeyOwner;
use super::super::world::{Principal, World};
use xacct_aws::cloud::params::TextParam;
use xacct_aws::key_id::{KeyAccount, account_of};

/// `AccessKeyId` (the model's `accessKeyIdType`: 16 to 128 word characters).
const ACCESS_KEY_ID: TextParam = TextParam::word(
    ("accessKeyId", "KEY-ID"),
    (16, 128),
    "pass an access key id (AKIA... or ASIA...)",
);

impl World {
    /// `sts:GetAccessKeyInfo`, decided like any action on `*` (an identity
    /// policy must allow `sts:GetAccessKeyInfo`).
    pub(crate) fn get_access_key_info(&self, who: &Principal, key_id: &str) -> Outcome<String> {
        let mut why = None;
        let result = self.access_key_account(who, key_id, &mut why);
        Outcome {
            result,
            caller: who.who().clone(),
            why,
        }
    }

    fn access_key_account(
        &self,
        who: &Principal,
        key_id: &str,
        why: &mut Option<Why>,
    ) -> Result<String, AwsError> {
        let violations = text_violations(&ACCESS_KEY_ID, key_id);
        if !violations.is_empty() {
            *why = Some(Why::rule("the key id breaks the STS model's constraints"));
            return Err(AwsError::validation(&violations));
        }
        let decided = decide(self, &who.identity, "sts:GetAccessKeyInfo", "*", None, &[]);
        *why = Some(decided.why);
        if !decided.allowed {
            return Err(AwsError::not_authorized(
                &who.who().name,
                "sts:GetAccessKeyInfo",
                "*",
            ));
        }
        let owner = match self.model().keys.get(key_id) {
            Some(KeyOwner::User(account, name)) => Some((account.clone(), format!("user {name}"))),
            Some(KeyOwner::Root(account)) => Some((account.clone(), "the root user".to_owned())),
            None => None,
        };
        if let Some((account, whose)) = owner {
            if let Some(why) = why.as_mut() {
                why.note(format!(
                    "{key_id} is the long-term key of {whose} of {account}"
                ));
            }
            return Ok(account);
        }
        match account_of(key_id) {
            Ok(KeyAccount::Account(account)) => {
                if let Some(why) = why.as_mut() {
                    why.note(format!(
                        "{key_id} carries account {account} in its encoding (no record is consulted)"
                    ));
                }
                Ok(account)
            }
            Ok(KeyAccount::PredatesEncoding) | Err(_) => {
                if let Some(why) = why.as_mut() {
                    why.note(format!(
                        "{key_id} is no key of the world and carries no account in its encoding"
                    ));
                }
                Err(AwsError::new(
                    "InvalidParameterValue",
                    400,
                    "The access key ID provided does not exist in our records.",
                ))
            }
        }
    }
}
