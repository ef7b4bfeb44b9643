//! The operations the world speaks, typed: one [`Request`] variant per
//! operation with its decoded input, one [`Response`] variant per output.
//! Every face (the seam behind `xacct run --scenario`, `sim` and `demo`,
//! and the endpoint behind `xacct serve`) decodes into a `Request`, calls
//! [`World::call`](super::World::call) and reads the `Response`.

use super::aws_error::AwsError;
use super::bucket_page::{BucketListing, BucketPage};
use super::console_signin::SigninToken;
use super::data::bucket_ops::{BucketAnswer, BucketCall};
use super::data::multipart::{MultipartAnswer, MultipartCall};
use super::data::upload_list::{UploadListing, UploadPage};
use super::iam_ops::{IamRequest, IamResponse};
use super::object_page::{ObjectListing, ObjectPage};
use super::org_ops::{OrgRequest, OrgResponse};
use super::sts::FederationToken;
use xacct_aws::cloud::{
    AssumeRoleRequest, AssumedRole, CallerIdentity, Credentials, MfaToken, ObjectAnswer,
    ObjectCall, OrgListing, Tag,
};
use xacct_aws::secret::Secret;

/// An operation and its input, as the world takes it.
#[derive(Debug, Clone)]
pub enum Request {
    /// `sts:GetCallerIdentity`.
    GetCallerIdentity,
    /// `sts:AssumeRole`.
    AssumeRole(AssumeRoleRequest),
    /// `sts:GetSessionToken`.
    GetSessionToken {
        /// `DurationSeconds`, as given.
        duration_seconds: Option<i64>,
        /// `SerialNumber` and `TokenCode`.
        mfa: Option<MfaToken>,
    },
    /// `sts:GetFederationToken`.
    GetFederationToken(FederationRequest),
    /// `sts:GetAccessKeyInfo`.
    GetAccessKeyInfo {
        /// The key id asked about.
        access_key_id: String,
    },
    /// `s3:ListBuckets`: the caller's account's buckets, a page or all.
    ListBuckets(BucketListing),
    /// `s3:ListObjectsV2` of one bucket.
    ListObjects {
        /// The bucket.
        bucket: String,
        /// The page asked for.
        listing: ObjectListing,
    },
    /// An object call: GetObject, HeadObject, PutObject, DeleteObject.
    Object(ObjectCall),
    /// A call of a multipart upload.
    Multipart(MultipartCall),
    /// `s3:ListMultipartUploads`: a bucket's uploads in progress.
    ListUploads {
        /// The bucket.
        bucket: String,
        /// The page asked for.
        listing: UploadListing,
    },
    /// `s3:DeleteObjects`: several keys of one bucket, each decided as
    /// its own `s3:DeleteObject`.
    DeleteObjects {
        /// The bucket.
        bucket: String,
        /// The keys.
        keys: Vec<String>,
    },
    /// `s3:CreateBucket` in a region (the world's when absent).
    CreateBucket {
        /// The new bucket's name.
        bucket: String,
        /// Its `LocationConstraint`.
        region: Option<String>,
    },
    /// A bucket call: its policy, ownership and public access settings,
    /// its location, HeadBucket.
    Bucket {
        /// The bucket.
        bucket: String,
        /// The call.
        call: BucketCall,
    },
    /// The organization's whole tree, as `organizations:ListAccounts` and
    /// its neighbours read it for a run across accounts.
    ListOrganization,
    /// A call of the IAM read API.
    Iam(IamRequest),
    /// A call of the Organizations read API.
    Organizations(OrgRequest),
}

/// An operation that takes no signature.
#[derive(Debug, Clone)]
pub enum UnsignedRequest {
    /// `sts:AssumeRoleWithWebIdentity`: the token is the credential.
    AssumeRoleWithWebIdentity(WebIdentityRequest),
    /// The console federation endpoint's `getSigninToken`: the session's
    /// credentials travel in its parameters.
    GetSigninToken {
        /// The `Session` parameter's credentials.
        session: Credentials,
        /// `SessionDuration`, as given.
        duration: Option<String>,
    },
    /// The federation endpoint's `login` with a sign-in token.
    Login {
        /// `SigninToken`.
        token: Secret,
    },
}

