//! One "can assume" edge of the analysis, and the conditions a conditional
//! edge carries.

use xacct_iam::{Context, Need, Verdict};

/// A node of the graph, by its index.
pub type NodeId = u32;

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// An IAM user of the world.
    User,
    /// A role of the world (as a target, and its sessions as a caller).
    Role,
    /// An OIDC provider of the world: whoever presents one of its tokens.
    OidcProvider,
    /// A principal outside the world's accounts that a trust policy names:
    /// a user or role of another account, any principal of one (its
    /// root), or anyone (`*`).
    Outside,
}

/// A node: a caller or a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Its ARN (`*` for anyone).
    pub arn: String,
    /// What it is.
    pub kind: NodeKind,
}

impl Node {
    /// Its account (empty for anyone).
    pub fn account(&self) -> &str {
        self.arn.split(':').nth(4).unwrap_or_default()
    }
}

/// What a conditional edge needs: one of the alternatives (each a list of
/// conditions that must all hold), and none of the exceptions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Conditions {
    /// The alternatives; empty when no condition is needed to get in (only
    /// exceptions keep it out).
    pub when: Vec<Vec<Need>>,
    /// The exceptions: undecided Deny statements, each a list of
    /// conditions under which it refuses.
    pub unless: Vec<Vec<Need>>,
}

impl Conditions {
    /// Whether a concrete request meets them: `context` its keys,
    /// `resource` the role's ARN.
    pub fn hold(&self, context: &Context, resource: &str) -> bool {
        let all = |needs: &Vec<Need>| needs.iter().all(|n| n.holds(context, resource));
        (self.when.is_empty() || self.when.iter().any(all)) && !self.unless.iter().any(all)
    }

    /// Whether every way in needs a positive test of one of `keys` (any
    /// case; see [`Need::guards_on`]): without those keys in the request,
    /// the edge cannot be taken.
    pub fn all_need_one_of(&self, keys: &[String]) -> bool {
        !self.when.is_empty()
            && self
                .when
                .iter()
                .all(|alt| alt.iter().any(|n| keys.iter().any(|k| n.guards_on(k))))
    }

    /// `needs A and B, or C; unless D`.
    pub fn describe(&self) -> String {
        let conj = |needs: &Vec<Need>| {
            needs
                .iter()
                .map(Need::text)
                .collect::<Vec<_>>()
                .join(" and ")
        };
        let mut parts = Vec::new();
        if !self.when.is_empty() {
            parts.push(format!(
                "needs {}",
                self.when.iter().map(conj).collect::<Vec<_>>().join(", or ")
            ));
        }
        if !self.unless.is_empty() {
            parts.push(format!(
                "unless {}",
                self.unless
                    .iter()
                    .map(conj)
                    .collect::<Vec<_>>()
                    .join(", or ")
            ));
        }
        parts.join("; ")
    }
}

/// One "can assume" edge.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// The caller: a user, a role (its sessions), an OIDC provider, or a
    /// principal outside the world.
    pub from: NodeId,
    /// The role.
    pub to: NodeId,
    /// `Always` or `Conditional` (a `Never` pair is no edge).
    pub verdict: Verdict,
    /// What a conditional edge needs.
    pub conditions: Option<Box<Conditions>>,
    /// Whether the caller is in another account than the role.
    pub crosses_account: bool,
    /// Whether the caller is outside the organization (without one, outside
    /// the world's accounts): an account a trust policy names, or anyone.
    pub outside: bool,
    /// Whether exactly one of the caller's and the role's accounts is in
    /// the organization (the world's organization; without one, never).
    pub crosses_organization: bool,
}

impl Edge {
    /// Whether the edge holds only under conditions.
    pub fn is_conditional(&self) -> bool {
        self.verdict == Verdict::Conditional
    }

    /// What it needs (`needs ...; unless ...`), empty for an edge that
    /// always holds.
    pub fn needs(&self) -> String {
        self.conditions
            .as_ref()
            .map(|c| c.describe())
            .unwrap_or_default()
    }
}
