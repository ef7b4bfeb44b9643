//! `xacct demo --html FILE`: the demo as one self-contained page (no
//! scripts, no external files): each scenario's narration and its
//! who-can-assume picture, for teaching.

use std::fmt::Write as _;

/// One scenario of the page.
#[derive(Debug, Clone)]
pub struct Section {
    /// The scenario's name.
    pub name: String,
    /// The narration, uncoloured.
    pub narration: String,
    /// The graph's SVG, when it has edges.
    pub svg: Option<String>,
}

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page.
pub fn demo_page(sections: &[Section]) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>xacct demo</title>\n<style>\nbody { font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem; color: #1e293b; }\npre { background: #f8fafc; border: 1px solid #e2e8f0; padding: 1rem; overflow-x: auto; font-size: 0.85rem; }\nfigure { margin: 1rem 0; overflow-x: auto; }\nfigcaption { font-size: 0.85rem; color: #475569; }\n</style>\n</head>\n<body>\n<h1>xacct demo</h1>\n",
    );
    for s in sections {
        let _ = writeln!(out, "<section>\n<h2>{}</h2>", escape(&s.name));
        if let Some(svg) = &s.svg {
            let _ = writeln!(
                out,
                "<figure>\n{svg}\n<figcaption>Who can assume what: callers on the left, the roles they assume to their right, accounts as tinted bands; the legend says what each colour and line means, and every box and edge has a tooltip.</figcaption>\n</figure>"
            );
        }
        let _ = writeln!(out, "<pre>{}</pre>\n</section>", escape(&s.narration));
    }
    out.push_str("</body>\n</html>\n");
    out
}
