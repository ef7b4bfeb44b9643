//! The corpus of real public inputs (`tests/import/real/`, each with its
//! source, commit and licence in SOURCES.md): every file imports (or is
//! refused for what it is), and the edges that matter are asserted, with
//! and without the parameter values a deployment would give. An unknown
//! value never hides an edge: it becomes a conditional one.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const REAL: &str = "tests/import/real";

pub(crate) fn xacct(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(args)
        .output()
        .expect("xacct runs")
}

pub(crate) fn real(file: &str) -> String {
    format!("{REAL}/{file}")
}

/// Imports `args` (inputs and options) into `dir/world.yaml`; the notes.
pub(crate) fn import(dir: &Path, args: &[&str]) -> String {
    let out_path = dir.join("world.yaml");
    let mut all: Vec<&str> = args.to_vec();
    let out = out_path.to_str().expect("utf-8");
    all.extend(["-o", out]);
    let mut full = vec!["import"];
    full.extend(all);
    let run = xacct(&full);
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert_eq!(run.status.code(), Some(0), "{args:?}: {stderr}");
    stderr
}

/// The graph of `dir/world.yaml`: (from, to, verdict, conditions as text).
pub(crate) fn graph_of(dir: &Path) -> Vec<(String, String, String, String)> {
    let world = dir.join("world.yaml");
    let out = xacct(&["graph", world.to_str().expect("utf-8"), "--format", "json"]);
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    json["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            let text = |v: &Value| v.to_string();
            (
                e["from"].as_str().unwrap_or_default().to_owned(),
                e["to"].as_str().unwrap_or_default().to_owned(),
                e["verdict"].as_str().unwrap_or_default().to_owned(),
                format!("{} {}", text(&e["when"]), text(&e["unless"])),
            )
        })
        .collect()
}

pub(crate) fn has(
    edges: &[(String, String, String, String)],
    from: &str,
    to: &str,
    verdict: &str,
) -> Option<String> {
    edges
        .iter()
        .find(|(f, t, v, _)| f == from && t == to && v == verdict)
        .map(|(_, _, _, c)| c.clone())
}

const PIPELINE: [&str; 4] = [
    "refarch-pipeline-pre-reqs.yaml",
    "refarch-pipeline-code-pipeline.yaml",
    "refarch-pipeline-toolsacct-codepipeline-codecommit.yaml",
    "refarch-pipeline-toolsacct-codepipeline-cloudformation-deployer.yaml",
];

