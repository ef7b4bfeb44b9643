//! A run across many accounts (`xacct run --org` / `--accounts`): assume
//! the same role in each, then list its buckets or run a command with its
//! credentials; bounded and adaptive concurrency, backoff on throttling,
//! results split into ok / assume-denied / failed / not attempted. The same
//! code runs against AWS, `xacct serve`, or a scenario's world in-process.

mod across;
mod exec;
mod limiter;
mod outcome;
mod runner;
mod targets;

pub use across::{Accounts, Across, AcrossError, run as run_across};
pub use exec::{ExecOutput, ExecSpec};
pub use limiter::{Backoff, Limiter, LimiterStats};
pub use outcome::{AccountOutcome, Attempt, FanoutReport, Status, Tally, Work};
pub use runner::{Action, Observer, Plan, Stop, run};
pub use targets::{Selection, Skip, Target, from_list, from_organization};
