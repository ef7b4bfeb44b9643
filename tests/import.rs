//! `xacct import` on inputs written to AWS's published shapes: the raw
//! `GetAccountAuthorizationDetails` answer (URL-encoded policy documents)
//! and the AWS CLI's output (decoded), with groups, customer and AWS
//! managed policies (default versions), a permissions boundary and paths;
//! the imported world decides as the accounts would; the text is the same
//! on every import; bad input names the file and place and writes nothing.

use std::path::Path;
use std::process::{Command, Output};

use xacct::cloud::AssumeRoleRequest;
use xacct::sim::{self, Loaded, Service, Starter};

const A: &str = "tests/import/account-a-api.json";
const B: &str = "tests/import/account-b-cli.json";

pub(crate) fn import(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xacct"))
        .arg("import")
        .args(args)
        .output()
        .expect("xacct runs")
}

fn imported_world(dir: &Path) -> Loaded {
    let out_path = dir.join("world.yaml");
    let out = import(&[
        A,
        B,
        "--buckets",
        "111111111111=tests/import/buckets-a.json",
        "--buckets",
        "222222222222=tests/import/buckets-b.json",
        "-o",
        out_path.to_str().expect("path"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    sim::load(&out_path).unwrap_or_else(|e| panic!("{e}"))
}

/// AssumeRole of `role` by the long-term key of `who`: the error code, or `allowed`.
pub(crate) fn assume(loaded: &Loaded, who: &str, role: &str) -> String {
    let creds = sim::credentials_for(
        loaded,
        &Starter {
            arn: who,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let principal = loaded
        .world
        .authenticate(&creds, Service::Sts)
        .unwrap_or_else(|r| panic!("{}", r.error.message));
    let request = AssumeRoleRequest {
        role_arn: role.to_owned(),
        session_name: "imported".to_owned(),
        ..Default::default()
    };
    match crate::support::call(
        &loaded.world,
        &principal,
        sim::Request::AssumeRole(request),
        crate::support::assumed,
    )
    .result
    {
        Ok(_) => "allowed".to_owned(),
        Err(e) => e.code,
    }
}

#[test]
fn the_imported_world_decides_as_the_accounts_would() {
    let dir = tempfile::tempdir().expect("dir");
    let loaded = imported_world(dir.path());
    let viewer = "arn:aws:iam::222222222222:role/s3-viewer";
    // homes through the devs group's inline policy, the intern through the
    // default version (v2) of a customer managed policy.
    assert_eq!(
        assume(&loaded, "arn:aws:iam::111111111111:user/homes", viewer),
        "allowed"
    );
    assert_eq!(
        assume(
            &loaded,
            "arn:aws:iam::111111111111:user/interns/intern",
            viewer
        ),
        "allowed"
    );
    assert_eq!(
        assume(&loaded, "arn:aws:iam::111111111111:user/auditor", viewer),
        "AccessDenied"
    );
    // The admin role's trust requires MFA.
    assert_eq!(
        assume(
            &loaded,
            "arn:aws:iam::111111111111:user/homes",
            "arn:aws:iam::222222222222:role/ops/admin"
        ),
        "AccessDenied"
    );
    let inventory = loaded.world.inventory();
    let account = |id| inventory.account(id).expect("the account");
    let role = account("222222222222").role("s3-viewer").expect("role");
    assert!(
        role.boundary.is_some(),
        "the permissions boundary came along"
    );
    assert_eq!(role.inline[0].0, "managed/AmazonS3ReadOnlyAccess");
    assert_eq!(account("111111111111").buckets[0], "account-a-bucket");
    assert_eq!(
        account("111111111111").user("intern").expect("intern").path,
        "/interns/"
    );
}

#[test]
fn an_import_is_the_same_text_every_time_and_in_any_argument_order() {
    let once = import(&[A, B]);
    let again = import(&[B, A]);
    assert_eq!(once.status.code(), Some(0));
    assert_eq!(once.stdout, again.stdout);
    let text = String::from_utf8(once.stdout).expect("utf-8");
    assert!(text.contains("name: imported") && text.contains("group/devs/assume-and-read"));
    assert!(
        String::from_utf8_lossy(&once.stderr).contains(
            "the AWS managed policy ReadOnlyAccess is taken from xacct's catalogue (version v128"
        ),
        "what is assumed is said"
    );
}

#[test]
fn bad_input_names_the_file_and_place_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let out_path = dir.path().join("world.yaml");
    let out_arg = out_path.to_str().expect("path");
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("written");
        p.to_str().expect("path").to_owned()
    };
    let mixed = write(
        "mixed.json",
        r#"{"UserDetailList":[{"UserName":"a","Arn":"arn:aws:iam::111111111111:user/a"}],
            "RoleDetailList":[{"RoleName":"r","Arn":"arn:aws:iam::222222222222:role/r","AssumeRolePolicyDocument":{}}]}"#,
    );
    let truncated = write(
        "page.json",
        r#"{"UserDetailList":[{"UserName":"a","Arn":"arn:aws:iam::111111111111:user/a"}],"IsTruncated":true,"Marker":"x"}"#,
    );
    let bad_doc = write(
        "bad-doc.json",
        r#"{"RoleDetailList":[{"RoleName":"r","Arn":"arn:aws:iam::111111111111:role/r","AssumeRolePolicyDocument":"%7B%22Statement%22%3A%5B%5D%2C%22Statement%22%3A%5B%5D%7D"}]}"#,
    );
    let cases: [(&str, &str); 3] = [
        (
            "tests/import/buckets-a.json",
            "tests/import/buckets-a.json: it names no user and no role",
        ),
        (&truncated, "IsTruncated is true"),
        (
            &bad_doc,
            "RoleDetailList[0] (r).AssumeRolePolicyDocument: not a policy document",
        ),
    ];
    for (file, wanted) in cases {
        let out = import(&[file, "-o", out_arg]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{file}: {stderr}");
        assert!(
            stderr.contains(wanted),
            "{file}: wanted {wanted:?} in {stderr}"
        );
        assert!(!out_path.exists(), "{file}: nothing is written");
    }
    // Details of two accounts joined in one file: each entity lands in the
    // account its ARN names (AWS writes one account per file).
    let out = import(&[&mixed, "-o", out_arg]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("it holds the details of accounts 111111111111, 222222222222"),
        "{stderr}"
    );
    let world = std::fs::read_to_string(&out_path).expect("written");
    assert!(
        world.contains("'111111111111'") || world.contains("\"111111111111\""),
        "{world}"
    );
    let out = import(&[A, "--buckets", "999999999999=tests/import/buckets-a.json"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("account 999999999999 has no authorization details")
    );
}

#[test]
fn a_terraform_plan_in_two_accounts_imports_with_references_and_unknowns_reported() {
    let dir = tempfile::tempdir().expect("dir");
    let out_path = dir.path().join("planned.yaml");
    let out = import(&[
        "tests/import/terraform-plan.json",
        "-o",
        out_path.to_str().expect("path"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // Unknown until apply: said, never guessed.
    assert!(
        stderr.contains("aws_iam_role.scratch: its name is known only after apply"),
        "{stderr}"
    );
    assert!(
        stderr.contains("aws_iam_role_policy_attachment.readonly: the AWS managed policy ReadOnlyAccess is taken from xacct's catalogue"),
        "{stderr}"
    );
    // The world's description keeps a substitute apart from a gap.
    let text = std::fs::read_to_string(&out_path).expect("written");
    let taken = text
        .find("Taken from xacct's catalogue:")
        .expect("the catalogue part");
    let left_out = text.find("Left out:").expect("the left-out part");
    assert!(taken < left_out);
    assert!(!text[left_out..].contains("is taken from xacct's catalogue"));
    let loaded = sim::load(&out_path).unwrap_or_else(|e| panic!("{e}"));
    let inventory = loaded.world.inventory();
    let account = |id| inventory.account(id).expect("the account");
    // The default provider's allowed_account_ids and the aliased
    // provider's assume_role ARN place the resources.
    let ci = account("111111111111").user("ci-bot").expect("ci-bot");
    assert!(ci.tags.contains(&("team".into(), "ci".into())));
    let role = account("222222222222").role("prod-deployer").expect("role");
    // The attachment's role and policy_arn are unknown until apply: found
    // through the configuration's references.
    assert!(
        role.inline.iter().any(|(n, _)| n == "managed/deploy"),
        "{:?}",
        role.inline
    );
    // The plan's customer managed policy is kept in its account, so a
    // session's PolicyArns can name it.
    assert!(
        account("222222222222")
            .managed_policies
            .contains(&"deploy".to_owned()),
        "{:?}",
        account("222222222222").managed_policies
    );
    // An AWS managed policy the plan only names comes from the catalogue.
    assert!(
        role.inline
            .iter()
            .any(|(n, _)| n == "managed/ReadOnlyAccess"),
        "{:?}",
        role.inline
    );
    assert!(
        account("222222222222")
            .oidc_providers
            .iter()
            .any(|p| p.url == "token.actions.githubusercontent.com")
    );
    assert_eq!(account("222222222222").buckets[0], "prod-site");
    assert_eq!(
        assume(
            &loaded,
            "arn:aws:iam::111111111111:user/automation/ci-bot",
            "arn:aws:iam::222222222222:role/prod-deployer"
        ),
        "allowed"
    );
    let bare = dir.path().join("bare.json");
    std::fs::write(
        &bare,
        r#"{"format_version":"1.2","terraform_version":"1.9.5","values":{"root_module":{"resources":[
            {"address":"aws_iam_user.x","mode":"managed","type":"aws_iam_user","name":"x","values":{"name":"x"}}]}}}"#,
    )
    .expect("written");
    let no_account = import(&[bare.to_str().expect("path")]);
    assert_eq!(no_account.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&no_account.stderr).contains("names no account; pass --account ID"),
        "{}",
        String::from_utf8_lossy(&no_account.stderr)
    );
    let with_account = import(&[bare.to_str().expect("path"), "--account", "333333333333"]);
    assert_eq!(with_account.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&with_account.stdout).contains("\"333333333333\""));
}

#[test]
fn a_child_module_s_policy_attachment_resolves_through_its_module_s_references() {
    let out = import(&["tests/import/terraform-module-plan.json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let world: serde_json::Value =
        serde_saphyr::from_str(&String::from_utf8_lossy(&out.stdout)).expect("YAML");
    // `roles` and `policy_arn` are known only after apply; the module's
    // configuration says they are aws_iam_role.this and aws_iam_policy.this.
    let role = &world["accounts"]["222222222222"]["roles"]["mod-deployer"];
    assert_eq!(
        role["policies"]["managed/mod-deploy"]["Statement"][0]["Action"], "s3:PutObject",
        "{world}"
    );
    assert!(!stderr.contains("left out"), "{stderr}");
}

#[test]
fn an_organization_from_aws_cli_output_bounds_the_imported_world() {
    let dir = tempfile::tempdir().expect("dir");
    let out_path = dir.path().join("world.yaml");
    let out = import(&[
        A,
        B,
        "--org-dir",
        "tests/import/org",
        "-o",
        out_path.to_str().expect("path"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let loaded = sim::load(&out_path).expect("loads");
    let org = loaded
        .world
        .inventory()
        .organization
        .expect("an organization")
        .description;
    assert_eq!(
        (org.id.as_str(), org.management.as_str()),
        ("o-a1b2c3d4e5", "333333333333")
    );
    // Account A sits in Sandbox, whose SCP denies sts:AssumeRole: homes,
    // allowed without the organization, is refused now.
    assert_eq!(
        assume(
            &loaded,
            "arn:aws:iam::111111111111:user/homes",
            "arn:aws:iam::222222222222:role/s3-viewer"
        ),
        "AccessDenied"
    );
    let text = std::fs::read_to_string(&out_path).expect("written");
    assert!(text.contains("sandbox-no-assume"), "{text}");
    // A missing file is named with the command that writes it.
    let empty = tempfile::tempdir().expect("dir");
    let missing = import(&[A, "--org-dir", empty.path().to_str().expect("path")]);
    assert_eq!(missing.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&missing.stderr)
        .contains("describe-organization.json: missing; write it with `aws organizations describe-organization > describe-organization.json`"));
}

#[test]
fn an_id_inside_an_organization_file_never_leads_outside_its_directory() {
    // Files written from a hostile endpoint's answers: an OU id that is a
    // path. Beside the directory lies a listing whose account would enter
    // the world if the id were followed.
    let base = tempfile::tempdir().expect("dir");
    let org = base.path().join("org");
    std::fs::create_dir(&org).expect("mkdir");
    for entry in std::fs::read_dir("tests/import/org").expect("reads") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, org.join(path.file_name().expect("name"))).expect("copies");
    }
    std::fs::create_dir(org.join("accounts-x")).expect("mkdir");
    std::fs::write(
        base.path().join("planted.json"),
        r#"{"Accounts": [{"Id": "999999999999", "Name": "planted"}]}"#,
    )
    .expect("writes");
    std::fs::write(
        org.join("ous-r-ab12.json"),
        r#"{"OrganizationalUnits": [{"Id": "x/../../planted", "Name": "Escape"}]}"#,
    )
    .expect("writes");
    let out = import(&[A, "--org-dir", org.to_str().expect("path")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("ous-r-ab12.json: `x/../../planted` is not an id Organizations gives"),
        "{stderr}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("999999999999"));
    // An account id that is not 12 digits is refused the same way.
    std::fs::copy(
        "tests/import/org/ous-r-ab12.json",
        org.join("ous-r-ab12.json"),
    )
    .expect("copies");
    std::fs::write(
        org.join("accounts-r-ab12.json"),
        r#"{"Accounts": [{"Id": "../../etc", "Name": "odd"}]}"#,
    )
    .expect("writes");
    let out = import(&[A, "--org-dir", org.to_str().expect("path")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("an account id is 12 digits"), "{stderr}");
}
