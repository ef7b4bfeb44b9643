//! The buckets of a world as they stand: their settings (policy, Object
//! Ownership, Block Public Access, default encryption) and their objects,
//! seeded from the scenario, changed by the bucket and object operations,
//! and reset to the seed before each run.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::object::Object;
use crate::model::{Bucket, Model};
use xacct_aws::cloud::ObjectMeta;

/// One bucket as it stands.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    /// The account that owns it.
    pub owner: String,
    /// Its settings (its seed objects are in `objects`).
    pub bucket: Bucket,
    /// Its objects by key, in S3's listing order (UTF-8 binary).
    pub objects: BTreeMap<String, Object>,
}

/// Every bucket by name.
#[derive(Debug, Default)]
pub(crate) struct Store {
    buckets: Mutex<BTreeMap<String, Stored>>,
}

impl Store {
    /// The buckets the model starts with.
    pub(crate) fn seeded(model: &Model) -> Self {
        Self {
            buckets: Mutex::new(seed(model)),
        }
    }

    /// Back to the buckets the model starts with.
    pub(crate) fn reset(&self, model: &Model) {
        *self.lock() = seed(model);
    }

    /// The lock. A writer never leaves a bucket half-changed (each change
    /// is one map operation), so a poisoned lock still guards whole maps.
    pub(crate) fn lock(&self) -> MutexGuard<'_, BTreeMap<String, Stored>> {
        self.buckets.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A bucket's owner and settings, as they stand.
    pub(crate) fn bucket(&self, name: &str) -> Option<(String, Bucket)> {
        self.lock()
            .get(name)
            .map(|s| (s.owner.clone(), s.bucket.clone()))
    }

    /// The buckets `account` owns, in name order.
    pub(crate) fn owned_by(&self, account: &str) -> Vec<Bucket> {
        self.lock()
            .values()
            .filter(|s| s.owner == account)
            .map(|s| s.bucket.clone())
            .collect()
    }

    /// A copy of an object.
    pub(crate) fn get(&self, bucket: &str, key: &str) -> Option<Object> {
        self.lock().get(bucket)?.objects.get(key).cloned()
    }

    /// The objects of a bucket under `prefix`, in key order, with their
    /// metadata.
    pub(crate) fn listing(&self, bucket: &str, prefix: &str) -> Vec<(String, ObjectMeta)> {
        self.lock()
            .get(bucket)
            .map(|stored| {
                stored
                    .objects
                    .range(prefix.to_owned()..)
                    .take_while(|(k, _)| k.starts_with(prefix))
                    .map(|(k, o)| (k.clone(), o.meta()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Stores `object` under `key` of `bucket`.
    pub(crate) fn put(&self, bucket: &str, key: &str, object: Object) {
        if let Some(stored) = self.lock().get_mut(bucket) {
            stored.objects.insert(key.to_owned(), object);
        }
    }

    /// Removes `key` from `bucket`, if it is there.
    pub(crate) fn delete(&self, bucket: &str, key: &str) {
        if let Some(stored) = self.lock().get_mut(bucket) {
            stored.objects.remove(key);
        }
    }

    /// Changes a bucket's settings.
    pub(crate) fn update(&self, bucket: &str, change: impl FnOnce(&mut Bucket)) {
        if let Some(stored) = self.lock().get_mut(bucket) {
            change(&mut stored.bucket);
        }
    }
}

fn seed(model: &Model) -> BTreeMap<String, Stored> {
    model
        .accounts
        .values()
        .flat_map(|a| a.buckets.iter().map(move |b| (a, b)))
        .map(|(account, b)| {
            let objects = b
                .objects
                .iter()
                .map(|(key, object)| (key.clone(), object.clone()))
                .collect();
            let bucket = Bucket {
                objects: Vec::new(),
                ..b.clone()
            };
            (
                b.name.clone(),
                Stored {
                    owner: account.id.clone(),
                    bucket,
                    objects,
                },
            )
        })
        .collect()
}
