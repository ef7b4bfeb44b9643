//! The multipart upload operations of the simulated S3, decided as
//! PutObject is ([`super::write`]) with the upload's own errors (S3 API
//! Reference: CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
//! AbortMultipartUpload, ListParts, and "Error responses").

use super::authorize::{Owned, bucket_decision};
use super::footprint::PART_BYTES;
use super::multipart::{
    MAX_PART_NUMBER, MultipartAnswer, MultipartCall, Part, PartList, PartView, PartsPage, Upload,
    UploadRef, joined_etag,
};
use super::object::Object;
use super::part_check::check_parts;
use super::store::Store;
use super::write::WriteAsk;
use crate::answer::{Outcome, Why};
use crate::aws_error::AwsError;
use crate::world::{Principal, World};
use xacct_aws::cloud::{ObjectHeaders, ObjectKey};

/// A multipart call's answer and why.
pub(super) type Decided = (Result<MultipartAnswer, AwsError>, Why);

/// `partNumber` as a number from 1 to 10,000, or S3's refusal.
pub(super) fn part_number_of(part_number: &str) -> Result<u32, Box<Decided>> {
    match part_number.parse::<u32>() {
        Ok(n) if (1..=MAX_PART_NUMBER).contains(&n) => Ok(n),
        _ => Err(Box::new(refused(
            AwsError::new(
                "InvalidArgument",
                400,
                "Part number must be an integer between 1 and 10000, inclusive",
            )
            .with_detail("ArgumentName", "partNumber")
            .with_detail("ArgumentValue", part_number),
            format!("`{part_number}` is no part number (1-10000)"),
        ))),
    }
}

/// S3's answer for an upload that is not in progress.
pub(super) fn no_such_upload(upload: &UploadRef) -> Decided {
    (
        Err(AwsError::new(
            "NoSuchUpload",
            404,
            "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
        )
        .with_detail("UploadId", &upload.upload_id)),
        Why::rule(format!(
            "no upload `{}` of {} is in progress",
            upload.upload_id,
            upload.at.url()
        )),
    )
}

fn refused(error: AwsError, why: impl Into<String>) -> Decided {
    (Err(error), Why::rule(why))
}

/// A paging parameter as a whole number (`default` when absent), or S3's
/// refusal of one that is not (worded as for ListObjects' `max-keys`).
/// A value past a 32-bit integer is not one (moto, S3's `responses.py`:
/// both parameters range over 0 to 2147483647).
pub(super) fn whole_number(
    value: Option<&str>,
    name: &str,
    default: usize,
) -> Result<usize, AwsError> {
    let Some(v) = value else {
        return Ok(default);
    };
    match v.parse::<i32>() {
        Ok(n) => usize::try_from(n).map_err(|_| {
            AwsError::new(
                "InvalidArgument",
                400,
                format!("Argument {name} must be an integer between 0 and 2147483647"),
            )
        }),
        Err(_) => Err(AwsError::new(
            "InvalidArgument",
            400,
            format!("Provided {name} not an integer or within integer range"),
        )
        .with_detail("ArgumentName", name)
        .with_detail("ArgumentValue", v)),
    }
}

impl World {
    /// One multipart call from `who`.
    pub(crate) fn multipart_call(
        &self,
        who: &Principal,
        call: MultipartCall,
    ) -> Outcome<MultipartAnswer> {
        let bucket_name = call.at().bucket.clone();
        if let Some((error, why)) = super::object_errors::key_too_long(&call.at().key, true) {
            return Outcome::refused(who.who().clone(), error, why);
        }
        if let MultipartCall::Create { headers, .. } = &call
            && let Some((error, why)) = super::object_errors::metadata_too_large(headers)
        {
            return Outcome::refused(who.who().clone(), error, why);
        }
        let Some((owner, bucket)) = self.store().bucket(&bucket_name) else {
            let (error, why) = super::object_errors::no_such_bucket(&bucket_name);
            return Outcome::refused(who.who().clone(), error, why);
        };
        let owned = Owned {
            bucket: &bucket,
            owner: &owner,
        };
        let (result, why) = match call {
            MultipartCall::Create {
                at,
                acl,
                kms_key,
                headers,
            } => self.create_upload(
                who,
                &at,
                (acl.as_deref(), kms_key.as_deref()),
                super::meta_words::written(headers),
                owned,
            ),
            MultipartCall::UploadPart {
                upload,
                part_number,
                body,
            } => self.upload_part(who, (&upload, &part_number), body, owned, self.now()),
            MultipartCall::UploadPartCopy {
                upload,
                part_number,
                from,
                range,
            } => {
                self.upload_part_copy(who, (&upload, &part_number), &from, range.as_deref(), owned)
            }
            MultipartCall::Complete { upload, parts } => {
                self.complete_upload(who, &upload, &parts, owned)
            }
            MultipartCall::Abort(upload) => self.abort_upload(who, &upload, owned),
            MultipartCall::ListParts(upload, page) => self.list_parts(who, &upload, &page, owned),
        };
        Outcome {
            result,
            caller: who.who().clone(),
            why: Some(why),
        }
    }

