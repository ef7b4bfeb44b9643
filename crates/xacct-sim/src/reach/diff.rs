//! The edges one graph has and another has not, by ARN (two worlds'
//! graphs number their nodes differently).

use std::cmp::Ordering;

use super::edge::Edge;
use super::graph::Graph;
use xacct_iam::Verdict;

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
    /// Edges that were taken always and now need conditions, as they are
    /// now: access narrowed, none added (any request a conditional edge
    /// lets through, the unconditional one let through too).
    pub narrowed: Vec<EdgeChange>,
}

impl GraphDiff {
    /// Whether no edge changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.narrowed.is_empty()
    }
}

impl Graph {
    /// What changed from `old` to `self`, edge by edge (an edge that now
    /// needs conditions it did not is narrowed; any other change of its
    /// verdict or conditions counts as removed and added). Both
    /// graphs keep their edges sorted by caller then role ARN, so one walk
    /// through both finds the changes without copying the edges.
    pub fn diff(&self, old: &Graph) -> GraphDiff {
        fn key<'g>(g: &'g Graph, e: &Edge) -> (&'g str, &'g str) {
            (g.arn(e.from), g.arn(e.to))
        }
        let same = |a: &Edge, b: &Edge| a.verdict == b.verdict && a.conditions == b.conditions;
        let (mut before, mut after) = (
            old.edges().iter().peekable(),
            self.edges().iter().peekable(),
        );
        let mut out = GraphDiff::default();
        loop {
            match (before.peek(), after.peek()) {
                (None, None) => break,
                (Some(b), None) => {
                    out.removed.push(EdgeChange::of(old, b));
                    before.next();
                }
                (None, Some(a)) => {
                    out.added.push(EdgeChange::of(self, a));
                    after.next();
                }
                (Some(b), Some(a)) => match key(old, b).cmp(&key(self, a)) {
                    Ordering::Less => {
                        out.removed.push(EdgeChange::of(old, b));
                        before.next();
                    }
                    Ordering::Greater => {
                        out.added.push(EdgeChange::of(self, a));
                        after.next();
                    }
                    Ordering::Equal => {
                        if b.verdict == Verdict::Always && a.verdict == Verdict::Conditional {
                            out.narrowed.push(EdgeChange::of(self, a));
                        } else if !same(b, a) {
                            out.removed.push(EdgeChange::of(old, b));
                            out.added.push(EdgeChange::of(self, a));
                        }
                        before.next();
                        after.next();
                    }
                },
            }
        }
        out
    }
}
