//! The request context: condition keys and their values. Key names are
//! case-insensitive, so they are stored lower-cased.

use std::collections::BTreeMap;
use std::time::SystemTime;

use super::caller::{Caller, CallerKind};

/// Condition keys with their values (one value for single-valued keys).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    values: BTreeMap<String, Vec<String>>,
}

impl Context {
    /// An empty context.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a single-valued key.
    pub fn set(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.values
            .insert(key.to_ascii_lowercase(), vec![value.into()]);
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
    /// `aws:PrincipalType`, `aws:username` (IAM users), `aws:userid` (when
    /// known), `aws:CurrentTime`, `aws:EpochTime`.
    ///
    /// A web identity has no IAM principal, so only the clock keys are
    /// filled for it (its claims come from the token).
    pub fn fill_from(&mut self, caller: &Caller, now: SystemTime) -> &mut Self {
        if !matches!(caller.kind, CallerKind::WebIdentity { .. }) {
            self.fill_principal(caller);
        }
        self.fill_clock(now)
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
