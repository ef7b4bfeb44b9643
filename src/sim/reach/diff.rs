//! The edges one graph has and another has not, by ARN (two worlds'
//! graphs number their nodes differently).

use std::collections::BTreeSet;

use super::edge::Edge;
use super::graph::Graph;
use crate::iam::Verdict;

/// An edge as a diff shows it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EdgeChange {
    /// The caller's ARN.
    pub from: String,
    /// The role's ARN.
    pub to: String,
    /// Always or conditional.
    pub verdict: Verdict,
    /// What it needs (`needs ...; unless ...`), empty when nothing.
    pub needs: String,
    /// Whether the caller is in another account than the role.
    pub crosses_account: bool,
    /// Whether the caller is outside the organization.
    pub outside: bool,
}

impl EdgeChange {
    fn of(graph: &Graph, e: &Edge) -> Self {
        Self {
            from: graph.arn(e.from).to_owned(),
            to: graph.arn(e.to).to_owned(),
            verdict: e.verdict,
            needs: e.needs(),
            crosses_account: e.crosses_account,
            outside: e.outside,
        }
    }
}

/// The edges one graph has and another has not.
#[derive(Debug, Clone, Default)]
pub struct GraphDiff {
    /// Edges of the new graph that the old one lacks: new access.
    pub added: Vec<EdgeChange>,
    /// Edges of the old graph that the new one lacks: access lost.
    pub removed: Vec<EdgeChange>,
}

impl Graph {
    /// What changed from `old` to `self`, edge by edge (an edge whose
    /// verdict or conditions changed counts as removed and added).
    pub fn diff(&self, old: &Graph) -> GraphDiff {
        let all = |g: &Graph| -> BTreeSet<EdgeChange> {
            g.edges().iter().map(|e| EdgeChange::of(g, e)).collect()
        };
        let (before, after) = (all(old), all(self));
        GraphDiff {
            added: after.difference(&before).cloned().collect(),
            removed: before.difference(&after).cloned().collect(),
        }
    }
}
