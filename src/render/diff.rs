//! `xacct diff` for a reviewer: the ways into roles that appear,
//! disappear or narrow first (always or conditional), then the grants summarised per
//! principal and service (or in full, or not at all), then one line that
//! sums it up; as text, JSON, or Markdown for a pull-request comment.

use std::fmt::Write as _;

use serde_json::json;

use crate::iam::Verdict;
use crate::sim::{Comparison, EdgeChange, Grant, PrincipalGrants};

/// How much of the grants to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantDetail {
    /// Not compared.
    None,
    /// Per principal and service, with counts.
    Summary,
    /// Every grant.
    Full,
}

/// The worlds compared, as the user named them.
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    /// The world before.
    pub old: &'a str,
    /// The world after.
    pub new: &'a str,
}

/// `[cross-account; conditional: needs ...]` for an edge.
fn label(e: &EdgeChange) -> String {
    let mut parts = Vec::new();
    if e.outside {
        parts.push("from outside the organization".to_owned());
    } else if e.crosses_account {
        parts.push("cross-account".to_owned());
    }
    if e.verdict == Verdict::Conditional {
        parts.push(format!("conditional: {}", e.needs));
    }
    parts.join("; ")
}

fn edge_line(e: &EdgeChange) -> String {
    let extra = label(e);
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!("  [{extra}]")
    };
    format!("{} --assume--> {}{extra}", e.from, e.to)
}

/// Why a principal's grants changed: the policies attached, detached or
/// edited.
fn cause(p: &PrincipalGrants) -> String {
    let mut parts = Vec::new();
    if !p.attached.is_empty() {
        parts.push(format!("{} attached", p.attached.join(", ")));
    }
    if !p.detached.is_empty() {
        parts.push(format!("{} detached", p.detached.join(", ")));
    }
    if !p.changed.is_empty() {
        parts.push(format!("{} changed", p.changed.join(", ")));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join("; "))
    }
}

/// `+412 actions in 38 services`.
fn counted(sign: &str, grants: &[Grant]) -> Option<String> {
    if grants.is_empty() {
        return None;
    }
    let actions: std::collections::BTreeSet<&str> =
        grants.iter().map(|g| g.action.as_str()).collect();
    let services = PrincipalGrants::services(grants).len();
    Some(format!(
        "{sign}{} action(s) in {services} service(s)",
        actions.len()
    ))
}

/// `ARN: +412 actions in 38 services, -3 actions in 1 service (cause)`.
fn principal_line(p: &PrincipalGrants) -> String {
    let mut counts: Vec<String> = [counted("+", &p.added), counted("-", &p.removed)]
        .into_iter()
        .flatten()
        .collect();
    if !p.unprobed.is_empty() {
        counts.push(format!(
            "{} allow(s) everything but what it lists (NotAction/NotResource): not probed, taken as new access",
            p.unprobed.join(", ")
        ));
    }
    format!("{}: {}{}", p.principal, counts.join(", "), cause(p))
}

/// The closing line: `2 new ways in (1 conditional), 0 lost; +412 grants
/// for 1 principal, -0`.
pub fn summary(c: &Comparison) -> String {
    let conditional = c
        .edges
        .added
        .iter()
        .filter(|e| e.verdict == Verdict::Conditional)
        .count();
    let mut line = format!(
        "{} new way(s) into a role ({conditional} conditional), {} lost",
        c.edges.added.len(),
        c.edges.removed.len()
    );
    if !c.edges.narrowed.is_empty() {
        let _ = write!(
            line,
            ", {} narrowed (now conditional)",
            c.edges.narrowed.len()
        );
    }
    if let Some(g) = &c.grants {
        let _ = write!(
            line,
            "; +{} grant(s), -{} grant(s), for {} principal(s)",
            g.added(),
            g.removed(),
            g.principals.len()
        );
        if g.unprobed() > 0 {
            let _ = write!(
                line,
                "; {} policy(ies) allowing by exclusion, not probed",
                g.unprobed()
            );
        }
    }
    line
}

