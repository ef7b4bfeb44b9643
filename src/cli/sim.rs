//! `xacct sim PATH...`: runs every run of every scenario and checks its
//! expectations and `lint` section; one line per run, a summary line, and
//! exit 0 only when everything passes.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde_json::json;

use crate::exit::Exit;
use crate::sim::ScenarioError;
use crate::sim::runner::{self, Mismatch};

/// The output format of `xacct sim`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SimOutput {
    /// A line per run and a summary.
    #[default]
    Text,
    /// One JSON document.
    Json,
    /// JUnit XML, for CI systems.
    Junit,
}

/// Arguments of `xacct sim`.
#[derive(Debug, Args)]
pub struct SimArgs {
    /// Scenario files, or directories of them (every *.yaml inside).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The output format.
    #[arg(long, value_enum, default_value_t = SimOutput::Text)]
    pub output: SimOutput,
}

/// One checked item: a run, or a scenario's lint section.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The scenario.
    pub scenario: String,
    /// The run's label, or `lint`.
    pub name: String,
    /// What did not hold.
    pub mismatches: Vec<Mismatch>,
}

/// The scenario files under the given paths, sorted; directories give their `*.yaml` files.
pub fn scenario_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ScenarioError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| ScenarioError {
                file: path.display().to_string(),
                message: format!("cannot read the directory ({e})"),
            })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// The number of attempts, from `AWS_MAX_ATTEMPTS` as the SDK reads it.
pub fn max_attempts() -> u32 {
    std::env::var("AWS_MAX_ATTEMPTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(crate::sim::cloud::DEFAULT_MAX_ATTEMPTS)
}

/// Runs every scenario of the files; scenario errors are returned separately.
pub fn check_files(
    files: &[PathBuf],
    runtime: &tokio::runtime::Runtime,
) -> (Vec<Checked>, Vec<ScenarioError>) {
    let mut checked = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        match check_file(file, runtime) {
            Ok(items) => checked.extend(items),
            Err(e) => errors.push(e),
        }
    }
    (checked, errors)
}

fn check_file(
    file: &Path,
    runtime: &tokio::runtime::Runtime,
) -> Result<Vec<Checked>, ScenarioError> {
    let loaded = runner::load(file)?;
    let mut out: Vec<Checked> = runner::run_all(&loaded, runtime, max_attempts())?
        .into_iter()
        .map(|o| Checked {
            scenario: o.scenario,
            name: o.run,
            mismatches: o.mismatches,
        })
        .collect();
    if let Some(spec) = &loaded.scenario.lint {
        let findings = runner::lint_world(&loaded.world);
        out.push(Checked {
            scenario: loaded.scenario.name.clone(),
            name: "lint".to_owned(),
            mismatches: runner::compare_lint(spec, &findings),
        });
    }
    Ok(out)
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Runs `xacct sim`.
pub fn execute(args: &SimArgs) -> Exit {
    let runtime = match super::runtime(false) {
        Ok(rt) => rt,
        Err(message) => {
            eprintln!("error: {message}");
            return Exit::Unexpected;
        }
    };
    let (checked, errors) = match scenario_files(&args.paths) {
        Ok(files) if files.is_empty() => (
            Vec::new(),
            vec![ScenarioError {
                file: args
                    .paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                message: "no scenario files (*.yaml) found".to_owned(),
            }],
        ),
        Ok(files) => check_files(&files, &runtime),
        Err(e) => (Vec::new(), vec![e]),
    };
    let passed = checked.iter().filter(|c| c.mismatches.is_empty()).count();
    let failed = checked.len() - passed;
    match args.output {
        SimOutput::Text => {
            for c in &checked {
                let verdict = if c.mismatches.is_empty() {
                    "PASS"
                } else {
                    "FAIL"
                };
                println!("{verdict} {}: {}", c.scenario, c.name);
                for m in &c.mismatches {
                    println!("    {}: expected {}", m.field, m.expected);
                    println!("    {}  got      {}", " ".repeat(m.field.len()), m.got);
                }
            }
            for e in &errors {
                eprintln!("error: {e}");
            }
            println!("{passed} passed, {failed} failed");
        }
        SimOutput::Json => {
            let results: Vec<_> = checked
                .iter()
                .map(|c| json!({
                    "scenario": c.scenario, "run": c.name, "passed": c.mismatches.is_empty(),
                    "mismatches": c.mismatches.iter().map(|m| json!({"field": m.field, "expected": m.expected, "got": m.got})).collect::<Vec<_>>(),
                }))
                .collect();
            let errs: Vec<_> = errors
                .iter()
                .map(|e| json!({"file": e.file, "message": e.message}))
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(
                    &json!({"results": results, "passed": passed, "failed": failed, "errors": errs})
                )
                .unwrap_or_default()
            );
        }
        SimOutput::Junit => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            out.push_str(&format!("<testsuites name=\"xacct sim\" tests=\"{}\" failures=\"{failed}\" errors=\"{}\">\n", checked.len(), errors.len()));
            let mut scenarios: Vec<&str> = checked.iter().map(|c| c.scenario.as_str()).collect();
            scenarios.dedup();
            for s in scenarios {
                let cases: Vec<&Checked> = checked.iter().filter(|c| c.scenario == s).collect();
                let fails = cases.iter().filter(|c| !c.mismatches.is_empty()).count();
                out.push_str(&format!(
                    "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{fails}\">\n",
                    xml(s),
                    cases.len()
                ));
                for c in cases {
                    out.push_str(&format!(
                        "    <testcase classname=\"{}\" name=\"{}\"",
                        xml(s),
                        xml(&c.name)
                    ));
                    if c.mismatches.is_empty() {
                        out.push_str("/>\n");
                    } else {
                        let detail: Vec<String> = c
                            .mismatches
                            .iter()
                            .map(|m| format!("{}: expected {}, got {}", m.field, m.expected, m.got))
                            .collect();
                        out.push_str(&format!(
                            ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                            xml(&detail[0]),
                            xml(&detail.join("\n"))
                        ));
                    }
                }
                out.push_str("  </testsuite>\n");
            }
            for e in &errors {
                out.push_str(&format!("  <testsuite name=\"{}\" tests=\"1\" errors=\"1\">\n    <testcase classname=\"{0}\" name=\"load\">\n      <error message=\"{}\"/>\n    </testcase>\n  </testsuite>\n", xml(&e.file), xml(&e.message)));
            }
            out.push_str("</testsuites>\n");
            print!("{out}");
        }
    }
    if !errors.is_empty() {
        Exit::InvalidInput
    } else if failed > 0 {
        Exit::CheckFailed
    } else {
        Exit::Ok
    }
}
