//! What a who-can-assume graph shows that a reviewer must see: roles that
//! any repository of a multi-tenant OIDC issuer can assume (no condition
//! pins the subject), and principals whose chains reach an admin-like role
//! (one whose sessions may, under some conditions, change IAM).

use super::super::grants::{possibly_allowed, resource_stand_in};
use super::super::identity::Identity;
use super::super::session::SessionKind;
use super::super::world::World;
use super::edge::{Edge, NodeKind};
use super::graph::Graph;
use xacct_iam::{Family, Need, SetQualifier, Test, is_placeholder, issuers};

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphFinding {
    /// A stable id: `role-open-to-any-oidc-subject`, `path-to-admin`.
    pub rule: &'static str,
    /// The role it is about (for a data finding, the bucket's
    /// `s3://NAME` or the KMS key's ARN).
    pub role: String,
    /// The sentence.
    pub message: String,
}

/// Keys that pin a token's subject (GitHub's repository keys included).
const SUBJECT_KEYS: [&str; 6] = [
    ":sub",
    ":repository",
    ":repository_id",
    ":job_workflow_ref",
    ":id",
    ":user_id",
];

/// Whether a need is a positive test of a key ending in one of `suffixes`:
/// no negation, no `...IfExists`, no `ForAllValues` (which an absent key
/// meets), so a caller without a matching value cannot meet it.
fn positive_on(need: &Need, suffixes: &[&str]) -> bool {
    need.condition().is_some_and(|c| {
        !c.operator.negated
            && !c.operator.if_exists
            && c.operator.set != SetQualifier::ForAllValues
            && c.operator.family != Family::Null
            && suffixes.iter().any(|k| c.key_lower.ends_with(k))
    })
}

/// Whether a need pins a token's subject: a positive test of a subject
/// key whose every value names one owner. A glob (`StringLike`) pins only
/// when the owner part (`repo:OWNER/...`, `OWNER/REPO`) is literal:
/// `repo:acme/*` pins to acme's repositories, `repo:*` or `*` lets in any
/// repository of the issuer. A policy variable or a placeholder may hold
/// anything, so it pins nothing.
fn pins_subject(need: &Need) -> bool {
    if !positive_on(need, &SUBJECT_KEYS) {
        return false;
    }
    let Some(c) = need.condition() else {
        return false;
    };
    let like = c.operator.test == Test::Like;
    c.raw_values.iter().all(|v| {
        if v.contains("${") || is_placeholder(v) {
            return false;
        }
        if !like {
            return true;
        }
        let wild = |t: &str| t.contains(['*', '?']);
        let rest = v.strip_prefix("repo:").unwrap_or(v);
        match rest.split_once('/') {
            Some((owner, _)) => !owner.is_empty() && !wild(owner),
            None => !wild(rest),
        }
    })
}

/// Whether a need confines callers to the organization: a positive test of
/// `aws:PrincipalOrgID` / `aws:PrincipalOrgPaths` whose every value names
/// the world's organization (without one, some organization) with no
/// wildcard in its id.
fn confines_to_org(need: &Need, org: Option<&str>) -> bool {
    if !positive_on(need, &["aws:principalorgid", "aws:principalorgpaths"]) {
        return false;
    }
    let Some(c) = need.condition() else {
        return false;
    };
    c.raw_values.iter().all(|v| {
        let id = v.split('/').next().unwrap_or_default();
        !id.contains(['*', '?', '$']) && org.is_none_or(|o| id == o)
    })
}

/// The issuer a caller node stands for: an IAM OIDC provider's, or a
/// provider built into AWS (named bare).
fn issuer_of(arn: &str) -> Option<&str> {
    arn.split_once(":oidc-provider/")
        .map(|(_, issuer)| issuer)
        .or_else(|| issuers::is_built_in(arn).then_some(arn))
}

/// Whether an edge lets in someone from outside: a caller outside the
/// organization (unless every way in confines it to the organization), or
/// any subject of a multi-tenant OIDC issuer (unless every way in pins the
/// subject). An edge that needs nothing confines nothing.
pub(super) fn from_outside(graph: &Graph, e: &Edge, org: Option<&str>) -> bool {
    let every_way = |test: &dyn Fn(&Need) -> bool| {
        e.conditions
            .as_ref()
            .is_some_and(|c| !c.when.is_empty() && c.when.iter().all(|alt| alt.iter().any(test)))
    };
    if e.outside {
        return !every_way(&|n| confines_to_org(n, org));
    }
    issuer_of(graph.arn(e.from))
        .is_some_and(|issuer| issuers::is_multi_tenant(issuer) && !every_way(&pins_subject))
}

