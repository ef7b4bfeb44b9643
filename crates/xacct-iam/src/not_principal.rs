//! Where AWS refuses `NotPrincipal` when a policy is saved: in a role trust
//! policy at all, and with `"Effect": "Allow"` anywhere (IAM User Guide,
//! reference_policies_elements_notprincipal: "NotPrincipal must be used with
//! \"Effect\":\"Deny\". Using it with \"Effect\":\"Allow\" is not supported."
//! and "You cannot use the NotPrincipal element in an IAM identity-based
//! policy nor in an IAM role trust policy."). The engine still reads and
//! decides such a policy (an old one, or one a user asks about: Allow with
//! `NotPrincipal` then admits everyone not listed, as AWS evaluated it),
//! and the linter reports it; a world refuses it, as IAM would.

use super::kind::PolicyKind;
use super::policy::{Effect, Policy, Principals};

/// Why AWS would not save `policy` as a policy of `kind`, if it would not.
pub fn not_principal_refusal(policy: &Policy, kind: PolicyKind) -> Option<String> {
    policy.statements.iter().enumerate().find_map(|(i, s)| {
        if !matches!(s.principals, Some(Principals::AllBut(_))) {
            return None;
        }
        match (kind, s.effect) {
            (PolicyKind::Trust, _) => Some(format!(
                "Statement[{i}].NotPrincipal: a role trust policy cannot use NotPrincipal (IAM User Guide, reference_policies_elements_notprincipal); name the trusted principals in Principal, or deny with aws:PrincipalArn conditions"
            )),
            (_, Effect::Allow) => Some(format!(
                "Statement[{i}].NotPrincipal: NotPrincipal with \"Effect\": \"Allow\" is not supported (IAM User Guide, reference_policies_elements_notprincipal); name the principals in Principal"
            )),
            _ => None,
        }
    })
}
