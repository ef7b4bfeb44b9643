//! xacct: AWS cross-account access, live and simulated.
//!
//! The classic flow: with the base credentials of account A, list A's buckets;
//! assume a role in account B; with the temporary credentials, list B's
//! buckets. [`flow::run`] does it against anything that implements the
//! [`cloud::Sts`] and [`cloud::S3`] seam: the AWS SDK ([`cloud::aws`]) or
//! the simulated world ([`sim::SimCloud`]), which [`serve`] also puts on
//! the wire. [`iam`] is the policy engine that decides in the simulator.
//!
//! Each module's public items are its API; the rest is private to the crate.

pub mod backend;
pub mod cli;
pub mod cloud;
pub mod creds;
pub mod exit;
pub mod fanout;
pub mod graph_view;
use xacct_aws::input;
pub use xacct_aws::{clock, flow, key_id, oidc, secret, timestamp, validate};
pub use xacct_iam as iam;
pub mod import;
pub mod render;
pub mod serve_state;
pub use xacct_serve as serve;
pub use xacct_sim as sim;

mod atomic_file;
mod hints;
mod logging;
