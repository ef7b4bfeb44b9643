//! Checks the access facts a scenario states (`assert:`), like run
//! expectations, against the who-can-assume graph the engine decides. A
//! failing fact names the offending principal and its path, each hop with
//! the statements that decided it.

use std::collections::BTreeSet;

use super::super::assert_spec::AssertSpec;
use super::super::expect::Mismatch;
use super::super::world::World;
use super::edge::Edge;
use super::fact::{FromOutside, counts, hops};
use super::graph::Graph;

impl AssertSpec {
    /// What does not hold in `graph`, a graph of `world`. A conditional
    /// edge counts as reachable (some request meets its conditions) unless
    /// the fact accepts its conditions by key.
    pub fn check(&self, world: &World, graph: &Graph) -> Vec<Mismatch> {
        let explainer = world.explainer();
        match self {
            Self::CanAssume(c) => {
                let into: Vec<&Edge> = graph
                    .id(&c.role)
                    .into_iter()
                    .flat_map(|id| graph.edges_to(id))
                    .filter(|e| counts(e, &c.unless))
                    .collect();
                let actual: BTreeSet<&str> = into.iter().map(|e| graph.arn(e.from)).collect();
                let wanted: BTreeSet<&str> = c.only.iter().map(String::as_str).collect();
                if actual == wanted {
                    return Vec::new();
                }
                let mut got: Vec<String> = into
                    .iter()
                    .filter(|e| !wanted.contains(graph.arn(e.from)))
                    .map(|e| {
                        format!(
                            "{} can too ({})",
                            graph.arn(e.from),
                            explainer.why(graph, e)
                        )
                    })
                    .collect();
                got.extend(wanted.difference(&actual).map(|p| format!("{p} cannot")));
                vec![Mismatch {
                    field: "can_assume".to_owned(),
                    expected: format!("only [{}]", c.only.join(", ")),
                    got: got.join("; "),
                }]
            }
            Self::CannotReach(c) => {
                let (Some(from), Some(to)) = (graph.id(&c.from), graph.id(&c.role)) else {
                    return Vec::new();
                };
                let reached = graph.reach_from(from, &|e| counts(e, &c.unless));
                if !reached.contains(to) {
                    return Vec::new();
                }
                vec![Mismatch {
                    field: "cannot_reach".to_owned(),
                    expected: format!("no path from {} to {}", c.from, c.role),
                    got: hops(graph, &explainer, &reached.path(to)),
                }]
            }
            Self::NotReachableFromOutsideOrg(c) => {
                let pattern = xacct_iam::Pattern::wildcard(&c.role);
                let outside = FromOutside::of(world, graph, &c.unless);
                // Every open hop straight into a matching role, then one
                // path to each matching role reached only by chaining.
                let mut got: Vec<String> = outside
                    .entries
                    .iter()
                    .filter(|e| pattern.matches(graph.arn(e.to)))
                    .map(|e| hops(graph, &explainer, &[e]))
                    .collect();
                for target in outside.reached.nodes() {
                    if !pattern.matches(graph.arn(*target)) {
                        continue;
                    }
                    if let Some(path) = outside.path(*target) {
                        got.push(hops(graph, &explainer, &path));
                    }
                }
                if got.is_empty() {
                    return Vec::new();
                }
                vec![Mismatch {
                    field: "not_reachable_from_outside_org".to_owned(),
                    expected: format!("no principal outside the organization reaches {}", c.role),
                    got: got.join("; "),
                }]
            }
            Self::CanRead(c) => super::data_assertions::can_read(world, c),
            Self::CannotRead(c) => super::data_assertions::cannot_read(world, graph, c),
            Self::NotReadableFromOutsideOrg(c) => {
                super::data_assertions::not_readable_from_outside_org(world, graph, c)
            }
        }
    }
}
