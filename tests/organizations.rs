//! Organizations in the engine and the simulator: each refusal of the
//! organization scenarios comes from the SCP or RCP it is about (named with
//! the node it hangs on), the management account is exempt, the
//! organization keys are filled; `policy eval --scp/--rcp` takes levels.

use std::process::{Command, Output};

fn xacct(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(args)
        .output()
        .expect("xacct runs")
}

fn explained(scenario: &str, who: &str, role: &str) -> String {
    let out = xacct(&[
        "run",
        "--scenario",
        &format!("scenarios/{scenario}.yaml"),
        "--as",
        who,
        "--role-arn",
        role,
        "--explain",
    ]);
    // Narration wraps at 80 columns: compare word by word.
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn each_refusal_comes_from_the_guardrail_it_is_about() {
    let scp = explained(
        "org-scp-deny-assume",
        "arn:aws:iam::222222222222:user/dev",
        "arn:aws:iam::333333333333:role/deploy",
    );
    assert!(
        scp.contains("explicitly denied by service control policy `deny-assume-outside-production on root r-ab12` statement 0"),
        "{scp}"
    );
    let management = explained(
        "org-scp-deny-assume",
        "arn:aws:iam::111111111111:user/admin",
        "arn:aws:iam::333333333333:role/deploy",
    );
    assert!(
        !management.contains("service control policy"),
        "{management}"
    );
    let gap = explained(
        "org-allow-list-gap",
        "arn:aws:iam::222222222222:user/dev",
        "arn:aws:iam::222222222222:role/app",
    );
    assert!(
        gap.contains("no service control policy attached to OU Workloads (ou-ab12-work0001) allows sts:AssumeRole"),
        "{gap}"
    );
    let rcp = explained(
        "org-rcp-outside",
        "arn:aws:iam::999999999999:user/support",
        "arn:aws:iam::222222222222:role/vendor",
    );
    assert!(
        rcp.contains("explicitly denied by resource control policy `org-only on root"),
        "{rcp}"
    );
    let org_id = explained(
        "org-principal-org-id",
        "arn:aws:iam::999999999999:user/visitor",
        "arn:aws:iam::222222222222:role/org-reader",
    );
    assert!(org_id.contains("aws:PrincipalOrgID"), "{org_id}");
}

#[test]
fn policy_eval_takes_one_level_per_scp_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("written");
        path.display().to_string()
    };
    let full = write(
        "full.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    );
    let s3 = write(
        "s3.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
    );
    let id = write(
        "id.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#,
    );
    let trust = write(
        "trust.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}]}"#,
    );
    let eval = |levels: &[&str]| {
        let mut args = vec![
            "policy",
            "eval",
            "--principal",
            "arn:aws:iam::111111111111:user/homes",
            "--action",
            "sts:AssumeRole",
            "--resource",
            "arn:aws:iam::111111111111:role/x",
            "--identity-policy",
            &id,
            "--resource-policy",
            &trust,
        ];
        for l in levels {
            args.extend(["--scp", l]);
        }
        xacct(&args)
    };
    assert_eq!(eval(&[&full, &full]).status.code(), Some(0));
    let denied = eval(&[&full, &s3]);
    assert_eq!(denied.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&denied.stdout).contains("no service control policy attached to")
    );
    let bad = write(
        "bad.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#,
    );
    let refused = eval(&[&bad]);
    assert_eq!(refused.status.code(), Some(3), "an SCP names no principal");
}

#[test]
fn graph_edges_say_when_they_cross_the_organization_boundary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let world = dir.path().join("crossing.yaml");
    std::fs::write(
        &world,
        r#"name: crossing
imported: []
organization:
  management_account: "111111111111"
  root: { accounts: ["111111111111"] }
accounts:
  "111111111111":
    users:
      dev:
        policies:
          p: { Statement: [ { Effect: Allow, Action: sts:AssumeRole, Resource: "*" } ] }
  "222222222222":
    roles:
      partner:
        trust_policy:
          Statement: [ { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:user/dev" }, Action: sts:AssumeRole } ]
"#,
    )
    .expect("written");
    let out = xacct(&["graph", world.to_str().expect("utf-8")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("arn:aws:iam::111111111111:user/dev --assume--> arn:aws:iam::222222222222:role/partner  [crosses the organization boundary]"),
        "{text}"
    );
}
