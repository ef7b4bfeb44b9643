//! The built-in SVG of a [`Drawing`]: laid out in layers
//! ([`super::layered`]), accounts as tinted bands, a legend that says what
//! each colour and line means, and a tooltip (`<title>`) on every box and
//! edge with the whole ARN or condition. Self-contained: no script, no
//! external reference, fonts by generic family.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::drawing::{Drawing, Mark};
use super::layered::{self, BAND_HEADER, CHAR_WIDTH, Input, MAX_NODE_WIDTH, NODE_HEIGHT};

const MARGIN: f64 = 20.0;
const LEGEND_HEIGHT: f64 = 56.0;
/// Most characters of one line of an edge label (it fits between columns).
const EDGE_LABEL_CHARS: usize = 30;
/// Most lines of an edge label (one above the edge, one below); the
/// tooltip has the rest.
const EDGE_LABEL_LINES: usize = 2;

/// XML text.
fn escape(text: &str) -> String {
    super::xml(text)
}

/// `text` cut to `chars` characters with an ellipsis.
fn clip(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_owned()
    } else {
        let kept: String = text.chars().take(chars.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}

/// An edge label in lines that fit between two columns, words kept whole
/// (a word too long is clipped), the last line ending in an ellipsis when
/// there is more.
fn label_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = super::wrap::wrap(text, 0, EDGE_LABEL_CHARS)
        .lines()
        .map(str::to_owned)
        .collect();
    let more = lines.len() > EDGE_LABEL_LINES;
    lines.truncate(EDGE_LABEL_LINES);
    let count = lines.len();
    for (i, l) in lines.iter_mut().enumerate() {
        let last = i + 1 == count;
        let limit = if last && more {
            EDGE_LABEL_CHARS - 1
        } else {
            EDGE_LABEL_CHARS
        };
        let mut text = clip(l, limit);
        if last && more && !text.ends_with('…') {
            text.push('…');
        }
        *l = text;
    }
    lines
}

/// A light tint per account, by its position among the accounts.
fn tint(group: usize) -> String {
    let hue = (group * 137 + 210) % 360;
    format!("hsl({hue}, 45%, 95%)")
}

/// Draws the legend; returns its width.
fn legend(out: &mut String) -> f64 {
    let y = MARGIN;
    let _ = writeln!(
        out,
        "<g class=\"legend\" font-size=\"12\"><text x=\"{MARGIN}\" y=\"{}\" font-weight=\"bold\">Who can assume what</text>",
        y + 12.0
    );
    let mut x = MARGIN;
    let row = y + 24.0;
    for (mark, text) in [
        (Mark::Finding, "named by a finding"),
        (Mark::Outside, "caller from outside the organization"),
    ] {
        let (fill, stroke, _) = mark.colours();
        let _ = writeln!(
            out,
            "<rect x=\"{x}\" y=\"{row}\" width=\"18\" height=\"12\" rx=\"3\" fill=\"{fill}\" stroke=\"{stroke}\"/><text x=\"{}\" y=\"{}\">{text}</text>",
            x + 24.0,
            row + 10.0
        );
        x += 24.0 + text.len() as f64 * CHAR_WIDTH + 24.0;
    }
    for (dash, text) in [
        ("", "always"),
        (" stroke-dasharray=\"6 4\"", "only under conditions"),
    ] {
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#64748b\" stroke-width=\"1.5\"{dash}/><text x=\"{}\" y=\"{}\">{text}</text>",
            row + 6.0,
            x + 28.0,
            row + 6.0,
            x + 34.0,
            row + 10.0
        );
        x += 34.0 + text.len() as f64 * CHAR_WIDTH + 24.0;
    }
    out.push_str("</g>\n");
    x
}

