//! Printing a policy back to JSON, keeping every value as written, so that
//! parse → print → parse gives the same policy.

use serde_json::{Map, Value as Json, json};

use super::policy::*;
use super::principal::{PrincipalType, PrincipalValue};

/// The policy as a JSON value.
pub fn to_json(policy: &Policy) -> Json {
    let mut doc = Map::new();
    if let Some(version) = policy.version {
        doc.insert("Version".into(), json!(version.as_str()));
    }
    if let Some(id) = &policy.id {
        doc.insert("Id".into(), json!(id));
    }
    let statements: Vec<Json> = policy
        .statements
        .iter()
        .map(|s| statement_to_json(s))
        .collect();
    let statement = match (policy.single_statement, statements.as_slice()) {
        (true, [one]) => one.clone(),
        _ => Json::Array(statements),
    };
    doc.insert("Statement".into(), statement);
    Json::Object(doc)
}

/// One statement as a JSON value.
pub fn statement_to_json(s: &Statement) -> Json {
    let mut out = Map::new();
    if let Some(sid) = &s.sid {
        out.insert("Sid".into(), json!(&**sid));
    }
    out.insert("Effect".into(), json!(s.effect.as_str()));
    match &s.principals {
        Some(Principals::Only(values)) => {
            out.insert("Principal".into(), principals(values));
        }
        Some(Principals::AllBut(values)) => {
            out.insert("NotPrincipal".into(), principals(values));
        }
        None => {}
    }
    let (key, list) = match &s.actions {
        Actions::Only(list) => ("Action", list),
        Actions::AllBut(list) => ("NotAction", list),
    };
    out.insert(
        key.into(),
        Json::Array(list.iter().map(|a| json!(a.raw)).collect()),
    );
    match &s.resources {
        Some(Resources::Only(list)) => {
            out.insert(
                "Resource".into(),
                Json::Array(list.iter().map(|r| json!(r.raw)).collect()),
            );
        }
        Some(Resources::AllBut(list)) => {
            out.insert(
                "NotResource".into(),
                Json::Array(list.iter().map(|r| json!(r.raw)).collect()),
            );
        }
        None => {}
    }
    if !s.conditions.is_empty() {
        let mut ops = Map::new();
        for c in &s.conditions {
            let keys = ops
                .entry(c.operator_name.clone())
                .or_insert_with(|| Json::Object(Map::new()));
            if let Json::Object(keys) = keys {
                let values = if c.values_as_list || c.raw_values.len() != 1 {
                    Json::Array(c.raw_values.iter().map(|v| json!(v)).collect())
                } else {
                    json!(c.raw_values[0])
                };
                keys.insert(c.key.clone(), values);
            }
        }
        out.insert("Condition".into(), Json::Object(ops));
    }
    Json::Object(out)
}

fn principals(values: &[PrincipalValue]) -> Json {
    if let [one] = values
        && one.kind == PrincipalType::Star
    {
        return json!("*");
    }
    let mut map = Map::new();
    for v in values {
        let entry = map
            .entry(v.kind.key().to_owned())
            .or_insert_with(|| Json::Array(Vec::new()));
        if let Json::Array(list) = entry {
            list.push(json!(v.raw));
        }
    }
    Json::Object(map)
}
