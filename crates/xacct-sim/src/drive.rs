//! One run of a scenario driven through any implementation of the seam
//! (the simulated world, or the SDK against `xacct serve`): the flow (or
//! only the base credentials' listing, for a run with no role), the
//! bucket read, the data steps as the run's last identity, and what of it
//! the run's expectations do not meet.

use super::expect::{Mismatch, compare, compare_objects};
use super::scenario::RunSpec;
use super::steps::{compare_steps, run_steps};
use xacct_aws::cloud::{AssumeRoleRequest, S3, S3Objects, Sts};
use xacct_aws::flow::{self, Report, Start};

/// What one run did, and what of it differs from the scenario.
#[derive(Debug, Clone)]
pub struct Driven {
    /// The flow's report.
    pub report: Report,
    /// The expectations that did not hold.
    pub mismatches: Vec<Mismatch>,
}

/// Drives `run` from `start` against `cloud`.
pub async fn drive<C>(
    cloud: &C,
    run: &RunSpec,
    start: &Start,
    request: &AssumeRoleRequest,
) -> Driven
where
    C: Sts + S3 + S3Objects + Sync,
{
    let report = match (&run.role_arn, start) {
        (None, Start::Keys(base)) => flow::run_direct(cloud, base).await,
        _ => flow::run(cloud, start, request).await,
    };
    // The run's last identity: the role session, or the base credentials
    // of a run that assumes no role.
    let last = match (&report.assume_role, start) {
        (Some(Ok(assumed)), _) => Some(&assumed.credentials),
        (None, Start::Keys(base)) => Some(base),
        _ => None,
    };
    let objects = match (&run.read_bucket, last) {
        (Some(bucket), Some(caller)) => Some(cloud.list_objects(caller, bucket, None).await),
        _ => None,
    };
    let steps = match last {
        Some(caller) => Some(run_steps(cloud, caller, &run.steps).await),
        None => None,
    };
    let mut mismatches = compare(run, &report);
    mismatches.extend(compare_objects(run, objects.as_ref()));
    mismatches.extend(compare_steps(&run.steps, steps.as_deref()));
    Driven { report, mismatches }
}
