//! Who can reach which role: the three-valued analysis behind `xacct
//! graph`, `assert`, `diff` and the demo's graph. Every pair of a caller and
//! a role is *always* (an edge), *conditional* (an edge with the conditions
//! that let the caller in) or *never* (no edge), decided by the IAM engine
//! in a context that fixes only what the analysis knows; anything else is
//! unknown, never false. So the graph is sound: when it has no edge, no
//! request gets in.

mod assertions;
mod assess;
mod caller;
mod callers;
mod concrete;
mod data_assertions;
mod data_edge;
mod data_findings;
mod data_reach;
mod diff;
mod edge;
mod fact;
mod findings;
mod graph;
mod known;
mod outside;
mod search;
mod why;

pub use concrete::Concrete;
pub use data_edge::{DataAccess, DataEdge};
pub use diff::{EdgeChange, GraphDiff};
pub use edge::{Conditions, Edge, Node, NodeId, NodeKind};
pub use findings::GraphFinding;
pub use graph::Graph;
pub use search::Reached;
pub use why::Explainer;
