//! `xacct import` on CloudFormation templates: YAML with the short-form
//! intrinsics and JSON with the long forms, resolved through parameters,
//! mappings, conditions and the template's own resources; what only a
//! deployment knows is reported, never guessed.

use std::process::Command;

use xacct::sim;

use crate::import::{assume, import};

const STACK: &str = "tests/import/cfn-stack.yaml";
const SMALL: &str = "tests/import/cfn-small.json";

/// Imports a template written from `text` into account 111111111111: the
/// exit code and stderr.
fn import_template(text: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let template = dir.path().join("template.yaml");
    std::fs::write(&template, text).expect("written");
    let out = import(&[
        template.to_str().expect("utf-8"),
        "--account",
        "111111111111",
    ]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_yaml_template_with_intrinsics_imports_with_unknowns_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("stack.yaml");
    let out = import(&[
        STACK,
        "--account",
        "222222222222",
        "-o",
        path.to_str().expect("utf-8"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // Reported, each with its place: a parameter without a default, an
    // import from another stack, a name CloudFormation generates.
    assert!(stderr.contains("Resources.PartnerRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals.sts:ExternalId: parameter PartnerExternalId (no Default) is known only once deployed"), "{stderr}");
    assert!(stderr.contains("Resources.DeployRole.Properties.AssumeRolePolicyDocument.Statement[1].Principal.AWS: Fn::ImportValue"), "{stderr}");
    assert!(stderr.contains("Resources.PartnerRole: no RoleName, so CloudFormation generates one at deploy; imported as `PartnerRole`"), "{stderr}");
    let loaded = sim::load(&path).expect("the world loads");
    let inventory = loaded.world.inventory();
    let b = inventory.account("222222222222").expect("account B");
    // !Sub "${Env}-deployer" with Env's default.
    let deployer = b.role("prod-deployer").expect("the deployer");
    assert_eq!(deployer.max_session_duration, 7200);
    // Tags, with intrinsics resolved: aws:PrincipalTag/* of its sessions.
    assert!(deployer.tags.contains(&("team".into(), "prod".into())));
    assert!(
        deployer.boundary.is_some(),
        "!Ref Boundary is the managed policy's ARN"
    );
    let names: Vec<&str> = deployer.inline.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["list-buckets", "read-artifacts"],
        "AWS::IAM::Policy attaches through Roles"
    );
    let text = std::fs::read_to_string(&path).expect("written");
    // !GetAtt Artifacts.Arn and !Join on it, with !FindInMap for the name.
    assert!(
        text.contains("- arn:aws:s3:::acme-prod-artifacts\n"),
        "{text}"
    );
    assert!(
        text.contains("- arn:aws:s3:::acme-prod-artifacts/*\n"),
        "{text}"
    );
    assert_eq!(b.buckets[0], "acme-prod-artifacts");
    assert!(
        b.oidc_providers
            .iter()
            .any(|p| p.url == "token.actions.githubusercontent.com")
    );
    // DevUser's condition IsDev is false with Env's default.
    assert!(b.users.is_empty());
    // !Sub with ${AWS::Partition} and ${CiAccountId}: the CI role, from
    // outside the world, reaches the deployer.
    let graph = Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(["graph", path.to_str().expect("utf-8")])
        .output()
        .expect("xacct runs");
    let graph = String::from_utf8_lossy(&graph.stdout);
    assert!(graph.contains("arn:aws:iam::111111111111:role/ci --assume--> arn:aws:iam::222222222222:role/prod-deployer  [from outside the organization]"), "{graph}");
}

#[test]
fn a_json_template_resolves_references_between_its_resources() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("small.yaml");
    let out = import(&[
        SMALL,
        "--account",
        "111111111111",
        "-o",
        path.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let loaded = sim::load(&path).expect("loads");
    assert_eq!(
        assume(
            &loaded,
            "arn:aws:iam::111111111111:user/people/reader",
            "arn:aws:iam::111111111111:role/viewer"
        ),
        "allowed"
    );
}

#[test]
fn a_template_without_an_account_or_with_a_broken_resource_is_refused_with_its_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("never.yaml");
    let out = import(&[STACK, "-o", path.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tests/import/cfn-stack.yaml: a CloudFormation template does not say which account it deploys to; pass --account ID"), "{stderr}");
    assert!(!path.exists(), "nothing is written");
    let broken = dir.path().join("broken.yaml");
    std::fs::write(
        &broken,
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Role:\n    Properties: { RoleName: x }\n",
    )
    .expect("written");
    let out = import(&[broken.to_str().expect("utf-8"), "--account", "111111111111"]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.yaml: Resources.Role: a resource needs a `Type`"),
        "{stderr}"
    );
}

#[test]
fn conditions_that_refer_to_themselves_are_reported_not_followed_forever() {
    let (code, stderr) = import_template(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nConditions:\n  A: !Not [!Condition B]\n  B: !Not [!Condition A]\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Condition: A\n    Properties: { BucketName: looped }\n",
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("refers to itself through A -> B"),
        "{stderr}"
    );
}

#[test]
fn a_principal_spliced_from_an_unknown_parameter_is_kept_as_an_unknown_caller() {
    let (code, stderr) = import_template(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  Trusted: { Type: String }\nResources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: cross\n      AssumeRolePolicyDocument:\n        Statement:\n          - { Effect: Allow, Principal: { AWS: !Sub \"arn:aws:iam::${Trusted}:root\" }, Action: sts:AssumeRole }\n",
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("parameter Trusted (no Default)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("imported as the placeholder `UNRESOLVED(parameter Trusted (no Default))`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("pass --parameter Trusted=VALUE"),
        "{stderr}"
    );
}

/// A template whose deny policy exists only in some deployments.
const MAYBE_DENIED: &str = r#"Parameters:
  Env: { Type: String }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Dev:
    Type: AWS::IAM::User
    Properties:
      UserName: dev
      Policies:
        - PolicyName: assume
          PolicyDocument:
            Statement: [{ Effect: Allow, Action: sts:AssumeRole, Resource: "*" }]
  Target:
    Type: AWS::IAM::Role
    Properties:
      RoleName: target
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:user/dev" }
            Action: sts:AssumeRole
  NoAssume:
    Type: AWS::IAM::Policy
    Condition: IsProd
    Properties:
      PolicyName: no-assume
      Users: [!Ref Dev]
      PolicyDocument:
        Statement: [{ Effect: Deny, Action: sts:AssumeRole, Resource: "*" }]
"#;

#[test]
fn a_deny_a_deployment_may_not_create_is_not_counted_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let template = dir.path().join("template.yaml");
    std::fs::write(&template, MAYBE_DENIED).expect("written");
    let world = dir.path().join("world.yaml");
    let out = import(&[
        template.to_str().expect("utf-8"),
        "--account",
        "111111111111",
        "-o",
        world.to_str().expect("utf-8"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("Resources.NoAssume: its condition IsProd is known only once deployed; imported as if true (its Deny statements not counted on)"),
        "{stderr}"
    );
    let graph = Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(["graph", world.to_str().expect("utf-8")])
        .output()
        .expect("xacct runs");
    let graph = String::from_utf8_lossy(&graph.stdout);
    let edge = graph
        .lines()
        .find(|l| l.starts_with("arn:aws:iam::111111111111:user/dev --assume--> arn:aws:iam::111111111111:role/target"))
        .unwrap_or_else(|| panic!("the edge stands: {graph}"));
    assert!(
        edge.contains("unless") && edge.contains("UNRESOLVED(condition IsProd"),
        "{edge}"
    );
    // Given the value, the deny is sure: no edge.
    let out = import(&[
        template.to_str().expect("utf-8"),
        "--account",
        "111111111111",
        "--parameter",
        "Env=prod",
        "-o",
        world.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let graph = Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(["graph", world.to_str().expect("utf-8")])
        .output()
        .expect("xacct runs");
    let graph = String::from_utf8_lossy(&graph.stdout);
    assert!(
        !graph.contains("user/dev --assume--> arn:aws:iam::111111111111:role/target"),
        "{graph}"
    );
}

#[test]
fn a_user_s_groups_may_grant_it_anything() {
    // The role trusts the account, so only the user's own policies can let
    // it in: a group's, which templates do not import, might.
    let template = r#"Resources:
  Dev:
    Type: AWS::IAM::User
    Properties:
      UserName: dev
      Groups: [admins]
  Ops:
    Type: AWS::IAM::User
    Properties:
      UserName: ops
  OpsInDeployers:
    Type: AWS::IAM::UserToGroupAddition
    Properties:
      GroupName: deployers
      Users: [!Ref Ops]
  Target:
    Type: AWS::IAM::Role
    Properties:
      RoleName: target
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root" }
            Action: sts:AssumeRole
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("template.yaml");
    std::fs::write(&path, template).expect("written");
    let world = dir.path().join("world.yaml");
    let out = import(&[
        path.to_str().expect("utf-8"),
        "--account",
        "111111111111",
        "-o",
        world.to_str().expect("utf-8"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("Resources.Dev.Properties: the user is in group admins"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("UserToGroupAddition is not imported"),
        "{stderr}"
    );
    let graph = Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(["graph", world.to_str().expect("utf-8")])
        .output()
        .expect("xacct runs");
    let graph = String::from_utf8_lossy(&graph.stdout);
    for user in ["dev", "ops"] {
        let edge = format!(
            "arn:aws:iam::111111111111:user/{user} --assume--> arn:aws:iam::111111111111:role/target  [conditional"
        );
        assert!(graph.contains(&edge), "{user}: {graph}");
    }
}
