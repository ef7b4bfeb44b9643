//! Access facts a scenario states and `xacct sim` checks, like run
//! expectations, against the who-can-assume graph the engine decides:
//!
//! ```yaml
//! assert:
//!   - can_assume: { role: arn:aws:iam::222222222222:role/prod-deployer, only: [arn:aws:iam::111111111111:role/ci] }
//!   - cannot_reach: { from: arn:aws:iam::111111111111:user/intern, role: arn:aws:iam::222222222222:role/admin }
//! ```
//!
//! A failing fact names the offending principal and its path, each hop
//! with the statements that decided it.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::expect::Mismatch;
use super::graph::{Edge, Graph};
use super::graph_findings::from_outside;

/// A path as `A -> B (why), then B -> C (why)`.
fn hops(path: &[&Edge]) -> String {
    path.iter()
        .map(|e| format!("{} -> {} ({})", e.from, e.to, e.why))
        .collect::<Vec<_>>()
        .join(", then ")
}

/// One access fact.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AssertSpec {
    /// Exactly these principals can assume the role (directly).
    CanAssume(CanAssume),
    /// No chain of role assumptions leads from the principal to the role.
    CannotReach(CannotReach),
    /// No principal outside the organization reaches a matching role.
    NotReachableFromOutsideOrg(NotReachable),
}

/// `not_reachable_from_outside_org: { role }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotReachable {
    /// The role ARN; `*` and `?` match as in IAM.
    pub role: String,
}

/// `can_assume: { role, only }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CanAssume {
    /// The role ARN.
    pub role: String,
    /// The principals (user, role or OIDC provider ARNs) that may assume it.
    pub only: Vec<String>,
}

/// `cannot_reach: { from, role }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CannotReach {
    /// The principal the chains start from.
    pub from: String,
    /// The role no chain may reach.
    pub role: String,
}

impl AssertSpec {
    /// A label for the result line.
    pub fn label(&self) -> String {
        match self {
            Self::CanAssume(c) => format!("assert can_assume {}", c.role),
            Self::CannotReach(c) => format!("assert cannot_reach {} -> {}", c.from, c.role),
            Self::NotReachableFromOutsideOrg(c) => {
                format!("assert not_reachable_from_outside_org {}", c.role)
            }
        }
    }

    /// What does not hold in `graph`.
    pub fn check(&self, graph: &Graph) -> Vec<Mismatch> {
        match self {
            Self::CanAssume(c) => {
                let actual: BTreeSet<&str> = graph
                    .edges
                    .iter()
                    .filter(|e| e.to == c.role)
                    .map(|e| e.from.as_str())
                    .collect();
                let wanted: BTreeSet<&str> = c.only.iter().map(String::as_str).collect();
                if actual == wanted {
                    return Vec::new();
                }
                let mut got: Vec<String> = actual
                    .difference(&wanted)
                    .map(|p| {
                        let why = graph
                            .edges
                            .iter()
                            .find(|e| e.to == c.role && e.from == *p)
                            .map(|e| e.why.as_str())
                            .unwrap_or_default();
                        format!("{p} can too ({why})")
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
                let paths = graph.paths(&c.from, &c.role);
                let Some(path) = paths.first() else {
                    return Vec::new();
                };
                vec![Mismatch {
                    field: "cannot_reach".to_owned(),
                    expected: format!("no path from {} to {}", c.from, c.role),
                    got: hops(path),
                }]
            }
            Self::NotReachableFromOutsideOrg(c) => {
                let pattern = crate::iam::Pattern::wildcard(&c.role);
                let mut got = Vec::new();
                let targets: BTreeSet<&str> = graph
                    .edges
                    .iter()
                    .map(|e| e.to.as_str())
                    .filter(|r| pattern.matches(r))
                    .collect();
                let starts: BTreeSet<&str> = graph
                    .edges
                    .iter()
                    .filter(|e| from_outside(e))
                    .map(|e| e.from.as_str())
                    .collect();
                for start in &starts {
                    for target in &targets {
                        // The first hop must be the open one.
                        let open = graph
                            .paths(start, target)
                            .into_iter()
                            .find(|p| p.first().is_some_and(|e| from_outside(e)));
                        if let Some(path) = open {
                            got.push(hops(&path));
                        }
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
        }
    }
}