    fn create_upload(
        &self,
        who: &Principal,
        at: &ObjectKey,
        (acl, kms_key): (Option<&str>, Option<&str>),
        headers: ObjectHeaders,
        owned: Owned<'_>,
    ) -> Decided {
        // AWS: an SSE-KMS multipart upload needs kms:GenerateDataKey and
        // kms:Decrypt (S3 User Guide, "Multipart upload API and permissions").
        let ask = WriteAsk {
            at,
            acl,
            kms_key,
            kms_actions: &["kms:GenerateDataKey", "kms:Decrypt"],
        };
        let admitted = match self.admit_write(who, &ask, owned) {
            Ok(admitted) => admitted,
            Err(refusal) => {
                let (error, why) = *refusal;
                return (Err(error), why);
            }
        };
        let upload_id = self.upload_id(at);
        let kms_key = admitted.kms_key.clone();
        let caller = who.identity.caller(self.model());
        let initiator = match caller.kind {
            xacct_iam::CallerKind::Root => crate::keys::canonical_user(&caller.account),
            _ => caller.arn(),
        };
        let mut upload = Upload {
            at: at.clone(),
            owner: admitted.owner,
            initiator,
            // S3 keeps `Initiated` to the second (`...T19:16:46.000Z` in a
            // response observed in versity/versitygw#2156).
            initiated: super::object::whole_seconds(self.now()),
            serial: 0,
            acl: admitted.acl,
            kms_key: admitted.kms_key,
            headers,
            parts: Default::default(),
        };
        let cap = self.store().cap();
        let mut contents = self.store().lock();
        // A DeleteBucket between the decision and this lock took the
        // bucket: no upload may outlive it.
        if !contents.buckets.contains_key(&at.bucket) {
            let (error, gone) = super::object_errors::no_such_bucket(&at.bucket);
            return (
                Err(error),
                admitted
                    .why
                    .and_then("the bucket was deleted before the upload started", gone),
            );
        }
        if let Err(full) = Store::reserve(&mut contents, cap, upload.entry_footprint(), 0) {
            return (Err(full), admitted.why);
        }
        contents.uploads_started += 1;
        upload.serial = contents.uploads_started;
        contents.uploads.insert(upload_id.clone(), upload);
        drop(contents);
        (
            Ok(MultipartAnswer::Created { upload_id, kms_key }),
            admitted.why,
        )
    }

    /// A fresh upload id: opaque, unique in the world.
    fn upload_id(&self, at: &ObjectKey) -> String {
        use base64::Engine as _;
        use sha2::Digest as _;
        let serial = self.request_id().s3();
        let digest = sha2::Sha256::digest(format!("upload:{serial}:{}", at.url()));
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
    }

    /// `s3:PutObject` (or `action`) on the upload's object.
    fn upload_decision(
        &self,
        who: &Principal,
        action: &str,
        at: &ObjectKey,
        owned: Owned<'_>,
    ) -> Result<Why, Box<Decided>> {
        let arn = format!("arn:aws:s3:::{}/{}", at.bucket, at.key);
        let verdict = bucket_decision(self, &who.identity, action, &arn, owned, &[]);
        if verdict.allowed {
            Ok(verdict.why)
        } else {
            Err(Box::new((Err(AwsError::s3_access_denied()), verdict.why)))
        }
    }

    /// UploadPart: `body` as part `part_number` of `upload`, stored at `now`.
    pub(super) fn upload_part(
        &self,
        who: &Principal,
        (upload, part_number): (&UploadRef, &str),
        body: bytes::Bytes,
        owned: Owned<'_>,
        now: std::time::SystemTime,
    ) -> Decided {
        let number = match part_number_of(part_number) {
            Ok(n) => n,
            Err(refusal) => return *refusal,
        };
        let why = match self.upload_decision(who, "s3:PutObject", &upload.at, owned) {
            Ok(why) => why,
            Err(refusal) => return *refusal,
        };
        let cap = self.store().cap();
        let part = Part::new(body, now);
        let etag = part.etag();
        let mut contents = self.store().lock();
        let old = match contents.uploads.get(&upload.upload_id) {
            Some(u) if u.at == upload.at => u
                .parts
                .get(&number)
                .map_or(0, |p| p.body.len() as u64 + PART_BYTES),
            _ => return no_such_upload(upload),
        };
        let new = part.body.len() as u64 + PART_BYTES;
        if let Err(full) = Store::reserve(&mut contents, cap, new, old) {
            return (Err(full), why);
        }
        if let Some(u) = contents.uploads.get_mut(&upload.upload_id) {
            u.parts.insert(number, part);
        }
        (Ok(MultipartAnswer::Part(etag)), why)
    }

