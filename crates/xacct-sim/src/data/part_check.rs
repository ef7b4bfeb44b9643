//! CompleteMultipartUpload's checks of the parts a completion names,
//! before any part is joined.

use super::multipart::{MIN_PART_SIZE, Upload};
use crate::answer::Why;
use crate::aws_error::AwsError;

/// CompleteMultipartUpload's checks of the parts asked for: ascending
/// numbers, each uploaded with that ETag, each but the last at least 5 MiB.
/// The errors' words and elements are the ones S3 sends (recorded from AWS
/// in LocalStack's snapshot tests, 2026; the API Reference words them
/// slightly differently).
pub(super) fn check_parts(
    upload: &Upload,
    upload_id: &str,
    asked: &[(u32, String)],
) -> Result<(), Box<(AwsError, Why)>> {
    if asked.is_empty() {
        return Err(Box::new((
            AwsError::new("InvalidRequest", 400, "You must specify at least one part"),
            Why::rule("CompleteMultipartUpload names no part"),
        )));
    }
    if asked.windows(2).any(|w| w[0].0 >= w[1].0) {
        return Err(Box::new((
            AwsError::new(
                "InvalidPartOrder",
                400,
                "The list of parts was not in ascending order. Parts must be ordered by part number.",
            )
            .with_detail("UploadId", upload_id),
            Why::rule("the part numbers are not in ascending order"),
        )));
    }
    let unquoted = |etag: &str| etag.trim().trim_matches('"').to_owned();
    for (number, etag) in asked {
        let matches = upload
            .parts
            .get(number)
            .is_some_and(|p| unquoted(&p.etag()) == unquoted(etag));
        if !matches {
            return Err(Box::new((
                AwsError::new(
                    "InvalidPart",
                    400,
                    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
                )
                .with_detail("UploadId", upload_id)
                .with_detail("PartNumber", &number.to_string())
                .with_detail("ETag", etag.trim_matches('"')),
                Why::rule(format!("part {number} with ETag {etag} was not uploaded")),
            )));
        }
    }
    let last = asked.len() - 1;
    for (i, (number, etag)) in asked.iter().enumerate() {
        let size = upload.parts.get(number).map_or(0, |p| p.body.len());
        if i < last && size < MIN_PART_SIZE {
            return Err(Box::new((
                AwsError::new(
                    "EntityTooSmall",
                    400,
                    "Your proposed upload is smaller than the minimum allowed size",
                )
                .with_detail("ProposedSize", &size.to_string())
                .with_detail("MinSizeAllowed", &MIN_PART_SIZE.to_string())
                .with_detail("PartNumber", &number.to_string())
                .with_detail("ETag", etag.trim_matches('"')),
                Why::rule(format!(
                    "part {number} is {size} bytes; every part but the last must be at least 5 MiB"
                )),
            )));
        }
    }
    Ok(())
}
