//! `sts:AssumeRoleWithWebIdentity`: an unsigned call that trades an OIDC
//! token for a role session. AWS's order: the STS model's constraints; a
//! role ARN; the token's shape; the IAM OIDC provider for its `iss` in the role's account;
//! the audience among the provider's client ids; the signature by the
//! issuer's key; the expiry; then the trust policy, with the token's claims
//! as condition keys (`HOST:sub`, `HOST:aud`, ...), and the role's
//! MaxSessionDuration. The session is a role session like AssumeRole's.

use super::super::answer::{Outcome, Who, Why};
use super::super::aws_error::{AwsError, number_violation, text_violations};
use super::super::decide::{Decided, decide};
use super::super::identity::Identity;
use super::super::session_context;
use super::super::world::World;
use super::web_token_check::Verified;
use xacct_aws::cloud::params::{
    ASSUME_ROLE_DURATION, ROLE_ARN, ROLE_SESSION_NAME, WEB_IDENTITY_TOKEN,
};
use xacct_aws::cloud::{AssumeRoleRequest, AssumedRole, WebIdentityAnswer};
use xacct_aws::oidc::Jwt;
use xacct_aws::oidc::jwt::claim_text;
use xacct_iam::issuers;

const ACTION: &str = "sts:AssumeRoleWithWebIdentity";

/// The parameters against the STS model, in AWS's words.
fn violations(token: &str, request: &AssumeRoleRequest) -> Vec<String> {
    let mut out = text_violations(&ROLE_ARN, &request.role_arn);
    out.extend(text_violations(&ROLE_SESSION_NAME, &request.session_name));
    out.extend(text_violations(&WEB_IDENTITY_TOKEN, token));
    if let Some(v) = request
        .duration_seconds
        .and_then(|d| number_violation(&ASSUME_ROLE_DURATION, d.into()))
    {
        out.push(v);
    }
    out
}

/// The account a role ARN names (`arn:PARTITION:iam::ACCOUNT:role/...`).
fn role_account(arn: &str) -> Option<String> {
    let arn: xacct_iam::Arn = arn.parse().ok()?;
    (arn.service == "iam" && arn.resource.starts_with("role/")).then_some(arn.account)
}

impl World {
    /// `sts:AssumeRoleWithWebIdentity` with `token`.
    pub(crate) fn assume_role_with_web_identity(
        &self,
        token: &str,
        request: &AssumeRoleRequest,
    ) -> Outcome<AssumedRole> {
        let mut caller = Who {
            name: "an unverified web identity token".to_owned(),
            account: None,
        };
        let mut why = None;
        let result = self.web_identity_decided(token, request, &mut caller, &mut why);
        Outcome {
            result,
            caller,
            why,
        }
    }

