//! Policies an import cannot see, as placeholders that never hide access:
//! a document known only after apply, or a managed policy attached by ARN
//! whose document no input holds (and xacct's catalogue does not have). It
//! may allow anything, on resources only the deployment (or AWS) knows:
//! `Allow * on UNRESOLVED(...)`, which matches nothing in a run and which the
//! analysis takes as undecided, so what it may grant stays conditional.

use serde_json::{Value, json};

/// `Allow *` on the placeholder `UNRESOLVED(what)`.
pub(super) fn unknown_policy(what: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": "*",
            "Resource": format!("UNRESOLVED({what})"),
        }]
    })
}

/// The note for a managed policy whose document is in no input.
pub(super) fn unknown_managed_note(at: &str, arn: &str) -> String {
    format!(
        "{at}: the managed policy {arn} has no document among the inputs (nor in xacct's catalogue): imported as a policy that may allow anything, which the analysis takes as unknown"
    )
}

/// A trust policy known only after apply: whoever a deployment names may
/// assume the role.
pub(super) fn unknown_trust(address: &str) -> Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": format!("UNRESOLVED(assume_role_policy of {address}, known after apply)")},
            "Action": "sts:AssumeRole",
        }]
    })
}
