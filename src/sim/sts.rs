//! The simulated STS: AssumeRole, GetCallerIdentity, GetFederationToken and
//! GetSessionToken, answering as AWS does.

use std::time::{Duration, SystemTime};

use super::aws_error::{AwsError, Service, violation};
use super::decide::{Why, decide};
use super::identity::{Identity, authenticate};
use super::world::{CallRecord, SessionKind, World};
use crate::cloud::{AssumeRoleRequest, AssumedRole, CallerIdentity, Credentials};
use crate::iam::parse::{PolicyKind, check_kind};
use crate::iam::{Policy, parse_text};

/// The `RoleArn` pattern of the STS model.
const ROLE_ARN_PATTERN: &str =
    r"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+";

fn word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Checks a string parameter against its model constraints.
fn check(
    out: &mut Vec<String>,
    value: &str,
    field: &str,
    min: usize,
    max: usize,
    pattern: &str,
    allowed: impl Fn(char) -> bool,
) {
    if !value.chars().all(allowed) {
        out.push(violation(
            value,
            field,
            &format!("satisfy regular expression pattern: {pattern}"),
        ));
    }
    let len = value.chars().count();
    if len < min {
        out.push(violation(
            value,
            field,
            &format!("have length greater than or equal to {min}"),
        ));
    }
    if len > max {
        out.push(violation(
            value,
            field,
            &format!("have length less than or equal to {max}"),
        ));
    }
}

/// The AssumeRole parameters against the STS model, in AWS's words.
pub fn validate(request: &AssumeRoleRequest) -> Vec<String> {
    let mut out = Vec::new();
    let printable = |c: char| matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
    check(
        &mut out,
        &request.role_arn,
        "roleArn",
        20,
        2048,
        ROLE_ARN_PATTERN,
        printable,
    );
    if request.role_arn.is_empty() {
        // The pattern needs one character, so an empty value breaks it too.
        out.insert(
            0,
            violation(
                "",
                "roleArn",
                &format!("satisfy regular expression pattern: {ROLE_ARN_PATTERN}"),
            ),
        );
    }
    check(
        &mut out,
        &request.session_name,
        "roleSessionName",
        2,
        64,
        r"[\w+=,.@-]*",
        |c| word(c) || "+=,.@-".contains(c),
    );
    if let Some(d) = request.duration_seconds {
        if d < 900 {
            out.push(violation(
                &d.to_string(),
                "durationSeconds",
                "have value greater than or equal to 900",
            ));
        }
        if d > 43200 {
            out.push(violation(
                &d.to_string(),
                "durationSeconds",
                "have value less than or equal to 43200",
            ));
        }
    }
    if let Some(id) = &request.external_id {
        check(&mut out, id, "externalId", 2, 1224, r"[\w+=,.@:/-]*", |c| {
            word(c) || "+=,.@:/-".contains(c)
        });
    }
    if let Some(mfa) = &request.mfa {
        check(
            &mut out,
            &mfa.serial,
            "serialNumber",
            9,
            256,
            r"[\w+=/:,.@-]*",
            |c| word(c) || "+=/:,.@-".contains(c),
        );
        check(&mut out, &mfa.code, "tokenCode", 6, 6, r"[\d]*", |c| {
            c.is_ascii_digit()
        });
    }
    out
}

fn session_policy(text: Option<&str>) -> Result<Option<Policy>, AwsError> {
    let Some(text) = text else { return Ok(None) };
    let policy = parse_text(text).map_err(|e| {
        AwsError::malformed_policy(&format!(
            "Syntax errors in policy. ({}: {})",
            e.path, e.message
        ))
    })?;
    check_kind(&policy, PolicyKind::Session).map_err(|e| {
        AwsError::malformed_policy(&format!(
            "Syntax errors in policy. ({}: {})",
            e.path, e.message
        ))
    })?;
    Ok(Some(policy))
}

/// `sts:AssumeRole`.
pub fn assume_role(
    world: &World,
    creds: &Credentials,
    request: &AssumeRoleRequest,
) -> Result<AssumedRole, AwsError> {
    let mut caller_name = creds.access_key_id.clone();
    let mut why = None;
    let result = assume_role_inner(world, creds, request, &mut caller_name, &mut why);
    world.record(CallRecord {
        operation: "sts:AssumeRole",
        caller: caller_name,
        target: Some(request.role_arn.clone()),
        outcome: result.as_ref().map(|a| a.arn.clone()).map_err(Clone::clone),
        why,
    });
    result
}

