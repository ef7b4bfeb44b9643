//! What an analysis cannot decide. In an open context (see
//! [`super::Context::open`]) a condition on a key the analysis does not fix
//! (the source IP, MFA, the time, the session name, a token's claims...),
//! or a resource or condition value that uses a policy variable it cannot
//! resolve, is neither true nor false: the statement applies only if it
//! holds. [`Unknown`] points at such an element in its policy; [`Need`]
//! is its owned form, with what the analysis knows substituted, that can be
//! shown and checked against a concrete request later.

use std::fmt;

use super::condition::{self, Family, SetQualifier, Value};
use super::context::Context;
use super::policy::{Condition, ResourcePattern};

/// An element of a statement that an open context leaves undecided.
#[derive(Debug, Clone, PartialEq)]
pub enum Unknown<'p> {
    /// A condition on an unknown key, or whose values use an unknown variable.
    Condition(&'p Condition),
    /// `Resource` (or `NotResource`, `not` set) patterns that use an
    /// unknown variable; the statement's other patterns did not match.
    Resource {
        /// `NotResource`.
        not: bool,
        /// The undecided patterns.
        patterns: Vec<&'p ResourcePattern>,
    },
    /// A `Principal` (or `NotPrincipal`, `not` set) that may or may not
    /// name the caller: sessions of its role when its session name is
    /// unknown, or placeholders for principals only a deployment knows.
    Principal {
        /// `NotPrincipal`: the statement applies unless one names the caller.
        not: bool,
        /// The session names.
        sessions: Vec<&'p str>,
        /// The placeholders, as written.
        placeholders: Vec<&'p str>,
    },
}

/// What was undecided, owned.
#[derive(Debug, Clone, PartialEq)]
enum Undecided {
    Condition(Condition),
    Resource {
        not: bool,
        patterns: Vec<ResourcePattern>,
    },
    Principal {
        not: bool,
        sessions: Vec<String>,
    },
}

/// An undecided element, owned, with what the analysis knew substituted
/// into its text: `sts:RoleSessionName StringLike dev` for
/// `StringLike sts:RoleSessionName ${aws:username}` when the caller is the
/// user `dev`.
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    undecided: Undecided,
    text: String,
    keys: Vec<String>,
}

impl Unknown<'_> {
    /// The owned form, its text filled from what `context` knows.
    pub fn need(&self, context: &Context) -> Need {
        let lookup = |key: &str| context.single(key);
        match self {
            Self::Condition(c) => {
                let values: Vec<String> = c
                    .values
                    .iter()
                    .zip(&c.raw_values)
                    .map(|(value, raw)| match value {
                        Value::Text(pattern) => pattern.shown(&lookup),
                        _ => raw.clone(),
                    })
                    .collect();
                let mut keys = vec![c.key.clone()];
                keys.extend(variables_of(c));
                Need {
                    text: format!("{} {} {}", c.key, c.operator_name, values.join(" or ")),
                    keys,
                    undecided: Undecided::Condition((*c).clone()),
                }
            }
            Self::Resource { not, patterns } => {
                let mut shown: Vec<String> = Vec::new();
                for p in patterns {
                    let text = if p.placeholder {
                        p.raw.clone()
                    } else {
                        p.pattern.shown(&lookup)
                    };
                    if !shown.contains(&text) {
                        shown.push(text);
                    }
                }
                let mut keys: Vec<String> = patterns
                    .iter()
                    .flat_map(|p| p.pattern.variables().map(|v| v.key.clone()))
                    .collect();
                keys.dedup();
                Need {
                    text: format!(
                        "the resource {}matches {}",
                        if *not { "never " } else { "" },
                        shown.join(" or ")
                    ),
                    keys,
                    undecided: Undecided::Resource {
                        not: *not,
                        patterns: patterns.iter().map(|p| (*p).clone()).collect(),
                    },
                }
            }
            Self::Principal {
                not,
                sessions,
                placeholders,
            } => {
                let verb = if *not { "does not name" } else { "names" };
                let mut names: Vec<String> = Vec::new();
                if !sessions.is_empty() {
                    names.push(format!(
                        "the caller's session is {}named {}",
                        if *not { "not " } else { "" },
                        sessions.join(" or ")
                    ));
                }
                names.extend(
                    placeholders
                        .iter()
                        .map(|p| format!("{p} {verb} the caller")),
                );
                // Who the caller is, not a key the request carries.
                Need {
                    text: names.join(if *not { " and " } else { ", or " }),
                    keys: Vec::new(),
                    undecided: Undecided::Principal {
                        not: *not,
                        sessions: sessions.iter().map(|s| (*s).to_owned()).collect(),
                    },
                }
            }
        }
    }
}

