//! What the policy parsers share: errors located at a JSON path, and the
//! string-or-list values that most policy elements take.

use serde_json::Value as Json;

/// A policy that does not follow the IAM grammar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at {path}: {message}")]
pub struct ParseError {
    /// Where: a JSON path such as `Statement[1].Action`.
    pub path: String,
    /// What is wrong and what is allowed there.
    pub message: String,
}

/// An error at `path`.
pub(super) fn fail<T>(path: &str, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        path: path.to_owned(),
        message: message.into(),
    })
}

/// A value as text: strings as they are, anything else as JSON.
pub(super) fn text_of(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A string, or a list of strings (numbers and booleans are read as text, as
/// YAML writes unquoted account ids and flags); also says whether it was a list.
pub(super) fn strings(
    value: &Json,
    path: &str,
    what: &str,
) -> Result<(Vec<String>, bool), ParseError> {
    let one = |v: &Json, p: &str| match v {
        Json::String(s) => Ok(s.clone()),
        Json::Number(n) => Ok(n.to_string()),
        Json::Bool(b) => Ok(b.to_string()),
        _ => fail(p, format!("{what} is a string or a list of strings")),
    };
    match value {
        Json::Array(items) => Ok((
            items
                .iter()
                .enumerate()
                .map(|(i, v)| one(v, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()?,
            true,
        )),
        other => Ok((vec![one(other, path)?], false)),
    }
}
