//! Why an edge holds, in one line, for the edges a command shows: the
//! decision is taken again for that pair with its explanation (the graph
//! itself keeps none, so a graph of 50,000 roles builds no sentences).

use super::super::world::World;
use super::assess::assess;
use super::callers::CallerIndex;
use super::edge::Edge;
use super::graph::Graph;
use xacct_iam::explain;

/// Explains edges of one world's graph.
pub struct Explainer<'w> {
    world: &'w World,
    callers: CallerIndex,
}

impl World {
    /// An explainer of this world's edges.
    pub fn explainer(&self) -> Explainer<'_> {
        Explainer {
            world: self,
            callers: CallerIndex::new(self),
        }
    }
}

impl Explainer<'_> {
    /// Why `edge` of `graph` holds: the statements that let the caller in,
    /// and for a conditional edge what it needs.
    pub fn why(&self, graph: &Graph, edge: &Edge) -> String {
        let (from, to) = (graph.arn(edge.from), graph.arn(edge.to));
        let caller = self.callers.by_arn(from).map(|i| &self.callers.all()[i]);
        let role = self.world.model().role_by_arn(to);
        let (Some(caller), Some(role)) = (caller, role) else {
            return String::new();
        };
        assess(self.world, caller, role, |analysis, _, request| {
            let summary = explain::summary(&analysis.evaluation, request);
            match edge.needs() {
                needs if needs.is_empty() => summary,
                needs => format!("{summary}; {needs}"),
            }
        })
    }
}
