//! One HTTP request in, one AWS-shaped answer out: routing by the SigV4
//! scope's service and the request's shape, signature verification, then the
//! simulated world's STS or S3 operation. Pure apart from the world's state,
//! so it is tested without sockets.

use std::time::{Duration, SystemTime};

use super::sigv4::{self, AuthHeader};
use super::wire;
use crate::cloud::{AssumeRoleRequest, Credentials, MfaToken};
use crate::secret::Secret;
use crate::sim::aws_error::{AwsError, Service};
use crate::sim::decide::Why;
use crate::sim::faults::Faults;
use crate::sim::world::{KeyOwner, World};
use crate::sim::{s3, sts};

/// The longest body accepted (STS form bodies are small; S3 ListBuckets has none).
pub const BODY_LIMIT: usize = 64 * 1024;
/// The clock skew SigV4 allows.
pub const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

/// A request as the server received it.
#[derive(Debug, Clone, Default)]
pub struct Incoming {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path as sent (still percent-encoded).
    pub path: String,
    /// The raw query string, without `?`.
    pub query: String,
    /// Header names lower-cased, values as sent.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Incoming {
    /// Every value of a header, joined with `,` as SigV4 canonicalises them.
    pub fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(","))
    }
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The HTTP status.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: String,
}

/// One line of the request log: caller, operation, decision and why (never a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// `sts:AssumeRole`, ...
    pub operation: String,
    /// The caller's ARN, or its key id, or `anonymous`.
    pub caller: String,
    /// The HTTP status.
    pub status: u16,
    /// `allowed`, or the error code.
    pub outcome: String,
    /// Why, when known.
    pub reason: Option<String>,
}

/// The simulated endpoint: a world, its faults, the regions it answers for.
#[derive(Debug)]
pub struct Endpoint {
    /// The world.
    pub world: std::sync::Arc<World>,
    /// Scripted faults.
    pub faults: Faults,
    /// Regions a signature may be scoped to.
    pub regions: Vec<String>,
}

impl Endpoint {
    /// An endpoint over a world: it accepts the world's region, and
    /// `us-east-1` (where clients of the global STS endpoint sign).
    pub fn new(world: std::sync::Arc<World>, faults: Faults) -> Self {
        let region = world.model.region.clone();
        let mut regions = vec![region];
        if !regions.iter().any(|r| r == "us-east-1") {
            regions.push("us-east-1".to_owned());
        }
        Self {
            world,
            faults,
            regions,
        }
    }
}

fn s3_request_id(world: &World) -> String {
    format!(
        "{:016X}",
        world.next_serial().wrapping_mul(0x9E37_79B9_7F4A_7C15)
    )
}

fn error_response(endpoint: &Endpoint, service: Service, err: &AwsError) -> Outgoing {
    match service {
        Service::Sts => {
            let id = endpoint.world.request_id();
            Outgoing {
                status: err.status,
                headers: vec![
                    ("content-type", "text/xml".to_owned()),
                    ("x-amzn-requestid", id.clone()),
                ],
                body: wire::sts_error(err, &id),
            }
        }
        Service::S3 => {
            let id = s3_request_id(&endpoint.world);
            let host = format!("{id}{id}");
            Outgoing {
                status: err.status,
                headers: vec![
                    ("content-type", "application/xml".to_owned()),
                    ("x-amz-request-id", id.clone()),
                    ("x-amz-id-2", host.clone()),
                    ("server", "AmazonS3".to_owned()),
                ],
                body: wire::s3_error(err, &id, &host),
            }
        }
    }
}

/// Which service a request is for: the SigV4 scope says; without one, a
/// request carrying `Action=` is STS and anything else S3.
pub fn route(req: &Incoming) -> Service {
    if let Some(auth) = req
        .header("authorization")
        .and_then(|a| sigv4::parse_auth_header(&a).ok())
    {
        return if auth.service == "sts" {
            Service::Sts
        } else {
            Service::S3
        };
    }
    let has_action = |s: &str| form(s).iter().any(|(k, _)| k == "Action");
    if has_action(&req.query)
        || (req.method == "POST" && has_action(&String::from_utf8_lossy(&req.body)))
    {
        Service::Sts
    } else {
        Service::S3
    }
}

