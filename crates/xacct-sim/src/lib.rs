//! The offline simulator: a world read from a scenario file, answering STS
//! and S3 calls as AWS does (decided by the IAM engine), behind the same seam
//! as the real client.
//!
//! The world's front door is [`World`]: [`World::signer`] and
//! [`World::authenticate`] resolve credentials, and every STS and S3
//! operation returns an [`Answer`] with its own caller and reason.

mod answer;
mod assert_spec;
mod aws_error;
mod aws_managed;
mod bucket_page;
mod bucket_spec;
mod build;
mod call;
mod check;
mod cloud;
mod comparison;
mod console_signin;
mod data;
mod decide;
mod drive;
mod error_expect;
mod expect;
mod faults;
mod grants;
mod iam_ops;
mod iam_read;
mod iam_views;
mod identity;
mod inventory;
mod issuers;
mod key_rollup;
mod keys;
mod lint_world;
mod loaded;
mod managed;
mod model;
mod name_check;
mod names;
mod object_page;
mod operation;
mod org_ops;
mod org_read;
mod org_tree;
mod org_views;
mod organization;
mod organization_spec;
mod paging;
mod reach;
mod request_id;
mod run;
mod s3;
mod scenario;
mod scenario_account;
mod scenario_as;
mod scp_lint;
mod session;
mod session_context;
mod starter;
mod step_spec;
mod steps;
mod sts;
mod tag_lint;
mod web_token;
mod world;
mod world_rule;

pub use answer::{Answer, CallRecord, Who, Why};
pub use assert_spec::{
    AssertSpec, CanAssume, CanRead, CannotReach, CannotRead, NotReachable, NotReadable,
};
pub use aws_error::{AwsError, Service, missing};
pub use aws_managed::{AwsManaged, aws_managed, aws_managed_names, catalogue_note};
pub use bucket_page::{BucketListing, BucketPage};
pub use check::{Checked, Checks, check_paths, scenario_files};
pub use cloud::{DEFAULT_MAX_ATTEMPTS, SimCloud, is_retryable};
pub use comparison::Comparison;
pub use console_signin::{CONSOLE_SESSION_SECONDS, SIGNIN_TOKEN_LIFETIME, SigninToken};
pub use data::bucket_ops::{BucketAnswer, BucketCall};
pub use data::multipart::{
    MAX_PART_NUMBER, MIN_PART_SIZE, MultipartAnswer, MultipartCall, PartList, PartView, PartsPage,
    UploadRef,
};
pub use data::region::is_region;
pub use data::snapshot::{
    Body, BucketSnapshot, ObjectSnapshot, PartSnapshot, StoreSnapshot, UploadSnapshot,
};
pub use data::upload_list::{UploadListing, UploadPage, UploadView};
pub use drive::{Driven, drive};
pub use expect::{Mismatch, compare, compare_lint, compare_objects};
pub use grants::{Grant, GrantDiff, PrincipalGrants, grant_diff};
pub use iam_ops::{IamPaging, IamRequest, IamResponse};
pub use iam_views::{MfaDeviceView, OidcProviderView, PolicyView, RoleView, UserView};
pub use inventory::{AccountView, Inventory, OrganizationView};
pub use keys::KeySeed;
pub use lint_world::lint_world;
pub use loaded::{Loaded, build, load, load_seeded};
pub use names::nearest;
pub use object_page::{ObjectListing, ObjectPage};
pub use operation::{FederationRequest, Request, Response, UnsignedRequest, WebIdentityRequest};
pub use org_ops::{OrgPaging, OrgRequest, OrgResponse};
pub use org_views::{OrgAccountView, OrgDescription, OrgEntity, OrgParentView, OrgPolicyView};
pub use paging::Page;
pub use reach::{
    Concrete, Conditions, DataAccess, DataEdge, Edge, EdgeChange, Explainer, Graph, GraphDiff,
    GraphFinding, Node, NodeId, NodeKind, Reached,
};
pub use request_id::RequestId;
pub use run::{RunOutcome, request, run_all, run_label};
pub use scenario::{
    AsSpec, AssumeExpect, BucketsExpect, ErrorExpect, LintExpect, LintSpec, RoleArnIs, RunSpec,
    Scenario, ScenarioError, WebIdentitySpec, load as load_scenario, parse,
};
pub use session::NoRandomness;
pub use session_context::SessionContext;
pub use starter::{Starter, credentials_for, start_for};
pub use step_spec::{ListStep, ObjectExpect, ObjectStep, PutStep, StepExpect, StepSpec};
pub use steps::{StepResult, compare_steps, run_steps};
pub use sts::FederationToken;
pub use web_token::{
    TokenError, TokenRequest, TokenSpec, expires_in, prepare_issuer_keys, token_for_scenario,
};
pub use world::{Principal, Refusal, Signer, World};
