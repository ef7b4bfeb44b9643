//! `xacct graph`: who can assume which role in a world, decided by the IAM
//! engine three ways (always, conditional, never); or the paths from one
//! principal, to one role, or between them.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::exit::Exit;
use crate::graph_view::Selection;
use crate::render;
use crate::render::graph::Detail;
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
    /// instead of the built-in layout.
    #[arg(long)]
    pub graphviz: bool,
    /// Only edges with the caller or the role in this account (repeatable).
    #[arg(long, value_name = "ID")]
    pub account: Vec<String>,
    /// Only roles matching this name or ARN (`*`, `?` wildcards;
    /// repeatable), with every chain of edges into them.
    #[arg(long, value_name = "PATTERN")]
    pub role: Vec<String>,
    /// Only edges touching a principal a finding names (the analysis's or
    /// the linter's), or whose caller is outside the organization.
    #[arg(long)]
    pub findings_only: bool,
    /// One node per account: an edge says how many principals of one
    /// account can assume roles of the other (text, dot, mermaid, svg).
    #[arg(long)]
    pub collapse_accounts: bool,
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
    let selection = match Selection::new(&args.account, &args.role, args.findings_only) {
        Ok(selection) => selection,
        Err(e) => {
            super::eprint(&format!("error: {e}\n"));
            return Exit::InvalidInput;
        }
    };
    if args.collapse_accounts && args.format == GraphFormat::Json {
        super::eprint(
            "error: --collapse-accounts draws pictures and text: use --format text, dot, mermaid or svg (JSON always lists every edge)\n",
        );
        return Exit::InvalidInput;
    }
    let data = loaded.world.data_edges();
    let mut findings = loaded.world.graph_findings(&graph);
    findings.extend(loaded.world.data_findings(&data));
    let lint = sim::lint_world(&loaded);
    let marked = render::graph::flagged(&loaded, &findings, &lint);
    let flagged: Vec<&str> = marked.iter().map(String::as_str).collect();
    let edges = selection.select(&graph, &flagged);
    if edges.is_empty() && !selection.is_everything() {
        super::eprint(&format!(
            "no edge of {} matches {}\n",
            args.world.display(),
            selection.describe()
        ));
        return Exit::Denied;
    }
    let view = View {
        edges: &edges,
        flagged: &flagged,
        detail: if args.collapse_accounts {
            Detail::Accounts
        } else {
            Detail::Principals
        },
        whole: selection.is_everything(),
    };
    let findings = selection.findings_about(&graph, &edges, &findings);
    let text = match draw(args, (&graph, &data), &view, &findings, &why) {
        Ok(text) => text,
        Err(message) => {
            super::eprint(&format!("error: {message}\n"));
            return Exit::Unexpected;
        }
    };
    super::print(&text);
    Exit::Ok
}

/// The edges shown and how.
struct View<'a> {
    edges: &'a [&'a Edge],
    flagged: &'a [&'a str],
    detail: Detail,
    /// No selection: the data edges and every finding go with the text.
    whole: bool,
}

/// The graph (or some of its edges) in the chosen format.
fn draw(
    args: &GraphArgs,
    (graph, data): (&Graph, &[DataEdge]),
    view: &View<'_>,
    findings: &[GraphFinding],
    why: render::graph::Why<'_>,
) -> Result<String, String> {
    let (edges, flagged, detail) = (view.edges, view.flagged, view.detail);
    let data: &[DataEdge] = if view.whole { data } else { &[] };
    Ok(match args.format {
        GraphFormat::Text if detail == Detail::Accounts => {
            render::graph::accounts_text(graph, edges, flagged)
        }
        GraphFormat::Text => {
            render::graph::text_of(graph, edges, findings) + &render::data_graph::text(data)
        }
        GraphFormat::Json => render::graph::json(graph, (edges, data), findings, why),
        GraphFormat::Dot => render::graph::dot(graph, edges, flagged, detail),
        GraphFormat::Mermaid => render::graph::mermaid(graph, edges, flagged, detail),
        GraphFormat::Svg if args.graphviz => {
            graphviz(&render::graph::dot(graph, edges, flagged, detail))?
        }
        GraphFormat::Svg => render::graph::svg(graph, edges, flagged, detail)?,
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
            let view = View {
                edges: &edges,
                flagged: &[],
                detail: Detail::Principals,
                whole: false,
            };
            match draw(args, (graph, &[]), &view, &[], why) {
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
