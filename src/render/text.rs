//! The text report, in the spirit of the original flow's output.

use std::time::SystemTime;

use crate::cloud::{Bucket, CloudError, ObjectAnswer, ObjectCall, ObjectMeta};
use crate::flow::Report;
use crate::hints::{self, HintContext};
use crate::validate::InputError;

/// Renders a whole report. `now` dates the expiry ("in 59m 59s").
pub fn report(report: &Report, now: SystemTime) -> String {
    let mut out = String::new();
    let role = Some(report.request.role_arn.as_str());
    let base_ctx = HintContext {
        role_arn: role,
        with_assumed_credentials: false,
    };

    match (&report.source_identity, &report.source_buckets) {
        (Some(identity), Some(listed)) => {
            out.push_str("===== Account A Buckets =====\n");
            match identity {
                Ok(id) => line(&mut out, format!("as {} (account {})", id.arn, id.account)),
                Err(err) => line(&mut out, format!("as (unknown: {})", err.summary())),
            }
            buckets(&mut out, listed, base_ctx);
            if report.assume_role.is_some() {
                out.push_str("\n===== Assume Role =====\n");
            }
        }
        _ => {
            out.push_str("===== Assume Role With Web Identity =====\n");
            line(
                &mut out,
                "from a web identity token: no base credentials, so no source account to list"
                    .to_owned(),
            );
        }
    }
    if report.assume_role.is_some() {
        line(&mut out, format!("role:       {}", report.request.role_arn));
        line(
            &mut out,
            format!("session:    {}", report.request.session_name),
        );
    }
    match &report.assume_role {
        None => {}
        Some(Ok(assumed)) => {
            line(&mut out, format!("assumed:    {}", assumed.arn));
            line(&mut out, format!("role id:    {}", assumed.assumed_role_id));
            if let Some(id) = &assumed.source_identity {
                line(&mut out, format!("source id:  {id}"));
            }
            if !report.request.tags.is_empty() {
                let tags: Vec<String> = report
                    .request
                    .tags
                    .iter()
                    .map(|t| format!("{}={}", t.key, t.value))
                    .collect();
                line(&mut out, format!("tags:       {}", tags.join(", ")));
            }
            if let Some(w) = &assumed.web_identity {
                line(&mut out, format!("subject:    {}", w.subject));
                line(&mut out, format!("provider:   {}", w.provider));
                line(&mut out, format!("audience:   {}", w.audience));
            }
            line(
                &mut out,
                format!("access key: {}", assumed.credentials.access_key_id),
            );
            if let Some(at) = assumed.credentials.expiration {
                line(
                    &mut out,
                    format!(
                        "expires:    {} ({})",
                        super::timestamp(at),
                        super::relative(at, now)
                    ),
                );
            }
        }
        Some(Err(err)) => failure(&mut out, err, base_ctx),
    }

    if let (Some(target), Some(assumed)) = (&report.target_buckets, report.assumed()) {
        out.push_str("\n===== Account B Buckets =====\n");
        line(&mut out, format!("as {}", assumed.arn));
        buckets(
            &mut out,
            target,
            HintContext {
                role_arn: role,
                with_assumed_credentials: true,
            },
        );
    }
    objects(&mut out, report);
    out
}

/// The object calls after the flow: who made each, and S3's answer.
fn objects(out: &mut String, report: &Report) {
    if report.objects.is_empty() {
        return;
    }
    out.push_str("\n===== Objects =====\n");
    let ctx = HintContext {
        role_arn: report.assumed().map(|_| report.request.role_arn.as_str()),
        with_assumed_credentials: report.assumed().is_some(),
    };
    for step in &report.objects {
        let verb = match step.call {
            ObjectCall::Get(_) => "read",
            ObjectCall::Head(_) => "head",
            ObjectCall::Put(_) => "write",
            ObjectCall::Delete(_) => "delete",
            ObjectCall::Copy(_) => "copy to",
        };
        line(
            out,
            format!("{verb} {} as {}", step.call.at().url(), step.caller),
        );
        match &step.result {
            Ok(
                ObjectAnswer::Body(_, meta)
                | ObjectAnswer::Meta(meta)
                | ObjectAnswer::Stored(meta)
                | ObjectAnswer::Copied(meta),
            ) => {
                line(out, format!("  {}", shown_meta(meta)));
            }
            Ok(ObjectAnswer::Deleted) => line(out, "  deleted".to_owned()),
            Err(err) => failure(out, err, ctx),
        }
    }
}

/// `19 bytes, ETag "...", SSE-KMS with ARN` (or SSE-S3).
pub(crate) fn shown_meta(meta: &ObjectMeta) -> String {
    let encryption = match &meta.kms_key {
        Some(key) => format!("SSE-KMS with {key}"),
        None => "SSE-S3".to_owned(),
    };
    format!("{} bytes, ETag {}, {encryption}", meta.size, meta.etag)
}

/// One line of the report; what an endpoint said in it (a bucket name, an
/// ARN, a message) is escaped ([`super::terminal_safe`]).
fn line(out: &mut String, text: String) {
    out.push_str(&super::terminal_safe(&text));
    out.push('\n');
}

fn buckets(out: &mut String, result: &Result<Vec<Bucket>, CloudError>, ctx: HintContext<'_>) {
    match result {
        Ok(list) if list.is_empty() => out.push_str("(no buckets)\n"),
        Ok(list) => list.iter().for_each(|b| line(out, b.name.clone())),
        Err(err) => failure(out, err, ctx),
    }
}

/// An AWS error with AWS's code and message, the likely cause and next step,
/// and the request id.
pub fn failure(out: &mut String, err: &CloudError, ctx: HintContext<'_>) {
    line(out, format!("FAILED: {err}"));
    if let Some(hint) = hints::for_error(err, ctx) {
        line(out, format!("  likely cause: {}", hint.cause));
        line(out, format!("  next step:    {}", hint.next));
    }
    if let Some(id) = &err.request_id {
        line(out, format!("  request id:   {id}"));
    }
}

/// Input errors, one per line, each prefixed `error: `.
pub fn input_errors(errors: &[InputError]) -> String {
    errors.iter().map(|e| format!("error: {e}\n")).collect()
}
