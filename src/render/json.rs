//! The JSON report: stable field names for scripts. Secrets have no field.

use std::time::SystemTime;

use serde::Serialize;

use crate::cloud::{AssumedRole, Bucket, CallerIdentity, CloudError, ErrorClass, Operation};
use crate::creds::CredsError;
use crate::flow::Report;
use crate::hints::{self, HintContext};
use crate::validate::InputError;

/// The whole report.
#[derive(Debug, Serialize)]
pub struct ReportJson<'a> {
    /// Whether every step succeeded.
    pub ok: bool,
    /// The role assumed.
    pub role_arn: &'a str,
    /// The session name asked for.
    pub session_name: &'a str,
    /// What the flow started from: `credentials` (base credentials of the
    /// source account) or `web_identity` (a token, no source account).
    pub start: &'static str,
    /// The source account's listing; `null` for a web identity start.
    pub source: Option<ListingJson<'a>>,
    /// The AssumeRole (or AssumeRoleWithWebIdentity) call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assume_role: Option<AssumeJson<'a>>,
    /// The target account's listing, absent when AssumeRole failed.
    pub target: Option<ListingJson<'a>>,
    /// The object calls after the flow (`--get`, `--put`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<ObjectJson<'a>>,
}

/// One object call.
#[derive(Debug, Serialize)]
pub struct ObjectJson<'a> {
    /// `s3:GetObject`, `s3:PutObject`, ...
    pub operation: &'static str,
    /// The bucket.
    pub bucket: &'a str,
    /// The key.
    pub key: &'a str,
    /// Who made the call.
    pub caller: &'a str,
    /// The object's size, when the call succeeded.
    pub size: Option<u64>,
    /// Its ETag.
    pub etag: Option<&'a str>,
    /// Its SSE-KMS key ARN; absent for SSE-S3.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<&'a str>,
    /// The failure, when it failed.
    pub error: Option<ErrorJson<'a>>,
}

fn object_json<'a>(step: &'a crate::flow::ObjectStep, ctx: HintContext<'_>) -> ObjectJson<'a> {
    use crate::cloud::ObjectAnswer;
    let meta = match &step.result {
        Ok(
            ObjectAnswer::Body(_, m)
            | ObjectAnswer::Meta(m)
            | ObjectAnswer::Stored(m)
            | ObjectAnswer::Copied(m),
        ) => Some(m),
        _ => None,
    };
    let at = step.call.at();
    ObjectJson {
        operation: step.call.operation().name(),
        bucket: &at.bucket,
        key: &at.key,
        caller: &step.caller,
        size: meta.map(|m| m.size),
        etag: meta.map(|m| m.etag.as_str()),
        kms_key: meta.and_then(|m| m.kms_key.as_deref()),
        error: step.result.as_ref().err().map(|e| ErrorJson::new(e, ctx)),
    }
}

/// One listing step.
#[derive(Debug, Serialize)]
pub struct ListingJson<'a> {
    /// Who made the call.
    pub identity: Option<IdentityJson<'a>>,
    /// The buckets, when the listing succeeded.
    pub buckets: Option<Vec<BucketJson<'a>>>,
    /// The failure, when it failed.
    pub error: Option<ErrorJson<'a>>,
}

/// A caller identity.
#[derive(Debug, Serialize)]
pub struct IdentityJson<'a> {
    /// The caller's ARN.
    pub arn: &'a str,
    /// The caller's account, when known.
    pub account: Option<&'a str>,
    /// The caller's unique id, when known.
    pub user_id: Option<&'a str>,
}

/// A bucket.
#[derive(Debug, Serialize)]
pub struct BucketJson<'a> {
    /// The name.
    pub name: &'a str,
    /// The creation date, `YYYY-MM-DDTHH:MM:SSZ`.
    pub created: Option<String>,
}

