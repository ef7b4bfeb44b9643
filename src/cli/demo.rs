//! `xacct demo [FILE]`: narrates a scenario for teaching. Without a file it
//! plays the classic flow and then the root-principal overreach, both
//! embedded in the binary, so it works from any directory.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::exit::Exit;
use crate::render;
use crate::render::html::Section;
use crate::render::narrate::{self, Style};
use crate::sim::{self, Loaded, ScenarioError};

/// The scenarios `xacct demo` plays without a file: (file name, text).
pub(super) const EMBEDDED: [(&str, &str); 2] = [
    ("success.yaml", include_str!("../../scenarios/success.yaml")),
    (
        "root-principal-overreach.yaml",
        include_str!("../../scenarios/root-principal-overreach.yaml"),
    ),
];

/// Arguments of `xacct demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Scenario files, told in order; without any, the embedded classic scenarios.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Also write the demo as one self-contained HTML page, with each
    /// scenario's who-can-assume picture (SVG).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// The columns to wrap to: `COLUMNS` when it is a number, else the
/// terminal's width on a terminal, else 80 (a pipe or a file gets the same
/// text on every machine).
fn columns() -> usize {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return n;
    }
    if std::io::stdout().is_terminal()
        && let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size()
    {
        return usize::from(w);
    }
    narrate::WIDTH
}

/// Whether to colour: only on a terminal, never with `NO_COLOR`.
fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Runs `xacct demo`.
pub(super) fn execute(args: &DemoArgs) -> Exit {
    let runtime = match super::runtime(false) {
        Ok(rt) => rt,
        Err(message) => {
            super::eprint(&format!("error: {message}\n"));
            return Exit::Unexpected;
        }
    };
    let style = Style::new(colour()).width(columns());
    let loaded: Vec<Result<Loaded, ScenarioError>> = if args.files.is_empty() {
        EMBEDDED
            .iter()
            .map(|(file, text)| sim::parse(text, file).and_then(|s| sim::build(s, file)))
            .collect()
    } else {
        args.files.iter().map(|path| sim::load(path)).collect()
    };
    let count = loaded.len();
    let mut exit = Exit::Ok;
    let mut sections = Vec::new();
    for (i, item) in loaded.into_iter().enumerate() {
        if i > 0 {
            super::print("\n");
        }
        let narrated = item.and_then(|l| {
            let outcomes = sim::run_all(&l, &runtime, crate::backend::max_attempts())?;
            let findings = sim::lint_world(&l);
            let graph = l.world.graph();
            let graph_findings = l.world.graph_findings(&graph);
            let told = |style| {
                narrate::scenario(&l, &outcomes, &findings, (&graph, &graph_findings), style)
            };
            if args.html.is_some() {
                if std::io::stderr().is_terminal() {
                    super::eprint(&format!(
                        "drawing {} ({} of {count}) for {}\n",
                        l.scenario.name,
                        i + 1,
                        args.html.as_deref().unwrap_or(Path::new("")).display()
                    ));
                }
                sections.push(Section {
                    name: l.scenario.name.clone(),
                    narration: told(Style::new(false)).0,
                    svg: render::graph::svg(
                        &graph,
                        &graph.edges().iter().collect::<Vec<_>>(),
                        &render::graph::flagged(&l, &graph_findings, &findings)
                            .iter()
                            .map(String::as_str)
                            .collect::<Vec<_>>(),
                        render::graph::Detail::Principals,
                    )
                    .ok(),
                });
            }
            Ok(told(style))
        });
        match narrated {
            Ok((text, passed)) => {
                super::print(&text);
                if !passed {
                    exit = Exit::CheckFailed;
                }
            }
            Err(e) => {
                super::eprint(&format!("error: {e}\n"));
                return Exit::InvalidInput;
            }
        }
    }
    if let Some(path) = &args.html
        && let Err(e) = std::fs::write(path, render::html::demo_page(&sections))
    {
        super::eprint(&format!("error: cannot write {}: {e}\n", path.display()));
        return Exit::Unexpected;
    }
    exit
}
