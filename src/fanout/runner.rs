//! The run across accounts: a bounded, adaptive number of accounts in
//! flight on one task, each assuming the role and then listing its buckets
//! or running the command; Ctrl-C stops new accounts and lets the ones in
//! flight finish.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::StreamExt as _;
use futures_util::stream::FuturesUnordered;
use tokio::sync::Notify;

use super::exec::{self, ExecAccount, ExecSpec};
use super::limiter::{Backoff, Limiter};
use super::outcome::{AccountOutcome, Attempt, FanoutReport, Tally, Work};
use super::targets::{Skip, Target};
use crate::cloud::{AssumeRoleRequest, CloudError, Credentials, S3, Sts};

/// What to do in each account once the role is assumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// List its buckets.
    ListBuckets,
    /// Run a command with the account's credentials.
    Exec(ExecSpec),
}

/// Everything a run across accounts needs.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The accounts, in report order.
    pub targets: Vec<Target>,
    /// The AssumeRole parameters shared by every account (its `role_arn`
    /// is replaced per account).
    pub request: AssumeRoleRequest,
    /// The role's name (with its path, if any).
    pub role_name: String,
    /// The partition of the role ARNs (`aws`, `aws-cn`, `aws-us-gov`).
    pub partition: String,
    /// What to do in each account.
    pub action: Action,
    /// The most accounts in flight.
    pub concurrency: usize,
    /// Backoff once the SDK's retries were throttled too.
    pub backoff: Backoff,
}

impl Plan {
    /// The role's ARN in `account`.
    pub fn role_arn(&self, account: &str) -> String {
        format!(
            "arn:{}:iam::{account}:role/{}",
            self.partition, self.role_name
        )
    }
}

/// Told of each account as it ends (a progress bar, a JSON Lines stream).
pub trait Observer: Sync {
    /// The accounts are known: `accounts` of them, entered or not.
    fn started(&self, _accounts: usize) {}

    /// One account ended; `tally` counts every account ended so far.
    fn ended(&self, outcome: &AccountOutcome, tally: &Tally);

    /// How the run is paced, told before each [`Observer::ended`]: the
    /// calls still throttled after the SDK's retries, and the accounts now
    /// in flight at once (halved by throttling, grown back after).
    fn paced(&self, _throttled: u64, _window: usize) {}
}

/// A request to stop (Ctrl-C): the first starts no more accounts and lets
/// those in flight finish; a second abandons them (their commands are
/// killed) and ends the run at once.
#[derive(Debug, Default)]
pub struct Stop {
    requests: AtomicUsize,
    notify: Notify,
}