/// The keys of the policy variables a condition's values use.
fn variables_of(c: &Condition) -> impl Iterator<Item = String> + '_ {
    c.values.iter().flat_map(|v| match v {
        Value::Text(pattern) => pattern.variables().map(|v| v.key.clone()).collect(),
        _ => Vec::new(),
    })
}

impl Need {
    /// The need as text: `KEY OPERATOR VALUE or VALUE`, or the resource
    /// patterns.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The condition keys it depends on: the condition's key (as written)
    /// and the keys of the variables it uses.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// The condition, when the need is one.
    pub fn condition(&self) -> Option<&Condition> {
        match &self.undecided {
            Undecided::Condition(c) => Some(c),
            Undecided::Resource { .. } | Undecided::Principal { .. } => None,
        }
    }

    /// Whether it depends on `key` (any case).
    pub fn is_on(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k.eq_ignore_ascii_case(key))
    }

    /// Whether it guards on `key`: a condition on that key that cannot
    /// hold without it (a positive test: not negated, no `...IfExists`, no
    /// `ForAllValues:` (true of no value), `Null` only as `false`, `Bool`
    /// only as `true`: `Bool aws:MultiFactorAuthPresent false` asks for
    /// its absence).
    /// `BoolIfExists aws:MultiFactorAuthPresent true` lets in a request
    /// without MFA, so it guards on nothing.
    pub fn guards_on(&self, key: &str) -> bool {
        let Undecided::Condition(c) = &self.undecided else {
            return false;
        };
        let op = &c.operator;
        c.key.eq_ignore_ascii_case(key)
            && !op.negated
            && !op.if_exists
            && op.set != SetQualifier::ForAllValues
            && (op.family != Family::Null
                || c.raw_values.iter().all(|v| v.eq_ignore_ascii_case("false")))
            && (op.family != Family::Bool
                || c.raw_values.iter().all(|v| v.eq_ignore_ascii_case("true")))
    }

    /// Whether it holds for a concrete request: `context` its keys,
    /// `resource` the resource it asks for.
    pub fn holds(&self, context: &Context, resource: &str) -> bool {
        let lookup = |key: &str| context.single(key);
        match &self.undecided {
            Undecided::Condition(c) => {
                condition::evaluate(&c.operator, context.get(&c.key_lower), &c.values, &lookup)
            }
            Undecided::Resource { not, patterns } => {
                // A placeholder names nothing in a request.
                let hit = patterns.iter().any(|p| {
                    !p.placeholder
                        && p.pattern
                            .matches_resolved(&lookup, resource)
                            .unwrap_or(false)
                });
                hit != *not
            }
            // A session's `aws:userid` is `ROLE-ID:SESSION`; a placeholder
            // names nobody in a request.
            Undecided::Principal { not, sessions } => {
                let named = context.single("aws:userid").is_some_and(|id| {
                    sessions
                        .iter()
                        .any(|s| id.rsplit_once(':').is_some_and(|(_, n)| n == s))
                });
                named != *not
            }
        }
    }
}

impl fmt::Display for Need {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
