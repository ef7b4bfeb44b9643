//! The object operations of the simulated S3: GetObject, HeadObject,
//! PutObject, DeleteObject and ListObjectsV2, each decided as
//! [`super::authorize`] describes and answered with S3's errors (S3 API
//! Reference, each operation's page, and "Error responses").

use super::authorize::{Owned, bucket_decision, kms_decision, object_acl_decision};
use super::object::Object;
use super::object_errors::{
    copy_onto_itself, head_error, invalid_range, key_too_long, metadata_too_large, no_such_bucket,
};
use super::write::WriteAsk;
use crate::answer::{Outcome, Why};
use crate::aws_error::AwsError;
use crate::object_page::{ObjectListing, ObjectPage};
use crate::world::{Principal, World};
use xacct_aws::cloud::{
    ByteRange, ObjectAnswer, ObjectCall, ObjectCopy, ObjectKey, ObjectMeta, ObjectPut,
    Preconditions,
};

/// What a read asks: GetObject's body or HeadObject's metadata alone, of
/// the whole object or the part a range selects.
#[derive(Debug, Clone, Copy)]
struct Read<'a> {
    body: bool,
    range: Option<ByteRange>,
    when: &'a Preconditions,
}

impl World {
    /// One object call from `who`.
    pub(crate) fn object_call(&self, who: &Principal, call: &ObjectCall) -> Outcome<ObjectAnswer> {
        let at = call.at();
        if let Some((error, why)) = key_too_long(&at.key, !matches!(call, ObjectCall::Head(_))) {
            return Outcome::refused(who.who().clone(), error, why);
        }
        let written = match call {
            ObjectCall::Put(put) => Some(&put.headers),
            ObjectCall::Copy(copy) if copy.replace_metadata => Some(&copy.to.headers),
            _ => None,
        };
        if let Some((error, why)) = written.and_then(metadata_too_large) {
            return Outcome::refused(who.who().clone(), error, why);
        }
        let Some((owner, bucket)) = self.store().bucket(&at.bucket) else {
            let (error, why) = no_such_bucket(&at.bucket);
            let error = match call {
                ObjectCall::Head(_) => head_error(404),
                _ => error,
            };
            return Outcome::refused(who.who().clone(), error, why);
        };
        let owned = Owned {
            bucket: &bucket,
            owner: &owner,
        };
        let (result, why) = match call {
            ObjectCall::Get(get) | ObjectCall::Head(get) => {
                let body = matches!(call, ObjectCall::Get(_));
                let read = Read {
                    body,
                    range: get.range,
                    when: &get.when,
                };
                let (answer, why) = self.read(who, &get.at, owned, read);
                (answer.map(super::meta_words::read_answer), why)
            }
            ObjectCall::Put(put) => {
                let put = ObjectPut {
                    headers: super::meta_words::written(put.headers.clone()),
                    ..put.clone()
                };
                self.put(who, &put, owned)
            }
            ObjectCall::Delete(at) => self.delete(who, at, owned),
            ObjectCall::Copy(copy) => self.copy(who, copy, owned),
        };
        Outcome {
            result,
            caller: who.who().clone(),
            why: Some(why),
        }
    }

    /// GetObject or HeadObject.
    fn read(
        &self,
        who: &Principal,
        at: &ObjectKey,
        owned: Owned<'_>,
        read: Read<'_>,
    ) -> (Result<ObjectAnswer, AwsError>, Why) {
        let body = read.body;
        let identity = &who.identity;
        let arn = format!("arn:aws:s3:::{}/{}", at.bucket, at.key);
        let refused = |status: u16| {
            if body {
                AwsError::s3_access_denied()
            } else {
                head_error(status)
            }
        };
        let object = self.store().get(&at.bucket, &at.key);
        let verdict = match &object {
            Some(o) if o.owner != owned.owner => object_acl_decision(
                self,
                identity,
                "s3:GetObject",
                &arn,
                owned,
                (&o.owner, &o.acl),
            ),
            _ => bucket_decision(self, identity, "s3:GetObject", &arn, owned, &[]),
        };
        if !verdict.allowed {
            return (Err(refused(403)), verdict.why);
        }
        let Some(object) = object else {
            return self.missing_key(who, at, owned, verdict.why, body);
        };
        let mut why = verdict.why;
        if body && let Some(key) = &object.kms_key {
            let kms = kms_decision(self, identity, "kms:Decrypt", key, &owned.bucket.region);
            let allowed = kms.allowed;
            why = why.and_then(
                "SSE-KMS: reading needs kms:Decrypt on the object's key",
                kms.why,
            );
            if !allowed {
                return (Err(AwsError::s3_access_denied()), why);
            }
        }
        if let Err(unmet) = super::preconditions::read(read.when, &object, body) {
            let (error, reason) = *unmet;
            why.note(reason);
            return (Err(error), why);
        }
        let size = object.body.len() as u64;
        let part = read
            .range
            .filter(|range| !range.reads_whole(size))
            .map(|range| (range, range.within(size)));
        if let Some((range, None)) = part {
            why.note(format!(
                "the range `{range}` selects no byte of the {size}-byte object, so S3 answers InvalidRange"
            ));
            return (Err(invalid_range(range, size, body)), why);
        }
        let part = part.and_then(|(_, part)| part);
        let meta = ObjectMeta {
            range: part,
            ..object.meta()
        };
        let answer = match (body, part) {
            (false, _) => ObjectAnswer::Meta(meta),
            (true, None) => ObjectAnswer::Body(object.body.clone(), meta),
            (true, Some(part)) => ObjectAnswer::Body(
                object.body.slice(part.first as usize..=part.last as usize),
                meta,
            ),
        };
        (Ok(answer), why)
    }

