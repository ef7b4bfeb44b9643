//! Which edges of a world's who-can-assume graph a view shows
//! (`xacct graph --account ID --role PATTERN --findings-only`): a large
//! world is read a part at a time.

use std::collections::BTreeSet;

use crate::iam::{Pattern, is_account_id};
use crate::sim::{Edge, Graph, GraphFinding, NodeId};

/// The parts of the graph asked for; every part given must hold.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Edges with the caller or the role in one of these accounts.
    accounts: Vec<String>,
    /// Edges into roles matching one of these (by name, or by ARN when the
    /// pattern starts with `arn:`), and every edge of a chain leading to
    /// them.
    roles: Vec<(String, Pattern)>,
    /// Only edges that touch a principal a finding names, or whose caller
    /// is outside the organization.
    findings_only: bool,
}

/// A selection flag that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {flag} `{value}`: {rule}")]
pub struct SelectionError {
    /// The flag.
    pub flag: &'static str,
    /// The value given.
    pub value: String,
    /// What it must be.
    pub rule: &'static str,
}

impl Selection {
    /// A selection from the flags' values.
    pub fn new(
        accounts: &[String],
        roles: &[String],
        findings_only: bool,
    ) -> Result<Self, SelectionError> {
        for account in accounts {
            if !is_account_id(account) {
                return Err(SelectionError {
                    flag: "--account",
                    value: account.clone(),
                    rule: "an account id is 12 digits (111111111111)",
                });
            }
        }
        let mut patterns = Vec::new();
        for role in roles {
            if role.is_empty() {
                return Err(SelectionError {
                    flag: "--role",
                    value: role.clone(),
                    rule: "give a role name or ARN; `*` and `?` match any characters and any one",
                });
            }
            patterns.push((role.clone(), Pattern::wildcard(role)));
        }
        Ok(Self {
            accounts: accounts.to_vec(),
            roles: patterns,
            findings_only,
        })
    }

    /// Whether it selects everything.
    pub fn is_everything(&self) -> bool {
        self.accounts.is_empty() && self.roles.is_empty() && !self.findings_only
    }

    /// The flags, as given, for messages.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .accounts
            .iter()
            .map(|a| format!("--account {a}"))
            .collect();
        parts.extend(self.roles.iter().map(|(r, _)| format!("--role {r}")));
        if self.findings_only {
            parts.push("--findings-only".to_owned());
        }
        parts.join(" ")
    }

    fn role_matches(&self, arn: &str) -> bool {
        let name = arn.rsplit('/').next().unwrap_or(arn);
        self.roles.iter().any(|(text, pattern)| {
            if text.starts_with("arn:") {
                pattern.matches(arn)
            } else {
                pattern.matches(name)
            }
        })
    }

    /// The selected edges of `graph`, in the graph's order. `flagged` are
    /// the ARNs findings name.
    pub fn select<'g>(&self, graph: &'g Graph, flagged: &[&str]) -> Vec<&'g Edge> {
        let in_accounts = |e: &Edge| {
            self.accounts.is_empty()
                || [e.from, e.to]
                    .iter()
                    .any(|&n| self.accounts.iter().any(|a| graph.node(n).account() == a))
        };
        let on_finding = |e: &Edge| {
            !self.findings_only
                || e.outside
                || [e.from, e.to]
                    .iter()
                    .any(|&n| flagged.contains(&graph.arn(n)))
        };
        let toward = self.toward_roles(graph);
        graph
            .edges()
            .iter()
            .filter(|e| in_accounts(e) && on_finding(e))
            .filter(|e| toward.as_ref().is_none_or(|set| set.contains(&e.to)))
            .collect()
    }

    /// The findings to show beside `edges`: every one for the whole graph,
    /// else those about a principal or role the selected edges touch (a
    /// data finding goes with the data edges, which a selection leaves out).
    pub fn findings_about(
        &self,
        graph: &Graph,
        edges: &[&Edge],
        findings: &[GraphFinding],
    ) -> Vec<GraphFinding> {
        if self.is_everything() {
            return findings.to_vec();
        }
        let shown: BTreeSet<&str> = edges
            .iter()
            .flat_map(|e| [graph.arn(e.from), graph.arn(e.to)])
            .collect();
        findings
            .iter()
            .filter(|f| shown.contains(f.role.as_str()))
            .cloned()
            .collect()
    }

    /// With `--role`: the roles matched and every role (or caller) on a
    /// chain into them; edges into these are kept.
    fn toward_roles(&self, graph: &Graph) -> Option<BTreeSet<NodeId>> {
        if self.roles.is_empty() {
            return None;
        }
        let mut set: BTreeSet<NodeId> = graph
            .edges()
            .iter()
            .map(|e| e.to)
            .filter(|&n| self.role_matches(graph.arn(n)))
            .collect();
        let mut queue: Vec<NodeId> = set.iter().copied().collect();
        while let Some(role) = queue.pop() {
            for e in graph.edges_to(role) {
                if set.insert(e.from) {
                    queue.push(e.from);
                }
            }
        }
        Some(set)
    }
}
