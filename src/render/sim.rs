//! The results of `xacct sim`: a line per checked item and a summary, one
//! JSON document, or JUnit XML for CI systems.

use serde_json::json;

use crate::sim::{Checked, Checks};

/// A line per item (with what did not hold), and `N passed, M failed`,
/// with `, K files invalid` when some file did not load (so a run of only
/// broken files never reads as a clean `0 passed, 0 failed`). Scenario
/// errors go to the second string (stderr).
pub fn text(checks: &Checks) -> (String, String) {
    let mut out = String::new();
    for c in &checks.checked {
        let verdict = if c.mismatches.is_empty() {
            "PASS"
        } else {
            "FAIL"
        };
        out.push_str(&format!("{verdict} {}: {}\n", c.scenario, c.name));
        for m in &c.mismatches {
            out.push_str(&format!("    {}: expected {}\n", m.field, m.expected));
            out.push_str(&format!(
                "    {}  got      {}\n",
                " ".repeat(m.field.len()),
                m.got
            ));
        }
    }
    let invalid = match checks.errors.len() {
        0 => String::new(),
        1 => ", 1 file invalid".to_owned(),
        n => format!(", {n} files invalid"),
    };
    out.push_str(&format!(
        "{} passed, {} failed{invalid}\n",
        checks.passed(),
        checks.failed()
    ));
    let errors = checks
        .errors
        .iter()
        .map(|e| format!("error: {e}\n"))
        .collect();
    (out, errors)
}

/// `{"results": [...], "passed": N, "failed": M, "errors": [...]}`.
pub fn json(checks: &Checks) -> String {
    let results: Vec<_> = checks
        .checked
        .iter()
        .map(|c| {
            json!({
                "scenario": c.scenario, "run": c.name, "passed": c.mismatches.is_empty(),
                "mismatches": c.mismatches.iter().map(|m| json!({"field": m.field, "expected": m.expected, "got": m.got})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let errors: Vec<_> = checks
        .errors
        .iter()
        .map(|e| json!({"file": e.file, "message": e.message}))
        .collect();
    super::json::pretty(&json!({
        "results": results, "passed": checks.passed(), "failed": checks.failed(), "errors": errors
    }))
}

fn testcase(scenario: &str, c: &Checked) -> String {
    let mut out = format!(
        "    <testcase classname=\"{}\" name=\"{}\"",
        super::xml(scenario),
        super::xml(&c.name)
    );
    if c.mismatches.is_empty() {
        out.push_str("/>\n");
        return out;
    }
    let detail: Vec<String> = c
        .mismatches
        .iter()
        .map(|m| format!("{}: expected {}, got {}", m.field, m.expected, m.got))
        .collect();
    out.push_str(&format!(
        ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
        super::xml(&detail[0]),
        super::xml(&detail.join("\n"))
    ));
    out
}

/// JUnit XML: a test suite per scenario, a test case per checked item, and
/// a suite with one error per file that could not be used.
pub fn junit(checks: &Checks) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"xacct sim\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
        checks.checked.len(),
        checks.failed(),
        checks.errors.len()
    ));
    let mut scenarios: Vec<&str> = checks.checked.iter().map(|c| c.scenario.as_str()).collect();
    scenarios.dedup();
    for s in scenarios {
        let cases: Vec<&Checked> = checks.checked.iter().filter(|c| c.scenario == s).collect();
        let fails = cases.iter().filter(|c| !c.mismatches.is_empty()).count();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{fails}\">\n",
            super::xml(s),
            cases.len()
        ));
        for c in cases {
            out.push_str(&testcase(s, c));
        }
        out.push_str("  </testsuite>\n");
    }
    for e in &checks.errors {
        out.push_str(&format!("  <testsuite name=\"{}\" tests=\"1\" errors=\"1\">\n    <testcase classname=\"{0}\" name=\"load\">\n      <error message=\"{}\"/>\n    </testcase>\n  </testsuite>\n", super::xml(&e.file), super::xml(&e.message)));
    }
    out.push_str("</testsuites>\n");
    out
}
