//! The simulated endpoint: a world (its scripted faults included) and the
//! regions a signature may be scoped to.

use std::sync::Arc;

use super::request::Outgoing;
use super::why_log::WhyLog;
use xacct_sim::{Answer, AwsError, Principal, Why, World};

/// The simulated endpoint.
#[derive(Debug)]
pub struct Endpoint {
    /// The world.
    pub world: Arc<World>,
    /// Regions a signature may be scoped to.
    pub regions: Vec<String>,
    /// The last decisions, for a client's `--explain` (loopback only).
    pub explanations: Option<WhyLog>,
}

impl Endpoint {
    /// An endpoint over a world: it accepts the world's region, and
    /// `us-east-1` (where clients of the global STS endpoint sign).
    pub fn new(world: Arc<World>) -> Self {
        let mut regions = vec![world.region().to_owned()];
        if !regions.iter().any(|r| r == "us-east-1") {
            regions.push("us-east-1".to_owned());
        }
        Self {
            world,
            regions,
            explanations: None,
        }
    }

    /// The answer to a request from `who` that the endpoint refuses
    /// before the world's operation (it cannot be decoded, or this
    /// endpoint does not speak it), under an id the world draws.
    pub(super) fn refuse(&self, who: &Principal, error: AwsError, why: &str) -> Answer<Outgoing> {
        Answer::refused(
            self.world.request_id(),
            who.who().clone(),
            error,
            Why::rule(why),
        )
    }

    /// The same endpoint keeping its last decisions for clients'
    /// `--explain` (`GET /_xacct/why/REQUEST-ID`).
    pub fn with_explanations(mut self) -> Self {
        self.explanations = Some(WhyLog::default());
        self
    }
}
