//! Every name a scenario gives must name something in its world, so a
//! typo fails at load (exit 3) instead of passing: the ARNs and patterns of
//! `assert` facts, the rule ids and places of `lint` expectations, and each
//! run's `role_arn` (unless the run says it is wrong on purpose). Each
//! refusal names the field, the value and the world's nearest name.

use super::assert_spec::AssertSpec;
use super::names::nearest;
use super::scenario::{RoleArnIs, Scenario};
use super::world::World;
use super::world_rule::rule_ids;
use xacct_iam::{Pattern, PrincipalName, Principals};

/// ` (did you mean X?)` for the nearest of `candidates`, or nothing.
fn hint<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    nearest(name, candidates)
        .map(|n| format!(" (did you mean {n}?)"))
        .unwrap_or_default()
}

/// What the world holds, gathered once.
struct Names {
    accounts: Vec<String>,
    roles: Vec<String>,
    buckets: Vec<String>,
    callers: Vec<String>,
    places: Vec<String>,
}

impl Names {
    fn of(world: &World) -> Self {
        let model = world.model();
        let roles: Vec<String> = model
            .accounts
            .values()
            .flat_map(|a| a.roles.values().map(super::model::Role::arn))
            .collect();
        let users = model
            .accounts
            .values()
            .flat_map(|a| a.users.values().map(super::model::User::arn));
        Self {
            accounts: model.accounts.keys().cloned().collect(),
            buckets: model
                .accounts
                .values()
                .flat_map(|a| a.buckets.iter().map(|b| b.name.clone()))
                .collect(),
            places: roles.iter().cloned().chain(users).collect(),
            callers: world.caller_arns(),
            roles,
        }
    }

    fn role(&self, at: &str, arn: &str) -> Result<(), String> {
        if self.roles.iter().any(|r| r == arn) {
            return Ok(());
        }
        Err(format!(
            "{at}: `{arn}` is no role of the world{}",
            hint(arn, self.roles.iter().map(String::as_str))
        ))
    }

    fn caller(&self, at: &str, arn: &str) -> Result<(), String> {
        if self.callers.iter().any(|c| c == arn) {
            return Ok(());
        }
        Err(format!(
            "{at}: `{arn}` is no principal of the world (a user, role or OIDC provider ARN, or an outside principal a trust policy names){}",
            hint(arn, self.callers.iter().map(String::as_str))
        ))
    }

    fn bucket_pattern(&self, at: &str, pattern: &str) -> Result<(), String> {
        let compiled = Pattern::wildcard(pattern);
        if self.buckets.iter().any(|b| compiled.matches(b)) {
            return Ok(());
        }
        Err(format!(
            "{at}: `{pattern}` names no bucket of the world (write its name, without s3://){}",
            hint(pattern, self.buckets.iter().map(String::as_str))
        ))
    }

    /// A principal an `only` list names: one of the world's callers, `*`,
    /// a pattern, or an IAM ARN of an account the world does not hold (a
    /// bucket policy may name principals no trust policy does). A name in
    /// one of the world's accounts must be one of its principals, so a
    /// typo is refused rather than taken for an outsider.
    fn reader(&self, at: &str, arn: &str) -> Result<(), String> {
        let account = arn.split(':').nth(4).unwrap_or_default();
        let outside = (arn.starts_with("arn:aws:iam::") || arn.starts_with("arn:aws:sts::"))
            && !self.accounts.iter().any(|a| a == account);
        if arn == "*" || arn.contains(['*', '?']) || outside {
            return Ok(());
        }
        self.caller(at, arn)
    }

    fn role_pattern(&self, at: &str, pattern: &str) -> Result<(), String> {
        let compiled = Pattern::wildcard(pattern);
        if self.roles.iter().any(|r| compiled.matches(r)) {
            return Ok(());
        }
        Err(format!(
            "{at}: `{pattern}` matches no role of the world{}",
            hint(pattern, self.roles.iter().map(String::as_str))
        ))
    }
}

/// A condition key as an `unless` names it: `service:Key`.
fn key(at: &str, key: &str) -> Result<(), String> {
    match key.split_once(':') {
        Some((service, name)) if !service.is_empty() && !name.is_empty() => Ok(()),
        _ => Err(format!(
            "{at}: `{key}` is not a condition key; write it as a policy does, service:Key (aws:MultiFactorAuthPresent, aws:SourceIp, sts:ExternalId)"
        )),
    }
}

fn assertion(names: &Names, at: &str, spec: &AssertSpec) -> Result<(), String> {
    let keys = |list: &[String], field: &str| {
        list.iter()
            .enumerate()
            .try_for_each(|(i, k)| key(&format!("{at}.{field}.unless[{i}]"), k))
    };
    match spec {
        AssertSpec::CanAssume(c) => {
            names.role(&format!("{at}.can_assume.role"), &c.role)?;
            for (i, p) in c.only.iter().enumerate() {
                names.caller(&format!("{at}.can_assume.only[{i}]"), p)?;
            }
            keys(&c.unless, "can_assume")
        }
        AssertSpec::CannotReach(c) => {
            names.caller(&format!("{at}.cannot_reach.from"), &c.from)?;
            names.role(&format!("{at}.cannot_reach.role"), &c.role)?;
            keys(&c.unless, "cannot_reach")
        }
        AssertSpec::NotReachableFromOutsideOrg(c) => {
            names.role_pattern(
                &format!("{at}.not_reachable_from_outside_org.role"),
                &c.role,
            )?;
            keys(&c.unless, "not_reachable_from_outside_org")
        }
        AssertSpec::CanRead(c) => {
            names.bucket_pattern(&format!("{at}.can_read.bucket"), &c.bucket)?;
            for (i, p) in c.only.iter().enumerate() {
                names.reader(&format!("{at}.can_read.only[{i}]"), p)?;
            }
            keys(&c.unless, "can_read")
        }
        AssertSpec::CannotRead(c) => {
            names.caller(&format!("{at}.cannot_read.from"), &c.from)?;
            names.bucket_pattern(&format!("{at}.cannot_read.bucket"), &c.bucket)?;
            keys(&c.unless, "cannot_read")
        }
        AssertSpec::NotReadableFromOutsideOrg(c) => {
            names.bucket_pattern(
                &format!("{at}.not_readable_from_outside_org.bucket"),
                &c.bucket,
            )?;
            keys(&c.unless, "not_readable_from_outside_org")
        }
    }
}

