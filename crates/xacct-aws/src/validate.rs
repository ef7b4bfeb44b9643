//! Input checks made before any network call, with AWS's own constraints
//! (the STS API model: lengths and patterns of each AssumeRole parameter).

use std::fmt;

use crate::cloud::params::{
    ASSUME_ROLE_DURATION, Broken, EXTERNAL_ID, POLICY, ROLE_ARN, ROLE_SESSION_NAME, SERIAL_NUMBER,
    SOURCE_IDENTITY, TAG_KEY, TAG_VALUE, TOKEN_CODE, TextParam,
};
use crate::cloud::session_rules::{SessionBreach, SessionList, session_breaches};
use crate::cloud::{AssumeRoleRequest, Tag};

/// A value that breaks one of AWS's constraints.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InputError {
    /// The flag (or parameter) that carried the value.
    pub field: &'static str,
    /// The offending value.
    pub value: String,
    /// The rule it broke.
    pub rule: String,
    /// What to do instead.
    pub fix: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} `{}`: {}; {}",
            self.field, self.value, self.rule, self.fix
        )
    }
}

fn error(
    field: &'static str,
    value: &str,
    rule: impl Into<String>,
    fix: impl Into<String>,
) -> InputError {
    InputError {
        field,
        value: value.to_owned(),
        rule: rule.into(),
        fix: fix.into(),
    }
}

/// A value against one of the STS model's text constraints, in the CLI's
/// voice: the length first, then the first character outside the pattern.
fn text(param: &TextParam, value: &str) -> Result<(), InputError> {
    let broken = param.check(value);
    if broken.is_empty() {
        return Ok(());
    }
    Err(broken_error(param, param.flag, value, &broken))
}

/// The first of the constraints `value` breaks (the length before the
/// pattern), for `flag`.
fn broken_error(
    param: &TextParam,
    flag: &'static str,
    value: &str,
    broken: &[Broken],
) -> InputError {
    let length = broken.iter().find_map(|b| match b {
        Broken::TooShort { length } | Broken::TooLong { length } => Some(*length),
        _ => None,
    });
    let rule = match (length, broken.first()) {
        (Some(length), _) => format!(
            "must be {} to {} characters long, not {length}",
            param.min, param.max
        ),
        (
            None,
            Some(Broken::Pattern {
                found: Some((pos, c)),
            }),
        ) => format!(
            "character {c:?} at position {pos} is not allowed (AWS pattern {})",
            param.pattern
        ),
        _ => "must not be empty".to_owned(),
    };
    error(flag, value, rule, param.fix)
}

/// `RoleSessionName`: 2–64 characters of `[\w+=,.@-]`.
pub fn session_name(value: &str) -> Result<(), InputError> {
    text(&ROLE_SESSION_NAME, value)
}

/// `DurationSeconds`: 900–43200.
pub fn duration_seconds(value: i64) -> Result<(), InputError> {
    let p = ASSUME_ROLE_DURATION;
    match p.check(value) {
        None => Ok(()),
        Some(_) => Err(error(
            p.flag,
            &value.to_string(),
            format!(
                "must be between {} and {} seconds (15 minutes to 12 hours)",
                p.min, p.max
            ),
            p.fix,
        )),
    }
}

/// An optional `DurationSeconds` flag checked and narrowed to the API's
/// integer type.
pub fn optional_duration(value: Option<i64>) -> Result<Option<i32>, InputError> {
    match value {
        Some(d) => duration_seconds(d).map(|()| i32::try_from(d).ok()),
        None => Ok(None),
    }
}

/// `ExternalId`: 2–1224 characters of `[\w+=,.@:/-]`.
pub fn external_id(value: &str) -> Result<(), InputError> {
    text(&EXTERNAL_ID, value)
}

/// `SerialNumber`: 9–256 characters of `[\w+=/:,.@-]`.
pub fn mfa_serial(value: &str) -> Result<(), InputError> {
    text(&SERIAL_NUMBER, value)
}

/// `SourceIdentity`: 2–64 characters of `[\w+=,.@-]`, not starting
/// with `aws:` (a prefix AWS reserves: STS API reference, AssumeRole).
pub fn source_identity(value: &str) -> Result<(), InputError> {
    // The prefix `aws:`, which AWS reserves, is outside the pattern.
    text(&SOURCE_IDENTITY, value)
}

/// `--tag KEY=VALUE`: a session tag (the value may be empty; the first
/// `=` splits).
pub fn tag(value: &str) -> Result<Tag, InputError> {
    let Some((key, val)) = value.split_once('=') else {
        return Err(error(
            TAG_KEY.flag,
            value,
            "a session tag is KEY=VALUE",
            "write it as --tag team=data",
        ));
    };
    text(&TAG_KEY, key)?;
    text(&TAG_VALUE, val)?;
    Ok(Tag::new(key, val))
}

