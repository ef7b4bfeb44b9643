//! Running scenarios: load and check a scenario, give each run its base
//! credentials, drive the flow's own code against the simulated world, and
//! compare what happened with the run's expectations and the `lint` section.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::SimCloud;
use super::scenario::{
    self, AssumeExpect, BucketsExpect, ErrorExpect, RunSpec, Scenario, ScenarioError,
};
use super::world::{CallRecord, Model, SessionKind, World, parse_time};
use crate::clock::{Clock, ManualClock, SystemClock};
use crate::cloud::{AssumeRoleRequest, Bucket, CloudError, Credentials, MfaToken};
use crate::flow::{self, Report};
use crate::iam::lint::{Finding, Target, lint};
use crate::iam::parse::{PolicyKind, check_kind};
use crate::iam::principal::{Caller, CallerKind};

/// A scenario ready to run.
#[derive(Debug)]
pub struct Loaded {
    /// The scenario as written.
    pub scenario: Scenario,
    /// The file it came from.
    pub file: String,
    /// The world it describes.
    pub world: Arc<World>,
    /// The world's clock.
    pub clock: Arc<ManualClock>,
    /// The clock's starting point (each run starts there).
    pub start: SystemTime,
}

/// Reads, checks and builds a scenario file.
pub fn load(path: &Path) -> Result<Loaded, ScenarioError> {
    let scenario = scenario::load(path)?;
    build(scenario, &path.display().to_string())
}

/// Checks and builds a parsed scenario.
pub fn build(scenario: Scenario, file: &str) -> Result<Loaded, ScenarioError> {
    let err = |message: String| ScenarioError {
        file: file.to_owned(),
        message,
    };
    let model = Model::build(&scenario, file)?;
    let start = match &scenario.clock {
        Some(text) => parse_time(text).ok_or_else(|| {
            err(format!(
                "clock: `{text}` is not an RFC 3339 time (2026-01-01T00:00:00Z)"
            ))
        })?,
        None => SystemClock.now(),
    };
    for (i, run) in scenario.runs.iter().enumerate() {
        check_run(&model, run, &format!("runs[{i}]")).map_err(err)?;
    }
    for (i, fault) in scenario.faults.iter().enumerate() {
        if !["sts:AssumeRole", "sts:GetCallerIdentity", "s3:ListBuckets"]
            .contains(&fault.call.as_str())
        {
            return Err(err(format!(
                "faults[{i}].call: `{}` is not one of sts:AssumeRole, sts:GetCallerIdentity, s3:ListBuckets",
                fault.call
            )));
        }
    }
    if scenario.runs.is_empty() {
        return Err(err("runs: a scenario needs at least one run".to_owned()));
    }
    let clock = Arc::new(ManualClock::new(start));
    let world = Arc::new(World::new(model, clock.clone()));
    Ok(Loaded {
        scenario,
        file: file.to_owned(),
        world,
        clock,
        start,
    })
}

