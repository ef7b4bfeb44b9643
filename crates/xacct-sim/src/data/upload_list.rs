//! ListMultipartUploads as S3 answers it (S3 API Reference,
//! ListMultipartUploads): a bucket's uploads in progress under `prefix`,
//! sorted by key and, within a key, by when each was initiated; rolled up
//! by the `delimiter` ([`crate::key_rollup`]); at most `max-uploads`
//! entries (1,000 at most); resumed after `key-marker` and, within that
//! key, after `upload-id-marker`. Authorized as
//! `s3:ListBucketMultipartUploads` on the bucket.

use std::time::SystemTime;

use super::authorize::{Owned, bucket_decision};
use super::multipart::Upload;
use super::multipart_ops::whole_number;
use crate::answer::{Outcome, Why};
use crate::aws_error::AwsError;
use crate::key_rollup::Rollup;
use crate::world::{Principal, World};

/// What a ListMultipartUploads request asks for, as sent (checked by the
/// world; all absent: the first 1,000 uploads).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadListing {
    /// `prefix`.
    pub prefix: Option<String>,
    /// `delimiter`.
    pub delimiter: Option<String>,
    /// `max-uploads`, as given.
    pub max_uploads: Option<String>,
    /// `key-marker`: the uploads of later keys.
    pub key_marker: Option<String>,
    /// `upload-id-marker`: with `key-marker`, that key's uploads after
    /// this one too; ignored without it.
    pub upload_id_marker: Option<String>,
}

/// An upload in progress as ListMultipartUploads shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadView {
    /// `Key`.
    pub key: String,
    /// `UploadId`.
    pub upload_id: String,
    /// `Initiator.ID`: an IAM user's or session's ARN, an account root's
    /// canonical user id.
    pub initiator: String,
    /// `Owner.ID`: the canonical user id of the account that will own
    /// the object.
    pub owner: String,
    /// `Initiated`.
    pub initiated: SystemTime,
}

/// One page of ListMultipartUploads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UploadPage {
    /// The uploads listed.
    pub uploads: Vec<UploadView>,
    /// `CommonPrefixes`.
    pub common_prefixes: Vec<String>,
    /// `MaxUploads` in force.
    pub max_uploads: usize,
    /// `IsTruncated`.
    pub truncated: bool,
    /// `NextKeyMarker` and `NextUploadIdMarker`: the last upload the page
    /// took in, listed or rolled up, truncated or not (as S3 answers,
    /// versity/versitygw#2144); `None` on a page of none.
    pub last: Option<(String, String)>,
}

impl World {
    /// ListMultipartUploads of `bucket` from `who`.
    pub(crate) fn list_uploads(
        &self,
        who: &Principal,
        bucket: &str,
        listing: &UploadListing,
    ) -> Outcome<UploadPage> {
        let refused = |error: AwsError, why: Why| Outcome::refused(who.who().clone(), error, why);
        let Some((owner, held)) = self.store().bucket(bucket) else {
            let (error, why) = super::object_errors::no_such_bucket(bucket);
            return refused(error, why);
        };
        let owned = Owned {
            bucket: &held,
            owner: &owner,
        };
        let arn = format!("arn:aws:s3:::{bucket}");
        let verdict = bucket_decision(
            self,
            &who.identity,
            "s3:ListBucketMultipartUploads",
            &arn,
            owned,
            &[],
        );
        if !verdict.allowed {
            return refused(AwsError::s3_access_denied(), verdict.why);
        }
        let max = match whole_number(listing.max_uploads.as_deref(), "max-uploads", 1000) {
            Ok(max) => max.min(1000),
            Err(error) => return refused(error, verdict.why),
        };
        let contents = self.store().lock();
        let page = page(contents.uploads.iter(), bucket, listing, max);
        drop(contents);
        Outcome {
            result: Ok(page),
            caller: who.who().clone(),
            why: Some(verdict.why),
        }
    }
}

/// The page `listing` asks for of `uploads` (every upload of the world,
/// by id).
fn page<'a>(
    uploads: impl Iterator<Item = (&'a String, &'a Upload)>,
    bucket: &str,
    listing: &UploadListing,
    max: usize,
) -> UploadPage {
    let prefix = listing.prefix.as_deref().unwrap_or_default();
    let mut held: Vec<(&String, &Upload)> = uploads
        .filter(|(_, u)| u.at.bucket == bucket && u.at.key.starts_with(prefix))
        .collect();
    held.sort_by(|(_, a), (_, b)| {
        (&a.at.key, a.initiated, a.serial).cmp(&(&b.at.key, b.initiated, b.serial))
    });
    let held = after_markers(held, listing);
    let rollup = Rollup {
        prefix,
        delimiter: listing.delimiter.as_deref(),
        max,
    };
    let rolled = rollup.page(
        held,
        |(_, u)| u.at.key.as_str(),
        |(id, u)| (u.at.key.clone(), (*id).clone()),
    );
    UploadPage {
        uploads: rolled
            .listed
            .into_iter()
            .map(|(id, u)| UploadView {
                key: u.at.key.clone(),
                upload_id: id.clone(),
                initiator: u.initiator.clone(),
                owner: crate::keys::canonical_user(&u.owner),
                initiated: u.initiated,
            })
            .collect(),
        common_prefixes: rolled.common_prefixes,
        max_uploads: max,
        truncated: rolled.truncated,
        last: rolled.last,
    }
}

