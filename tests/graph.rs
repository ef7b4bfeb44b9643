//! `xacct graph`: edges decided by the engine (the overreach's intern edge
//! and its absence once fixed, conditions as needs, web identity), paths
//! through role chaining, and every format.

use std::process::{Command, Output};

fn graph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xacct"))
        .arg("graph")
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
fn the_overreach_has_the_intern_s_edge_and_the_fix_does_not() {
    let over = graph(&["scenarios/root-principal-overreach.yaml"]);
    assert_eq!(over.status.code(), Some(0));
    assert!(stdout(&over).contains(INTERN_EDGE), "{}", stdout(&over));
    let fixed = graph(&["scenarios/root-principal-fixed.yaml"]);
    assert!(!stdout(&fixed).contains(INTERN_EDGE), "{}", stdout(&fixed));
    assert!(
        stdout(&fixed).contains("user/homes --assume--> arn:aws:iam::222222222222:role/s3-viewer")
    );
}

#[test]
fn conditions_become_what_an_edge_needs() {
    let out = stdout(&graph(&["scenarios/external-id.yaml", "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let edge = json["edges"]
        .as_array()
        .and_then(|e| e.first())
        .expect("an edge");
    assert_eq!(edge["cross_account"], true);
    assert_eq!(edge["verdict"], "conditional");
    assert!(
        edge["when"][0][0]
            .as_str()
            .is_some_and(|n| n.starts_with("sts:ExternalId StringEquals ")),
        "{edge}"
    );
    let mfa = stdout(&graph(&["scenarios/mfa-required.yaml"]));
    assert!(
        mfa.contains("needs aws:MultiFactorAuthPresent Bool true"),
        "{mfa}"
    );
}

#[test]
fn a_path_runs_from_a_web_identity_through_role_chaining() {
    let out = graph(&[
        "scenarios/web-identity-chaining.yaml",
        "--from",
        "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com",
        "--to",
        "arn:aws:iam::333333333333:role/deploy",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("path 1 (2 hop(s), conditional)"), "{text}");
    assert!(
        text.contains("role chaining: the session lasts at most one hour"),
        "{text}"
    );
    assert!(
        text.contains(":sub StringEquals repo:acme/app:environment:prod"),
        "{text}"
    );
    let none = graph(&[
        "scenarios/root-principal-fixed.yaml",
        "--from",
        "arn:aws:iam::111111111111:user/intern",
        "--to",
        "arn:aws:iam::222222222222:role/s3-viewer",
    ]);
    assert_eq!(none.status.code(), Some(2));
    assert!(stdout(&none).contains("no path"));
}

#[test]
fn dot_and_mermaid_draw_accounts_as_clusters() {
    let dot = stdout(&graph(&["scenarios/external-id.yaml", "--format", "dot"]));
    assert!(dot.starts_with("digraph assume {") && dot.contains("subgraph cluster_"));
    assert!(
        dot.contains("style=dashed"),
        "a conditional edge is dashed: {dot}"
    );
    let mermaid = stdout(&graph(&[
        "scenarios/root-principal-overreach.yaml",
        "--format",
        "mermaid",
    ]));
    assert!(mermaid.starts_with("flowchart LR") && mermaid.contains("subgraph a222222222222"));
}

fn xacct(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(args)
        .output()
        .expect("xacct runs")
}

#[test]
fn assertions_hold_on_the_fix_and_name_the_intern_on_the_overreach() {
    let ok = xacct(&["sim", "scenarios/access-assertions.yaml"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    let dir = tempfile::tempdir().expect("dir");
    let over = dir.path().join("over.yaml");
    let text = std::fs::read_to_string("scenarios/access-assertions.yaml")
        .expect("scenario")
        .replace("name: access-assertions", "name: over")
        .replace(
            "world: root-principal-fixed.yaml",
            &format!(
                "world: {}/scenarios/root-principal-overreach.yaml",
                env!("CARGO_MANIFEST_DIR")
            ),
        );
    std::fs::write(&over, text).expect("written");
    let out = xacct(&["sim", over.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let shown = stdout(&out);
    assert!(
        shown.contains("arn:aws:iam::111111111111:user/intern can too (allowed by identity policy `intern/intern-tools` statement 0, trust policy `s3-viewer` statement 0)"),
        "{shown}"
    );
    assert!(shown.contains("FAIL over: assert cannot_reach"), "{shown}");
}

#[test]
fn findings_name_roles_open_to_any_repository_and_paths_to_admin() {
    let out = stdout(&graph(&["scenarios/github-oidc-overreach.yaml"]));
    assert!(
        out.contains(
            "FINDING role-open-to-any-oidc-subject: arn:aws:iam::222222222222:role/deployer"
        ),
        "{out}"
    );
    let fixed = stdout(&graph(&["scenarios/github-oidc-fixed.yaml"]));
    assert!(!fixed.contains("FINDING"), "{fixed}");

    let dir = tempfile::tempdir().expect("dir");
    let world = dir.path().join("admin.yaml");
    std::fs::write(
        &world,
        r#"name: admin
clock: "2026-01-01T00:00:00Z"
accounts:
  "111111111111":
    users:
      dev:
        policies:
          hop: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: sts:AssumeRole, Resource: "arn:aws:iam::111111111111:role/ci" } ] }
    roles:
      ci:
        trust_policy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:user/dev" }, Action: sts:AssumeRole } ] }
        policies:
          hop: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: sts:AssumeRole, Resource: "arn:aws:iam::222222222222:role/*" } ] }
  "222222222222":
    roles:
      admin:
        trust_policy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:role/ci" }, Action: sts:AssumeRole } ] }
        policies:
          all: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "*", Resource: "*" } ] }
      reader:
        trust_policy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:role/ci" }, Action: sts:AssumeRole } ] }
        policies:
          read: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "s3:Get*", Resource: "*" } ] }
      # Admin from the office network only: a request from there is admin.
      office-admin:
        trust_policy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:role/ci" }, Action: sts:AssumeRole } ] }
        policies:
          all: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "*", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } } ] }
      # May rewrite any role's inline policy, its own included.
      policy-writer:
        trust_policy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:role/ci" }, Action: sts:AssumeRole } ] }
        policies:
          write: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "iam:PutRolePolicy", Resource: "*" } ] }
