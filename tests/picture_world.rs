//! A world of 125 roles for the picture tests and benchmark: a hub account
//! whose users and CI role reach roles in four workload accounts (some
//! only with MFA), chains from each account's deployer to its peers, and a
//! vendor role trusted from outside the organization.

use std::fmt::Write as _;

/// The workload accounts.
pub(crate) const ACCOUNTS: [&str; 4] = [
    "200000000001",
    "200000000002",
    "200000000003",
    "200000000004",
];
/// The hub account.
pub(crate) const HUB: &str = "100000000000";
/// Roles per workload account (the hub has five more).
pub(crate) const ROLES_PER_ACCOUNT: usize = 30;

fn trust(principals: &[String], mfa: bool) -> String {
    let list = principals
        .iter()
        .map(|p| format!("\"{p}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let condition = if mfa {
        ", Condition: { Bool: { \"aws:MultiFactorAuthPresent\": \"true\" } }"
    } else {
        ""
    };
    format!(
        "        trust_policy:\n          Version: \"2012-10-17\"\n          Statement:\n            - {{ Effect: Allow, Principal: {{ AWS: [{list}] }}, Action: sts:AssumeRole{condition} }}\n"
    )
}

/// The scenario text: 4 hub roles, 30 in each of 4 accounts and a vendor role.
pub(crate) fn scenario() -> String {
    let mut out = String::from(
        "name: pictures\ndescription: 125 roles across a hub and four workload accounts.\nclock: \"2026-01-01T00:00:00Z\"\norganization:\n  id: o-pictures01\n  management_account: \"100000000000\"\n  root:\n    id: r-pic1\n    accounts: [\"100000000000\", \"200000000001\", \"200000000002\", \"200000000003\", \"200000000004\"]\naccounts:\n",
    );
    let assume = "        policies:\n          assume:\n            Version: \"2012-10-17\"\n            Statement:\n              - { Effect: Allow, Action: sts:AssumeRole, Resource: \"*\" }\n";
    let _ = write!(out, "  \"{HUB}\":\n    users:\n");
    for user in ["alice", "bob", "carol", "ci-bot"] {
        let _ = write!(out, "      {user}:\n{assume}");
    }
    out.push_str("    roles:\n");
    for r in 0..4 {
        let _ = write!(
            out,
            "      hub-{r}:\n{}{assume}",
            trust(&[format!("arn:aws:iam::{HUB}:user/ci-bot")], false)
        );
    }
    for (a, account) in ACCOUNTS.iter().enumerate() {
        let _ = write!(out, "  \"{account}\":\n    roles:\n");
        for r in 0..ROLES_PER_ACCOUNT {
            let (principals, mfa) = match r % 6 {
                0 => (vec![format!("arn:aws:iam::{HUB}:user/alice")], false),
                1 => (vec![format!("arn:aws:iam::{HUB}:user/bob")], true),
                2 => (
                    vec![format!("arn:aws:iam::{HUB}:role/hub-{}", r % 4)],
                    false,
                ),
                3 => (
                    vec![format!(
                        "arn:aws:iam::{}:role/app-{}",
                        ACCOUNTS[(a + 1) % ACCOUNTS.len()],
                        r - 3
                    )],
                    false,
                ),
                4 => (vec![format!("arn:aws:iam::{HUB}:user/carol")], true),
                _ => (vec![format!("arn:aws:iam::{HUB}:root")], false),
            };
            let _ = write!(out, "      app-{r}:\n{}{assume}", trust(&principals, mfa));
        }
        if a == 0 {
            let _ = write!(
                out,
                "      vendor-audit:\n{}",
                trust(&["arn:aws:iam::999999999999:root".to_owned()], false)
            );
        }
    }
    out.push_str("runs: []\n");
    out
}
