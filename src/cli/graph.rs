//! `xacct graph`: who can assume which role in a world, decided by the IAM
//! engine three ways (always, conditional, never); or the paths from one
//! principal, to one role, or between them.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::exit::Exit;
use crate::render;
use crate::sim::{self, DataEdge, Edge, Graph, GraphFinding, NodeId};

/// Arguments of `xacct graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The scenario or imported world.
    pub world: PathBuf,
    /// The principal paths start from (a user, role or OIDC provider ARN):
    /// alone, every role it can reach; with --to, the paths between them.
    #[arg(long, value_name = "ARN")]
    pub from: Option<String>,
    /// The role paths end at: alone, every principal that can reach it;
    /// with --from, the paths between them.
    #[arg(long, value_name = "ARN")]
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
pub(super) fn execute(args: &GraphArgs) -> Exit {
    let loaded = match sim::load(&args.world) {
        Ok(loaded) => loaded,
        Err(e) => {
            super::eprint(&format!("error: {e}\n"));
            return Exit::InvalidInput;
        }
    };
    let graph = loaded.world.graph();
    let explainer = loaded.world.explainer();
    let why = |e: &Edge| explainer.why(&graph, e);
    if args.from.is_some() || args.to.is_some() {
        return paths(args, &loaded, &graph, &why);
    }
    let data = loaded.world.data_edges();
    let mut findings = loaded.world.graph_findings(&graph);
    findings.extend(loaded.world.data_findings(&data));
    let edges: Vec<&Edge> = graph.edges().iter().collect();
    let text = match draw(args, (&graph, &data), &edges, &findings, &why) {
        Ok(text) => text,
        Err(message) => {
            super::eprint(&format!("error: {message}\n"));
            return Exit::Unexpected;
        }
    };
    super::print(&text);
    Exit::Ok
}

/// The graph (or some of its edges) in the chosen format.
fn draw(
    args: &GraphArgs,
    (graph, data): (&Graph, &[DataEdge]),
    edges: &[&Edge],
    findings: &[GraphFinding],
    why: render::graph::Why<'_>,
) -> Result<String, String> {
    Ok(match args.format {
        GraphFormat::Text => render::graph::text(graph, findings) + &render::data_graph::text(data),
        GraphFormat::Json => render::graph::json(graph, data, findings, why),
        GraphFormat::Dot => render::graph::dot(graph, edges, findings),
        GraphFormat::Mermaid => render::graph::mermaid(graph, edges, findings),
        GraphFormat::Svg if args.graphviz => graphviz(&render::graph::dot(graph, edges, findings))?,
        GraphFormat::Svg => render::graph::svg(graph, edges, findings)?,
    })
}

/// `--from` and/or `--to`: the paths between them, every role one
/// principal reaches, or every principal that reaches one role; exit 2
/// when there is none.
fn paths(
    args: &GraphArgs,
    loaded: &sim::Loaded,
    graph: &Graph,
    why: render::graph::Why<'_>,
) -> Exit {
    let node = |arn: &Option<String>, what: &str| -> Result<Option<NodeId>, Exit> {
        let Some(arn) = arn else { return Ok(None) };
        match graph.id(arn) {
            Some(id) => Ok(Some(id)),
            None => {
                super::eprint(&format!(
                    "error: {what} {arn} is no {} of the world{}\n",
                    if what == "--to" { "role" } else { "principal" },
                    loaded.world.nearest_hint(arn)
                ));
                Err(Exit::InvalidInput)
            }
        }
    };
    let (from, to) = match (node(&args.from, "--from"), node(&args.to, "--to")) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(exit), _) | (_, Err(exit)) => return exit,
    };
    let ends = graph.ends(from, to);
    let (from_arn, to_arn) = (
        args.from.as_deref().unwrap_or_default(),
        args.to.as_deref().unwrap_or_default(),
    );
    let text = match args.format {
        GraphFormat::Text => match (from, to) {
            (Some(_), Some(_)) => {
                let list: Vec<Vec<&Edge>> = ends.iter().map(|(_, p)| p.clone()).collect();
                render::graph::paths(graph, &list, from_arn, to_arn, why)
            }
            (Some(_), None) => render::graph::reach(
                graph,
                &ends,
                &format!("{from_arn} can reach:"),
                &format!("{from_arn} can reach no role"),
                why,
            ),
            _ => render::graph::reach(
                graph,
                &ends,
                &format!("can reach {to_arn}:"),
                &format!("no principal can reach {to_arn}"),
                why,
            ),
        },
        GraphFormat::Json => render::graph::paths_json(graph, &ends, why),
        _ => {
            let mut edges: Vec<&Edge> = ends.iter().flat_map(|(_, p)| p.iter().copied()).collect();
            edges.sort_by_key(|e| (e.from, e.to));
            edges.dedup_by_key(|e| (e.from, e.to));
            match draw(args, (graph, &[]), &edges, &[], why) {
                Ok(text) => text,
                Err(message) if ends.is_empty() => format!("{message}\n"),
                Err(message) => {
                    super::eprint(&format!("error: {message}\n"));
                    return Exit::Unexpected;
                }
            }
        }
    };
    super::print(&text);
    if ends.is_empty() {
        Exit::Denied
    } else {
        Exit::Ok
    }
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
