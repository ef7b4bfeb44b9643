//! `xacct policy eval` and `xacct policy lint` end to end: decisions and
//! exit codes, the explanation, located parse errors, and the linter's
//! findings on the classic trust policies.

use std::process::{Command, Output};

fn xacct(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xacct"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const HOMES: &str = "arn:aws:iam::111111111111:user/homes";
const INTERN: &str = "arn:aws:iam::111111111111:user/intern";
const ROLE: &str = "arn:aws:iam::222222222222:role/s3-viewer";

fn eval(principal: &str, trust: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "policy",
        "eval",
        "--principal",
        principal,
        "--action",
        "sts:AssumeRole",
        "--resource",
        ROLE,
        "--identity-policy",
        "tests/policies/homes-identity.json",
        "--resource-policy",
        trust,
    ];
    args.extend_from_slice(extra);
    xacct(&args)
}

#[test]
fn eval_allows_the_named_user_and_explains_why() {
    let out = eval(HOMES, "tests/policies/trust-homes.json", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("decision: ALLOW\n"), "{text}");
    assert!(text.contains("cross-account"), "{text}");
    assert!(text.contains("trust policy `tests/policies/trust-homes.json` statement 0 Allow - applies (principal matched: the IAM user itself)"), "{text}");
    assert!(text.contains("identity policy `tests/policies/homes-identity.json` statement 1 Allow - does not apply: Action does not match"), "{text}");
}

#[test]
fn eval_denies_another_user_with_exit_2_and_names_the_missing_side() {
    let out = eval(
        INTERN,
        "tests/policies/trust-homes.json",
        &["--output", "json"],
    );
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["decision"], "implicit-deny");
    assert_eq!(json["missing"], serde_json::json!(["trust-policy"]));
    assert_eq!(json["statements"][2]["mismatch"]["element"], "principal");
    assert!(json["summary"].as_str().is_some_and(|s| s.contains("the trust policy of arn:aws:iam::222222222222:role/s3-viewer does not allow arn:aws:iam::111111111111:user/intern")));
}

#[test]
fn eval_shows_the_root_principal_overreach() {
    let out = eval(
        INTERN,
        "tests/policies/trust-account-root.json",
        &["--output", "json"],
    );
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["decision"], "allow");
    assert_eq!(
        json["statements"][2]["principal_match"],
        "the caller's account"
    );
}

#[test]
fn eval_external_id_from_context() {
    let base = ["--context", "sts:ExternalId=partner-7f3a"];
    let ok = eval(INTERN, "tests/policies/trust-external-id.yaml", &base);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    let wrong = eval(
        INTERN,
        "tests/policies/trust-external-id.yaml",
        &["--context", "sts:ExternalId=other"],
    );
    assert_eq!(wrong.status.code(), Some(2));
    assert!(
        stdout(&wrong)
            .contains("sts:ExternalId = `other` does not match StringEquals `partner-7f3a`"),
        "{}",
        stdout(&wrong)
    );
}

#[test]
fn eval_explicit_deny_names_the_statement() {
    let dir = tempfile::tempdir().expect("temp dir");
    let deny = dir.path().join("deny.json");
    std::fs::write(&deny, r#"{"Version":"2012-10-17","Statement":[{"Sid":"Quarantine","Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}]}"#).expect("write");
    let deny = deny.display().to_string();
    let out = eval(
        HOMES,
        "tests/policies/trust-homes.json",
        &["--identity-policy", &deny, "--output", "json"],
    );
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["decision"], "explicit-deny");
    assert_eq!(json["deciding"][0]["sid"], "Quarantine");
}

