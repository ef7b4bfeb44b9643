//! Buckets keep their region: a request for a bucket signed for another
//! region gets S3's redirect error, which SDKs follow by signing again for
//! the region in `x-amz-bucket-region` (botocore's `S3RegionRedirectorv2`
//! reads that header first, then the error's `<Region>`).
//!
//! Sources: S3 API Reference, "Error responses" (`PermanentRedirect`, 301:
//! "The bucket you are attempting to access must be addressed using the
//! specified endpoint..."; `AuthorizationHeaderMalformed`, 400); S3 User
//! Guide, "Virtual hosting of buckets" (a request to the us-east-1
//! endpoint for a bucket elsewhere is redirected with 301); HeadBucket
//! ("a 301 with the `x-amz-bucket-region` header").

use crate::answer::Why;
use crate::aws_error::AwsError;
use crate::world::World;

/// Whether `region` has the shape of an AWS region name (`us-east-1`,
/// `us-gov-west-1`, `cn-north-1`, `ap-southeast-4`).
pub fn is_region(region: &str) -> bool {
    // Checked in place, without collecting the parts: every signed request
    // asks this of its credential scope.
    let Some((area, rest)) = region.split_once('-') else {
        return false;
    };
    let Some((words, number)) = rest.rsplit_once('-') else {
        return false;
    };
    let lower = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase());
    area.len() == 2
        && lower(area)
        && words.split('-').all(lower)
        && (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

impl World {
    /// S3's answer to a request for `bucket` signed for `signed`, when the
    /// bucket is in another region; `None` when it is in that region (or
    /// is no bucket of the world: the operation answers then).
    pub(crate) fn misdirected(&self, bucket: &str, signed: &str) -> Option<(AwsError, Why)> {
        let (_, found) = self.store().bucket(bucket)?;
        let region = found.region;
        if region == signed {
            return None;
        }
        let error = if signed == "us-east-1" {
            AwsError::new(
                "PermanentRedirect",
                301,
                "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
            )
            .with_detail("Bucket", bucket)
            .with_detail("Endpoint", &format!("{bucket}.s3.{region}.amazonaws.com"))
        } else {
            AwsError::new(
                "AuthorizationHeaderMalformed",
                400,
                format!(
                    "The authorization header is malformed; the region '{signed}' is wrong; expecting '{region}'"
                ),
            )
            .with_detail("Region", &region)
        };
        Some((
            error.with_header("x-amz-bucket-region", &region),
            Why::rule(format!(
                "the bucket `{bucket}` is in {region} and the request was signed for {signed}: sign for {region} (SDKs follow x-amz-bucket-region and retry)"
            )),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::is_region;

    #[test]
    fn region_names_have_aws_s_shape() {
        for good in [
            "us-east-1",
            "us-gov-west-1",
            "cn-north-1",
            "ap-southeast-4",
            "eu-central-2",
        ] {
            assert!(is_region(good), "{good}");
        }
        for bad in [
            "",
            "us",
            "us-east",
            "US-EAST-1",
            "us-east-100",
            "us--1",
            "useast-1",
            "u-east-1",
            "us-east-1 ",
            "us-east--1",
            "us-eAst-1",
            "-east-1",
            "us-east-1-",
        ] {
            assert!(!is_region(bad), "{bad:?}");
        }
    }
}
