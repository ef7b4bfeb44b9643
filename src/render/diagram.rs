//! The who-can-assume diagrams: Graphviz DOT and Mermaid text, and the
//! built-in SVG, each drawn from one [`Drawing`] of the edges shown, with
//! the principals findings name marked.

use std::fmt::Write as _;

use super::drawing::{self, Drawing, Mark, label};
use super::picture;
use crate::iam::{Finding, Need, Severity};
use crate::sim::{Edge, Graph, GraphFinding, Loaded};

fn quote(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// What a picture shows: a node per principal, or one per account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every user, role and caller the edges touch.
    Principals,
    /// One node per account (`--collapse-accounts`).
    Accounts,
}

/// The ARNs a picture marks as named by a finding: the roles the
/// analysis's findings name, and the principals of the linter's findings
/// the scenario's lesson expects (`lint: present:`) or that are of high
/// severity. (Every role has some low finding; marking them all would mark
/// nothing.)
pub fn flagged(loaded: &Loaded, findings: &[GraphFinding], lint: &[Finding]) -> Vec<String> {
    let lesson = loaded
        .scenario
        .lint
        .as_ref()
        .map(|l| l.present.as_slice())
        .unwrap_or_default();
    let taught = |f: &Finding| {
        f.severity == Severity::High
            || lesson
                .iter()
                .any(|e| e.rule == f.rule && e.at.as_ref().is_none_or(|at| *at == f.policy))
    };
    let mut out: Vec<String> = findings
        .iter()
        .map(|f| f.role.clone())
        .chain(lint.iter().filter(|f| taught(f)).map(|f| f.policy.clone()))
        .filter(|arn| arn.starts_with("arn:"))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The content of a picture of `edges`.
fn drawing(
    graph: &Graph,
    edges: &[&Edge],
    flagged: &[&str],
    detail: Detail,
    label: fn(&Edge) -> String,
) -> Drawing {
    match detail {
        Detail::Principals => drawing::principals(graph, edges, flagged, &label, &title),
        Detail::Accounts => drawing::accounts(graph, edges, flagged),
    }
}

/// A tooltip: the edge whole.
fn title(e: &Edge) -> String {
    let extra = label(e);
    let verdict = if e.is_conditional() {
        "conditional"
    } else {
        "always"
    };
    if extra.is_empty() {
        verdict.to_owned()
    } else {
        format!("{verdict}; {extra}")
    }
}

/// Graphviz DOT: accounts as clusters, conditional edges dashed with their
/// conditions, principals a finding names red, callers from outside orange.
pub fn dot(graph: &Graph, edges: &[&Edge], flagged: &[&str], detail: Detail) -> String {
    let d = drawing(graph, edges, flagged, detail, short_label);
    let mut out = String::from("digraph assume {\n  rankdir=LR;\n  node [shape=box];\n");
    for (i, (acct, members)) in d.accounts().iter().enumerate() {
        let title = if acct.is_empty() { "anyone" } else { acct };
        let _ = writeln!(
            out,
            "  subgraph cluster_{i} {{\n    label=\"account {title}\";"
        );
        for &m in members {
            let node = &d.nodes[m];
            let color = match node.mark {
                Mark::Plain => String::new(),
                mark => {
                    let (fill, stroke, _) = mark.colours();
                    format!(", style=filled, fillcolor=\"{fill}\", color=\"{stroke}\"")
                }
            };
            let _ = writeln!(
                out,
                "    \"{}\" [label=\"{}\"{color}];",
                quote(&node.id),
                quote(&node.label)
            );
        }
        out.push_str("  }\n");
    }
    for l in &d.lines {
        let style = if l.conditional { "dashed" } else { "solid" };
        let _ = writeln!(
            out,
            "  \"{}\" -> \"{}\" [style={style}, label=\"{}\", tooltip=\"{}\"];",
            quote(&d.nodes[l.from].id),
            quote(&d.nodes[l.to].id),
            quote(&l.label),
            quote(&l.title)
        );
    }
    out.push_str("}\n");
    out
}

/// Mermaid `flowchart`: accounts as subgraphs, conditional edges dotted
/// with their conditions, principals a finding names red, callers from
/// outside orange.
pub fn mermaid(graph: &Graph, edges: &[&Edge], flagged: &[&str], detail: Detail) -> String {
    let d = drawing(graph, edges, flagged, detail, short_label);
    let mut out = String::from("flowchart LR\n");
    for (acct, members) in d.accounts() {
        let title = if acct.is_empty() { "anyone" } else { acct };
        let _ = writeln!(out, "  subgraph a{acct}[\"account {title}\"]");
        for m in members {
            let _ = writeln!(out, "    n{m}[\"{}\"]", d.nodes[m].label.replace('"', "'"));
        }
        out.push_str("  end\n");
    }
    for l in &d.lines {
        // Unquoted (`|text|`), which every Mermaid renderer reads alike.
        // `;` ends a Mermaid statement, `|` a label.
        let text = l
            .label
            .replace('"', "'")
            .replace('|', "/")
            .replace(';', ",");
        let arrow = if l.conditional { "-.->" } else { "-->" };
        if text.is_empty() {
            let _ = writeln!(out, "  n{} {arrow} n{}", l.from, l.to);
        } else {
            let _ = writeln!(out, "  n{} {arrow}|{text}| n{}", l.from, l.to);
        }
    }
    for mark in [Mark::Finding, Mark::Outside] {
        let (fill, stroke, ink) = mark.colours();
        let class = mark.class().unwrap_or_default();
        let _ = writeln!(
            out,
            "  classDef {class} fill:{fill},stroke:{stroke},color:{ink}"
        );
    }
    for (i, node) in d.nodes.iter().enumerate() {
        if let Some(class) = node.mark.class() {
            let _ = writeln!(out, "  class n{i} {class}");
        }
    }
    out
}

/// A self-contained SVG picture of the edges, laid out in layers by
/// xacct itself (no Graphviz needed), with a legend.
pub fn svg(
    graph: &Graph,
    edges: &[&Edge],
    flagged: &[&str],
    detail: Detail,
) -> Result<String, String> {
    if edges.is_empty() {
        return Err(
            "no principal of the world can assume any of its roles: nothing to draw".to_owned(),
        );
    }
    Ok(picture::svg(&drawing(
        graph,
        edges,
        flagged,
        detail,
        short_label,
    )))
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

/// An edge's label for a picture: only what the picture does not show
/// already (accounts are bands or clusters, outside callers are coloured),
/// that is its conditions, with short keys.
fn short_label(e: &Edge) -> String {
    let mut parts = Vec::new();
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
