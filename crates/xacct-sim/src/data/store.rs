//! The buckets of a world as they stand: their settings (policy, Object
//! Ownership, Block Public Access, default encryption), their objects and
//! the multipart uploads in progress, seeded from the scenario, changed by
//! the bucket and object operations, and reset to the seed before each
//! run. What it holds (objects and uploads, their bytes, keys, headers and
//! bookkeeping) is counted against a cap.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::multipart::Upload;
use super::object::Object;
use crate::aws_error::AwsError;
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

/// What the store holds.
#[derive(Debug, Default)]
pub(crate) struct Contents {
    /// Every bucket by name.
    pub buckets: BTreeMap<String, Stored>,
    /// The multipart uploads in progress by upload id.
    pub uploads: BTreeMap<String, Upload>,
    /// How many uploads were started: the next one's [`Upload::serial`].
    pub uploads_started: u64,
    /// What every object and upload counts against the cap
    /// ([`super::footprint`]): their bytes, keys, headers and bookkeeping.
    bytes: u64,
}

/// Every bucket by name, and the uploads in progress.
#[derive(Debug)]
pub(crate) struct Store {
    contents: Mutex<Contents>,
    /// The most bytes it holds; `u64::MAX` for no cap.
    cap: AtomicU64,
}

impl Store {
    /// The buckets the model starts with.
    pub(crate) fn seeded(model: &Model) -> Self {
        Self {
            contents: Mutex::new(seed(model)),
            cap: AtomicU64::new(u64::MAX),
        }
    }

    /// Back to the buckets the model starts with.
    pub(crate) fn reset(&self, model: &Model) {
        *self.lock() = seed(model);
    }

    /// Caps the bytes held at `bytes`: a write past it is refused.
    pub(crate) fn set_cap(&self, bytes: u64) {
        self.cap.store(bytes, Ordering::Relaxed);
    }

    /// The lock. A writer never leaves a bucket half-changed (each change
    /// is one map operation), so a poisoned lock still guards whole maps.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Contents> {
        self.contents.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The bytes held now.
    pub(crate) fn bytes(&self) -> u64 {
        self.lock().bytes
    }

    /// A bucket's owner and settings, as they stand.
    pub(crate) fn bucket(&self, name: &str) -> Option<(String, Bucket)> {
        self.lock()
            .buckets
            .get(name)
            .map(|s| (s.owner.clone(), s.bucket.clone()))
    }

    /// The buckets `account` owns, in name order.
    pub(crate) fn owned_by(&self, account: &str) -> Vec<Bucket> {
        self.lock()
            .buckets
            .values()
            .filter(|s| s.owner == account)
            .map(|s| s.bucket.clone())
            .collect()
    }

    /// A copy of an object.
    pub(crate) fn get(&self, bucket: &str, key: &str) -> Option<Object> {
        self.lock().buckets.get(bucket)?.objects.get(key).cloned()
    }

