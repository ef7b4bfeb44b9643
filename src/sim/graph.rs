//! Who can assume which role, decided by the IAM engine (not by reading
//! trust policies): every user, every role's session (role chaining) and
//! every OIDC provider of the world is tried against every role. A pair
//! that is denied only by conditions is tried again with the values the
//! conditions name (an external id, MFA, a claim), and if that gets in, the
//! edge is kept with what it needs. Paths chain edges through role
//! sessions; a chained hop lasts at most an hour.

use std::collections::{BTreeMap, VecDeque};

use super::decide::{Decided, Unmet, decide};
use super::graph_callers::CallerIndex;
use super::identity::Identity;
use super::model::Role;
use super::world::World;

/// One "can assume" edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The caller: a user, a role (its sessions) or an OIDC provider ARN.
    pub from: String,
    /// The role ARN.
    pub to: String,
    /// What the call must carry, one `KEY OPERATOR VALUE` each; empty when
    /// nothing is needed.
    pub needs: Vec<String>,
    /// Whether the caller is in another account than the role.
    pub crosses_account: bool,
    /// Whether the caller is outside the organization (without one, outside
    /// the world's accounts): an account a trust policy names, or anyone.
    pub outside: bool,
    /// Whether exactly one of the caller's and the role's accounts is in
    /// the organization (the world's organization; without one, never).
    pub crosses_organization: bool,
    /// The decision's one-line reason.
    pub why: String,
}

/// Every edge of a world, sorted by caller then role.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// The edges.
    pub edges: Vec<Edge>,
}

/// A probe value that meets a condition: the policy's first value, with
/// wildcards filled in.
fn probe(unmet: &Unmet, organization: bool) -> Option<String> {
    // A world with an organization fills these from the caller's account:
    // no caller can choose them.
    let key = unmet.key.to_ascii_lowercase();
    if organization && key.starts_with("aws:principalorg") {
        return None;
    }
    // Keys the engine fills from the caller itself: a caller cannot send them.
    if [
        "aws:principalarn",
        "aws:principalaccount",
        "aws:principaltype",
        "aws:userid",
        "aws:username",
    ]
    .contains(&key.as_str())
    {
        return None;
    }
    let op = unmet.operator.to_ascii_lowercase();
    if op.contains("not") || op.starts_with("null") || op.starts_with("forallvalues") {
        return None;
    }
    let value = unmet.values.first()?;
    Some(value.replace(['*', '?'], "x"))
}

impl World {
    /// Decides `identity` calling `action` on `role`, meeting unmet
    /// conditions with the values they name, at most a few rounds.
    fn reach(
        &self,
        identity: &Identity,
        action: &str,
        role: &Role,
    ) -> Option<(Decided, Vec<String>)> {
        let arn = role.arn();
        let organization = self.model().organization.is_some();
        let mut context: Vec<(String, String)> =
            vec![("sts:RoleSessionName".to_owned(), "graph".to_owned())];
        let mut needs = Vec::new();
        for _ in 0..6 {
            let pairs: Vec<(&str, String)> = context
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect();
            let decided = decide(self, identity, action, &arn, Some(role.into()), &pairs);
            if decided.allowed {
                return Some((decided, needs));
            }
            let unmet = decided
                .unmet
                .iter()
                .find_map(|u| probe(u, organization).map(|v| (u, v)))?;
            let (u, value) = unmet;
            if context.iter().any(|(k, _)| k.eq_ignore_ascii_case(&u.key)) {
                return None;
            }
            needs.push(format!(
                "{} {} {}",
                u.key,
                u.operator,
                u.values.join(" or ")
            ));
            context.push((u.key.clone(), value));
        }
        None
    }

    /// Every edge of the world: each role against the callers its trust
    /// policy can name (all of them when it names anyone).
    pub fn graph(&self) -> Graph {
        let model = self.model();
        let index = CallerIndex::new(self);
        // The organization's members, or (without one) the world's accounts.
        let inside = |account: &str| match &model.organization {
            Some(org) => org.paths.contains_key(account),
            None => model.accounts.contains_key(account),
        };
        let mut edges = Vec::new();
        for role in model.accounts.values().flat_map(|a| a.roles.values()) {
            let arn = role.arn();
            for caller in index.candidates(role) {
                if caller.arn == arn {
                    continue;
                }
                if let Some((decided, needs)) = self.reach(&caller.identity, caller.action, role) {
                    edges.push(Edge {
                        from: caller.arn.clone(),
                        to: arn.clone(),
                        needs,
                        crosses_account: caller.identity.account() != role.account,
                        outside: !inside(caller.identity.account()),
                        crosses_organization: model.organization.as_ref().is_some_and(|o| {
                            o.paths.contains_key(caller.identity.account())
                                != o.paths.contains_key(&role.account)
                        }),
                        why: decided.why.summary,
                    });
                }
            }
        }
        edges.sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
        Graph { edges }
    }
}

/// The edges one graph has and another has not.
#[derive(Debug, Clone, Default)]
pub struct GraphDiff {
    /// Edges of the new graph that the old one lacks: new access.
    pub added: Vec<Edge>,
    /// Edges of the old graph that the new one lacks: access lost.
    pub removed: Vec<Edge>,
}

impl Graph {
    /// What changed from `old` to `self`, edge by edge (an edge whose
    /// needs changed counts as removed and added).
    pub fn diff(&self, old: &Graph) -> GraphDiff {
        let key = |e: &Edge| (e.from.clone(), e.to.clone(), e.needs.clone());
        let old_keys: std::collections::BTreeSet<_> = old.edges.iter().map(key).collect();
        let new_keys: std::collections::BTreeSet<_> = self.edges.iter().map(key).collect();
        GraphDiff {
            added: self
                .edges
                .iter()
                .filter(|e| !old_keys.contains(&key(e)))
                .cloned()
                .collect(),
            removed: old
                .edges
                .iter()
                .filter(|e| !new_keys.contains(&key(e)))
                .cloned()
                .collect(),
        }
    }

    /// The shortest paths (fewest hops) from `from` to `to`, one per
    /// first hop, through role sessions.
    pub fn paths(&self, from: &str, to: &str) -> Vec<Vec<&Edge>> {
        let mut by_from: BTreeMap<&str, Vec<&Edge>> = BTreeMap::new();
        for e in &self.edges {
            by_from.entry(e.from.as_str()).or_default().push(e);
        }
        let mut out = Vec::new();
        for first in by_from.get(from).into_iter().flatten() {
            let mut queue: VecDeque<Vec<&Edge>> = VecDeque::from([vec![*first]]);
            while let Some(path) = queue.pop_front() {
                let Some(last) = path.last() else { continue };
                if last.to == to {
                    out.push(path);
                    break;
                }
                if path.len() >= 6 {
                    continue;
                }
                for next in by_from.get(last.to.as_str()).into_iter().flatten() {
                    if !path.iter().any(|e| e.from == next.to) && next.to != from {
                        let mut longer = path.clone();
                        longer.push(next);
                        queue.push_back(longer);
                    }
                }
            }
        }
        out.sort_by_key(Vec::len);
        out
    }
}
