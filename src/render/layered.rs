//! A layered layout (after Sugiyama, Tagawa and Toda) for who-can-assume
//! pictures, left to right: callers in the first column, the roles they
//! assume in the next, roles assumed from those sessions after them.
//! Within a column the nodes stay grouped by account, and groups and nodes
//! are ordered by the mean position of their neighbours (a few sweeps each
//! way), which keeps most edges short and uncrossed. Linear in the edges
//! per sweep: a world of hundreds of roles is laid out in milliseconds.

use std::collections::BTreeMap;

/// Height of a node's box.
pub const NODE_HEIGHT: f64 = 28.0;
/// Space between two boxes of one account.
const NODE_GAP: f64 = 8.0;
/// Space above an account's boxes in a column, for its name.
pub const BAND_HEADER: f64 = 20.0;
/// Space between two accounts in a column.
const BAND_GAP: f64 = 16.0;
/// Space between columns, where edges and their labels go.
const COLUMN_GAP: f64 = 190.0;
/// Widest a box gets; a longer label is shortened (the tooltip has it whole).
pub const MAX_NODE_WIDTH: f64 = 300.0;
const MIN_NODE_WIDTH: f64 = 130.0;
/// Width of one character of a label (the picture's 12 px sans-serif font).
pub const CHAR_WIDTH: f64 = 7.0;
/// Sweeps of the ordering, each one down and one up.
const SWEEPS: usize = 4;

/// What is laid out: each node's label length and group, and the edges.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Each node's label, in characters.
    pub widths: &'a [usize],
    /// Each node's group (its account), as a small number.
    pub groups: &'a [usize],
    /// The edges, as node indexes.
    pub edges: &'a [(usize, usize)],
}

/// One box: its top-left corner and size.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Place {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
}

/// One account's band in one column, around its boxes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// The group.
    pub group: usize,
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// Where everything goes.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Each node's box, by index.
    pub places: Vec<Place>,
    /// The account bands.
    pub bands: Vec<Band>,
    /// Each node's column.
    pub columns: Vec<usize>,
    /// The whole width.
    pub width: f64,
    /// The whole height.
    pub height: f64,
}

/// The column of each node: the longest chain of edges that leads to it,
/// once the edges that close a cycle (found depth first) are set aside.
fn columns(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        if a != b && a < n && b < n {
            out[a].push(b);
        }
    }
    // 0 unvisited, 1 on the stack, 2 done.
    let mut state = vec![0u8; n];
    let mut forward: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut order = Vec::with_capacity(n);
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some((v, i)) = stack.pop() {
            if let Some(&w) = out[v].get(i) {
                stack.push((v, i + 1));
                match state[w] {
                    0 => {
                        forward[v].push(w);
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    2 => forward[v].push(w),
                    _ => {} // closes a cycle
                }
            } else {
                state[v] = 2;
                order.push(v);
            }
        }
    }
    let mut column = vec![0usize; n];
    for &v in order.iter().rev() {
        for &w in &forward[v] {
            column[w] = column[w].max(column[v] + 1);
        }
    }
    column
}

/// Lays out `input`.
pub fn layout(input: Input<'_>) -> Layout {
    let n = input.widths.len().min(input.groups.len());
    let column = columns(n, input.edges);
    let count = column.iter().max().map_or(0, |c| c + 1);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); count];
    for v in 0..n {
        rows[column[v]].push(v);
    }
    for row in &mut rows {
        row.sort_by_key(|&v| (input.groups[v], v));
    }
    let mut before: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in input.edges {
        if a < n && b < n && a != b {
            after[a].push(b);
            before[b].push(a);
        }
    }
    let mut rank = vec![0.0f64; n];
    for row in &rows {
        let len = row.len().max(1) as f64;
        for (i, &v) in row.iter().enumerate() {
            rank[v] = i as f64 / len;
        }
    }
    for sweep in 0..SWEEPS * 2 {
        let down = sweep % 2 == 0;
        let targets: Vec<usize> = if down {
            (1..count).collect()
        } else {
            (0..count.saturating_sub(1)).rev().collect()
        };
        for c in targets {
            let neighbours = if down { &before } else { &after };
            let key = |v: usize| -> f64 {
                let list = &neighbours[v];
                if list.is_empty() {
                    rank[v]
                } else {
                    list.iter().map(|&u| rank[u]).sum::<f64>() / list.len() as f64
                }
            };
            let keys: BTreeMap<usize, f64> = rows[c].iter().map(|&v| (v, key(v))).collect();
            let mut group_key: BTreeMap<usize, (f64, usize)> = BTreeMap::new();
            for (&v, &k) in &keys {
                let entry = group_key.entry(input.groups[v]).or_default();
                entry.0 += k;
                entry.1 += 1;
            }
            let mean = |g: usize| {
                group_key
                    .get(&g)
                    .map_or(0.0, |(s, n)| s / (*n).max(1) as f64)
            };
            rows[c].sort_by(|&a, &b| {
                let (ga, gb) = (input.groups[a], input.groups[b]);
                mean(ga)
                    .total_cmp(&mean(gb))
                    .then(ga.cmp(&gb))
                    .then(rank_of(&keys, a).total_cmp(&rank_of(&keys, b)))
                    .then(a.cmp(&b))
            });
            let len = rows[c].len().max(1) as f64;
            for (i, &v) in rows[c].iter().enumerate() {
                rank[v] = i as f64 / len;
            }
        }
    }
    place(input, &rows, column)
}