#[test]
fn the_cross_account_pipeline_imports_without_parameters_and_keeps_the_trusted_account() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files: Vec<String> = PIPELINE.iter().map(|f| real(f)).collect();
    let dev = format!("{}=222222222222", files[2]);
    let deployer = format!("{}=333333333333,444444444444", files[3]);
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    args.extend([
        "--account",
        "111111111111",
        "--account",
        &dev,
        "--account",
        &deployer,
    ]);
    let notes = import(dir.path(), &args);
    assert!(
        notes.contains("pass --parameter ToolsAccount=VALUE"),
        "{notes}"
    );
    assert!(
        notes.contains("UNRESOLVED(parameter CMKARN (no Default))"),
        "{notes}"
    );
    // The deployer template, deployed to two accounts, notes each thing once.
    let lines: Vec<&str> = notes.lines().collect();
    let unique: std::collections::BTreeSet<&str> = lines.iter().copied().collect();
    assert_eq!(lines.len(), unique.len(), "{notes}");
    // A template holds only what it deploys.
    let world = std::fs::read_to_string(dir.path().join("world.yaml")).expect("written");
    assert_eq!(world.matches("partial: true").count(), 4, "{world}");
    let edges = graph_of(dir.path());
    let tools = "UNRESOLVED(parameter ToolsAccount (no Default))";
    for role in [
        "arn:aws:iam::222222222222:role/ToolsAcctCodePipelineCodeCommitRole",
        "arn:aws:iam::333333333333:role/ToolsAcctCodePipelineCloudFormationRole",
        "arn:aws:iam::444444444444:role/ToolsAcctCodePipelineCloudFormationRole",
    ] {
        let conditions = has(&edges, tools, role, "conditional")
            .unwrap_or_else(|| panic!("the trusted account's edge into {role}: {edges:?}"));
        assert!(conditions.contains("names the caller"), "{conditions}");
    }
    // The pipeline role's own grant names its targets by parameters too:
    // the one edge that matters stands, conditional on both, and only
    // into roles whose names the grant's widened patterns match.
    let pipeline = "arn:aws:iam::111111111111:role/sample-lambda-codepipeline-role";
    let dev = "arn:aws:iam::222222222222:role/ToolsAcctCodePipelineCodeCommitRole";
    let conditions = has(&edges, pipeline, dev, "conditional")
        .unwrap_or_else(|| panic!("the pipeline role's edge into {dev}: {edges:?}"));
    assert!(conditions.contains("parameter DevAccount"), "{conditions}");
    assert!(
        !conditions.contains("parameter TestAccount"),
        "{conditions}"
    );
    assert!(
        conditions.contains("parameter ToolsAccount"),
        "{conditions}"
    );
    // A gate over it fails: the deploy-time account is outside.
    let checks = dir.path().join("checks.yaml");
    std::fs::write(
        &checks,
        "name: checks\nworld: world.yaml\nassert:\n  - not_reachable_from_outside_org: { role: \"arn:aws:iam::222222222222:role/*\" }\n",
    )
    .expect("written");
    let out = xacct(&["sim", checks.to_str().expect("utf-8")]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn the_pipeline_with_its_parameters_is_one_four_account_world() {
    let dir = tempfile::tempdir().expect("tempdir");
    let params = dir.path().join("parameters.json");
    std::fs::write(
        &params,
        r#"[{"ParameterKey": "ToolsAccount", "ParameterValue": "111111111111"},
            {"ParameterKey": "DevAccount", "ParameterValue": "222222222222"},
            {"ParameterKey": "TestAccount", "ParameterValue": "333333333333"},
            {"ParameterKey": "ProductionAccount", "ParameterValue": "444444444444"},
            {"ParameterKey": "S3Bucket", "ParameterValue": "pipeline-artifacts"},
            {"ParameterKey": "CMKARN", "ParameterValue": "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]"#,
    )
    .expect("written");
    let files: Vec<String> = PIPELINE.iter().map(|f| real(f)).collect();
    let dev = format!("{}=222222222222", files[2]);
    let deployer = format!("{}=333333333333,444444444444", files[3]);
    let params = params.to_str().expect("utf-8").to_owned();
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    args.extend([
        "--parameters",
        &params,
        "--account",
        "111111111111",
        "--account",
        &dev,
        "--account",
        &deployer,
    ]);
    let notes = import(dir.path(), &args);
    assert!(!notes.contains("UNRESOLVED(parameter"), "{notes}");
    let edges = graph_of(dir.path());
    let pipeline = "arn:aws:iam::111111111111:role/sample-lambda-codepipeline-role";
    for role in [
        "arn:aws:iam::222222222222:role/ToolsAcctCodePipelineCodeCommitRole",
        "arn:aws:iam::333333333333:role/ToolsAcctCodePipelineCloudFormationRole",
        "arn:aws:iam::444444444444:role/ToolsAcctCodePipelineCloudFormationRole",
    ] {
        assert!(
            has(&edges, pipeline, role, "always").is_some(),
            "the pipeline role reaches {role}: {edges:?}"
        );
    }
    assert!(
        !edges.iter().any(|(f, ..)| f.contains("UNRESOLVED")),
        "{edges:?}"
    );
}

#[test]
fn a_given_parameter_names_the_trusted_account_and_a_typo_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = real(PIPELINE[2]);
    import(
        dir.path(),
        &[
            &file,
            "--account",
            "222222222222",
            "--parameter",
            "ToolsAccount=999999999999",
        ],
    );
    let edges = graph_of(dir.path());
    assert!(
        has(
            &edges,
            "arn:aws:iam::999999999999:root",
            "arn:aws:iam::222222222222:role/ToolsAcctCodePipelineCodeCommitRole",
            "always"
        )
        .is_some(),
        "{edges:?}"
    );
    let out = xacct(&[
        "import",
        &file,
        "--account",
        "222222222222",
        "--parameter",
        "ToolAccount=999999999999",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "parameter `ToolAccount` is declared by no template among the inputs (did you mean ToolsAccount?)"
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn stackset_and_bootstrap_roles_keep_their_administrator_accounts() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A default the template gives.
    import(
        dir.path(),
        &[
            &real("sra-common-prerequisites-stackset-execution-role.yaml"),
            "--account",
            "111111111111",
        ],
    );
    let edges = graph_of(dir.path());
    assert!(
        has(
            &edges,
            "arn:aws:iam::333333333333:root",
            "arn:aws:iam::111111111111:role/sra-execution",
            "always"
        )
        .is_some(),
        "{edges:?}"
    );
    // The same account's root: a template holds only some of the
    // account's principals, so any other principal of it may get in.
    import(
        dir.path(),
        &[
            &real("sra-common-prerequisites-control-tower-execution-role.yaml"),
            "--account",
            "111111111111",
        ],
    );
    let edges = graph_of(dir.path());
    assert_eq!(edges.len(), 1, "{edges:?}");
    assert!(
        has(
            &edges,
            "arn:aws:iam::111111111111:root",
            "arn:aws:iam::111111111111:role/AWSControlTowerExecution",
            "always"
        )
        .is_some(),
        "{edges:?}"
    );
    // No default: an unknown caller, then the account given.
    let file = real("adf-OrganizationAccountAccessRole.yaml");
    import(dir.path(), &[&file, "--account", "111111111111"]);
    let role = "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole";
    assert!(
        has(
            &graph_of(dir.path()),
            "UNRESOLVED(parameter AdministratorAccountId (no Default))",
            role,
            "conditional"
        )
        .is_some()
    );
    import(
        dir.path(),
        &[
            &file,
            "--account",
            "111111111111",
            "--parameter",
            "AdministratorAccountId=222222222222",
        ],
    );
    assert!(
        has(
            &graph_of(dir.path()),
            "arn:aws:iam::222222222222:root",
            role,
            "always"
        )
        .is_some()
    );
}

#[test]
fn bootstrap_roles_narrowed_by_principal_arn_stay_conditional_from_the_deployment_account() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = real("adf-bootstrap-global.yml");
    // SSM parameter types: their defaults name SSM parameters, not values.
    let notes = import(dir.path(), &[&file, "--account", "111111111111"]);
    assert!(
        notes.contains("parameter DeploymentAccountId (read from SSM at deploy)"),
        "{notes}"
    );
    let edges = graph_of(dir.path());
    let role = "arn:aws:iam::111111111111:role/adf-codecommit-role";
    let unknown =
        "arn:aws:iam::UNRESOLVED(parameter DeploymentAccountId (read from SSM at deploy)):root";
    assert!(
        has(&edges, unknown, role, "conditional").is_some(),
        "{edges:?}"
    );
    import(
        dir.path(),
        &[
            &file,
            "--account",
            "111111111111",
            "--parameter",
            "DeploymentAccountId=222222222222",
            "--parameter",
            "ManagementAccountId=333333333333",
        ],
    );
    let edges = graph_of(dir.path());
    let conditions = has(
        &edges,
        "arn:aws:iam::222222222222:root",
        role,
        "conditional",
    )
    .unwrap_or_else(|| panic!("{edges:?}"));
    assert!(
        conditions.contains(
            "aws:PrincipalArn ArnEquals arn:aws:iam::222222222222:role/adf-codepipeline-role"
        ),
        "{conditions}"
    );
    assert!(
        has(
            &edges,
            "arn:aws:iam::333333333333:root",
            "arn:aws:iam::111111111111:role/adf/bootstrap/adf-bootstrap-update-deployment-role",
            "conditional"
        )
        .is_some(),
        "{edges:?}"
    );
}

#[test]
fn a_comma_separated_parameter_trusts_each_account() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = real("cfn-templates-VPCPeering-Accepter-Role.cfn.yaml");
    let notes = import(dir.path(), &[&file, "--account", "111111111111"]);
    // AWS::StackName in a tag: a placeholder, not a refusal.
    assert!(notes.contains("UNRESOLVED(Ref AWS::StackName)"), "{notes}");
    let role = "arn:aws:iam::111111111111:role/PeerRole";
    assert!(
        has(
            &graph_of(dir.path()),
            "UNRESOLVED(parameter PeerOwnerIds (no Default))",
            role,
            "conditional"
        )
        .is_some()
    );
    import(
        dir.path(),
        &[
            &file,
            "--account",
            "111111111111",
            "--parameter",
            "PeerOwnerIds=222222222222,333333333333",
        ],
    );
    let edges = graph_of(dir.path());
    for account in ["222222222222", "333333333333"] {
        assert!(
            has(
                &edges,
                &format!("arn:aws:iam::{account}:root"),
                role,
                "always"
            )
            .is_some(),
            "{edges:?}"
        );
    }
}
