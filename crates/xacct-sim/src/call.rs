//! The world's one front door: [`World::call`] takes an authenticated
//! caller and a typed [`Request`], answers a scripted fault first when one
//! is armed for that operation, and otherwise runs the operation. Every
//! face goes through here, so faults apply in one place and one order.

use super::answer::{Answer, Who, Why};
use super::operation::{Request, Response, WebIdentityRequest};
use super::world::{Principal, World};

/// Why a scripted fault answered.
const FAULT: &str = "a fault scripted in the scenario";

impl World {
    /// Answers `request` from `who`: a scripted fault when one is armed for
    /// the operation, else the operation itself, with its caller and why.
    pub fn call(&self, who: &Principal, request: Request) -> Answer<Response> {
        if let Some(error) = self.fault(request.name()) {
            return Answer::refused(who.who().clone(), error, Why::rule(FAULT));
        }
        match request {
            Request::GetCallerIdentity => {
                self.get_caller_identity(who).map(Response::CallerIdentity)
            }
            Request::AssumeRole(input) => self.assume_role(who, &input).map(Response::AssumedRole),
            Request::GetSessionToken {
                duration_seconds,
                mfa,
            } => self
                .get_session_token(who, duration_seconds, mfa.as_ref())
                .map(Response::SessionToken),
            Request::GetFederationToken(input) => self
                .get_federation_token_tagged(
                    who,
                    &input.name,
                    (input.policy.as_deref(), input.duration_seconds),
                    (&input.tags, &input.policy_arns),
                )
                .map(Response::FederationToken),
            Request::GetAccessKeyInfo { access_key_id } => self
                .get_access_key_info(who, &access_key_id)
                .map(Response::AccessKeyInfo),
            Request::ListBuckets => self.list_buckets(who).map(Response::Buckets),
            Request::ListObjects { bucket } => {
                self.list_objects(who, &bucket).map(Response::Objects)
            }
            Request::ListOrganization => self.org_listing(who).map(Response::Organization),
            Request::Iam(input) => self.iam(who, &input).map(Response::Iam),
            Request::Organizations(input) => {
                self.organization(who, &input).map(Response::Organizations)
            }
        }
    }

    /// Answers the one unsigned operation, `sts:AssumeRoleWithWebIdentity`
    /// (the token is the credential), faults first as [`World::call`] does.
    pub fn call_unsigned(&self, input: &WebIdentityRequest) -> Answer<Response> {
        if let Some(error) = self.fault("sts:AssumeRoleWithWebIdentity") {
            let caller = Who {
                name: "an unverified web identity token".to_owned(),
                account: None,
            };
            return Answer::refused(caller, error, Why::rule(FAULT));
        }
        self.assume_role_with_web_identity(input.token.expose(), &input.request)
            .map(Response::AssumedRole)
    }
}
