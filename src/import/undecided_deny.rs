//! The Deny statements of a policy a deployment may not create (a template
//! resource whose `Condition` depends on a value no input gives): they are
//! not counted on. Each gets one more condition whose value is the
//! placeholder of the template's condition, so in a run it never applies
//! (the placeholder matches nothing) and in the analysis it is undecided
//! (an `unless`), never a sure deny that would hide access.

use serde_json::{Map, Value, json};

/// Operators and keys tried in turn for the added condition, so it never
/// merges into a test the statement already makes on the same key.
const SLOTS: [(&str, &str); 3] = [
    ("StringEquals", "aws:PrincipalArn"),
    ("StringLike", "aws:PrincipalArn"),
    ("StringEquals", "aws:PrincipalAccount"),
];

/// Marks each Deny statement of `doc` as undecided on `condition` (the
/// template's condition name).
pub(super) fn not_counted_on(doc: &mut Value, condition: &str) {
    let placeholder = format!("UNRESOLVED(condition {condition} known only once deployed)");
    let statements: Vec<&mut Value> = match doc.get_mut("Statement") {
        Some(Value::Array(list)) => list.iter_mut().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => return,
    };
    for statement in statements {
        if statement.get("Effect").and_then(Value::as_str) != Some("Deny") {
            continue;
        }
        let Some(block) = statement
            .as_object_mut()
            .map(|s| s.entry("Condition").or_insert_with(|| json!({})))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        add(block, &placeholder);
    }
}

/// Adds the placeholder test in the first free slot of a condition block.
fn add(block: &mut Map<String, Value>, placeholder: &str) {
    for (operator, key) in SLOTS {
        let tests = block.entry(operator).or_insert_with(|| json!({}));
        let Some(tests) = tests.as_object_mut() else {
            continue;
        };
        if !tests.contains_key(key) {
            tests.insert(key.to_owned(), json!(placeholder));
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_denies_get_the_placeholder_in_a_free_slot() {
        let mut doc = json!({"Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:*", "Resource": "*",
             "Condition": {"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::1:role/x"}}}
        ]});
        not_counted_on(&mut doc, "IsProd");
        assert!(doc["Statement"][0].get("Condition").is_none());
        let block = &doc["Statement"][1]["Condition"];
        assert_eq!(
            block["StringEquals"]["aws:PrincipalArn"],
            "arn:aws:iam::1:role/x"
        );
        assert_eq!(
            block["StringLike"]["aws:PrincipalArn"],
            "UNRESOLVED(condition IsProd known only once deployed)"
        );
        let mut one = json!({"Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}});
        not_counted_on(&mut one, "C");
        assert!(
            one["Statement"]["Condition"]["StringEquals"]["aws:PrincipalArn"]
                .as_str()
                .is_some_and(|v| v.starts_with("UNRESOLVED("))
        );
    }
}
