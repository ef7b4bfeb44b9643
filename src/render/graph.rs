//! `xacct graph`: who can assume which role, as text, JSON, Graphviz DOT,
//! Mermaid or SVG, each edge *always* (solid) or *conditional* (dashed,
//! with its conditions); and paths between principals and roles, hop by
//! hop.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::json;

use crate::iam::Need;
use crate::sim::{Edge, Graph, GraphFinding, NodeId};

/// Why an edge holds, in one line (computed only for what is shown).
pub type Why<'a> = &'a dyn Fn(&Edge) -> String;

fn account(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or("")
}

fn short(arn: &str) -> &str {
    arn.splitn(6, ':').nth(5).unwrap_or(arn)
}

/// `cross-account; conditional: needs ...`.
fn label(e: &Edge) -> String {
    let mut parts = Vec::new();
    if e.outside {
        parts.push("from outside the organization".to_owned());
    } else if e.crosses_organization {
        parts.push("crosses the organization boundary".to_owned());
    } else if e.crosses_account {
        parts.push("cross-account".to_owned());
    }
    if e.is_conditional() {
        parts.push(format!("conditional: {}", e.needs()));
    }
    parts.join("; ")
}

/// One line per edge, then the findings.
pub fn text(graph: &Graph, findings: &[GraphFinding]) -> String {
    let mut out = String::new();
    if graph.edges().is_empty() {
        for f in findings {
            let _ = writeln!(out, "FINDING {}: {}", f.rule, f.message);
        }
        out.push_str("no principal of the world can assume any of its roles\n");
        return out;
    }
    for f in findings {
        let _ = writeln!(out, "FINDING {}: {}", f.rule, f.message);
    }
    for e in graph.edges() {
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
    data: &[crate::sim::DataEdge],
    findings: &[GraphFinding],
    why: Why<'_>,
) -> String {
    let mut out = String::from("{\n  \"edges\": [");
    for (i, e) in graph.edges().iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        indented(&mut out, &super::json::pretty(&edge_json(graph, e, why)));
    }
    out.push_str(if graph.edges().is_empty() {
        "],\n"
    } else {
        "\n  ],\n"
    });
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

fn nodes<'g>(graph: &'g Graph, edges: &[&Edge]) -> BTreeMap<&'g str, Vec<&'g str>> {
    let mut by_account: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in edges {
        for arn in [graph.arn(e.from), graph.arn(e.to)] {
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
fn marked<'g>(
    graph: &'g Graph,
    edges: &[&Edge],
    findings: &'g [GraphFinding],
) -> (Vec<&'g str>, Vec<&'g str>) {
    let flagged = findings.iter().map(|f| f.role.as_str()).collect();
    let outside = edges
        .iter()
        .filter(|e| e.outside)
        .map(|e| graph.arn(e.from))
        .collect();
    (flagged, outside)
}

/// Graphviz DOT: accounts as clusters, conditional edges dashed with their
/// conditions, roles with findings red, callers from outside orange.
pub fn dot(graph: &Graph, edges: &[&Edge], findings: &[GraphFinding]) -> String {
    let (flagged, outside) = marked(graph, edges, findings);
    let mut out = String::from("digraph assume {\n  rankdir=LR;\n  node [shape=box];\n");
    for (i, (acct, arns)) in nodes(graph, edges).iter().enumerate() {
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
    for e in edges {
        let style = if e.is_conditional() {
            "dashed"
        } else {
            "solid"
        };
        let _ = writeln!(
            out,
            "  \"{}\" -> \"{}\" [style={style}, label=\"{}\"];",
            quote(graph.arn(e.from)),
            quote(graph.arn(e.to)),
            quote(&label(e))
        );
    }
    out.push_str("}\n");
    out
}

/// A condition's key without a token issuer's host (`sub` rather than
/// `token.actions.githubusercontent.com:sub`), for pictures.
fn short_key(text: &str) -> String {
    let mut words = text.splitn(2, ' ');
    let key = words.next().unwrap_or_default();
    let rest = words.next().unwrap_or_default();
    let key = if key.contains('/') || key.contains('.') {
        key.rsplit(':').next().unwrap_or(key)
    } else {
        key
    };
    format!("{key} {rest}")
}

/// An edge's label for a picture: its kind, then its conditions with
/// short keys.
fn short_label(e: &Edge) -> String {
    let mut parts = Vec::new();
    if e.outside {
        parts.push("from outside".to_owned());
    } else if e.crosses_account {
        parts.push("cross-account".to_owned());
    }
    if let Some(c) = &e.conditions {
        let conj = |needs: &Vec<Need>| {
            needs
                .iter()
                .map(|n| short_key(n.text()))
                .collect::<Vec<_>>()
                .join(" and ")
        };
        if !c.when.is_empty() {
            parts.push(format!(
                "if {}",
                c.when.iter().map(conj).collect::<Vec<_>>().join(" or ")
            ));
        }
        if !c.unless.is_empty() {
            parts.push(format!(
                "unless {}",
                c.unless.iter().map(conj).collect::<Vec<_>>().join(" or ")
            ));
        }
    }
    parts.join("; ")
}

/// Mermaid `flowchart`: accounts as subgraphs, conditional edges dotted
/// with their conditions, roles with findings red, callers from outside
/// orange.
pub fn mermaid(graph: &Graph, edges: &[&Edge], findings: &[GraphFinding]) -> String {
    flowchart(graph, edges, findings, label)
}

fn flowchart(
    graph: &Graph,
    edges: &[&Edge],
    findings: &[GraphFinding],
    label: fn(&Edge) -> String,
) -> String {
    let (flagged, outside) = marked(graph, edges, findings);
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    let mut out = String::from("flowchart LR\n");
    for (acct, arns) in nodes(graph, edges) {
        let title = if acct.is_empty() { "anyone" } else { acct };
        let _ = writeln!(out, "  subgraph a{acct}[\"account {title}\"]");
        for arn in arns {
            let id = format!("n{}", ids.len());
            let _ = writeln!(out, "    {id}[\"{}\"]", short(arn).replace('"', "'"));
            ids.insert(arn, id);
        }
        out.push_str("  end\n");
    }
    for e in edges {
        let (Some(a), Some(b)) = (ids.get(graph.arn(e.from)), ids.get(graph.arn(e.to))) else {
            continue;
        };
        // Unquoted (`|text|`), which every Mermaid renderer reads alike.
        // `;` ends a Mermaid statement, `|` a label.
        let text = label(e)
            .replace('"', "'")
            .replace('|', "/")
            .replace(';', ",");
        let arrow = if e.is_conditional() { "-.->" } else { "-->" };
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

/// A self-contained SVG picture of the edges, laid out from their Mermaid
/// form by a pure-Rust renderer (no Graphviz needed).
pub fn svg(graph: &Graph, edges: &[&Edge], findings: &[GraphFinding]) -> Result<String, String> {
    if edges.is_empty() {
        return Err(
            "no principal of the world can assume any of its roles: nothing to draw".to_owned(),
        );
    }
    mermaid_rs_renderer::render(&flowchart(graph, edges, findings, short_label))
        .map_err(|e| format!("the picture could not be laid out: {e}"))
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
