//! A request signed for a service the endpoint does not speak (EC2,
//! DynamoDB, Lambda, ...): answered `NotImplemented` (501, which SDKs do
//! not retry) in the error shape of the protocol the request uses, so the
//! client shows the message (EC2's `Response/Errors`, a query service's
//! `ErrorResponse`, JSON with `__type` for `X-Amz-Target` and REST-JSON
//! calls, else REST-XML's `Error`), naming the service and what the
//! endpoint serves; and logged so.

use super::request::{Incoming, Outgoing, form, param};
use super::wire;
use xacct_sim::{Answer, AwsError, RequestId, Who, Why};

/// The error code: 501, which SDKs do not retry.
const CODE: &str = "NotImplemented";

/// The services the endpoint speaks, as SigV4 scopes name them.
pub(super) const SPOKEN: [&str; 4] = ["sts", "s3", "iam", "organizations"];

/// The answer to a request for `service`: the operation's name for the
/// log, and the refusal (encoded by [`refusal`]).
pub(super) fn answer(req: &Incoming, service: &str, id: RequestId) -> (String, Answer<Outgoing>) {
    let message = format!(
        "xacct serve does not speak {service}: it serves STS, S3, IAM and Organizations (read) and the console sign-in; point this {service} client at AWS or at an emulator of {service}"
    );
    let target = req.header("x-amz-target");
    let action = target
        .as_deref()
        .and_then(|t| t.rsplit('.').next().map(str::to_owned))
        .or_else(|| param(req.form(), "Action").map(str::to_owned))
        .or_else(|| param(&form(req.query.as_bytes()), "Action").map(str::to_owned))
        .unwrap_or_else(|| format!("{} {}", req.method, req.path));
    let caller = req
        .auth()
        .and_then(|a| a.as_ref().ok())
        .map_or_else(|| "anonymous".to_owned(), |a| a.access_key_id.clone());
    let answer = Answer::refused(
        id,
        Who::key(&caller),
        AwsError::new(CODE, 501, message),
        Why::rule(format!(
            "the endpoint does not speak {service} (it serves {})",
            SPOKEN.join(", ")
        )),
    );
    (format!("{service}:{action}"), answer)
}

/// The refusal in the error shape of the protocol `req` uses.
pub(super) fn refusal(req: &Incoming, service: &str, id: &RequestId, err: &AwsError) -> Outgoing {
    let code = err.code.as_str();
    let message = &err.message;
    let id_text = id.query();
    let json = req.header("x-amz-target").is_some()
        || req
            .header("content-type")
            .is_some_and(|t| t.contains("json"));
    let query = param(req.form(), "Action").is_some();
    let (content_type, body) = if json {
        (
            "application/x-amz-json-1.1",
            serde_json::json!({ "__type": code, "message": message, "Message": message })
                .to_string(),
        )
    } else if query && service == "ec2" {
        (
            "text/xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>{}{}</Error></Errors>{}</Response>",
                wire::element("Code", code),
                wire::element("Message", message),
                wire::element("RequestID", &id_text)
            ),
        )
    } else if query {
        (
            "text/xml",
            format!(
                "<ErrorResponse><Error><Type>Sender</Type>{}{}</Error>{}</ErrorResponse>",
                wire::element("Code", code),
                wire::element("Message", message),
                wire::element("RequestId", &id_text)
            ),
        )
    } else {
        (
            "application/xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>{}{}{}</Error>",
                wire::element("Code", code),
                wire::element("Message", message),
                wire::element("RequestId", &id_text)
            ),
        )
    };
    Outgoing {
        user_headers: Vec::new(),
        bytes: None,
        status: err.status,
        headers: vec![
            ("content-type", content_type.to_owned()),
            ("x-amzn-requestid", id_text),
            ("x-amzn-errortype", code.to_owned()),
        ],
        body,
    }
}
