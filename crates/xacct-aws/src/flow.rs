//! The cross-account flow: list the source account's buckets and assume the
//! role at the same time, then list the target account's buckets with the
//! temporary credentials. A flow that starts from a web identity token has
//! no source account: it exchanges the token for the role's session
//! (AssumeRoleWithWebIdentity) and lists the target. Printing is separate
//! (which the application renders).

use crate::cloud::{
    AssumeRoleRequest, AssumedRole, Bucket, CallerIdentity, CloudError, Credentials, ObjectAnswer,
    ObjectCall, S3, S3Objects, Sts,
};
use crate::secret::Secret;

/// What a flow starts from.
#[derive(Debug, Clone)]
pub enum Start {
    /// Base credentials of a principal of the source account.
    Keys(Credentials),
    /// A web identity token (OIDC), exchanged for the role's session.
    WebIdentity(Secret),
}

/// Every step's outcome of one run of the flow.
#[derive(Debug, Clone)]
pub struct Report {
    /// What was asked of STS.
    pub request: AssumeRoleRequest,
    /// Who the base credentials belong to (`sts:GetCallerIdentity`). For
    /// information only: an endpoint without GetCallerIdentity does not fail
    /// the run. `None` for a web identity start (no base credentials).
    pub source_identity: Option<Result<CallerIdentity, CloudError>>,
    /// The source account's buckets, listed with the base credentials;
    /// `None` for a web identity start.
    pub source_buckets: Option<Result<Vec<Bucket>, CloudError>>,
    /// The AssumeRole (or AssumeRoleWithWebIdentity) call; `None` for a
    /// direct run, which assumes no role.
    pub assume_role: Option<Result<AssumedRole, CloudError>>,
    /// The target account's buckets, listed with the temporary credentials;
    /// `None` when AssumeRole failed and the flow stopped.
    pub target_buckets: Option<Result<Vec<Bucket>, CloudError>>,
    /// The object calls made after the flow (`xacct run --get/--put`), in
    /// order, as the run's last identity.
    pub objects: Vec<ObjectStep>,
}

/// One object call of a run and its answer.
#[derive(Debug, Clone)]
pub struct ObjectStep {
    /// What was asked.
    pub call: ObjectCall,
    /// Who asked: the role session's ARN, or the base credentials' key id.
    pub caller: String,
    /// S3's answer.
    pub result: Result<ObjectAnswer, CloudError>,
}

impl Report {
    /// The first step that failed, in flow order (identity excluded).
    pub fn first_error(&self) -> Option<&CloudError> {
        self.source_buckets
            .as_ref()
            .and_then(|b| b.as_ref().err())
            .or(self.assume_role.as_ref().and_then(|a| a.as_ref().err()))
            .or(self.target_buckets.as_ref().and_then(|t| t.as_ref().err()))
            .or(self.objects.iter().find_map(|o| o.result.as_ref().err()))
    }

    /// Every failed step, in flow order, the identity look-up included.
    pub fn errors(&self) -> Vec<&CloudError> {
        [
            self.source_identity.as_ref().and_then(|i| i.as_ref().err()),
            self.source_buckets.as_ref().and_then(|b| b.as_ref().err()),
            self.assume_role.as_ref().and_then(|a| a.as_ref().err()),
            self.target_buckets.as_ref().and_then(|t| t.as_ref().err()),
        ]
        .into_iter()
        .flatten()
        .chain(self.objects.iter().filter_map(|o| o.result.as_ref().err()))
        .collect()
    }

    /// Whether the flow started from a web identity token.
    pub fn from_web_identity(&self) -> bool {
        self.source_buckets.is_none()
    }
}