runs:
  - { as: "arn:aws:iam::111111111111:user/dev", role_arn: "arn:aws:iam::111111111111:role/ci" }
"#,
    )
    .expect("written");
    let out = stdout(&graph(&[world.to_str().expect("path"), "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let findings: Vec<String> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| format!("{} {}", f["rule"], f["message"]))
        .collect();
    assert!(
        findings.iter().any(|f| f.contains("path-to-admin")
            && f.contains("arn:aws:iam::111111111111:user/dev reaches the admin-like role arn:aws:iam::222222222222:role/admin")
            && f.contains("in 2 hop(s)")),
        "{findings:?}"
    );
    for role in ["office-admin", "policy-writer"] {
        assert!(
            findings.iter().any(|f| f.contains("path-to-admin")
                && f.contains(&format!(
                    "reaches the admin-like role arn:aws:iam::222222222222:role/{role}"
                ))),
            "{role}: {findings:?}"
        );
    }
    assert!(
        !findings.iter().any(|f| f.contains("role/reader")),
        "{findings:?}"
    );
}

/// A role trusting an account outside the world, and one that confines the
/// same account's principals to an organization.
const OUTSIDE: &str = r#"name: outside
imported: []
accounts:
  "222222222222":
    roles:
      vendor:
        trust_policy:
          Statement:
            - { Effect: Allow, Principal: { AWS: "arn:aws:iam::333333333333:root" }, Action: sts:AssumeRole }
      org-only:
        trust_policy:
          Statement:
            - Effect: Allow
              Principal: { AWS: "*" }
              Action: sts:AssumeRole
              Condition: { StringEquals: { "aws:PrincipalOrgID": o-a1b2c3d4e5 } }
      internal:
        trust_policy:
          Statement:
            - { Effect: Allow, Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: sts:AssumeRole }
"#;

#[test]
fn callers_outside_the_world_are_edges_findings_and_failed_assertions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let world = dir.path().join("outside.yaml");
    std::fs::write(&world, OUTSIDE).expect("written");
    let out = stdout(&graph(&[
        world.to_str().expect("utf-8"),
        "--format",
        "json",
    ]));
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let edges = json["edges"].as_array().expect("edges");
    let vendor = edges
        .iter()
        .find(|e| e["to"] == "arn:aws:iam::222222222222:role/vendor")
        .expect("the outside account's edge");
    assert_eq!(vendor["from"], "arn:aws:iam::333333333333:root");
    assert_eq!(vendor["outside"], true);
    let org = edges
        .iter()
        .find(|e| e["to"] == "arn:aws:iam::222222222222:role/org-only")
        .expect("anyone, with the organization condition");
    assert_eq!(org["from"], "*");
    assert_eq!(org["verdict"], "conditional");
    assert_eq!(
        org["when"][0][0],
        "aws:PrincipalOrgID StringEquals o-a1b2c3d4e5"
    );
    let findings: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "role-reachable-from-outside")
        .map(|f| f["role"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(findings, ["arn:aws:iam::222222222222:role/vendor"]);
    let checks = dir.path().join("checks.yaml");
    let facts = |role: &str| {
        format!(
            "name: checks\nworld: outside.yaml\nassert:\n  - not_reachable_from_outside_org: {{ role: \"{role}\" }}\n"
        )
    };
    std::fs::write(&checks, facts("arn:aws:iam::222222222222:role/*")).expect("written");
    let failed = xacct(&["sim", checks.to_str().expect("utf-8")]);
    assert_eq!(failed.status.code(), Some(1));
    let text = stdout(&failed);
    assert!(
        text.contains("arn:aws:iam::333333333333:root -> arn:aws:iam::222222222222:role/vendor"),
        "{text}"
    );
    // org-only is confined to an organization, but the outsider's session
    // of vendor is a principal of the world: the chain gets in.
    assert!(
        text.contains(
            "then arn:aws:iam::222222222222:role/vendor -> arn:aws:iam::222222222222:role/org-only"
        ),
        "{text}"
    );
    assert!(
        !text.contains("-> arn:aws:iam::222222222222:role/internal"),
        "{text}"
    );
    std::fs::write(&checks, facts("arn:aws:iam::222222222222:role/int*")).expect("written");
    let held = xacct(&["sim", checks.to_str().expect("utf-8")]);
    assert_eq!(held.status.code(), Some(0), "{}", stdout(&held));
}

#[test]
fn svg_is_a_self_contained_picture_with_the_intern_s_edge_and_the_fix_without() {
    let over = graph(&["scenarios/root-principal-overreach.yaml", "--format", "svg"]);
    assert_eq!(over.status.code(), Some(0));
    let svg = stdout(&over);
    assert!(svg.trim_start().starts_with("<svg"), "{svg}");
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("user/intern") && svg.contains("role/s3-viewer"));
    assert!(
        svg.contains("account 111111111111"),
        "accounts are clusters"
    );
    // Nothing outside the file: no scripts, no external references.
    assert!(!svg.contains("<script") && !svg.contains("href=\"http"));
    let fixed = stdout(&graph(&[
        "scenarios/root-principal-fixed.yaml",
        "--format",
        "svg",
    ]));
    assert!(fixed.contains("user/homes") && !fixed.contains("user/intern"));
    // A role a finding names is drawn in the finding colour.
    let open = stdout(&graph(&[
        "scenarios/github-oidc-overreach.yaml",
        "--format",
        "mermaid",
    ]));
    assert!(open.contains("class n1 finding"), "{open}");
}

#[test]
fn graphviz_layout_is_used_when_asked_or_its_absence_is_said() {
    let out = graph(&["scenarios/success.yaml", "--format", "svg", "--graphviz"]);
    let has_dot = Command::new("dot").arg("-V").output().is_ok();
    if has_dot {
        assert_eq!(out.status.code(), Some(0));
        assert!(stdout(&out).contains("<svg"));
    } else {
        assert_eq!(out.status.code(), Some(6));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("cannot run Graphviz's `dot`"), "{stderr}");
    }
}

