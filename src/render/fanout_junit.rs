//! A run across accounts as JUnit XML: one test case per account; a refused
//! AssumeRole is a failure, any other failed step an error, an account not
//! entered is skipped.

use super::xml;
use crate::fanout::{AccountOutcome, Attempt, FanoutReport, Status, Work};

fn body(outcome: &AccountOutcome) -> String {
    let mut out = String::new();
    let message = match &outcome.attempt {
        Attempt::Skipped(skip) => {
            return format!("      <skipped message=\"{}\"/>\n", xml(&skip.reason()));
        }
        Attempt::Entered { assume: Err(e), .. } => Some((e.code.clone(), e.to_string())),
        Attempt::Entered {
            work: Some(Work::Buckets(Err(e))),
            ..
        } => Some((e.code.clone(), e.to_string())),
        Attempt::Entered {
            work: Some(Work::Exec(Err(e))),
            ..
        } => Some((None, e.clone())),
        Attempt::Entered {
            work: Some(Work::Exec(Ok(run))),
            ..
        } if !run.succeeded() => Some((
            None,
            run.code.map_or_else(
                || "the command was ended by a signal".to_owned(),
                |c| format!("the command exited with {c}"),
            ),
        )),
        Attempt::Entered { .. } => None,
    };
    if let Some((code, message)) = message {
        let tag = if outcome.status() == Status::AssumeDenied {
            "failure"
        } else {
            "error"
        };
        let cause = outcome
            .denial_cause()
            .map(|c| format!("likely cause: {}", c.explain(outcome.role_name())))
            .unwrap_or_default();
        out.push_str(&format!(
            "      <{tag} type=\"{}\" message=\"{}\">{}</{tag}>\n",
            xml(code.as_deref().unwrap_or("error")),
            xml(&message),
            xml(&cause)
        ));
    }
    if let Attempt::Entered {
        work: Some(Work::Exec(Ok(run))),
        ..
    } = &outcome.attempt
    {
        out.push_str(&format!(
            "      <system-out>{}</system-out>\n",
            xml(&run.stdout)
        ));
        if !run.stderr.is_empty() {
            out.push_str(&format!(
                "      <system-err>{}</system-err>\n",
                xml(&run.stderr)
            ));
        }
    }
    out
}

/// The whole run as JUnit XML, one test suite.
pub fn junit(report: &FanoutReport, role_name: &str) -> String {
    let t = &report.tally;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let counts = format!(
        "tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\"",
        t.total(),
        t.assume_denied,
        t.failed,
        t.not_attempted
    );
    out.push_str(&format!("<testsuites name=\"xacct run\" {counts}>\n"));
    out.push_str(&format!(
        "  <testsuite name=\"{}\" {counts}>\n",
        xml(&format!("assume {role_name} in each account"))
    ));
    for o in &report.accounts {
        let name = match &o.target.name {
            Some(name) if name != &o.target.id => format!("{} ({name})", o.target.id),
            _ => o.target.id.clone(),
        };
        let class = format!(
            "xacct.{}",
            o.target
                .ou_path
                .as_deref()
                .unwrap_or("accounts")
                .replace('/', ".")
        );
        let inner = body(o);
        if inner.is_empty() {
            out.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\"/>\n",
                xml(&class),
                xml(&name)
            ));
        } else {
            out.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\">\n{inner}    </testcase>\n",
                xml(&class),
                xml(&name)
            ));
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