impl Stop {
    /// One more request to stop.
    pub fn request(&self) {
        self.requests.fetch_add(1, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// Whether a stop was asked for.
    pub fn is_requested(&self) -> bool {
        self.requests.load(Ordering::SeqCst) >= 1
    }

    /// Whether a second stop was asked for.
    pub fn is_forced(&self) -> bool {
        self.requests.load(Ordering::SeqCst) >= 2
    }

    /// Waits until at least `count` requests have come.
    pub(super) async fn reached(&self, count: usize) {
        loop {
            let notified = self.notify.notified();
            if self.requests.load(Ordering::SeqCst) >= count {
                return;
            }
            notified.await;
        }
    }
}

/// Whether AWS throttled the call (the SDK's own list of throttling codes,
/// or HTTP 429).
fn throttled(err: &CloudError) -> bool {
    err.code
        .as_deref()
        .is_some_and(|c| aws_runtime::retries::classifiers::THROTTLING_ERRORS.contains(&c))
        || err.status == Some(429)
}

/// A random number for jitter (zero if the OS has none to give, which only
/// removes the jitter).
fn random() -> u64 {
    getrandom::u64().unwrap_or_default()
}

/// Calls `call` until it is not throttled or the attempts run out, telling
/// the limiter each time.
pub(super) async fn patiently<T, F, Fut>(
    limiter: &Limiter,
    backoff: &Backoff,
    call: F,
) -> Result<T, CloudError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, CloudError>>,
{
    let mut attempt = 1;
    loop {
        match call().await {
            Err(err) if throttled(&err) => {
                limiter.throttled();
                if attempt >= backoff.attempts {
                    return Err(err);
                }
                tokio::time::sleep(backoff.delay(attempt, random())).await;
                attempt += 1;
            }
            other => {
                limiter.succeeded();
                return other;
            }
        }
    }
}

async fn enter<C>(
    cloud: &C,
    base: &Credentials,
    plan: &Plan,
    target: &Target,
    limiter: &Limiter,
) -> Attempt
where
    C: Sts + S3 + Sync,
{
    let request = AssumeRoleRequest {
        role_arn: plan.role_arn(&target.id),
        ..plan.request.clone()
    };
    let assume = patiently(limiter, &plan.backoff, || cloud.assume_role(base, &request)).await;
    let work = match &assume {
        Ok(assumed) => Some(match &plan.action {
            Action::ListBuckets => Work::Buckets(
                patiently(limiter, &plan.backoff, || {
                    cloud.list_buckets(&assumed.credentials)
                })
                .await,
            ),
            Action::Exec(spec) => Work::Exec(
                exec::run(
                    spec,
                    ExecAccount {
                        id: &target.id,
                        name: target.name.as_deref(),
                        credentials: &assumed.credentials,
                    },
                )
                .await,
            ),
        }),
        Err(_) => None,
    };
    Attempt::Entered { assume, work }
}

/// Runs the plan from `base` credentials.
pub async fn run<C>(
    cloud: &C,
    base: &Credentials,
    plan: &Plan,
    observer: &dyn Observer,
    stop: &Stop,
) -> FanoutReport
where
    C: Sts + S3 + Sync,
{
    let limiter = Limiter::new(plan.concurrency);
    observer.started(plan.targets.len());
    let mut tally = Tally::default();
    let mut done: Vec<Option<AccountOutcome>> = vec![None; plan.targets.len()];
    let mut finish = |i: usize, attempt: Attempt, tally: &mut Tally| {
        let Some(target) = plan.targets.get(i) else {
            return;
        };
        let outcome = AccountOutcome {
            target: target.clone(),
            role_arn: plan.role_arn(&target.id),
            session_name: plan.request.session_name.clone(),
            attempt,
        };
        tally.add(outcome.status());
        observer.paced(limiter.stats().throttled, limiter.window());
        observer.ended(&outcome, tally);
        if let Some(slot) = done.get_mut(i) {
            *slot = Some(outcome);
        }
    };
    let mut queue = Vec::new();
    for (i, target) in plan.targets.iter().enumerate() {
        match &target.skip {
            Some(skip) => finish(i, Attempt::Skipped(skip.clone()), &mut tally),
            None => queue.push(i),
        }
    }
    let mut queue = queue.into_iter();
    let mut in_flight = BTreeSet::new();
    {
        let mut running = FuturesUnordered::new();
        loop {
            while !stop.is_requested() && running.len() < limiter.window() {
                let Some(i) = queue.next() else { break };
                let Some(target) = plan.targets.get(i) else {
                    break;
                };
                let limiter = &limiter;
                in_flight.insert(i);
                running.push(async move { (i, enter(cloud, base, plan, target, limiter).await) });
            }
            if running.is_empty() || stop.is_forced() {
                break;
            }
            tokio::select! {
                Some((i, attempt)) = running.next() => {
                    in_flight.remove(&i);
                    finish(i, attempt, &mut tally);
                }
                () = stop.reached(1), if !stop.is_requested() => {}
                () = stop.reached(2) => {}
            }
        }
        // Dropping what is still running kills its commands (kill_on_drop).
    }
    for i in in_flight {
        finish(i, Attempt::Skipped(Skip::Abandoned), &mut tally);
    }
    let interrupted = stop.is_requested();
    for i in queue {
        finish(i, Attempt::Skipped(Skip::Interrupted), &mut tally);
    }
    FanoutReport {
        accounts: done.into_iter().flatten().collect(),
        tally,
        limiter: limiter.stats(),
        interrupted,
    }
}
