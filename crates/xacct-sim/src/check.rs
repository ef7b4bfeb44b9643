//! Checking scenario files, as `xacct sim` does: every run's expectations
//! and every `lint` section, one item each, with scenario errors apart.

use std::path::{Path, PathBuf};

use super::expect::{Mismatch, compare_lint};
use super::lint_world::lint_world;
use super::loaded::load;
use super::run::run_all;
use super::scenario::ScenarioError;

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

/// What checking a set of paths found.
#[derive(Debug, Clone, Default)]
pub struct Checks {
    /// Every item checked, in file and run order.
    pub checked: Vec<Checked>,
    /// Files that could not be used.
    pub errors: Vec<ScenarioError>,
}

impl Checks {
    /// How many items passed.
    pub fn passed(&self) -> usize {
        self.checked
            .iter()
            .filter(|c| c.mismatches.is_empty())
            .count()
    }

    /// How many items failed.
    pub fn failed(&self) -> usize {
        self.checked.len() - self.passed()
    }
}

/// The scenario files under the given paths, sorted; directories give their
/// `*.yaml` and `*.yml` files.
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

/// Checks every scenario under `paths`, with `max_attempts` per call.
pub fn check_paths(
    paths: &[PathBuf],
    runtime: &tokio::runtime::Runtime,
    max_attempts: u32,
) -> Checks {
    let mut checks = Checks::default();
    match scenario_files(paths) {
        Ok(files) if files.is_empty() => checks.errors.push(ScenarioError {
            file: paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            message: "no scenario files (*.yaml) found".to_owned(),
        }),
        Ok(files) => {
            for file in files {
                match check_file(&file, runtime, max_attempts) {
                    Ok(items) => checks.checked.extend(items),
                    Err(e) => checks.errors.push(e),
                }
            }
        }
        Err(e) => checks.errors.push(e),
    }
    checks
}

fn check_file(
    file: &Path,
    runtime: &tokio::runtime::Runtime,
    max_attempts: u32,
) -> Result<Vec<Checked>, ScenarioError> {
    let loaded = load(file)?;
    let mut out: Vec<Checked> = run_all(&loaded, runtime, max_attempts)?
        .into_iter()
        .map(|o| Checked {
            scenario: o.scenario,
            name: o.run,
            mismatches: o.mismatches,
        })
        .collect();
    if !loaded.scenario.assertions.is_empty() {
        let graph = loaded.world.graph();
        for a in &loaded.scenario.assertions {
            out.push(Checked {
                scenario: loaded.scenario.name.clone(),
                name: a.label(),
                mismatches: a.check(&loaded.world, &graph),
            });
        }
    }
    if let Some(spec) = &loaded.scenario.lint {
        out.push(Checked {
            scenario: loaded.scenario.name.clone(),
            name: "lint".to_owned(),
            mismatches: compare_lint(spec, &lint_world(&loaded)),
        });
    }
    Ok(out)
}