#[test]
fn demo_html_is_one_page_with_each_scenario_s_picture() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("demo.html");
    let out = xacct(&["demo", "--html", page.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("WHO CAN ASSUME WHAT"));
    let html = std::fs::read_to_string(&page).expect("written");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(
        html.matches("<svg").count(),
        2,
        "one picture per embedded scenario"
    );
    assert!(html.contains("<h2>root-principal-overreach</h2>"));
    assert!(!html.contains("<script"));
    assert!(!html.contains("AWS_SECRET_ACCESS_KEY"));
}

#[test]
fn keys_the_engine_fills_from_the_caller_are_never_probed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let world = dir.path().join("arn-bound.yaml");
    std::fs::write(
        &world,
        r#"name: arn-bound
imported: []
accounts:
  "111111111111":
    users:
      ci: { policies: { p: { Statement: [ { Effect: Allow, Action: sts:AssumeRole, Resource: "*" } ] } } }
      intern: { policies: { p: { Statement: [ { Effect: Allow, Action: sts:AssumeRole, Resource: "*" } ] } } }
  "222222222222":
    roles:
      deploy:
        trust_policy:
          Statement:
            - Effect: Allow
              Principal: { AWS: "*" }
              Action: sts:AssumeRole
              Condition: { StringEquals: { "aws:PrincipalArn": "arn:aws:iam::111111111111:user/ci" } }
"#,
    )
    .expect("written");
    let out = stdout(&graph(&[
        world.to_str().expect("utf-8"),
        "--format",
        "json",
    ]));
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let from: Vec<&str> = json["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter_map(|e| e["from"].as_str())
        .collect();
    // Only the principal whose ARN it is: not the intern, not "anyone".
    assert_eq!(from, ["arn:aws:iam::111111111111:user/ci"], "{out}");
}

