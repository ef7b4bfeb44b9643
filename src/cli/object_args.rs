//! The object flags of `xacct run`: `--get s3://BUCKET/KEY` and
//! `--put FILE s3://BUCKET/KEY`, made after the flow as the run's last
//! identity (the role session, or the base credentials without a role).

use clap::Args;

use crate::cloud::{ObjectCall, ObjectKey, ObjectPut};
use crate::input::{FileKind, read_bytes};
use crate::validate::InputError;

/// Object calls after the flow.
#[derive(Debug, Clone, Default, Args)]
pub struct ObjectArgs {
    /// Read this object after the flow (GetObject; repeat): the report
    /// shows its size, ETag and encryption, or who refused and why.
    #[arg(long = "get", value_name = "S3_URL", conflicts_with_all = ["org", "accounts", "accounts_file"])]
    pub get: Vec<String>,
    /// Upload FILE to this object after the flow (PutObject; repeat).
    #[arg(long = "put", num_args = 2, value_names = ["FILE", "S3_URL"], conflicts_with_all = ["org", "accounts", "accounts_file"])]
    pub put: Vec<String>,
    /// The canned ACL of every --put (bucket-owner-full-control, ...).
    #[arg(long, value_name = "ACL", requires = "put")]
    pub acl: Option<String>,
    /// The SSE-KMS key of every --put (a key ARN, or alias/aws/s3).
    #[arg(long = "sse-kms-key-id", value_name = "ARN", requires = "put")]
    pub kms_key: Option<String>,
}

/// `s3://BUCKET/KEY` as a bucket and a key.
fn s3_url(field: &'static str, url: &str) -> Result<ObjectKey, InputError> {
    let parsed = url
        .strip_prefix("s3://")
        .and_then(|rest| rest.split_once('/'))
        .filter(|(bucket, key)| !bucket.is_empty() && !key.is_empty());
    match parsed {
        Some((bucket, key)) => Ok(ObjectKey {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
        }),
        None => Err(InputError {
            field,
            value: url.to_owned(),
            rule: "an object is named s3://BUCKET/KEY".to_owned(),
            fix:
                "write the bucket and the key, for example s3://shared-reports/reports/2026-01.csv"
                    .to_owned(),
        }),
    }
}

impl ObjectArgs {
    /// Whether any object call is asked for.
    pub fn any(&self) -> bool {
        !self.get.is_empty() || !self.put.is_empty()
    }

    /// The calls, the puts' files read; every problem is returned.
    pub fn calls(&self) -> Result<Vec<ObjectCall>, Vec<InputError>> {
        let mut calls = Vec::new();
        let mut errors = Vec::new();
        for url in &self.get {
            match s3_url("--get", url) {
                Ok(at) => calls.push(ObjectCall::get(at)),
                Err(e) => errors.push(e),
            }
        }
        for pair in self.put.chunks(2) {
            let [file, url] = pair else { continue };
            let at = s3_url("--put", url);
            let body =
                read_bytes(std::path::Path::new(file), FileKind::Upload).map_err(|e| InputError {
                    field: "--put",
                    value: file.clone(),
                    rule: e.message,
                    fix: "pass a readable file, then the object's s3://BUCKET/KEY".to_owned(),
                });
            match (at, body) {
                (Ok(at), Ok(body)) => calls.push(ObjectCall::Put(ObjectPut {
                    at,
                    body: body.into(),
                    acl: self.acl.clone(),
                    kms_key: self.kms_key.clone(),
                    when: crate::cloud::Preconditions::default(),
                    headers: crate::cloud::ObjectHeaders::default(),
                })),
                (at, body) => errors.extend(at.err().into_iter().chain(body.err())),
            }
        }
        if errors.is_empty() {
            Ok(calls)
        } else {
            Err(errors)
        }
    }
}
