//! What a who-can-assume picture shows, before any format: nodes grouped
//! by account, each marked when a finding names it or it calls from
//! outside, and edges solid (always) or dashed (conditional) with the
//! label a reader needs. The SVG, DOT and Mermaid writers all draw from
//! this, one principal per node or one account per node
//! (`--collapse-accounts`).

use std::collections::BTreeMap;

use crate::sim::{Edge, Graph};

/// How a node is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mark {
    /// Nothing to say.
    Plain,
    /// A caller from outside the organization (or the world's accounts).
    Outside,
    /// A finding (the analysis's or the linter's) names it.
    Finding,
}

impl Mark {
    /// Fill, stroke and text colours, alike in every format.
    pub fn colours(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Finding => ("#f8d0d0", "#b00020", "#600010"),
            Self::Outside => ("#ffe0b0", "#c06000", "#5a2d00"),
            Self::Plain => ("#ffffff", "#475569", "#0f172a"),
        }
    }

    /// The class a format names it by (`finding`, `outside`), or `None`.
    pub fn class(self) -> Option<&'static str> {
        match self {
            Self::Finding => Some("finding"),
            Self::Outside => Some("outside"),
            Self::Plain => None,
        }
    }
}

/// One node: a principal, or with `--collapse-accounts` an account.
#[derive(Debug, Clone)]
pub struct Node {
    /// The ARN, or `account ID` when collapsed.
    pub id: String,
    /// What the picture writes in the box (`role/s3-viewer`).
    pub label: String,
    /// The account it belongs to (empty: anyone).
    pub account: String,
    /// How it is marked.
    pub mark: Mark,
}

/// One edge between two nodes (indexes into [`Drawing::nodes`]).
#[derive(Debug, Clone)]
pub struct Line {
    /// The caller's node.
    pub from: usize,
    /// The role's node.
    pub to: usize,
    /// Dashed: it holds only under conditions.
    pub conditional: bool,
    /// Written on the edge: only what the picture does not already show
    /// (the conditions; a collapsed edge's count).
    pub label: String,
    /// Everything about it, for a tooltip.
    pub title: String,
}

/// A picture's content.
#[derive(Debug, Clone, Default)]
pub struct Drawing {
    /// The nodes, grouped by account in account order.
    pub nodes: Vec<Node>,
    /// The edges.
    pub lines: Vec<Line>,
    /// Whether a caller's label is written once however many edges carry
    /// it (a condition on a fan-out), or on every edge (counts between
    /// accounts, each its own).
    pub labels_once: bool,
}

impl Drawing {
    /// The accounts in order, each with its nodes' indexes.
    pub fn accounts(&self) -> BTreeMap<&str, Vec<usize>> {
        let mut by: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, n) in self.nodes.iter().enumerate() {
            by.entry(n.account.as_str()).or_default().push(i);
        }
        by
    }
}

fn account(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or("")
}

/// `role/s3-viewer` of `arn:aws:iam::222222222222:role/s3-viewer`.
pub fn short(arn: &str) -> &str {
    arn.splitn(6, ':').nth(5).unwrap_or(arn)
}

/// One node per principal the edges touch. `flagged` are the ARNs
/// findings name; `label` and `title` say what each edge carries.
pub fn principals(
    graph: &Graph,
    edges: &[&Edge],
    flagged: &[&str],
    label: &dyn Fn(&Edge) -> String,
    title: &dyn Fn(&Edge) -> String,
) -> Drawing {
    let mut index: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for e in edges {
        for arn in [graph.arn(e.from), graph.arn(e.to)] {
            let next = index.len();
            index.entry((account(arn), arn)).or_insert(next);
        }
    }
    // Account order, then ARN order: stable whatever the edges' order.
    let order: Vec<&str> = index.keys().map(|(_, arn)| *arn).collect();
    let position: BTreeMap<&str, usize> = order.iter().enumerate().map(|(i, a)| (*a, i)).collect();
    let outside: Vec<&str> = edges
        .iter()
        .filter(|e| e.outside)
        .map(|e| graph.arn(e.from))
        .collect();
    let nodes = order
        .iter()
        .map(|arn| Node {
            id: (*arn).to_owned(),
            label: short(arn).to_owned(),
            account: account(arn).to_owned(),
            mark: if flagged.contains(arn) {
                Mark::Finding
            } else if outside.contains(arn) {
                Mark::Outside
            } else {
                Mark::Plain
            },
        })
        .collect();
    let lines = edges
        .iter()
        .filter_map(|e| {
            Some(Line {
                from: *position.get(graph.arn(e.from))?,
                to: *position.get(graph.arn(e.to))?,
                conditional: e.is_conditional(),
                label: label(e),
                title: title(e),
            })
        })
        .collect();
    Drawing {
        nodes,
        lines,
        labels_once: true,
    }
}

/// One node per account: an edge from A to B stands for every principal of
/// A that can assume a role of B, with how many always and how many only
/// under conditions. An account is marked as the worst of its principals.
pub fn accounts(graph: &Graph, edges: &[&Edge], flagged: &[&str]) -> Drawing {
    let each = principals(graph, edges, flagged, &|_| String::new(), &|_| {
        String::new()
    });
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    let mut nodes: Vec<Node> = Vec::new();
    for n in &each.nodes {
        let i = *ids.entry(n.account.as_str()).or_insert_with(|| {
            nodes.push(Node {
                id: format!("account {}", n.account),
                label: if n.account.is_empty() {
                    "anyone".to_owned()
                } else {
                    format!("account {}", n.account)
                },
                account: n.account.clone(),
                mark: Mark::Plain,
            });
            nodes.len() - 1
        });
        nodes[i].mark = nodes[i].mark.max(n.mark);
    }
    // Per pair of accounts, each calling principal once: whether it can
    // assume some role of the other account always, or only under
    // conditions (a principal with several edges counts once).
    let mut callers: BTreeMap<(usize, usize), BTreeMap<usize, bool>> = BTreeMap::new();
    let of = |node: usize| {
        each.nodes
            .get(node)
            .and_then(|n| ids.get(n.account.as_str()))
            .copied()
    };
    for l in &each.lines {
        let (Some(from), Some(to)) = (of(l.from), of(l.to)) else {
            continue;
        };
        let always = callers
            .entry((from, to))
            .or_default()
            .entry(l.from)
            .or_default();
        *always |= !l.conditional;
    }
    let lines = callers
        .into_iter()
        .map(|((from, to), principals)| {
            let always = principals.values().filter(|&&a| a).count();
            let conditional = principals.len() - always;
            let label = match (always, conditional) {
                (a, 0) => format!("{a} always"),
                (0, c) => format!("{c} conditional"),
                (a, c) => format!("{a} always, {c} conditional"),
            };
            let principal = |n: usize| if n == 1 { "principal" } else { "principals" };
            let title = match (always, conditional) {
                (a, 0) => format!("{a} {} always", principal(a)),
                (0, c) => format!("{c} {} only under conditions", principal(c)),
                (a, c) => format!("{a} {} always, {c} only under conditions", principal(a)),
            };
            Line {
                from,
                to,
                conditional: always == 0,
                title: format!("{} -> {}: {title}", nodes[from].label, nodes[to].label),
                label,
            }
        })
        .collect();
    Drawing {
        nodes,
        lines,
        labels_once: false,
    }
}

/// An edge in words: `cross-account; conditional: needs ...`.
pub fn label(e: &Edge) -> String {
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