fn check_run(model: &Model, run: &RunSpec, at: &str) -> Result<(), String> {
    let caller = Caller::parse(&run.as_principal).map_err(|e| format!("{at}.as: {e}"))?;
    let account = &caller.account;
    let missing = |what: String| {
        format!("{at}.as: {what} is not in the scenario; add it under accounts.\"{account}\"")
    };
    match &caller.kind {
        CallerKind::User { name, .. } if model.user(account, name).is_none() => {
            return Err(missing(format!("user `{name}`")));
        }
        CallerKind::Root if !model.accounts.contains_key(account) => {
            return Err(missing(format!("account {account}")));
        }
        CallerKind::RoleSession {
            role_name,
            session: Some(_),
            ..
        } if model.role(account, role_name).is_none() => {
            return Err(missing(format!("role `{role_name}`")));
        }
        CallerKind::RoleSession { session: None, .. } => {
            return Err(format!(
                "{at}.as: a role ARN cannot start a flow; use its session, arn:aws:sts::{account}:assumed-role/ROLE/SESSION"
            ));
        }
        CallerKind::FederatedUser { .. } => match &run.federated_by {
            None => {
                return Err(format!(
                    "{at}.federated_by: a federated-user `as` needs the IAM user who called GetFederationToken"
                ));
            }
            Some(user) if model.user(account, user).is_none() => {
                return Err(format!(
                    "{at}.federated_by: user `{user}` is not in account {account}"
                ));
            }
            Some(_) => {}
        },
        _ => {}
    }
    if let Some(policy) = &run.session_policy {
        let parsed = crate::iam::parse(policy)
            .map_err(|e| format!("{at}.session_policy: at {}: {}", e.path, e.message))?;
        check_kind(&parsed, PolicyKind::Session)
            .map_err(|e| format!("{at}.session_policy: at {}: {}", e.path, e.message))?;
    }
    if let Some(t) = &run.session_expires {
        parse_time(t)
            .ok_or_else(|| format!("{at}.session_expires: `{t}` is not an RFC 3339 time"))?;
    }
    if let Some(AssumeExpect::Word(word)) = &run.expect.assume_role
        && word != "allowed"
    {
        return Err(format!(
            "{at}.expect.assume_role: `{word}` must be `allowed` or an error map {{error: CODE}}"
        ));
    }
    if matches!(run.expect.assume_role, Some(AssumeExpect::Error(_)))
        && run.expect.target_buckets.is_some()
    {
        return Err(format!(
            "{at}.expect.target_buckets: AssumeRole is expected to fail, so the flow stops before listing the target; remove target_buckets"
        ));
    }
    Ok(())
}

/// Who starts a flow: the `as` of a run and what a temporary one needs.
#[derive(Debug, Clone, Default)]
pub struct Starter<'a> {
    /// The principal ARN.
    pub arn: &'a str,
    /// For a federated user: who called GetFederationToken.
    pub federated_by: Option<&'a str>,
    /// For a federated user: the session policy.
    pub session_policy: Option<&'a serde_json::Value>,
    /// For a temporary principal: when its credentials expire (RFC 3339).
    pub session_expires: Option<&'a str>,
}

impl<'a> Starter<'a> {
    /// The starter of a scenario run.
    pub fn of(run: &'a RunSpec) -> Self {
        Self {
            arn: &run.as_principal,
            federated_by: run.federated_by.as_deref(),
            session_policy: run.session_policy.as_ref(),
            session_expires: run.session_expires.as_deref(),
        }
    }
}

/// The base credentials a run starts with.
pub fn base_credentials(loaded: &Loaded, run: &RunSpec) -> Result<Credentials, ScenarioError> {
    credentials_for(loaded, &Starter::of(run))
}

/// The credentials of a principal of the world: a user's or root's key, or
/// temporary credentials issued for a role or federated-user session.
pub fn credentials_for(
    loaded: &Loaded,
    starter: &Starter<'_>,
) -> Result<Credentials, ScenarioError> {
    let err = |message: String| ScenarioError {
        file: loaded.file.clone(),
        message,
    };
    let model = &loaded.world.model;
    let caller = Caller::parse(starter.arn).map_err(|e| err(e.to_string()))?;
    let now = loaded.world.clock.now();
    let expiration = starter
        .session_expires
        .and_then(parse_time)
        .unwrap_or(now + Duration::from_secs(3600));
    let key = |pair: &super::world::KeyPair| {
        Credentials::long_term(pair.id.clone(), pair.secret.expose())
    };
    let missing = || {
        err(format!(
            "`{}` is not a principal of the scenario; use a user, root, assumed-role or federated-user ARN of its accounts",
            starter.arn
        ))
    };
    match caller.kind {
        CallerKind::User { name, .. } => model
            .user(&caller.account, &name)
            .map(|u| key(&u.key))
            .ok_or_else(missing),
        CallerKind::Root => model
            .accounts
            .get(&caller.account)
            .map(|a| key(&a.root_key))
            .ok_or_else(missing),
        CallerKind::RoleSession {
            role_name,
            session: Some(session),
            ..
        } => {
            model
                .role(&caller.account, &role_name)
                .ok_or_else(missing)?;
            Ok(loaded.world.issue(
                SessionKind::Role {
                    account: caller.account.clone(),
                    role: role_name,
                    session,
                    mfa: false,
                    policy: None,
                },
                expiration,
            ))
        }
        CallerKind::FederatedUser { name, .. } => {
            let user = starter.federated_by.ok_or_else(|| err(format!("`{}` is a federated user: name the IAM user who called GetFederationToken (federated_by, or --federated-by)", starter.arn)))?;
            model.user(&caller.account, user).ok_or_else(|| {
                err(format!(
                    "federated_by: user `{user}` is not in account {}",
                    caller.account
                ))
            })?;
            let policy =
                match starter.session_policy {
                    Some(p) => Some(crate::iam::parse(p).map_err(|e| {
                        err(format!("session_policy: at {}: {}", e.path, e.message))
                    })?),
                    None => None,
                };
            Ok(loaded.world.issue(
                SessionKind::Federated {
                    account: caller.account.clone(),
                    user: user.to_owned(),
                    name,
                    policy,
                },
                expiration,
            ))
        }
        CallerKind::RoleSession { session: None, .. } => Err(err(format!(
            "`{}` is a role; a flow starts from a session of it: arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION",
            starter.arn
        ))),
    }
}

