//! What every access fact's check shares: whether an edge counts given
//! the condition keys a fact accepts as a guard, and a path in words.

use std::collections::BTreeMap;

use super::super::world::World;
use super::edge::{Conditions, Edge};
use super::findings::from_outside;
use super::graph::Graph;
use super::search::Reached;
use super::why::Explainer;

/// A path as `A -> B (why, and what it needs), then B -> C (why)`.
pub(super) fn hops(graph: &Graph, explainer: &Explainer<'_>, path: &[&Edge]) -> String {
    path.iter()
        .map(|e| {
            format!(
                "{} -> {} ({})",
                graph.arn(e.from),
                graph.arn(e.to),
                explainer.why(graph, e)
            )
        })
        .collect::<Vec<_>>()
        .join(", then ")
}

/// Whether an edge counts, given the keys accepted as a guard.
pub(super) fn counts(e: &Edge, unless: &[String]) -> bool {
    guarded_by(e.conditions.as_deref(), unless)
}

/// Whether what `conditions` need leaves the edge counting, given the
/// keys accepted as a guard.
pub(super) fn guarded_by(conditions: Option<&Conditions>, unless: &[String]) -> bool {
    unless.is_empty() || !conditions.is_some_and(|c| c.all_need_one_of(unless))
}

/// Where outsiders get in: each role an open first hop (from outside the
/// organization, or any subject of a multi-tenant issuer) enters, by that
/// hop, and one search from all of them at once.
pub(super) struct FromOutside<'g> {
    /// Every open first hop that counts.
    pub entries: Vec<&'g Edge>,
    /// The first open hop into each entered role.
    first: BTreeMap<u32, &'g Edge>,
    /// What the entered roles reach.
    pub reached: Reached<'g>,
}

impl<'g> FromOutside<'g> {
    /// The open hops of `graph` that count given `unless`, and what they lead to.
    pub(super) fn of(world: &World, graph: &'g Graph, unless: &'g [String]) -> Self {
        let org = world.organization_id();
        let entries: Vec<&Edge> = graph
            .edges()
            .iter()
            .filter(|e| counts(e, unless) && from_outside(graph, e, org))
            .collect();
        let mut first: BTreeMap<u32, &Edge> = BTreeMap::new();
        for entry in &entries {
            first.entry(entry.to).or_insert(entry);
        }
        let roots: Vec<u32> = first.keys().copied().collect();
        let reached = graph.reach_from_any(&roots, &|e| counts(e, unless));
        Self {
            entries,
            first,
            reached,
        }
    }

    /// The path from outside to `node` (an entered role or one reached
    /// from one): the open hop, then the shortest chain; `None` when
    /// outsiders do not get there.
    pub(super) fn path(&self, node: u32) -> Option<Vec<&'g Edge>> {
        let rest = self.reached.path(node);
        let root = rest.first().map_or(node, |e| e.from);
        let entry = self.first.get(&root)?;
        let mut path = vec![*entry];
        path.extend(rest);
        Some(path)
    }
}