    fn web_identity_decided(
        &self,
        token: &str,
        request: &AssumeRoleRequest,
        caller: &mut Who,
        why: &mut Option<Why>,
    ) -> Result<AssumedRole, AwsError> {
        let violations = violations(token, request);
        if !violations.is_empty() {
            *why = Some(Why::rule(
                "the parameters break the STS model's constraints",
            ));
            return Err(AwsError::validation(&violations));
        }
        let Some(account) = role_account(&request.role_arn) else {
            *why = Some(Why::rule(format!(
                "`{}` is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)",
                request.role_arn
            )));
            // Observed AWS answer, quoted in the AWS knowledge center's IRSA
            // troubleshooting page.
            return Err(AwsError::new(
                "ValidationError",
                400,
                "Request ARN is invalid",
            ));
        };
        let Verified {
            jwt,
            issuer,
            built_in,
            audience,
        } = self.verify_token(token, &account, why)?;
        let identity = Identity::Token {
            account: account.clone(),
            issuer: issuer.clone(),
        };
        let subject = jwt.claim_text("sub").unwrap_or_default();
        *caller = Who {
            name: format!(
                "{} (sub {subject})",
                provider_name(&account, &issuer, built_in)
            ),
            account: Some(account.clone()),
        };
        // AssumeRoleWithWebIdentity takes no Tags and no SourceIdentity:
        // both come from the token only (STS API reference; IAM User Guide).
        let mut tagged = request.clone();
        (tagged.tags, tagged.transitive_tag_keys) = token_tags(&jwt.claims);
        tagged.source_identity = jwt.claim_text("https://aws.amazon.com/source_identity");
        let limits = session_context::violations(&tagged);
        if !limits.is_empty() {
            *why = Some(Why::rule(
                "the token's session tags or source identity, or the PolicyArns, break the STS model's constraints",
            ));
            return Err(AwsError::validation(&limits));
        }
        let planned = session_context::plan(&tagged, None).inspect_err(|_| {
            *why = Some(Why::rule(
                "the token's session tags break AWS's rules for passing them (see the message)",
            ));
        })?;
        let role = self.model().role_by_arn(&request.role_arn);
        let mut owned = claim_context(&jwt, &issuer, &audience, request);
        owned.extend(planned.request_keys.iter().cloned());
        // The role's tags, as for AssumeRole: the request's resource tags.
        owned.extend(
            role.map(super::super::model::Role::resource_tag_keys)
                .unwrap_or_default(),
        );
        let context: Vec<(&str, String)> =
            owned.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        let decided = match role {
            Some(role) => decide(
                self,
                &identity,
                ACTION,
                &request.role_arn,
                Some(role.into()),
                &context,
            ),
            None => Decided {
                allowed: false,
                why: Why::rule(format!(
                    "no role {} exists; AWS answers exactly as for a role whose trust policy does not allow the token",
                    request.role_arn
                )),
                context: xacct_iam::Context::new(),
            },
        };
        *why = Some(decided.why);
        let Some(role) = role.filter(|_| decided.allowed) else {
            return Err(AwsError::web_identity_not_authorized());
        };
        self.permissions_only(&identity, &caller.name, role, &planned, &context, why)
            .map_err(|_| AwsError::web_identity_not_authorized())?;
        let mut assumed =
            self.open_role_session(role, request, (false, false), planned.context, why)?;
        assumed.web_identity = Some(WebIdentityAnswer {
            subject,
            // Observed AWS answers name the provider by its ARN (EKS IRSA
            // and OpenShift outputs of assume-role-with-web-identity); the
            // API reference says only "the value of the iss field".
            provider: provider_name(&account, &issuer, built_in),
            audience,
        });
        Ok(assumed)
    }
}
/// The provider as AWS names it in the answer: an IAM OIDC provider by its
/// ARN, a provider built into AWS by its name (as CloudTrail and the
/// answers for Google and Cognito tokens show it).
fn provider_name(account: &str, issuer: &str, built_in: bool) -> String {
    if built_in {
        issuer.to_owned()
    } else {
        format!("arn:aws:iam::{account}:oidc-provider/{issuer}")
    }
}

/// The request's condition keys: `sts:RoleSessionName` and the token's
/// claims as AWS fills them ([`xacct_iam::issuers::claim_keys`]).
fn claim_context(
    jwt: &Jwt,
    issuer: &str,
    audience: &str,
    request: &AssumeRoleRequest,
) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for (name, value) in &jwt.claims {
        match value {
            serde_json::Value::Array(list) => pairs.extend(
                list.iter()
                    .filter_map(|v| v.as_str())
                    .map(|v| (name.clone(), v.to_owned())),
            ),
            _ => pairs.extend(claim_text(&jwt.claims, name).map(|v| (name.clone(), v))),
        }
    }
    let mut out = vec![(
        "sts:RoleSessionName".to_owned(),
        request.session_name.clone(),
    )];
    out.extend(issuers::claim_keys(issuer, &pairs, Some(audience)));
    out
}

/// Session tags a token carries in its `https://aws.amazon.com/tags` claim
/// (`principal_tags`: key to a one-value list; `transitive_tag_keys`), as
/// the IAM User Guide's "Passing session tags using AssumeRoleWithWebIdentity"
/// shows it.
fn token_tags(claims: &xacct_aws::oidc::Claims) -> (Vec<xacct_aws::cloud::Tag>, Vec<String>) {
    let Some(tags) = claims.get("https://aws.amazon.com/tags") else {
        return (Vec::new(), Vec::new());
    };
    let principal = tags
        .get("principal_tags")
        .and_then(serde_json::Value::as_object)
        .map(|map| {
            map.iter()
                .map(|(k, v)| {
                    let value = match v {
                        serde_json::Value::Array(list) => list
                            .first()
                            .and_then(serde_json::Value::as_str)
                            .unwrap_or_default(),
                        other => other.as_str().unwrap_or_default(),
                    };
                    xacct_aws::cloud::Tag::new(k, value)
                })
                .collect()
        })
        .unwrap_or_default();
    let transitive = tags
        .get("transitive_tag_keys")
        .and_then(serde_json::Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    (principal, transitive)
}
