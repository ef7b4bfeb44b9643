//! The credentials of an STS answer, checked against the shapes STS issues
//! before anything uses, caches or prints them. An endpoint given with
//! `--endpoint-url` (a proxy, a lab emulator) may be hostile, and what it
//! returns goes on to shells (`eval "$(xacct creds)"`), `.env` files and
//! credentials files: a value with a newline, a quote or a `$(...)` must
//! never get that far.
//!
//! The shapes: `AccessKeyId` is 16 to 128 word characters (the STS API
//! model: `accessKeyIdType`, pattern `[\w]*`); the secret and the session
//! token are base64 text as AWS issues them (the model gives them no
//! pattern; xacct accepts the base64 and URL-safe base64 alphabets, 16 to
//! 256 characters for a secret, up to 16,384 for a token, which leaves
//! room for every emulator seen); `Expiration` is a timestamp.

use std::time::SystemTime;

use crate::cloud::{CloudError, ErrorClass, Operation};

/// Longest secret access key accepted.
const SECRET_MAX: usize = 256;
/// Longest session token accepted.
const TOKEN_MAX: usize = 16_384;

fn word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn base64(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_')
}

/// Why `value` is not of the shape, or `None`.
fn misfit(value: &str, lengths: (usize, usize), allowed: fn(char) -> bool) -> Option<String> {
    let length = value.chars().count();
    if length < lengths.0 || length > lengths.1 {
        return Some(format!(
            "{length} characters, where STS issues {} to {}",
            lengths.0, lengths.1
        ));
    }
    // Where, not what: the value itself is never shown.
    value
        .chars()
        .position(|c| !allowed(c))
        .map(|at| format!("a character STS never issues at position {}", at + 1))
}

/// Checks the credentials of an `operation` answer from `endpoint`.
pub(super) fn check(
    operation: Operation,
    endpoint: &str,
    (key, secret, token): (&str, &str, &str),
    expiration: Option<SystemTime>,
) -> Result<(), CloudError> {
    let refuse = |field: &str, why: String| {
        Err(CloudError::local(
            operation,
            ErrorClass::Unexpected,
            format!(
                "the {} answer of {endpoint} carries a {field} that is not what STS issues ({why}); the credentials are refused and none of them is shown or kept: check that --endpoint-url names a real STS endpoint",
                operation.name().trim_start_matches("sts:")
            ),
        ))
    };
    if let Some(why) = misfit(key, (16, 128), word) {
        return refuse("Credentials.AccessKeyId", why);
    }
    if let Some(why) = misfit(secret, (16, SECRET_MAX), base64) {
        return refuse("Credentials.SecretAccessKey", why);
    }
    if let Some(why) = misfit(token, (1, TOKEN_MAX), base64) {
        return refuse("Credentials.SessionToken", why);
    }
    if expiration.is_none() {
        return refuse(
            "Credentials.Expiration",
            "not a time xacct can represent".to_owned(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::cloud::Operation;
    use std::time::SystemTime;

    const KEY: &str = "ASIAIOSFODNN7EXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "FwoGZXIvYXdzEBYaD+EXAMPLE/token==";

    fn verdict(key: &str, secret: &str, token: &str) -> Result<(), String> {
        check(
            Operation::AssumeRole,
            "http://127.0.0.1:9",
            (key, secret, token),
            Some(SystemTime::UNIX_EPOCH),
        )
        .map_err(|e| e.message)
    }

    #[test]
    fn what_sts_issues_passes() {
        assert_eq!(verdict(KEY, SECRET, TOKEN), Ok(()));
    }

    #[test]
    fn injection_is_refused_naming_the_field_never_the_value() {
        for (key, secret, token, field) in [
            ("ASIA'$(touch x)'AAAAAA", SECRET, TOKEN, "AccessKeyId"),
            (
                KEY,
                "abc\ncredential_process = sh -c id",
                TOKEN,
                "SecretAccessKey",
            ),
            (KEY, SECRET, "tok\"; EVIL=1 #aaaaaaaa", "SessionToken"),
            (KEY, SECRET, "", "SessionToken"),
            ("ASIA", SECRET, TOKEN, "AccessKeyId"),
        ] {
            let message = verdict(key, secret, token).expect_err(field);
            assert!(message.contains(field), "{message}");
            assert!(message.contains("http://127.0.0.1:9"), "{message}");
            for value in [key, secret, token] {
                assert!(
                    value.is_empty() || value.len() < 5 || !message.contains(value),
                    "{message}"
                );
            }
        }
    }
}
