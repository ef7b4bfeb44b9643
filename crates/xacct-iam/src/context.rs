//! The request context: condition keys and their values. Key names are
//! case-insensitive, so they are stored lower-cased.
//!
//! A context is closed by default: a key that is not set is absent, as in
//! a real request. The analysis opens it ([`Context::open`]): then a key
//! that is neither set nor declared absent is *unknown* (the request may
//! carry any value, or none), and a condition on it is left undecided
//! rather than false.

use std::collections::BTreeMap;
use std::time::SystemTime;

use super::caller::{Caller, CallerKind};

/// Condition keys with their values (one value for single-valued keys).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    values: BTreeMap<String, Vec<String>>,
    /// Set for an open context: what is known to be absent.
    open: Option<Absent>,
}

/// The keys an open context knows to be absent: exact names, and prefixes
/// (ending in `/`) under which every key that is not set is absent (a
/// user's `aws:PrincipalTag/` keys are all its tags).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Absent {
    keys: Vec<String>,
    prefixes: Vec<String>,
}

impl Context {
    /// An empty context.
    pub fn new() -> Self {
        Self::default()
    }

    /// An open context: a key neither set nor declared absent
    /// ([`Context::absent`]) is unknown, and conditions on it undecided.
    pub fn open() -> Self {
        Self {
            values: BTreeMap::new(),
            open: Some(Absent::default()),
        }
    }

    /// Declares a key absent in an open context; a key ending in `/` is a
    /// prefix (`aws:PrincipalTag/`): every key under it that is not set is
    /// absent. No effect on a closed context, where every unset key is.
    pub fn absent(&mut self, key: &str) -> &mut Self {
        if let Some(open) = &mut self.open {
            let key = key.to_ascii_lowercase();
            if key.ends_with('/') {
                open.prefixes.push(key);
            } else {
                open.keys.push(key);
            }
        }
        self
    }

    /// Whether the context is open (an analysis, not a request).
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// Whether a key (already lower-cased) is unknown: the context is open,
    /// the key is not set and not declared absent.
    pub fn is_unknown(&self, key: &str) -> bool {
        let Some(open) = &self.open else {
            return false;
        };
        !self.values.contains_key(key)
            && !open.keys.iter().any(|k| k == key)
            && !open.prefixes.iter().any(|p| key.starts_with(p.as_str()))
    }

    /// Sets a single-valued key.
    pub fn set(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.values
            .insert(key.to_ascii_lowercase(), vec![value.into()]);
        self
    }

    /// Unsets a key: unknown again in an open context (absent in a
    /// closed one, as every unset key is).
    pub fn forget(&mut self, key: &str) -> &mut Self {
        self.values.remove(&key.to_ascii_lowercase());
        self
    }

    /// Sets a multivalued key (such as `aws:TagKeys`).
    pub fn set_many(&mut self, key: &str, values: Vec<String>) -> &mut Self {
        self.values.insert(key.to_ascii_lowercase(), values);
        self
    }

    /// Adds a value to a key (creating it).
    pub fn push(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.values
            .entry(key.to_ascii_lowercase())
            .or_default()
            .push(value.into());
        self
    }

    /// Sets a key only if it has no value yet.
    pub fn set_default(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.values
            .entry(key.to_ascii_lowercase())
            .or_insert_with(|| vec![value.into()]);
        self
    }

    /// The values of a key (any case), or `None` when absent.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        if key.bytes().any(|b| b.is_ascii_uppercase()) {
            self.values
                .get(&key.to_ascii_lowercase())
                .map(Vec::as_slice)
        } else {
            self.values.get(key).map(Vec::as_slice)
        }
    }

    /// The values of a key already in lower case (condition keys and
    /// variables are stored so), without checking its case again.
    pub(super) fn get_lower(&self, key: &str) -> Option<&[String]> {
        self.values.get(key).map(Vec::as_slice)
    }

    /// [`Context::single`] for a key already in lower case.
    pub(super) fn single_lower(&self, key: &str) -> Option<&str> {
        match self.get_lower(key) {
            Some([one]) => Some(one.as_str()),
            _ => None,
        }
    }

    /// The value of a single-valued key: `None` when absent or multivalued
    /// (multivalued keys cannot be policy variables).
    pub fn single(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some([one]) => Some(one.as_str()),
            _ => None,
        }
    }

    /// Fills the keys AWS derives from the caller and the clock, keeping any
    /// value already set: `aws:PrincipalArn`, `aws:PrincipalAccount`,
    /// `aws:PrincipalType`, `aws:PrincipalIsAWSService`, `aws:username` (IAM
    /// users), `aws:userid` (when known), `aws:CurrentTime`, `aws:EpochTime`.
    ///
    /// A web identity has no IAM principal, so only the clock keys are
    /// filled for it (its claims come from the token).
    pub fn fill_from(&mut self, caller: &Caller, now: SystemTime) -> &mut Self {
        self.fill_caller(caller);
        self.fill_clock(now)
    }

    /// Fills the keys AWS derives from the caller (not the clock), as
    /// [`Context::fill_from`] does: for an analysis, where the time of the
    /// request is unknown.
    pub fn fill_caller(&mut self, caller: &Caller) -> &mut Self {
        if !matches!(caller.kind, CallerKind::WebIdentity { .. }) {
            self.fill_principal(caller);
            // "Present in the request context for all signed API requests
            // that use AWS credentials" (IAM User Guide, global condition
            // keys): false for an IAM principal. AssumeRoleWithWebIdentity
            // is not signed, so a web identity has none.
            self.set_default("aws:PrincipalIsAWSService", "false");
        }
        self
    }

    fn fill_principal(&mut self, caller: &Caller) {
        self.set_default("aws:PrincipalArn", caller.principal_arn());
        self.set_default("aws:PrincipalAccount", caller.account.clone());
        self.set_default("aws:PrincipalType", caller.principal_type());
        match &caller.kind {
            CallerKind::User { name, .. } => {
                self.set_default("aws:username", name.clone());
                if let Some(id) = &caller.unique_id {
                    self.set_default("aws:userid", id.clone());
                }
            }
            CallerKind::Root => {
                self.set_default("aws:userid", caller.account.clone());
            }
            CallerKind::RoleSession {
                session: Some(session),
                ..
            } => {
                if let Some(id) = &caller.unique_id {
                    self.set_default("aws:userid", format!("{id}:{session}"));
                }
            }
            CallerKind::RoleSession { session: None, .. } => {}
            CallerKind::FederatedUser { name, .. } => {
                self.set_default("aws:userid", format!("{}:{name}", caller.account));
            }
            CallerKind::WebIdentity { .. } => {}
        }
    }

    fn fill_clock(&mut self, now: SystemTime) -> &mut Self {
        // A time outside what RFC 3339 can write leaves the keys unset
        // rather than panic.
        let at = match now.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(after) => time::Duration::try_from(after)
                .ok()
                .and_then(|d| time::OffsetDateTime::UNIX_EPOCH.checked_add(d)),
            Err(before) => time::Duration::try_from(before.duration())
                .ok()
                .and_then(|d| time::OffsetDateTime::UNIX_EPOCH.checked_sub(d)),
        };
        if let Some(at) = at {
            let stamp = at
                .replace_nanosecond(0)
                .unwrap_or(at)
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default();
            self.set_default("aws:CurrentTime", stamp);
            self.set_default("aws:EpochTime", at.unix_timestamp().to_string());
        }
        self
    }
}