fn assume_role_inner(
    world: &World,
    creds: &Credentials,
    request: &AssumeRoleRequest,
    caller_name: &mut String,
    why: &mut Option<Why>,
) -> Result<AssumedRole, AwsError> {
    let identity = authenticate(world, creds, Service::Sts)?;
    let caller_arn = identity.arn(world);
    caller_name.clone_from(&caller_arn);
    let violations = validate(request);
    if !violations.is_empty() {
        *why = Some(Why::rule(
            "the parameters break the STS model's constraints",
        ));
        return Err(AwsError::validation(&violations));
    }
    match identity {
        Identity::Root { .. } => {
            *why = Some(Why::rule(
                "the root user's credentials can never assume a role",
            ));
            return Err(AwsError::root_may_not_assume());
        }
        Identity::Session(SessionKind::Federated { .. }) => {
            *why = Some(Why::rule(
                "GetFederationToken sessions may call no STS operation but GetCallerIdentity",
            ));
            return Err(AwsError::federated_may_not_assume());
        }
        _ => {}
    }
    let now = world.clock.now();
    let mut context: Vec<(&str, String)> =
        vec![("sts:RoleSessionName", request.session_name.clone())];
    if let Some(id) = &request.external_id {
        context.push(("sts:ExternalId", id.clone()));
    }
    let mfa_used = match &request.mfa {
        None => false,
        Some(mfa) if mfa.serial.is_empty() || mfa.code.is_empty() => {
            *why = Some(Why::rule("MFA needs both the device serial and the code"));
            return Err(AwsError::mfa_incomplete());
        }
        Some(mfa) => {
            let device = match &identity {
                Identity::User { account, name }
                | Identity::Session(SessionKind::SessionToken {
                    account,
                    user: name,
                    ..
                }) => world.model.user(account, name).and_then(|u| u.mfa.clone()),
                _ => None,
            };
            match device {
                Some(d) if d.serial == mfa.serial && d.code == mfa.code => true,
                Some(d) if d.serial == mfa.serial => {
                    *why = Some(Why::rule(
                        "the MFA code is not the one the device shows now",
                    ));
                    return Err(AwsError::mfa_wrong_code());
                }
                _ => {
                    *why = Some(Why::rule(format!(
                        "`{}` is not an MFA device of {caller_arn}",
                        mfa.serial
                    )));
                    return Err(AwsError::mfa_unknown_serial());
                }
            }
        }
    };
    let mfa_present = mfa_used || identity.mfa_present() == Some(true);
    if mfa_used || identity.is_temporary() {
        context.push(("aws:MultiFactorAuthPresent", mfa_present.to_string()));
    }
    if mfa_used {
        context.push(("aws:MultiFactorAuthAge", "0".to_owned()));
    }
    let role = world.model.role_by_arn(&request.role_arn);
    let (allowed, decided) = match role {
        Some(role) => decide(
            world,
            &identity,
            "sts:AssumeRole",
            &request.role_arn,
            Some(role),
            &context,
        ),
        None => (
            false,
            Why::rule(format!(
                "no role {} exists; AWS answers exactly as for a role whose trust policy does not allow the caller",
                request.role_arn
            )),
        ),
    };
    *why = Some(decided);
    let Some(role) = role.filter(|_| allowed) else {
        return Err(AwsError::not_authorized(
            &caller_arn,
            "sts:AssumeRole",
            &request.role_arn,
        ));
    };
    let chaining = matches!(identity, Identity::Session(SessionKind::Role { .. }));
    let duration = request.duration_seconds.map_or(3600, i64::from);
    if chaining && duration > 3600 {
        *why = Some(Why::rule(format!(
            "{caller_arn} is itself a role session, so the new session (role chaining) may last at most 3600 seconds, not {duration}"
        )));
        return Err(AwsError::over_chaining_limit());
    }
    if duration > i64::from(role.max_session_duration) {
        *why = Some(Why::rule(format!(
            "{} has MaxSessionDuration {} seconds; {duration} were asked for",
            role.arn(),
            role.max_session_duration
        )));
        return Err(AwsError::over_max_session_duration());
    }
    let policy = session_policy(request.session_policy.as_deref())?;
    let expiration = now + Duration::from_secs(u64::try_from(duration).unwrap_or(3600));
    let credentials = world.issue(
        SessionKind::Role {
            account: role.account.clone(),
            role: role.name.clone(),
            session: request.session_name.clone(),
            mfa: mfa_present,
            policy: policy.clone(),
        },
        expiration,
    );
    Ok(AssumedRole {
        credentials,
        arn: format!(
            "arn:aws:sts::{}:assumed-role/{}/{}",
            role.account, role.name, request.session_name
        ),
        assumed_role_id: format!("{}:{}", role.unique_id, request.session_name),
        packed_policy_size: request
            .session_policy
            .as_ref()
            .map(|p| i32::try_from(p.len() * 100 / 2048).unwrap_or(100).max(1)),
    })
}