/// The AssumeRole step.
#[derive(Debug, Serialize)]
pub struct AssumeJson<'a> {
    /// `AssumedRoleUser.Arn`.
    pub assumed_role_arn: Option<&'a str>,
    /// `AssumedRoleUser.AssumedRoleId`.
    pub assumed_role_id: Option<&'a str>,
    /// The temporary access key id (not a secret).
    pub access_key_id: Option<&'a str>,
    /// When the temporary credentials expire.
    pub expiration: Option<String>,
    /// What AssumeRoleWithWebIdentity returned beside the session.
    pub web_identity: Option<WebIdentityJson<'a>>,
    /// `SourceIdentity`, when the session carries one.
    pub source_identity: Option<&'a str>,
    /// `PackedPolicySize`, when AWS sent it (session policies or tags).
    pub packed_policy_size: Option<i32>,
    /// The failure, when it failed.
    pub error: Option<ErrorJson<'a>>,
}

/// `SubjectFromWebIdentityToken`, `Provider` and `Audience`.
#[derive(Debug, Serialize)]
pub struct WebIdentityJson<'a> {
    /// The token's subject.
    pub subject: &'a str,
    /// Who issued the token.
    pub provider: &'a str,
    /// The token's audience.
    pub audience: &'a str,
}

/// A failure, with AWS's own words and the product's hint.
#[derive(Debug, Serialize)]
pub struct ErrorJson<'a> {
    /// `service:Operation`.
    pub operation: &'static str,
    /// The failure class (`denied`, `invalid-input`, `bad-credentials`, `unavailable`, `unexpected`).
    pub class: &'static str,
    /// The exit code this class maps to.
    pub exit_code: u8,
    /// AWS's error code.
    pub code: Option<&'a str>,
    /// AWS's message.
    pub message: &'a str,
    /// The HTTP status.
    pub status: Option<u16>,
    /// AWS's request id.
    pub request_id: Option<&'a str>,
    /// The likely cause.
    pub likely_cause: Option<String>,
    /// The next step.
    pub next_step: Option<String>,
}

impl<'a> ErrorJson<'a> {
    /// The JSON form of an error.
    pub fn new(err: &'a CloudError, ctx: HintContext<'_>) -> Self {
        let hint = hints::for_error(err, ctx);
        Self {
            operation: err.operation.name(),
            class: err.class.name(),
            exit_code: crate::exit::Exit::from(err.class).code(),
            code: err.code.as_deref(),
            message: &err.message,
            status: err.status,
            request_id: err.request_id.as_deref(),
            likely_cause: hint.as_ref().map(|h| h.cause.clone()),
            next_step: hint.map(|h| h.next),
        }
    }
}

pub(crate) fn listing<'a>(
    identity: Option<IdentityJson<'a>>,
    result: &'a Result<Vec<Bucket>, CloudError>,
    ctx: HintContext<'_>,
) -> ListingJson<'a> {
    ListingJson {
        identity,
        buckets: result.as_ref().ok().map(|list| {
            list.iter()
                .map(|b| BucketJson {
                    name: &b.name,
                    created: b.created.map(super::timestamp),
                })
                .collect()
        }),
        error: result.as_ref().err().map(|e| ErrorJson::new(e, ctx)),
    }
}

fn identity(id: &CallerIdentity) -> IdentityJson<'_> {
    IdentityJson {
        arn: &id.arn,
        account: Some(&id.account),
        user_id: Some(&id.user_id),
    }
}

pub(crate) fn assume<'a>(
    result: &'a Result<AssumedRole, CloudError>,
    ctx: HintContext<'_>,
) -> AssumeJson<'a> {
    let ok = result.as_ref().ok();
    AssumeJson {
        assumed_role_arn: ok.map(|a| a.arn.as_str()),
        assumed_role_id: ok.map(|a| a.assumed_role_id.as_str()),
        access_key_id: ok.map(|a| a.credentials.access_key_id.as_str()),
        expiration: ok
            .and_then(|a| a.credentials.expiration)
            .map(super::timestamp),
        source_identity: ok.and_then(|a| a.source_identity.as_deref()),
        packed_policy_size: ok.and_then(|a| a.packed_policy_size),
        web_identity: ok
            .and_then(|a| a.web_identity.as_ref())
            .map(|w| WebIdentityJson {
                subject: &w.subject,
                provider: &w.provider,
                audience: &w.audience,
            }),
        error: result.as_ref().err().map(|e| ErrorJson::new(e, ctx)),
    }
}

