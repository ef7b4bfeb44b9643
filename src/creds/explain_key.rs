//! The explain key of a running `xacct serve`: a random secret drawn each
//! time it starts on loopback, that reads every decision it keeps
//! (`GET /_xacct/why/ID` with the `x-xacct-explain-key` header). The
//! server keeps it in a private file named for its port (mode 0600 in a
//! directory of mode 0700 beside xacct's cache directory, kept as cached
//! credentials are), so `xacct creds --explain` run by the same user finds
//! it, and no other user can.

use std::path::PathBuf;

use super::cache_dir::{CacheError, default_dir, open_dir, read_private, write_private};

/// A server's explain key.
#[derive(Clone, PartialEq, Eq)]
pub struct ExplainKey(String);

impl std::fmt::Debug for ExplainKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExplainKey(** redacted **)")
    }
}

impl ExplainKey {
    /// A fresh random key (64 hex digits).
    pub fn random() -> Result<Self, String> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| {
            format!("the operating system gave no randomness for the explain key ({e})")
        })?;
        Ok(Self(hex::encode(bytes)))
    }

    /// The key, for the header and the ready file.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The file of the server on `port`: `xacct-explain/PORT` beside xacct's
/// cache directory (`~/.cache/xacct-explain/PORT` on Linux), apart from
/// the cached credentials.
fn file(port: u16) -> Result<PathBuf, CacheError> {
    Ok(default_dir()?
        .with_file_name("xacct-explain")
        .join(port.to_string()))
}

/// Keeps `key` for the server on `port`; the file's path.
pub fn publish(port: u16, key: &ExplainKey) -> Result<PathBuf, CacheError> {
    let path = file(port)?;
    if let Some(dir) = path.parent() {
        open_dir(dir)?;
    }
    write_private(&path, key.0.as_bytes())?;
    Ok(path)
}

/// The key of the server on `port`, when this user started it.
pub(super) fn published(port: u16) -> Option<ExplainKey> {
    let bytes = read_private(&file(port).ok()?).ok()?;
    let key = String::from_utf8(bytes).ok()?;
    (key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit())).then_some(ExplainKey(key))
}

/// Removes the key of the server on `port`, if it is still `key` (a later
/// server on the same port keeps its own).
pub fn withdraw(port: u16, key: &ExplainKey) {
    if published(port).as_ref() == Some(key)
        && let Ok(path) = file(port)
    {
        let _ = std::fs::remove_file(path);
    }
}
