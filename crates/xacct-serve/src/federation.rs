//! The console federation endpoint, `/federation`, as
//! `signin.aws.amazon.com` speaks it: `Action=getSigninToken` with the
//! `Session` JSON (`sessionId`, `sessionKey`, `sessionToken`) and an
//! optional `SessionDuration` answers `{"SigninToken": "..."}`;
//! `Action=login` with `SigninToken` and `Destination` redirects (302) to
//! the destination. Parameters come in the query or a form body (POST).
//! The world decides (the credentials go through the same authentication as
//! every signed call); this file decodes and encodes.

use super::endpoint::Endpoint;
use super::request::{Incoming, Outgoing, param};
use xacct_aws::cloud::Credentials;
use xacct_aws::secret::Secret;
use xacct_sim::{Answer, AwsError, Response, UnsignedRequest, Who, Why};

/// The path the federation endpoint answers on.
pub(super) const PATH: &str = "/federation";

/// The `Session` parameter.
#[derive(serde::Deserialize)]
struct SessionParam {
    #[serde(rename = "sessionId")]
    id: String,
    #[serde(rename = "sessionKey")]
    key: String,
    #[serde(rename = "sessionToken")]
    token: Option<String>,
}

/// Answers one request to `/federation`: the operation's name for the log,
/// and the answer (the log line says nothing of the session's secrets or
/// the sign-in token; refusals are encoded by [`refusal`]).
pub(super) fn answer(endpoint: &Endpoint, req: &Incoming) -> (String, Answer<Outgoing>) {
    let params = req.form();
    let action = param(params, "Action").unwrap_or_default();
    let operation = format!("signin:{action}");
    let answer = match action {
        "getSigninToken" => get_signin_token(endpoint, params),
        "login" => login(endpoint, params),
        _ => invalid(
            endpoint,
            format!(
                "`{action}` is not an action of the federation endpoint (getSigninToken, login)"
            ),
        ),
    };
    (operation, answer)
}

/// The endpoint's one refusal of a request it cannot take, and why.
fn invalid(endpoint: &Endpoint, why: impl Into<String>) -> Answer<Outgoing> {
    Answer::refused(
        endpoint.world.request_id(),
        Who::key("anonymous"),
        AwsError::invalid_credentials_parameter(),
        Why::rule(why),
    )
}

fn get_signin_token(endpoint: &Endpoint, params: &[(String, String)]) -> Answer<Outgoing> {
    let session =
        param(params, "Session").and_then(|text| serde_json::from_str::<SessionParam>(text).ok());
    let Some(session) = session else {
        return invalid(
            endpoint,
            "the Session parameter is missing or is not the JSON {\"sessionId\", \"sessionKey\", \"sessionToken\"}",
        );
    };
    let creds = Credentials {
        access_key_id: session.id,
        secret_access_key: Secret::new(session.key),
        session_token: session.token.map(Secret::new),
        expiration: None,
    };
    let request = UnsignedRequest::GetSigninToken {
        session: creds,
        duration: param(params, "SessionDuration").map(str::to_owned),
    };
    endpoint
        .world
        .call_unsigned(request)
        .map(|response| match response {
            Response::SigninToken(signin) => Outgoing {
                user_headers: Vec::new(),
                bytes: None,
                status: 200,
                headers: vec![("content-type", "application/json".to_owned())],
                body: serde_json::json!({ "SigninToken": signin.token.expose() }).to_string(),
            },
            other => mismatched(&other),
        })
}

/// The answer to a request the world answered with another operation's
/// output: the simulator's bug, answered as a server error.
fn mismatched(got: &Response) -> Outgoing {
    let message = format!(
        "the simulator answered a sign-in request with {}",
        got.shown()
    );
    refusal(&AwsError::new("InternalError", 500, message))
}

fn login(endpoint: &Endpoint, params: &[(String, String)]) -> Answer<Outgoing> {
    let token = Secret::new(param(params, "SigninToken").unwrap_or_default());
    let destination = param(params, "Destination").unwrap_or_default().to_owned();
    let request = UnsignedRequest::Login { token };
    endpoint
        .world
        .call_unsigned(request)
        .map(|response| match response {
            Response::SignedIn(_) => Outgoing {
                user_headers: Vec::new(),
                bytes: None,
                status: 302,
                headers: vec![("location", destination)],
                body: String::new(),
            },
            other => mismatched(&other),
        })
}

/// AWS's refusal page: HTTP 400 in HTML, as the AWS Knowledge Center
/// article "invalid-credentials-parameter" quotes it.
/// The federation endpoint's refusal: an HTML error page, as
/// `signin.aws.amazon.com` answers.
pub(super) fn refusal(err: &AwsError) -> Outgoing {
    Outgoing {
        user_headers: Vec::new(),
        bytes: None,
        status: err.status,
        headers: vec![("content-type", "text/html;charset=utf-8".to_owned())],
        body: format!(
            "<html><head><title>HTTP Status {status} - {message}</title></head><body>\
<h1>HTTP Status {status} - {message}</h1><p><b>type</b> Status report</p>\
<p><b>message</b> <u>{message}</u></p>\
<p><b>description</b> <u>The request sent by the client was syntactically incorrect.</u></p>\
</body></html>",
            status = err.status,
            message = err.message
        ),
    }
}
