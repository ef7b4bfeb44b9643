//! Reading policy documents (JSON or YAML) into the model, with errors that
//! point at the place (`Statement[1].Action`) and say what is allowed there.

use std::sync::Arc;

use serde_json::Value as Json;

use super::document::Document;
use super::elements::{action_patterns, conditions, principal_values, resource_patterns};
use super::kind::PolicyKind;
use super::policy::*;
use super::syntax::{ParseError, fail, text_of};

/// Reads a policy from JSON or YAML text.
pub fn parse_text(text: &str) -> Result<Policy, ParseError> {
    let trimmed = text.trim_start();
    let Document(value) = if trimmed.starts_with('{') {
        serde_json::from_str(text).map_err(|e| ParseError {
            path: format!("line {}, column {}", e.line(), e.column()),
            message: format!("not valid JSON: {e}"),
        })?
    } else {
        serde_saphyr::from_str(text).map_err(|e| ParseError {
            path: "(document)".to_owned(),
            message: format!(
                "not valid YAML or JSON: {}",
                super::document::yaml_message(&e.to_string())
            ),
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
        .map(|(i, s)| statement(s, &format!("Statement[{i}]"), variables).map(Arc::new))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Policy {
        version,
        id,
        statements,
        single_statement,
    })
}

/// Reads a policy and checks the elements its kind may have.
pub fn parse_as(value: &Json, kind: PolicyKind) -> Result<Policy, ParseError> {
    let policy = parse(value)?;
    kind.check(&policy)?;
    Ok(policy)
}

/// Reads a policy from text and checks the elements its kind may have.
pub fn parse_text_as(text: &str, kind: PolicyKind) -> Result<Policy, ParseError> {
    let policy = parse_text(text)?;
    kind.check(&policy)?;
    Ok(policy)
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
    let action_index = match &actions {
        Actions::Only(list) | Actions::AllBut(list) => super::action_index::ActionIndex::of(list),
    };
    Ok(Statement {
        sid,
        effect,
        principals,
        actions,
        resources,
        conditions,
        action_index,
    })
}