fn form(text: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn amz_time(text: &str) -> Option<SystemTime> {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::PrimitiveDateTime::parse(text, &format)
        .ok()
        .map(|t| SystemTime::from(t.assume_utc()))
}

fn amz_stamp(at: SystemTime) -> String {
    let t = time::OffsetDateTime::from(at);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn signature_error(service: Service, message: String) -> AwsError {
    match service {
        Service::Sts => AwsError::new("SignatureDoesNotMatch", 403, message),
        Service::S3 => AwsError::new("AuthorizationHeaderMalformed", 400, message),
    }
}

/// Verifies the request's SigV4 signature and returns the caller's credentials.
pub fn verify(
    endpoint: &Endpoint,
    req: &Incoming,
    service: Service,
) -> Result<Credentials, AwsError> {
    let world = &endpoint.world;
    let Some(header) = req.header("authorization") else {
        return Err(match service {
            Service::Sts => AwsError::new(
                "MissingAuthenticationToken",
                403,
                "Request is missing Authentication Token",
            ),
            Service::S3 => AwsError::s3_access_denied(),
        });
    };
    let auth: AuthHeader = sigv4::parse_auth_header(&header).map_err(|e| match service {
        Service::Sts => AwsError::new("IncompleteSignature", 400, e.0),
        Service::S3 => AwsError::new(
            "AuthorizationHeaderMalformed",
            400,
            format!("The authorization header is malformed; {}", e.0),
        ),
    })?;
    let service_name = match service {
        Service::Sts => "sts",
        Service::S3 => "s3",
    };
    let amz_date = req.header("x-amz-date").unwrap_or_default();
    let Some(signed_at) = amz_time(&amz_date) else {
        return Err(match service {
            Service::Sts => AwsError::new(
                "IncompleteSignature",
                400,
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
            ),
            Service::S3 => AwsError::new(
                "AccessDenied",
                403,
                "AWS authentication requires a valid Date or x-amz-date header",
            ),
        });
    };
    let now = world.clock.now();
    if signed_at + MAX_SKEW < now || signed_at > now + MAX_SKEW {
        return Err(match service {
            Service::S3 => AwsError::new(
                "RequestTimeTooSkewed",
                403,
                "The difference between the request time and the current time is too large.",
            ),
            Service::Sts if signed_at < now => AwsError::new(
                "SignatureDoesNotMatch",
                403,
                format!(
                    "Signature expired: {amz_date} is now earlier than {} ({} - 15 min.)",
                    amz_stamp(now - MAX_SKEW),
                    amz_stamp(now)
                ),
            ),
            Service::Sts => AwsError::new(
                "SignatureDoesNotMatch",
                403,
                format!(
                    "Signature not yet current: {amz_date} is still later than {} ({} + 15 min.)",
                    amz_stamp(now + MAX_SKEW),
                    amz_stamp(now)
                ),
            ),
        });
    }
    if amz_date.get(..8) != Some(auth.date.as_str()) {
        return Err(signature_error(
            service,
            format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{amz_date}'.",
                auth.date,
                amz_date.get(..8).unwrap_or_default()
            ),
        ));
    }
    if !endpoint.regions.contains(&auth.region) {
        return Err(match service {
            Service::Sts => AwsError::new(
                "SignatureDoesNotMatch",
                403,
                format!(
                    "Credential should be scoped to a valid Region, not '{}'.",
                    auth.region
                ),
            ),
            Service::S3 => AwsError::new(
                "AuthorizationHeaderMalformed",
                400,
                format!(
                    "The authorization header is malformed; the region '{}' is wrong; expecting '{}'",
                    auth.region, endpoint.regions[0]
                ),
            ),
        });
    }
    if auth.service != service_name {
        return Err(signature_error(
            service,
            format!("Credential should be scoped to correct service: '{service_name}'. "),
        ));
    }
    let token = req.header("x-amz-security-token");
    let key = auth.access_key_id.as_str();
    let secret = match world.model.keys.get(key) {
        Some(KeyOwner::User(account, name)) => world
            .model
            .user(account, name)
            .map(|u| u.key.secret.clone()),
        Some(KeyOwner::Root(account)) => world
            .model
            .accounts
            .get(account)
            .map(|a| a.root_key.secret.clone()),
        None => world
            .state
            .lock()
            .ok()
            .and_then(|s| s.sessions.get(key).map(|x| x.secret.clone()))
            .filter(|_| token.is_some()),
    };
    let Some(secret) = secret else {
        return Err(AwsError::unknown_key(service, key));
    };
    let payload = match service {
        Service::Sts => sigv4::sha256_hex(&req.body),
        Service::S3 => {
            let declared = req.header("x-amz-content-sha256").ok_or_else(|| {
                AwsError::new(
                    "InvalidRequest",
                    400,
                    "Missing required header for this request: x-amz-content-sha256",
                )
            })?;
            if !declared.starts_with("UNSIGNED-PAYLOAD")
                && !declared.starts_with("STREAMING-")
                && declared != sigv4::sha256_hex(&req.body)
            {
                return Err(AwsError::new(
                    "XAmzContentSHA256Mismatch",
                    400,
                    "The provided 'x-amz-content-sha256' header does not match what was computed.",
                ));
            }
            declared
        }
    };
    let mut headers = Vec::with_capacity(auth.signed_headers.len());
    for name in &auth.signed_headers {
        let Some(value) = req.header(name) else {
            return Err(AwsError::signature_mismatch(service, key));
        };
        headers.push((name.clone(), sigv4::canonical_header_value(&value)));
    }
    let creq = sigv4::canonical_request(
        &req.method,
        &req.path,
        &req.query,
        &headers,
        &auth.signed_headers,
        &payload,
    );
    let scope = format!(
        "{}/{}/{}/aws4_request",
        auth.date, auth.region, auth.service
    );
    let expected = sigv4::signature(
        &sigv4::signing_key(secret.expose(), &auth.date, &auth.region, &auth.service),
        &sigv4::string_to_sign(&amz_date, &scope, &creq),
    );
    if !sigv4::signatures_equal(&expected, &auth.signature) {
        return Err(AwsError::signature_mismatch(service, key));
    }
    Ok(Credentials {
        access_key_id: key.to_owned(),
        secret_access_key: secret,
        session_token: token.map(Secret::new),
        expiration: None,
    })
}

/// Answers one request, and says what to log.
pub fn handle(endpoint: &Endpoint, req: &Incoming) -> (Outgoing, LogLine) {
    let service = route(req);
    let mut line = LogLine {
        operation: String::new(),
        caller: "anonymous".to_owned(),
        status: 200,
        outcome: "allowed".to_owned(),
        reason: None,
    };
    let result = match service {
        Service::Sts => sts_request(endpoint, req, &mut line),
        Service::S3 => s3_request(endpoint, req, &mut line),
    };
    if let Some(record) = endpoint.world.take_log().pop() {
        line.caller = record.caller;
        line.reason = record.why.map(|w: Why| w.summary);
    }
    let response = match result {
        Ok(response) => response,
        Err(err) => {
            line.outcome = err.code.clone();
            error_response(endpoint, service, &err)
        }
    };
    line.status = response.status;
    (response, line)
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn required<'a>(
    params: &'a [(String, String)],
    name: &str,
    field: &str,
) -> Result<&'a str, AwsError> {
    param(params, name).ok_or_else(|| {
        AwsError::validation(&[format!(
            "Value null at '{field}' failed to satisfy constraint: Member must not be null"
        )])
    })
}

