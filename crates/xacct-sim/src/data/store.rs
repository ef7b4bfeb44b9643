//! The objects of a world's buckets: seeded from the scenario, changed by
//! PutObject and DeleteObject, and reset to the seed before each run.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::object::Object;
use crate::model::Model;
use xacct_aws::cloud::ObjectMeta;

/// Every bucket's objects by key, in S3's listing order (UTF-8 binary).
#[derive(Debug, Default)]
pub(crate) struct Store {
    buckets: Mutex<BTreeMap<String, BTreeMap<String, Object>>>,
}

impl Store {
    /// The objects the model's buckets start with.
    pub(crate) fn seeded(model: &Model) -> Self {
        Self {
            buckets: Mutex::new(seed(model)),
        }
    }

    /// Back to the objects the model starts with.
    pub(crate) fn reset(&self, model: &Model) {
        *self.lock() = seed(model);
    }

    /// The lock. A writer never leaves a bucket half-changed (each change
    /// is one map operation), so a poisoned lock still guards whole maps.
    pub(crate) fn lock(&self) -> MutexGuard<'_, BTreeMap<String, BTreeMap<String, Object>>> {
        self.buckets.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A copy of an object.
    pub(crate) fn get(&self, bucket: &str, key: &str) -> Option<Object> {
        self.lock().get(bucket)?.get(key).cloned()
    }

    /// The objects of a bucket under `prefix`, in key order, with their
    /// metadata.
    pub(crate) fn listing(&self, bucket: &str, prefix: &str) -> Vec<(String, ObjectMeta)> {
        self.lock()
            .get(bucket)
            .map(|objects| {
                objects
                    .range(prefix.to_owned()..)
                    .take_while(|(k, _)| k.starts_with(prefix))
                    .map(|(k, o)| (k.clone(), o.meta()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn seed(model: &Model) -> BTreeMap<String, BTreeMap<String, Object>> {
    model
        .accounts
        .values()
        .flat_map(|a| &a.buckets)
        .map(|b| {
            let objects = b
                .objects
                .iter()
                .map(|(key, object)| (key.clone(), object.clone()))
                .collect();
            (b.name.clone(), objects)
        })
        .collect()
}
