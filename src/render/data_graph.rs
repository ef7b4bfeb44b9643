//! `xacct graph`'s data edges: who can read and write which bucket's
//! objects, as lines and as JSON, each *always* or *conditional* with what
//! it needs and why.

use std::fmt::Write as _;

use serde_json::json;

use crate::sim::DataEdge;

fn label(e: &DataEdge) -> String {
    let mut parts = Vec::new();
    if e.outside {
        parts.push("from outside the organization".to_owned());
    } else if e.crosses_account {
        parts.push("cross-account".to_owned());
    }
    if e.verdict == crate::iam::Verdict::Conditional {
        let needs = e.needs();
        parts.push(if needs.is_empty() {
            "conditional".to_owned()
        } else {
            format!("conditional: {needs}")
        });
    }
    parts.push(e.why.clone());
    parts.join("; ")
}

fn texts(needs: &[crate::iam::Need]) -> Vec<&str> {
    needs.iter().map(crate::iam::Need::text).collect()
}

/// A conditional edge's `when` and `unless` as JSON lists of texts.
pub(super) type WhenUnless<'c> = (Vec<Vec<&'c str>>, Vec<Vec<&'c str>>);

/// The alternatives and exceptions of `conditions`, each as its texts.
pub(super) fn when_unless(conditions: Option<&crate::sim::Conditions>) -> WhenUnless<'_> {
    match conditions {
        Some(c) => (
            c.when.iter().map(|a| texts(a)).collect(),
            c.unless.iter().map(|a| texts(a)).collect(),
        ),
        None => (Vec::new(), Vec::new()),
    }
}

/// One line per edge: `FROM --read--> s3://BUCKET  [label]`.
pub fn text(edges: &[DataEdge]) -> String {
    let mut out = String::new();
    for e in edges {
        let _ = writeln!(
            out,
            "{} --{}--> {}  [{}]",
            e.from,
            e.access.as_str(),
            e.url(),
            label(e)
        );
    }
    out
}

/// The edges as JSON: `from`, `bucket`, `owner`, `access`, `verdict`,
/// `when`, `unless`, `cross_account`, `outside`, `why`.
pub fn json(edges: &[DataEdge]) -> serde_json::Value {
    edges
        .iter()
        .map(|e| {
            let (when, unless) = when_unless(e.conditions.as_deref());
            json!({
                "from": e.from,
                "bucket": e.bucket,
                "owner": e.owner,
                "access": e.access.as_str(),
                "verdict": e.verdict.as_str(),
                "when": when,
                "unless": unless,
                "cross_account": e.crosses_account,
                "outside": e.outside,
                "why": e.why,
            })
        })
        .collect()
}
