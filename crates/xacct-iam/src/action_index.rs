//! An index of a long `Action` list by service, so a request's action is
//! matched only against the patterns of its own service (and those whose
//! service part has a wildcard): a managed policy such as ReadOnlyAccess
//! lists some 2,400 patterns, of which an action's service has a handful.

use std::collections::HashMap;

use super::action_pattern::ActionPattern;

/// Lists shorter than this are scanned; the index costs more than it saves.
const INDEXED_FROM: usize = 24;

/// The patterns of a list by service (lower-cased), and those that match
/// any service.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ActionIndex {
    by_service: HashMap<String, Vec<u32>>,
    any_service: Vec<u32>,
}

impl ActionIndex {
    /// The index of `patterns`, when the list is long enough to need one.
    pub(crate) fn of(patterns: &[ActionPattern]) -> Option<Self> {
        if patterns.len() < INDEXED_FROM {
            return None;
        }
        let mut index = Self::default();
        for (i, p) in patterns.iter().enumerate() {
            let i = u32::try_from(i).ok()?;
            let raw = p.raw.to_ascii_lowercase();
            match raw.split_once(':') {
                Some((service, _)) if !service.contains(['*', '?']) => index
                    .by_service
                    .entry(service.to_owned())
                    .or_default()
                    .push(i),
                _ => index.any_service.push(i),
            }
        }
        Some(index)
    }

    /// Whether any pattern matches `action` (lower-cased).
    pub(crate) fn hit(&self, patterns: &[ActionPattern], action: &str) -> bool {
        let service = action.split(':').next().unwrap_or(action);
        self.by_service
            .get(service)
            .into_iter()
            .flatten()
            .chain(&self.any_service)
            .any(|&i| {
                patterns
                    .get(i as usize)
                    .is_some_and(|p| p.pattern.matches(action))
            })
    }
}
