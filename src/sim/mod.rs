//! The offline simulator: a world read from a scenario file, answering STS
//! and S3 calls as AWS does (decided by the IAM engine), behind the same seam
//! as the real client.

pub mod aws_error;
pub mod cloud;
pub mod decide;
pub mod faults;
pub mod identity;
pub mod keys;
pub mod narrate;
pub mod runner;
pub mod s3;
pub mod scenario;
pub mod sts;
pub mod world;

pub use cloud::SimCloud;
pub use scenario::{Scenario, ScenarioError};
pub use world::World;
