//! What AWS would refuse to create, taken out of an import with a note
//! saying why: a role whose trust policy IAM rejects (`MalformedPolicyDocument`)
//! cannot exist as written, and neither can a policy IAM rejects. A plan or
//! template holding one would fail at deploy, so the access it describes
//! never exists; the rest of the inputs still make a world.

use crate::iam::{PolicyKind, parse_as};

use super::auth_details::{AccountImport, Principal};

/// Why IAM refuses a document, or `None` when it accepts it.
fn refusal(doc: &serde_json::Value, kind: PolicyKind) -> Option<String> {
    match parse_as(doc, kind) {
        Err(e) => Some(format!("at {}: {}", e.path, e.message)),
        Ok(policy) => {
            crate::iam::not_principal_refusal(&policy, kind).map(|why| format!("at {why}"))
        }
    }
}

/// Takes the policies IAM would refuse off a principal, noting each.
fn policies(p: &mut Principal, at: &str, notes: &mut Vec<String>) {
    p.policies.retain(|name, doc| match refusal(doc, PolicyKind::Identity) {
        None => true,
        Some(why) => {
            notes.push(format!(
                "{at}: policy `{name}` is refused by IAM ({why}), so it cannot exist as written (left out)"
            ));
            false
        }
    });
    if let Some(why) = p
        .boundary
        .as_ref()
        .and_then(|doc| refusal(doc, PolicyKind::Boundary))
    {
        notes.push(format!(
            "{at}: the permissions boundary is refused by IAM ({why}), so it cannot be attached (left out)"
        ));
        p.boundary = None;
    }
}

/// Takes out of `part` (read from `file`) what IAM would refuse.
pub(super) fn drop_refused(part: &mut AccountImport, file: &str) {
    let account = part.account.clone();
    let mut notes = Vec::new();
    part.roles.retain(|name, role| {
        let at = format!("{file}: role {name} of account {account}");
        if let Some(why) = role
            .trust
            .as_ref()
            .and_then(|doc| refusal(doc, PolicyKind::Trust))
        {
            notes.push(format!(
                "{at}: its trust policy is refused by IAM (MalformedPolicyDocument {why}), so the role cannot be created as written (left out)"
            ));
            return false;
        }
        policies(role, &at, &mut notes);
        true
    });
    for (name, user) in &mut part.users {
        policies(
            user,
            &format!("{file}: user {name} of account {account}"),
            &mut notes,
        );
    }
    part.managed_policies.retain(|name, doc| match refusal(doc, PolicyKind::Identity) {
        None => true,
        Some(why) => {
            notes.push(format!(
                "{file}: managed policy {name} of account {account} is refused by IAM ({why}) (left out)"
            ));
            false
        }
    });
    part.notes.extend(notes);
}
