//! `xacct diff`: the ways into roles that appear, disappear or narrow,
//! the grants probed principal by principal, the gate's exit code.

use std::process::{Command, Output};

fn xacct(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(args)
        .output()
        .expect("xacct runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const INTERN_EDGE: &str =
    "arn:aws:iam::111111111111:user/intern --assume--> arn:aws:iam::222222222222:role/s3-viewer";

#[test]
fn diff_reports_the_intern_s_lost_edge_and_gates_on_new_access() {
    let fixed = xacct(&[
        "diff",
        "scenarios/root-principal-overreach.yaml",
        "scenarios/root-principal-fixed.yaml",
    ]);
    assert_eq!(fixed.status.code(), Some(0));
    assert!(
        stdout(&fixed).contains(&format!("- {INTERN_EDGE}")),
        "{}",
        stdout(&fixed)
    );
    assert!(stdout(&fixed).contains("not a proof"));
    let regressed = xacct(&[
        "diff",
        "scenarios/root-principal-fixed.yaml",
        "scenarios/root-principal-overreach.yaml",
    ]);
    assert_eq!(regressed.status.code(), Some(1));
    assert!(stdout(&regressed).contains(&format!("+ {INTERN_EDGE}")));
    let same = xacct(&["diff", "scenarios/success.yaml", "scenarios/success.yaml"]);
    assert_eq!(same.status.code(), Some(0));
    assert!(stdout(&same).contains("no change"));
}

#[test]
fn diff_probes_grants_and_reads_import_inputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let world = |name: &str, action: &str, resource: &str| {
        let path = dir.path().join(format!("{name}.yaml"));
        std::fs::write(
            &path,
            format!(
                "name: {name}\nimported: []\naccounts:\n  \"111111111111\":\n    users:\n      dev:\n        policies:\n          p:\n            Statement:\n              - {{ Effect: Allow, Action: \"{action}\", Resource: \"{resource}\" }}\n"
            ),
        )
        .expect("written");
        path.display().to_string()
    };
    let old = world("old", "s3:GetObject", "arn:aws:s3:::logs/*");
    let new = world("new", "s3:*", "*");
    let out = xacct(&["diff", &old, &new]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    // Summarised per principal and service, with the policy that changed.
    assert!(
        text.contains(
            "arn:aws:iam::111111111111:user/dev: +2 action(s) in 1 service(s) (p changed)"
        ),
        "{text}"
    );
    assert!(
        text.contains("; +3 grant(s), -0 grant(s), for 1 principal(s)"),
        "{text}"
    );
    // In full, every grant.
    let full = stdout(&xacct(&["diff", &old, &new, "--grants", "full"]));
    assert!(full.contains("  + s3:probe on probe"), "{full}");
    assert!(full.contains("  + s3:GetObject on probe"), "{full}");
    assert!(!full.contains("  - "), "nothing is lost: {full}");
    // As JSON and as Markdown.
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&xacct(&["diff", &old, &new, "--output", "json"])))
            .expect("JSON");
    assert_eq!(json["grants"]["added"], 3);
    assert_eq!(json["grants"]["principals"][0]["changed"][0], "p");
    assert_eq!(json["opens_access"], true);
    let markdown = stdout(&xacct(&["diff", &old, &new, "--output", "markdown"]));
    assert!(markdown.starts_with("### Access changes:"), "{markdown}");
    assert!(
        markdown.contains("- `arn:aws:iam::111111111111:user/dev: +2 action(s)"),
        "{markdown}"
    );
    // Edges only: nothing new opens a way into a role.
    let edges = xacct(&["diff", &old, &new, "--grants", "none"]);
    assert_eq!(edges.status.code(), Some(0), "{}", stdout(&edges));
    let back = xacct(&["diff", &new, &old]);
    assert_eq!(
        back.status.code(),
        Some(0),
        "only lost access: {}",
        stdout(&back)
    );
    assert!(
        stdout(&back).contains("arn:aws:iam::111111111111:user/dev: -2 action(s) in 1 service(s)")
    );
    // Import inputs are imported first (a template needs its account).
    let template = "tests/import/cfn-small.json";
    let same = xacct(&["diff", template, template, "--account", "111111111111"]);
    assert_eq!(same.status.code(), Some(0), "{}", stdout(&same));
    let no_account = xacct(&["diff", template, template]);
    assert_eq!(no_account.status.code(), Some(3));
}

#[test]
fn an_edge_that_now_needs_mfa_is_narrowed_not_new_access() {
    let dir = tempfile::tempdir().expect("tempdir");
    let world = |name: &str, condition: &str| {
        let path = dir.path().join(format!("{name}.yaml"));
        std::fs::write(
            &path,
            format!(
                r#"name: {name}
imported: []
accounts:
  "111111111111":
    users:
      dev:
        policies:
          assume: {{ Statement: [ {{ Effect: Allow, Action: sts:AssumeRole, Resource: "*" }} ] }}
  "222222222222":
    roles:
      deploy:
        trust_policy:
          Statement:
            - {{ Effect: Allow, Principal: {{ AWS: "arn:aws:iam::111111111111:user/dev" }}, Action: sts:AssumeRole{condition} }}
"#
            ),
        )
        .expect("written");
        path.display().to_string()
    };
    let open = world("open", "");
    let mfa = world(
        "mfa",
        ", Condition: { Bool: { aws:MultiFactorAuthPresent: \"true\" } }",
    );
    let ip = world(
        "ip",
        ", Condition: { IpAddress: { aws:SourceIp: 10.0.0.0/8 } }",
    );
    let edge =
        "arn:aws:iam::111111111111:user/dev --assume--> arn:aws:iam::222222222222:role/deploy";

    // Always -> conditional: narrowed, nothing opens.
    let narrowed = xacct(&["diff", &open, &mfa, "--grants", "none"]);
    let text = stdout(&narrowed);
    assert_eq!(narrowed.status.code(), Some(0), "{text}");
    assert!(text.contains(&format!("~ {edge}")), "{text}");
    assert!(text.contains("1 narrowed (now conditional)"), "{text}");
    assert!(!text.contains(&format!("+ {edge}")), "{text}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&xacct(&[
        "diff", &open, &mfa, "--grants", "none", "--output", "json",
    ])))
    .expect("JSON");
    assert_eq!(json["edges"]["narrowed"][0]["verdict"], "conditional");
    assert_eq!(json["edges"]["added"].as_array().map(Vec::len), Some(0));
    assert_eq!(json["opens_access"], false);

    // Conditional -> always widens; one condition for another may too.
    for (old, new) in [(&mfa, &open), (&mfa, &ip)] {
        let out = xacct(&["diff", old, new, "--grants", "none"]);
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(text.contains(&format!("+ {edge}")), "{text}");
        assert!(text.contains(&format!("- {edge}")), "{text}");
    }
}
