//! Comparing what happened with what a scenario expects: each run's
//! listings and AssumeRole answer, and the linter's findings.

use super::scenario::{self, AssumeExpect, BucketsExpect, ErrorExpect, RunSpec};
use xacct_aws::cloud::{Bucket, CloudError};
use xacct_aws::flow::Report;
use xacct_iam::Finding;

/// One expectation that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// `source_buckets`, `assume_role`, `assumed_role_arn`, `target_buckets`, `lint`.
    pub field: String,
    /// What the scenario expects.
    pub expected: String,
    /// What happened.
    pub got: String,
}

pub(super) fn show_error(e: &CloudError) -> String {
    format!("error {}", e.summary())
}

pub(super) fn show_expected_error(e: &ErrorExpect) -> String {
    let mut text = format!("error {}", e.error);
    if let Some(status) = e.status {
        text.push_str(&format!(" (HTTP {status})"));
    }
    if let Some(m) = &e.message {
        text.push_str(&format!(": {m}"));
    }
    if let Some(m) = &e.message_contains {
        text.push_str(&format!(": ...{m}..."));
    }
    text
}

pub(super) fn error_matches(e: &ErrorExpect, got: &CloudError) -> bool {
    got.code.as_deref() == Some(e.error.as_str())
        && e.status.is_none_or(|s| got.status == Some(s))
        && e.message.as_ref().is_none_or(|m| *m == got.message)
        && e.message_contains
            .as_ref()
            .is_none_or(|m| got.message.contains(m.as_str()))
}

fn show_buckets(list: &[Bucket]) -> String {
    let mut names: Vec<&str> = list.iter().map(|b| b.name.as_str()).collect();
    names.sort_unstable();
    format!("[{}]", names.join(", "))
}

fn compare_buckets(
    field: &str,
    expected: &BucketsExpect,
    got: Option<&Result<Vec<Bucket>, CloudError>>,
    out: &mut Vec<Mismatch>,
) {
    let shown_expected = match expected {
        BucketsExpect::Names(names) => {
            let mut names = names.clone();
            names.sort();
            format!("[{}]", names.join(", "))
        }
        BucketsExpect::Error(e) => show_expected_error(e),
    };
    let ok = match (expected, got) {
        (BucketsExpect::Names(names), Some(Ok(list))) => {
            let mut a: Vec<&str> = names.iter().map(String::as_str).collect();
            let mut b: Vec<&str> = list.iter().map(|b| b.name.as_str()).collect();
            a.sort_unstable();
            b.sort_unstable();
            a == b
        }
        (BucketsExpect::Error(e), Some(Err(got))) => error_matches(e, got),
        _ => false,
    };
    if !ok {
        let shown_got = match got {
            Some(Ok(list)) => show_buckets(list),
            Some(Err(e)) => show_error(e),
            None => "nothing: the flow stopped at AssumeRole".to_owned(),
        };
        out.push(Mismatch {
            field: field.to_owned(),
            expected: shown_expected,
            got: shown_got,
        });
    }
}

/// Whether `read_bucket`'s keys are the expected ones (or the error).
pub fn compare_objects(
    run: &RunSpec,
    objects: Option<&Result<Vec<String>, CloudError>>,
) -> Vec<Mismatch> {
    let mut out = Vec::new();
    if let Some(e) = &run.expect.bucket_objects {
        // Keys compare as names do; a key is shown like a bucket name.
        let as_names = objects.map(|r| {
            r.as_ref()
                .map(|keys| {
                    keys.iter()
                        .map(|k| Bucket {
                            name: k.clone(),
                            created: None,
                        })
                        .collect()
                })
                .map_err(Clone::clone)
        });
        compare_buckets("bucket_objects", e, as_names.as_ref(), &mut out);
    }
    out
}

/// The expectations of a run that the report does not meet.
pub fn compare(run: &RunSpec, report: &Report) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let expect = &run.expect;
    if let Some(e) = &expect.source_buckets {
        compare_buckets(
            "source_buckets",
            e,
            report.source_buckets.as_ref(),
            &mut out,
        );
    }
    if let Some(e) = &expect.assume_role {
        let (ok, shown) = match e {
            AssumeExpect::Word(_) => (report.assumed().is_some(), "allowed".to_owned()),
            AssumeExpect::Error(e) => (
                report
                    .assume_role
                    .as_ref()
                    .and_then(|a| a.as_ref().err())
                    .is_some_and(|got| error_matches(e, got)),
                show_expected_error(e),
            ),
        };
        if !ok {
            let got = match &report.assume_role {
                Some(Ok(a)) => format!("allowed ({})", a.arn),
                Some(Err(e)) => show_error(e),
                None => "no AssumeRole: the run has no role_arn".to_owned(),
            };
            out.push(Mismatch {
                field: "assume_role".to_owned(),
                expected: shown,
                got,
            });
        }
    }
    if let Some(arn) = &expect.source_identity {
        let got = match &report.source_identity {
            Some(Ok(i)) => Ok(i.arn.clone()),
            Some(Err(e)) => Err(show_error(e)),
            None => Err("no base credentials (a web identity start)".to_owned()),
        };
        if got.as_ref().ok() != Some(arn) {
            out.push(Mismatch {
                field: "source_identity".to_owned(),
                expected: arn.clone(),
                got: got.unwrap_or_else(|e| e),
            });
        }
    }
    if let Some(arn) = &expect.assumed_role_arn {
        let got = match &report.assume_role {
            Some(Ok(a)) => Ok(a.arn.clone()),
            Some(Err(e)) => Err(show_error(e)),
            None => Err("no AssumeRole: the run has no role_arn".to_owned()),
        };
        if got.as_ref().ok() != Some(arn) {
            out.push(Mismatch {
                field: "assumed_role_arn".to_owned(),
                expected: arn.clone(),
                got: got.unwrap_or_else(|e| e),
            });
        }
    }
    if let Some(e) = &expect.target_buckets {
        compare_buckets(
            "target_buckets",
            e,
            report.target_buckets.as_ref(),
            &mut out,
        );
    }
    out
}

/// The `lint` expectations that the findings do not meet.
pub fn compare_lint(spec: &scenario::LintSpec, findings: &[Finding]) -> Vec<Mismatch> {
    let found = |rule: &str, at: Option<&str>| {
        findings
            .iter()
            .any(|f| f.rule == rule && at.is_none_or(|a| f.policy == a))
    };
    let place = |at: &Option<String>| at.as_ref().map(|a| format!(" at {a}")).unwrap_or_default();
    let mut out = Vec::new();
    for p in &spec.present {
        if !found(&p.rule, p.at.as_deref()) {
            out.push(Mismatch {
                field: "lint.present".to_owned(),
                expected: format!("{}{}", p.rule, place(&p.at)),
                got: "not reported".to_owned(),
            });
        }
    }
    for a in &spec.absent {
        if found(&a.rule, a.at.as_deref()) {
            out.push(Mismatch {
                field: "lint.absent".to_owned(),
                expected: format!("no {}{}", a.rule, place(&a.at)),
                got: "reported".to_owned(),
            });
        }
    }
    out
}