    /// The objects of a bucket under `prefix`, in key order, with their
    /// metadata and owner's canonical id.
    pub(crate) fn listing(&self, bucket: &str, prefix: &str) -> Vec<(String, ObjectMeta)> {
        let mut owner: Option<(String, String)> = None;
        self.lock()
            .buckets
            .get(bucket)
            .map(|stored| {
                stored
                    .objects
                    .range(prefix.to_owned()..)
                    .take_while(|(k, _)| k.starts_with(prefix))
                    .map(|(k, o)| {
                        // Most buckets' objects have one owner: its id is
                        // worked out once.
                        let id = match &owner {
                            Some((account, id)) if *account == o.owner => id.clone(),
                            _ => {
                                let id = crate::keys::canonical_user(&o.owner);
                                owner = Some((o.owner.clone(), id.clone()));
                                id
                            }
                        };
                        let meta = ObjectMeta {
                            owner: Some(id),
                            ..o.meta()
                        };
                        (k.clone(), meta)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Stores `object` under `key` of `bucket`, replacing the object
    /// there, when `check` passes the object there now (decided under the
    /// lock: a conditional write); refused when the bytes held would pass
    /// the cap.
    pub(crate) fn put(
        &self,
        bucket: &str,
        key: &str,
        object: Object,
        check: impl FnOnce(Option<&Object>) -> Result<(), AwsError>,
    ) -> Result<(), AwsError> {
        let cap = self.cap.load(Ordering::Relaxed);
        let mut contents = self.lock();
        let Contents { buckets, bytes, .. } = &mut *contents;
        let Some(stored) = buckets.get_mut(bucket) else {
            return Ok(());
        };
        check(stored.objects.get(key))?;
        let old = stored.objects.get(key).map_or(0, |o| o.footprint(key));
        let held = bytes.saturating_sub(old);
        let new = object.footprint(key);
        if held.saturating_add(new) > cap {
            return Err(full(cap, *bytes, new));
        }
        *bytes = held.saturating_add(new);
        stored.objects.insert(key.to_owned(), object);
        Ok(())
    }

    /// Stores `object` under `key` of `bucket` in the room `reserved`
    /// (what a completed upload held, never less than its object), which
    /// is let go; `false`, with the room let go, when the bucket is gone.
    pub(crate) fn put_reserved(
        &self,
        bucket: &str,
        key: &str,
        object: Object,
        reserved: u64,
    ) -> bool {
        let mut contents = self.lock();
        let Contents { buckets, bytes, .. } = &mut *contents;
        let held = bytes.saturating_sub(reserved);
        let Some(stored) = buckets.get_mut(bucket) else {
            *bytes = held;
            return false;
        };
        let old = stored.objects.get(key).map_or(0, |o| o.footprint(key));
        *bytes = held
            .saturating_sub(old)
            .saturating_add(object.footprint(key));
        stored.objects.insert(key.to_owned(), object);
        true
    }

    /// Counts `more` bytes in (an upload begun, a part uploaded), refused
    /// past the cap; `less` bytes (a part replaced) out.
    pub(crate) fn reserve(
        contents: &mut Contents,
        cap: u64,
        more: u64,
        less: u64,
    ) -> Result<(), AwsError> {
        let held = contents.bytes.saturating_sub(less);
        if held.saturating_add(more) > cap {
            return Err(full(cap, contents.bytes, more));
        }
        contents.bytes = held.saturating_add(more);
        Ok(())
    }

    /// Counts `less` bytes out (an upload aborted or completed).
    pub(crate) fn release(contents: &mut Contents, less: u64) {
        contents.bytes = contents.bytes.saturating_sub(less);
    }

    /// The cap, `u64::MAX` for none.
    pub(crate) fn cap(&self) -> u64 {
        self.cap.load(Ordering::Relaxed)
    }

    /// Removes `key` from `bucket`, if it is there.
    pub(crate) fn delete(&self, bucket: &str, key: &str) {
        let mut contents = self.lock();
        let Contents { buckets, bytes, .. } = &mut *contents;
        if let Some(stored) = buckets.get_mut(bucket)
            && let Some(gone) = stored.objects.remove(key)
        {
            *bytes = bytes.saturating_sub(gone.footprint(key));
        }
    }

    /// Puts `buckets` and `uploads` (numbered from 1 in the order they
    /// started) in place of every bucket and upload.
    pub(crate) fn replace(
        &self,
        buckets: BTreeMap<String, Stored>,
        uploads: BTreeMap<String, Upload>,
    ) {
        let bytes = count(&buckets) + uploads.values().map(Upload::footprint).sum::<u64>();
        *self.lock() = Contents {
            buckets,
            uploads_started: uploads.len() as u64,
            uploads,
            bytes,
        };
    }

    /// Changes a bucket's settings.
    pub(crate) fn update(&self, bucket: &str, change: impl FnOnce(&mut Bucket)) {
        if let Some(stored) = self.lock().buckets.get_mut(bucket) {
            change(&mut stored.bucket);
        }
    }
}

/// The refusal of a write past the cap. No S3 error stands for it: 507
/// (Insufficient Storage) is one no SDK retries, and the message says
/// what to do.
fn full(cap: u64, held: u64, adding: u64) -> AwsError {
    AwsError::new(
        "XacctStoreFull",
        507,
        format!(
            "The simulated S3 keeps objects in memory up to {cap} bytes and holds {held}; storing {adding} more would pass the cap. Delete objects or abort uploads, or start xacct serve with a larger --max-store."
        ),
    )
}

fn seed(model: &Model) -> Contents {
    let buckets: BTreeMap<String, Stored> = model
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
        .collect();
    let bytes = count(&buckets);
    Contents {
        buckets,
        uploads: BTreeMap::new(),
        uploads_started: 0,
        bytes,
    }
}

/// What every object of `buckets` counts against the cap.
fn count(buckets: &BTreeMap<String, Stored>) -> u64 {
    buckets
        .values()
        .flat_map(|s| s.objects.iter())
        .map(|(key, o)| o.footprint(key))
        .sum()
}
