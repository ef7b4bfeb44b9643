//! `unless: [KEY]` on an assertion accepts a condition on KEY as the guard
//! only when the condition cannot hold without the key: a positive test.
//! `BoolIfExists aws:MultiFactorAuthPresent true` lets in a caller without
//! MFA (long-term keys carry no such key), so it guards on nothing.

/// Five roles, each trusting `dev` under one test of MFA.
const WORLD: &str = r#"name: world
accounts:
  "111111111111":
    users:
      dev:
        policies:
          assume:
            Statement:
              - { Effect: Allow, Action: sts:AssumeRole, Resource: "*" }
  "222222222222":
    roles:
      strict:
        trust_policy:
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:iam::111111111111:user/dev" }
              Action: sts:AssumeRole
              Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } }
      if-exists:
        trust_policy:
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:iam::111111111111:user/dev" }
              Action: sts:AssumeRole
              Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } }
      present:
        trust_policy:
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:iam::111111111111:user/dev" }
              Action: sts:AssumeRole
              Condition: { "Null": { "aws:MultiFactorAuthPresent": "false" } }
      absent:
        trust_policy:
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:iam::111111111111:user/dev" }
              Action: sts:AssumeRole
              Condition: { "Null": { "aws:MultiFactorAuthPresent": "true" } }
      without-mfa:
        trust_policy:
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:iam::111111111111:user/dev" }
              Action: sts:AssumeRole
              Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } }
      negated:
        trust_policy:
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:iam::111111111111:user/dev" }
              Action: sts:AssumeRole
              Condition: { StringNotEquals: { "aws:MultiFactorAuthPresent": "false" } }
"#;

#[test]
fn only_a_positive_test_of_the_key_is_a_guard() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("world.yaml"), WORLD).expect("written");
    let fact = |role: &str| {
        format!(
            "  - cannot_reach: {{ from: \"arn:aws:iam::111111111111:user/dev\", role: \"arn:aws:iam::222222222222:role/{role}\", unless: [aws:MultiFactorAuthPresent] }}\n"
        )
    };
    for (role, guarded) in [
        ("strict", true),
        ("present", true),
        ("if-exists", false),
        ("absent", false),
        ("negated", false),
        ("without-mfa", false),
    ] {
        let checks = dir.path().join(format!("{role}.yaml"));
        std::fs::write(
            &checks,
            format!("name: {role}\nworld: world.yaml\nassert:\n{}", fact(role)),
        )
        .expect("written");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_xacct"))
            .args(["sim", checks.to_str().expect("utf-8")])
            .output()
            .expect("xacct runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let (code, summary) = if guarded {
            (0, "1 passed")
        } else {
            (1, "1 failed")
        };
        assert_eq!(
            out.status.code(),
            Some(code),
            "{role}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains(summary), "{role}: {stdout}");
    }
}
