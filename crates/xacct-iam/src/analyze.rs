//! Three-valued decisions for the analysis: *always*, *conditional* or
//! *never*, for a request whose context is open (see
//! [`super::Context::open`]).
//!
//! The statements an open context cannot decide are settled both ways and
//! the ordinary decision ([`super::evaluate`]'s) is taken again: AWS's
//! decision only gains from an Allow that applies and only loses from a
//! Deny that applies, so it is allowed in some request iff it is allowed
//! with every undecided Allow applying and no undecided Deny, and in every
//! request iff it is allowed with no undecided Allow and every undecided
//! Deny (a Deny refuses whenever it applies). In between it is
//! conditional: the minimal sets of undecided Allows that let it in are
//! its alternatives (`when`), and each undecided Deny is an exception
//! (`unless`). Nothing is ever *never* that a request could get allowed:
//! statements are settled independently, so conditions that contradict
//! each other make a verdict conditional where it could have been never,
//! which errs on the safe side.

use super::context::Context;
use super::eval::{Decision, Evaluation, Policies, decide, evaluate};
use super::matching::Miss;
use super::policy::Effect;
use super::request::Request;
use super::unknown::{Need, Unknown};

/// The three answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// Allowed whatever the undecided keys hold.
    Always,
    /// Allowed for some values of the undecided keys and not for others.
    Conditional,
    /// Allowed for no request.
    Never,
}

impl Verdict {
    /// `always`, `conditional` or `never`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Always => "always",
            Self::Conditional => "conditional",
            Self::Never => "never",
        }
    }
}

/// The most undecided Allows whose combinations are searched for the
/// minimal ones; beyond it each alone is an alternative (still sound: any
/// combination that lets the request in contains each of its members).
const MOST_COMBINED: usize = 12;

/// A three-valued decision.
#[derive(Debug, Clone)]
pub struct Analysis<'a> {
    /// The verdict.
    pub verdict: Verdict,
    /// For a conditional verdict, the alternatives: each a list of statements
    /// (indices into the trace) whose undecided elements must all hold.
    /// Empty when no undecided Allow is needed.
    pub when: Vec<Vec<usize>>,
    /// Undecided Deny statements (indices into the trace): the request is
    /// refused when any of them holds.
    pub unless: Vec<usize>,
    /// The evaluation as decided with every undecided Allow applying and
    /// no undecided Deny; its trace keeps the undecided elements.
    pub evaluation: Evaluation<'a>,
}

impl Analysis<'_> {
    /// The undecided elements of the statements at `indices`, owned, with
    /// what `context` knows substituted into their text.
    pub fn needs(&self, indices: &[usize], context: &Context) -> Vec<Need> {
        indices
            .iter()
            .filter_map(|&i| self.evaluation.trace.get(i))
            .flat_map(|t| t.unknown.iter().map(|u| u.need(context)))
            .collect()
    }
}

/// The miss that stands for an undecided element taken not to hold.
fn miss<'a>(unknown: &Unknown<'a>) -> Miss<'a> {
    match unknown {
        Unknown::Condition(c) => Miss::Condition {
            operator: &c.operator_name,
            key: &c.key,
            values: &c.raw_values,
        },
        Unknown::Resource { .. } => Miss::Resource,
        Unknown::Principal { not: false, .. } => Miss::Principal,
        Unknown::Principal { not: true, .. } => Miss::NotPrincipal,
    }
}

/// Decides a request three ways. With a closed context (nothing undecided)
/// this is [`evaluate`]'s decision: *always* for an allow, *never* otherwise.
pub fn analyze<'a>(request: &Request<'_>, policies: &Policies<'a>) -> Analysis<'a> {
    let mut evaluation = evaluate(request, policies);
    let undecided: Vec<usize> = evaluation
        .trace
        .iter()
        .enumerate()
        .filter(|(_, t)| t.undecided())
        .map(|(i, _)| i)
        .collect();
    if undecided.is_empty() {
        let verdict = if evaluation.decision == Decision::Allow {
            Verdict::Always
        } else {
            Verdict::Never
        };
        return Analysis {
            verdict,
            when: Vec::new(),
            unless: Vec::new(),
            evaluation,
        };
    }
    let saved: Vec<_> = undecided
        .iter()
        .map(|&i| {
            let t = &evaluation.trace[i];
            (t.result, t.unknown.clone())
        })
        .collect();
    let (allows, denies): (Vec<usize>, Vec<usize>) = undecided
        .iter()
        .partition(|&&i| evaluation.trace[i].effect == Effect::Allow);
    // Decides again with the undecided statements settled: `on(i)` for
    // the ones taken to apply.
    let settle = |e: &mut Evaluation<'a>, on: &dyn Fn(usize) -> bool| -> bool {
        for (&i, (result, unknown)) in undecided.iter().zip(&saved) {
            let t = &mut e.trace[i];
            t.unknown.clear();
            t.result = if on(i) {
                *result
            } else {
                Err(unknown.first().map_or(Miss::Resource, miss))
            };
        }
        decide(request, policies, e);
        e.decision == Decision::Allow
    };
    let is_allow = |i: usize| allows.contains(&i);
    let unless = if evaluation.rule.is_none() {
        denies.clone()
    } else {
        Vec::new()
    };
    let mut when = Vec::new();
    let verdict = if !settle(&mut evaluation, &|i| is_allow(i)) {
        Verdict::Never
    } else if settle(&mut evaluation, &|_| false) {
        if unless.is_empty() {
            Verdict::Always
        } else {
            Verdict::Conditional
        }
    } else {
        when = minimal_sets(&allows, &mut |set: &[usize]| {
            settle(&mut evaluation, &|i| set.contains(&i))
        });
        Verdict::Conditional
    };
    // Leave the evaluation as decided in the best case, its trace showing
    // what was undecided.
    settle(&mut evaluation, &|i| is_allow(i));
    for (&i, (result, unknown)) in undecided.iter().zip(saved) {
        let t = &mut evaluation.trace[i];
        t.result = result;
        t.unknown = unknown;
    }
    Analysis {
        verdict,
        when,
        unless,
        evaluation,
    }
}

/// The minimal sets of `allows` for which `allowed` holds (it holds for
/// all of them together, not for none), smallest first; past
/// [`MOST_COMBINED`], each alone.
fn minimal_sets(allows: &[usize], allowed: &mut dyn FnMut(&[usize]) -> bool) -> Vec<Vec<usize>> {
    if allows.len() > MOST_COMBINED {
        return allows.iter().map(|&i| vec![i]).collect();
    }
    let mut masks: Vec<u32> = (1..(1u32 << allows.len())).collect();
    masks.sort_by_key(|m| (m.count_ones(), *m));
    let mut found: Vec<u32> = Vec::new();
    for mask in masks {
        if found.iter().any(|f| mask & f == *f) {
            continue;
        }
        let set: Vec<usize> = allows
            .iter()
            .enumerate()
            .filter(|(bit, _)| mask & (1 << bit) != 0)
            .map(|(_, &i)| i)
            .collect();
        if allowed(&set) {
            found.push(mask);
        }
    }
    found
        .into_iter()
        .map(|mask| {
            allows
                .iter()
                .enumerate()
                .filter(|(bit, _)| mask & (1 << bit) != 0)
                .map(|(_, &i)| i)
                .collect()
        })
        .collect()
}
