//! What every access fact's check shares: whether an edge counts given
//! the condition keys a fact accepts as a guard, and a path in words.

use super::edge::{Conditions, Edge};
use super::graph::Graph;
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