/// Puts the session flags (`--tag KEY=VALUE`, `--transitive-tag-key`,
/// `--source-identity`, `--policy-arn`) into `request`; a `--tag` that is
/// not KEY=VALUE (or breaks the tag rules) is returned instead. The limits
/// across the request are [`session_context`]'s.
pub fn session_flags(
    (tags, transitive_tag_keys): (&[String], &[String]),
    source_identity: Option<&String>,
    policy_arns: &[String],
    request: &mut AssumeRoleRequest,
) -> Vec<InputError> {
    let mut errors = Vec::new();
    for raw in tags {
        match tag(raw) {
            Ok(t) => request.tags.push(t),
            Err(e) => errors.push(e),
        }
    }
    request.transitive_tag_keys = transitive_tag_keys.to_vec();
    request.source_identity = source_identity.cloned();
    request.policy_arns = policy_arns.to_vec();
    errors
}

/// The session tags, transitive keys, managed session policies and source
/// identity of a request against STS's rules ([`session_breaches`]), in
/// the CLI's voice.
pub fn session_context(request: &AssumeRoleRequest) -> Vec<InputError> {
    session_breaches(request)
        .into_iter()
        .map(|breach| match breach {
            SessionBreach::TooMany { list, given } => error(
                list.flag(),
                &format!("({given} given)"),
                format!("AWS accepts at most {} {}", list.max(), list.what()),
                format!("pass at most {}", list.max()),
            ),
            SessionBreach::Value {
                param,
                value,
                flag,
                broken,
                ..
            } => broken_error(param, flag, value, &broken),
            SessionBreach::SameKey { key } => error(
                TAG_KEY.flag,
                key,
                "another tag has the same key in another case; tag keys are case-insensitive",
                "pass each key once",
            ),
            SessionBreach::TransitiveNotTag { key } => error(
                SessionList::TransitiveTagKeys.flag(),
                key,
                "a transitive key must be one of the session tags",
                "add --tag KEY=VALUE for it, or drop the key",
            ),
        })
        .collect()
}

/// `TokenCode`: exactly six digits.
pub fn mfa_code(value: &str) -> Result<(), InputError> {
    if TOKEN_CODE.check(value).is_empty() {
        return Ok(());
    }
    Err(error(
        TOKEN_CODE.flag,
        value,
        "must be exactly six digits",
        TOKEN_CODE.fix,
    ))
}

/// An account id given to `--account`: 12 digits.
pub fn account_id(value: &str) -> Result<(), InputError> {
    if xacct_iam::is_account_id(value) {
        return Ok(());
    }
    Err(error(
        "--account",
        value,
        "an account id is 12 digits",
        "write the 12-digit id (111111111111), or FILE=ID for one input",
    ))
}

/// A role ARN: `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME`, 20–2048 characters.
pub fn role_arn(value: &str) -> Result<(), InputError> {
    let fix = ROLE_ARN.fix;
    let bad = |rule: &str| error(ROLE_ARN.flag, value, rule, fix);
    text(&ROLE_ARN, value)?;
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts[..] else {
        return Err(bad(
            "must have six colon-separated parts: arn:PARTITION:iam::ACCOUNT:role/NAME",
        ));
    };
    if arn != "arn" {
        return Err(bad("must start with `arn:`"));
    }
    if !is_partition(partition) {
        return Err(bad(&format!(
            "`{partition}` is not an AWS partition (aws, aws-cn, aws-us-gov, ...)"
        )));
    }
    if service != "iam" {
        return Err(bad(&format!(
            "the service must be `iam`, not `{service}`; roles are IAM resources"
        )));
    }
    if !region.is_empty() {
        return Err(bad(&format!(
            "IAM ARNs have an empty region, not `{region}`"
        )));
    }
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(&format!("the account `{account}` must be 12 digits")));
    }
    let Some(path_and_name) = resource.strip_prefix("role/") else {
        return Err(bad(&format!(
            "the resource `{resource}` must start with `role/`{}",
            if resource.starts_with("user/") {
                " (this is a user ARN; users cannot be assumed)"
            } else {
                ""
            }
        )));
    };
    role_path_and_name(path_and_name).map_or(Ok(()), |rule| Err(bad(&rule)))
}

