//! `xacct graph`: who can assume which role in a world, decided by the IAM
//! engine; or the paths from one principal to one role.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::exit::Exit;
use crate::render;
use crate::sim;

/// Arguments of `xacct graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The scenario or imported world.
    pub world: PathBuf,
    /// With --to: the principal the paths start from (a user, role or OIDC provider ARN).
    #[arg(long, value_name = "ARN", requires = "to")]
    pub from: Option<String>,
    /// With --from: the role the paths end at.
    #[arg(long, value_name = "ARN", requires = "from")]
    pub to: Option<String>,
    /// The output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,
    /// With --format svg: lay out with Graphviz's `dot` (it must be installed)
    /// instead of the built-in renderer.
    #[arg(long)]
    pub graphviz: bool,
}

/// Formats of `xacct graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// One line per edge.
    Text,
    /// `{"edges": [...]}`.
    Json,
    /// Graphviz DOT.
    Dot,
    /// Mermaid flowchart.
    Mermaid,
    /// A self-contained SVG picture (laid out in-process; `--graphviz` uses `dot`).
    Svg,
}

/// Runs `xacct graph`.
pub fn execute(args: &GraphArgs) -> Exit {
    let loaded = match sim::load(&args.world) {
        Ok(loaded) => loaded,
        Err(e) => {
            super::eprint(&format!("error: {e}\n"));
            return Exit::InvalidInput;
        }
    };
    let graph = loaded.world.graph();
    if let (Some(from), Some(to)) = (&args.from, &args.to) {
        let paths = graph.paths(from, to);
        super::print(&render::graph::paths(&paths, from, to));
        return if paths.is_empty() {
            Exit::Denied
        } else {
            Exit::Ok
        };
    }
    let findings = loaded.world.graph_findings(&graph);
    let text = match args.format {
        GraphFormat::Text => render::graph::text(&graph, &findings),
        GraphFormat::Json => render::graph::json(&graph, &findings),
        GraphFormat::Dot => render::graph::dot(&graph, &findings),
        GraphFormat::Mermaid => render::graph::mermaid(&graph, &findings),
        GraphFormat::Svg if args.graphviz => {
            match graphviz(&render::graph::dot(&graph, &findings)) {
                Ok(svg) => svg,
                Err(message) => {
                    super::eprint(&format!("error: {message}\n"));
                    return Exit::Unexpected;
                }
            }
        }
        GraphFormat::Svg => match render::graph::svg(&graph, &findings) {
            Ok(svg) => svg,
            Err(message) => {
                super::eprint(&format!("error: {message}\n"));
                return Exit::Unexpected;
            }
        },
    };
    super::print(&text);
    Exit::Ok
}

/// `dot -Tsvg` over the DOT text.
fn graphviz(dot: &str) -> Result<String, String> {
    use std::io::Write as _;
    let mut child = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run Graphviz's `dot` ({e}); install Graphviz, or drop --graphviz to use the built-in layout"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(dot.as_bytes())
            .map_err(|e| format!("cannot feed `dot`: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("`dot` failed: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`dot` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    String::from_utf8(out.stdout).map_err(|_| "`dot` wrote no UTF-8".to_owned())
}
