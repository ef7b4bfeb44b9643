//! Rules for every kind of policy: version, Sids, condition pitfalls.

use super::rule::Rule;
use super::{Report, Severity};
use crate::condition::{Family, SetQualifier, Test};
use crate::policy::{Effect, Policy, Version};
use crate::print::statement_to_json;

/// Condition keys that hold several values; set operators belong with these.
const MULTIVALUED: &[&str] = &[
    "aws:tagkeys",
    "sts:transitivetagkeys",
    "aws:principalorgpaths",
    "aws:calledvia",
    "aws:principalservicenameslist",
];

pub(super) fn check(policy: &Policy, report: &mut Report<'_>) {
    let text = crate::print::to_json(policy).to_string();
    if policy.effective_version() == Version::V2008 && text.contains("${") {
        report(
            Rule::VersionVariables,
            Severity::Medium,
            None,
            format!(
                "the policy uses `${{...}}` policy variables but its Version is {}, so they are read as literal text and never substituted; set \"Version\": \"2012-10-17\"",
                policy
                    .version
                    .map_or("missing (2008-10-17)", Version::as_str)
            ),
        );
    } else if policy.version.is_none() {
        report(
            Rule::VersionMissing,
            Severity::Low,
            None,
            "the policy has no Version, so the legacy 2008-10-17 language applies (no policy variables); add \"Version\": \"2012-10-17\"".to_owned(),
        );
    }
    let mut sids = std::collections::HashSet::with_capacity(policy.statements.len());
    for (i, s) in policy.statements.iter().enumerate() {
        if let Some(sid) = s.sid.as_deref().filter(|s| !s.is_empty())
            && !sids.insert(sid)
        {
            {
                report(
                    Rule::DuplicateSid,
                    Severity::Low,
                    Some(i),
                    format!(
                        "the Sid \"{sid}\" is used twice; Sids must be unique within a policy, so give each statement its own"
                    ),
                );
            }
        }
        for c in &s.conditions {
            let key = c.key_lower.as_str();
            if key == "aws:multifactorauthpresent"
                && c.operator.family == Family::Bool
                && !c.operator.if_exists
                && c.raw_values.iter().any(|v| v.eq_ignore_ascii_case("false"))
            {
                report(
                    Rule::MfaFalseCondition,
                    Severity::Medium,
                    Some(i),
                    format!(
                        "`Bool aws:MultiFactorAuthPresent false` never matches requests signed with long-term access keys, because the key is absent for them; to deny without MFA use BoolIfExists with false in a Deny, or require Bool true in the Allow ({})",
                        statement_to_json(s)
                    ),
                );
            }
            if c.operator.family == Family::String
                && matches!(c.operator.test, Test::Equals | Test::EqualsIgnoreCase)
                && let Some(v) = c.raw_values.iter().find(|v| v.contains(['*', '?']))
            {
                // Whether the literal comparison widens the statement: an
                // Allow whose negated test always holds, or a Deny whose
                // positive test never does, lets more in than was meant.
                let widens = c.operator.negated == (s.effect == Effect::Allow);
                let (severity, effect) = match (widens, s.effect) {
                    (true, Effect::Allow) => (
                        Severity::High,
                        "so the negated test holds for every real value and the Allow applies far more widely than meant",
                    ),
                    (true, Effect::Deny) => (
                        Severity::High,
                        "so no real value equals it and the Deny never applies",
                    ),
                    (false, Effect::Allow) => (
                        Severity::Medium,
                        "so only that exact text matches and the Allow does not apply to what it was meant for",
                    ),
                    (false, Effect::Deny) => (
                        Severity::Medium,
                        "so the negated test holds for every real value and the Deny applies far more widely than meant",
                    ),
                };
                report(
                    Rule::TrustConditionWildcardInEquals,
                    severity,
                    Some(i),
                    format!(
                        "`{}` {} has the value `{v}`: {} compares `*` and `?` literally, {effect}; use {} for a wildcard match",
                        c.operator_name,
                        c.key,
                        c.operator_name,
                        if c.operator.negated {
                            "StringNotLike"
                        } else {
                            "StringLike"
                        }
                    ),
                );
            }
            if c.operator.set == SetQualifier::ForAllValues
                && !MULTIVALUED.contains(&key)
                && c.operator.family != Family::Null
            {
                report(
                    Rule::ForallvaluesSingleValuedKey,
                    Severity::Medium,
                    Some(i),
                    format!(
                        "`{}` uses ForAllValues with the single-valued key {}: ForAllValues is also true when the key is absent, which can make the statement overly permissive; drop the ForAllValues: prefix",
                        c.operator_name, c.key
                    ),
                );
            }
        }
    }
}