impl UnsignedRequest {
    /// The operation's name (`sts:AssumeRoleWithWebIdentity`,
    /// `signin:getSigninToken`, `signin:login`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::AssumeRoleWithWebIdentity(_) => "sts:AssumeRoleWithWebIdentity",
            Self::GetSigninToken { .. } => "signin:getSigninToken",
            Self::Login { .. } => "signin:login",
        }
    }
}

/// `sts:AssumeRoleWithWebIdentity`: unsigned, the token is the credential.
#[derive(Debug, Clone)]
pub struct WebIdentityRequest {
    /// The OIDC token.
    pub token: Secret,
    /// The role, session name, duration and the rest.
    pub request: AssumeRoleRequest,
}

/// GetFederationToken's input.
#[derive(Debug, Clone, Default)]
pub struct FederationRequest {
    /// `Name`: the federated user's name.
    pub name: String,
    /// `Policy`: the inline session policy.
    pub policy: Option<String>,
    /// `DurationSeconds`, as given.
    pub duration_seconds: Option<i64>,
    /// `Tags`.
    pub tags: Vec<Tag>,
    /// `PolicyArns`.
    pub policy_arns: Vec<String>,
}

/// An operation's output.
#[derive(Debug, Clone)]
pub enum Response {
    /// GetCallerIdentity's.
    CallerIdentity(CallerIdentity),
    /// AssumeRole's and AssumeRoleWithWebIdentity's.
    AssumedRole(AssumedRole),
    /// GetSessionToken's.
    SessionToken(Credentials),
    /// GetFederationToken's.
    FederationToken(FederationToken),
    /// GetAccessKeyInfo's: the account that owns the key.
    AccessKeyInfo(String),
    /// ListBuckets's page.
    Buckets(BucketPage),
    /// ListObjectsV2's page.
    Objects(ObjectPage),
    /// An object call's answer.
    Object(ObjectAnswer),
    /// A bucket call's answer.
    Bucket(BucketAnswer),
    /// A multipart call's answer.
    Multipart(MultipartAnswer),
    /// ListMultipartUploads's page.
    Uploads(UploadPage),
    /// DeleteObjects's: each key with S3's answer for it.
    DeletedObjects(Vec<(String, Result<(), AwsError>)>),
    /// The organization's tree.
    Organization(OrgListing),
    /// An IAM read call's output.
    Iam(IamResponse),
    /// An Organizations read call's output.
    Organizations(OrgResponse),
    /// `getSigninToken`'s.
    SigninToken(SigninToken),
    /// `login`'s: the ARN of the session signed in.
    SignedIn(String),
}

impl Request {
    /// The bucket of a request S3 answers in the bucket's own region (all
    /// but ListBuckets, CreateBucket and GetBucketLocation, which any
    /// region answers).
    pub(crate) fn regional_bucket(&self) -> Option<&str> {
        match self {
            Self::ListObjects { bucket, .. }
            | Self::DeleteObjects { bucket, .. }
            | Self::ListUploads { bucket, .. } => Some(bucket),
            Self::Object(call) => Some(&call.at().bucket),
            Self::Multipart(call) => Some(&call.at().bucket),
            Self::Bucket { bucket, call } if *call != BucketCall::GetLocation => Some(bucket),
            _ => None,
        }
    }

