//! What a policy is attached to, and the elements each kind may have.

use super::policy::Policy;
use super::syntax::{ParseError, fail};

/// What a policy is attached to, which decides the elements it may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// An identity policy of a user or role.
    Identity,
    /// A role's trust policy.
    Trust,
    /// Another resource-based policy (a bucket policy, a key policy, ...).
    Resource,
    /// A permissions boundary.
    Boundary,
    /// A session policy.
    Session,
    /// A service control policy (AWS Organizations): the most a member
    /// account's principals may do.
    Scp,
    /// A resource control policy (AWS Organizations): the most that may be
    /// done to a member account's resources; its statements name `"*"` as
    /// principal.
    Rcp,
}

impl PolicyKind {
    /// Whether statements name a principal.
    pub fn has_principal(self) -> bool {
        matches!(self, Self::Trust | Self::Resource | Self::Rcp)
    }

    /// The name used in explanations.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Identity => "identity policy",
            Self::Trust => "trust policy",
            Self::Resource => "resource policy",
            Self::Boundary => "permissions boundary",
            Self::Session => "session policy",
            Self::Scp => "service control policy",
            Self::Rcp => "resource control policy",
        }
    }

    /// Checks the elements a policy of this kind may have.
    pub fn check(self, policy: &Policy) -> Result<(), ParseError> {
        for (i, s) in policy.statements.iter().enumerate() {
            let at = format!("Statement[{i}]");
            match (self.has_principal(), &s.principals) {
                (false, Some(_)) => {
                    return fail(
                        &format!("{at}.Principal"),
                        format!(
                            "a {} names no principal; `Principal` and `NotPrincipal` belong in trust and resource policies",
                            self.describe()
                        ),
                    );
                }
                (true, None) => {
                    return fail(
                        &at,
                        format!(
                            "a {} statement needs a `Principal` (or `NotPrincipal`) saying who it applies to",
                            self.describe()
                        ),
                    );
                }
                _ => {}
            }
            if !self.has_principal() && s.resources.is_none() {
                return fail(
                    &at,
                    format!(
                        "a {} statement needs a `Resource` (or `NotResource`); use \"*\" for every resource",
                        self.describe()
                    ),
                );
            }
        }
        Ok(())
    }
}
