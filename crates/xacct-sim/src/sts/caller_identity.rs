//! `sts:GetCallerIdentity`: who the credentials belong to, always allowed.

use super::super::answer::{Outcome, Why};
use super::super::world::{Principal, World};
use xacct_aws::cloud::CallerIdentity;
use xacct_iam::caller_rule;

impl World {
    /// `sts:GetCallerIdentity`: no permission needed, and an explicit deny
    /// cannot block it.
    pub(crate) fn get_caller_identity(&self, who: &Principal) -> Outcome<CallerIdentity> {
        let caller = who.identity.caller(self.model());
        let reason =
            caller_rule(&caller, "sts:GetCallerIdentity").map_or("allowed", |rule| rule.sentence);
        Outcome {
            result: Ok(CallerIdentity {
                account: who.identity.account().to_owned(),
                arn: caller.arn(),
                user_id: who.identity.user_id(self.model()),
            }),
            caller: who.who().clone(),
            why: Some({
                let mut why = Why::rule(reason);
                // GetCallerIdentity's answer has no room for the session
                // context; the explanation shows it.
                let tags = who.identity.principal_tags(self.model());
                if !tags.is_empty() {
                    let tags: Vec<String> = tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    why.note(format!("principal tags: {}", tags.join(", ")));
                }
                if let Some(line) = who
                    .identity
                    .session_context()
                    .and_then(super::super::session_context::SessionContext::describe)
                {
                    why.note(format!("the session carries {line}"));
                }
                why
            }),
        }
    }
}
