//! `xacct graph`: who can assume which role, as text, JSON, Graphviz DOT,
//! Mermaid or SVG, each edge *always* (solid) or *conditional* (dashed,
//! with its conditions); and paths between principals and roles, hop by
//! hop.

use std::fmt::Write as _;

use serde_json::json;

pub use super::diagram::{Detail, dot, flagged, mermaid, svg};
use super::drawing::{self, label};
use crate::sim::{Edge, Graph, GraphFinding, NodeId};

/// Why an edge holds, in one line (computed only for what is shown).
pub type Why<'a> = &'a dyn Fn(&Edge) -> String;

/// One line per edge, then the findings.
pub fn text(graph: &Graph, findings: &[GraphFinding]) -> String {
    let edges: Vec<&Edge> = graph.edges().iter().collect();
    text_of(graph, &edges, findings)
}

/// One line per account pair (`--collapse-accounts`): how many principals
/// of one account can assume roles of the other, always or only under
/// conditions.
pub fn accounts_text(graph: &Graph, edges: &[&Edge], flagged: &[&str]) -> String {
    let d = drawing::accounts(graph, edges, flagged);
    if d.lines.is_empty() {
        return "no principal of the world can assume any of its roles\n".to_owned();
    }
    let mut out = String::new();
    for l in &d.lines {
        let _ = writeln!(
            out,
            "{} --assume--> {}  [{}]",
            d.nodes[l.from].label, d.nodes[l.to].label, l.label
        );
    }
    out
}

/// One line per edge of `edges`, after the findings.
pub fn text_of(graph: &Graph, edges: &[&Edge], findings: &[GraphFinding]) -> String {
    let mut out = String::new();
    if edges.is_empty() {
        for f in findings {
            let _ = writeln!(out, "FINDING {}: {}", f.rule, f.message);
        }
        out.push_str("no principal of the world can assume any of its roles\n");
        return out;
    }
    for f in findings {
        let _ = writeln!(out, "FINDING {}: {}", f.rule, f.message);
    }
    for e in edges {
        let _ = writeln!(out, "{}", edge_line(graph, e));
    }
    out
}

/// `FROM --assume--> TO  [label]`.
pub fn edge_line(graph: &Graph, e: &Edge) -> String {
    arrow(graph, e, "")
}

/// `FROM --assume--> TO{between}  [label]`.
fn arrow(graph: &Graph, e: &Edge, between: &str) -> String {
    let extra = label(e);
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!("  [{extra}]")
    };
    format!(
        "{} --assume--> {}{between}{extra}",
        graph.arn(e.from),
        graph.arn(e.to)
    )
}

/// One edge as JSON: `from`, `to`, `verdict` (`always` or `conditional`),
/// `when` (the alternatives, each a list of conditions that must all
/// hold), `unless` (conditions under which a Deny keeps it out), the
/// account flags, and `why`.
fn edge_json(graph: &Graph, e: &Edge, why: Why<'_>) -> serde_json::Value {
    let (when, unless) = super::data_graph::when_unless(e.conditions.as_deref());
    json!({
        "from": graph.arn(e.from),
        "to": graph.arn(e.to),
        "verdict": e.verdict.as_str(),
        "when": when,
        "unless": unless,
        "cross_account": e.crosses_account,
        "outside": e.outside,
        "crosses_organization": e.crosses_organization,
        "why": why(e),
    })
}

/// `{"edges": [...], "data_edges": [...], "findings": [{"rule", "role",
/// "message"}]}`, written edge by edge (a world of 50,000 roles has
/// hundreds of thousands).
pub fn json(
    graph: &Graph,
    (edges, data): (&[&Edge], &[crate::sim::DataEdge]),
    findings: &[GraphFinding],
    why: Why<'_>,
) -> String {
    let mut out = String::from("{\n  \"edges\": [");
    for (i, e) in edges.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        indented(&mut out, &super::json::pretty(&edge_json(graph, e, why)));
    }
    out.push_str(if edges.is_empty() { "],\n" } else { "\n  ],\n" });
    out.push_str("  \"data_edges\": ");
    let list = super::json::pretty(&super::data_graph::json(data));
    out.push_str(list.trim_end().replace('\n', "\n  ").as_str());
    out.push_str(",\n  \"findings\": ");
    let findings: Vec<_> = findings
        .iter()
        .map(|f| json!({ "rule": f.rule, "role": f.role, "message": f.message }))
        .collect();
    let list = super::json::pretty(&findings);
    out.push_str(list.trim_end().replace('\n', "\n  ").as_str());
    out.push_str("\n}\n");
    out
}

/// Appends `text` with every line indented by four spaces.
fn indented(out: &mut String, text: &str) {
    for (i, line) in text.trim_end().lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("    ");
        out.push_str(line);
    }
}

/// One hop of a path: `A --assume--> B (chaining) [label]` and its why.
fn hop(graph: &Graph, e: &Edge, chained: bool, why: Why<'_>) -> String {
    let chained = if chained {
        " (role chaining: the session lasts at most one hour)"
    } else {
        ""
    };
    format!("  {}\n    why: {}\n", arrow(graph, e, chained), why(e))
}

/// `always` when every hop is, else `conditional`.
fn path_verdict(path: &[&Edge]) -> &'static str {
    if path.iter().any(|e| e.is_conditional()) {
        "conditional"
    } else {
        "always"
    }
}

/// Paths, one per line, hop by hop, with each hop's reason.
pub fn paths(graph: &Graph, paths: &[Vec<&Edge>], from: &str, to: &str, why: Why<'_>) -> String {
    if paths.is_empty() {
        return format!("no path from {from} to {to}\n");
    }
    let mut out = String::new();
    for (i, path) in paths.iter().enumerate() {
        let _ = writeln!(
            out,
            "path {} ({} hop(s), {}):",
            i + 1,
            path.len(),
            path_verdict(path)
        );
        for (j, e) in path.iter().enumerate() {
            out.push_str(&hop(graph, e, j > 0, why));
        }
    }
    out
}

/// What one principal reaches (`--from` alone) or what reaches one role
/// (`--to` alone): each end with its shortest path.
pub fn reach(
    graph: &Graph,
    ends: &[(NodeId, Vec<&Edge>)],
    heading: &str,
    none: &str,
    why: Why<'_>,
) -> String {
    if ends.is_empty() {
        return format!("{none}\n");
    }
    let mut out = format!("{heading}\n");
    for (end, path) in ends {
        let _ = writeln!(
            out,
            "{} ({} hop(s), {})",
            graph.arn(*end),
            path.len(),
            path_verdict(path)
        );
        for (j, e) in path.iter().enumerate() {
            out.push_str(&hop(graph, e, j > 0, why));
        }
    }
    out
}

/// Paths as JSON: `{"paths": [{"end", "verdict", "hops": [edge...]}]}`.
pub fn paths_json(graph: &Graph, ends: &[(NodeId, Vec<&Edge>)], why: Why<'_>) -> String {
    let list: Vec<_> = ends
        .iter()
        .map(|(end, path)| {
            json!({
                "end": graph.arn(*end),
                "verdict": path_verdict(path),
                "hops": path.iter().map(|e| edge_json(graph, e, why)).collect::<Vec<_>>(),
            })
        })
        .collect();
    super::json::pretty(&json!({ "paths": list }))
}
