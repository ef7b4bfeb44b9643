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

#[cfg(test)]
mod tests {
    use super::junit;
    use crate::fanout::{AccountOutcome, Attempt, FanoutReport, Skip, Target};

    #[test]
    fn names_from_an_organization_never_put_characters_xml_forbids_in_the_report() {
        let hostile = "acct\u{1b}[2J\u{0}\u{7}<&>\u{fffe}";
        let report = FanoutReport {
            accounts: vec![AccountOutcome {
                target: Target {
                    id: "222222222222".to_owned(),
                    name: Some(hostile.to_owned()),
                    ou_path: Some(format!("Root/{hostile}")),
                    skip: Some(Skip::Excluded),
                },
                role_arn: "arn:aws:iam::222222222222:role/Audit".to_owned(),
                session_name: "xacct".to_owned(),
                attempt: Attempt::Skipped(Skip::Excluded),
            }],
            tally: Default::default(),
            limiter: Default::default(),
            interrupted: false,
        };
        let xml = junit(&report, "Audit");
        // XML 1.0's Char production: tab, newline, return and U+0020 on,
        // minus the surrogates, U+FFFE and U+FFFF.
        let allowed = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
        assert!(xml.chars().all(allowed), "{xml:?}");
        assert!(xml.contains("acct\u{fffd}[2J"), "{xml}");
        assert!(xml.contains("&lt;&amp;&gt;"), "{xml}");
    }
}
