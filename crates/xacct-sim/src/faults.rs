//! Scripted faults: the first `times` matching calls fail with the given
//! error, later ones go through. Counted with atomics, so concurrent
//! requests each take their own fault and no lock can be poisoned.

use std::sync::atomic::{AtomicU32, Ordering};

use super::aws_error::AwsError;
use super::scenario::FaultSpec;

#[derive(Debug)]
struct Fault {
    call: String,
    times: u32,
    remaining: AtomicU32,
    error: AwsError,
}

/// The faults of a scenario, consumed as calls arrive.
#[derive(Debug, Default)]
pub(crate) struct Faults(Vec<Fault>);

impl Faults {
    /// The faults of a scenario, none used yet.
    pub(crate) fn new(specs: &[FaultSpec]) -> Self {
        Self(
            specs
                .iter()
                .map(|f| Fault {
                    call: f.call.clone(),
                    times: f.times,
                    remaining: AtomicU32::new(f.times),
                    error: AwsError::new(&f.error.code, f.error.status, f.error.message.clone()),
                })
                .collect(),
        )
    }

    /// Every fault armed again, none used.
    pub(crate) fn rearm(&self) {
        for fault in &self.0 {
            fault.remaining.store(fault.times, Ordering::Release);
        }
    }

    /// The error for this call, if a fault still applies to it.
    pub(crate) fn take(&self, call: &str) -> Option<AwsError> {
        self.0.iter().filter(|f| f.call == call).find_map(|f| {
            f.remaining
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
                .ok()
                .map(|_| f.error.clone())
        })
    }
}
