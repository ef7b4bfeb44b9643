//! Names must exist: a typo in an assertion, a lint expectation or a run's
//! `role_arn`, or a trust policy naming a principal its account does not
//! hold, is refused at load (exit 3) with the field, the value and the
//! nearest name of the world; never a silent pass.

use std::process::{Command, Output};

fn sim(dir: &std::path::Path, file: &str, text: &str) -> Output {
    std::fs::write(dir.join(file), text).expect("written");
    Command::new(env!("CARGO_BIN_EXE_xacct"))
        .arg("sim")
        .arg(dir.join(file))
        .output()
        .expect("xacct runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A world where user/dev reaches role/deploy, and checks about it.
const WORLD: &str = r#"name: world
imported: []
accounts:
  "111111111111":
    users:
      dev: { policies: { p: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: sts:AssumeRole, Resource: "*" } ] } } }
  "222222222222":
    roles:
      deploy:
        trust_policy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:user/dev" }, Action: sts:AssumeRole } ] }
"#;

fn checks(facts: &str) -> String {
    format!("name: checks\nworld: world.yaml\nassert:\n{facts}")
}

#[test]
fn a_typo_in_any_assertion_field_is_refused_with_the_nearest_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("world.yaml"), WORLD).expect("written");
    let cases = [
        (
            "  - cannot_reach: { from: arn:aws:iam::111111111111:user/dev, role: arn:aws:iam::222222222222:role/deploi }\n",
            "assert[0].cannot_reach.role: `arn:aws:iam::222222222222:role/deploi` is no role of the world (did you mean arn:aws:iam::222222222222:role/deploy?)",
        ),
        (
            "  - cannot_reach: { from: arn:aws:iam::111111111111:user/devv, role: arn:aws:iam::222222222222:role/deploy }\n",
            "assert[0].cannot_reach.from: `arn:aws:iam::111111111111:user/devv` is no principal of the world",
        ),
        (
            "  - cannot_reach: { from: arn:aws:iam::11111111111:user/dev, role: arn:aws:iam::222222222222:role/deploy }\n",
            "did you mean arn:aws:iam::111111111111:user/dev?",
        ),
        (
            "  - can_assume: { role: arn:aws:iam::222222222222:role/deploy-typo, only: [] }\n",
            "assert[0].can_assume.role: `arn:aws:iam::222222222222:role/deploy-typo` is no role of the world (did you mean arn:aws:iam::222222222222:role/deploy?)",
        ),
        (
            "  - can_assume: { role: arn:aws:iam::222222222222:role/deploy, only: [arn:aws:iam::111111111111:user/devv] }\n",
            "assert[0].can_assume.only[0]: `arn:aws:iam::111111111111:user/devv`",
        ),
        (
            "  - not_reachable_from_outside_org: { role: \"arn:aws:iam::22222222222:role/*\" }\n",
            "assert[0].not_reachable_from_outside_org.role: `arn:aws:iam::22222222222:role/*` matches no role of the world",
        ),
        (
            "  - cannot_reach: { from: arn:aws:iam::111111111111:user/dev, role: arn:aws:iam::222222222222:role/deploy, unless: [MultiFactorAuthPresent] }\n",
            "assert[0].cannot_reach.unless[0]: `MultiFactorAuthPresent` is not a condition key",
        ),
    ];
    for (facts, wanted) in cases {
        let out = sim(dir.path(), "checks.yaml", &checks(facts));
        assert_eq!(out.status.code(), Some(3), "{facts}: {}", stderr(&out));
        assert!(stderr(&out).contains(wanted), "{facts}: {}", stderr(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("0 passed, 0 failed, 1 file invalid"),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // The same facts spelt right: the real user does reach the role.
    let out = sim(
        dir.path(),
        "checks.yaml",
        &checks(
            "  - cannot_reach: { from: arn:aws:iam::111111111111:user/dev, role: arn:aws:iam::222222222222:role/deploy }\n",
        ),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn an_unknown_lint_rule_or_place_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("world.yaml"), WORLD).expect("written");
    let lint = |body: &str| {
        format!(
            "name: checks\nworld: world.yaml\nassert:\n  - can_assume: {{ role: arn:aws:iam::222222222222:role/deploy, only: [arn:aws:iam::111111111111:user/dev] }}\nlint:\n{body}"
        )
    };
    let out = sim(
        dir.path(),
        "checks.yaml",
        &lint("  absent:\n    - rule: trust-any-principle\n"),
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains(
            "lint.absent[0].rule: `trust-any-principle` is no rule of the linter (did you mean trust-any-principal?)"
        ),
        "{}",
        stderr(&out)
    );
    let out = sim(
        dir.path(),
        "checks.yaml",
        &lint(
            "  absent:\n    - { rule: trust-any-principal, at: \"arn:aws:iam::222222222222:role/deplo\" }\n",
        ),
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("lint.absent[0].at: `arn:aws:iam::222222222222:role/deplo` is no role or user of the world"),
        "{}",
        stderr(&out)
    );
    let out = sim(
        dir.path(),
        "checks.yaml",
        &lint(
            "  absent:\n    - { rule: trust-any-principal, at: \"arn:aws:iam::222222222222:role/deploy\" }\n",
        ),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_run_s_role_arn_must_exist_or_say_it_is_wrong_on_purpose() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |role: &str, extra: &str| {
        format!(
            "{}runs:\n  - as: arn:aws:iam::111111111111:user/dev\n    role_arn: {role}\n{extra}    expect:\n      assume_role: {{ error: AccessDenied }}\n",
            WORLD.replace("name: world\nimported: []\n", "name: run\n")
        )
    };
    let out = sim(
        dir.path(),
        "run.yaml",
        &run("arn:aws:iam::222222222222:role/deploi", ""),
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("runs[0].role_arn: `arn:aws:iam::222222222222:role/deploi` is no role of the world (did you mean arn:aws:iam::222222222222:role/deploy?)"), "{}", stderr(&out));
    let out = sim(
        dir.path(),
        "run.yaml",
        &run("arn:aws:iam::22222222222:role/deploy", ""),
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("the account `22222222222` must be 12 digits"),
        "{}",
        stderr(&out)
    );
    // On purpose: the run shows AWS's answer.
    let out = sim(
        dir.path(),
        "run.yaml",
        &run(
            "arn:aws:iam::222222222222:role/deploi",
            "    role_arn_is: missing\n",
        ),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = sim(
        dir.path(),
        "run.yaml",
        &run(
            "arn:aws:iam::222222222222:role/deploy",
            "    role_arn_is: missing\n",
        ),
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("runs[0].role_arn_is: `missing`, but"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_trust_policy_naming_nobody_is_refused_by_hand_and_noted_when_imported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let typo = WORLD.replace("user/dev\" }, Action", "user/devv\" }, Action");
    let hand = typo.replace("imported: []\n", "")
        + "assert:\n  - not_reachable_from_outside_org: { role: \"arn:aws:iam::222222222222:role/*\" }\n";
    let out = sim(dir.path(), "world.yaml", &hand);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains(
            "MalformedPolicyDocument: Invalid principal in policy: \"AWS\":\"arn:aws:iam::111111111111:user/devv\""
        ),
        "{}",
        stderr(&out)
    );
    // Imported: kept (it matches nobody) and noted by the linter.
    std::fs::write(dir.path().join("world.yaml"), &typo).expect("written");
    let lint = Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(["demo"])
        .arg(dir.path().join("world.yaml"))
        .output()
        .expect("xacct runs");
    let text = String::from_utf8_lossy(&lint.stdout);
    assert!(text.contains("trust-principal-missing"), "{text}");
    assert!(!text.contains("user/dev --assume-->"), "{text}");
}

#[test]
fn not_principal_where_aws_refuses_it_is_refused_at_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A role trust policy with NotPrincipal, which IAM does not save.
    let trust = WORLD.replace(
        "Principal: { AWS: \"arn:aws:iam::111111111111:user/dev\" }",
        "NotPrincipal: { AWS: \"arn:aws:iam::111111111111:user/dev\" }",
    );
    let out = sim(dir.path(), "world.yaml", &trust);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("a role trust policy cannot use NotPrincipal"),
        "{}",
        stderr(&out)
    );
    // The engine still decides such a policy when asked (policy eval), and
    // the linter reports it.
    let lint = Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args([
            "policy",
            "lint",
            "tests/policies/trust-risky.json",
            "--kind",
            "trust",
        ])
        .output()
        .expect("xacct runs");
    assert!(
        String::from_utf8_lossy(&lint.stdout).contains("trust-not-principal-allow"),
        "{}",
        String::from_utf8_lossy(&lint.stdout)
    );
}