/// The AssumeRole request of a run.
pub fn request(run: &RunSpec, now: SystemTime) -> AssumeRoleRequest {
    let secs = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    AssumeRoleRequest {
        role_arn: run.role_arn.clone(),
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
            code: m.code.clone(),
        }),
        session_policy: None,
    }
}

/// One expectation that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// `source_buckets`, `assume_role`, `assumed_role_arn`, `target_buckets`, `lint`.
    pub field: String,
    /// What the scenario expects.
    pub expected: String,
    /// What happened.
    pub got: String,
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
            let cloud = SimCloud::new(loaded.world.clone(), &loaded.scenario.faults)
                .with_max_attempts(max_attempts);
            let base = base_credentials(loaded, run)?;
            let request = request(run, loaded.start);
            let report = runtime.block_on(flow::run(&cloud, &base, &request));
            let log = loaded.world.take_log();
            Ok(RunOutcome {
                scenario: loaded.scenario.name.clone(),
                run: run_label(run, i),
                mismatches: compare(run, &report),
                report,
                log,
            })
        })
        .collect()
}

fn show_error(e: &CloudError) -> String {
    format!("error {}", e.summary())
}

fn show_expected_error(e: &ErrorExpect) -> String {
    let mut text = format!("error {}", e.error);
    if let Some(status) = e.status {
        text.push_str(&format!(" (HTTP {status})"));
    }
    if let Some(m) = &e.message {
        text.push_str(&format!(": {m}"));
    }
    if let Some(m) = &e.message_contains {
        text.push_str(&format!(": ...{m}..."));
    }
    text
}

fn error_matches(e: &ErrorExpect, got: &CloudError) -> bool {
    got.code.as_deref() == Some(e.error.as_str())
        && e.status.is_none_or(|s| got.status == Some(s))
        && e.message.as_ref().is_none_or(|m| *m == got.message)
        && e.message_contains
            .as_ref()
            .is_none_or(|m| got.message.contains(m.as_str()))
}

fn show_buckets(list: &[Bucket]) -> String {
    let mut names: Vec<&str> = list.iter().map(|b| b.name.as_str()).collect();
    names.sort_unstable();
    format!("[{}]", names.join(", "))
}

fn compare_buckets(
    field: &str,
    expected: &BucketsExpect,
    got: Option<&Result<Vec<Bucket>, CloudError>>,
    out: &mut Vec<Mismatch>,
) {
    let shown_expected = match expected {
        BucketsExpect::Names(names) => {
            let mut names = names.clone();
            names.sort();
            format!("[{}]", names.join(", "))
        }
        BucketsExpect::Error(e) => show_expected_error(e),
    };
    let ok = match (expected, got) {
        (BucketsExpect::Names(names), Some(Ok(list))) => {
            let mut a: Vec<&str> = names.iter().map(String::as_str).collect();
            let mut b: Vec<&str> = list.iter().map(|b| b.name.as_str()).collect();
            a.sort_unstable();
            b.sort_unstable();
            a == b
        }
        (BucketsExpect::Error(e), Some(Err(got))) => error_matches(e, got),
        _ => false,
    };
    if !ok {
        let shown_got = match got {
            Some(Ok(list)) => show_buckets(list),
            Some(Err(e)) => show_error(e),
            None => "nothing: the flow stopped at AssumeRole".to_owned(),
        };
        out.push(Mismatch {
            field: field.to_owned(),
            expected: shown_expected,
            got: shown_got,
        });
    }
}

