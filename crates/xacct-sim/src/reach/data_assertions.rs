//! The data facts a scenario states (`can_read`, `cannot_read`,
//! `not_readable_from_outside_org`), checked against the data edges and,
//! for reads through a role, the who-can-assume graph. Three-valued like
//! the rest: a conditional edge counts unless the fact accepts its
//! conditions by key. A failure names the principal and its path.

use super::super::assert_spec::{CanRead, CannotRead, NotReadable};
use super::super::expect::Mismatch;
use super::super::world::World;
use super::data_edge::{DataAccess, DataEdge};
use super::fact::{FromOutside, counts, guarded_by, hops};
use super::graph::Graph;
use xacct_iam::Pattern;

/// The read edges into buckets `pattern` matches that count.
fn reads(world: &World, pattern: &str, unless: &[String]) -> Vec<DataEdge> {
    let pattern = Pattern::wildcard(pattern);
    world
        .data_edges()
        .into_iter()
        .filter(|e| {
            e.access == DataAccess::Read
                && pattern.matches(&e.bucket)
                && guarded_by(e.conditions.as_deref(), unless)
        })
        .collect()
}

/// `reads s3://B (why; needs ...)`.
fn read_line(e: &DataEdge) -> String {
    let needs = e.needs();
    let needs = if needs.is_empty() {
        String::new()
    } else {
        format!("; {needs}")
    };
    format!("reads {} ({}{needs})", e.url(), e.why)
}

/// `can_read`: the principals with a read edge are exactly `only`.
pub(super) fn can_read(world: &World, c: &CanRead) -> Vec<Mismatch> {
    let edges = reads(world, &c.bucket, &c.unless);
    let allowed: Vec<Pattern> = c.only.iter().map(|p| Pattern::wildcard(p)).collect();
    let mut got: Vec<String> = edges
        .iter()
        .filter(|e| !allowed.iter().any(|p| p.matches(&e.from)))
        .map(|e| format!("{} can too: {}", e.from, read_line(e)))
        .collect();
    got.extend(
        c.only
            .iter()
            .filter(|p| !p.contains(['*', '?']) && !edges.iter().any(|e| e.from == **p))
            .map(|p| format!("{p} cannot")),
    );
    if got.is_empty() {
        return Vec::new();
    }
    vec![Mismatch {
        field: "can_read".to_owned(),
        expected: format!("only [{}] read s3://{}", c.only.join(", "), c.bucket),
        got: got.join("; "),
    }]
}

/// `cannot_read`: no read edge from `from`, nor from a role it reaches.
pub(super) fn cannot_read(world: &World, graph: &Graph, c: &CannotRead) -> Vec<Mismatch> {
    let edges = reads(world, &c.bucket, &c.unless);
    let explainer = world.explainer();
    let mut got: Vec<String> = edges
        .iter()
        .filter(|e| e.from == c.from)
        .map(|e| format!("{} {}", c.from, read_line(e)))
        .collect();
    if let Some(start) = graph.id(&c.from) {
        let reached = graph.reach_from(start, &|e| counts(e, &c.unless));
        for e in &edges {
            let Some(role) = graph.id(&e.from).filter(|id| *id != start) else {
                continue;
            };
            if reached.contains(role) {
                let path = hops(graph, &explainer, &reached.path(role));
                got.push(format!("{path}, then {} {}", e.from, read_line(e)));
            }
        }
    }
    if got.is_empty() {
        return Vec::new();
    }
    vec![Mismatch {
        field: "cannot_read".to_owned(),
        expected: format!("{} reads nothing of s3://{}", c.from, c.bucket),
        got: got.join("; "),
    }]
}

/// `not_readable_from_outside_org`: no outside principal reads a matching
/// bucket, by its own access or through a role an open hop lets it into.
pub(super) fn not_readable_from_outside_org(
    world: &World,
    graph: &Graph,
    c: &NotReadable,
) -> Vec<Mismatch> {
    let edges = reads(world, &c.bucket, &c.unless);
    let explainer = world.explainer();
    let mut got: Vec<String> = edges
        .iter()
        .filter(|e| e.outside)
        .map(|e| format!("{} {}", e.from, read_line(e)))
        .collect();
    let outside = FromOutside::of(world, graph, &c.unless);
    for e in &edges {
        let Some(path) = graph.id(&e.from).and_then(|role| outside.path(role)) else {
            continue;
        };
        got.push(format!(
            "{}, then {} {}",
            hops(graph, &explainer, &path),
            e.from,
            read_line(e)
        ));
    }
    if got.is_empty() {
        return Vec::new();
    }
    vec![Mismatch {
        field: "not_readable_from_outside_org".to_owned(),
        expected: format!(
            "no principal outside the organization reads s3://{}",
            c.bucket
        ),
        got: got.join("; "),
    }]
}