fn number(params: &[(String, String)], name: &str, field: &str) -> Result<Option<i64>, AwsError> {
    param(params, name)
        .map(|v| {
            v.parse::<i64>().map_err(|_| {
                AwsError::validation(&[format!(
                    "Value '{v}' at '{field}' failed to satisfy constraint: Member must be a number"
                )])
            })
        })
        .transpose()
}

fn sts_request(
    endpoint: &Endpoint,
    req: &Incoming,
    line: &mut LogLine,
) -> Result<Outgoing, AwsError> {
    let mut params = form(&req.query);
    if req.method == "POST" {
        params.extend(form(&String::from_utf8_lossy(&req.body)));
    }
    let action = param(&params, "Action").unwrap_or_default().to_owned();
    line.operation = format!("sts:{action}");
    if let Some(version) = param(&params, "Version").filter(|v| *v != "2011-06-15") {
        return Err(AwsError::new(
            "InvalidAction",
            400,
            format!("Could not find operation {action} for version {version}"),
        ));
    }
    let creds = verify(endpoint, req, Service::Sts)?;
    line.caller = creds.access_key_id.clone();
    if !matches!(
        action.as_str(),
        "AssumeRole" | "GetCallerIdentity" | "GetFederationToken" | "GetSessionToken"
    ) {
        return Err(AwsError::new(
            "InvalidAction",
            400,
            "The action or operation requested is invalid. Verify that the action is typed correctly.",
        ));
    }
    if let Some(err) = endpoint.faults.take(&line.operation) {
        return Err(err);
    }
    let world = &endpoint.world;
    let request_id = world.request_id();
    let result = match action.as_str() {
        "AssumeRole" => {
            let mfa = match (param(&params, "SerialNumber"), param(&params, "TokenCode")) {
                (None, None) => None,
                (serial, code) => Some(MfaToken {
                    serial: serial.unwrap_or_default().to_owned(),
                    code: code.unwrap_or_default().to_owned(),
                }),
            };
            let request = AssumeRoleRequest {
                role_arn: required(&params, "RoleArn", "roleArn")?.to_owned(),
                session_name: required(&params, "RoleSessionName", "roleSessionName")?.to_owned(),
                duration_seconds: number(&params, "DurationSeconds", "durationSeconds")?
                    .map(|d| i32::try_from(d).unwrap_or(i32::MAX)),
                external_id: param(&params, "ExternalId").map(str::to_owned),
                mfa,
                session_policy: param(&params, "Policy").map(str::to_owned),
            };
            let assumed = sts::assume_role(world, &creds, &request)?;
            let packed = assumed
                .packed_policy_size
                .map(|p| {
                    format!(
                        "    {}\n",
                        wire::element("PackedPolicySize", &p.to_string())
                    )
                })
                .unwrap_or_default();
            format!(
                "    <AssumedRoleUser>\n      {}\n      {}\n    </AssumedRoleUser>\n{}{packed}",
                wire::element("AssumedRoleId", &assumed.assumed_role_id),
                wire::element("Arn", &assumed.arn),
                wire::credentials(&assumed.credentials)
            )
        }
        "GetCallerIdentity" => {
            let id = sts::get_caller_identity(world, &creds)?;
            format!(
                "    {}\n    {}\n    {}\n",
                wire::element("Arn", &id.arn),
                wire::element("UserId", &id.user_id),
                wire::element("Account", &id.account)
            )
        }
        "GetFederationToken" => {
            let name = required(&params, "Name", "name")?;
            let fed = sts::get_federation_token(
                world,
                &creds,
                name,
                param(&params, "Policy"),
                number(&params, "DurationSeconds", "durationSeconds")?,
            )?;
            format!(
                "{}    <FederatedUser>\n      {}\n      {}\n    </FederatedUser>\n",
                wire::credentials(&fed.credentials),
                wire::element("FederatedUserId", &fed.federated_user_id),
                wire::element("Arn", &fed.arn)
            )
        }
        _ => {
            let mfa = match (param(&params, "SerialNumber"), param(&params, "TokenCode")) {
                (None, None) => false,
                (Some(serial), Some(code)) => session_mfa(world, &creds, serial, code)?,
                _ => return Err(AwsError::mfa_incomplete()),
            };
            let session = sts::get_session_token(
                world,
                &creds,
                number(&params, "DurationSeconds", "durationSeconds")?,
                mfa,
            )?;
            wire::credentials(&session)
        }
    };
    Ok(Outgoing {
        status: 200,
        headers: vec![
            ("content-type", "text/xml".to_owned()),
            ("x-amzn-requestid", request_id.clone()),
        ],
        body: wire::sts_success(&action, &result, &request_id),
    })
}

