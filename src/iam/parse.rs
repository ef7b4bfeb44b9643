//! Reading policy documents (JSON or YAML) into the model, with errors that
//! point at the place (`Statement[1].Action`) and say what is allowed there.

use serde_json::Value as Json;

use super::parse_elements::{action_patterns, conditions, principal_values, resource_patterns};
use super::policy::*;

/// A policy that does not follow the IAM grammar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at {path}: {message}")]
pub struct ParseError {
    /// Where: a JSON path such as `Statement[1].Action`.
    pub path: String,
    /// What is wrong and what is allowed there.
    pub message: String,
}

pub(super) fn fail<T>(path: &str, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        path: path.to_owned(),
        message: message.into(),
    })
}

/// What a policy is attached to, which decides the elements it may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// An identity policy of a user or role.
    Identity,
    /// A role's trust policy.
    Trust,
    /// Another resource-based policy (a bucket policy, ...).
    Resource,
    /// A permissions boundary.
    Boundary,
    /// A session policy.
    Session,
}

impl PolicyKind {
    /// Whether statements name a principal.
    pub fn has_principal(self) -> bool {
        matches!(self, Self::Trust | Self::Resource)
    }

    /// The name used in explanations.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Identity => "identity policy",
            Self::Trust => "trust policy",
            Self::Resource => "resource policy",
            Self::Boundary => "permissions boundary",
            Self::Session => "session policy",
        }
    }
}

/// Reads a policy from JSON or YAML text.
pub fn parse_text(text: &str) -> Result<Policy, ParseError> {
    let trimmed = text.trim_start();
    let value: Json = if trimmed.starts_with('{') {
        serde_json::from_str(text).map_err(|e| ParseError {
            path: format!("line {}, column {}", e.line(), e.column()),
            message: format!("not valid JSON: {e}"),
        })?
    } else {
        serde_saphyr::from_str(text).map_err(|e| ParseError {
            path: "(document)".to_owned(),
            message: format!("not valid YAML or JSON: {e}"),
        })?
    };
    parse(&value)
}

/// Reads a policy from a parsed JSON (or YAML) value.
pub fn parse(value: &Json) -> Result<Policy, ParseError> {
    let Some(doc) = value.as_object() else {
        return fail(
            "(document)",
            "a policy is an object with `Version` and `Statement`",
        );
    };
    for key in doc.keys() {
        if !["Version", "Id", "Statement"].contains(&key.as_str()) {
            return fail(
                key,
                "unknown element; a policy has `Version`, `Id` and `Statement`",
            );
        }
    }
    let version = match doc.get("Version") {
        None => None,
        Some(Json::String(v)) if v == "2012-10-17" => Some(Version::V2012),
        Some(Json::String(v)) if v == "2008-10-17" => Some(Version::V2008),
        Some(other) => {
            return fail(
                "Version",
                format!(
                    "`{}` is not a policy version; use \"2012-10-17\" (or the legacy \"2008-10-17\")",
                    text_of(other)
                ),
            );
        }
    };
    let id = match doc.get("Id") {
        None => None,
        Some(Json::String(id)) => Some(id.clone()),
        Some(_) => return fail("Id", "`Id` is a string"),
    };
    let (statements, single_statement) = match doc.get("Statement") {
        None => {
            return fail(
                "Statement",
                "a policy needs a `Statement` (one object or a list)",
            );
        }
        Some(Json::Array(items)) => (items.iter().collect::<Vec<_>>(), false),
        Some(item @ Json::Object(_)) => (vec![item], true),
        Some(_) => return fail("Statement", "`Statement` is an object or a list of objects"),
    };
    let variables = version == Some(Version::V2012);
    let statements = statements
        .into_iter()
        .enumerate()
        .map(|(i, s)| statement(s, &format!("Statement[{i}]"), variables))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Policy {
        version,
        id,
        statements,
        single_statement,
    })
}