/// The SVG of `drawing`.
pub fn svg(drawing: &Drawing) -> String {
    let accounts = drawing.accounts();
    let group_of: Vec<usize> = {
        let mut g = vec![0; drawing.nodes.len()];
        for (i, (_, members)) in accounts.iter().enumerate() {
            for &m in members {
                g[m] = i;
            }
        }
        g
    };
    let names: Vec<&str> = accounts.keys().copied().collect();
    let widths: Vec<usize> = drawing
        .nodes
        .iter()
        .map(|n| n.label.chars().count())
        .collect();
    let edges: Vec<(usize, usize)> = drawing.lines.iter().map(|l| (l.from, l.to)).collect();
    let layout = layered::layout(Input {
        widths: &widths,
        groups: &group_of,
        edges: &edges,
    });
    let top = MARGIN + LEGEND_HEIGHT;
    let mut key = String::new();
    let key_width = legend(&mut key);
    let width = (layout.width + 2.0 * MARGIN).max(key_width).ceil();
    let height = (layout.height + top + MARGIN).ceil();
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"system-ui, sans-serif\" role=\"img\">\n<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#64748b\"/></marker></defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
    );
    out.push_str(&key);
    let at = |x: f64, y: f64| (x + MARGIN, y + top);
    // Bands first, their names last (over the edges, with a halo).
    let mut band_names = String::new();
    for band in &layout.bands {
        let (x, y) = at(band.x, band.y);
        let name = names.get(band.group).copied().unwrap_or_default();
        let title = if name.is_empty() {
            "anyone".to_owned()
        } else {
            format!("account {name}")
        };
        let _ = writeln!(
            out,
            "<rect class=\"account\" x=\"{x:.0}\" y=\"{y:.0}\" width=\"{:.0}\" height=\"{:.0}\" rx=\"8\" fill=\"{}\" stroke=\"#cbd5e1\"/>",
            band.w,
            band.h,
            tint(band.group),
        );
        let _ = writeln!(
            band_names,
            "<text x=\"{:.0}\" y=\"{:.0}\" font-size=\"11\" fill=\"#475569\" paint-order=\"stroke\" stroke=\"{}\" stroke-width=\"4\">{}</text>",
            x + 8.0,
            y + BAND_HEADER - 6.0,
            tint(band.group),
            escape(&title)
        );
    }
    // A caller's label is drawn once per wording: a fan-out under one
    // condition says it on its first edge, and every edge's tooltip says it.
    let mut labelled: BTreeSet<(usize, &str)> = BTreeSet::new();
    for line in &drawing.lines {
        let (Some(a), Some(b)) = (layout.places.get(line.from), layout.places.get(line.to)) else {
            continue;
        };
        let (x1, y1) = at(a.x + a.w, a.y + NODE_HEIGHT / 2.0);
        let (x2, y2) = at(b.x, b.y + NODE_HEIGHT / 2.0);
        // Forward edges bend gently; an edge back to an earlier column (a
        // cycle of roles) swings out below its boxes.
        let path = if x2 > x1 {
            let bend = (x2 - x1) / 2.0;
            format!(
                "M{x1:.0},{y1:.0} C{:.0},{y1:.0} {:.0},{y2:.0} {x2:.0},{y2:.0}",
                x1 + bend,
                x2 - bend
            )
        } else {
            let (x2, y2) = at(b.x + b.w, b.y + NODE_HEIGHT / 2.0);
            let swing = x1.max(x2) + 60.0;
            format!("M{x1:.0},{y1:.0} C{swing:.0},{y1:.0} {swing:.0},{y2:.0} {x2:.0},{y2:.0}")
        };
        let dash = if line.conditional {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<g class=\"edge\"><title>{}</title><path d=\"{path}\" fill=\"none\" stroke=\"#64748b\" stroke-width=\"1.5\"{dash} marker-end=\"url(#arrow)\"/>",
            escape(&line.title)
        );
        let first = labelled.insert((line.from, line.label.as_str()));
        if !line.label.is_empty() && (first || !drawing.labels_once) {
            // Just before the arrowhead, one line above the edge and one
            // below: targets stand one per row, so the labels of edges from
            // one caller, or into neighbouring roles, never pile up.
            let lines = label_lines(&line.label);
            let _ = write!(
                out,
                "<text font-size=\"10\" text-anchor=\"end\" fill=\"#334155\" paint-order=\"stroke\" stroke=\"#ffffff\" stroke-width=\"3\">"
            );
            for (i, text) in lines.iter().enumerate() {
                let y = if i == 0 { y2 - 5.0 } else { y2 + 13.0 };
                let _ = write!(
                    out,
                    "<tspan x=\"{:.0}\" y=\"{y:.0}\">{}</tspan>",
                    x2 - 10.0,
                    escape(text)
                );
            }
            out.push_str("</text>");
        }
        out.push_str("</g>\n");
    }
    out.push_str(&band_names);
    for (node, place) in drawing.nodes.iter().zip(&layout.places) {
        let (x, y) = at(place.x, place.y);
        let (fill, stroke, ink) = node.mark.colours();
        let chars = ((place.w.min(MAX_NODE_WIDTH) - 16.0) / CHAR_WIDTH) as usize;
        let mark = node
            .mark
            .class()
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<g class=\"node{mark}\"><title>{}</title><rect x=\"{x:.0}\" y=\"{y:.0}\" width=\"{:.0}\" height=\"{NODE_HEIGHT}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\"/><text x=\"{:.0}\" y=\"{:.0}\" font-size=\"12\" fill=\"{ink}\">{}</text></g>",
            escape(&node.id),
            place.w,
            x + 8.0,
            y + 18.0,
            escape(&clip(&node.label, chars))
        );
    }
    out.push_str("</svg>\n");
    out
}