    /// The operation's name as AWS writes it (`sts:AssumeRole`): what
    /// faults and the call record know it by.
    pub fn name(&self) -> &'static str {
        match self {
            Self::GetCallerIdentity => "sts:GetCallerIdentity",
            Self::AssumeRole(_) => "sts:AssumeRole",
            Self::GetSessionToken { .. } => "sts:GetSessionToken",
            Self::GetFederationToken(_) => "sts:GetFederationToken",
            Self::GetAccessKeyInfo { .. } => "sts:GetAccessKeyInfo",
            Self::ListBuckets(_) => "s3:ListBuckets",
            Self::ListObjects { .. } => "s3:ListObjectsV2",
            Self::Object(call) => call.operation().name(),
            Self::Multipart(call) => call.name(),
            Self::ListUploads { .. } => "s3:ListMultipartUploads",
            Self::Bucket { call, .. } => call.name(),
            Self::CreateBucket { .. } => "s3:CreateBucket",
            Self::DeleteObjects { .. } => "s3:DeleteObjects",
            Self::ListOrganization => "organizations:ListAccounts",
            Self::Iam(request) => request.name(),
            Self::Organizations(request) => request.name(),
        }
    }

    /// What the call is about, for its record (the role, the bucket).
    pub fn target(&self) -> Option<&str> {
        match self {
            Self::AssumeRole(request) => Some(&request.role_arn),
            Self::ListObjects { bucket, .. } => Some(bucket),
            Self::Object(call) => Some(&call.at().bucket),
            Self::Multipart(call) => Some(&call.at().bucket),
            Self::Bucket { bucket, .. }
            | Self::CreateBucket { bucket, .. }
            | Self::DeleteObjects { bucket, .. }
            | Self::ListUploads { bucket, .. } => Some(bucket),
            Self::GetFederationToken(request) => Some(&request.name),
            Self::GetAccessKeyInfo { access_key_id } => Some(access_key_id),
            _ => None,
        }
    }
}

impl Response {
    /// A short description for a narration: the ARN of a new session, the
    /// buckets or keys listed.
    pub fn shown(&self) -> String {
        match self {
            Self::CallerIdentity(identity) => identity.arn.clone(),
            Self::AssumedRole(assumed) => assumed.arn.clone(),
            Self::SessionToken(_) => "session credentials".to_owned(),
            Self::FederationToken(token) => token.arn.clone(),
            Self::AccessKeyInfo(account) => account.clone(),
            Self::Buckets(page) => super::s3::shown(&page.buckets),
            Self::Objects(page) if page.objects.is_empty() && page.common_prefixes.is_empty() => {
                "(no objects)".to_owned()
            }
            Self::Objects(page) => page
                .objects
                .iter()
                .map(|(key, _)| key.as_str())
                .chain(page.common_prefixes.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(", "),
            Self::Object(ObjectAnswer::Body(body, _)) => format!("{} bytes", body.len()),
            Self::Object(ObjectAnswer::Meta(meta)) => format!("an object of {} bytes", meta.size),
            Self::Object(ObjectAnswer::Stored(meta)) => format!("stored, ETag {}", meta.etag),
            Self::Object(ObjectAnswer::Deleted) => "deleted".to_owned(),
            Self::Object(ObjectAnswer::Copied(meta)) => format!("copied, ETag {}", meta.etag),
            Self::Bucket(BucketAnswer::Policy(_)) => "the bucket policy".to_owned(),
            Self::Bucket(BucketAnswer::Ownership(o)) => o.clone(),
            Self::Bucket(BucketAnswer::PublicAccessBlock(b)) => format!("{b:?}"),
            Self::Bucket(BucketAnswer::Location(r)) => r.clone(),
            Self::Bucket(BucketAnswer::Done) => "done".to_owned(),
            Self::Bucket(BucketAnswer::Found(region)) => format!("the bucket, in {region}"),
            Self::Multipart(MultipartAnswer::Created { upload_id, .. }) => {
                format!("upload {upload_id} started")
            }
            Self::Multipart(
                MultipartAnswer::Part(etag) | MultipartAnswer::PartCopied { etag, .. },
            ) => format!("part stored, ETag {etag}"),
            Self::Multipart(MultipartAnswer::Completed(meta)) => {
                format!("completed, ETag {}", meta.etag)
            }
            Self::Multipart(MultipartAnswer::Aborted) => "aborted".to_owned(),
            Self::Multipart(MultipartAnswer::Parts(list)) => format!("{} parts", list.parts.len()),
            Self::Uploads(page) => format!("{} uploads in progress", page.uploads.len()),
            Self::DeletedObjects(keys) => format!(
                "{} of {} keys deleted",
                keys.iter().filter(|(_, r)| r.is_ok()).count(),
                keys.len()
            ),
            Self::Organization(listing) => format!("{} accounts", listing.accounts.len()),
            Self::Iam(_) => "the account's IAM entities".to_owned(),
            Self::Organizations(_) => "the organization's entities".to_owned(),
            Self::SigninToken(token) => format!("a sign-in token for {}", token.session_arn),
            Self::SignedIn(arn) => format!("signed in as {arn}"),
        }
    }
}
