//! `xacct diff`: the edges that appear and disappear between two worlds,
//! then the grants.

use std::fmt::Write as _;

use crate::sim::{EdgeChange, GrantDiff, GraphDiff};

/// `FROM --assume--> TO  [label]` for a changed edge.
fn change_line(e: &EdgeChange) -> String {
    let mut parts = Vec::new();
    if e.outside {
        parts.push("from outside the organization".to_owned());
    } else if e.crosses_account {
        parts.push("cross-account".to_owned());
    }
    if !e.needs.is_empty() {
        parts.push(format!("conditional: {}", e.needs));
    }
    let extra = if parts.is_empty() {
        String::new()
    } else {
        format!("  [{}]", parts.join("; "))
    };
    format!("{} --assume--> {}{extra}", e.from, e.to)
}

/// New and lost edges and grants, and what the comparison is.
pub fn text(d: &GraphDiff, grants: &GrantDiff, old: &str, new: &str) -> String {
    let mut out = format!(
        "who can assume which role, {old} -> {new} (each pair decided by the IAM engine; a probe of the worlds' principals and roles, not a proof about every possible request)\n"
    );
    if d.added.is_empty() && d.removed.is_empty() {
        out.push_str("no change\n");
    }
    for (sign, edges) in [("+", &d.added), ("-", &d.removed)] {
        for e in edges {
            let _ = writeln!(out, "{sign} {}", change_line(e));
        }
    }
    out.push_str("\nwho may do what (each principal probed with the actions and resources its policies name in either world, wildcards filled in; a probe, not a proof)\n");
    if grants.added.is_empty() && grants.removed.is_empty() {
        out.push_str("no change\n");
    }
    for (sign, list) in [("+", &grants.added), ("-", &grants.removed)] {
        for g in list {
            let _ = writeln!(
                out,
                "{sign} {} may {} on {}",
                g.principal, g.action, g.resource
            );
        }
    }
    out
}
