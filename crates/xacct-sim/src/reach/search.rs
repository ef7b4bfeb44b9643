//! Breadth-first searches over the graph's integer ids: everything one
//! principal reaches, everything that reaches one role, and the shortest
//! path between them, each search run once (not once per pair).

use std::collections::{HashMap, HashSet, VecDeque};

use super::edge::{Edge, NodeId};
use super::graph::Graph;

/// Which way a search runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    /// From the root along edges: what it reaches.
    Forward,
    /// From the root against edges: what reaches it.
    Backward,
}

/// The result of one search: for each node reached, the edge it was
/// reached by (shortest paths, fewest hops).
#[derive(Debug)]
pub struct Reached<'g> {
    graph: &'g Graph,
    way: Way,
    roots: HashSet<NodeId>,
    via: HashMap<NodeId, &'g Edge>,
    order: Vec<NodeId>,
}

impl Graph {
    /// Every node `start` reaches through edges `keep` lets through.
    pub fn reach_from(&self, start: NodeId, keep: &dyn Fn(&Edge) -> bool) -> Reached<'_> {
        self.search(&[start], Way::Forward, keep, None)
    }

    /// Every node any of `starts` reaches, through edges `keep` lets through.
    pub fn reach_from_any(&self, starts: &[NodeId], keep: &dyn Fn(&Edge) -> bool) -> Reached<'_> {
        self.search(starts, Way::Forward, keep, None)
    }

    /// Every node that reaches `target` through edges `keep` lets through,
    /// never passing through `avoid`.
    pub fn reach_to(
        &self,
        target: NodeId,
        keep: &dyn Fn(&Edge) -> bool,
        avoid: Option<NodeId>,
    ) -> Reached<'_> {
        self.search(&[target], Way::Backward, keep, avoid)
    }

    fn search<'g>(
        &'g self,
        roots: &[NodeId],
        way: Way,
        keep: &dyn Fn(&Edge) -> bool,
        avoid: Option<NodeId>,
    ) -> Reached<'g> {
        let mut via: HashMap<NodeId, &'g Edge> = HashMap::new();
        let mut order = Vec::new();
        let mut queue: VecDeque<NodeId> = roots.iter().copied().collect();
        let roots: HashSet<NodeId> = roots.iter().copied().collect();
        let is_root = |n: NodeId| roots.contains(&n);
        while let Some(node) = queue.pop_front() {
            let step = |e: &Edge| match way {
                Way::Forward => e.to,
                Way::Backward => e.from,
            };
            let mut visit = |e: &'g Edge, next: NodeId| {
                if keep(e) && !is_root(next) && Some(next) != avoid && !via.contains_key(&next) {
                    via.insert(next, e);
                    order.push(next);
                    queue.push_back(next);
                }
            };
            match way {
                Way::Forward => {
                    for e in self.edges_from(node) {
                        visit(e, step(e));
                    }
                }
                Way::Backward => {
                    for e in self.edges_to(node) {
                        visit(e, step(e));
                    }
                }
            }
        }
        Reached {
            graph: self,
            way,
            roots,
            via,
            order,
        }
    }
}

impl<'g> Reached<'g> {
    /// The nodes reached (roots excluded), nearest first.
    pub fn nodes(&self) -> &[NodeId] {
        &self.order
    }

    /// Whether `node` was reached.
    pub fn contains(&self, node: NodeId) -> bool {
        self.via.contains_key(&node)
    }

    /// The shortest path between a root and `node`, in the direction of
    /// the edges (root first for a forward search, `node` first for a
    /// backward one); empty when `node` was not reached.
    pub fn path(&self, node: NodeId) -> Vec<&'g Edge> {
        let mut path = Vec::new();
        let mut at = node;
        while let Some(&e) = self.via.get(&at) {
            path.push(e);
            at = match self.way {
                Way::Forward => e.from,
                Way::Backward => e.to,
            };
            if self.roots.contains(&at) || path.len() > self.graph.edges().len() {
                break;
            }
        }
        if self.way == Way::Forward {
            path.reverse();
        }
        path
    }
}

impl Graph {
    /// The shortest paths (fewest hops) from `from` to `to`, one per first
    /// hop, through role sessions; shortest first.
    pub fn paths(&self, from: NodeId, to: NodeId) -> Vec<Vec<&Edge>> {
        let towards = self.reach_to(to, &|_| true, Some(from));
        let mut out: Vec<Vec<&Edge>> = self
            .edges_from(from)
            .iter()
            .filter_map(|first| {
                if first.to == to {
                    return Some(vec![first]);
                }
                towards.contains(first.to).then(|| {
                    let mut path = vec![first];
                    path.extend(towards.path(first.to));
                    path
                })
            })
            .collect();
        out.sort_by_key(Vec::len);
        out
    }
}

impl Graph {
    /// What `--from` and/or `--to` ask, each end with its shortest path:
    /// the paths between two nodes (one per first hop), every node `from`
    /// reaches, or every node that reaches `to`; nearest first.
    pub fn ends<'g>(
        &'g self,
        from: Option<NodeId>,
        to: Option<NodeId>,
    ) -> Vec<(NodeId, Vec<&'g Edge>)> {
        let all = |reached: Reached<'g>| -> Vec<(NodeId, Vec<&'g Edge>)> {
            reached
                .nodes()
                .iter()
                .map(|&n| (n, reached.path(n)))
                .collect()
        };
        match (from, to) {
            (Some(from), Some(to)) => self.paths(from, to).into_iter().map(|p| (to, p)).collect(),
            (Some(from), None) => all(self.reach_from(from, &|_| true)),
            (None, Some(to)) => all(self.reach_to(to, &|_| true, None)),
            (None, None) => Vec::new(),
        }
    }
}
