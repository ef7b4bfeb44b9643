//! Principals outside the world, as trust policies name them: what the
//! analysis may fix about them and what it must leave unknown, so that no
//! edge from outside disappears under a condition it could meet.

use serde_json::Value;

/// A world in an organization, its roles trusting outside principals in
/// the ways real trust policies do.
const WORLD: &str = r#"name: outside-principals
imported: []
organization:
  id: o-a1b2c3d4e5
  management_account: "111111111111"
  root:
    id: r-ab12
    accounts: ["111111111111", "222222222222"]
accounts:
  "111111111111":
    alias: management
  # In the world, but not in its organization.
  "333333333333":
    users:
      contractor:
        policies:
          assume:
            Statement:
              - { Effect: Allow, Action: sts:AssumeRole, Resource: "*" }
  "222222222222":
    roles:
      contractor-access:
        trust_policy:
          Statement:
            - { Effect: Allow, Principal: { AWS: "arn:aws:iam::333333333333:user/contractor" }, Action: sts:AssumeRole }
      # One session of a partner's role (IAM User Guide, role session
      # principals): any session of that role is tried.
      session-trust:
        trust_policy:
          Statement:
            - { Effect: Allow, Principal: { AWS: "arn:aws:sts::999999999999:assumed-role/partner/nightly" }, Action: sts:AssumeRole }
      # A role with a path, narrowed to itself by aws:PrincipalArn: its
      # ARN with the path is the caller's.
      path-trust:
        trust_policy:
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:iam::888888888888:role/team/deployer" }
              Action: sts:AssumeRole
              Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::888888888888:role/team/deployer" } }
      # A partner account confined to the partner's own organization:
      # the analysis cannot know which organization that account is in.
      partner-org:
        trust_policy:
          Statement:
            - Effect: Allow
              Principal: { AWS: "777777777777" }
              Action: sts:AssumeRole
              Condition: { StringEquals: { "aws:PrincipalOrgID": o-partner0001 } }
      # A session's ARN says nothing of its role's path.
      session-path:
        trust_policy:
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:sts::666666666666:assumed-role/ops/ci" }
              Action: sts:AssumeRole
              Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::666666666666:role/pipelines/ops" } }
"#;

