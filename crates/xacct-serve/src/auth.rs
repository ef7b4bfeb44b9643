//! SigV4 authentication of a request, once, for every protocol: the header,
//! the signed-header set, the clock skew, the scope, the payload hash, the
//! key and session token (through the world's front door), and the
//! signature. Each failure in AWS's words for the service that answers.

use std::time::{Duration, SystemTime};

use super::endpoint::Endpoint;
use super::request::Incoming;
use super::sigv4::{self, AuthHeader};
use xacct_aws::timestamp;
use xacct_sim::{AwsError, Principal, Refusal, Service, Who, Why};

/// The clock skew SigV4 allows.
pub const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

/// The values `x-amz-content-sha256` may take besides a body's SHA-256
/// (Amazon S3 API Reference, Authenticating Requests with SigV4).
const PAYLOAD_KINDS: [&str; 6] = [
    "UNSIGNED-PAYLOAD",
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
    "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
    "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
];

/// S3's answer to any other `x-amz-content-sha256` (observed from S3; the
/// wire reference notes the source).
const BAD_PAYLOAD_HASH: &str = "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.";

fn signature_error(service: Service, message: String) -> AwsError {
    match service {
        Service::Sts | Service::Iam | Service::Organizations => {
            AwsError::new("SignatureDoesNotMatch", 403, message)
        }
        Service::S3 => AwsError::new("AuthorizationHeaderMalformed", 400, message),
    }
}

fn refused(key: &str, error: AwsError, why: &str) -> Box<Refusal> {
    Box::new(Refusal {
        caller: if key.is_empty() {
            Who::key("anonymous")
        } else {
            Who::key(key)
        },
        error,
        why: Why::rule(why),
    })
}

/// The parsed `Authorization` header, or AWS's refusal.
fn auth_header(req: &Incoming, service: Service) -> Result<AuthHeader, Box<Refusal>> {
    let Some(parsed) = req.auth() else {
        let error = match service {
            Service::Sts | Service::Iam | Service::Organizations => AwsError::new(
                "MissingAuthenticationToken",
                403,
                "Request is missing Authentication Token",
            ),
            Service::S3 => AwsError::s3_access_denied(),
        };
        return Err(refused("", error, "the request is not signed"));
    };
    parsed.clone().map_err(|e| {
        let error = match service {
            Service::Sts | Service::Iam | Service::Organizations => {
                AwsError::new("IncompleteSignature", 400, e.0)
            }
            Service::S3 => AwsError::new(
                "AuthorizationHeaderMalformed",
                400,
                format!("The authorization header is malformed; {}", e.0),
            ),
        };
        refused("", error, "the Authorization header cannot be read")
    })
}

