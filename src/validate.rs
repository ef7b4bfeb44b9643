//! Input checks made before any network call, with AWS's own constraints
//! (the STS API model: lengths and patterns of each AssumeRole parameter).

use std::fmt;

use crate::cloud::AssumeRoleRequest;

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

/// `\w` as AWS's (Java) patterns mean it: ASCII letters, digits and `_`.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The first character outside `allowed`, with its position (1-based).
fn first_bad_char(value: &str, allowed: impl Fn(char) -> bool) -> Option<(usize, char)> {
    value
        .chars()
        .enumerate()
        .find(|&(_, c)| !allowed(c))
        .map(|(i, c)| (i + 1, c))
}

fn length_between(
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
    fix: &str,
) -> Result<(), InputError> {
    let len = value.chars().count();
    if len < min || len > max {
        return Err(error(
            field,
            value,
            format!("must be {min} to {max} characters long, not {len}"),
            fix,
        ));
    }
    Ok(())
}

fn chars_in(
    field: &'static str,
    value: &str,
    allowed: impl Fn(char) -> bool,
    pattern: &str,
    fix: &str,
) -> Result<(), InputError> {
    match first_bad_char(value, allowed) {
        Some((pos, c)) => Err(error(
            field,
            value,
            format!("character {c:?} at position {pos} is not allowed (AWS pattern {pattern})"),
            fix,
        )),
        None => Ok(()),
    }
}

/// `RoleSessionName`: 2–64 characters of `[\w+=,.@-]`.
pub fn session_name(value: &str) -> Result<(), InputError> {
    let fix = "use 2 to 64 letters, digits or _+=,.@- (for example `my-session`)";
    length_between("--session-name", value, 2, 64, fix)?;
    chars_in(
        "--session-name",
        value,
        |c| is_word(c) || "+=,.@-".contains(c),
        r"[\w+=,.@-]*",
        fix,
    )
}

/// `DurationSeconds`: 900–43200.
pub fn duration_seconds(value: i64) -> Result<(), InputError> {
    if !(900..=43200).contains(&value) {
        return Err(error(
            "--duration-seconds",
            &value.to_string(),
            "must be between 900 and 43200 seconds (15 minutes to 12 hours)",
            "pass a value in that range, and no more than the role's MaxSessionDuration (3600 when chaining roles)",
        ));
    }
    Ok(())
}

/// `ExternalId`: 2–1224 characters of `[\w+=,.@:/-]`.
pub fn external_id(value: &str) -> Result<(), InputError> {
    let fix = "pass the external id exactly as the role's owner gave it (2 to 1224 letters, digits or _+=,.@:/-)";
    length_between("--external-id", value, 2, 1224, fix)?;
    chars_in(
        "--external-id",
        value,
        |c| is_word(c) || "+=,.@:/-".contains(c),
        r"[\w+=,.@:/-]*",
        fix,
    )
}

/// `SerialNumber`: 9–256 characters of `[\w+=/:,.@-]`.
pub fn mfa_serial(value: &str) -> Result<(), InputError> {
    let fix = "pass the device serial (e.g. GAHT12345678) or the virtual device ARN arn:aws:iam::ACCOUNT:mfa/NAME";
    length_between("--mfa-serial", value, 9, 256, fix)?;
    chars_in(
        "--mfa-serial",
        value,
        |c| is_word(c) || "+=/:,.@-".contains(c),
        r"[\w+=/:,.@-]*",
        fix,
    )
}

/// `TokenCode`: exactly six digits.
pub fn mfa_code(value: &str) -> Result<(), InputError> {
    if value.len() != 6 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(error(
            "--mfa-code",
            value,
            "must be exactly six digits",
            "pass the six-digit code your MFA device shows now",
        ));
    }
    Ok(())
}

/// A role ARN: `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME`, 20–2048 characters.
pub fn role_arn(value: &str) -> Result<(), InputError> {
    let fix = "pass the role's ARN, e.g. arn:aws:iam::222222222222:role/s3-viewer";
    let bad = |rule: &str| error("--role-arn", value, rule, fix);
    length_between("--role-arn", value, 20, 2048, fix)?;
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
    let (path, name) = match path_and_name.rfind('/') {
        Some(i) => (&path_and_name[..=i], &path_and_name[i + 1..]),
        None => ("", path_and_name),
    };
    if !path.chars().all(|c| ('\u{21}'..='\u{7e}').contains(&c)) || path.len() > 511 {
        return Err(bad(
            "the role path must be printable ASCII without spaces, at most 512 characters",
        ));
    }
    if name.is_empty()
        || name.chars().count() > 64
        || !name.chars().all(|c| is_word(c) || "+=,.@-".contains(c))
    {
        return Err(bad(&format!(
            "the role name `{name}` must be 1 to 64 letters, digits or _+=,.@-"
        )));
    }
    Ok(())
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
    if let Some(policy) = &request.session_policy
        && (policy.is_empty() || policy.chars().count() > 2048)
    {
        {
            errors.push(error(
                "--session-policy",
                &format!("({} characters)", policy.chars().count()),
                "must be 1 to 2048 characters",
                "shorten the session policy",
            ));
        }
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