    fn complete_upload(
        &self,
        who: &Principal,
        upload: &UploadRef,
        asked: &[(u32, String)],
        owned: Owned<'_>,
    ) -> Decided {
        let why = match self.upload_decision(who, "s3:PutObject", &upload.at, owned) {
            Ok(why) => why,
            Err(refusal) => return *refusal,
        };
        let taken = {
            let mut contents = self.store().lock();
            let Some(found) = contents.uploads.get(&upload.upload_id) else {
                return no_such_upload(upload);
            };
            if found.at != upload.at {
                return no_such_upload(upload);
            }
            if let Err(refusal) = check_parts(found, &upload.upload_id, asked) {
                return (
                    Err(refusal.0),
                    why.and_then("the parts do not make an object", refusal.1),
                );
            }
            let Some(taken) = contents.uploads.remove(&upload.upload_id) else {
                return no_such_upload(upload);
            };
            // What the upload holds stays counted until the object takes
            // its place: a write in between cannot take the room and leave
            // the upload gone with no object.
            taken
        };
        let reserved = taken.footprint();
        let etag = {
            let parts: Vec<&Part> = asked
                .iter()
                .filter_map(|(n, _)| taken.parts.get(n))
                .collect();
            joined_etag(&parts)
        };
        // Each part is let go once copied, so joining holds the object and
        // one part at most, not the parts twice.
        let mut parts = taken.parts;
        let size = parts.values().map(|p| p.body.len()).sum();
        let mut body = Vec::with_capacity(size);
        for (number, _) in asked {
            if let Some(part) = parts.remove(number) {
                body.extend_from_slice(&part.body);
            }
        }
        drop(parts);
        let object = Object::new(body, &taken.owner, &taken.acl, taken.kms_key, self.now())
            .with_etag(etag)
            .with_headers(taken.headers);
        let meta = object.meta();
        if self
            .store()
            .put_reserved(&upload.at.bucket, &upload.at.key, object, reserved)
        {
            (Ok(MultipartAnswer::Completed(meta)), why)
        } else {
            let (error, gone) = super::object_errors::no_such_bucket(&upload.at.bucket);
            (
                Err(error),
                why.and_then("the bucket was deleted before the upload completed", gone),
            )
        }
    }

    fn abort_upload(&self, who: &Principal, upload: &UploadRef, owned: Owned<'_>) -> Decided {
        let why = match self.upload_decision(who, "s3:AbortMultipartUpload", &upload.at, owned) {
            Ok(why) => why,
            Err(refusal) => return *refusal,
        };
        let mut contents = self.store().lock();
        match contents.uploads.get(&upload.upload_id) {
            Some(u) if u.at == upload.at => {}
            _ => return no_such_upload(upload),
        }
        if let Some(gone) = contents.uploads.remove(&upload.upload_id) {
            Store::release(&mut contents, gone.footprint());
        }
        (Ok(MultipartAnswer::Aborted), why)
    }

    fn list_parts(
        &self,
        who: &Principal,
        upload: &UploadRef,
        page: &PartsPage,
        owned: Owned<'_>,
    ) -> Decided {
        let why = match self.upload_decision(who, "s3:ListMultipartUploadParts", &upload.at, owned)
        {
            Ok(why) => why,
            Err(refusal) => return *refusal,
        };
        let contents = self.store().lock();
        let Some(found) = contents
            .uploads
            .get(&upload.upload_id)
            .filter(|u| u.at == upload.at)
        else {
            return no_such_upload(upload);
        };
        let (max_parts, after) = match (
            whole_number(page.max_parts.as_deref(), "max-parts", 1000),
            whole_number(page.part_number_marker.as_deref(), "part-number-marker", 0),
        ) {
            (Ok(max), Ok(after)) => (max.min(1000), after),
            (Err(e), _) | (_, Err(e)) => return (Err(e), why),
        };
        let after = u32::try_from(after).unwrap_or(u32::MAX);
        let mut parts: Vec<PartView> = found
            .parts
            .range(after.saturating_add(1)..)
            .take(max_parts + 1)
            .map(|(number, part)| PartView {
                number: *number,
                etag: part.etag(),
                size: part.body.len() as u64,
                modified: part.modified,
            })
            .collect();
        // An empty page (max-parts=0) is not truncated, or a paginator
        // would ask for the same page again (as moto answers it).
        let truncated = max_parts > 0 && parts.len() > max_parts;
        parts.truncate(max_parts);
        let list = PartList {
            parts,
            after,
            max_parts,
            truncated,
            initiator: found.initiator.clone(),
            owner: crate::keys::canonical_user(&found.owner),
        };
        (Ok(MultipartAnswer::Parts(list)), why)
    }
}