/// What of `held` (sorted) comes after the markers: the uploads of keys
/// after `key-marker`; with `upload-id-marker`, that key's uploads after
/// the one it names too. S3 documents the id as compared
/// "lexicographically" (S3 API Reference, ListMultipartUploads,
/// `upload-id-marker`); an id of that key's uploads goes on right after
/// it in initiation order, so that a paginator sees each upload once, and
/// an id the key does not have is compared as S3 documents.
fn after_markers<'a>(
    held: Vec<(&'a String, &'a Upload)>,
    listing: &UploadListing,
) -> Vec<(&'a String, &'a Upload)> {
    let Some(key_marker) = listing.key_marker.as_deref().filter(|k| !k.is_empty()) else {
        return held;
    };
    let before = held.partition_point(|(_, u)| u.at.key.as_str() < key_marker);
    let through = held.partition_point(|(_, u)| u.at.key.as_str() <= key_marker);
    let id_marker = listing
        .upload_id_marker
        .as_deref()
        .filter(|i| !i.is_empty());
    let same_key = &held[before..through];
    let kept: Vec<(&String, &Upload)> = match id_marker {
        None => Vec::new(),
        Some(marker) => match same_key.iter().position(|(id, _)| id.as_str() == marker) {
            Some(at) => same_key[at + 1..].to_vec(),
            None => same_key
                .iter()
                .filter(|(id, _)| id.as_str() > marker)
                .copied()
                .collect(),
        },
    };
    kept.into_iter()
        .chain(held[through..].iter().copied())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use xacct_aws::cloud::ObjectKey;

    /// Uploads of bucket `b`: (id, key, seconds after the epoch).
    fn uploads(of: &[(&str, &str, u64)]) -> Vec<(String, Upload)> {
        of.iter()
            .zip(1..)
            .map(|((id, key, at), serial)| {
                let upload = Upload {
                    at: ObjectKey {
                        bucket: "b".to_owned(),
                        key: (*key).to_owned(),
                    },
                    owner: "111111111111".to_owned(),
                    initiator: "arn:aws:iam::111111111111:user/ops".to_owned(),
                    initiated: SystemTime::UNIX_EPOCH + Duration::from_secs(*at),
                    serial,
                    acl: "private".to_owned(),
                    kms_key: None,
                    headers: Default::default(),
                    parts: Default::default(),
                };
                ((*id).to_owned(), upload)
            })
            .collect()
    }

    fn ids(held: &[(String, Upload)], listing: &UploadListing, max: usize) -> Vec<String> {
        page(held.iter().map(|(id, u)| (id, u)), "b", listing, max)
            .uploads
            .into_iter()
            .map(|u| u.upload_id)
            .collect()
    }

    #[test]
    fn uploads_of_a_key_go_by_initiation_and_an_id_marker_goes_on_after_its_own() {
        // Within key `k`, `z` was initiated first, then `a`, then `m`.
        let held = uploads(&[("z", "k", 1), ("a", "k", 2), ("m", "k", 3), ("q", "l", 0)]);
        let all = UploadListing::default();
        assert_eq!(ids(&held, &all, 1000), ["z", "a", "m", "q"]);
        let marked = |id: &str| UploadListing {
            key_marker: Some("k".to_owned()),
            upload_id_marker: Some(id.to_owned()),
            ..UploadListing::default()
        };
        // An id the key has: the uploads initiated after it.
        assert_eq!(ids(&held, &marked("z"), 1000), ["a", "m", "q"]);
        assert_eq!(ids(&held, &marked("a"), 1000), ["m", "q"]);
        // An id it does not have: those with a greater id, as S3 documents.
        assert_eq!(ids(&held, &marked("b"), 1000), ["z", "m", "q"]);
        // Without a key marker, an id marker is ignored.
        let ignored = UploadListing {
            upload_id_marker: Some("z".to_owned()),
            ..UploadListing::default()
        };
        assert_eq!(ids(&held, &ignored, 1000), ["z", "a", "m", "q"]);
        // Initiated at the same time, the one started first comes first.
        let same_time = uploads(&[("b", "k", 5), ("a", "k", 5)]);
        assert_eq!(ids(&same_time, &all, 1000), ["b", "a"]);
        // A page of two ends truncated at the second, named as the last.
        let first = page(held.iter().map(|(id, u)| (id, u)), "b", &all, 2);
        assert!(first.truncated);
        assert_eq!(first.last, Some(("k".to_owned(), "a".to_owned())));
    }

    #[test]
    fn only_the_buckets_uploads_under_the_prefix_are_listed() {
        let mut held = uploads(&[("1", "logs/a", 0), ("2", "top", 0)]);
        held[1].1.at.bucket = "other".to_owned();
        let under = UploadListing {
            prefix: Some("logs/".to_owned()),
            ..UploadListing::default()
        };
        assert_eq!(ids(&held, &under, 1000), ["1"]);
        assert_eq!(ids(&held, &UploadListing::default(), 1000), ["1"]);
    }
}
