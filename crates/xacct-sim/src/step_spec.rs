//! A run's data steps as a scenario writes them: object calls made after
//! the flow, in order, as the run's last identity, each with what AWS
//! would answer.

use serde::Deserialize;

use super::error_expect::ErrorExpect;

/// One step.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum StepSpec {
    /// GetObject.
    GetObject(ObjectStep),
    /// PutObject.
    PutObject(PutStep),
    /// HeadObject.
    HeadObject(ObjectStep),
    /// ListObjectsV2.
    ListObjects(ListStep),
    /// DeleteObject.
    DeleteObject(ObjectStep),
    /// PutBucketPolicy.
    PutBucketPolicy(PolicyStep),
}

/// A PutBucketPolicy step.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyStep {
    /// The bucket.
    pub bucket: String,
    /// The bucket policy to put.
    pub policy: xacct_iam::Document,
    /// What AWS would answer.
    #[serde(default)]
    pub expect: Option<StepExpect>,
}

/// A step on one object.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectStep {
    /// The bucket.
    pub bucket: String,
    /// The key.
    pub key: String,
    /// What AWS would answer.
    #[serde(default)]
    pub expect: Option<StepExpect>,
}

/// A PutObject step.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PutStep {
    /// The bucket.
    pub bucket: String,
    /// The key.
    pub key: String,
    /// The body.
    #[serde(default)]
    pub body: Option<String>,
    /// Or its size (bytes of zeros).
    #[serde(default)]
    pub size: Option<u64>,
    /// `x-amz-acl`.
    #[serde(default)]
    pub acl: Option<String>,
    /// The SSE-KMS key (a key ARN or `alias/aws/s3`).
    #[serde(default)]
    pub kms_key: Option<String>,
    /// What AWS would answer.
    #[serde(default)]
    pub expect: Option<StepExpect>,
}

/// A ListObjectsV2 step.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListStep {
    /// The bucket.
    pub bucket: String,
    /// Only keys that start with it.
    #[serde(default)]
    pub prefix: Option<String>,
    /// What AWS would answer.
    #[serde(default)]
    pub expect: Option<StepExpect>,
}

/// What a step expects.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum StepExpect {
    /// `ok`: the call succeeded.
    Word(String),
    /// The exact keys a listing returns, in order.
    Keys(Vec<String>),
    /// An error.
    Error(ErrorExpect),
    /// What a read returns.
    Object(ObjectExpect),
}

/// What a read returns; a key left out is not checked.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ObjectExpect {
    /// The body.
    pub body: Option<String>,
    /// The size in bytes.
    pub size: Option<u64>,
    /// The SSE-KMS key ARN the object is encrypted with.
    pub kms_key: Option<String>,
    /// Where this expectation comes from (a doc page, observed behaviour).
    pub source: Option<String>,
}

impl StepSpec {
    /// The step's name in the scenario (`get_object`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Self::GetObject(_) => "get_object",
            Self::PutObject(_) => "put_object",
            Self::HeadObject(_) => "head_object",
            Self::ListObjects(_) => "list_objects",
            Self::DeleteObject(_) => "delete_object",
            Self::PutBucketPolicy(_) => "put_bucket_policy",
        }
    }

    /// What it expects, to change.
    pub fn expect_mut(&mut self) -> &mut Option<StepExpect> {
        match self {
            Self::GetObject(s) | Self::HeadObject(s) | Self::DeleteObject(s) => &mut s.expect,
            Self::PutObject(s) => &mut s.expect,
            Self::ListObjects(s) => &mut s.expect,
            Self::PutBucketPolicy(s) => &mut s.expect,
        }
    }

    /// What it expects.
    pub fn expect(&self) -> Option<&StepExpect> {
        match self {
            Self::GetObject(s) | Self::HeadObject(s) | Self::DeleteObject(s) => s.expect.as_ref(),
            Self::PutObject(s) => s.expect.as_ref(),
            Self::ListObjects(s) => s.expect.as_ref(),
            Self::PutBucketPolicy(s) => s.expect.as_ref(),
        }
    }
}

impl StepSpec {
    /// Checks what a scenario cannot mean: an expectation of the wrong
    /// shape for the call, a body and a size together, an unknown ACL.
    pub(crate) fn check(&self, at: &str) -> Result<(), String> {
        let (bucket, key) = match self {
            Self::GetObject(s) | Self::HeadObject(s) | Self::DeleteObject(s) => {
                (&s.bucket, Some(&s.key))
            }
            Self::PutObject(s) => (&s.bucket, Some(&s.key)),
            Self::ListObjects(s) => (&s.bucket, None),
            Self::PutBucketPolicy(s) => (&s.bucket, None),
        };
        if bucket.is_empty() {
            return Err(format!("{at}.bucket: a bucket name may not be empty"));
        }
        if key.is_some_and(String::is_empty) {
            return Err(format!("{at}.key: an object key may not be empty"));
        }
        if let Self::PutObject(put) = self {
            super::bucket_spec::check_body(put.body.as_ref(), put.size)
                .map_err(|rule| format!("{at}{rule}"))?;
            if let Some(acl) = &put.acl
                && !crate::data::ownership::CANNED_ACLS.contains(&acl.as_str())
            {
                return Err(format!(
                    "{at}.acl: `{acl}` is not a canned ACL ({})",
                    crate::data::ownership::CANNED_ACLS.join(", ")
                ));
            }
        }
        let fits = match (self.expect(), self) {
            (None | Some(StepExpect::Error(_)), _) => true,
            (Some(StepExpect::Word(word)), Self::ListObjects(_)) => word == "ok",
            (Some(StepExpect::Word(word)), _) => word == "ok",
            (Some(StepExpect::Keys(_)), Self::ListObjects(_)) => true,
            (Some(StepExpect::Object(o)), Self::GetObject(_)) => {
                o.body.is_none() || o.size.is_none()
            }
            (Some(StepExpect::Object(o)), Self::HeadObject(_)) => o.body.is_none(),
            _ => false,
        };
        if fits {
            Ok(())
        } else {
            Err(format!(
                "{at}.expect: {}",
                match self {
                    Self::GetObject(_) =>
                        "expect `ok`, {body: TEXT} or {size: N} (one of them), or an error map {error: CODE}",
                    Self::HeadObject(_) =>
                        "expect `ok`, {size: N} (HeadObject returns no body), or an error map {error: CODE}",
                    Self::ListObjects(_) =>
                        "expect `ok`, the list of keys, or an error map {error: CODE}",
                    Self::PutObject(_) | Self::DeleteObject(_) | Self::PutBucketPolicy(_) =>
                        "expect `ok` or an error map {error: CODE}",
                }
            ))
        }
    }
}
