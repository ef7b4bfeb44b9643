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
    super::print(&match args.format {
        GraphFormat::Text => render::graph::text(&graph, &findings),
        GraphFormat::Json => render::graph::json(&graph, &findings),
        GraphFormat::Dot => render::graph::dot(&graph),
        GraphFormat::Mermaid => render::graph::mermaid(&graph),
    });
    Exit::Ok
}
