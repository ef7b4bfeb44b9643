//! How much a template's intrinsic functions may make. A `Fn::Sub` that
//! repeats a 100 KB parameter 25,000 times would make 2.5 GB; a `Ref` to
//! it in a list of 18,000 would clone 1.8 GB. No value CloudFormation
//! deploys into IAM or S3 comes near a mebibyte (a managed policy holds
//! 6,144 characters, a role's inline policies 10,240 together; IAM User
//! Guide, "IAM and AWS STS quotas"), and a template body is at most 1 MB
//! (CloudFormation User Guide, "CloudFormation quotas"). So one value may
//! be at most [`VALUE`] bytes, and all that resolving makes together at
//! most [`TOTAL`]: beyond either the template is refused, naming the place,
//! before anything larger is allocated.

use serde_json::Value;

/// The most one resolved string may hold.
pub(super) const VALUE: usize = 1 << 20;
/// The most all resolved values of a template may hold together.
pub(super) const TOTAL: usize = 64 << 20;

/// What resolving has made so far, and why it stopped if it did.
#[derive(Debug, Default)]
pub(super) struct Budget {
    spent: usize,
    /// Why resolving stopped: the template is refused with it.
    pub overflow: Option<String>,
}

impl Budget {
    /// Whether resolving has stopped (every further function is left
    /// unresolved, at no cost).
    pub(super) fn exhausted(&self) -> bool {
        self.overflow.is_some()
    }

    /// Whether a string of `len` bytes may be made at `at` by `what`;
    /// when not, resolving stops.
    pub(super) fn fits(&mut self, len: usize, what: &str, at: &str) -> bool {
        if len <= VALUE {
            return true;
        }
        self.stop(format!(
            "{at}: {what} makes a value of more than {VALUE} bytes (1 MiB); no IAM or S3 value a template deploys comes near that, so the template is refused (is a large parameter repeated in it?)"
        ));
        false
    }

    /// Counts a function's result made at `at`; past [`TOTAL`], resolving
    /// stops.
    pub(super) fn charge(&mut self, value: &Value, at: &str) {
        self.spent = self.spent.saturating_add(weight(value));
        if self.spent > TOTAL && self.overflow.is_none() {
            self.stop(format!(
                "{at}: resolving the template's intrinsic functions has made more than {TOTAL} bytes (64 MiB) of values, far more than a template deploys, so it is refused (is a large parameter or mapping referenced thousands of times?)"
            ));
        }
    }

    fn stop(&mut self, why: String) {
        self.overflow.get_or_insert(why);
    }
}

/// What one node costs besides its text: a `serde_json::Value` and, for
/// text, its `String` (a `Fn::Split` on every character makes a node per
/// byte).
const NODE: usize = 48;

/// About how many bytes a value holds in memory: its strings' lengths, and
/// [`NODE`] for every node.
fn weight(value: &Value) -> usize {
    match value {
        Value::String(s) => s.len().saturating_add(NODE),
        Value::Array(items) => items.iter().map(weight).fold(NODE, usize::saturating_add),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| k.len().saturating_add(weight(v)))
            .fold(NODE, usize::saturating_add),
        _ => NODE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_past_a_mebibyte_stops_resolving_and_says_where() {
        let mut budget = Budget::default();
        assert!(budget.fits(VALUE, "Fn::Sub", "t.yaml: Resources.R"));
        assert!(!budget.exhausted());
        assert!(!budget.fits(VALUE + 1, "Fn::Sub", "t.yaml: Resources.R"));
        assert!(budget.exhausted());
        let why = budget.overflow.unwrap_or_default();
        assert!(
            why.starts_with("t.yaml: Resources.R: Fn::Sub makes"),
            "{why}"
        );
    }

    #[test]
    fn results_add_up_to_the_total() {
        let mut budget = Budget::default();
        let value = Value::String("x".repeat(VALUE - NODE));
        for _ in 0..64 {
            budget.charge(&value, "here");
        }
        assert!(!budget.exhausted());
        budget.charge(&Value::Array(vec![Value::Null]), "there");
        assert!(
            budget
                .overflow
                .unwrap_or_default()
                .starts_with("there: resolving")
        );
    }
}