/// The expectations of a run that the report does not meet.
pub fn compare(run: &RunSpec, report: &Report) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let expect = &run.expect;
    if let Some(e) = &expect.source_buckets {
        compare_buckets("source_buckets", e, Some(&report.source_buckets), &mut out);
    }
    if let Some(e) = &expect.assume_role {
        let (ok, shown) = match e {
            AssumeExpect::Word(_) => (report.assume_role.is_ok(), "allowed".to_owned()),
            AssumeExpect::Error(e) => (
                report
                    .assume_role
                    .as_ref()
                    .err()
                    .is_some_and(|got| error_matches(e, got)),
                show_expected_error(e),
            ),
        };
        if !ok {
            let got = match &report.assume_role {
                Ok(a) => format!("allowed ({})", a.arn),
                Err(e) => show_error(e),
            };
            out.push(Mismatch {
                field: "assume_role".to_owned(),
                expected: shown,
                got,
            });
        }
    }
    if let Some(arn) = &expect.assumed_role_arn {
        let got = report.assume_role.as_ref().map(|a| a.arn.clone());
        if got.as_ref().ok() != Some(arn) {
            out.push(Mismatch {
                field: "assumed_role_arn".to_owned(),
                expected: arn.clone(),
                got: got.unwrap_or_else(show_error),
            });
        }
    }
    if let Some(e) = &expect.target_buckets {
        compare_buckets(
            "target_buckets",
            e,
            report.target_buckets.as_ref(),
            &mut out,
        );
    }
    out
}

/// Every finding of the linter over the world: each role's trust policy and
/// permission policies, each user's policies, located at the role or user ARN.
pub fn lint_world(world: &World) -> Vec<Finding> {
    let mut findings = Vec::new();
    for account in world.model.accounts.values() {
        for role in account.roles.values() {
            let arn = role.arn();
            findings.extend(lint(
                &role.trust,
                Target {
                    name: &arn,
                    kind: PolicyKind::Trust,
                    account: Some(&account.id),
                },
            ));
            for (_, policy) in &role.policies {
                findings.extend(lint(
                    policy,
                    Target {
                        name: &arn,
                        kind: PolicyKind::Identity,
                        account: Some(&account.id),
                    },
                ));
            }
        }
        for user in account.users.values() {
            let arn = user.arn();
            for (_, policy) in &user.policies {
                findings.extend(lint(
                    policy,
                    Target {
                        name: &arn,
                        kind: PolicyKind::Identity,
                        account: Some(&account.id),
                    },
                ));
            }
        }
    }
    findings
}

/// The `lint` expectations that the findings do not meet.
pub fn compare_lint(spec: &scenario::LintSpec, findings: &[Finding]) -> Vec<Mismatch> {
    let found = |rule: &str, at: Option<&str>| {
        findings
            .iter()
            .any(|f| f.rule == rule && at.is_none_or(|a| f.policy == a))
    };
    let place = |at: &Option<String>| at.as_ref().map(|a| format!(" at {a}")).unwrap_or_default();
    let mut out = Vec::new();
    for p in &spec.present {
        if !found(&p.rule, p.at.as_deref()) {
            out.push(Mismatch {
                field: "lint.present".to_owned(),
                expected: format!("{}{}", p.rule, place(&p.at)),
                got: "not reported".to_owned(),
            });
        }
    }
    for a in &spec.absent {
        if found(&a.rule, a.at.as_deref()) {
            out.push(Mismatch {
                field: "lint.absent".to_owned(),
                expected: format!("no {}{}", a.rule, place(&a.at)),
                got: "reported".to_owned(),
            });
        }
    }
    out
}
