//! Running a scenario: each run starts afresh (the clock at its start, no
//! faults used), drives the flow's own code against the world through the
//! seam, and is compared with its expectations.

use std::time::SystemTime;

use super::SimCloud;
use super::answer::CallRecord;
use super::drive::{Driven, drive};
use super::expect::Mismatch;
use super::loaded::Loaded;
use super::scenario::{RunSpec, ScenarioError};
use super::starter::start_for;
use xacct_aws::cloud::{AssumeRoleRequest, MfaToken};
use xacct_aws::flow::Report;

/// The AssumeRole request of a run.
pub fn request(run: &RunSpec, now: SystemTime) -> AssumeRoleRequest {
    let secs = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    AssumeRoleRequest {
        role_arn: run.role_arn.clone().unwrap_or_default(),
        session_name: run
            .session_name
            .clone()
            .unwrap_or_else(|| format!("xacct-{secs}")),
        duration_seconds: run
            .duration_seconds
            .map(|d| i32::try_from(d).unwrap_or(if d < 0 { i32::MIN } else { i32::MAX })),
        external_id: run.external_id.clone(),
        mfa: run.mfa.as_ref().map(|m| MfaToken {
            serial: m.serial.clone(),
            code: m.code.clone().unwrap_or_default(),
        }),
        session_policy: None,
        source_identity: run.source_identity.clone(),
        tags: run
            .tags
            .iter()
            .map(|(k, v)| xacct_aws::cloud::Tag::new(k, v))
            .collect(),
        transitive_tag_keys: run.transitive_tag_keys.clone(),
        policy_arns: run.policy_arns.clone(),
    }
}

/// The outcome of one run.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    /// The scenario's name.
    pub scenario: String,
    /// The run's label.
    pub run: String,
    /// What the flow reported.
    pub report: Report,
    /// The expectations that did not hold.
    pub mismatches: Vec<Mismatch>,
    /// The calls the world answered, with why.
    pub log: Vec<CallRecord>,
}

/// The label of run `i`.
pub fn run_label(run: &RunSpec, i: usize) -> String {
    run.name.clone().unwrap_or_else(|| format!("run {}", i + 1))
}

/// Runs every run of a scenario with `runtime` driving the async flow.
pub fn run_all(
    loaded: &Loaded,
    runtime: &tokio::runtime::Runtime,
    max_attempts: u32,
) -> Result<Vec<RunOutcome>, ScenarioError> {
    loaded
        .scenario
        .runs
        .iter()
        .enumerate()
        .map(|(i, run)| {
            loaded.world.reset();
            loaded.clock.set(loaded.start);
            let cloud = SimCloud::new(loaded.world.clone()).with_max_attempts(max_attempts);
            let start = start_for(loaded, run)?;
            let request = request(run, loaded.start);
            let Driven { report, mismatches } =
                runtime.block_on(drive(&cloud, run, &start, &request));
            let log = cloud.take_log();
            Ok(RunOutcome {
                scenario: loaded.scenario.name.clone(),
                run: run_label(run, i),
                mismatches,
                report,
                log,
            })
        })
        .collect()
}