/// Renders a whole report as pretty JSON.
pub fn report(report: &Report, _now: SystemTime) -> String {
    let role = Some(report.request.role_arn.as_str());
    let base = HintContext {
        role_arn: role,
        with_assumed_credentials: false,
    };
    let assumed_ctx = HintContext {
        role_arn: role,
        with_assumed_credentials: true,
    };
    let value = ReportJson {
        ok: report.first_error().is_none(),
        role_arn: &report.request.role_arn,
        session_name: &report.request.session_name,
        start: if report.from_web_identity() {
            "web_identity"
        } else {
            "credentials"
        },
        source: report.source_buckets.as_ref().map(|buckets| {
            listing(
                report
                    .source_identity
                    .as_ref()
                    .and_then(|i| i.as_ref().ok())
                    .map(identity),
                buckets,
                base,
            )
        }),
        assume_role: report.assume_role.as_ref().map(|a| assume(a, base)),
        target: match (&report.target_buckets, report.assumed()) {
            (Some(target), Some(assumed)) => Some(listing(
                Some(IdentityJson {
                    arn: &assumed.arn,
                    account: None,
                    user_id: Some(&assumed.assumed_role_id),
                }),
                target,
                assumed_ctx,
            )),
            _ => None,
        },
        objects: report
            .objects
            .iter()
            .map(|o| {
                object_json(
                    o,
                    if report.assumed().is_some() {
                        assumed_ctx
                    } else {
                        base
                    },
                )
            })
            .collect(),
    };
    pretty(&value)
}

/// `{"ok": false, "error": {...}}` for a failure before the flow started.
pub fn failure(err: &CloudError) -> String {
    pretty(
        &serde_json::json!({ "ok": false, "error": ErrorJson::new(err, HintContext::default()) }),
    )
}

/// A run's base credentials not had: rejected input as
/// [`input_errors`]; a failed hop of a role profile's chain as
/// [`failure`] of AWS's answer, with the hop (`{"hop": {"number", "of",
/// "caller", "role_arn"}}`); anything else as [`failure`].
pub fn creds_failure(err: &CredsError) -> String {
    let local = |message: String| {
        CloudError::local(Operation::AssumeRole, ErrorClass::InvalidInput, message)
    };
    match err {
        CredsError::Input(errors) => input_errors(errors),
        CredsError::Base(e) => failure(e),
        CredsError::Hop(f) => pretty(&serde_json::json!({
            "ok": false,
            "error": ErrorJson::new(&f.error, HintContext {
                role_arn: Some(&f.role_arn),
                with_assumed_credentials: f.hop > 1,
            }),
            "hop": { "number": f.hop, "of": f.of, "caller": f.caller, "role_arn": f.role_arn },
        })),
        CredsError::Scenario(e) => failure(&local(format!("scenario {}: {}", e.file, e.message))),
        CredsError::Cache(e) => failure(&local(e.to_string())),
        CredsError::Prompt(e) => failure(&local(e.to_string())),
    }
}

/// `{"ok": false, "input_errors": [...]}` for rejected input.
pub fn input_errors(errors: &[InputError]) -> String {
    let list: Vec<_> = errors
        .iter()
        .map(|e| serde_json::json!({ "field": e.field, "value": e.value, "rule": e.rule, "fix": e.fix }))
        .collect();
    pretty(
        &serde_json::json!({ "ok": false, "exit_code": crate::exit::Exit::InvalidInput.code(), "input_errors": list }),
    )
}

/// Pretty JSON with a final newline.
pub(crate) fn pretty(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|e| {
        format!("{{\"ok\": false, \"error\": \"could not render JSON: {e}\"}}")
    });
    text.push('\n');
    text
}