/// What makes a role admin-like: IAM changes that let its sessions grant
/// themselves (or anyone) more (Rhino Security Labs' IAM privilege
/// escalation methods: a policy attached, written or re-versioned, a trust
/// policy rewritten, a user's key minted).
const ESCALATIONS: [(&str, &str); 6] = [
    ("iam:AttachRolePolicy", "role/any"),
    ("iam:PutRolePolicy", "role/any"),
    ("iam:UpdateAssumeRolePolicy", "role/any"),
    ("iam:CreatePolicyVersion", "policy/any"),
    ("iam:AttachUserPolicy", "user/any"),
    ("iam:CreateAccessKey", "user/any"),
];

impl World {
    /// Whether `role`'s sessions may change IAM in some request (the
    /// three-valued analysis: a grant under a condition the world does not
    /// fix, a source IP, a time, counts), the mark of an admin-like role.
    fn admin_like(&self, account: &str, role: &str) -> bool {
        let session = Identity::Session {
            kind: SessionKind::Role {
                account: account.to_owned(),
                role: role.to_owned(),
                session: "graph".to_owned(),
                mfa: true,
                policy: None,
                context: Default::default(),
            },
            policy: None,
        };
        let stand_in = resource_stand_in(account);
        ESCALATIONS.iter().any(|(action, resource)| {
            let target = format!("arn:aws:iam::{account}:{resource}");
            possibly_allowed(self, &session, action, &target, stand_in.as_ref())
        })
    }

    /// The organization's id, when the world describes one.
    pub fn organization_id(&self) -> Option<&str> {
        self.model().organization.as_ref().map(|o| o.id.as_str())
    }

    /// The findings of `graph`, a graph of this world.
    pub fn graph_findings(&self, graph: &Graph) -> Vec<GraphFinding> {
        let org = self.organization_id();
        let mut out = Vec::new();
        for e in graph.edges().iter().filter(|e| from_outside(graph, e, org)) {
            let (from, to) = (graph.arn(e.from), graph.arn(e.to));
            let conditional = if e.is_conditional() {
                format!(" ({})", e.needs())
            } else {
                String::new()
            };
            if e.outside {
                // A vendor's role: every way in already needs the external
                // id, so the advice is about the vendor, not the org.
                let vendor = e
                    .conditions
                    .as_ref()
                    .is_some_and(|c| c.all_need_one_of(&["sts:ExternalId".to_owned()]));
                let advice = if vendor {
                    "it requires an external id, as a third party's role should: check that this is the vendor you mean and that the id is unique to you"
                } else {
                    "name the principals you mean, or confine them with aws:PrincipalOrgID (a third party's role should require sts:ExternalId instead)"
                };
                out.push(GraphFinding {
                    rule: "role-reachable-from-outside",
                    role: to.to_owned(),
                    message: format!(
                        "{to} can be assumed by {from}, outside the organization (or, without one, the world's accounts){conditional}; {advice}"
                    ),
                });
                continue;
            }
            if let Some(issuer) = issuer_of(from) {
                out.push(GraphFinding {
                    rule: "role-open-to-any-oidc-subject",
                    role: to.to_owned(),
                    message: format!(
                        "{to} can be assumed with a token of {issuer} for any subject (anyone can get one: any user or repository of the issuer){conditional}; pin `{issuer}:sub` in its trust policy"
                    ),
                });
            }
        }
        let model = self.model();
        let admins: std::collections::BTreeSet<u32> = model
            .accounts
            .values()
            .flat_map(|a| a.roles.values())
            .filter(|r| self.admin_like(&r.account, &r.name))
            .filter_map(|r| graph.id(&r.arn()))
            .collect();
        if admins.is_empty() {
            return out;
        }
        let starts = graph
            .nodes()
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n.kind, NodeKind::User | NodeKind::OidcProvider));
        let mut paths = Vec::new();
        for (start, node) in starts {
            let start = start as u32;
            if graph.edges_from(start).is_empty() {
                continue;
            }
            let reached = graph.reach_from(start, &|_| true);
            for &admin in reached.nodes().iter().filter(|n| admins.contains(n)) {
                let path = reached.path(admin);
                let conditional = if path.iter().any(|e| e.is_conditional()) {
                    " (under conditions)"
                } else {
                    ""
                };
                paths.push(GraphFinding {
                    rule: "path-to-admin",
                    role: graph.arn(admin).to_owned(),
                    message: format!(
                        "{} reaches the admin-like role {} (its sessions may change IAM) in {} hop(s){conditional}",
                        node.arn,
                        graph.arn(admin),
                        path.len()
                    ),
                });
            }
        }
        paths.sort_by(|a, b| (&a.role, &a.message).cmp(&(&b.role, &b.message)));
        out.extend(paths);
        out
    }
}