    /// A read of a key that does not exist: `NoSuchKey` only to a caller
    /// allowed `s3:ListBucket`, `AccessDenied` to the others, as S3 hides
    /// which keys exist (S3 API Reference, GetObject, "Permissions").
    fn missing_key(
        &self,
        who: &Principal,
        at: &ObjectKey,
        owned: Owned<'_>,
        mut why: Why,
        body: bool,
    ) -> (Result<ObjectAnswer, AwsError>, Why) {
        let arn = format!("arn:aws:s3:::{}", at.bucket);
        let list = bucket_decision(self, &who.identity, "s3:ListBucket", &arn, owned, &[]);
        let error = match (list.allowed, body) {
            (true, true) => AwsError::new("NoSuchKey", 404, "The specified key does not exist.")
                .with_detail("Key", &at.key),
            (true, false) => head_error(404),
            (false, true) => AwsError::s3_access_denied(),
            (false, false) => head_error(403),
        };
        why = why.and_then(
            &format!(
                "the key `{}` does not exist; S3 says so only to a caller allowed s3:ListBucket on the bucket",
                at.key
            ),
            list.why,
        );
        (Err(error), why)
    }

    /// PutObject.
    fn put(
        &self,
        who: &Principal,
        put: &ObjectPut,
        owned: Owned<'_>,
    ) -> (Result<ObjectAnswer, AwsError>, Why) {
        let write = WriteAsk {
            at: &put.at,
            acl: put.acl.as_deref(),
            kms_key: put.kms_key.as_deref(),
            kms_actions: &["kms:GenerateDataKey"],
        };
        let admitted = match self.admit_write(who, &write, owned) {
            Ok(admitted) => admitted,
            Err(refusal) => {
                let (error, why) = *refusal;
                return (Err(error), why);
            }
        };
        let object = Object::new(
            put.body.clone(),
            &admitted.owner,
            &admitted.acl,
            admitted.kms_key,
            self.now(),
        )
        .with_headers(put.headers.clone());
        let meta = object.meta();
        let mut unmet = false;
        let check = |existing: Option<&Object>| {
            let verdict = super::preconditions::write(&put.when, &put.at.key, existing);
            unmet = verdict.is_err();
            verdict
        };
        let stored = self.store().put(&put.at.bucket, &put.at.key, object, check);
        let mut why = admitted.why;
        if unmet {
            why.note("the write was allowed, but its precondition did not hold");
        }
        match stored {
            Ok(()) => (Ok(ObjectAnswer::Stored(meta)), why),
            Err(refused) => (Err(refused), why),
        }
    }

    /// A copy's source (CopyObject's, UploadPartCopy's) read as GetObject
    /// would read it: its bucket policy, ownership and key decide.
    pub(super) fn copy_source(
        &self,
        who: &Principal,
        from: &ObjectKey,
    ) -> (Result<(bytes::Bytes, ObjectMeta), AwsError>, Why) {
        let Some((owner, bucket)) = self.store().bucket(&from.bucket) else {
            let (error, why) = no_such_bucket(&from.bucket);
            return (Err(error), why);
        };
        let source = Owned {
            bucket: &bucket,
            owner: &owner,
        };
        let (read, why) = self.read(
            who,
            from,
            source,
            Read {
                body: true,
                range: None,
                when: &Preconditions::default(),
            },
        );
        let read = read.map(|answer| match answer {
            ObjectAnswer::Body(body, meta) => (body, meta),
            _ => (bytes::Bytes::new(), ObjectMeta::default()),
        });
        (read, why)
    }