/// The users and roles of the world's accounts that a role's trust policy
/// names but the world does not hold: (role ARN, principal as written).
/// IAM turns such an ARN into the principal's unique id when the policy is
/// saved, so it refuses one that names nobody.
pub(super) fn missing_principals(world: &World) -> Vec<(String, String)> {
    let model = world.model();
    let mut out = Vec::new();
    for role in model.accounts.values().flat_map(|a| a.roles.values()) {
        for statement in &role.trust.statements {
            let (Some(Principals::Only(values)) | Some(Principals::AllBut(values))) =
                &statement.principals
            else {
                continue;
            };
            for value in values {
                let missing = match &value.name {
                    PrincipalName::User { account, name } => {
                        model.accounts.contains_key(account) && model.user(account, name).is_none()
                    }
                    PrincipalName::Role { account, name } => {
                        model.accounts.contains_key(account) && model.role(account, name).is_none()
                    }
                    _ => false,
                };
                if missing {
                    out.push((role.arn(), value.raw.clone()));
                }
            }
        }
    }
    out
}

/// Checks every name `scenario` gives against `world`.
pub(super) fn check_names(scenario: &Scenario, world: &World) -> Result<(), String> {
    let names = Names::of(world);
    // An imported world keeps such a principal (it matches nobody; the
    // linter notes it): the file is what AWS or a plan holds.
    if scenario.imported.is_none()
        && let Some((role, principal)) = missing_principals(world).into_iter().next()
    {
        return Err(format!(
            "the trust policy of {role}: MalformedPolicyDocument: Invalid principal in policy: \"AWS\":\"{principal}\" (IAM refuses a trust policy naming a user or role that does not exist){}",
            hint(&principal, names.places.iter().map(String::as_str))
        ));
    }
    for (i, spec) in scenario.assertions.iter().enumerate() {
        assertion(&names, &format!("assert[{i}]"), spec)?;
    }
    if let Some(lint) = &scenario.lint {
        let known: Vec<&str> = rule_ids().collect();
        for (field, list) in [("present", &lint.present), ("absent", &lint.absent)] {
            for (i, expect) in list.iter().enumerate() {
                let at = format!("lint.{field}[{i}]");
                if !known.contains(&expect.rule.as_str()) {
                    return Err(format!(
                        "{at}.rule: `{}` is no rule of the linter{}; `xacct policy lint --help` lists them",
                        expect.rule,
                        hint(&expect.rule, known.iter().copied())
                    ));
                }
                if let Some(place) = &expect.at
                    && !names.places.iter().any(|p| p == place)
                {
                    return Err(format!(
                        "{at}.at: `{place}` is no role or user of the world{}",
                        hint(place, names.places.iter().map(String::as_str))
                    ));
                }
            }
        }
    }
    for (i, run) in scenario.runs.iter().enumerate() {
        let at = format!("runs[{i}].role_arn");
        let Some(role_arn) = run.role_arn.as_deref() else {
            if run.role_arn_is.is_some() {
                return Err(format!(
                    "runs[{i}].role_arn_is: the run assumes no role; add role_arn or remove role_arn_is"
                ));
            }
            continue;
        };
        let malformed = xacct_aws::validate::role_arn(role_arn).err();
        let exists = world.model().role_by_arn(role_arn).is_some();
        match (run.role_arn_is, malformed, exists) {
            (None, Some(e), _) => {
                return Err(format!(
                    "{at}: `{}` is not a role ARN: {}; if the run shows AWS's answer to a malformed ARN on purpose, add `role_arn_is: malformed`",
                    e.value, e.rule
                ));
            }
            (None, None, false) => {
                return Err(format!(
                    "{at}: `{}` is no role of the world{}; if the run shows AWS's answer for a missing role on purpose, add `role_arn_is: missing`",
                    role_arn,
                    hint(role_arn, names.roles.iter().map(String::as_str))
                ));
            }
            (Some(RoleArnIs::Malformed), None, _) => {
                return Err(format!(
                    "runs[{i}].role_arn_is: `malformed`, but `{role_arn}` is a well-formed role ARN"
                ));
            }
            (Some(RoleArnIs::Missing), None, true) => {
                return Err(format!(
                    "runs[{i}].role_arn_is: `missing`, but `{role_arn}` is a role of the world"
                ));
            }
            (Some(RoleArnIs::Missing), Some(e), _) => {
                return Err(format!(
                    "{at}: `{}` is not a role ARN: {}; it is malformed, not missing: write `role_arn_is: malformed`",
                    e.value, e.rule
                ));
            }
            _ => {}
        }
    }
    Ok(())
}
