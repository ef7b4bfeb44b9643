//! Running a run's data steps against the world, through the same seam as
//! the live client, and comparing each answer with what the step expects.

use super::expect::{Mismatch, error_matches, show_error, show_expected_error};
use super::step_spec::{StepExpect, StepSpec};
use xacct_aws::cloud::{
    CloudError, Credentials, ObjectAnswer, ObjectCall, ObjectKey, ObjectPut, S3, S3Objects,
};

/// What a step got.
#[derive(Debug, Clone)]
pub enum StepResult {
    /// An object call's answer.
    Object(ObjectAnswer),
    /// A listing's keys.
    Keys(Vec<String>),
    /// A bucket call that returns nothing.
    Done,
}

/// The call a step makes.
enum StepCall<'s> {
    /// A listing.
    List(&'s super::step_spec::ListStep),
    /// A bucket policy put: the bucket and the policy's JSON text.
    Policy(&'s str, String),
    /// An object call.
    Object(Box<ObjectCall>),
}

fn call_of(step: &StepSpec) -> StepCall<'_> {
    let at = |bucket: &str, key: &str| ObjectKey {
        bucket: bucket.to_owned(),
        key: key.to_owned(),
    };
    StepCall::Object(Box::new(match step {
        StepSpec::GetObject(s) => ObjectCall::get(at(&s.bucket, &s.key)),
        StepSpec::HeadObject(s) => ObjectCall::head(at(&s.bucket, &s.key)),
        StepSpec::DeleteObject(s) => ObjectCall::Delete(at(&s.bucket, &s.key)),
        StepSpec::PutObject(s) => ObjectCall::Put(ObjectPut {
            at: at(&s.bucket, &s.key),
            // Checked at load (`StepSpec::check`).
            body: super::bucket_spec::body_bytes(s.body.as_ref(), s.size)
                .unwrap_or_default()
                .into(),
            acl: s.acl.clone(),
            kms_key: s.kms_key.clone(),
            when: xacct_aws::cloud::Preconditions::default(),
            headers: xacct_aws::cloud::ObjectHeaders::default(),
        }),
        StepSpec::ListObjects(list) => return StepCall::List(list),
        StepSpec::PutBucketPolicy(put) => {
            return StepCall::Policy(&put.bucket, put.policy.0.to_string());
        }
    }))
}

/// Runs `steps` in order with `caller`'s credentials.
pub async fn run_steps<C>(
    cloud: &C,
    caller: &Credentials,
    steps: &[StepSpec],
) -> Vec<Result<StepResult, CloudError>>
where
    C: S3 + S3Objects + Sync,
{
    let mut out = Vec::with_capacity(steps.len());
    for step in steps {
        let result = match call_of(step) {
            StepCall::List(list) => cloud
                .list_objects(caller, &list.bucket, list.prefix.as_deref())
                .await
                .map(StepResult::Keys),
            StepCall::Object(call) => cloud.object(caller, &call).await.map(StepResult::Object),
            StepCall::Policy(bucket, text) => cloud
                .set_bucket_policy(caller, bucket, Some(&text))
                .await
                .map(|()| StepResult::Done),
        };
        out.push(result);
    }
    out
}

fn show(result: &Result<StepResult, CloudError>) -> String {
    match result {
        Ok(StepResult::Keys(keys)) => format!("[{}]", keys.join(", ")),
        Ok(StepResult::Object(ObjectAnswer::Body(body, meta))) => format!(
            "{} bytes {:?}{}",
            meta.size,
            String::from_utf8_lossy(body),
            kms(meta.kms_key.as_deref())
        ),
        Ok(StepResult::Object(ObjectAnswer::Meta(meta))) => {
            format!(
                "an object of {} bytes{}",
                meta.size,
                kms(meta.kms_key.as_deref())
            )
        }
        Ok(
            StepResult::Object(
                ObjectAnswer::Stored(_) | ObjectAnswer::Deleted | ObjectAnswer::Copied(_),
            )
            | StepResult::Done,
        ) => "ok".to_owned(),
        Err(e) => show_error(e),
    }
}

fn kms(key: Option<&str>) -> String {
    key.map(|k| format!(", encrypted with {k}"))
        .unwrap_or_default()
}

fn holds(expect: &StepExpect, got: &Result<StepResult, CloudError>) -> bool {
    match (expect, got) {
        (StepExpect::Word(_), Ok(_)) => true,
        (StepExpect::Error(e), Err(got)) => error_matches(e, got),
        (StepExpect::Keys(keys), Ok(StepResult::Keys(got))) => keys == got,
        (StepExpect::Object(o), Ok(StepResult::Object(answer))) => {
            let (body, meta) = match answer {
                ObjectAnswer::Body(body, meta) => (Some(body), meta),
                ObjectAnswer::Meta(meta) => (None, meta),
                _ => return false,
            };
            o.body
                .as_ref()
                .is_none_or(|b| body.is_some_and(|got| got[..] == *b.as_bytes()))
                && o.size.is_none_or(|s| s == meta.size)
                && o.kms_key
                    .as_ref()
                    .is_none_or(|k| meta.kms_key.as_ref() == Some(k))
        }
        _ => false,
    }
}

fn show_expected(expect: &StepExpect) -> String {
    match expect {
        StepExpect::Word(word) => word.clone(),
        StepExpect::Keys(keys) => format!("[{}]", keys.join(", ")),
        StepExpect::Error(e) => show_expected_error(e),
        StepExpect::Object(o) => {
            let mut parts = Vec::new();
            if let Some(body) = &o.body {
                parts.push(format!("body {body:?}"));
            }
            if let Some(size) = o.size {
                parts.push(format!("{size} bytes"));
            }
            if let Some(key) = &o.kms_key {
                parts.push(format!("encrypted with {key}"));
            }
            parts.join(", ")
        }
    }
}

/// The steps' expectations that their answers do not meet; a step the
/// flow never reached (it stopped before) is a mismatch when it expects
/// anything.
pub fn compare_steps(
    steps: &[StepSpec],
    results: Option<&[Result<StepResult, CloudError>]>,
) -> Vec<Mismatch> {
    steps
        .iter()
        .enumerate()
        .filter_map(|(i, step)| {
            let expect = step.expect()?;
            let field = format!("steps[{i}].{}", step.name());
            match results.and_then(|r| r.get(i)) {
                Some(got) if holds(expect, got) => None,
                Some(got) => Some(Mismatch {
                    field,
                    expected: show_expected(expect),
                    got: show(got),
                }),
                None => Some(Mismatch {
                    field,
                    expected: show_expected(expect),
                    got: "nothing: the flow stopped before its steps".to_owned(),
                }),
            }
        })
        .collect()
}
