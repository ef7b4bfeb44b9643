//! Two worlds compared for a reviewer: the ways into roles that appear and
//! disappear (edges, always or conditional), then, when asked, the grants
//! that change principal by principal.

use super::grants::{GrantDiff, grant_diff};
use super::reach::GraphDiff;
use super::world::World;

/// What changed from one world to another.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// The edges that appear and disappear.
    pub edges: GraphDiff,
    /// The grants that change, when they were compared.
    pub grants: Option<GrantDiff>,
}

impl Comparison {
    /// Compares `old` with `new`; the grants too when `grants` is set.
    pub fn of(old: &World, new: &World, grants: bool) -> Self {
        Self {
            edges: new.graph().diff(&old.graph()),
            grants: grants.then(|| grant_diff(old, new)),
        }
    }

    /// Whether new access appears: a new edge, a new grant, or a policy
    /// allowing by exclusion attached or changed.
    pub fn opens_access(&self) -> bool {
        !self.edges.added.is_empty()
            || self
                .grants
                .as_ref()
                .is_some_and(|g| g.added() > 0 || g.unprobed() > 0)
    }
}
