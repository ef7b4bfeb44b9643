//! What `xacct whose-key` prints: the key id's kind and the account it
//! carries, or that it predates the encoding, as text or JSON.

use crate::key_id::{KeyAccount, kind};

/// The text form: the account (or `unknown`), a tab, then what the key is.
pub fn text(key_id: &str, account: &KeyAccount) -> String {
    match account {
        KeyAccount::Account(id) => format!("{id}\t{key_id}: {}\n", kind(key_id)),
        KeyAccount::PredatesEncoding => format!(
            "unknown\t{key_id}: {}, made before AWS encoded the account in key ids; ask AWS: aws sts get-access-key-info --access-key-id {key_id}\n",
            kind(key_id)
        ),
    }
}

/// The JSON form: `{"AccessKeyId", "Kind", "Account"}` (`Account` null
/// when the key predates the encoding).
pub fn json(key_id: &str, account: &KeyAccount) -> String {
    let account = match account {
        KeyAccount::Account(id) => serde_json::Value::String(id.clone()),
        KeyAccount::PredatesEncoding => serde_json::Value::Null,
    };
    format!(
        "{}\n",
        serde_json::json!({
            "AccessKeyId": key_id,
            "Kind": kind(key_id),
            "Account": account,
        })
    )
}