    /// CopyObject: the source read as GetObject would read it (its bucket
    /// policy, ownership and key decide), then written as PutObject would
    /// write it to the destination (`owned`).
    fn copy(
        &self,
        who: &Principal,
        copy: &ObjectCopy,
        owned: Owned<'_>,
    ) -> (Result<ObjectAnswer, AwsError>, Why) {
        let (read, why) = self.copy_source(who, &copy.from);
        // The copy keeps the source's headers unless it replaces them
        // (`x-amz-metadata-directive`, S3 API Reference, CopyObject).
        let (body, source_headers) = match read {
            Ok((body, meta)) => (body, *meta.headers),
            Err(error) => return (Err(error), why),
        };
        if copy.from == copy.to.at && !copy.replace_metadata && copy.to.kms_key.is_none() {
            let mut why = why;
            why.note(
                "the copy's destination is its source, and it changes nothing (no x-amz-metadata-directive: REPLACE, no encryption), so S3 refuses it as InvalidRequest",
            );
            return (Err(copy_onto_itself()), why);
        }
        let headers = if copy.replace_metadata {
            super::meta_words::written(copy.to.headers.clone())
        } else {
            source_headers
        };
        let put = ObjectPut {
            body,
            headers,
            ..copy.to.clone()
        };
        let (written, put_why) = self.put(who, &put, owned);
        let why = why.and_then(
            &format!(
                "CopyObject writes the copy to s3://{}/{}",
                put.at.bucket, put.at.key
            ),
            put_why,
        );
        let result = written.map(|answer| match answer {
            ObjectAnswer::Stored(meta) => ObjectAnswer::Copied(meta),
            other => other,
        });
        (result, why)
    }

    /// DeleteObjects: each key decided as its own DeleteObject; the call
    /// succeeds when the bucket exists, with an answer per key (S3 API
    /// Reference, DeleteObjects).
    pub(crate) fn delete_objects(
        &self,
        who: &Principal,
        bucket: &str,
        keys: Vec<String>,
    ) -> Outcome<Vec<(String, Result<(), AwsError>)>> {
        let Some((owner, found)) = self.store().bucket(bucket) else {
            let (error, why) = no_such_bucket(bucket);
            return Outcome::refused(who.who().clone(), error, why);
        };
        let owned = Owned {
            bucket: &found,
            owner: &owner,
        };
        let mut why = Why::rule(format!(
            "each of the {} keys decided as DeleteObject",
            keys.len()
        ));
        let answers = keys
            .into_iter()
            .map(|key| {
                let at = ObjectKey {
                    bucket: bucket.to_owned(),
                    key,
                };
                let (result, key_why) = self.delete(who, &at, owned);
                why.note(format!("`{}`: {}", at.key, key_why.summary));
                (at.key, result.map(|_| ()))
            })
            .collect();
        Outcome {
            result: Ok(answers),
            caller: who.who().clone(),
            why: Some(why),
        }
    }

    /// DeleteObject: S3 answers 204 whether the key existed or not.
    fn delete(
        &self,
        who: &Principal,
        at: &ObjectKey,
        owned: Owned<'_>,
    ) -> (Result<ObjectAnswer, AwsError>, Why) {
        let arn = format!("arn:aws:s3:::{}/{}", at.bucket, at.key);
        let verdict = bucket_decision(self, &who.identity, "s3:DeleteObject", &arn, owned, &[]);
        if !verdict.allowed {
            return (Err(AwsError::s3_access_denied()), verdict.why);
        }
        self.store().delete(&at.bucket, &at.key);
        (Ok(ObjectAnswer::Deleted), verdict.why)
    }

    /// `s3:ListObjectsV2` on `bucket` (the `s3:ListBucket` action, with
    /// `s3:prefix` in the request's keys): its keys under `prefix`. A
    /// bucket no account owns is `NoSuchBucket` (404); a refusal is S3's
    /// `AccessDenied` (403).
    pub(crate) fn list_objects(
        &self,
        who: &Principal,
        bucket: &str,
        listing: &ObjectListing,
    ) -> Outcome<ObjectPage> {
        let prefix = listing.prefix.as_deref();
        let Some((owner, found)) = self.store().bucket(bucket) else {
            let (error, why) = no_such_bucket(bucket);
            return Outcome::refused(who.who().clone(), error, why);
        };
        let owned = Owned {
            bucket: &found,
            owner: &owner,
        };
        let arn = format!("arn:aws:s3:::{bucket}");
        let context: Vec<(&str, String)> = [
            ("s3:prefix", prefix),
            ("s3:delimiter", listing.delimiter.as_deref()),
            ("s3:max-keys", listing.max_keys.as_deref()),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.map(|v| (key, v.to_owned())))
        .collect();
        let verdict = bucket_decision(self, &who.identity, "s3:ListBucket", &arn, owned, &context);
        Outcome {
            result: if verdict.allowed {
                listing.page(self.store().listing(bucket, prefix.unwrap_or_default()))
            } else {
                Err(AwsError::s3_access_denied())
            },
            caller: who.who().clone(),
            why: Some(verdict.why),
        }
    }
}
