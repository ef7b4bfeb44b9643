//! Scripted faults: the first `times` matching calls fail with the given
//! error, later ones go through. Counted with atomics, so concurrent
//! requests each take their own fault and no lock can be poisoned.

use std::sync::atomic::{AtomicU32, Ordering};

use super::aws_error::AwsError;
use super::scenario::FaultSpec;

#[derive(Debug)]
struct Fault {
    call: String,
    remaining: AtomicU32,
    error: AwsError,
}

/// The faults of a scenario, consumed as calls arrive.
#[derive(Debug, Default)]
pub struct Faults(Vec<Fault>);

impl Faults {
    /// The faults of a scenario, none used yet.
    pub fn new(specs: &[FaultSpec]) -> Self {
        Self(
            specs
                .iter()
                .map(|f| Fault {
                    call: f.call.clone(),
                    remaining: AtomicU32::new(f.times),
                    error: AwsError::new(&f.error.code, f.error.status, f.error.message.clone()),
                })
                .collect(),
        )
    }

    /// The error for this call, if a fault still applies to it.
    pub fn take(&self, call: &str) -> Option<AwsError> {
        self.0.iter().filter(|f| f.call == call).find_map(|f| {
            f.remaining
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
                .ok()
                .map(|_| f.error.clone())
        })
    }
}
