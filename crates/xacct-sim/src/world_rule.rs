//! The ids of the rules that read a whole world, beside the policy
//! linter's: what findings carry and what `lint.absent` may name.

use xacct_iam::Rule;

/// The rules that read the whole world (the organization, the runs), beside
/// the policy linter's [`Rule`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WorldRule {
    /// An SCP allow list that leaves actions the world's policies grant.
    ScpAllowListGap,
    /// A role assumed with session tags whose trust allows no sts:TagSession.
    TrustTagSessionMissing,
    /// Permissions on a principal tag the caller may set itself.
    AbacTagSetByCaller,
    /// An imported trust policy naming a user or role its account does not hold.
    TrustPrincipalMissing,
}

impl WorldRule {
    /// Every world rule.
    pub(super) const ALL: [WorldRule; 4] = [
        Self::ScpAllowListGap,
        Self::TrustTagSessionMissing,
        Self::AbacTagSetByCaller,
        Self::TrustPrincipalMissing,
    ];

    /// The stable id findings carry.
    pub(super) fn id(self) -> &'static str {
        match self {
            Self::ScpAllowListGap => "scp-allow-list-gap",
            Self::TrustTagSessionMissing => "trust-tag-session-missing",
            Self::AbacTagSetByCaller => "abac-tag-set-by-caller",
            Self::TrustPrincipalMissing => "trust-principal-missing",
        }
    }
}

/// Every rule id a finding of the world's linter can carry.
pub(super) fn rule_ids() -> impl Iterator<Item = &'static str> {
    Rule::ALL
        .iter()
        .map(|r| r.id())
        .chain(WorldRule::ALL.iter().map(|r| r.id()))
}
