//! The world's one front door: [`World::call`] takes an authenticated
//! caller and a typed [`Request`], sends a request for a bucket back to its
//! region when it was signed for another, answers a scripted fault first
//! when one is armed for that operation, and otherwise runs the operation.
//! Every face goes through here, so faults apply in one place and one
//! order.

use super::answer::{Answer, Outcome, Who, Why};
use super::data::bucket_ops::BucketAnswer;
use super::operation::{Request, Response, UnsignedRequest};
use super::world::{Principal, World};

/// Why a scripted fault answered.
const FAULT: &str = "a fault scripted in the scenario";

impl World {
    /// Answers `request` from `who`: a scripted fault when one is armed for
    /// the operation, else the operation itself, with its caller, why, and
    /// the request id drawn for it.
    pub fn call(&self, who: &Principal, request: Request) -> Answer<Response> {
        self.outcome(who, request).answer(self.request_id())
    }

    /// Answers an operation that takes no signature (a token, or the
    /// credentials in its parameters, is what it checks), faults first as
    /// [`World::call`] does.
    pub fn call_unsigned(&self, request: UnsignedRequest) -> Answer<Response> {
        self.unsigned_outcome(request).answer(self.request_id())
    }

    fn outcome(&self, who: &Principal, request: Request) -> Outcome<Response> {
        // A request S3 refuses before the operation: no fault stands for it.
        if let Request::ListBuckets(listing) = &request
            && let Err(error) = listing.max()
        {
            return Outcome::refused(
                who.who().clone(),
                error,
                Why::rule("max-buckets is out of range"),
            );
        }
        // A bucket in another region than the request was signed for: S3
        // sends the request back before the operation (and its fault).
        if let Some(signed) = who.signed_region()
            && let Some(bucket) = request.regional_bucket()
            && let Some((error, why)) = self.misdirected(bucket, signed)
        {
            return Outcome::refused(who.who().clone(), error, why);
        }
        if let Some(error) = self.fault(request.name()) {
            return Outcome::refused(who.who().clone(), error, Why::rule(FAULT));
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
            Request::ListBuckets(listing) => {
                let Outcome {
                    result,
                    caller,
                    why,
                } = self.list_buckets(who);
                let owner =
                    super::keys::canonical_user(caller.account.as_deref().unwrap_or_default());
                let page = result.and_then(|b| listing.page(b, self.region(), owner));
                Outcome {
                    result: page.map(Response::Buckets),
                    caller,
                    why,
                }
            }
            Request::ListObjects { bucket, listing } => self
                .list_objects(who, &bucket, &listing)
                .map(Response::Objects),
            Request::Object(call) => self.object_call(who, &call).map(Response::Object),
            Request::Multipart(call) => self.multipart_call(who, call).map(Response::Multipart),
            Request::ListUploads { bucket, listing } => self
                .list_uploads(who, &bucket, &listing)
                .map(Response::Uploads),
            Request::DeleteObjects { bucket, keys } => self
                .delete_objects(who, &bucket, keys)
                .map(Response::DeletedObjects),
            Request::CreateBucket { bucket, region } => self
                .create_bucket(who, &bucket, region.as_deref())
                .map(|()| Response::Bucket(BucketAnswer::Done)),
            Request::Bucket { bucket, call } => {
                self.bucket_call(who, &bucket, &call).map(Response::Bucket)
            }
            Request::ListOrganization => self.org_listing(who).map(Response::Organization),
            Request::Iam(input) => self.iam(who, &input).map(Response::Iam),
            Request::Organizations(input) => {
                self.organization(who, &input).map(Response::Organizations)
            }
        }
    }

    fn unsigned_outcome(&self, request: UnsignedRequest) -> Outcome<Response> {
        if let Some(error) = self.fault(request.name()) {
            let caller = match &request {
                UnsignedRequest::AssumeRoleWithWebIdentity(_) => Who {
                    name: "an unverified web identity token".to_owned(),
                    account: None,
                },
                _ => Who::key("anonymous"),
            };
            return Outcome::refused(caller, error, Why::rule(FAULT));
        }
        match request {
            UnsignedRequest::AssumeRoleWithWebIdentity(input) => self
                .assume_role_with_web_identity(input.token.expose(), &input.request)
                .map(Response::AssumedRole),
            UnsignedRequest::GetSigninToken { session, duration } => self
                .get_signin_token(&session, duration.as_deref())
                .map(Response::SigninToken),
            UnsignedRequest::Login { token } => {
                self.sign_in(token.expose()).map(Response::SignedIn)
            }
        }
    }
}