/// `sts:GetCallerIdentity`: always allowed, even under an explicit deny.
pub fn get_caller_identity(world: &World, creds: &Credentials) -> Result<CallerIdentity, AwsError> {
    let result = authenticate(world, creds, Service::Sts).map(|identity| CallerIdentity {
        account: identity.account().to_owned(),
        arn: identity.arn(world),
        user_id: identity.user_id(world),
    });
    world.record(CallRecord {
        operation: "sts:GetCallerIdentity",
        caller: result
            .as_ref()
            .map_or_else(|_| creds.access_key_id.clone(), |i| i.arn.clone()),
        target: None,
        outcome: result.as_ref().map(|i| i.arn.clone()).map_err(Clone::clone),
        why: None,
    });
    result
}

/// What GetFederationToken returns.
#[derive(Debug, Clone)]
pub struct FederationToken {
    /// The credentials.
    pub credentials: Credentials,
    /// `FederatedUser.Arn`.
    pub arn: String,
    /// `FederatedUser.FederatedUserId`: `ACCOUNT:NAME`.
    pub federated_user_id: String,
}

/// `sts:GetFederationToken`: a federated-user session whose permissions are
/// the user's intersected with the session policy (none without one).
pub fn get_federation_token(
    world: &World,
    creds: &Credentials,
    name: &str,
    policy: Option<&str>,
    duration: Option<i64>,
) -> Result<FederationToken, AwsError> {
    let identity = authenticate(world, creds, Service::Sts)?;
    let (account, user) = match &identity {
        Identity::User { account, name } => (account.clone(), name.clone()),
        Identity::Root { account } => (account.clone(), "root".to_owned()),
        _ => return Err(AwsError::federation_with_session_credentials()),
    };
    let mut violations = Vec::new();
    check(&mut violations, name, "name", 2, 32, r"[\w+=,.@-]*", |c| {
        word(c) || "+=,.@-".contains(c)
    });
    let max = if matches!(identity, Identity::Root { .. }) {
        3600
    } else {
        129_600
    };
    let duration = duration.unwrap_or(if max == 3600 { 3600 } else { 43200 });
    if duration < 900 {
        violations.push(violation(
            &duration.to_string(),
            "durationSeconds",
            "have value greater than or equal to 900",
        ));
    }
    if duration > max {
        violations.push(violation(
            &duration.to_string(),
            "durationSeconds",
            &format!("have value less than or equal to {max}"),
        ));
    }
    if !violations.is_empty() {
        return Err(AwsError::validation(&violations));
    }
    let arn = format!("arn:aws:sts::{account}:federated-user/{name}");
    if !matches!(identity, Identity::Root { .. }) {
        let (allowed, _) = decide(world, &identity, "sts:GetFederationToken", &arn, None, &[]);
        if !allowed {
            return Err(AwsError::not_authorized(
                &identity.arn(world),
                "sts:GetFederationToken",
                &arn,
            ));
        }
    }
    let policy = session_policy(policy)?;
    let expiration =
        world.clock.now() + Duration::from_secs(u64::try_from(duration).unwrap_or(43200));
    let credentials = world.issue(
        SessionKind::Federated {
            account: account.clone(),
            user,
            name: name.to_owned(),
            policy,
        },
        expiration,
    );
    Ok(FederationToken {
        credentials,
        arn,
        federated_user_id: format!("{account}:{name}"),
    })
}

/// `sts:GetSessionToken`: a session with the user's own permissions.
pub fn get_session_token(
    world: &World,
    creds: &Credentials,
    duration: Option<i64>,
    mfa_used: bool,
) -> Result<Credentials, AwsError> {
    let identity = authenticate(world, creds, Service::Sts)?;
    let (account, user, max, default) = match &identity {
        Identity::User { account, name } => (account.clone(), name.clone(), 129_600, 43200),
        Identity::Root { account } => (account.clone(), "root".to_owned(), 3600, 3600),
        _ => return Err(AwsError::session_token_with_session_credentials()),
    };
    let duration = duration.unwrap_or(default);
    if !(900..=max).contains(&duration) {
        let constraint = if duration < 900 {
            "have value greater than or equal to 900".to_owned()
        } else {
            format!("have value less than or equal to {max}")
        };
        return Err(AwsError::validation(&[violation(
            &duration.to_string(),
            "durationSeconds",
            &constraint,
        )]));
    }
    let expiration: SystemTime =
        world.clock.now() + Duration::from_secs(u64::try_from(duration).unwrap_or(43200));
    Ok(world.issue(
        SessionKind::SessionToken {
            account,
            user,
            mfa: mfa_used,
        },
        expiration,
    ))
}
