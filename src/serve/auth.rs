//! SigV4 authentication of a request: the scope, the clock skew, the key,
//! the payload hash and the signature, each failure in AWS's words for the
//! service that answers.

use std::time::{Duration, SystemTime};

use super::handler::{Endpoint, Incoming};
use super::sigv4::{self, AuthHeader};
use crate::cloud::Credentials;
use crate::secret::Secret;
use crate::sim::aws_error::{AwsError, Service};
use crate::sim::world::KeyOwner;

/// The clock skew SigV4 allows.
pub const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

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
