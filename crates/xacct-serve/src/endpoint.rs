//! The simulated endpoint: a world (its scripted faults included), and
//! its decision log when kept.

use std::sync::Arc;

use super::request::Outgoing;
use super::why_log::WhyLog;
use xacct_sim::{Answer, AwsError, Principal, Why, World};

/// The simulated endpoint.
#[derive(Debug)]
pub struct Endpoint {
    /// The world.
    pub world: Arc<World>,
    /// The last decisions, for a client's `--explain` (loopback only).
    pub explanations: Option<WhyLog>,
}

impl Endpoint {
    /// An endpoint over a world. It accepts a signature for any region
    /// (buckets answer for their own).
    pub fn new(world: Arc<World>) -> Self {
        Self {
            world,
            explanations: None,
        }
    }

    /// The answer to a request from `who` that the endpoint refuses
    /// before the world's operation (it cannot be decoded, or this
    /// endpoint does not speak it), under an id the world draws.
    pub(super) fn refuse(&self, who: &Principal, error: AwsError, why: &str) -> Answer<Outgoing> {
        self.refuse_because(who, error, Why::rule(why))
    }

    /// The answer to a request the world refuses before its operation,
    /// for the world's own reason (a bucket in another region).
    pub(super) fn refuse_because(
        &self,
        who: &Principal,
        error: AwsError,
        why: Why,
    ) -> Answer<Outgoing> {
        Answer::refused(self.world.request_id(), who.who().clone(), error, why)
    }

    /// The same endpoint keeping its last decisions for clients'
    /// `--explain` (`GET /_xacct/why/REQUEST-ID`), told to each request's
    /// own caller and to whoever holds `key`.
    pub fn with_explanations(mut self, key: String) -> Self {
        self.explanations = Some(WhyLog::new(key));
        self
    }
}
