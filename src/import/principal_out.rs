//! A user or role, an OIDC provider and the notes as the imported world
//! writes them.

use serde::Serialize;

use super::auth_details::Principal;
use super::sorted::Sorted;
use std::collections::BTreeMap;

#[derive(Serialize)]
pub(super) struct ProviderOut {
    pub(super) client_ids: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct PrincipalOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_session_duration: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mfa: Option<MfaOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trust_policy: Option<Sorted>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    policies: BTreeMap<String, Sorted>,
    #[serde(skip_serializing_if = "Option::is_none")]
    permissions_boundary: Option<Sorted>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    tags: BTreeMap<String, String>,
}

/// An MFA device: its serial only, since no API returns its code.
#[derive(Serialize)]
struct MfaOut {
    serial: String,
}

/// The notes as the world's description words them: what was taken from
/// xacct's catalogue of AWS managed policies (a substitute, not a gap),
/// then what was left out.
pub(super) fn described(notes: &[String]) -> String {
    let (catalogue, left_out): (Vec<&String>, Vec<&String>) = notes
        .iter()
        .partition(|n| n.contains("is taken from xacct's catalogue"));
    let join = |list: &[&String]| {
        list.iter()
            .map(|n| n.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out = String::new();
    if !catalogue.is_empty() {
        out.push_str(&format!(
            " Taken from xacct's catalogue: {}",
            join(&catalogue)
        ));
    }
    if !left_out.is_empty() {
        out.push_str(&format!(" Left out: {}", join(&left_out)));
    }
    out
}

pub(super) fn principal(p: &Principal) -> PrincipalOut {
    PrincipalOut {
        path: (p.path != "/").then(|| p.path.clone()),
        max_session_duration: p.max_session_duration.filter(|d| *d != 3600),
        mfa: p.mfa_serial.clone().map(|serial| MfaOut { serial }),
        trust_policy: p.trust.clone().map(Sorted),
        policies: p
            .policies
            .iter()
            .map(|(k, v)| (k.clone(), Sorted(v.clone())))
            .collect(),
        permissions_boundary: p.boundary.clone().map(Sorted),
        tags: p.tags.clone(),
    }
}