/// The graph of every shipped scenario is what it was before the
/// three-valued analysis wherever no condition was unknown: each edge the
/// old graph kept without needs is still an edge that always holds, each it
/// kept with needs is conditional on the same conditions, and every edge
/// that always holds now did before. New edges are conditional (the
/// conditions the old probe could not meet, or Deny exceptions it took as
/// certain).
#[test]
fn shipped_scenarios_keep_their_graph_where_nothing_was_unknown() {
    let fixture: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/graph/before-three-valued.json").expect("the fixture"),
    )
    .expect("JSON");
    let scenarios = fixture["scenarios"].as_object().expect("scenarios");
    let on_disk = std::fs::read_dir("scenarios")
        .expect("scenarios/")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        })
        .count();
    // Scenarios written since have no "before"; every one before is there.
    assert!(
        (34..=on_disk).contains(&scenarios.len()),
        "{} scenarios in the fixture, {on_disk} on disk",
        scenarios.len()
    );
    for file in scenarios.keys() {
        assert!(std::path::Path::new(file).exists(), "{file} is gone");
    }
    for (file, old) in scenarios {
        let out = graph(&[file, "--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
        let set = |v: &serde_json::Value| -> std::collections::BTreeSet<String> {
            v.as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        };
        let new: Vec<&serde_json::Value> =
            json["edges"].as_array().expect("edges").iter().collect();
        let find = |from: &serde_json::Value, to: &serde_json::Value| {
            new.iter().find(|e| e["from"] == *from && e["to"] == *to)
        };
        for edge in old.as_array().expect("edges") {
            let (from, to, needs) = (&edge[0], &edge[1], &edge[2]);
            let now = find(from, to).unwrap_or_else(|| panic!("{file}: {from} -> {to} is gone"));
            if set(needs).is_empty() {
                assert_eq!(now["verdict"], "always", "{file}: {from} -> {to}: {now}");
            } else {
                assert_eq!(now["verdict"], "conditional", "{file}: {from} -> {to}");
                assert_eq!(
                    now["when"].as_array().map(Vec::len),
                    Some(1),
                    "{file}: {now}"
                );
                assert_eq!(set(&now["when"][0]), set(needs), "{file}: {from} -> {to}");
            }
        }
        for now in &new {
            let before = old
                .as_array()
                .expect("edges")
                .iter()
                .find(|e| e[0] == now["from"] && e[1] == now["to"]);
            if now["verdict"] == "always" {
                assert!(
                    before.is_some_and(|e| set(&e[2]).is_empty()),
                    "{file}: a new edge that always holds: {now}"
                );
            } else {
                assert_eq!(now["verdict"], "conditional", "{file}: {now}");
            }
        }
    }
}

/// Each condition the issue found dropping an edge from an outside account
/// keeps it, conditional, with the condition as written (what is known
/// substituted): the caller's MFA age, source IP, a principal ARN pattern
/// against the account's unknown principals, a session name.
#[test]
fn one_condition_at_a_time_an_outside_edge_stays_conditional() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        (
            r#"NumericLessThan: { "aws:MultiFactorAuthAge": "3600" }"#,
            "aws:MultiFactorAuthAge NumericLessThan 3600",
        ),
        (
            r#"IpAddress: { "aws:SourceIp": "203.0.113.0/24" }"#,
            "aws:SourceIp IpAddress 203.0.113.0/24",
        ),
        (
            r#"ArnLike: { "aws:PrincipalArn": "arn:aws:iam::333333333333:role/ops-*" }"#,
            "aws:PrincipalArn ArnLike arn:aws:iam::333333333333:role/ops-*",
        ),
        (
            r#"StringLike: { "sts:RoleSessionName": "${aws:username}" }"#,
            "sts:RoleSessionName StringLike ${aws:username}",
        ),
        (
            r#"Bool: { "aws:MultiFactorAuthPresent": "true" }"#,
            "aws:MultiFactorAuthPresent Bool true",
        ),
    ];
    for (condition, needs) in cases {
        let world = dir.path().join("outside.yaml");
        std::fs::write(
            &world,
            format!(
                r#"name: outside
imported: []
accounts:
  "222222222222":
    roles:
      admin:
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {{ AWS: "arn:aws:iam::333333333333:root" }}
              Action: sts:AssumeRole
              Condition: {{ {condition} }}
"#
            ),
        )
        .expect("written");
        let out = stdout(&graph(&[
            world.to_str().expect("utf-8"),
            "--format",
            "json",
        ]));
        let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        let edge = json["edges"]
            .as_array()
            .and_then(|e| {
                e.iter()
                    .find(|e| e["from"] == "arn:aws:iam::333333333333:root")
            })
            .unwrap_or_else(|| panic!("{condition}: no edge from the outside account: {out}"));
        assert_eq!(edge["verdict"], "conditional", "{condition}");
        assert_eq!(edge["outside"], true, "{condition}");
        assert_eq!(edge["when"][0][0], needs, "{condition}");
        let findings = json["findings"].to_string();
        assert!(
            findings.contains("role-reachable-from-outside"),
            "{condition}: {findings}"
        );
    }
}