/// The request time, within the allowed skew of the world's clock.
fn signed_time(
    req: &Incoming,
    auth: &AuthHeader,
    service: Service,
    now: SystemTime,
) -> Result<String, AwsError> {
    let amz_date = req.header("x-amz-date").unwrap_or_default();
    let Some(signed_at) = timestamp::parse_amz(&amz_date) else {
        return Err(match service {
            Service::Sts | Service::Iam | Service::Organizations => AwsError::new(
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
    if signed_at + MAX_SKEW < now || signed_at > now + MAX_SKEW {
        return Err(match service {
            Service::S3 => AwsError::new(
                "RequestTimeTooSkewed",
                403,
                "The difference between the request time and the current time is too large.",
            ),
            Service::Sts | Service::Iam | Service::Organizations if signed_at < now => {
                AwsError::new(
                    "SignatureDoesNotMatch",
                    403,
                    format!(
                        "Signature expired: {amz_date} is now earlier than {} ({} - 15 min.)",
                        timestamp::amz(now - MAX_SKEW),
                        timestamp::amz(now)
                    ),
                )
            }
            Service::Sts | Service::Iam | Service::Organizations => AwsError::new(
                "SignatureDoesNotMatch",
                403,
                format!(
                    "Signature not yet current: {amz_date} is still later than {} ({} + 15 min.)",
                    timestamp::amz(now + MAX_SKEW),
                    timestamp::amz(now)
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
    Ok(amz_date)
}

/// The scope's region: any name of a region's shape.
fn check_region(endpoint: &Endpoint, auth: &AuthHeader, service: Service) -> Result<(), AwsError> {
    // A local endpoint serves every region, as test suites sign with their
    // own default: any name of a region's shape is accepted (a bucket in
    // another region answers with S3's redirect). A malformed one is
    // refused as AWS refuses it.
    if xacct_sim::is_region(&auth.region) {
        return Ok(());
    }
    Err(match service {
        Service::Sts | Service::Iam | Service::Organizations => AwsError::new(
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
                auth.region,
                endpoint.world.region()
            ),
        )
        .with_detail("Region", endpoint.world.region()),
    })
}

/// The scope's service.
fn check_scope(auth: &AuthHeader, service: Service) -> Result<(), AwsError> {
    let service_name = match service {
        Service::Sts => "sts",
        Service::Iam => "iam",
        Service::Organizations => "organizations",
        Service::S3 => "s3",
    };
    if auth.service != service_name {
        return Err(signature_error(
            service,
            format!("Credential should be scoped to correct service: '{service_name}'. "),
        ));
    }
    Ok(())
}

/// `host` must be signed (SigV4 signs the host, or HTTP/2's `:authority`).
fn check_host_signed(auth: &AuthHeader, service: Service) -> Result<(), AwsError> {
    if auth.signed_headers.iter().any(|h| h == "host") {
        return Ok(());
    }
    Err(match service {
        Service::Sts | Service::Iam | Service::Organizations => AwsError::new(
            "SignatureDoesNotMatch",
            403,
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        ),
        Service::S3 => AwsError::new(
            "AccessDenied",
            403,
            "There were headers present in the request which were not signed",
        )
        .with_detail("HeadersNotSigned", "host"),
    })
}

/// The payload hash the signature covers: STS's is the body's; S3 takes
/// `x-amz-content-sha256`, which must be a hex digest that matches the
/// body, or one of the values AWS defines.
fn payload_hash(req: &Incoming, service: Service) -> Result<String, AwsError> {
    if service != Service::S3 {
        return Ok(sigv4::sha256_hex(&req.body));
    }
    let Some(declared) = req.header("x-amz-content-sha256") else {
        return Err(AwsError::new(
            "InvalidRequest",
            400,
            "Missing required header for this request: x-amz-content-sha256",
        ));
    };
    let is_digest = declared.len() == 64
        && declared
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if PAYLOAD_KINDS.contains(&declared.as_str()) {
        return Ok(declared);
    }
    if !is_digest {
        return Err(AwsError::new("InvalidArgument", 400, BAD_PAYLOAD_HASH)
            .with_detail("ArgumentName", "x-amz-content-sha256")
            .with_detail("ArgumentValue", &declared));
    }
    if declared != sigv4::sha256_hex(&req.body) {
        return Err(AwsError::new(
            "XAmzContentSHA256Mismatch",
            400,
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        ));
    }
    Ok(declared)
}

/// Verifies the request's SigV4 signature and returns who signed it; a
/// session token is checked (forged, foreign, expired) before anything the
/// request asks for is looked at.
pub fn verify(
    endpoint: &Endpoint,
    req: &Incoming,
    service: Service,
) -> Result<Principal, Box<Refusal>> {
    let auth = auth_header(req, service)?;
    let key = auth.access_key_id.as_str();
    let checks = || -> Result<String, AwsError> {
        check_host_signed(&auth, service)?;
        let amz_date = signed_time(req, &auth, service, endpoint.world.now())?;
        check_scope(&auth, service)?;
        Ok(amz_date)
    };
    check_region(endpoint, &auth, service).map_err(|e| {
        refused(
            key,
            e,
            &format!(
                "the signature is scoped to `{}`, which is no AWS region name: sign for a region such as {}",
                auth.region,
                endpoint.world.region()
            ),
        )
    })?;
    let amz_date = checks().map_err(|e| {
        refused(
            key,
            e,
            "the signature's date, scope or signed headers are not acceptable",
        )
    })?;
    let token = req.header("x-amz-security-token");
    let signer = endpoint.world.signer(key, token.as_deref(), service)?;
    let payload = payload_hash(req, service)
        .map_err(|e| refused(key, e, "the payload hash header is not acceptable"))?;
    let mut headers = Vec::with_capacity(auth.signed_headers.len());
    for name in &auth.signed_headers {
        let Some(value) = req.header_bytes(name) else {
            return Err(refused(
                key,
                AwsError::signature_mismatch(service, key),
                "a header the client says it signed is missing",
            ));
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
    let signing_key = sigv4::signing_key(
        signer.secret.expose(),
        &auth.date,
        &auth.region,
        &auth.service,
    );
    let expected = sigv4::signature(
        &signing_key,
        &sigv4::string_to_sign(&amz_date, &scope, &creq),
    );
    if !sigv4::signatures_equal(&expected, &auth.signature) {
        return Err(refused(
            key,
            AwsError::signature_mismatch(service, key),
            "the signature does not match the request signed with the key's secret",
        ));
    }
    // A signed streaming upload: every chunk (and a signed trailer) too. A
    // body that is not aws-chunked at all is the decoder's to refuse.
    if let Some(kind) = payload.strip_prefix("STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
        && super::aws_chunked::parse(&req.body).is_ok()
    {
        let chain = super::chunk_signatures::Chain {
            key: &signing_key,
            amz_date: &amz_date,
            scope: &scope,
            seed: &expected,
        };
        if let Err(why) = super::chunk_signatures::verify(&req.body, &chain, kind == "-TRAILER") {
            return Err(refused(
                key,
                AwsError::signature_mismatch(service, key),
                &format!("the streaming upload's signatures do not verify: {why}"),
            ));
        }
    }
    // Only S3 answers by region (a bucket lives in one); STS, IAM and
    // Organizations answer any region's signature.
    Ok(match service {
        Service::S3 => signer.principal.signed_for(&auth.region),
        _ => signer.principal,
    })
}
