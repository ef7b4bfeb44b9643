//! What a who-can-assume graph shows that a reviewer must see: roles that
//! any repository of a multi-tenant OIDC issuer can assume (no condition
//! pins the subject), and principals whose chains reach an admin-like role
//! (one whose sessions the engine lets change IAM).

use super::decide::decide;
use super::graph::{Edge, Graph};
use super::identity::Identity;
use super::session::SessionKind;
use super::world::World;
use crate::iam::issuers;

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphFinding {
    /// A stable id: `role-open-to-any-oidc-subject`, `path-to-admin`.
    pub rule: &'static str,
    /// The role it is about.
    pub role: String,
    /// The sentence.
    pub message: String,
}

/// Keys that pin a token's subject (GitHub's repository keys included).
const SUBJECT_KEYS: [&str; 4] = [":sub", ":repository", ":repository_id", ":job_workflow_ref"];

/// Keys that confine a caller to an organization.
const ORG_KEYS: [&str; 2] = ["aws:principalorgid", "aws:principalorgpaths"];

/// Whether an edge lets in someone from outside: a caller outside the
/// world's accounts (unless a condition confines it to an organization),
/// or any subject of a multi-tenant OIDC issuer (no condition pins the
/// subject).
pub fn from_outside(e: &Edge) -> bool {
    let needs_key = |keys: &[&str]| {
        e.needs.iter().any(|n| {
            let key = n.split(' ').next().unwrap_or_default().to_ascii_lowercase();
            keys.iter().any(|k| key.ends_with(k))
        })
    };
    if e.outside {
        return !needs_key(&ORG_KEYS);
    }
    e.from
        .split_once(":oidc-provider/")
        .is_some_and(|(_, issuer)| issuers::is_multi_tenant(issuer) && !needs_key(&SUBJECT_KEYS))
}

impl World {
    /// Whether `role`'s sessions may change IAM (attach a policy to a
    /// role), the mark of an admin-like role.
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
        let target = format!("arn:aws:iam::{account}:role/any");
        decide(self, &session, "iam:AttachRolePolicy", &target, None, &[]).allowed
    }

    /// The findings of `graph`, a graph of this world.
    pub fn graph_findings(&self, graph: &Graph) -> Vec<GraphFinding> {
        let mut out = Vec::new();
        for e in graph.edges.iter().filter(|e| from_outside(e)) {
            if e.outside {
                out.push(GraphFinding {
                    rule: "role-reachable-from-outside",
                    role: e.to.clone(),
                    message: format!(
                        "{} can be assumed by {}, outside the organization (or, without one, the world's accounts); name the principals you mean, or confine them with aws:PrincipalOrgID",
                        e.to, e.from
                    ),
                });
                continue;
            }
            if let Some((_, issuer)) = e.from.split_once(":oidc-provider/") {
                out.push(GraphFinding {
                    rule: "role-open-to-any-oidc-subject",
                    role: e.to.clone(),
                    message: format!(
                        "{} can be assumed with a token of {issuer} for any subject (anyone can get one: any repository of any owner); pin `{issuer}:sub` in its trust policy",
                        e.to
                    ),
                });
            }
        }
        let model = self.model();
        let admins: Vec<String> = model
            .accounts
            .values()
            .flat_map(|a| a.roles.values())
            .filter(|r| self.admin_like(&r.account, &r.name))
            .map(super::model::Role::arn)
            .collect();
        let starts: Vec<String> = model
            .accounts
            .values()
            .flat_map(|a| {
                a.users.values().map(super::model::User::arn).chain(
                    a.oidc_providers
                        .values()
                        .map(|p| format!("arn:aws:iam::{}:oidc-provider/{}", a.id, p.issuer)),
                )
            })
            .collect();
        for admin in &admins {
            for start in &starts {
                if let Some(path) = graph.paths(start, admin).first() {
                    out.push(GraphFinding {
                        rule: "path-to-admin",
                        role: admin.clone(),
                        message: format!(
                            "{start} reaches the admin-like role {admin} (its sessions may change IAM) in {} hop(s)",
                            path.len()
                        ),
                    });
                }
            }
        }
        out
    }
}
