//! Reading what decides access to a bucket's data for `xacct import
//! --profile`: GetBucketLocation, then, signed for the bucket's own region
//! (S3 answers a request signed for another with a redirect the Rust SDK
//! does not follow), GetBucketPolicy, GetBucketOwnershipControls,
//! GetPublicAccessBlock and GetBucketEncryption. S3's "not configured"
//! errors are the settings they stand for (no policy; ObjectWriter;
//! Block Public Access off; SSE-S3); any other refusal is said and the
//! setting left unknown, never fatal.

use aws_sdk_s3 as s3;

use super::{AwsCloud, s3_as};
use crate::cloud::{BucketFacts, Credentials};

/// The error code of an SDK error, when S3 sent one.
fn code<E: s3::error::ProvideErrorMetadata>(e: &s3::error::SdkError<E>) -> String {
    e.as_service_error()
        .and_then(|s| s.code().map(str::to_owned))
        .or_else(|| e.raw_response().map(|r| r.status().as_u16().to_string()))
        .unwrap_or_else(|| "no answer".to_owned())
}

fn note(bucket: &str, what: &str, code: &str) -> String {
    format!("bucket `{bucket}`: {what} was refused ({code}); left unknown")
}

/// Fills in `facts` for one bucket, `notes` what could not be read.
pub(super) async fn read_bucket(
    cloud: &AwsCloud,
    caller: &Credentials,
    facts: &mut BucketFacts,
    notes: &mut Vec<String>,
) {
    let name = facts.name.clone();
    match send_as!(cloud.s3.get_bucket_location().bucket(&name), s3_as(caller)) {
        Ok(out) => {
            // S3 answers us-east-1 as an empty constraint, and eu-west-1 as
            // the legacy `EU`.
            let region = out
                .location_constraint()
                .map(|c| c.as_str().to_owned())
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| "us-east-1".to_owned());
            facts.region = Some(if region == "EU" {
                "eu-west-1".to_owned()
            } else {
                region
            });
        }
        Err(e) => notes.push(note(&name, "GetBucketLocation", &code(&e))),
    }
    let signed = || {
        let config = s3_as(caller);
        match &facts.region {
            Some(region) => config.region(aws_types::region::Region::new(region.clone())),
            None => config,
        }
    };
    match send_as!(cloud.s3.get_bucket_policy().bucket(&name), signed()) {
        Ok(out) => {
            facts.policy = out.policy().and_then(|p| serde_json::from_str(p).ok());
        }
        Err(e) if code(&e) == "NoSuchBucketPolicy" => {}
        Err(e) => notes.push(note(&name, "GetBucketPolicy", &code(&e))),
    }
    match send_as!(
        cloud.s3.get_bucket_ownership_controls().bucket(&name),
        signed()
    ) {
        Ok(out) => {
            facts.ownership = out
                .ownership_controls()
                .and_then(|c| c.rules().first())
                .map(|r| r.object_ownership().as_str().to_owned());
        }
        // No ownership controls: ACLs on, the writer owns what it writes.
        Err(e) if code(&e) == "OwnershipControlsNotFoundError" => {
            facts.ownership = Some("ObjectWriter".to_owned());
        }
        Err(e) => notes.push(note(&name, "GetBucketOwnershipControls", &code(&e))),
    }
    match send_as!(cloud.s3.get_public_access_block().bucket(&name), signed()) {
        Ok(out) => {
            facts.public_access_block = out.public_access_block_configuration().map(|c| {
                [
                    c.block_public_acls().unwrap_or(false),
                    c.ignore_public_acls().unwrap_or(false),
                    c.block_public_policy().unwrap_or(false),
                    c.restrict_public_buckets().unwrap_or(false),
                ]
            });
        }
        // None configured on the bucket: every setting off (the account's
        // own Block Public Access is not read).
        Err(e) if code(&e) == "NoSuchPublicAccessBlockConfiguration" => {
            facts.public_access_block = Some([false; 4]);
        }
        Err(e) => notes.push(note(&name, "GetPublicAccessBlock", &code(&e))),
    }
    match send_as!(cloud.s3.get_bucket_encryption().bucket(&name), signed()) {
        Ok(out) => {
            let default = out
                .server_side_encryption_configuration()
                .and_then(|c| c.rules().first())
                .and_then(|r| r.apply_server_side_encryption_by_default());
            if let Some(d) = default
                && d.sse_algorithm() == &s3::types::ServerSideEncryption::AwsKms
            {
                facts.kms_key = Some(
                    d.kms_master_key_id()
                        .map_or_else(|| "alias/aws/s3".to_owned(), str::to_owned),
                );
            }
        }
        Err(e) if code(&e) == "ServerSideEncryptionConfigurationNotFoundError" => {}
        Err(e) => notes.push(note(&name, "GetBucketEncryption", &code(&e))),
    }
}