/// Checks the elements a policy of this kind may have.
pub fn check_kind(policy: &Policy, kind: PolicyKind) -> Result<(), ParseError> {
    for (i, s) in policy.statements.iter().enumerate() {
        let at = format!("Statement[{i}]");
        match (kind.has_principal(), &s.principals) {
            (false, Some(_)) => {
                return fail(
                    &format!("{at}.Principal"),
                    format!(
                        "a {} names no principal; `Principal` and `NotPrincipal` belong in trust and resource policies",
                        kind.describe()
                    ),
                );
            }
            (true, None) => {
                return fail(
                    &at,
                    format!(
                        "a {} statement needs a `Principal` (or `NotPrincipal`) saying who it applies to",
                        kind.describe()
                    ),
                );
            }
            _ => {}
        }
        if !kind.has_principal() && s.resources.is_none() {
            return fail(
                &at,
                format!(
                    "a {} statement needs a `Resource` (or `NotResource`); use \"*\" for every resource",
                    kind.describe()
                ),
            );
        }
    }
    Ok(())
}

pub(super) fn text_of(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A string, or a list of strings (numbers and booleans are read as text, as
/// YAML writes unquoted account ids and flags).
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

const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

fn statement(value: &Json, at: &str, variables: bool) -> Result<Statement, ParseError> {
    let Some(s) = value.as_object() else {
        return fail(
            at,
            "a statement is an object with `Effect`, `Action` and usually `Resource`",
        );
    };
    for key in s.keys() {
        if !STATEMENT_KEYS.contains(&key.as_str()) {
            return fail(
                &format!("{at}.{key}"),
                format!(
                    "unknown element; a statement has {}",
                    STATEMENT_KEYS.join(", ")
                ),
            );
        }
    }
    let pair = |a: &str, b: &str| -> Result<(), ParseError> {
        if s.contains_key(a) && s.contains_key(b) {
            return fail(
                at,
                format!("`{a}` and `{b}` cannot be used together; keep one"),
            );
        }
        Ok(())
    };
    pair("Action", "NotAction")?;
    pair("Principal", "NotPrincipal")?;
    pair("Resource", "NotResource")?;
    let sid = match s.get("Sid") {
        None => None,
        Some(Json::String(sid)) => Some(sid.as_str().into()),
        Some(_) => return fail(&format!("{at}.Sid"), "`Sid` is a string"),
    };
    let effect = match s.get("Effect") {
        Some(Json::String(e)) if e == "Allow" => Effect::Allow,
        Some(Json::String(e)) if e == "Deny" => Effect::Deny,
        Some(other) => {
            return fail(
                &format!("{at}.Effect"),
                format!(
                    "`{}` is not an effect; use \"Allow\" or \"Deny\" (case-sensitive)",
                    text_of(other)
                ),
            );
        }
        None => return fail(at, "a statement needs an `Effect`: \"Allow\" or \"Deny\""),
    };
    let principals = match (s.get("Principal"), s.get("NotPrincipal")) {
        (Some(p), _) => Some(Principals::Only(principal_values(
            p,
            &format!("{at}.Principal"),
        )?)),
        (_, Some(p)) => Some(Principals::AllBut(principal_values(
            p,
            &format!("{at}.NotPrincipal"),
        )?)),
        _ => None,
    };
    let actions = match (s.get("Action"), s.get("NotAction")) {
        (Some(a), _) => Actions::Only(action_patterns(a, &format!("{at}.Action"))?),
        (_, Some(a)) => Actions::AllBut(action_patterns(a, &format!("{at}.NotAction"))?),
        _ => {
            return fail(
                at,
                "a statement needs an `Action` (or `NotAction`), e.g. \"sts:AssumeRole\"",
            );
        }
    };
    let resources = match (s.get("Resource"), s.get("NotResource")) {
        (Some(r), _) => Some(Resources::Only(resource_patterns(
            r,
            &format!("{at}.Resource"),
            variables,
        )?)),
        (_, Some(r)) => Some(Resources::AllBut(resource_patterns(
            r,
            &format!("{at}.NotResource"),
            variables,
        )?)),
        _ => None,
    };
    let conditions = match s.get("Condition") {
        None => Vec::new(),
        Some(c) => conditions(c, &format!("{at}.Condition"), variables)?,
    };
    Ok(Statement {
        sid,
        effect,
        principals,
        actions,
        resources,
        conditions,
    })
}