/// The comparison as text.
pub fn text(c: &Comparison, named: Named<'_>, detail: GrantDetail) -> String {
    let mut out = format!(
        "who can assume which role, {} -> {} (every pair decided by the IAM engine three ways: always, conditional, never)\n",
        named.old, named.new
    );
    if c.edges.is_empty() {
        out.push_str("no change\n");
    }
    for (sign, edges) in [
        ("+", &c.edges.added),
        ("-", &c.edges.removed),
        ("~", &c.edges.narrowed),
    ] {
        for e in edges {
            let _ = writeln!(out, "{sign} {}", edge_line(e));
        }
    }
    if let (Some(g), true) = (&c.grants, detail != GrantDetail::None) {
        out.push_str("\nwho may do what, principal by principal (each probed with the actions and resources its policies name in either world; a probe, not a proof)\n");
        if g.principals.is_empty() {
            out.push_str("no change\n");
        }
        for p in &g.principals {
            let _ = writeln!(out, "{}", principal_line(p));
            if detail == GrantDetail::Full {
                for (sign, list) in [("+", &p.added), ("-", &p.removed)] {
                    for grant in list {
                        let _ = writeln!(out, "  {sign} {} on {}", grant.action, grant.resource);
                    }
                }
            }
        }
    }
    let _ = writeln!(out, "\n{}", summary(c));
    out
}

fn edge_json(e: &EdgeChange) -> serde_json::Value {
    json!({
        "from": e.from,
        "to": e.to,
        "verdict": e.verdict.as_str(),
        "needs": e.needs,
        "cross_account": e.crosses_account,
        "outside": e.outside,
    })
}

/// The comparison as one JSON document.
pub fn json(c: &Comparison, named: Named<'_>, detail: GrantDetail) -> String {
    let grants = c
        .grants
        .as_ref()
        .filter(|_| detail != GrantDetail::None)
        .map(|g| {
            let principals: Vec<_> = g
                .principals
                .iter()
                .map(|p| {
                    let mut v = json!({
                        "principal": p.principal,
                        "attached": p.attached,
                        "detached": p.detached,
                        "changed": p.changed,
                        "added": p.added.len(),
                        "removed": p.removed.len(),
                        "services_added": PrincipalGrants::services(&p.added),
                        "services_removed": PrincipalGrants::services(&p.removed),
                        "unprobed": p.unprobed,
                    });
                    if detail == GrantDetail::Full {
                        let list = |grants: &[Grant]| -> Vec<_> {
                            grants
                                .iter()
                                .map(|g| json!({"action": g.action, "resource": g.resource}))
                                .collect()
                        };
                        v["grants_added"] = json!(list(&p.added));
                        v["grants_removed"] = json!(list(&p.removed));
                    }
                    v
                })
                .collect();
            json!({
                "added": g.added(),
                "removed": g.removed(),
                "unprobed": g.unprobed(),
                "principals": principals,
            })
        });
    super::json::pretty(&json!({
        "old": named.old,
        "new": named.new,
        "edges": {
            "added": c.edges.added.iter().map(edge_json).collect::<Vec<_>>(),
            "removed": c.edges.removed.iter().map(edge_json).collect::<Vec<_>>(),
            "narrowed": c.edges.narrowed.iter().map(edge_json).collect::<Vec<_>>(),
        },
        "grants": grants,
        "opens_access": c.opens_access(),
        "summary": summary(c),
    }))
}

/// Text for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The comparison as Markdown, made for a pull-request comment.
pub fn markdown(c: &Comparison, named: Named<'_>, detail: GrantDetail) -> String {
    let mut out = format!(
        "### Access changes: `{}` → `{}`\n\n**{}**\n\n",
        cell(named.old),
        cell(named.new),
        summary(c)
    );
    if c.edges.is_empty() {
        out.push_str("No way into a role appears, disappears or narrows.\n");
    } else {
        out.push_str("| | Caller | Role | Verdict | Needs |\n|---|---|---|---|---|\n");
        for (sign, edges) in [
            ("➕", &c.edges.added),
            ("➖", &c.edges.removed),
            ("narrowed", &c.edges.narrowed),
        ] {
            for e in edges {
                let _ = writeln!(
                    out,
                    "| {sign} | `{}` | `{}` | {}{} | {} |",
                    cell(&e.from),
                    cell(&e.to),
                    e.verdict.as_str(),
                    if e.outside { ", from outside" } else { "" },
                    cell(&e.needs)
                );
            }
        }
    }
    if let (Some(g), true) = (&c.grants, detail != GrantDetail::None) {
        out.push_str("\n#### Grants\n\n");
        if g.principals.is_empty() {
            out.push_str("No principal's grants change.\n");
        }
        for p in &g.principals {
            let _ = writeln!(out, "- `{}`", cell(&principal_line(p)));
            if detail == GrantDetail::Full {
                for (sign, list) in [("+", &p.added), ("-", &p.removed)] {
                    for grant in list {
                        let _ = writeln!(
                            out,
                            "  - {sign} `{}` on `{}`",
                            cell(&grant.action),
                            cell(&grant.resource)
                        );
                    }
                }
            }
        }
    }
    out.push_str("\n<sub>Decided by xacct's IAM engine; grants are a probe of the actions and resources the policies name, not a proof.</sub>\n");
    out
}