/// The edges into `role`: (from, verdict, conditions as JSON text).
fn edges_into(json: &Value, role: &str) -> Vec<(String, String, String)> {
    json["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter(|e| e["to"] == role)
        .map(|e| {
            (
                e["from"].as_str().unwrap_or_default().to_owned(),
                e["verdict"].as_str().unwrap_or_default().to_owned(),
                e["when"].to_string(),
            )
        })
        .collect()
}

#[test]
fn outside_sessions_paths_and_organizations_keep_their_edges() {
    let dir = tempfile::tempdir().expect("tempdir");
    let world = dir.path().join("outside-principals.yaml");
    std::fs::write(&world, WORLD).expect("written");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(["graph", world.to_str().expect("utf-8"), "--format", "json"])
        .output()
        .expect("xacct runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let role = |name: &str| format!("arn:aws:iam::222222222222:role/{name}");

    let session = edges_into(&json, &role("session-trust"));
    assert_eq!(session.len(), 1, "{session:?}");
    assert_eq!(session[0].0, "arn:aws:iam::999999999999:role/partner");
    assert_eq!(session[0].1, "conditional");
    assert!(session[0].2.contains("nightly"), "{session:?}");

    let path = edges_into(&json, &role("path-trust"));
    assert_eq!(
        path,
        [(
            "arn:aws:iam::888888888888:role/team/deployer".to_owned(),
            "always".to_owned(),
            "[]".to_owned()
        )]
    );

    let partner = edges_into(&json, &role("partner-org"));
    assert_eq!(partner.len(), 1, "{partner:?}");
    assert_eq!(partner[0].0, "arn:aws:iam::777777777777:root");
    assert_eq!(partner[0].1, "conditional");
    assert!(partner[0].2.contains("o-partner0001"), "{partner:?}");

    // A world account outside the organization is outside it.
    let contractor = json["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .find(|e| e["to"] == role("contractor-access"))
        .expect("the contractor's edge");
    assert_eq!(contractor["outside"], true, "{contractor}");
    assert_eq!(contractor["verdict"], "always", "{contractor}");

    // The role's path is unknown, so the ARN condition is undecided.
    let unknown_path = edges_into(&json, &role("session-path"));
    assert_eq!(unknown_path.len(), 1, "{unknown_path:?}");
    assert_eq!(unknown_path[0].1, "conditional");
    assert!(
        unknown_path[0].2.contains("role/pipelines/ops"),
        "{unknown_path:?}"
    );
}

/// An account a template imported: its trust names a role the template
/// does not hold, and the account has principals nobody imported.
const PARTIAL: &str = r#"name: partial
imported: [template.yaml]
accounts:
  "444444444444":
    partial: true
    roles:
      deploy:
        trust_policy:
          Statement:
            - { Effect: Allow, Principal: { AWS: "arn:aws:iam::444444444444:role/ExistingAdmin" }, Action: sts:AssumeRole }
      shared:
        trust_policy:
          Statement:
            - { Effect: Allow, Principal: { AWS: "arn:aws:iam::444444444444:root" }, Action: sts:AssumeRole }
"#;

#[test]
fn a_partial_account_s_other_principals_are_callers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let world = dir.path().join("partial.yaml");
    std::fs::write(&world, PARTIAL).expect("written");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(["graph", world.to_str().expect("utf-8"), "--format", "json"])
        .output()
        .expect("xacct runs");
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let role = |name: &str| format!("arn:aws:iam::444444444444:role/{name}");
    // The role the template left out, its policies unknown.
    let deploy = edges_into(&json, &role("deploy"));
    assert_eq!(
        deploy,
        [(role("ExistingAdmin"), "always".to_owned(), "[]".to_owned())]
    );
    // Any principal of the account, those nobody imported too; and the
    // roles the world holds (their sessions, with no permission to
    // assume: none of them).
    let shared = edges_into(&json, &role("shared"));
    let from: Vec<&str> = shared.iter().map(|(f, ..)| f.as_str()).collect();
    assert_eq!(
        from,
        [
            "arn:aws:iam::444444444444:role/ExistingAdmin",
            "arn:aws:iam::444444444444:root"
        ],
        "{shared:?}"
    );
    let edge = json["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .find(|e| e["from"] == "arn:aws:iam::444444444444:root")
        .expect("the stand-in's edge");
    assert_eq!(edge["outside"], false, "{edge}");
}

/// Roles trusting GitHub Actions tokens under globs on the subject.
const GLOBS: &str = r#"name: globs
imported: []
accounts:
  "222222222222":
    oidc_providers:
      token.actions.githubusercontent.com:
        client_ids: [sts.amazonaws.com]
    roles:
      owner-pinned:
        trust_policy:
          Statement:
            - Effect: Allow
              Principal: { Federated: arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com }
              Action: sts:AssumeRoleWithWebIdentity
              Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/*" } }
      any-repo:
        trust_policy:
          Statement:
            - Effect: Allow
              Principal: { Federated: arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com }
              Action: sts:AssumeRoleWithWebIdentity
              Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:*" } }
      any-owner:
        trust_policy:
          Statement:
            - Effect: Allow
              Principal: { Federated: arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com }
              Action: sts:AssumeRoleWithWebIdentity
              Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:*/app:*" } }
      # A provider the world does not hold (its account's input did not
      # list it): its tokens may still exist.
      unheld-provider:
        trust_policy:
          Statement:
            - Effect: Allow
              Principal: { Federated: arn:aws:iam::444444444444:oidc-provider/token.actions.githubusercontent.com }
              Action: sts:AssumeRoleWithWebIdentity
"#;

#[test]
fn a_glob_that_names_no_owner_pins_no_subject_and_an_unheld_provider_is_a_caller() {
    let dir = tempfile::tempdir().expect("tempdir");
    let world = dir.path().join("globs.yaml");
    std::fs::write(&world, GLOBS).expect("written");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(["graph", world.to_str().expect("utf-8")])
        .output()
        .expect("xacct runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let open = |role: &str| {
        text.contains(&format!(
            "FINDING role-open-to-any-oidc-subject: arn:aws:iam::222222222222:role/{role}"
        ))
    };
    assert!(!open("owner-pinned"), "{text}");
    assert!(open("any-repo"), "{text}");
    assert!(open("any-owner"), "{text}");
    assert!(open("unheld-provider"), "{text}");
    assert!(
        text.contains("arn:aws:iam::444444444444:oidc-provider/token.actions.githubusercontent.com --assume--> arn:aws:iam::222222222222:role/unheld-provider"),
        "{text}"
    );
}

#[test]
fn a_unique_id_in_a_condition_is_not_counted_on() {
    // The world's unique ids are derived, not AWS's: a trust pinned to the
    // real id of dev may let dev in.
    let world = r#"name: userid
imported: []
accounts:
  "111111111111":
    users:
      dev:
        policies:
          assume: { Statement: [ { Effect: Allow, Action: sts:AssumeRole, Resource: "*" } ] }
    roles:
      pinned:
        trust_policy:
          Statement:
            - Effect: Allow
              Principal: { AWS: "111111111111" }
              Action: sts:AssumeRole
              Condition: { StringEquals: { "aws:userid": AIDAREALUNIQUEID12345 } }
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("userid.yaml");
    std::fs::write(&path, world).expect("written");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(["graph", path.to_str().expect("utf-8")])
        .output()
        .expect("xacct runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("arn:aws:iam::111111111111:user/dev --assume--> arn:aws:iam::111111111111:role/pinned  [conditional: needs aws:userid StringEquals AIDAREALUNIQUEID12345]"),
        "{text}"
    );
}

#[test]
fn a_vendor_role_that_requires_an_external_id_gets_vendor_advice() {
    let world = r#"name: vendor
accounts:
  "222222222222":
    roles:
      vendor-read:
        trust_policy:
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:iam::999999999999:root" }
              Action: sts:AssumeRole
              Condition: { StringEquals: { "sts:ExternalId": "customer-7f3a" } }
      open:
        trust_policy:
          Statement:
            - { Effect: Allow, Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: sts:AssumeRole }
"#;
    let loaded = xacct::sim::build(
        xacct::sim::parse(world, "vendor.yaml").expect("parses"),
        "vendor.yaml",
    )
    .expect("builds");
    let graph = loaded.world.graph();
    let findings = loaded.world.graph_findings(&graph);
    let about = |role: &str| {
        findings
            .iter()
            .find(|f| f.rule == "role-reachable-from-outside" && f.role.ends_with(role))
            .map(|f| f.message.clone())
            .unwrap_or_default()
    };
    assert!(
        about("role/vendor-read").contains("requires an external id"),
        "{findings:?}"
    );
    assert!(!about("role/vendor-read").contains("aws:PrincipalOrgID"));
    assert!(about("role/open").contains("confine them with aws:PrincipalOrgID"));
}
