//! Who can assume which role, decided three ways by the IAM engine (not by
//! reading trust policies): every caller (see [`super::callers`]) is tried
//! against every role whose trust policy can name it, in an open context
//! (see [`super::known`]), and each pair is *always*, *conditional* (with
//! the conditions, as the statements wrote them, that let it in) or
//! *never* (no edge). The graph keeps its nodes sorted by ARN and its
//! edges by caller then role, with the edges into each node indexed too,
//! so searches run on integer ids.

use super::super::model::Role;
use super::super::world::World;
use super::assess::{assess, three_valued};
use super::caller::{Caller, Known, is_inside};
use super::callers::CallerIndex;
use super::edge::{Conditions, Edge, Node, NodeId, NodeKind};
use xacct_iam::Verdict;

/// Every edge of a world.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    /// `out[n]..out[n + 1]`: the edges from node `n` (edges are sorted by caller).
    out: Vec<u32>,
    /// Edge indices sorted by role, and where each role's run starts.
    incoming: Vec<u32>,
    in_start: Vec<u32>,
}

/// The verdict of a pair and, when conditional, its conditions.
fn verdict(world: &World, caller: &Caller, role: &Role) -> (Verdict, Option<Box<Conditions>>) {
    assess(world, caller, role, |a, context, _| {
        three_valued(world, caller, a, context)
    })
}

impl World {
    /// Every edge of the world: each role against the callers its trust
    /// policy can name (all of them when it names anyone).
    pub fn graph(&self) -> Graph {
        let model = self.model();
        let index = CallerIndex::new(self);
        let inside = |caller: &Caller| is_inside(self, caller);
        let member = |account: &str| {
            model
                .organization
                .as_ref()
                .is_some_and(|o| o.paths.contains_key(account))
        };
        // Node ids in ARN order, so edges sorted by ids are sorted by ARNs.
        let mut order: Vec<usize> = (0..index.all().len()).collect();
        order.sort_by(|&a, &b| index.all()[a].arn.cmp(&index.all()[b].arn));
        let mut id_of = vec![0 as NodeId; order.len()];
        let mut nodes = Vec::with_capacity(order.len());
        for (id, &i) in order.iter().enumerate() {
            let caller = &index.all()[i];
            id_of[i] = id as NodeId;
            nodes.push(Node {
                arn: caller.arn.clone(),
                kind: match (&caller.identity, caller.known) {
                    (_, Known::Named | Known::AnyoneOf | Known::Anyone | Known::Deploy) => {
                        NodeKind::Outside
                    }
                    (super::super::identity::Identity::User { .. }, _) => NodeKind::User,
                    (super::super::identity::Identity::Token { .. }, _) => NodeKind::OidcProvider,
                    _ => NodeKind::Role,
                },
            });
        }
        let mut edges = Vec::new();
        for role in model.accounts.values().flat_map(|a| a.roles.values()) {
            let arn = role.arn();
            let Some(target) = index.by_arn(&arn) else {
                continue;
            };
            for i in index.candidates(role) {
                let caller = &index.all()[i];
                if i == target {
                    continue;
                }
                let (verdict, conditions) = verdict(self, caller, role);
                if verdict == Verdict::Never {
                    continue;
                }
                let account = caller.identity.account();
                edges.push(Edge {
                    from: id_of[i],
                    to: id_of[target],
                    verdict,
                    conditions,
                    // A token of a provider built into AWS belongs to no account.
                    crosses_account: !xacct_iam::issuers::is_built_in(&caller.arn)
                        && (matches!(caller.known, Known::Anyone | Known::Deploy)
                            || account != role.account),
                    outside: !inside(caller),
                    crosses_organization: model.organization.is_some()
                        && caller.known == Known::Member
                        && member(account) != member(&role.account),
                });
            }
        }
        Graph::new(nodes, edges)
    }
}

impl Graph {
    /// A graph of these nodes and edges (indexed here).
    pub fn new(nodes: Vec<Node>, mut edges: Vec<Edge>) -> Self {
        edges.sort_by_key(|e| (e.from, e.to));
        let mut out = vec![0u32; nodes.len() + 1];
        for e in &edges {
            out[e.from as usize + 1] += 1;
        }
        for i in 1..out.len() {
            out[i] += out[i - 1];
        }
        let mut incoming: Vec<u32> = (0..edges.len() as u32).collect();
        incoming.sort_by_key(|&i| (edges[i as usize].to, edges[i as usize].from));
        let mut in_start = vec![0u32; nodes.len() + 1];
        for e in &edges {
            in_start[e.to as usize + 1] += 1;
        }
        for i in 1..in_start.len() {
            in_start[i] += in_start[i - 1];
        }
        Self {
            nodes,
            edges,
            out,
            incoming,
            in_start,
        }
    }

    /// Every edge, sorted by caller then role.
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// Every node, sorted by ARN.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// A node.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// A node's ARN.
    pub fn arn(&self, id: NodeId) -> &str {
        &self.nodes[id as usize].arn
    }

    /// The node of an ARN.
    pub fn id(&self, arn: &str) -> Option<NodeId> {
        self.nodes
            .binary_search_by(|n| n.arn.as_str().cmp(arn))
            .ok()
            .map(|i| i as NodeId)
    }

    /// The edges from a node.
    pub fn edges_from(&self, id: NodeId) -> &[Edge] {
        let (a, b) = (self.out[id as usize], self.out[id as usize + 1]);
        &self.edges[a as usize..b as usize]
    }

    /// The edges into a node.
    pub fn edges_to(&self, id: NodeId) -> impl Iterator<Item = &Edge> {
        let (a, b) = (self.in_start[id as usize], self.in_start[id as usize + 1]);
        self.incoming[a as usize..b as usize]
            .iter()
            .map(|&i| &self.edges[i as usize])
    }
}
