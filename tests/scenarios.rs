//! Every scenario in `scenarios/` runs here (the harness globs the folder),
//! and breaking any of its expectations makes it fail with a readable
//! mismatch.

use xacct::sim::{self, Loaded};
use xacct::sim::{AssumeExpect, BucketsExpect, ErrorExpect, ObjectExpect, StepExpect};

use crate::support::scenario_files;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

fn check(loaded: &Loaded, rt: &tokio::runtime::Runtime) -> Vec<String> {
    let mut problems: Vec<String> = sim::run_all(loaded, rt, 3)
        .expect("runs")
        .into_iter()
        .flat_map(|o| {
            o.mismatches.into_iter().map(move |m| {
                format!(
                    "{}: {}: expected {}, got {}",
                    o.run, m.field, m.expected, m.got
                )
            })
        })
        .collect();
    if let Some(spec) = &loaded.scenario.lint {
        let findings = sim::lint_world(loaded);
        problems.extend(
            sim::compare_lint(spec, &findings)
                .into_iter()
                .map(|m| format!("lint: {}: expected {}, got {}", m.field, m.expected, m.got)),
        );
    }
    problems
}

#[test]
fn every_scenario_meets_its_expectations() {
    let rt = runtime();
    let files = scenario_files();
    let names: Vec<String> = files
        .iter()
        .filter_map(|f| f.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    for required in [
        "success",
        "access-denied",
        "federated-user",
        "root-principal-overreach",
        "root-principal-fixed",
        "role-chaining",
        "external-id",
        "mfa-required",
        "explicit-deny",
        "same-account-direct-principal",
        "duration-over-max",
        "bad-session-name",
        "throttled-then-ok",
        "expired-credentials",
    ] {
        assert!(
            names.iter().any(|n| n == required),
            "scenarios/{required}.yaml is missing"
        );
    }
    let mut failures = Vec::new();
    for file in &files {
        let loaded = sim::load(file).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            loaded.scenario.description.is_some(),
            "{}: every scenario has a description",
            file.display()
        );
        failures.extend(
            check(&loaded, &rt)
                .into_iter()
                .map(|p| format!("{}: {p}", file.display())),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_error_expectation_names_its_source() {
    for file in scenario_files() {
        let loaded = sim::load(&file).unwrap_or_else(|e| panic!("{e}"));
        for run in &loaded.scenario.runs {
            let errors = [
                run.expect.source_buckets.as_ref().and_then(|b| match b {
                    BucketsExpect::Error(e) => Some(e),
                    _ => None,
                }),
                run.expect.assume_role.as_ref().and_then(|a| match a {
                    AssumeExpect::Error(e) => Some(e),
                    _ => None,
                }),
                run.expect.target_buckets.as_ref().and_then(|b| match b {
                    BucketsExpect::Error(e) => Some(e),
                    _ => None,
                }),
            ];
            for e in errors.into_iter().flatten() {
                assert!(
                    e.source.as_ref().is_some_and(|s| !s.trim().is_empty()),
                    "{}: {:?}: an error expectation without a source",
                    file.display(),
                    run.name
                );
            }
        }
    }
}

/// A changed error expectation: another code.
fn broken(e: &ErrorExpect) -> ErrorExpect {
    ErrorExpect {
        error: format!("Not{}", e.error),
        ..e.clone()
    }
}

#[test]
fn breaking_any_expectation_is_reported() {
    let rt = runtime();
    for file in scenario_files() {
        let original = sim::load(&file).unwrap_or_else(|e| panic!("{e}"));
        for (i, run) in original.scenario.runs.iter().enumerate() {
            let mut mutants = Vec::new();
            let e = &run.expect;
            if let Some(b) = &e.source_buckets {
                let mut m = run.clone();
                m.expect.source_buckets = Some(match b {
                    BucketsExpect::Names(n) => BucketsExpect::Names(
                        [n.clone(), vec!["another-bucket".to_owned()]].concat(),
                    ),
                    BucketsExpect::Error(e) => BucketsExpect::Error(broken(e)),
                });
                mutants.push(("source_buckets".to_owned(), m));
            }
            if let Some(a) = &e.assume_role {
                let mut m = run.clone();
                m.expect.assume_role = Some(match a {
                    AssumeExpect::Word(_) => AssumeExpect::Error(ErrorExpect {
                        error: "AccessDenied".to_owned(),
                        status: None,
                        message: None,
                        message_contains: None,
                        source: None,
                    }),
                    AssumeExpect::Error(_) => AssumeExpect::Word("allowed".to_owned()),
                });
                if matches!(a, AssumeExpect::Word(_)) {
                    m.expect.target_buckets = None;
                }
                mutants.push(("assume_role".to_owned(), m));
            }
            if let Some(arn) = &e.assumed_role_arn {
                let mut m = run.clone();
                m.expect.assumed_role_arn = Some(format!("{arn}-other"));
                mutants.push(("assumed_role_arn".to_owned(), m));
            }
            if let Some(b) = &e.target_buckets {
                let mut m = run.clone();
                m.expect.target_buckets = Some(match b {
                    BucketsExpect::Names(_) => BucketsExpect::Names(vec![]),
                    BucketsExpect::Error(e) => BucketsExpect::Error(broken(e)),
                });
                mutants.push(("target_buckets".to_owned(), m));
            }
            for (s, step) in run.steps.iter().enumerate() {
                let Some(expect) = step.expect() else {
                    continue;
                };
                let mut m = run.clone();
                *m.steps[s].expect_mut() = Some(broken_step(expect));
                mutants.push((format!("steps[{s}].{}", step.name()), m));
            }
            assert!(
                !mutants.is_empty(),
                "{}: run {i} checks nothing",
                file.display()
            );
            for (field, mutant) in mutants {
                // The scenario as written (a loaded one keeps no accounts).
                let mut scenario = sim::load_scenario(&file).unwrap_or_else(|e| panic!("{e}"));
                scenario.runs = vec![mutant];
                scenario.lint = None;
                let loaded = sim::build(scenario, &file.display().to_string())
                    .unwrap_or_else(|e| panic!("{e}"));
                let problems = check(&loaded, &rt);
                assert!(
                    problems
                        .iter()
                        .any(|p| p.contains(&field) && p.contains("expected") && p.contains("got")),
                    "{} run {i}: breaking {field} went unnoticed: {problems:?}",
                    file.display()
                );
            }
        }
        if let Some(spec) = &original.scenario.lint {
            let findings = sim::lint_world(&original);
            let mut flipped = spec.clone();
            std::mem::swap(&mut flipped.present, &mut flipped.absent);
            if !spec.present.is_empty() || !spec.absent.is_empty() {
                assert!(
                    !sim::compare_lint(&flipped, &findings).is_empty(),
                    "{}: flipping the lint section went unnoticed",
                    file.display()
                );
            }
        }
    }
}

/// A step expectation that the step's answer cannot meet once its own
/// expectation did: success for an error, an error for success, another
/// key list, body or size.
fn broken_step(expect: &StepExpect) -> StepExpect {
    match expect {
        StepExpect::Word(_) => StepExpect::Error(ErrorExpect {
            error: "AccessDenied".to_owned(),
            status: None,
            message: None,
            message_contains: None,
            source: None,
        }),
        StepExpect::Error(e) => StepExpect::Error(broken(e)),
        StepExpect::Keys(keys) => {
            StepExpect::Keys([keys.clone(), vec!["another-key".to_owned()]].concat())
        }
        StepExpect::Object(o) => StepExpect::Object(ObjectExpect {
            body: o.body.as_ref().map(|b| format!("{b}!")),
            size: o.size.map(|n| n + 1),
            kms_key: None,
            source: None,
        }),
    }
}
