//! xacct: AWS cross-account access, live and simulated.
//!
//! The classic flow: with the base credentials of account A, list A's buckets;
//! assume a role in account B; with the temporary credentials, list B's
//! buckets. [`flow::run`] does it against anything that implements the
//! [`cloud::Sts`] and [`cloud::S3`] seam.

pub mod cli;
pub mod clock;
pub mod cloud;
pub mod exit;
pub mod flow;
pub mod hints;
pub mod iam;
pub mod logging;
pub mod render;
pub mod secret;
pub mod serve;
pub mod sim;
pub mod validate;
