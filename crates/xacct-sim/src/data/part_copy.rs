//! UploadPartCopy (S3 API Reference, UploadPartCopy): a part of an upload
//! in progress copied from an object, whole or the bytes
//! `x-amz-copy-source-range` names. The source is read as GetObject reads
//! it (its bucket policy, ownership and key decide), and the part written
//! as UploadPart writes one, so `s3:GetObject` on the source and
//! `s3:PutObject` on the upload's object both must allow it.

use super::authorize::Owned;
use super::multipart::{MultipartAnswer, UploadRef};
use super::multipart_ops::{Decided, no_such_upload, part_number_of};
use crate::answer::Why;
use crate::aws_error::AwsError;
use crate::world::{Principal, World};
use xacct_aws::cloud::ObjectKey;

/// The bytes `bytes=first-last` names of an object of `size` bytes, both
/// offsets inclusive; S3's refusal of a value of another form, or of one
/// outside the object.
fn copy_range(range: &str, size: usize) -> Result<std::ops::RangeInclusive<usize>, AwsError> {
    let offsets = range
        .strip_prefix("bytes=")
        .and_then(|r| r.split_once('-'))
        .and_then(|(first, last)| {
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            (digits(first) && digits(last)).then(|| (first.parse::<u64>(), last.parse::<u64>()))
        });
    let Some((first, last)) = offsets else {
        // gaul/s3proxy#304 and versity/versitygw#1122 quote S3's answer.
        return Err(AwsError::new(
            "InvalidArgument",
            400,
            "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
        )
        .with_detail("ArgumentName", "x-amz-copy-source-range")
        .with_detail("ArgumentValue", range));
    };
    match (first, last) {
        (Ok(first), Ok(last)) if first <= last && last < size as u64 => {
            Ok(first as usize..=last as usize)
        }
        // Observed from S3 (versity/versitygw#610) for a range past the
        // object's end.
        _ => Err(AwsError::new(
            "InvalidArgument",
            400,
            format!("Range specified is not valid for source object of size: {size}"),
        )),
    }
}

impl World {
    /// UploadPartCopy from `who`: `from` (or the bytes `range` names)
    /// as part `part_number` of `upload`, in a bucket `owned`.
    pub(super) fn upload_part_copy(
        &self,
        who: &Principal,
        (upload, part_number): (&UploadRef, &str),
        from: &ObjectKey,
        range: Option<&str>,
        owned: Owned<'_>,
    ) -> Decided {
        if let Err(refusal) = part_number_of(part_number) {
            return *refusal;
        }
        // S3 names a missing upload before it reads the source.
        let in_progress = self
            .store()
            .lock()
            .uploads
            .get(&upload.upload_id)
            .is_some_and(|u| u.at == upload.at);
        if !in_progress {
            return no_such_upload(upload);
        }
        let (read, read_why) = self.copy_source(who, from);
        let body = match read {
            Ok((body, _)) => body,
            Err(error) => return (Err(error), read_why),
        };
        let body = match range.map(|r| copy_range(r, body.len())) {
            None => body,
            // The part keeps its own bytes, not the source's whole buffer,
            // so the store cap counts what it holds.
            Some(Ok(bytes)) => bytes::Bytes::copy_from_slice(&body[bytes]),
            Some(Err(error)) => {
                return (
                    Err(error),
                    read_why.and_then(
                        "the copy source range",
                        Why::rule(format!(
                            "`{}` is not a range of bytes=first-last within the {} bytes of {}",
                            range.unwrap_or_default(),
                            body.len(),
                            from.url()
                        )),
                    ),
                );
            }
        };
        let now = self.now();
        let (written, part_why) = self.upload_part(who, (upload, part_number), body, owned, now);
        let why = read_why.and_then(
            &format!(
                "UploadPartCopy writes part {part_number} of upload `{}`",
                upload.upload_id
            ),
            part_why,
        );
        let answer = written.map(|answer| match answer {
            MultipartAnswer::Part(etag) => MultipartAnswer::PartCopied {
                etag,
                modified: now,
            },
            other => other,
        });
        (answer, why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_range_is_bytes_first_last_within_the_source() {
        assert_eq!(copy_range("bytes=0-4", 10).ok(), Some(0..=4));
        assert_eq!(copy_range("bytes=9-9", 10).ok(), Some(9..=9));
        for (range, code, message) in [
            ("bytes=0-10", "InvalidArgument", "source object of size: 10"),
            ("bytes=5-4", "InvalidArgument", "source object of size: 10"),
            ("0-4", "InvalidArgument", "bytes=first-last"),
            ("bytes=0-", "InvalidArgument", "bytes=first-last"),
            ("bytes=-4", "InvalidArgument", "bytes=first-last"),
            ("bytes=0-2,3-5", "InvalidArgument", "bytes=first-last"),
            ("bytes=a-b", "InvalidArgument", "bytes=first-last"),
            ("bytes=+1-4", "InvalidArgument", "bytes=first-last"),
        ] {
            let error = copy_range(range, 10).err();
            assert!(
                error
                    .as_ref()
                    .is_some_and(|e| e.code == code && e.message.contains(message)),
                "{range}: {error:?}"
            );
        }
    }
}
