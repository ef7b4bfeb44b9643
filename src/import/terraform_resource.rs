//! One resource of `terraform show -json` output, and how its values are
//! read: a string field, a policy document given as JSON text.

use serde_json::{Map, Value};

/// A resource as `terraform show -json` lists it.
pub(super) struct Resource<'v> {
    /// Its address (`module.x.aws_iam_role.y`).
    pub address: String,
    /// Its type (`aws_iam_role`).
    pub kind: &'v str,
    /// Its values.
    pub values: &'v Map<String, Value>,
}

/// A string field's value.
pub(super) fn text<'v>(values: &'v Map<String, Value>, field: &str) -> Option<&'v str> {
    values.get(field).and_then(Value::as_str)
}

/// A policy document from its JSON text.
pub(super) fn policy(text: &str, at: &str) -> Result<Value, String> {
    serde_json::from_str::<crate::iam::Document>(text)
        .map(|d| d.0)
        .map_err(|e| format!("{at}: not a policy document: {e}"))
}
