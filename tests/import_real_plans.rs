//! The corpus of real public inputs, Terraform plans and authorization
//! details (`tests/import/real/`, sources in SOURCES.md): what a plan
//! knows is imported, what it does not stays a placeholder, and the
//! assumable-roles module's MFA-gated roles stay reachable from outside.

use super::import_real::{graph_of, has, import, real, xacct};

#[test]
fn terraform_plans_import_what_they_know_and_keep_what_they_do_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    import(
        dir.path(),
        &[
            &real("tfplan-iam-policy-validator-public_access-test_plan.json"),
            "--account",
            "111111111111",
        ],
    );
    let edges = graph_of(dir.path());
    for role in ["test_role", "iam_for_lambda_with_sns"] {
        assert!(
            has(
                &edges,
                "*",
                &format!("arn:aws:iam::111111111111:role/{role}"),
                "always"
            )
            .is_some(),
            "{edges:?}"
        );
    }
    // Trust policies known only after apply: a caller the deployment names.
    let notes = import(
        dir.path(),
        &[
            &real("tfplan-checkov-GithubActionsOIDCTrustPolicy.json"),
            "--account",
            "111111111111",
        ],
    );
    assert!(
        notes.contains("assume_role_policy is known only after apply"),
        "{notes}"
    );
    let edges = graph_of(dir.path());
    assert_eq!(
        edges
            .iter()
            .filter(
                |(f, _, v, _)| f.starts_with("UNRESOLVED(assume_role_policy of")
                    && v == "conditional"
            )
            .count(),
        4,
        "{edges:?}"
    );
    // A trust policy IAM refuses: the role cannot be created, said so.
    let notes = import(
        dir.path(),
        &[
            &real("tfplan-terraform-compliance-issue-203.json"),
            "--account",
            "111111111111",
        ],
    );
    assert!(
        notes.contains("its trust policy is refused by IAM (MalformedPolicyDocument"),
        "{notes}"
    );
    assert!(notes.contains("`something` is not an ARN"), "{notes}");
    // Service trust only: no caller of the world gets in.
    import(
        dir.path(),
        &[
            &real("tfplan-checkov-plan_with_iam_policies.json"),
            "--account",
            "111111111111",
        ],
    );
    assert!(graph_of(dir.path()).is_empty());
}

#[test]
fn authorization_details_import_and_a_file_naming_no_account_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let notes = import(
        dir.path(),
        &[&real("auth-details-cloudsplaining-example.json")],
    );
    assert!(
        notes.contains("it holds the details of accounts 012345678901, 200611803367"),
        "{notes}"
    );
    // Authorization details list every principal of an account.
    let world = std::fs::read_to_string(dir.path().join("world.yaml")).expect("written");
    assert!(!world.contains("partial: true"), "{world}");
    let edges = graph_of(dir.path());
    assert!(
        has(
            &edges,
            "arn:aws:iam::072528804237:root",
            "arn:aws:iam::200611803367:role/OrganizationAccountAccessRole",
            "always"
        )
        .is_some(),
        "{edges:?}"
    );
    let out = xacct(&["import", &real("auth-details-cloudmapper-demo.json")]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "`arn:aws:iam::aws:user/USER_WITH_BAD_INLINE_POLICY` is not an IAM ARN of an account"
        ) && String::from_utf8_lossy(&out.stderr)
            .contains("fix that entity's `Arn` or remove the entity"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// terraform-aws-modules/terraform-aws-iam `examples/iam-assumable-roles`,
/// as `terraform show -json` plans derived from the module (see
/// `derived/derive.py`): an admin role another account's user and root may
/// assume with MFA, which a gate must never call unreachable.
#[test]
fn the_assumable_roles_module_s_admin_is_reachable_from_outside_under_mfa() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = real("derived/iam-assumable-roles.plan.json");
    // The account comes from the plan's data.aws_caller_identity.
    import(dir.path(), &[&plan]);
    let edges = graph_of(dir.path());
    let admin = "arn:aws:iam::111111111111:role/admin";
    let anton = "arn:aws:iam::835367859851:user/anton";
    for from in [anton, "arn:aws:iam::307990089504:root"] {
        let conditions =
            has(&edges, from, admin, "conditional").unwrap_or_else(|| panic!("{edges:?}"));
        assert!(
            conditions.contains("aws:MultiFactorAuthPresent Bool true"),
            "{conditions}"
        );
        assert!(
            conditions.contains("aws:MultiFactorAuthAge NumericLessThan 86400"),
            "{conditions}"
        );
        assert!(
            has(
                &edges,
                from,
                "arn:aws:iam::111111111111:role/readonly",
                "always"
            )
            .is_some(),
            "{edges:?}"
        );
    }
    let world = dir.path().join("world.yaml");
    let world = world.to_str().expect("utf-8");
    let path = xacct(&["graph", world, "--from", anton, "--to", admin]);
    assert_eq!(path.status.code(), Some(0));
    let text = String::from_utf8_lossy(&path.stdout);
    assert!(text.contains("path 1 (1 hop(s), conditional)"), "{text}");
    let checks = dir.path().join("checks.yaml");
    for fact in [
        "not_reachable_from_outside_org: { role: \"arn:aws:iam::111111111111:role/admin\" }",
        "can_assume: { role: \"arn:aws:iam::111111111111:role/admin\", only: [] }",
    ] {
        std::fs::write(
            &checks,
            format!("name: checks\nworld: world.yaml\nassert:\n  - {fact}\n"),
        )
        .expect("written");
        let out = xacct(&["sim", checks.to_str().expect("utf-8")]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{fact}: {stdout}");
        assert!(stdout.contains(anton), "{stdout}");
    }
    // Accepting MFA as the guard: the MFA-gated admin passes, readonly does not.
    std::fs::write(
        &checks,
        format!("name: checks\nworld: world.yaml\nassert:\n  - cannot_reach: {{ from: {anton}, role: {admin}, unless: [aws:MultiFactorAuthPresent] }}\n  - cannot_reach: {{ from: {anton}, role: \"arn:aws:iam::111111111111:role/readonly\", unless: [aws:MultiFactorAuthPresent] }}\n"),
    )
    .expect("written");
    let out = xacct(&["sim", checks.to_str().expect("utf-8")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1 passed, 1 failed"), "{stdout}");
}

#[test]
fn a_plan_trusting_a_new_account_shows_it_on_every_role() {
    let old = real("derived/iam-assumable-roles.plan.json");
    let new = real("derived/iam-assumable-roles-new-account.plan.json");
    let out = xacct(&["diff", &old, &new]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    for role in ["admin", "Billing-And-Support-Access", "readonly"] {
        assert!(
            stdout.contains(&format!(
                "+ arn:aws:iam::444455556666:root --assume--> arn:aws:iam::111111111111:role/{role}"
            )),
            "{role}: {stdout}"
        );
    }
}