fn rank_of(keys: &BTreeMap<usize, f64>, v: usize) -> f64 {
    keys.get(&v).copied().unwrap_or_default()
}

/// Coordinates for ordered columns: boxes stacked with a band per run of
/// one account, columns centred on the tallest.
fn place(input: Input<'_>, rows: &[Vec<usize>], column: Vec<usize>) -> Layout {
    let n = column.len();
    let mut places = vec![Place::default(); n];
    let mut bands = Vec::new();
    let mut heights = Vec::with_capacity(rows.len());
    let mut x = 0.0;
    let mut width = 0.0;
    for row in rows {
        let w = row
            .iter()
            .map(|&v| input.widths[v] as f64 * CHAR_WIDTH + 20.0)
            .fold(MIN_NODE_WIDTH, f64::max)
            .min(MAX_NODE_WIDTH);
        let mut y = 0.0;
        let mut previous: Option<usize> = None;
        let first_band = bands.len();
        for &v in row {
            let group = input.groups[v];
            if previous != Some(group) {
                if previous.is_some() {
                    y += BAND_GAP - NODE_GAP;
                }
                bands.push(Band {
                    group,
                    x: x - 8.0,
                    y,
                    w: w + 16.0,
                    h: 0.0,
                });
                y += BAND_HEADER;
                previous = Some(group);
            }
            places[v] = Place { x, y, w };
            y += NODE_HEIGHT + NODE_GAP;
            if let Some(band) = bands.last_mut() {
                band.h = y - band.y;
            }
        }
        heights.push((first_band, bands.len(), y));
        width = x + w;
        x += w + COLUMN_GAP;
    }
    let height = heights.iter().map(|h| h.2).fold(0.0, f64::max);
    for (c, row) in rows.iter().enumerate() {
        let (from, to, h) = heights[c];
        let shift = ((height - h) / 2.0).floor();
        for &v in row {
            places[v].y += shift;
        }
        for band in &mut bands[from..to] {
            band.y += shift;
        }
    }
    Layout {
        places,
        bands,
        columns: column,
        width,
        height,
    }
}

#[cfg(test)]
mod tests {
    use super::{Input, layout};

    #[test]
    fn chains_go_left_to_right_and_cycles_do_not_loop() {
        // 0 -> 1 -> 2 -> 1 (a cycle between two roles), 3 -> 2.
        let edges = [(0, 1), (1, 2), (2, 1), (3, 2)];
        let l = layout(Input {
            widths: &[10, 10, 10, 10],
            groups: &[0, 1, 1, 0],
            edges: &edges,
        });
        assert_eq!(l.columns, [0, 1, 2, 0]);
        assert!(l.places[0].x < l.places[1].x && l.places[1].x < l.places[2].x);
        // No two boxes of a column overlap.
        for a in 0..4 {
            for b in 0..4 {
                if a != b && l.columns[a] == l.columns[b] {
                    let (pa, pb) = (l.places[a], l.places[b]);
                    assert!((pa.y - pb.y).abs() >= super::NODE_HEIGHT, "{pa:?} {pb:?}");
                }
            }
        }
    }
}
