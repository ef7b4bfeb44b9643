//! The simulated endpoint: a world, its scripted faults, and the regions a
//! signature may be scoped to.

use std::sync::Arc;

use crate::sim::{Faults, World};

/// The simulated endpoint.
#[derive(Debug)]
pub struct Endpoint {
    /// The world.
    pub world: Arc<World>,
    /// Scripted faults.
    pub faults: Faults,
    /// Regions a signature may be scoped to.
    pub regions: Vec<String>,
}

impl Endpoint {
    /// An endpoint over a world: it accepts the world's region, and
    /// `us-east-1` (where clients of the global STS endpoint sign).
    pub fn new(world: Arc<World>, faults: Faults) -> Self {
        let mut regions = vec![world.region().to_owned()];
        if !regions.iter().any(|r| r == "us-east-1") {
            regions.push("us-east-1".to_owned());
        }
        Self {
            world,
            faults,
            regions,
        }
    }
}