#[test]
fn eval_bad_input_exits_3_and_points_at_the_place() {
    let out = xacct(&[
        "policy",
        "eval",
        "--principal",
        HOMES,
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::b/k",
        "--identity-policy",
        "tests/policies/bad-action-and-notaction.json",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("bad-action-and-notaction.json: at Statement[0]: `Action` and `NotAction` cannot be used together"), "{}", stderr(&out));

    let out = xacct(&[
        "policy",
        "eval",
        "--principal",
        "homes",
        "--action",
        "AssumeRole",
        "--resource",
        "role",
        "--context",
        "novalue",
    ]);
    assert_eq!(out.status.code(), Some(3));
    let text = stderr(&out);
    for expected in [
        "--principal `homes` is not a principal ARN",
        "--action `AssumeRole` is not service:ActionName",
        "--resource `role` is not an ARN",
        "--context `novalue` is not KEY=VALUE",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }

    let out = xacct(&[
        "policy",
        "eval",
        "--principal",
        HOMES,
        "--action",
        "sts:AssumeRole",
        "--resource",
        ROLE,
        "--resource-policy",
        "tests/policies/homes-identity.json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "an identity policy is not a trust policy"
    );
    assert!(
        stderr(&out).contains("needs a `Principal`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn lint_reports_the_root_principal_and_who_can_get_in() {
    let out = xacct(&[
        "policy",
        "lint",
        "tests/policies/trust-account-root.json",
        "--output",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let finding = json["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["rule"] == "trust-account-principal"))
        .cloned();
    let finding = finding.expect("trust-account-principal is reported");
    assert_eq!(finding["file"], "tests/policies/trust-account-root.json");
    assert_eq!(finding["statement"], 0);
    assert_eq!(finding["severity"], "medium");
    let message = finding["message"].as_str().unwrap_or_default();
    assert!(message.contains("every principal of that account whose identity policy allows sts:AssumeRole on this role can assume it"), "{message}");
}

#[test]
fn lint_is_quiet_on_the_trust_policy_naming_one_user() {
    let out = xacct(&["policy", "lint", "tests/policies/trust-homes.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(!stdout(&out).contains("trust-account-principal"));
    assert!(stdout(&out).contains("0 findings"));
}

#[test]
fn lint_finds_each_trust_and_identity_rule() {
    let out = xacct(&[
        "policy",
        "lint",
        "tests/policies/trust-risky.json",
        "tests/policies/identity-risky.json",
        "--account",
        "222222222222",
        "--output",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .map(|f| f.iter().filter_map(|f| f["rule"].as_str()).collect())
        .unwrap_or_default();
    for rule in [
        "trust-any-principal",
        "trust-action-wildcard",
        "trust-external-id-weak",
        "trust-cross-account-no-external-id",
        "trust-not-principal-allow",
        "trust-dead-principal",
        "trust-resource-element",
        "mfa-false-condition",
        "trust-federated-action-mismatch",
        "trust-federated-no-audience",
        "duplicate-sid",
        "trust-service-no-source",
        "version-missing",
        "identity-assume-any-role",
        "identity-trust-rewrite",
        "allow-not-action",
        "allow-not-resource",
        "version-variables",
        "forallvalues-single-valued-key",
        "unknown-action",
    ] {
        assert!(rules.contains(&rule), "{rule} missing from {rules:?}");
    }
    let any = json["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["rule"] == "trust-any-principal"))
        .cloned();
    assert_eq!(
        any.map(|f| f["severity"].clone()),
        Some(serde_json::json!("critical"))
    );
}

#[test]
fn lint_parse_errors_exit_3_with_the_place_and_the_rule() {
    let cases = [
        (
            "tests/policies/bad-partial-wildcard.json",
            "at Statement[0].Principal.AWS: `arn:aws:iam::111111111111:user/*`: wildcards cannot match part of a principal",
        ),
        (
            "tests/policies/bad-operator.json",
            "at Statement[0].Condition.StringEqualz: `StringEqualz` is not a condition operator; use one of StringEquals",
        ),
        (
            "tests/policies/bad-effect.json",
            "at Statement[0].Effect: `allow` is not an effect; use \"Allow\" or \"Deny\"",
        ),
        (
            "tests/policies/bad-arn.json",
            "at Statement[0].Resource[1]: `bucket-name` is not an ARN",
        ),
        ("tests/policies/no-such-file.json", "cannot read the file"),
    ];
    for (file, expected) in cases {
        let out = xacct(&["policy", "lint", file]);
        assert_eq!(out.status.code(), Some(3), "{file}");
        assert!(stderr(&out).contains(expected), "{file}: {}", stderr(&out));
    }
    // Findings of good files are still reported next to the bad one.
    let out = xacct(&[
        "policy",
        "lint",
        "tests/policies/bad-effect.json",
        "tests/policies/trust-account-root.json",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stdout(&out).contains("trust-account-principal"));
}

/// The rules of the web identity contract.
const WEB_IDENTITY_RULES: [&str; 4] = [
    "trust-oidc-no-sub",
    "trust-oidc-sub-wildcard",
    "trust-oidc-no-aud",
    "trust-condition-wildcard-in-equals",
];

fn lint_rules(file: &std::path::Path) -> Vec<String> {
    let out = xacct(&[
        "policy",
        "lint",
        "--kind",
        "trust",
        file.to_str().expect("path"),
        "--output",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    json["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|f| f["rule"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn lint_corpus_documented_good_trust_policies_raise_no_web_identity_rule() {
    let mut files: Vec<_> = std::fs::read_dir("tests/lint-corpus/good")
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert!(files.len() >= 6, "{files:?}");
    for file in files {
        let rules = lint_rules(&file);
        assert!(
            !rules
                .iter()
                .any(|r| WEB_IDENTITY_RULES.contains(&r.as_str())),
            "{}: {rules:?}",
            file.display()
        );
    }
}

#[test]
fn lint_corpus_documented_mistakes_raise_their_rule() {
    let mut files: Vec<_> = std::fs::read_dir("tests/lint-corpus/bad")
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let mut seen = std::collections::BTreeSet::new();
    for file in files {
        let name = file.file_name().and_then(|n| n.to_str()).expect("name");
        let rule = WEB_IDENTITY_RULES
            .iter()
            .find(|r| name.starts_with(*r))
            .unwrap_or_else(|| panic!("{name} starts with no rule id"));
        let rules = lint_rules(&file);
        assert!(rules.iter().any(|r| r == rule), "{name}: {rules:?}");
        seen.insert(*rule);
    }
    assert_eq!(
        seen.len(),
        WEB_IDENTITY_RULES.len(),
        "every rule has a mistake"
    );
}