/// Runs the flow from `start` against any STS/S3 implementation.
pub async fn run<C>(cloud: &C, start: &Start, request: &AssumeRoleRequest) -> Report
where
    C: Sts + S3 + Sync,
{
    let (source_identity, source_buckets, assume_role) = match start {
        Start::Keys(base) => {
            let (identity, buckets, assumed) = start_from_keys(cloud, base, request).await;
            (Some(identity), Some(buckets), assumed)
        }
        Start::WebIdentity(token) => {
            tracing::debug!(
                role_arn = %request.role_arn,
                session_name = %request.session_name,
                "exchanging the web identity token for the role's session"
            );
            (
                None,
                None,
                cloud.assume_role_with_web_identity(token, request).await,
            )
        }
    };
    finish(cloud, request, source_identity, source_buckets, assume_role).await
}

type Started = (
    Result<CallerIdentity, CloudError>,
    Result<Vec<Bucket>, CloudError>,
    Result<AssumedRole, CloudError>,
);

async fn start_from_keys<C>(cloud: &C, base: &Credentials, request: &AssumeRoleRequest) -> Started
where
    C: Sts + S3 + Sync,
{
    tracing::debug!(
        key_id = %base.access_key_id,
        role_arn = %request.role_arn,
        session_name = %request.session_name,
        "listing the source buckets and assuming the role"
    );
    tokio::join!(
        cloud.get_caller_identity(base),
        cloud.list_buckets(base),
        cloud.assume_role(base, request),
    )
}

async fn finish<C>(
    cloud: &C,
    request: &AssumeRoleRequest,
    source_identity: Option<Result<CallerIdentity, CloudError>>,
    source_buckets: Option<Result<Vec<Bucket>, CloudError>>,
    assume_role: Result<AssumedRole, CloudError>,
) -> Report
where
    C: S3 + Sync,
{
    let target_buckets = match &assume_role {
        Ok(assumed) => {
            tracing::debug!(
                key_id = %assumed.credentials.access_key_id,
                arn = %assumed.arn,
                "listing the target buckets with the assumed credentials"
            );
            Some(cloud.list_buckets(&assumed.credentials).await)
        }
        Err(err) => {
            tracing::debug!(error = %err, "AssumeRole failed; the flow stops");
            None
        }
    };
    Report {
        request: request.clone(),
        source_identity,
        source_buckets,
        assume_role: Some(assume_role),
        target_buckets,
        objects: Vec::new(),
    }
}

/// A direct run: who the base credentials belong to and their account's
/// buckets, with no role assumed (a run that reads another account's data
/// through its bucket policy).
pub async fn run_direct<C>(cloud: &C, base: &Credentials) -> Report
where
    C: Sts + S3 + Sync,
{
    tracing::debug!(key_id = %base.access_key_id, "listing the source buckets; no role to assume");
    let (identity, buckets) =
        tokio::join!(cloud.get_caller_identity(base), cloud.list_buckets(base));
    Report {
        request: AssumeRoleRequest::default(),
        source_identity: Some(identity),
        source_buckets: Some(buckets),
        assume_role: None,
        target_buckets: None,
        objects: Vec::new(),
    }
}

/// Makes `calls` in order as the run's last identity (the role session,
/// or `base` for a run that assumes no role) and adds them to the report;
/// nothing when the flow stopped before a session.
pub async fn objects<C>(
    cloud: &C,
    report: &mut Report,
    base: Option<&Credentials>,
    calls: &[ObjectCall],
) where
    C: S3Objects + Sync,
{
    let (caller, who) = match (&report.assume_role, base) {
        (Some(Ok(assumed)), _) => (assumed.credentials.clone(), assumed.arn.clone()),
        (None, Some(base)) => {
            let who = match &report.source_identity {
                Some(Ok(identity)) => identity.arn.clone(),
                _ => base.access_key_id.clone(),
            };
            (base.clone(), who)
        }
        _ => return,
    };
    for call in calls {
        tracing::debug!(url = %call.at().url(), operation = %call.operation(), "object call");
        let result = cloud.object(&caller, call).await;
        report.objects.push(ObjectStep {
            call: call.clone(),
            caller: who.clone(),
            result,
        });
    }
}

impl Report {
    /// The role session the flow obtained, if any.
    pub fn assumed(&self) -> Option<&AssumedRole> {
        self.assume_role.as_ref().and_then(|a| a.as_ref().ok())
    }
}