/// Checks the MFA of a GetSessionToken call against the user's device.
fn session_mfa(
    world: &World,
    creds: &Credentials,
    serial: &str,
    code: &str,
) -> Result<bool, AwsError> {
    let device = match world.model.keys.get(&creds.access_key_id) {
        Some(KeyOwner::User(account, name)) => {
            world.model.user(account, name).and_then(|u| u.mfa.clone())
        }
        _ => None,
    };
    match device {
        Some(d) if d.serial == serial && d.code == code => Ok(true),
        Some(d) if d.serial == serial => Err(AwsError::mfa_wrong_code()),
        _ => Err(AwsError::mfa_unknown_serial()),
    }
}

fn s3_request(
    endpoint: &Endpoint,
    req: &Incoming,
    line: &mut LogLine,
) -> Result<Outgoing, AwsError> {
    line.operation = "s3:ListBuckets".to_owned();
    let params = form(&req.query);
    let creds = verify(endpoint, req, Service::S3)?;
    line.caller = creds.access_key_id.clone();
    if req.method != "GET" || req.path != "/" {
        line.operation = format!("s3:{} {}", req.method, req.path);
        return Err(AwsError::new(
            "NotImplemented",
            501,
            "A header you provided implies functionality that is not implemented",
        ));
    }
    if let Some(err) = endpoint.faults.take("s3:ListBuckets") {
        return Err(err);
    }
    let max = match param(&params, "max-buckets") {
        None => None,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=10000).contains(&n) => Some(n),
            _ => {
                return Err(AwsError::new(
                    "InvalidArgument",
                    400,
                    "Argument max-buckets must be an integer between 1 and 10000.",
                ));
            }
        },
    };
    let token = param(&params, "continuation-token");
    let prefix = param(&params, "prefix");
    let region_filter = param(&params, "bucket-region");
    let paginated = max.is_some() || token.is_some() || prefix.is_some() || region_filter.is_some();
    let world = &endpoint.world;
    let mut buckets = s3::list_buckets(world, &creds)?;
    buckets.sort_by(|a, b| a.name.cmp(&b.name));
    let region = world.model.region.clone();
    let start_after = token.map(decode_token);
    let selected: Vec<_> = buckets
        .into_iter()
        .filter(|b| prefix.is_none_or(|p| b.name.starts_with(p)))
        .filter(|_| region_filter.is_none_or(|r| r == region))
        .filter(|b| {
            start_after
                .as_ref()
                .is_none_or(|after| b.name.as_str() > after.as_str())
        })
        .collect();
    let page = if paginated {
        max.unwrap_or(10000)
    } else {
        usize::MAX
    };
    let more = selected.len() > page;
    let shown = &selected[..selected.len().min(page)];
    let items: String = shown
        .iter()
        .map(|b| {
            wire::bucket(
                &b.name,
                b.created.unwrap_or(SystemTime::UNIX_EPOCH),
                paginated.then_some(region.as_str()),
            )
        })
        .collect();
    let next = if more {
        shown
            .last()
            .map(|b| wire::element("ContinuationToken", &encode_token(&b.name)))
            .unwrap_or_default()
    } else {
        String::new()
    };
    let prefix_echo = prefix
        .map(|p| wire::element("Prefix", p))
        .unwrap_or_default();
    let caller_account = owner_account(world, &creds).unwrap_or_default();
    let owner = sigv4::sha256_hex(format!("canonical-user:{caller_account}").as_bytes());
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult xmlns=\"{}\"><Owner><ID>{owner}</ID></Owner><Buckets>{items}</Buckets>{next}{prefix_echo}</ListAllMyBucketsResult>",
        wire::S3_NS
    );
    let id = s3_request_id(world);
    Ok(Outgoing {
        status: 200,
        headers: vec![
            ("content-type", "application/xml".to_owned()),
            ("x-amz-request-id", id.clone()),
            ("x-amz-id-2", format!("{id}{id}")),
            ("server", "AmazonS3".to_owned()),
        ],
        body,
    })
}

fn owner_account(world: &World, creds: &Credentials) -> Option<String> {
    crate::sim::identity::authenticate(world, creds, Service::S3)
        .ok()
        .map(|i| i.account().to_owned())
}

fn encode_token(name: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(name)
}

fn decode_token(token: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}
