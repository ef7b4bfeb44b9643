//! What the data edges show that a reviewer must see: buckets anyone can
//! read, buckets principals outside the organization (without one, the
//! world's accounts) can read or write, and customer managed KMS keys that
//! principals of other accounts may use to decrypt.

use std::collections::BTreeSet;

use super::super::world::World;
use super::data_edge::{DataAccess, DataEdge};
use super::findings::GraphFinding;
use xacct_iam::Verdict;

fn conditional(e: &DataEdge) -> String {
    if e.verdict != Verdict::Conditional {
        return String::new();
    }
    match e.needs() {
        needs if needs.is_empty() => " (conditionally)".to_owned(),
        needs => format!(" ({needs})"),
    }
}

impl World {
    /// The findings of `edges` (from [`World::data_edges`]) and of the
    /// world's KMS key policies.
    pub fn data_findings(&self, edges: &[DataEdge]) -> Vec<GraphFinding> {
        let mut out = Vec::new();
        for e in edges.iter().filter(|e| e.outside) {
            let url = e.url();
            let (rule, message) = match (e.from.as_str(), e.access) {
                ("*", DataAccess::Read) => (
                    "bucket-public",
                    format!(
                        "{url} can be read by anyone{}: its bucket policy is public and Block Public Access does not restrict it; turn on restrict_public_buckets, or name the principals you mean",
                        conditional(e)
                    ),
                ),
                (from, DataAccess::Read) => (
                    "bucket-readable-from-outside",
                    format!(
                        "{url} can be read by {from}, outside the organization (or, without one, the world's accounts){}; name the principals you mean, or confine them with aws:PrincipalOrgID",
                        conditional(e)
                    ),
                ),
                (from, DataAccess::Write) => (
                    "bucket-writable-from-outside",
                    format!(
                        "{url} can be written by {from}, outside the organization (or, without one, the world's accounts){}; with Object Ownership other than BucketOwnerEnforced its objects stay theirs",
                        conditional(e)
                    ),
                ),
            };
            out.push(GraphFinding {
                rule,
                role: url,
                message,
            });
        }
        let mut seen = BTreeSet::new();
        for (key, from, verdict) in self.keys_open_to_other_accounts() {
            if !seen.insert((key.clone(), from.clone())) {
                continue;
            }
            let how = if verdict == Verdict::Conditional {
                " under conditions"
            } else {
                ""
            };
            out.push(GraphFinding {
                rule: "kms-key-open-to-other-accounts",
                role: key.clone(),
                message: format!(
                    "{from} may decrypt with {key} through S3{how}: its key policy (with that account's identity policies) lets another account use it; make sure that is meant"
                ),
            });
        }
        out
    }
}
