//! Scripted faults: the first `times` matching calls fail with the given
//! error, later ones go through.

use std::sync::Mutex;

use super::aws_error::AwsError;
use super::scenario::FaultSpec;

#[derive(Debug, Clone)]
struct Fault {
    call: String,
    remaining: u32,
    error: AwsError,
}

/// The faults of a scenario, consumed as calls arrive.
#[derive(Debug, Default)]
pub struct Faults(Mutex<Vec<Fault>>);

impl Faults {
    /// The faults of a scenario, none used yet.
    pub fn new(specs: &[FaultSpec]) -> Self {
        Self(Mutex::new(
            specs
                .iter()
                .map(|f| Fault {
                    call: f.call.clone(),
                    remaining: f.times,
                    error: AwsError::new(&f.error.code, f.error.status, f.error.message.clone()),
                })
                .collect(),
        ))
    }

    /// The error for this call, if a fault still applies to it.
    pub fn take(&self, call: &str) -> Option<AwsError> {
        let mut faults = self.0.lock().ok()?;
        let fault = faults
            .iter_mut()
            .find(|f| f.call == call && f.remaining > 0)?;
        fault.remaining -= 1;
        Some(fault.error.clone())
    }
}
