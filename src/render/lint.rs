//! `xacct policy lint`'s output: one line per finding and a count, or JSON.

use serde_json::json;

use crate::iam::Finding;

/// A file that could not be linted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintError {
    /// The file, when the error is about one.
    pub file: Option<String>,
    /// Where in it, when known (`Statement[0].Action`).
    pub path: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Findings on stdout, errors for stderr.
pub fn text(findings: &[Finding], errors: &[LintError]) -> (String, String) {
    let mut out = String::new();
    for f in findings {
        let at = f
            .statement
            .map(|i| format!(" statement {i}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}{at}: {} {}: {}\n",
            f.policy, f.severity, f.rule, f.message
        ));
    }
    if errors.is_empty() {
        out.push_str(&format!(
            "{} finding{}\n",
            findings.len(),
            if findings.len() == 1 { "" } else { "s" }
        ));
    }
    let err = errors
        .iter()
        .map(|e| {
            let file = e
                .file
                .as_ref()
                .map(|f| format!("{f}: "))
                .unwrap_or_default();
            format!("error: {file}{}\n", e.message)
        })
        .collect();
    (out, err)
}

/// `{"findings": [...], "errors": [...]}`.
pub fn json(findings: &[Finding], errors: &[LintError]) -> String {
    let list: Vec<_> = findings
        .iter()
        .map(|f| json!({ "rule": f.rule, "severity": f.severity.as_str(), "file": f.policy, "statement": f.statement, "message": f.message }))
        .collect();
    let errs: Vec<_> = errors
        .iter()
        .map(|e| json!({ "file": e.file, "path": e.path, "message": e.message }))
        .collect();
    super::json::pretty(&json!({ "findings": list, "errors": errs }))
}
