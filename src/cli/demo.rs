//! `xacct demo [FILE]`: narrates a scenario for teaching. Without a file it
//! plays the classic flow and then the root-principal overreach, both
//! embedded in the binary, so it works from any directory.

use std::io::IsTerminal as _;
use std::path::PathBuf;

use clap::Args;

use crate::exit::Exit;
use crate::sim::narrate::{self, Style};
use crate::sim::runner;
use crate::sim::scenario;

/// The scenarios `xacct demo` plays without a file: (file name, text).
pub const EMBEDDED: [(&str, &str); 2] = [
    ("success.yaml", include_str!("../../scenarios/success.yaml")),
    (
        "root-principal-overreach.yaml",
        include_str!("../../scenarios/root-principal-overreach.yaml"),
    ),
];

/// Arguments of `xacct demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// A scenario file; without one, the embedded classic scenarios.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// Whether to colour: only on a terminal, never with `NO_COLOR`.
fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Narrates one scenario.
pub fn narrate(
    loaded: &runner::Loaded,
    style: Style,
    runtime: &tokio::runtime::Runtime,
) -> Result<(String, bool), scenario::ScenarioError> {
    let s = &loaded.scenario;
    let title = format!("xacct demo: {}", s.name);
    let mut out = format!("{}\n{}\n", title, "=".repeat(title.len()));
    if let Some(d) = &s.description {
        out.push_str(&narrate::wrap(d, 0));
    }
    out.push('\n');
    out.push_str(&narrate::world(loaded, style));
    let outcomes = runner::run_all(loaded, runtime, crate::cli::sim::max_attempts())?;
    let all_pass = outcomes.iter().all(|o| o.mismatches.is_empty());
    for (i, o) in outcomes.iter().enumerate() {
        out.push_str(&narrate::run(i, o, style));
    }
    out.push_str(&narrate::findings(
        &runner::lint_world(&loaded.world),
        style,
    ));
    Ok((out, all_pass))
}

/// Runs `xacct demo`.
pub fn execute(args: &DemoArgs) -> Exit {
    let runtime = match super::runtime(false) {
        Ok(rt) => rt,
        Err(message) => {
            eprintln!("error: {message}");
            return Exit::Unexpected;
        }
    };
    let style = Style::new(colour());
    let loaded: Vec<Result<runner::Loaded, scenario::ScenarioError>> = match &args.file {
        Some(path) => vec![runner::load(path)],
        None => EMBEDDED
            .iter()
            .map(|(file, text)| scenario::parse(text, file).and_then(|s| runner::build(s, file)))
            .collect(),
    };
    let mut exit = Exit::Ok;
    for (i, item) in loaded.into_iter().enumerate() {
        if i > 0 {
            println!();
        }
        match item.and_then(|l| narrate(&l, style, &runtime)) {
            Ok((text, passed)) => {
                print!("{text}");
                if !passed {
                    exit = Exit::CheckFailed;
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                return Exit::InvalidInput;
            }
        }
    }
    exit
}
