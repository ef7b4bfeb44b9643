//! What the statements that surely apply can do to a decision: the part
//! each plays (a deny, an identity grant, the resource side, a boundary or
//! session limit, a guardrail allow), gathered in one pass over the trace.

use super::kind::PolicyKind;
use super::policy::Effect;
use super::principal::PrincipalMatch;
use super::trace::StatementTrace;

/// What an applying statement can do to the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Deny,
    Identity,
    Resource,
    Boundary,
    Session,
    /// An SCP or RCP allow: it grants nothing, but its level must have one.
    Guard,
}

/// The part a statement plays, if it surely applies.
pub(super) fn part(t: &StatementTrace<'_>) -> Option<Part> {
    if !t.applies() {
        return None;
    }
    Some(match (t.effect, t.at.kind) {
        (Effect::Deny, _) => Part::Deny,
        (Effect::Allow, PolicyKind::Identity) => Part::Identity,
        (Effect::Allow, PolicyKind::Trust | PolicyKind::Resource) => Part::Resource,
        (Effect::Allow, PolicyKind::Boundary) => Part::Boundary,
        (Effect::Allow, PolicyKind::Session) => Part::Session,
        (Effect::Allow, PolicyKind::Scp | PolicyKind::Rcp) => Part::Guard,
    })
}

/// How a statement's principal matched, when it did.
fn principal(t: &StatementTrace<'_>) -> Option<PrincipalMatch> {
    t.result.ok().flatten()
}

/// Whether a resource-policy statement grants to the caller itself.
pub(super) fn direct(t: &StatementTrace<'_>) -> bool {
    part(t) == Some(Part::Resource) && principal(t).is_some_and(PrincipalMatch::is_direct)
}

/// What the applying statements can do, gathered in one pass.
pub(super) struct Tally {
    /// Whether some statement plays each [`Part`].
    pub parts: [bool; 6],
    /// Whether a resource-policy statement grants to the caller itself.
    pub direct: bool,
    /// The first such statement that boundaries and session policies do not limit.
    pub unlimited_direct: Option<usize>,
}

impl Tally {
    pub(super) fn of(trace: &[StatementTrace<'_>]) -> Self {
        let mut tally = Self {
            parts: [false; 6],
            direct: false,
            unlimited_direct: None,
        };
        for (i, t) in trace.iter().enumerate() {
            let Some(p) = part(t) else { continue };
            tally.parts[p as usize] = true;
            if direct(t) {
                tally.direct = true;
                if tally.unlimited_direct.is_none()
                    && principal(t).is_some_and(|m| !m.limited_by_boundary_and_session())
                {
                    tally.unlimited_direct = Some(i);
                }
            }
        }
        tally
    }
}
