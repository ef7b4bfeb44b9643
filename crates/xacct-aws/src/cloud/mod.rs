//! The seam between the cross-account flow and whatever answers STS and S3
//! calls: the real AWS SDK clients, or (later) a simulated world.
//!
//! The traits speak the product's own types, never SDK types, and every call
//! names the credentials it is made with, so an implementation can tell who is
//! calling.

mod account_snapshot;
mod byte_range;
mod denial;
mod error;
mod objects;
mod org_listing;
pub mod params;
mod preconditions;
pub mod session_rules;
mod types;

pub use account_snapshot::{AccountSnapshot, BucketFacts, OrgSnapshot, OrgUnitSnapshot};
pub use byte_range::{ByteRange, ContentRange};
pub use denial::DenialCause;
pub use error::{CloudError, ErrorClass, Operation, error_chain};
pub use objects::{
    ObjectAnswer, ObjectCall, ObjectCopy, ObjectGet, ObjectHeaders, ObjectKey, ObjectMeta,
    ObjectPut, S3Objects,
};
pub use org_listing::{
    AccountStatus, ListingCaps, MAX_OU_DEPTH, OrgAccount, OrgListing, OrgParent,
};
pub use preconditions::{Preconditions, etag_listed};
pub use types::{
    AssumeRoleRequest, AssumedRole, Bucket, CallerIdentity, Credentials, MfaToken, Tag,
    WebIdentityAnswer,
};

use std::future::Future;

use crate::secret::Secret;

/// The STS operations the flow uses.
pub trait Sts {
    /// `sts:GetCallerIdentity`: who the given credentials belong to.
    fn get_caller_identity(
        &self,
        caller: &Credentials,
    ) -> impl Future<Output = Result<CallerIdentity, CloudError>> + Send;

    /// `sts:AssumeRole`: temporary credentials for a role.
    fn assume_role(
        &self,
        caller: &Credentials,
        request: &AssumeRoleRequest,
    ) -> impl Future<Output = Result<AssumedRole, CloudError>> + Send;

    /// `sts:AssumeRoleWithWebIdentity`: temporary credentials for a role,
    /// in exchange for an identity token (an unsigned call: no credentials).
    /// The request's `external_id` and `mfa` do not apply and are not sent.
    fn assume_role_with_web_identity(
        &self,
        token: &Secret,
        request: &AssumeRoleRequest,
    ) -> impl Future<Output = Result<AssumedRole, CloudError>> + Send;
}

/// The S3 operations the flow uses.
pub trait S3 {
    /// `s3:ListBuckets`: every bucket of the caller's account, all pages.
    fn list_buckets(
        &self,
        caller: &Credentials,
    ) -> impl Future<Output = Result<Vec<Bucket>, CloudError>> + Send;

    /// `s3:ListObjectsV2` (the `s3:ListBucket` action): every key of
    /// `bucket` under `prefix`, all pages; a scenario run's `read_bucket`
    /// and `list_objects` steps.
    fn list_objects(
        &self,
        caller: &Credentials,
        bucket: &str,
        prefix: Option<&str>,
    ) -> impl Future<Output = Result<Vec<String>, CloudError>> + Send;
}

/// The Organizations read calls a run across an organization uses.
pub trait Organizations {
    /// Every account of the organization the caller's account manages
    /// (DescribeOrganization, ListRoots, then ListOrganizationalUnitsForParent
    /// and ListAccountsForParent down the tree, every page), within `caps`.
    fn list_org_accounts(
        &self,
        caller: &Credentials,
        caps: ListingCaps,
    ) -> impl Future<Output = Result<OrgListing, CloudError>> + Send;
}
