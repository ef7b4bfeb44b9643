//! `xacct graph`: who can assume which role, as text, JSON, Graphviz DOT
//! or Mermaid; and paths between a principal and a role, hop by hop.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::json;

use crate::sim::{Edge, GrantDiff, Graph, GraphDiff, GraphFinding};

fn account(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or("")
}

fn short(arn: &str) -> &str {
    arn.splitn(6, ':').nth(5).unwrap_or(arn)
}

fn label(e: &Edge) -> String {
    let mut parts = Vec::new();
    if e.outside {
        parts.push("from outside the organization".to_owned());
    } else if e.crosses_organization {
        parts.push("crosses the organization boundary".to_owned());
    } else if e.crosses_account {
        parts.push("cross-account".to_owned());
    }
    if !e.needs.is_empty() {
        parts.push(format!("needs {}", e.needs.join(", ")));
    }
    parts.join("; ")
}

/// One line per edge, then the findings.
pub fn text(graph: &Graph, findings: &[GraphFinding]) -> String {
    if graph.edges.is_empty() {
        return "no principal of the world can assume any of its roles\n".to_owned();
    }
    let mut out = String::new();
    for f in findings {
        let _ = writeln!(out, "FINDING {}: {}", f.rule, f.message);
    }
    for e in &graph.edges {
        let _ = writeln!(out, "{}", edge_line(e));
    }
    out
}

/// `FROM --assume--> TO  [label]`.
fn edge_line(e: &Edge) -> String {
    let extra = label(e);
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!("  [{extra}]")
    };
    format!("{} --assume--> {}{extra}", e.from, e.to)
}

/// `{"edges": [{"from", "to", "needs", "cross_account", "outside", "why"}],
/// "findings": [{"rule", "role", "message"}]}`.
pub fn json(graph: &Graph, findings: &[GraphFinding]) -> String {
    let edges: Vec<_> = graph
        .edges
        .iter()
        .map(|e| {
            json!({ "from": e.from, "to": e.to, "needs": e.needs, "cross_account": e.crosses_account, "outside": e.outside, "crosses_organization": e.crosses_organization, "why": e.why })
        })
        .collect();
    let findings: Vec<_> = findings
        .iter()
        .map(|f| json!({ "rule": f.rule, "role": f.role, "message": f.message }))
        .collect();
    super::json::pretty(&json!({ "edges": edges, "findings": findings }))
}

fn nodes(graph: &Graph) -> BTreeMap<&str, Vec<&str>> {
    let mut by_account: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in &graph.edges {
        for arn in [e.from.as_str(), e.to.as_str()] {
            let list = by_account.entry(account(arn)).or_default();
            if !list.contains(&arn) {
                list.push(arn);
            }
        }
    }
    by_account
}

fn quote(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The ARNs findings name (their roles), and callers from outside.
fn marked<'g>(graph: &'g Graph, findings: &'g [GraphFinding]) -> (Vec<&'g str>, Vec<&'g str>) {
    let flagged = findings.iter().map(|f| f.role.as_str()).collect();
    let outside = graph
        .edges
        .iter()
        .filter(|e| e.outside)
        .map(|e| e.from.as_str())
        .collect();
    (flagged, outside)
}

/// Graphviz DOT: accounts as clusters, conditional edges dashed, roles
/// with findings red, callers from outside orange.
pub fn dot(graph: &Graph, findings: &[GraphFinding]) -> String {
    let (flagged, outside) = marked(graph, findings);
    let mut out = String::from("digraph assume {\n  rankdir=LR;\n  node [shape=box];\n");
    for (i, (acct, arns)) in nodes(graph).iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph cluster_{i} {{\n    label=\"account {acct}\";"
        );
        for arn in arns {
            let color = if flagged.contains(arn) {
                ", style=filled, fillcolor=\"#f8d0d0\", color=\"#b00020\""
            } else if outside.contains(arn) {
                ", style=filled, fillcolor=\"#ffe0b0\", color=\"#c06000\""
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "    \"{}\" [label=\"{}\"{color}];",
                quote(arn),
                quote(short(arn))
            );
        }
        out.push_str("  }\n");
    }
    for e in &graph.edges {
        let style = if e.needs.is_empty() {
            "solid"
        } else {
            "dashed"
        };
        let _ = writeln!(
            out,
            "  \"{}\" -> \"{}\" [style={style}, label=\"{}\"];",
            quote(&e.from),
            quote(&e.to),
            quote(&label(e))
        );
    }
    out.push_str("}\n");
    out
}

