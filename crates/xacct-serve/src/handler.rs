//! One HTTP request in, one AWS-shaped answer out: routing by the SigV4
//! scope's service and the request's shape, authentication once (session
//! tokens included), then the world's STS or S3 operation. The log line
//! takes the caller and the reason from the operation's own answer.

use super::auth::verify;
use super::endpoint::Endpoint;
pub use super::log_line::LogLine;
use super::request::{Incoming, Outgoing, form, param};
use super::s3_route::S3Route;
use super::{federation, iam_api, org_api, reply, s3_api, sts_api, sts_unsigned, why_log};
use xacct_sim::{Answer, AwsError, Refusal, RequestId, Service};

/// Which service a request is for: the SigV4 scope says; without one, a
/// request carrying `Action=` or a form-encoded POST (the query protocol's
/// shape, even before its body is read) is STS, and anything else S3.
pub(super) fn route(req: &Incoming) -> Service {
    if let Some(Ok(auth)) = req.auth() {
        return match auth.service.as_str() {
            "sts" => Service::Sts,
            "iam" => Service::Iam,
            "organizations" => Service::Organizations,
            _ => Service::S3,
        };
    }
    if req
        .header("x-amz-target")
        .is_some_and(|t| t.starts_with(org_api::TARGET_PREFIX))
    {
        return Service::Organizations;
    }
    let has_action = |bytes: &[u8]| form(bytes).iter().any(|(k, _)| k == "Action");
    let form_post = req.method == "POST"
        && req
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if has_action(req.query.as_bytes())
        || form_post
        || (req.method == "POST" && has_action(&req.body))
    {
        Service::Sts
    } else {
        Service::S3
    }
}

/// The operation a request names, for the log (before it is known to exist).
pub(super) fn operation(service: Service, req: &Incoming) -> String {
    match service {
        Service::Sts => format!("sts:{}", param(req.form(), "Action").unwrap_or_default()),
        Service::Iam => format!("iam:{}", param(req.form(), "Action").unwrap_or_default()),
        Service::Organizations => format!(
            "organizations:{}",
            req.header("x-amz-target")
                .and_then(|t| t.strip_prefix(org_api::TARGET_PREFIX).map(str::to_owned))
                .unwrap_or_default()
        ),
        Service::S3 => S3Route::of(req).name,
    }
}

/// An answer as a response and a log line, a refusal encoded in
/// `service`'s protocol.
pub(super) fn finish(
    endpoint: &Endpoint,
    req: &Incoming,
    service: Service,
    operation: String,
    answer: Answer<Outgoing>,
) -> (Outgoing, LogLine) {
    finish_with(endpoint, req, operation, answer, |id, err| {
        reply::error(id, service, err)
    })
}

/// An answer as a response and a log line (kept for `--explain` when the
/// response carries a request id), a refusal encoded by `refuse`: the
/// one way every answer of the endpoint leaves.
fn finish_with(
    endpoint: &Endpoint,
    req: &Incoming,
    operation: String,
    answer: Answer<Outgoing>,
    refuse: impl FnOnce(RequestId, &AwsError) -> Outgoing,
) -> (Outgoing, LogLine) {
    let (response, outcome) = match answer.result {
        Ok(response) => (response, "allowed".to_owned()),
        Err(err) => (refuse(answer.request_id, &err), err.code),
    };
    let mut line = LogLine {
        operation,
        caller: answer.caller.name,
        account: answer.caller.account,
        status: response.status,
        outcome,
        reason: None,
    };
    line.reason = answer.why.as_ref().map(|w| w.summary.clone());
    if let Some(log) = &endpoint.explanations {
        let signed_by = match req.auth() {
            Some(Ok(auth)) => Some(auth.access_key_id.clone()),
            _ => None,
        };
        log.keep(&response, &line, signed_by, answer.why);
    }
    (response, line)
}

/// Answers one request, and says what to log.
pub fn handle(endpoint: &Endpoint, req: &Incoming) -> (Outgoing, LogLine) {
    if req.path == federation::PATH && req.header("authorization").is_none() {
        let (operation, answer) = federation::answer(endpoint, req);
        return finish_with(endpoint, req, operation, answer, |_, err| {
            federation::refusal(err)
        });
    }
    if let Some(log) = &endpoint.explanations
        && req.method == "GET"
        && req.path.starts_with(why_log::PREFIX)
    {
        return super::why_route::answer(endpoint, log, req, route(req));
    }
    if let Some(Ok(auth)) = req.auth()
        && !super::unknown_service::SPOKEN.contains(&auth.service.as_str())
    {
        let service = auth.service.clone();
        let (operation, answer) =
            super::unknown_service::answer(req, &service, endpoint.world.request_id());
        return finish_with(endpoint, req, operation, answer, |id, err| {
            super::unknown_service::refusal(req, &service, &id, err)
        });
    }
    let service = route(req);
    let (operation, s3) = match service {
        Service::S3 => {
            let routed = S3Route::of(req);
            (routed.name.clone(), Some(routed))
        }
        _ => (operation(service, req), None),
    };
    if service == Service::Sts
        && let Some(action) = sts_unsigned::unsigned_action(&operation)
    {
        let answer = sts_unsigned::answer(endpoint, req, action);
        return finish(endpoint, req, service, operation, answer);
    }
    let answer = match verify(endpoint, req, service) {
        Err(refusal) => {
            let Refusal { caller, error, why } = *refusal;
            Answer::refused(endpoint.world.request_id(), caller, error, why)
        }
        Ok(principal) => match (s3, service) {
            (Some(routed), _) => s3_api::answer(endpoint, req, &principal, routed),
            (None, Service::Iam) => iam_api::answer(endpoint, req, &principal),
            (None, Service::Organizations) => org_api::answer(endpoint, req, &principal),
            (None, Service::Sts | Service::S3) => sts_api::answer(endpoint, req, &principal),
        },
    };
    finish(endpoint, req, service, operation, answer)
}