/// IAM's rule for a role's path and name as an ARN holds them after
/// `role/` (`team/ci/deployer`): a path of printable ASCII without spaces,
/// at most 512 characters, then a name of 1 to 64 letters, digits or
/// `_+=,.@-`. The rule broken, worded, or `None`.
pub fn role_path_and_name(path_and_name: &str) -> Option<String> {
    let (path, name) = match path_and_name.rfind('/') {
        Some(i) => (&path_and_name[..=i], &path_and_name[i + 1..]),
        None => ("", path_and_name),
    };
    if !path.chars().all(|c| ('\u{21}'..='\u{7e}').contains(&c)) || path.len() > 511 {
        return Some(
            "the role path must be printable ASCII without spaces, at most 512 characters"
                .to_owned(),
        );
    }
    let valid = |c: char| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c);
    (name.is_empty() || name.chars().count() > 64 || !name.chars().all(valid))
        .then(|| format!("the role name `{name}` must be 1 to 64 letters, digits or _+=,.@-"))
}

fn is_partition(value: &str) -> bool {
    value.strip_prefix("aws").is_some_and(|rest| {
        rest.split('-')
            .skip(1)
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
            && (rest.is_empty() || rest.starts_with('-'))
    })
}

/// An endpoint URL: `http://` or `https://` and a host.
pub fn endpoint_url(value: &str) -> Result<(), InputError> {
    let rest = value
        .strip_prefix("http://")
        .or_else(|| value.strip_prefix("https://"));
    match rest {
        Some(host)
            if !host.is_empty()
                && !host.starts_with('/')
                && !host.contains(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => Err(error(
            "--endpoint-url",
            value,
            "must be an http:// or https:// URL with a host",
            "pass e.g. http://127.0.0.1:4566",
        )),
    }
}

/// Checks `--region`: a region is one DNS label (it becomes part of every
/// endpoint's host name), lowercase letters, digits and hyphens, as
/// `eu-west-1`; the SDK would otherwise refuse it only at the first call.
pub fn region(value: &str) -> Result<(), InputError> {
    let label = !value.is_empty()
        && value.len() <= 63
        && !value.starts_with('-')
        && !value.ends_with('-')
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if label {
        Ok(())
    } else {
        Err(error(
            "--region",
            value,
            "a region is 1 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen",
            "pass e.g. us-east-1 or eu-west-1",
        ))
    }
}

/// Checks every parameter of an AssumeRole request; returns every problem.
pub fn assume_role_request(request: &AssumeRoleRequest) -> Result<(), Vec<InputError>> {
    let mut errors: Vec<InputError> = [
        role_arn(&request.role_arn),
        session_name(&request.session_name),
        request
            .duration_seconds
            .map_or(Ok(()), |d| duration_seconds(d.into())),
        request.external_id.as_deref().map_or(Ok(()), external_id),
        request
            .mfa
            .as_ref()
            .map_or(Ok(()), |m| mfa_serial(&m.serial)),
        request.mfa.as_ref().map_or(Ok(()), |m| mfa_code(&m.code)),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    errors.extend(session_context(request));
    if let Some(policy) = &request.session_policy
        && !POLICY.check(policy).is_empty()
    {
        errors.push(error(
            POLICY.flag,
            &format!("({} characters)", policy.chars().count()),
            "must be 1 to 2048 characters of printable Latin-1 text",
            POLICY.fix,
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_s_path_and_name_as_iam_allows_them() {
        assert_eq!(role_path_and_name("team/ci/deployer"), None);
        assert_eq!(role_path_and_name(&"r".repeat(64)), None);
        for bad in ["", "team/", "a b", "x!", &"r".repeat(65)] {
            assert!(
                role_path_and_name(bad).is_some_and(|r| r.contains("1 to 64")),
                "{bad:?}"
            );
        }
        let spaced = role_path_and_name("my team/deployer").expect("a space in the path");
        assert!(spaced.contains("printable ASCII"), "{spaced}");
    }

    #[test]
    fn role_arns() {
        assert!(role_arn("arn:aws:iam::222222222222:role/s3-viewer").is_ok());
        assert!(role_arn("arn:aws-us-gov:iam::222222222222:role/path/to/r").is_ok());
        assert!(
            role_arn("arn:aws:iam::222222222222:user/homes")
                .is_err_and(|e| e.rule.contains("user ARN"))
        );
        assert!(
            role_arn("arn:aws:iam::2222:role/s3-viewer")
                .is_err_and(|e| e.rule.contains("12 digits"))
        );
        assert!(role_arn("arn:aws:sts::222222222222:role/s3-viewer").is_err());
        assert!(role_arn("arn:aws:iam:us-east-1:222222222222:role/x").is_err());
        assert!(role_arn("arn:aws:iam::222222222222:role/").is_err());
        assert!(role_arn("arn:awsx:iam::222222222222:role/a").is_err());
        assert!(role_arn("arn:aws-:iam::222222222222:role/a").is_err());
    }

    #[test]
    fn messages_name_value_rule_and_fix() {
        let err = session_name("bad name")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("`bad name`"), "{err}");
        assert!(err.contains("position 4"), "{err}");
        assert!(err.contains("use 2 to 64"), "{err}");
    }
}