/// An edge's label for a picture: each need as `key op value`, a token
/// claim key without its issuer (`sub StringLike repo:acme/*`).
fn short_label(e: &Edge) -> String {
    let mut parts = Vec::new();
    if e.outside {
        parts.push("from outside".to_owned());
    } else if e.crosses_account {
        parts.push("cross-account".to_owned());
    }
    for need in &e.needs {
        let mut words = need.splitn(2, ' ');
        let key = words.next().unwrap_or_default();
        let rest = words.next().unwrap_or_default();
        let key = if key.contains('/') || key.contains('.') {
            key.rsplit(':').next().unwrap_or(key)
        } else {
            key
        };
        parts.push(format!("{key} {rest}"));
    }
    parts.join("; ")
}

/// Mermaid `flowchart`: accounts as subgraphs, conditional edges dotted,
/// roles with findings red, callers from outside orange.
pub fn mermaid(graph: &Graph, findings: &[GraphFinding]) -> String {
    flowchart(graph, findings, label)
}

fn flowchart(graph: &Graph, findings: &[GraphFinding], label: fn(&Edge) -> String) -> String {
    let (flagged, outside) = marked(graph, findings);
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    let mut out = String::from("flowchart LR\n");
    for (acct, arns) in nodes(graph) {
        let _ = writeln!(out, "  subgraph a{acct}[\"account {acct}\"]");
        for arn in arns {
            let id = format!("n{}", ids.len());
            let _ = writeln!(out, "    {id}[\"{}\"]", short(arn).replace('"', "'"));
            ids.insert(arn, id);
        }
        out.push_str("  end\n");
    }
    for e in &graph.edges {
        let (Some(a), Some(b)) = (ids.get(e.from.as_str()), ids.get(e.to.as_str())) else {
            continue;
        };
        // Unquoted (`|text|`), which every Mermaid renderer reads alike.
        // `;` ends a Mermaid statement, `|` a label.
        let text = label(e)
            .replace('"', "'")
            .replace('|', "/")
            .replace(';', ",");
        let arrow = if e.needs.is_empty() { "-->" } else { "-.->" };
        if text.is_empty() {
            let _ = writeln!(out, "  {a} {arrow} {b}");
        } else {
            let _ = writeln!(out, "  {a} {arrow}|{text}| {b}");
        }
    }
    out.push_str("  classDef finding fill:#f8d0d0,stroke:#b00020,color:#600010\n");
    out.push_str("  classDef outside fill:#ffe0b0,stroke:#c06000\n");
    for (arn, id) in &ids {
        if flagged.contains(arn) {
            let _ = writeln!(out, "  class {id} finding");
        } else if outside.contains(arn) {
            let _ = writeln!(out, "  class {id} outside");
        }
    }
    out
}

/// A self-contained SVG picture of the graph, laid out from its Mermaid
/// form by a pure-Rust renderer (no Graphviz needed).
pub fn svg(graph: &Graph, findings: &[GraphFinding]) -> Result<String, String> {
    if graph.edges.is_empty() {
        return Err(
            "no principal of the world can assume any of its roles: nothing to draw".to_owned(),
        );
    }
    mermaid_rs_renderer::render(&flowchart(graph, findings, short_label))
        .map_err(|e| format!("the picture could not be laid out: {e}"))
}

/// Paths, one per line, hop by hop, with each hop's reason.
pub fn paths(paths: &[Vec<&Edge>], from: &str, to: &str) -> String {
    if paths.is_empty() {
        return format!("no path from {from} to {to}\n");
    }
    let mut out = String::new();
    for (i, path) in paths.iter().enumerate() {
        let _ = writeln!(out, "path {} ({} hop(s)):", i + 1, path.len());
        for (j, e) in path.iter().enumerate() {
            let chained = if j > 0 {
                " (role chaining: the session lasts at most one hour)"
            } else {
                ""
            };
            let extra = label(e);
            let _ = writeln!(
                out,
                "  {} --assume--> {}{chained}{}\n    why: {}",
                e.from,
                e.to,
                if extra.is_empty() {
                    String::new()
                } else {
                    format!("  [{extra}]")
                },
                e.why
            );
        }
    }
    out
}

/// `xacct diff`: new and lost edges and grants, and what the comparison is.
pub fn diff(d: &GraphDiff, grants: &GrantDiff, old: &str, new: &str) -> String {
    let mut out = format!(
        "who can assume which role, {old} -> {new} (each pair decided by the IAM engine; a probe of the worlds' principals and roles, not a proof about every possible request)\n"
    );
    if d.added.is_empty() && d.removed.is_empty() {
        out.push_str("no change\n");
    }
    for (sign, edges) in [("+", &d.added), ("-", &d.removed)] {
        for e in edges {
            let _ = writeln!(out, "{sign} {}", edge_line(e));
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
